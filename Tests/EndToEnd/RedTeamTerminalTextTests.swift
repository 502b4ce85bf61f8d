import Foundation
import MadoguchiCore
import Testing

/// Issue 12 item 5 (R-FL-5), on the command line: a result file whose 処理結果メッセージ clears the
/// screen (ESC [2J) and sets the terminal's clipboard (OSC 52 … BEL), under a file name carrying an
/// ESC and a right-to-left override, is imported; nothing the commands then print — import-results,
/// reminders (text and JSON), cases — holds a raw control character, and neither does the
/// supervisor's CSV. The message is shown with the characters as code points (`<U+001B>`).
@Suite("Red team: terminal control from a file never reaches the terminal (R-FL-5)", .tags(.e2e), .serialized)
struct RedTeamTerminalTextTests {
    /// What a terminal would obey: C0 other than LF and TAB, DEL, C1, bidi controls.
    static func rawControls(_ s: String) -> [String] {
        s.unicodeScalars.filter { u in
            (u.value < 0x20 && u != "\n" && u != "\t") || (0x7F...0x9F).contains(u.value)
                || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
        }.map { String(format: "U+%04X", $0.value) }
    }

    @Test("R-FL-5 import-results, reminders, cases and the pending CSV write no ESC, BEL or bidi override from the server's file")
    func escapesFromAResultFileNeverReachTheTerminal() async throws {
        let root = try E2E.makeTempDir("redteam-text")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let cases = try SeededOffice.seed(data, count: 2)
        var printed: [(String, String)] = []
        func run(_ args: [String], _ op: String = "yamada") async throws -> E2E.Output {
            let out = try await Robust.madoguchi(args + (args[0] == "cases" ? [] : ["--operator", op]), dataDir: data)
            #expect(out.status == 0, "madoguchi \(args.joined(separator: " ")): \(out.stderr)")
            printed.append((args.joined(separator: " "), out.stdout + out.stderr))
            return out
        }
        let batch = try await run(["prepare-batch", "--json"])
        let batchID = try #require((try JSONSerialization.jsonObject(with: Data(batch.stdout.utf8)) as? [String: Any])?["id"] as? String,
                                   "\(batch.stdout)\(batch.stderr)")
        #expect(try await run(["approve-batch", batchID], "sato").status == 0)
        #expect(try await run(["export-registrations"]).status == 0)
        let rows = E2E.exports(data).flatMap { String(data: (try? Data(contentsOf: $0)) ?? Data(), encoding: .shiftJIS)?
            .split(separator: "\r\n").map(String.init) ?? [] }
        #expect(rows.count == 2, "\(rows)")

        let attack = "\u{1B}[2J\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}登録できません\u{1B}[31m"
        let result = root.appendingPathComponent("kekka\u{1B}[2J\u{202E}vsc.csv")
        try ServerFile.write(try ServerFile.cp932([ServerFile.resultHeader, rows[0] + ",2," + attack, rows[1] + ",1,"]), to: result)
        let imported = try await run(["import-results", result.path])
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        // Shown, not obeyed: the message is there to read, its ESC as a code point.
        #expect(imported.stdout.contains("<U+001B>[2J<U+001B>]52;c;ZWNobyBwd25lZA==<U+0007>登録できません"), "\(imported.stdout)")
        _ = try await run(["reminders"])
        let json = try await run(["reminders", "--json"])
        _ = try await run(["cases"])
        _ = try await run(["cases", "--json"])
        // What the clerk typed, echoed back (「該当なし：…」): through the same guard as stored text.
        let search = try await run(["cases", "--search", "\u{1B}[2J\u{202E}該当者なし"])
        #expect(search.stdout.contains("該当なし：<U+001B>[2J<U+202E>該当者なし"), "\(search.stdout)")
        let reports = data.appendingPathComponent("reports")
        #expect(try await run(["pending", "--all", "--csv", reports.path + "/"]).status == 0)
        let reminders = try #require(printed.first { $0.0 == "reminders" }?.1)
        #expect(reminders.contains(cases[0]) && reminders.contains("<U+001B>[2J"), "\(reminders)")

        for (command, output) in printed {
            #expect(Self.rawControls(output).isEmpty, "madoguchi \(command.debugDescription) printed \(Self.rawControls(output)):\n\(output.debugDescription)")
        }
        let csvFiles = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { $0.hasSuffix(".csv") }
        #expect(csvFiles.count == 1, "\(csvFiles)")
        for f in csvFiles {
            let bytes = try Data(contentsOf: reports.appendingPathComponent(f))
            let text = String(data: bytes, encoding: .utf8) ?? String(data: bytes, encoding: .shiftJIS) ?? ""
            #expect(text.contains("<U+001B>[2J"), "\(f): \(text)")
            // CRLF ends the rows; nothing else.
            #expect(Self.rawControls(text.replacingOccurrences(of: "\r\n", with: "\n")).isEmpty, "\(f): \(text.debugDescription)")
        }
        // The JSON is still JSON, with the message as stored (its control characters as code points).
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil, "\(json.stdout)")
        #expect(json.stdout.contains("<U+001B>[2J"), "\(json.stdout)")
    }
}
