import Foundation
import Testing

/// Options that once were taken silently and are now refused before any work (issue 16 review):
/// `madoguchi-bench`'s PostgreSQL port/database without a socket folder, and a city `--office` code
/// that is not a 公費負担者番号 (R-ID-1, R-ID-3). No cluster and no config needed: the refusal comes first.
@Suite("Refused options: bench PostgreSQL target, city office codes", .tags(.e2e))
struct OptionRefusalEndToEndTests {
    /// `env -i PATH HOME`: no MADOGUCHI_TEST_PG_* from a developer's shell.
    static func bare(_ dir: URL) -> [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
         "HOME": ProcessInfo.processInfo.environment["HOME"] ?? dir.path]
    }

    @Test("--postgres-port / --postgres-database without a socket folder: a usage error naming them (exit 64), nothing run")
    func benchPortWithoutSocket() throws {
        let work = try E2E.makeTempDir("bench-options")
        defer { E2E.remove(work) }
        let bench = try E2E.requireBenchBinary()
        for (options, named) in [(["--postgres-port", "5432"], "--postgres-port"),
                                 (["--postgres-database", "madoguchi"], "--postgres-database")] {
            let out = try E2E.run(bench, ["run", "--tiny", "--sizes", "1", "--work", work.appendingPathComponent("w").path] + options,
                                  environment: Self.bare(work), timeout: 60)
            #expect(out.status == 64, "stdout: \(out.stdout)\nstderr: \(out.stderr)")
            #expect(out.stderr.contains(named) && out.stderr.contains("--postgres-socket-dir") && out.stderr.contains("MADOGUCHI_TEST_PG_SOCKET_DIR"),
                    "\(out.stderr)")
            #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("w").path), "the run started")
        }
    }

    @Test("pending --city --office with a wrong check digit or 7 digits: a usage error naming the option, the code and the reason (exit 64)")
    func cityOfficeCodeChecked() throws {
        let work = try E2E.makeTempDir("city-office")
        defer { E2E.remove(work) }
        let madoguchi = try E2E.requireBinary()
        for (code, reason) in [("12130010", "検証番号"), ("1213001", "8桁の数字")] {
            let out = try E2E.run(madoguchi, ["pending", "--city", "--office", "12130019", "--office", code],
                                  environment: Self.bare(work), timeout: 60)
            #expect(out.status == 64, "stdout: \(out.stdout)\nstderr: \(out.stderr)")
            #expect(out.stderr.contains("--office") && out.stderr.contains("'\(code)'") && out.stderr.contains(reason), "\(out.stderr)")
        }
    }
}
