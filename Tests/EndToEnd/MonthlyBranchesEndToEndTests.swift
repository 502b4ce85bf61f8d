import Foundation
import Testing

/// Issue 13, "Done when": the rarer branches of a monthly cycle on the real desk in tmux — a hold
/// お知らせ read after its run (R-HC-2 amended), status rows that do not confirm their case
/// (R-CF-3), a transfer before registration (R-IN-7). The cases are the two typed once by
/// `LifecycleCases` (training sandbox, 令和8年11月2日); steps before the branch go through the CLI.
@Suite("Monthly branches end to end (desk, issue 13)", .tags(.e2e), .timeLimit(.minutes(2)))
struct MonthlyBranchesEndToEndTests {
    static let a = LifecycleCases.assistanceCase, b = LifecycleCases.insuredCase

    /// The assistance-only case registered today from a script (maker-checker, export, result file).
    static func registerAssistanceCase(_ root: URL, _ data: URL) throws {
        let batchID = try #require(try LifecycleCommandLineEndToEndTests.json(["prepare-batch", "--operator", "yamada", "--json"], data).string("id"))
        _ = try LifecycleCommandLineEndToEndTests.json(["approve-batch", batchID, "--operator", "sato", "--json"], data)
        _ = try LifecycleCommandLineEndToEndTests.json(["export-registrations", "--json"], data)
        let row = "\(LifecycleCases.serverCode),\(LifecycleCases.assistanceServerNumber),\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),"
        let resultFile = root.appendingPathComponent("result.csv")
        try ServerFile.write(try ServerFile.result(exportedRows: [row]), to: resultFile)
        _ = try LifecycleCommandLineEndToEndTests.json(["import-results", resultFile.path, "--registered-on", Day.today.short, "--json"], data)
    }

    /// The journal's lines of one event type (signing lines have other types, so are never counted).
    static func journalLines(_ data: URL, type: String) throws -> [String] {
        try String(contentsOf: data.appendingPathComponent("journal.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { $0.contains("\"\(type)\"") }
    }

    /// The notice texts in `notices/`, by file name.
    static func noticeTexts(_ data: URL) -> [String: String] {
        let dir = data.appendingPathComponent("notices")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        var r: [String: String] = [:]
        for n in names where n.hasSuffix(".txt") {
            r[n] = try? String(contentsOf: dir.appendingPathComponent(n), encoding: .utf8)
        }
        return r
    }

    /// A screen's text with its rows joined and all spaces dropped, so a value the dialog wraps is found whole.
    static func flat(_ screen: String) -> String {
        screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
            .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "　", with: "").replacingOccurrences(of: "│", with: "")
    }

    /// F7 → 7 通知を作る on the case the desk shows, of the `kind`-th sort (1 受付控え … 4 転出先への連絡),
    /// without PDF; returns the text of the notice file it wrote (read from disk, not the screen).
    static func makeNotice(_ t: TmuxSession, _ data: URL, kind: String, label: String) async throws -> String {
        let before = Set(noticeTexts(data).keys)
        try t.keys("F7")
        try await t.waitFor("案件 \(a) に記録する")
        try t.keys("7", "Enter")
        try await t.waitFor("印刷用 PDF")
        let issued = try journalLines(data, type: "notice.issued").count
        try t.keys(kind)
        try await t.waitFor("< \(label)")
        try t.keys("Tab", "3")                                  // 作らない
        try await t.waitFor("< 作らない >")
        try t.keys("Enter")
        try await t.waitUntil("a new notice file", timeout: 10) { _ in noticeTexts(data).count > before.count }
        let texts = noticeTexts(data).filter { !before.contains($0.key) }
        #expect(texts.count == 1, "one notice written: \(texts.keys.sorted())")
        #expect(try journalLines(data, type: "notice.issued").count == issued + 1, "journaled (R-NT-4)")
        return try #require(texts.values.first)
    }

    @Test("R-HC-2 F7 hold with 月末処理の月 R8.12 read on 1/31: the y/n and the case show the run and 1/31, not 2/28; the hold notice says 「令和8年12月31日の処理で保留」")
    func holdReadAfterItsRun() async throws {
        let (root, data) = try await LifecycleCases.copy("monthly-hold-run")
        defer { E2E.remove(root) }
        let a = Self.a
        try Self.registerAssistanceCase(root, data)
        let run = Day.today.lastDayOfMonth(plus: 1)             // the first month-end run (R-DT-1)
        let recheck = Day.today.lastDayOfMonth(plus: 2)         // the end of the month after the run
        // Read on the last day of the month after the run: left blank, the stated rule would take that
        // day's own run (R-HC-2: a notice dated a month's last day) and re-check a month after the day
        // typed; the typed month must win.
        let readOn = recheck
        let monthAfterTyping = readOn.lastDayOfMonth(plus: 1)
        let runLabel = "令和\(JapanDate.reiwa(run.year))年\(run.month)月"
        try StatusRowsEndToEndTests.clock(readOn, data)

        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        let list = try await t.waitForAll(["並び：", "登録済み"], timeout: 10)
        #expect(E2E.line(containing: a, in: list).contains("登録済み"), "\(list)")

        // F7 → 1: reason 1, the お知らせ's date (today, offered), the run typed as the clerk reads it.
        try t.keys("Home", "F7")
        try await t.waitFor("案件 \(a) に記録する")
        try t.keys("1", "Enter")
        try await t.waitFor("案件 \(a)：保留・取消のお知らせを記録")
        try t.keys("Enter", "Enter")                            // 理由 → 日付 → 月末処理の月
        try t.type("R\(JapanDate.reiwa(run.year)).\(run.month)")
        try t.keys("Enter")
        let ask = try await t.waitForAll(["y：記録する", "新：保留"])
        let asked = Self.flat(ask)
        #expect(asked.contains("\(runLabel)末の月末処理、次の確認\(recheck.long)"), "the run and its re-check on the y/n:\n\(ask)")
        #expect(!asked.contains(monthAfterTyping.long), "not a month after the day typed:\n\(ask)")
        #expect(try Self.journalLines(data, type: "server.held").isEmpty, "nothing written before y")
        try t.keys("y")
        let held = try await t.waitUntil("\(a) 保留 \(recheck.short)") { s in
            let l = E2E.line(containing: a, in: s)
            return l.contains("保留") && l.contains(recheck.short)
        }
        #expect(!E2E.line(containing: a, in: held).contains(monthAfterTyping.short), "\(held)")
        let journaled = try #require(try Self.journalLines(data, type: "server.held").last)
        #expect(journaled.contains(String(format: "\"run\":\"%04d-%02d\"", run.year, run.month)), "\(journaled)")

        // The case screen: the hold, its run and the re-check date.
        try t.keys("Enter")
        let detail = try await t.waitForAll(["案件 \(a)", "次の確認"])
        #expect(Self.flat(detail).contains("\(runLabel)末の処理次の確認\(recheck.long)"), "\(detail)")

        // F7 → 7 通知を作る → 2 保留の通知: it names the run that held the request.
        let notice = try await Self.makeNotice(t, data, kind: "2", label: "保留の通知")
        let text = Self.flat(notice)
        #expect(text.contains("月末処理\(run.long)の処理で保留"), "the run, by its month-end day:\n\(notice)")
        #expect(text.contains("次の再確認\(recheck.long)"), "\(notice)")
        try t.keys("Escape", "Escape", "F10")
        try await t.waitFor("EXITED:0", timeout: 10)
        #expect(try E2E.statuses(data)[a] == "held")
    }

    @Test("R-CF-3 F4 → 2: another route (区分 2) and a re-registration (状態 1, later 初回登録日) listed by row with what to do; F7 on the report records the re-registration")
    func statusRowsThatDoNotConfirm() async throws {
        let (root, data) = try await LifecycleCases.copy("monthly-status-rows")
        defer { E2E.remove(root) }
        let a = Self.a, b = Self.b
        try Self.registerAssistanceCase(root, data)
        let run = Day.today.lastDayOfMonth(plus: 1)
        let later = Day.today.lastDayOfMonth(plus: 2)
        // a's cancellation confirmed by the month's file (CLI), read early the month after the run.
        try StatusRowsEndToEndTests.clock(Day(year: later.year, month: later.month, day: 5), data)
        let first = root.appendingPathComponent("status1.csv")
        try ServerFile.writeAssistanceStatus(cancelledOn: run.compact, to: first)
        _ = try LifecycleCommandLineEndToEndTests.json(["import-status", first.path, "--json"], data)
        #expect(try E2E.statuses(data) == [a: "confirmed", b: "waiting_for_insurer"])

        // The next month's file: a registered again on the 14th (状態 1), b cancelled by another route (区分 2).
        let next = later.lastDayOfMonth(plus: 1)
        try StatusRowsEndToEndTests.clock(Day(year: next.year, month: next.month, day: 2), data)
        let again = Day(year: later.year, month: later.month, day: 14)
        let p = LifecycleCases.publicPayerNumber
        let file = root.appendingPathComponent("status2.csv")
        try ServerFile.write(try ServerFile.cp932([
            ServerFile.statusHeader,
            "\(p),,\(LifecycleCases.assistanceRecipient),,\(LifecycleCases.assistanceServerNumber),1,\(again.compact),\(run.compact),1,",
            "\(p),,\(LifecycleCases.insuredRecipient),,\(LifecycleCases.insuredServerNumber),0,20210401,\(run.compact),2,",
        ]), to: file)

        let desk = try DeskSession(dataDir: data, height: 40)
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["並び：", "解除確認済み"], timeout: 10)
        try t.keys("F4")
        try await t.waitFor("取り込むファイル")
        try t.keys("2", "Enter")
        try await t.waitFor("状況一覧ファイル（月次）を取り込む")
        try t.type(file.path)
        try t.keys("Enter", "Enter")
        let report = try await t.waitForAll(["取り込みました", "解除のあと再登録した人", "別の経路で解除された人", "F7/^T 再登録を記録"], timeout: 10)
        let whole = E2E.unwrapped(report)
        #expect(whole.contains("2行目 \(a)"), "\(report)")
        #expect(whole.contains("3行目 \(b)"), "\(report)")
        #expect(Self.flat(report).contains("再登録日は\(again.long)"), "what to do, with the file's date:\n\(report)")
        #expect(Self.flat(report).contains("解除区分の意味と事情"), "what to do for another route:\n\(report)")
        #expect(try E2E.statuses(data) == [a: "confirmed", b: "waiting_for_insurer"], "no row confirms anything")
        #expect(try Self.journalLines(data, type: "case.reregistered").isEmpty)

        // F7 on the report: the offer by row, the date from the file, recorded.
        try t.keys("F7")
        try await t.waitForAll(["再登録を記録する（R-CF-3, R-PT-2）", "2行目 \(a)"])
        try t.keys("Enter")
        try await t.waitForAll(["再登録した日", again.long])
        try t.keys("Enter")
        try await t.waitUntil("the re-registration in the journal", timeout: 10) { _ in
            ((try? Self.journalLines(data, type: "case.reregistered")) ?? []).count == 1
        }
        let line = try #require(try Self.journalLines(data, type: "case.reregistered").first)
        #expect(line.contains(String(format: "%04d-%02d-%02d", again.year, again.month, again.day)), "\(line)")

        // The case's history shows it.
        try t.keys("Escape")
        try await t.waitFor("並び：")
        try t.keys("Home", "Enter")
        let history = try await t.waitForAll(["案件 \(a)", "履歴"])
        #expect(Self.flat(history).contains("再登録を確認（\(again.long)、紙の券は翌月から不要）"), "\(history)")
        try t.keys("Escape", "F10")
        try await t.waitFor("EXITED:0", timeout: 10)
    }

    @Test("R-IN-7 F7 → 転出 before registration: the y/n says the request is lost and names 転出先への連絡; the notice made after says it was not registered")
    func transferBeforeRegistration() async throws {
        let (root, data) = try await LifecycleCases.copy("monthly-transfer")
        defer { E2E.remove(root) }
        let a = Self.a
        #expect(try E2E.statuses(data)[a] == "awaiting_registration")
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["並び：", "登録待ち"], timeout: 10)
        try t.keys("Home", "F7")
        try await t.waitFor("案件 \(a) に記録する")
        try t.keys("4", "Enter")
        try await t.waitFor("転出先の事務所")
        try t.type("横浜市中福祉事務所")
        try t.keys("Enter", "Enter")                            // 転出先 → 転出日 (today) → the y/n
        let ask = try await t.waitForAll(["y：記録する", "転出先への連絡"])
        let asked = Self.flat(ask)
        #expect(asked.contains("この申請はこの事務所でも転出先でも登録されません"), "\(ask)")
        #expect(asked.contains("通知「転出先への連絡」"), "\(ask)")
        #expect(try Self.journalLines(data, type: "case.transferred_out").isEmpty, "nothing written before y")
        try t.keys("y")
        try await t.waitUntil("\(a) 転出") { E2E.line(containing: a, in: $0).contains("転出") }
        #expect(try E2E.statuses(data)[a] == "transferred_out")

        // F7 → 通知を作る → 4 転出先への連絡: the file says the request was not registered.
        let notice = try await Self.makeNotice(t, data, kind: "4", label: "転出先への連絡")
        let text = Self.flat(notice)
        #expect(text.contains("横浜市中福祉事務所御中"), "\(notice)")
        #expect(text.contains("転出の前に中間サーバーへ登録していません"), "\(notice)")
        #expect(!text.contains("中間サーバーへ登録しました"), "\(notice)")
        try t.keys("Escape", "F10")
        try await t.waitFor("EXITED:0", timeout: 10)
    }
}
