import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16 item 3: whatever goes wrong — a folder the program may not read or write, a bad value
/// in the config, a file that is not there — the clerk reads Japanese on stderr naming the file they
/// know (the journal's folder, the config, the import file, the report), never the parser's
/// `Error:`, an English system message or a temporary file's name, and the exit code says refused
/// (1) or the setup's (2).
@Suite("One error path on the command line (issue 16 item 3)", .tags(.e2e), .timeLimit(.minutes(2)))
struct UserFacingErrorsEndToEndTests {

    /// Root reads and writes through any mode: as root the program runs as `nobody` (setpriv), who
    /// is given the test's folder, so that a mode means for it what it means for a clerk.
    static func madoguchiBound(_ args: [String], data: URL, root: URL) throws -> E2E.Output {
        let binary = try E2E.requireBinary()
        let env = E2E.environment(dataDir: data)
        guard geteuid() == 0 else { return try E2E.run(binary, args, environment: env) }
        let nobody: uid_t = 65534
        for path in [root.path] + (FileManager.default.subpaths(atPath: root.path) ?? []).map({ root.path + "/" + $0 }) {
            _ = lchown(path, nobody, gid_t(nobody))
        }
        return try E2E.run(URL(fileURLWithPath: "/usr/bin/setpriv"),
                           ["--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups", binary.path] + args, environment: env)
    }

    /// A seeded office opened once (its data folder's mark written) by the bound user, then its data
    /// folder set to `mode`.
    static func openedOffice(_ label: String, mode: mode_t) throws -> (root: URL, data: URL) {
        let root = try E2E.makeTempDir(label)
        let data = root.appendingPathComponent("data")
        try SeededOffice.seed(data, count: 1)
        let first = try madoguchiBound(["cases"], data: data, root: root)
        #expect(first.status == 0, "\(first.stderr)")
        chmod(data.path, mode)
        return (root, data)
    }

    static func canDropPrivileges() -> Bool {
        geteuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    /// Runs of three or more ASCII words (an English sentence), leaving out paths and commands.
    static func englishSentences(_ s: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: "(?<![/A-Za-z0-9._-])[A-Za-z]+(?: [A-Za-z]+){2,}")
        return regex.matches(in: s, range: NSRange(s.startIndex..., in: s))
            .map { String(s[Range($0.range, in: s)!]) }
            .filter { !$0.hasPrefix("madoguchi ") && !$0.hasPrefix("chmod ") }
    }

    /// What every refusal here must look like; `names` is the file the clerk knows.
    static func saidInJapanese(_ out: E2E.Output, status: Int32, names: String, says fragment: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let err = out.stderr
        #expect(out.status == status, "exit \(out.status)\n\(err)", sourceLocation: sourceLocation)
        #expect(err.hasPrefix("madoguchi: "), "\(err)", sourceLocation: sourceLocation)
        #expect(err.contains(names), "no \(names) in\n\(err)", sourceLocation: sourceLocation)
        #expect(err.contains(fragment), "no 「\(fragment)」 in\n\(err)", sourceLocation: sourceLocation)
        #expect(!err.contains("Error:") && !err.contains("Error Domain"), "\(err)", sourceLocation: sourceLocation)
        #expect(!(out.stdout + err).contains(".tmp"), "a temporary file named:\n\(err)", sourceLocation: sourceLocation)
        #expect(englishSentences(err).isEmpty, "English \(englishSentences(err)) in\n\(err)", sourceLocation: sourceLocation)
    }

    @Test("A journal folder the program may not read: the folder named, exit 2", .enabled(if: canDropPrivileges()))
    func unreadableJournalFolder() throws {
        let (root, data) = try Self.openedOffice("uf-folder", mode: 0o000)
        defer { chmod(data.path, 0o700); E2E.remove(root) }
        let out = try Self.madoguchiBound(["cases"], data: data, root: root)
        Self.saidInJapanese(out, status: 2, names: data.path, says: "権限がありません")
        #expect(out.stderr.contains("データフォルダ \(data.path) を読み書きできません"), "the folder, not the mark inside it: \(out.stderr)")
    }

    @Test("A journal the program may not read: the journal named, exit 2", .enabled(if: canDropPrivileges()))
    func unreadableJournal() throws {
        let root = try E2E.makeTempDir("uf-journal")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try SeededOffice.seed(data, count: 1)
        let journal = data.appendingPathComponent("journal.jsonl")
        chmod(journal.path, 0o000)
        let out = try Self.madoguchiBound(["cases"], data: data, root: root)
        Self.saidInJapanese(out, status: 2, names: "journal.jsonl", says: "権限がありません")
    }

    @Test("A config with a bad value: the config file and the key named, exit 2")
    func configWithBadValue() throws {
        let root = try E2E.makeTempDir("uf-config")
        defer { E2E.remove(root) }
        let demo = try String(contentsOf: E2E.demoConfig, encoding: .utf8)
        #expect(demo.contains("csv_encoding = \"utf-8\""), "the demo config changed")
        let bad = root.appendingPathComponent("office.toml")
        try demo.replacingOccurrences(of: "csv_encoding = \"utf-8\"", with: "csv_encoding = \"ebcdic\"").write(to: bad, atomically: true, encoding: .utf8)
        let out = try E2E.madoguchi(["cases", "--config", bad.path], dataDir: root.appendingPathComponent("data"))
        Self.saidInJapanese(out, status: 2, names: bad.path, says: "設定の誤り")
        #expect(out.stderr.contains("csv_encoding"), "\(out.stderr)")
    }

    @Test("An import file that is not there: the file named, refused (exit 1), nothing recorded")
    func importFileMissing() throws {
        let root = try E2E.makeTempDir("uf-import")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try SeededOffice.seed(data, count: 1)
        let journal = data.appendingPathComponent("journal.jsonl")
        let before = try Data(contentsOf: journal)
        let missing = root.appendingPathComponent("結果-なし.csv")
        for command in ["import-results", "import-status"] {
            let out = try E2E.madoguchi([command, missing.path], dataDir: data)
            let all = out.stdout + out.stderr
            #expect(out.status == 1, "\(command): exit \(out.status)\n\(all)")
            #expect(all.contains(missing.path) && all.contains("ありません"), "\(command):\n\(all)")
            #expect(!all.contains("Error:") && Self.englishSentences(all).isEmpty, "\(command):\n\(all)")
        }
        #expect(try Data(contentsOf: journal) == before, "nothing recorded")
    }

    @Test("A report into a read-only data folder: the report file named, not its temporary file, exit 2", .enabled(if: canDropPrivileges()))
    func reportIntoReadOnlyFolder() throws {
        let (root, data) = try Self.openedOffice("uf-readonly", mode: 0o500)
        defer { chmod(data.path, 0o700); E2E.remove(root) }
        let out = try Self.madoguchiBound(["pending", "--csv", data.path + "/"], data: data, root: root)
        Self.saidInJapanese(out, status: 2, names: data.path + "/pending-", says: "権限がありません")
        #expect(out.stderr.contains(".csv の作成に失敗しました"), "\(out.stderr)")
        chmod(data.path, 0o700)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: data.path)).contains { $0.contains(".tmp") || $0.hasPrefix("pending-") })
    }

    @Test("A report whose temporary file cannot be made (even as root): the report named, exit 2")
    func reportWhoseTemporaryFileCannotBeMade() throws {
        let root = try E2E.makeTempDir("uf-longname")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try SeededOffice.seed(data, count: 1)
        // 240 bytes: the name fits, ".<name>.tmp-<pid>-<n>" does not (ENAMETOOLONG).
        let report = data.appendingPathComponent(String(repeating: "あ", count: 78) + ".csv")
        let out = try E2E.madoguchi(["pending", "--csv", report.path], dataDir: data)
        Self.saidInJapanese(out, status: 2, names: report.path, says: "名前が長すぎます")
        #expect(!FileManager.default.fileExists(atPath: report.path))
    }
}
