import Foundation
import Testing

/// Issue 11 items 5 and 6 through the real terminal: a withdrawal is shown old → new and asked y/n
/// before anything is written (desk and command line), and after saving an application one key
/// writes the 受付控え.
@Suite("Confirmations and the receipt key end to end (issue 11)", .tags(.e2e), .timeLimit(.minutes(2)))
struct ConfirmEndToEndTests {
    static func journal(_ data: URL) throws -> Data { try Data(contentsOf: data.appendingPathComponent("journal.jsonl")) }

    @Test("desk: F7 → 取下げ shows 状態 登録待ち → 取下げ and asks; n goes back with the reason kept and writes nothing; y records")
    func withdrawAsksInTheDesk() async throws {
        let (root, data) = try await LifecycleCases.copy("confirm-withdraw")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase
        let before = try Self.journal(data)

        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["案件一覧　2件", "並び："], timeout: 10)
        try t.keys("Home", "F7")
        try await t.waitFor("案件 \(a) に記録する")
        try t.keys("5", "Enter")                          // a digit highlights, Enter opens (item 2)
        try await t.waitFor("案件 \(a)：取下げを記録")
        try t.type("本人から取下げの申し出")
        try t.keys("Enter", "Enter")
        let ask = try await t.waitForAll(["現在：登録待ち → 新：取下げ", "y：記録する", "案件 \(a)", "山田　太郎"])
        #expect(ask.contains("取り消せません"), "\(ask)")
        #expect(try Self.journal(data) == before, "nothing is written before y")

        try t.keys("n")
        let back = try await t.waitForGone("y：記録する")
        #expect(back.contains("本人から取下げの申し出"), "the form keeps what was typed:\n\(back)")
        #expect(try Self.journal(data) == before)

        try t.keys("Enter")
        try await t.waitFor("現在：登録待ち → 新：取下げ")
        try t.keys("y")
        let done = try await t.waitUntil("\(a) 取下げ", timeout: 10) { s in s.contains("取下げを記録しました") }
        #expect(done.contains("取下げを記録しました"), "\(done)")
        let lines = String(decoding: try Self.journal(data), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == String(decoding: before, as: UTF8.self).split(separator: "\n").count + 1)
        #expect(lines.last?.contains("\"case.withdrawn\"") == true)
    }

    @Test("command line: withdraw without --yes and without a terminal is refused (exit 1), nothing written; on a terminal it asks; --yes records")
    func withdrawOnTheCommandLine() async throws {
        let (root, data) = try await LifecycleCases.copy("confirm-cli")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase
        let before = try Self.journal(data)

        let refused = try E2E.madoguchi(["withdraw", a, "--reason", "本人の申し出"], dataDir: data)
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("--yes"), "\(refused.stderr)")
        #expect(refused.stderr.contains("状態　現在：登録待ち → 新：取下げ"), "the change is shown: \(refused.stderr)")
        #expect(!refused.stderr.contains("Error"))
        #expect(try Self.journal(data) == before)

        // On a terminal: the question, n writes nothing (exit 1)…
        let no = try DeskSession(dataDir: data, arguments: ["withdraw", a, "--reason", "本人の申し出"])
        try await no.tmux.waitForAll(["現在：登録待ち → 新：取下げ", "記録しますか？（y/n）"], timeout: 10)
        try no.tmux.type("n"); try no.tmux.keys("Enter")
        let noScreen = try await no.tmux.waitFor("EXITED:1")
        #expect(noScreen.contains("記録しませんでした"))
        no.close()
        #expect(try Self.journal(data) == before)

        // …y records.
        let yes = try DeskSession(dataDir: data, arguments: ["withdraw", a, "--reason", "本人の申し出"])
        try await yes.tmux.waitFor("記録しますか？（y/n）", timeout: 10)
        try yes.tmux.type("y"); try yes.tmux.keys("Enter")
        let yesScreen = try await yes.tmux.waitFor("EXITED:0")
        #expect(yesScreen.contains("取下げを記録しました"), "\(yesScreen)")
        yes.close()

        // --yes on the other case, from a script: no question.
        let b = LifecycleCases.insuredCase
        let scripted = try E2E.madoguchi(["transfer-out", b, "--to", "隣市福祉事務所", "--yes"], dataDir: data)
        #expect(scripted.status == 0, "\(scripted.stderr)")
        #expect(!scripted.stderr.contains("記録しますか"))
        #expect(try E2E.statuses(data) == [a: "withdrawn", b: "transferred_out"])
    }

    @Test("R-SG-2 command line: a waiting batch is in the supervisor's reminders, a returned one in the preparer's with the comment; neither can be marked done")
    func signOffReminders() async throws {
        let (root, data) = try await LifecycleCases.copy("confirm-signoff")
        defer { E2E.remove(root) }
        let prepared = try E2E.madoguchi(["prepare-batch", "--json"], dataDir: data)   // by 山田 花子 (MADOGUCHI_OPERATOR)
        #expect(prepared.status == 0, "\(prepared.stderr)")
        let id = (try JSONSerialization.jsonObject(with: Data(prepared.stdout.utf8)) as? [String: Any])?["id"] as? String ?? "?"
        let boss = try E2E.madoguchi(["reminders", "--operator", "sato"], dataDir: data)
        #expect(boss.stdout.contains("一括登録の承認待ち（R-SG-2）"), "\(boss.stdout)")
        #expect(boss.stdout.contains("一括登録 \(id)（1件、準備 山田 花子）が承認を待っています"), "\(boss.stdout)")
        let preparer = try E2E.madoguchi(["reminders"], dataDir: data)
        #expect(preparer.status == 0)
        #expect(!preparer.stdout.contains("承認を待っています"), "\(preparer.stdout)")

        let back = try E2E.madoguchi(["approve-batch", id, "--return", "--comment", "住所を確かめて", "--operator", "sato"], dataDir: data)
        #expect(back.status == 0, "\(back.stderr)")
        let clerk = try E2E.madoguchi(["reminders"], dataDir: data)
        #expect(clerk.stdout.contains("が差し戻されました（佐藤 一郎、\(Day.today.long)）：住所を確かめて"), "\(clerk.stdout)")
        let before = try Self.journal(data)
        let done = try E2E.madoguchi(["reminders", "done", "batch_returned:\(id)"], dataDir: data)
        #expect(done.status == 1)
        #expect(done.stderr.contains("prepare-batch"), "\(done.stderr)")
        #expect(try Self.journal(data) == before)
    }

    @Test("R-NT-1 after 保存しました one key (P) writes the 受付控え (and prints it where a printer is set): the text and its journal line")
    func receiptOnOneKey() async throws {
        let root = try E2E.makeTempDir("confirm-receipt")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await desk.waitForDesk()
        try await typeAssistanceOnlyApplication(t, recipient: "1234566", serverNumber: "1234567890123456")
        try await t.waitFor("保存できます。")
        try t.keys("F2")
        let number = JapanDate.firstCaseNumber
        let saved = try await t.waitFor("保存しました（案件番号 \(number)）")
        #expect(saved.contains("P：受付控え"), "the status line names the key:\n\(saved)")
        try t.keys("P")
        let made = try await t.waitFor("を作りました", timeout: 15)
        #expect(made.contains("受付控え"), "\(made)")
        // The demo office names no printer: the 受付控え is written all the same and the report says so.
        #expect(E2E.unwrapped(made).contains("プリンターが設定されていません"), "\(made)")
        let notices = data.appendingPathComponent("notices")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: notices.path)) ?? []
        #expect(files.contains("\(number)-pending-1.txt"), "\(files)")
        let text = try String(contentsOf: notices.appendingPathComponent("\(number)-pending-1.txt"), encoding: .utf8)
        #expect(text.contains("山田"), "the 受付控え names the applicant")
        let journal = String(decoding: try Self.journal(data), as: UTF8.self)
        #expect(journal.split(separator: "\n").filter { $0.contains("\"notice.issued\"") }.count == 1)
    }
}
