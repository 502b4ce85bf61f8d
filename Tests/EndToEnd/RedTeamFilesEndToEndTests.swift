import Foundation
import Testing

/// Issue 12 items 6 and 7 on the command line, the path a script or an insider uses: a symlinked
/// journal, exports outside the office's folders or through a link, impossible dates in a monthly
/// file and a training clock walked to 2099. Each refusal names the path (or row and column), and
/// nothing is written through a link or to the journal.
@Suite("Red team: files and dates on the command line (issue 12 items 6, 7)", .tags(.e2e), .timeLimit(.minutes(2)))
struct RedTeamFilesEndToEndTests {
    static func journal(_ data: URL) -> Data? { FileManager.default.contents(atPath: data.appendingPathComponent("journal.jsonl").path) }

    @Test("A symlinked journal stops every command (exit 2) naming the path; the file behind the link is untouched")
    func symlinkedJournal() throws {
        let root = try E2E.makeTempDir("rt-journal-link")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        // A first command makes the office's folder; the journal is then swapped for a link elsewhere.
        #expect(try E2E.madoguchi(["cases"], dataDir: data).status == 0)
        let target = root.appendingPathComponent("elsewhere.jsonl")
        try Data().write(to: target)
        let link = data.appendingPathComponent("journal.jsonl")
        try? FileManager.default.removeItem(at: link)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)
        for args in [["cases"], ["prepare-batch"], ["reminders"]] {
            let out = try E2E.madoguchi(args, dataDir: data)
            #expect(out.status == 2, "\(args): \(out.status) \(out.stdout)\(out.stderr)")
            #expect(out.stderr.contains(link.path) && out.stderr.contains("シンボリックリンク"), "\(args): \(out.stderr)")
        }
        let verify = try E2E.madoguchi(["verify"], dataDir: data)
        #expect(verify.status != 0 && (verify.stdout + verify.stderr).contains(link.path), "\(verify.stdout)\(verify.stderr)")
        #expect(FileManager.default.contents(atPath: target.path) == Data())
    }

    @Test("pending --csv / --pdf outside the office's folders, by `..` or through a symlinked folder: refused with the path, nothing written")
    func exportsStayInside() throws {
        let root = try E2E.makeTempDir("rt-export")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        #expect(try E2E.madoguchi(["cases"], dataDir: data).status == 0)
        let outside = root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("linked").path, withDestinationPath: outside.path)
        let before = Self.journal(data)
        let attempts: [[String]] = [
            ["pending", "--csv", outside.appendingPathComponent("list.csv").path],
            ["pending", "--csv", data.path + "/../outside/list.csv"],
            ["pending", "--csv", data.appendingPathComponent("linked").path + "/"],
            ["pending", "--csv", data.appendingPathComponent("linked/list.csv").path],
            ["pending", "--pdf", outside.appendingPathComponent("list.pdf").path],
        ]
        for args in attempts {
            let out = try E2E.madoguchi(args, dataDir: data)
            #expect(out.status == 1, "\(args): \(out.status) \(out.stdout)\(out.stderr)")
            #expect(out.stderr.contains(args[2].hasSuffix("/") ? String(args[2].dropLast()) : args[2]), "\(args): \(out.stderr)")
            #expect(out.stderr.contains("R-SG-6") && !out.stderr.contains("Error"), "\(args): \(out.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        #expect(Self.journal(data) == before)
        // Inside the data folder it is written as before.
        let inside = try E2E.madoguchi(["pending", "--csv", data.appendingPathComponent("reports/list.csv").path], dataDir: data)
        #expect(inside.status == 0, "\(inside.stderr)")
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("reports/list.csv").path))
    }

    @Test("import-status: a 初回登録解除日 in 2099 is refused by row and column (exit 1), nothing written")
    func statusFileFromTheFuture() throws {
        let root = try E2E.makeTempDir("rt-status-2099")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        #expect(try E2E.madoguchi(["cases"], dataDir: data).status == 0)
        let file = root.appendingPathComponent("status.csv")
        try ServerFile.write(try ServerFile.cp932([
            ServerFile.statusHeader,
            ServerFile.statusRow(server: "1234567890123456", recipient: "1234566", registeredOn: "20210401", cancelledOn: "20990131"),
        ]), to: file)
        let before = Self.journal(data)
        let out = try E2E.madoguchi(["import-status", file.path], dataDir: data)
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        let said = out.stdout + out.stderr
        #expect(said.contains("2行目") && said.contains("初回登録解除日") && said.contains("令和81年1月31日は今日"), "\(said)")
        #expect(Self.journal(data) == before)
    }

    @Test("training clock cannot be walked to 2099 (each move is refused past three years from the book's first day)")
    func trainingClockTo2099() throws {
        let root = try E2E.makeTempDir("rt-clock-2099")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        var refused: E2E.Output?
        for _ in 0..<80 {
            let out = try E2E.madoguchi(["training", "clock", "--days", "400"], dataDir: data)
            if out.status != 0 { refused = out; break }
        }
        let r = try #require(refused, "walked on for 80 × 400 days")
        #expect(r.status == 1 && r.stderr.contains("研修の日付は最初の日"), "\(r.stderr)")
        let json = try E2E.madoguchi(["reminders", "--json"], dataDir: data)
        let asOf = json.stdout.range(of: #""asOf" : "(\d{4})"#, options: .regularExpression).map { String(json.stdout[$0].suffix(4)) }
        #expect(Int(asOf ?? "9999").map { $0 < 2030 } == true, "today is now \(asOf ?? "?")")
    }

    @Test("import-results --registered-on before the export (1999) or after today (2099), tickets --month 2099-01: refused naming the field, journal untouched")
    func impossibleDatesOnTheCommandLine() async throws {
        let (root, data) = try await LifecycleCases.copy("rt-dates-cli")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase
        let prepared = try E2E.madoguchi(["prepare-batch", "--operator", "yamada", "--json"], dataDir: data)
        let batchID = try #require(try JSONObject(line: prepared.stdout).string("id"), "\(prepared.stderr)")
        #expect(try E2E.madoguchi(["approve-batch", batchID, "--operator", "sato"], dataDir: data).status == 0)
        #expect(try E2E.madoguchi(["export-registrations"], dataDir: data).status == 0)
        let row = "\(LifecycleCases.serverCode),\(LifecycleCases.assistanceServerNumber),\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),"
        let resultFile = root.appendingPathComponent("result.csv")
        try ServerFile.write(try ServerFile.result(exportedRows: [row]), to: resultFile)
        let today = Day.today
        let before = Self.journal(data)
        let refusals: [([String], [String])] = [
            (["import-results", resultFile.path, "--registered-on", "1999-01-01"], ["登録日", a, "一括登録ファイルの出力日（\(today.long)）より前"]),
            (["import-results", resultFile.path, "--registered-on", "2099-01-01"], ["登録日", a, "今日（\(today.long)）より後"]),
            (["tickets", a, "--kind", "medical", "--institution", "あおば眼科", "--month", "2099-01"], ["の月", "より先の月"]),
        ]
        for (args, said) in refusals {
            let out = try E2E.madoguchi(args, dataDir: data)
            #expect(out.status == 1, "\(args): \(out.status) \(out.stdout)\(out.stderr)")
            for s in said { #expect(out.stderr.contains(s), "\(args): 「\(s)」 not in \(out.stderr)") }
        }
        #expect(Self.journal(data) == before)
        #expect(try E2E.statuses(data)[a] == "exported")
    }
}
