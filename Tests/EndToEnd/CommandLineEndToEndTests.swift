import Foundation
import Testing

/// The command line without a terminal: a broken config stops with file, line and reason (issue 2, 7).
@Suite("Command line end to end", .tags(.e2e))
struct CommandLineEndToEndTests {

    @Test("A broken public_payer_number stops `cases` with exit 2, naming the file, the line and 公費負担者番号 (R-ID-1)")
    func brokenConfigNamesFileAndLine() throws {
        let root = try E2E.makeTempDir("badconfig")
        defer { E2E.remove(root) }
        let demo = try String(contentsOf: E2E.demoConfig, encoding: .utf8)
        let good = "public_payer_number = \"12130019\""
        #expect(demo.contains(good), "the demo config changed; update this test")
        let broken = demo.replacingOccurrences(of: good, with: "public_payer_number = \"12130018\"")   // wrong check digit
        let file = root.appendingPathComponent("office.toml")
        try broken.write(to: file, atomically: true, encoding: .utf8)
        let line = broken.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("public_payer_number") }.map { $0 + 1 } ?? -1

        let out = try E2E.madoguchi(["cases", "--config", file.path], dataDir: root.appendingPathComponent("data"))
        #expect(out.status == 2)
        #expect(out.stderr.contains(file.path), "stderr: \(out.stderr)")
        #expect(out.stderr.contains("\(line)行目"), "stderr names line \(line): \(out.stderr)")
        #expect(out.stderr.contains("公費負担者番号"), "stderr: \(out.stderr)")
        #expect(out.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("data").path), "nothing written")
    }

    @Test("The demo office works without a locale: `cases --json` on an empty data directory prints []")
    func emptyCasesWithoutLocale() throws {
        let root = try E2E.makeTempDir("empty")
        defer { E2E.remove(root) }
        let out = try E2E.madoguchi(["cases", "--json"], dataDir: root.appendingPathComponent("data"), locale: false)
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [Any]
        #expect(parsed?.isEmpty == true, "stdout: \(out.stdout)")
    }
}

/// Issue 11 item 10: no global clock. A command's default date is the office's today — in training the
/// sandbox's simulated day — even when the date is worked out before anything else (it used to be
/// read from a global before the office was opened, i.e. the machine's date).
@Suite("Command line follows the office's clock", .tags(.e2e))
struct CommandLineClockTests {
    @Test("training: after `training clock --to R8.12.20`, `reminders` (no --date) is as of 令和8年12月20日")
    func trainingDefaultsFollowTheSandboxDay() throws {
        let root = try E2E.makeTempDir("cliclock")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let moved = try E2E.madoguchi(["training", "clock", "--to", "R8.12.20"], dataDir: data)
        #expect(moved.status == 0, "stderr: \(moved.stderr)")
        let json = try E2E.madoguchi(["reminders", "--json"], dataDir: data)
        #expect(json.status == 0, "stderr: \(json.stderr)")
        #expect(json.stdout.contains("\"asOf\" : \"2026-12-20\""), "\(json.stdout)")
        let human = try E2E.madoguchi(["reminders"], dataDir: data)
        #expect(human.stdout.contains("令和8年12月20日"), "\(human.stdout)")
    }
}
