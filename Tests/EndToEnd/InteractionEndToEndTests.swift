import Foundation
import Testing

/// Issue 11 through the real terminal: a menu's digit and the Enter its hint asks for (item 2), and
/// `/` search on the case list and the pending list, and `cases --search` (item 4).
@Suite("Menus, forms and search end to end (issue 11)", .tags(.e2e), .timeLimit(.minutes(1)))
struct InteractionEndToEndTests {
    static func cases(_ args: [String], _ data: URL) throws -> [[String: Any]] {
        let out = try E2E.madoguchi(["cases", "--json"] + args, dataDir: data)
        #expect(out.status == 0, "cases \(args): \(out.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
    }

    @Test("F4 → 1 → Enter: the report is not closed by one Enter more; F7 → 1 → Enter → a date typed: nothing lands in 取消後の対応, the hold gets the date typed into its date field")
    func menuDigitThenEnter() async throws {
        let (root, data) = try await LifecycleCases.copy("interact-menu")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase
        // A registered case to hold: batch prepared, approved and written from the command line.
        let prepared = try E2E.madoguchi(["prepare-batch", "--operator", "yamada", "--json"], dataDir: data)
        let batch = try #require(try JSONSerialization.jsonObject(with: Data(prepared.stdout.utf8)) as? [String: Any], "\(prepared.stderr)")
        let batchID = try #require(batch["id"] as? String)
        #expect(try E2E.madoguchi(["approve-batch", batchID, "--operator", "sato"], dataDir: data).status == 0)
        #expect(try E2E.madoguchi(["export-registrations"], dataDir: data).status == 0)
        let row = "\(LifecycleCases.serverCode),\(LifecycleCases.assistanceServerNumber),\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),"
        let resultFile = root.appendingPathComponent("result.csv")
        try ServerFile.write(try ServerFile.result(exportedRows: [row]), to: resultFile)

        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await desk.waitForDesk()

        // F4 → 1 → Enter opens the result-file form (the digit alone only highlights).
        try t.keys("F4")
        try await t.waitFor("数字か ↑↓ で選び、Enter で決定")
        try t.keys("1")
        try await t.waitFor("> 1 登録結果ファイル")
        #expect(!(try t.capture()).contains("を取り込む "), "a digit alone does not open the form")
        try t.keys("Enter")
        try await t.waitFor("登録結果ファイル（処理結果）を取り込む")
        try t.type(resultFile.path)
        // path → date → skip → import, and one Enter more typed ahead: the report stays.
        try t.keys("Enter", "Enter", "Enter", "Enter")
        try await t.waitForAll(["取り込みました", "Esc を押します"], timeout: 10)
        try t.keys("Escape")
        try await t.waitUntil("the list, \(a) 登録済み") { E2E.line(containing: a, in: $0).contains("登録済み") }

        // The sandbox's day moves on (another terminal), so that a notice date between the registration
        // (令和8年11月2日, the import's default) and today (11月20日) can be typed: a date after today
        // or before the registration is refused (R-HC-1), and today's is already in the field.
        #expect(try E2E.madoguchi(["training", "clock", "--to", "R8.11.20"], dataDir: data).status == 0)
        try await t.waitFor("令和8年11月20日", timeout: 10)
        // F7 → 1 → Enter → the date typed at once, as in the issue.
        let typed = Day(year: 2026, month: 11, day: 10)
        try t.keys("Home", "F7")
        try await t.waitFor("案件 \(a) に記録する")
        try t.keys("1", "Enter")
        try await t.waitFor("案件 \(a)：保留・取消のお知らせを記録")
        let form = try t.capture()
        #expect(!form.contains("取消後の対応"), "a hold (#1) shows no 取消後の対応\n\(form)")
        try t.type(typed.short)
        try await t.waitFor("は選ぶ欄です")                    // refused where the cursor is (理由, a choice)
        #expect(E2E.line(containing: "理由", in: try t.capture()).contains("#1"), "the typed digits picked no reason")
        // As the hint says: Enter moves to the date; clear it, type it, Enter to 月末処理の月 (blank:
        // the stated rule, R-HC-2), Enter records.
        try t.keys("Enter", "C-u")
        try t.type(typed.short)
        try t.keys("Enter")
        try await t.waitFor("Enter で記録")
        try t.keys("Enter")
        try await t.waitFor("y：記録する")                    // item 5: the hold is asked first
        try t.keys("y")
        try await t.waitUntil("\(a) 保留") { E2E.line(containing: a, in: $0).contains("保留") }
        try t.keys("F10")
        try await t.waitFor("EXITED:0")

        let caseA = try #require(try Self.cases([], data).first { $0["number"] as? String == a })
        let holds = try #require(caseA["holds"] as? [[String: Any]])
        #expect(holds.count == 1)
        #expect(holds.first?["noticeDate"] as? String == String(format: "%04d-%02d-%02d", typed.year, typed.month, typed.day),
                "the hold has the date typed: \(holds)")
        let journal = try String(contentsOf: data.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(!journal.contains("server.cancelled"))
    }

    @Test("/ on the case list and the pending list: typing jumps (hiragana, half-width alike), n/N, Esc; cases --search the same")
    func search() async throws {
        let (root, data) = try await LifecycleCases.copy("interact-search")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase, b = LifecycleCases.insuredCase

        let desk = try DeskSession(dataDir: data, arguments: ["--operator", "sato"])
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["案件一覧　2件", "/ 検索"], timeout: 10)
        try t.keys("/")
        try await t.waitFor("番号・氏名・フリガナ・受給者番号")
        try t.type("ｽｽﾞｷ")                                    // half-width: 鈴木 花子 (stored スズキ　ハナコ)
        try await t.waitForAll(["/ｽｽﾞｷ", "1件中1件目"])
        try t.keys("Enter", "Enter")                           // keep the position; open the case
        try await t.waitFor("案件 \(b)")
        try t.keys("Escape")
        try await t.waitFor("並び：")
        try t.keys("/")
        try t.type("さとう")
        try await t.waitFor("該当なし：さとう")
        try t.keys("C-u")
        let year = String(JapanDate.today().year)
        try t.type(year)
        try await t.waitFor("2件中1件目")
        try t.keys("Enter", "n")
        try await t.waitFor("「\(year)」2件中2件目")
        try t.keys("N")
        try await t.waitFor("「\(year)」2件中1件目")
        try t.keys("Escape")
        try await t.waitFor("検索を解除しました")

        // The pending list (F8): the same search.
        try t.keys("F8")
        try await t.waitFor("未完了一覧")
        try t.keys("/")
        try t.type("たろう")
        try await t.waitFor("1件中1件目")
        try t.keys("Enter", "Enter")
        try await t.waitFor("案件 \(a)")
        try t.keys("F10")
        try await t.waitFor("EXITED:0")

        // The command line shares the matching.
        let found = try Self.cases(["--search", "ﾔﾏﾀﾞ"], data)
        #expect(found.map { $0["number"] as? String } == [a])
        #expect(try Self.cases(["--search", "さとう"], data).isEmpty)
        let human = try E2E.madoguchi(["cases", "--search", "さとう"], dataDir: data)
        #expect(human.status == 0 && human.stdout.contains("該当なし：さとう"), "\(human.stdout)")
        let byNumber = try E2E.madoguchi(["cases", "--search", String(b.suffix(4))], dataDir: data)
        #expect(byNumber.stdout.contains(b) && !byNumber.stdout.contains(a + "\t"), "\(byNumber.stdout)")
        let blank = try E2E.madoguchi(["cases", "--search", "　"], dataDir: data)
        #expect(blank.status == 1 && blank.stderr.contains("--search"), "\(blank.stderr)")
    }
}
