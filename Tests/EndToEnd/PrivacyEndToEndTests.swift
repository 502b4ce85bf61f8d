import Foundation
import MadoguchiCore
import Testing

/// Issue 6 item 7 (R-ID-4): no 12-digit 個人番号-like value is ever written to the journal, an export, a
/// notice, a report, or what the commands print (a log, when a script keeps it); data files are 0600
/// and folders 0700; start-up warns when the data folder or the journal is open to others.
@Suite("Privacy: no 個人番号 written anywhere, private files, a warning when they are not", .tags(.e2e), .serialized)
struct PrivacyEndToEndTests {
    /// Ways a 12-digit My Number arrives: plain, full width, grouped, inside a sentence.
    static let myNumbers = ["123456789012", "１２３４５６７８９０１２", "1234 5678 9012", "1234-5678-9012",
                            "本人の番号123456789012を確認", "ﾏｲﾅﾝﾊﾞｰ １２３４－５６７８－９０１２",
                            // R-ID-4 as amended 2026-11-30 (issue 12): dots, underscores, slashes, kanji numerals.
                            "1234.5678.9012", "1234_5678_9012", "1234/5678/9012", "一二三四五六七八九〇一二"]

    // MARK: The scan

    /// Exactly-12-digit runs (not part of a longer digit run: 16-digit 被保険者枝番, 14-digit times are
    /// fine), after width normalisation, or three groups of four. 64-hex hashes are removed first: a
    /// SHA-256 may hold 12 digits in a row.
    static func myNumberLike(in text: String) -> [String] {
        var t = TextNormalizer.halfWidthASCII(text)
        t = t.replacingOccurrences(of: "[0-9a-fA-F]{64}", with: "#", options: .regularExpression)
        var hits: [String] = []
        // The amended rule's forms (dots, underscores, slashes, kanji): the number itself, with every
        // separator taken out and kanji numerals read as digits.
        let kanji: [Character: Character] = ["〇": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
                                             "六": "6", "七": "7", "八": "8", "九": "9"]
        let squeezed = String(t.compactMap { c -> Character? in " 　._/-－".contains(c) ? nil : kanji[c] ?? c })
        if squeezed.range(of: "(?<![0-9])123456789012(?![0-9])", options: .regularExpression) != nil {
            hits.append("123456789012 (with separators)")
        }
        for pattern in ["(?<![0-9])[0-9]{12}(?![0-9])", "(?<![0-9][ -])(?<![0-9])[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}(?![0-9])(?![ -][0-9])"] {
            let re = try! NSRegularExpression(pattern: pattern)
            for m in re.matches(in: t, range: NSRange(t.startIndex..., in: t)) {
                hits.append(String(t[Range(m.range, in: t)!]))
            }
        }
        return hits
    }

    /// Every string in a JSON value (keys too), except the top-level `prev` and `hash` of a journal line.
    static func strings(_ v: Any, top: Bool = false) -> [String] {
        switch v {
        case let s as String: return [s]
        case let n as NSNumber: return [n.stringValue]
        case let a as [Any]: return a.flatMap { strings($0) }
        case let o as [String: Any]:
            return o.flatMap { k, v in top && (k == "prev" || k == "hash") ? [] : [k] + strings(v) }
        default: return []
        }
    }

    /// Hits in every file under `dir` (journal lines read as JSON; other files as UTF-8 or CP932 text).
    static func scan(_ dir: URL) -> [String] {
        var hits: [String] = []
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for f in files where !f.hasDirectoryPath {
            let data = (try? Data(contentsOf: f)) ?? Data()
            let name = f.path.replacingOccurrences(of: dir.path, with: "")
            hits += myNumberLike(in: f.lastPathComponent).map { "\(name) (its name): \($0)" }
            if f.pathExtension == "pdf" {
                // The text a reader sees (the raw bytes are compressed streams, digits by chance).
                let tool = URL(fileURLWithPath: "/usr/bin/pdftotext")
                guard FileManager.default.isExecutableFile(atPath: tool.path),
                      let out = try? E2E.run(tool, [f.path, "-"], environment: E2E.environment(dataDir: nil)) else {
                    hits.append("\(name): pdftotext (poppler-utils) is needed to read it"); continue
                }
                hits += myNumberLike(in: out.stdout).map { "\(name) (text): \($0)" }
            } else if f.lastPathComponent.hasSuffix(".jsonl") {
                for (n, line) in data.split(separator: 0x0A).enumerated() {
                    guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) else {
                        hits.append("\(name) \(n + 1)行目: not JSON"); continue
                    }
                    hits += strings(obj, top: true).flatMap(myNumberLike).map { "\(name) \(n + 1)行目: \($0)" }
                }
            } else {
                let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .shiftJIS) ?? String(decoding: data, as: UTF8.self)
                hits += myNumberLike(in: text).map { "\(name): \($0)" }
            }
        }
        return hits
    }

    @Test("the scan itself: finds 12-digit runs however written, not 11, 13 or 16 digits, not inside a hash")
    func scanFindsWhatItShould() {
        for s in Self.myNumbers { #expect(!Self.myNumberLike(in: s).isEmpty, "\(s)") }
        #expect(Self.myNumberLike(in: "1234.5678.9012").count == 1 && Self.myNumberLike(in: "1234.5678.9012.3").isEmpty)
        for s in ["12345678901", "1234567890123", "1234567890123456", "1234 5678 9012 3456", "20261124153000",
                  String(repeating: "0123456789ab", count: 5) + "cdef", "a1b2"] {
            #expect(Self.myNumberLike(in: s).isEmpty, "\(s)")
        }
        #expect(Self.strings(["prev": "123456789012", "hash": "123456789012", "data": ["x": "123456789012"]], top: true) .contains("123456789012"))
    }

    // MARK: Intake through the domain

    @Test("R-ID-4 intake: a 12-digit value in any text field (or a ticket's institution) is refused on that field; no application")
    func intakeRefusesEveryTextField() throws {
        let form = SeededOffice.form
        let context = ValidationContext(today: SeededOffice.today)
        let good = SeededOffice.values()
        #expect(IntakeForm.check(form, values: good, context: context).application != nil)
        let textFields = form.fields.filter { $0.kind == .text }
        #expect(textFields.count >= 10, "\(textFields.map(\.id))")
        var insured = good
        insured["branch"] = "insured"
        insured["has_proxy"] = "proxy"
        for field in textFields {
            for n in Self.myNumbers {
                for base in [good, insured] {
                    var v = base
                    v[field.id] = n
                    let check = IntakeForm.check(form, values: v, context: context)
                    guard IntakeForm.isVisible(field, in: form, values: v) else { continue }
                    #expect(check.application == nil, "\(field.id) = \(n) was accepted")
                    #expect(check.problems.contains { $0.field == field.id }, "\(field.id) = \(n): \(check.problems.map(\.field))")
                }
            }
        }
        var tickets = good
        tickets["holds_valid_tickets"] = "yes"
        tickets.tickets = [TicketDraft(kind: "medical", institution: "123456789012病院", month: String(JapanDate.todayISO.prefix(7)))]
        #expect(IntakeForm.check(form, values: tickets, context: context).application == nil)
    }

    // MARK: The whole flow from the command line

    @Test("R-ID-4 a full office flow with a 12-digit value offered in every free-text option and in the server's file: nothing of it in any file or output; files 0600, folders 0700")
    func fullFlowWritesNoMyNumber() async throws {
        let root = try E2E.makeTempDir("privacy")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let cases = try SeededOffice.seed(data, count: 3)
        let journal = data.appendingPathComponent("journal.jsonl")
        var outputs: [String] = []
        func run(_ args: [String], _ op: String = "yamada") async throws -> E2E.Output {
            let out = try await Robust.madoguchi(args + (args[0] == "verify" ? [] : ["--operator", op]), dataDir: data)
            // What the program printed (the command line itself is the clerk's own typing); the path of
            // the server's file, named by the clerk, is taken out.
            outputs.append((out.stdout + out.stderr).replacingOccurrences(of: root.appendingPathComponent("kekka_123456789012.csv").path,
                                                                          with: "<result file>"))
            return out
        }
        func refused(_ args: [String], _ op: String = "yamada") async throws {
            let before = Robust.bytes(journal)
            let out = try await run(args, op)
            #expect(out.status != 0, "accepted: madoguchi \(args.joined(separator: " "))\n\(out.stdout)")
            #expect(out.stderr.contains("R-ID-4") || out.status == 64, "madoguchi \(args.joined(separator: " ")): \(out.stderr)")
            #expect(Robust.bytes(journal) == before, "refused, but the journal changed: \(args)")
        }

        // Every free-text option, with every form of the number: refused, nothing written.
        let batch = try await run(["prepare-batch", "--json"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let batchID = (try JSONSerialization.jsonObject(with: Data(batch.stdout.utf8)) as? [String: Any])?["id"] as? String ?? "?"
        for n in Self.myNumbers {
            try await refused(["withdraw", cases[0], "--reason", n])
            try await refused(["transfer-out", cases[0], "--to", n])
            try await refused(["requeue", cases[0], "--note", n])
            try await refused(["record-notice", cases[0], "--reason", "5", "--action", n])
            try await refused(["approve-batch", batchID, "--return", "--comment", n], "sato")
            try await refused(["set-server-number", cases[0], n])
            try await refused(["tickets", cases[0], "--kind", "medical", "--institution", n + "病院", "--month", String(JapanDate.todayISO.prefix(7))])
            try await refused(["correct", cases[0], "--field", "name=山田 次郎", "--reason", n])
            // A date option given the number: a usage error that must not echo it.
            try await refused(["withdraw", cases[0], "--reason", "本人の申し出", "--date", n])
            try await refused(["record-notice", cases[0], "--reason", "1", "--date", n])
        }
        let reminders = try await run(["reminders", "--json"])
        let reminderList = ((try? JSONSerialization.jsonObject(with: Data(reminders.stdout.utf8))) as? [String: Any])?["reminders"] as? [[String: Any]]
        let reminderID = try #require(reminderList?.first?["id"] as? String, "no reminder to mark done: \(reminders.stdout)")
        for n in Self.myNumbers { try await refused(["reminders", "done", reminderID, "--note", n]) }
        let done = try await run(["reminders", "done", reminderID, "--note", "確認済み"])
        #expect(done.status == 0, "\(done.stderr)")

        // The office's day: approve, export, the server's result file (whose messages and name carry a
        // 12-digit number, as a server message might), a hold, notices, the pending list as CSV.
        #expect(try await run(["approve-batch", batchID], "sato").status == 0)
        let export = try await run(["export-registrations", "--json"])
        #expect(export.status == 0, "\(export.stderr)")
        let exported = E2E.exports(data)
        let rows = exported.flatMap { String(data: (try? Data(contentsOf: $0)) ?? Data(), encoding: .shiftJIS)?
            .split(separator: "\r\n").map(String.init) ?? [] }
        #expect(rows.count == 3, "\(rows)")
        let result = root.appendingPathComponent("kekka_123456789012.csv")
        try ServerFile.write(try ServerFile.cp932([ServerFile.resultHeader,
                                                   rows[0] + ",2,個人番号 123456789012 の紐付けに誤りがあります",
                                                   rows[1] + ",1,",
                                                   rows[2] + ",2,番号１２３４－５６７８－９０１２を確認してください"]), to: result)
        let imported = try await run(["import-results", result.path])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        #expect(try await run(["record-notice", cases[1], "--reason", "1", "--yes"]).status == 0)
        #expect(try await run(["notice", cases[1], "--kind", "hold", "--pdf"]).status == 0)
        #expect(try await run(["notice", cases[0], "--kind", "pending"]).status == 0)
        #expect(try await run(["requeue", cases[0], "--note", "番号を直して再送（16桁 9876543200000000）"]).status == 0)
        #expect(try await run(["withdraw", cases[2], "--reason", "本人の申し出", "--yes"]).status == 0)
        #expect(try await run(["pending", "--all", "--csv", data.appendingPathComponent("reports/pending.csv").path]).status == 0)
        // The server's messages are kept, with the number masked (R-ID-4), and so is the file's name.
        let journalText = String(decoding: Robust.bytes(journal), as: UTF8.self)
        #expect(journalText.contains("個人番号 ************ の紐付けに誤りがあります"), "the failure message is kept, masked")
        #expect(journalText.contains("番号****－****－****を確認してください"))
        #expect(journalText.contains("kekka_************.csv"))
        #expect(try await run(["verify"]).status == 0)

        // The scan: every file under the data folder, and everything the commands printed.
        let hits = Self.scan(data) + outputs.flatMap { o in Self.myNumberLike(in: o).map { "output: \($0) in\n\(o.prefix(400))" } }
        #expect(hits.isEmpty, "個人番号-like values written:\n\(hits.joined(separator: "\n"))")
        // The flow did reach every kind of file.
        let names = FileManager.default.enumerator(atPath: data.path)?.compactMap { $0 as? String } ?? []
        for kind in ["journal.jsonl", "journal.jsonl.anchor", "exports/FI_HIM_0018_", "notices/", "reports/pending.csv"] {
            #expect(names.contains { $0.hasPrefix(kind) }, "no \(kind) in \(names)")
        }

        if FileManager.default.isExecutableFile(atPath: "/usr/bin/pango-view") {
            #expect(names.contains { $0.hasPrefix("notices/") && $0.hasSuffix(".pdf") }, "the PDF notice is scanned too: \(names)")
        }

        // Files 0600, folders 0700, all the way down.
        for name in names {
            let url = data.appendingPathComponent(name)
            let mode = try E2E.mode(url)
            let isDir = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            #expect(mode == (isDir ? 0o700 : 0o600), "\(name): \(String(mode, radix: 8))")
        }
        #expect(try E2E.mode(data) == 0o700)
    }

    // MARK: Start-up warnings

    @Test("start-up warns when the data folder or the journal is open to others: path, mode and the chmod, on stderr of every command")
    func widePermissionsWarnOnTheCommandLine() async throws {
        let root = try E2E.makeTempDir("perm")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try SeededOffice.seed(data, count: 1)
        let journal = data.appendingPathComponent("journal.jsonl")
        let quiet = try await Robust.madoguchi(["cases"], dataDir: data)
        #expect(quiet.status == 0 && !quiet.stderr.contains("権限"), "\(quiet.stderr)")

        chmod(data.path, 0o755)
        chmod(journal.path, 0o644)
        for args in [["cases"], ["verify"], ["pending"], ["reminders"]] {
            let out = try await Robust.madoguchi(args, dataDir: data)
            #expect(out.status == 0, "\(args): \(out.stderr)")
            #expect(out.stderr.contains("\(journal.path) の権限が 0644 です") && out.stderr.contains("chmod 600 \(journal.path)"),
                    "\(args): \(out.stderr)")
            #expect(out.stderr.contains("\(data.path) の権限が 0755 です") && out.stderr.contains("chmod 700 \(data.path)"),
                    "\(args): \(out.stderr)")
        }
        chmod(data.path, 0o700)
        chmod(journal.path, 0o600)
        let closed = try await Robust.madoguchi(["cases"], dataDir: data)
        #expect(!closed.stderr.contains("権限"))
    }

    @Test("the desk says it on its status line: the mode and the chmod to run, naming the folder")
    func widePermissionsWarnOnTheDesk() async throws {
        // A short path, so that the whole line fits in 80 columns.
        let root = URL(fileURLWithPath: "/tmp/mgp-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("d")
        try SeededOffice.seed(data, count: 1)
        chmod(data.path, 0o750)
        chmod(data.appendingPathComponent("journal.jsonl").path, 0o640)
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let screen = try await desk.tmux.waitForAll(["並び：", "chmod -R go-rwx \(data.path)"], timeout: 15)
        #expect(screen.contains("0750") && screen.contains("0640"), "\(screen)")
        #expect(screen.contains("権限"), "\(screen)")
    }
}
