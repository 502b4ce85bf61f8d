import Foundation
import Testing

/// Issue 13, "Done when": a whole monthly cycle in tmux through each new branch, read off the screen
/// as a clerk reads it —
/// scenario 11, a cancel (#5) after which paper tickets go on (R-PT-4, R-HC-3);
/// scenario 14, an insured applicant who never goes to the insurer until the office asks (R-CF-4);
/// a request registered by hand on the 統合専用端末 (R-RG-8) confirmed by the status file, and
/// scenario 10, a result file that says "already registered" (R-RG-6: do not register again).
/// Each ends in full marks on the desk (F11 → g).
@Suite("Branch cycles end to end: the rarer branches through a month (issue 13)", .tags(.e2e), .serialized)
struct BranchCyclesEndToEndTests {
    /// The sandbox's journal lines of `type` (the lines of the signing, `EventType.trust`, never counted).
    static func journalLines(_ data: URL, type: String) throws -> [String] {
        let files = FileManager.default.enumerator(at: data, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.lastPathComponent == "journal.jsonl" } ?? []
        let journal = try #require(files.first, "no journal under \(data.path)")
        return String(decoding: try Data(contentsOf: journal), as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { $0.contains("\"type\":\"\(type)\"") }
    }

    /// On the 研修 screen: d → `item` (2: the month's last day, 4: a day typed) and y, as a trainer
    /// would move the day; returns the screen that says the day has moved.
    @discardableResult
    static func moveClock(_ t: TmuxSession, item: String, typing typed: String? = nil, to day: String,
                          delivered: String? = nil) async throws -> String {
        try t.keys("d", item, "Enter")
        if let typed {
            try await t.waitFor("研修の日付を指定する")
            try t.type(typed)
            try t.keys("Enter")
        }
        try await t.waitForAll(["研修の日付を進める", day], timeout: 10)
        try t.keys("y")
        return try await t.waitForAll(["研修の今日を\(day)"] + (delivered.map { [$0] } ?? []), timeout: 10)
    }

    /// From the case list, the first case's F7 menu → `item` (a digit, or a for the eleventh) → its form.
    static func caseAction(_ t: TmuxSession, _ item: String, _ title: String) async throws {
        try await backToList(t)
        try t.keys("Home", "F7")
        try await t.waitFor("に記録する")
        try t.keys(item, "Enter")
        try await t.waitFor(title)
    }

    /// Esc until the case list (its footer names F8 未完了) is on the screen (from a report, a case,
    /// the grade, the 研修 screen).
    static func backToList(_ t: TmuxSession) async throws {
        for _ in 0..<4 {
            if try t.capture().contains("F8 未完了") { return }
            try t.keys("Escape")
            try await Task.sleep(for: .milliseconds(300))
        }
        try await t.waitFor("F8 未完了")
    }

    /// The grade's row of scenario `id` with its counts (○ × …), which may wrap onto the next line.
    static func gradeRow(_ id: String, in grade: String) -> String {
        let lines = grade.split(separator: "\n").map(String.init)
        guard let i = lines.firstIndex(where: { $0.contains("[\(id)]") }) else { return "" }
        return lines[i...].prefix(2).map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }

    /// Scenario `id`'s person arrives on `day` (yyyymmdd `stamp`): typed, saved, in the bulk file with
    /// its sign-off, and the result file delivered to the inbox.
    static func exported(_ label: String, on day: String, stamp: String, recipient: String, serverNumber: String,
                         furigana: String, name: String, birth: String) async throws -> (URL, DeskSession) {
        let (data, desk) = try await TrainingBranchesEndToEndTests.arrive(label, on: day, recipient: recipient, serverNumber: serverNumber,
                                                                          furigana: furigana, name: name, birth: birth)
        do {
            try await TrainingEndToEndTests.saveAndExport(desk.tmux)
            try await desk.tmux.waitFor("result_FI_HIM_0018_D1300019_\(stamp).csv", timeout: 10)
        } catch {
            desk.close()
            throw error
        }
        return (data, desk)
    }

    /// F11 → g: scenario `id` in full marks (`counts`, e.g. ○7 ×0) on the desk; then F10 leaves cleanly.
    static func fullMarks(_ t: TmuxSession, _ id: String, _ counts: String) async throws {
        let grade = try await TrainingEndToEndTests.deskGrade(t, "[\(id)]")
        #expect(Self.gradeRow(id, in: grade).contains(counts), "\(grade)")
        try t.keys("F10")
        try await t.waitFor("EXITED:0")
    }

    // MARK: Scenario 11

    @Test("R-PT-4, R-HC-3: scenario 11 — cancel #5 recorded from the お知らせ; January's tickets missed is named, then issued with F7 → 9: full marks")
    func cancelledTicketsContinue() async throws {
        // 小川 恵子 arrives on 11/17 with valid tickets; the application, the bulk file, the result.
        let (data, desk) = try await Self.exported(
            "branch-cancel-tickets", on: "R8.11.17", stamp: "20261117", recipient: "1011105", serverNumber: "0000123400000011",
            furigana: "ｵｶﾞﾜ ｹｲｺ", name: "小川　恵子", birth: "S33.8.21")
        defer { desk.close() }
        let t = desk.tmux
        try await TrainingEndToEndTests.importResult(t)

        // December, then its last day: the server's month-end run cancels her request (#5) and its
        // お知らせ comes to the inbox (R-HC-1).
        try t.keys("Escape", "F11")
        try await TrainingEndToEndTests.nextMonth(t, "令和8年12月1日")
        try await Self.moveClock(t, item: "2", to: "令和8年12月31日", delivered: "notice_20261231.txt")
        let before = try await TrainingEndToEndTests.deskGrade(t, "[11]")
        #expect(E2E.unwrapped(before).contains("取消のお知らせが届いたところです"), "\(before)")

        // F7 → 1: 理由 #5, the お知らせ's day, and what was done after it (R-HC-3); shown and asked first.
        try await Self.caseAction(t, "1", "保留・取消のお知らせを記録")
        try t.keys("5", "Enter")
        try await t.waitFor("取消後の対応")
        try t.type("R8.12.31"); try t.keys("Enter")
        try t.type("本人に電話。カード返納済み。1月以降も紙の券を交付"); try t.keys("Enter")
        try await t.waitForAll(["→ 新：取消", "y：記録する"])
        #expect(try Self.journalLines(data, type: "server.cancelled").isEmpty, "nothing written before y")
        try t.keys("y")
        try await t.waitUntil("取消 on the list") { E2E.line(containing: "小川", in: $0).contains("取消") }
        let cancelled = try Self.journalLines(data, type: "server.cancelled")
        #expect(cancelled.count == 1 && cancelled[0].contains("紙の券を交付"), "\(cancelled)")

        // A week into January with no tickets for January: the grade names the fault (R-PT-4).
        try t.keys("F11")
        try await Self.moveClock(t, item: "4", typing: "R9.1.8", to: "令和9年1月8日")
        let missed = try await TrainingEndToEndTests.deskGrade(t, "[11]")
        #expect(Self.gradeRow("11", in: missed).contains("○7 ×1"), "\(missed)")
        #expect(E2E.unwrapped(missed).contains("取消（#5）になっても"), "the remark says why tickets go on\n\(missed)")

        // F7 → 9: January's tickets for the clinic she goes to every month (the month offered: today's).
        try await Self.caseAction(t, "9", "紙の医療券・調剤券を交付")
        try await t.waitFor("令和9年1月")
        try t.keys("Tab")
        try t.type("さくら内科医院")
        try t.keys("Enter", "Enter")
        try await t.waitFor("の交付を記録", timeout: 10)
        let tickets = try Self.journalLines(data, type: "tickets.issued")
        #expect(tickets.last?.contains("さくら内科医院") == true && tickets.last?.contains("2027-01") == true, "\(tickets)")

        // g: full marks, the tickets after the cancel among them.
        try await Self.fullMarks(t, "11", "○8 ×0")
    }
}

// MARK: Scenario 14

extension BranchCyclesEndToEndTests {
    /// On the review page from the case list: 大野 真由美 of scenario 14 as the prose gives her —
    /// insured (デモ健康保険組合, checked on her 資格確認書), not yet applied to the insurer and told
    /// to (R-BR-4), no valid tickets, a–g explained (R-IN-4).
    static func typeScenario14(_ t: TmuxSession) async throws {
        try t.keys("F2")
        try await t.waitFor(Page.applicant)
        try typeApplicantPage(t, furigana: "ｵｵﾉ ﾏﾕﾐ", name: "大野　真由美", birth: "S56.4.27", prefecture: "東京",
                              recipient: "1014109", serverNumber: "0000123400000014")
        try await t.waitFor(Page.form)
        try t.keys("Space", "Tab", "Space", "Tab", "Space", "Tab")
        try t.type("保険証として使いたくないため"); try t.keys("Tab", "Tab", "Enter")

        try await t.waitFor(Page.branch)
        try t.keys("2", "Tab")                                   // 医療保険・医療扶助併用
        try t.type("デモ健康保険組合"); try t.keys("Tab")
        try t.type("06130017"); try t.keys("Tab")
        try t.keys("2", "Tab")                                   // 未申請：保険者にも申請するよう案内した
        try t.keys("2")                                          // 資格確認書
        try await t.waitFor("2/5")
        try t.keys("Enter")

        try await t.waitFor(Page.tickets)
        try t.keys("1", "Enter")                                 // no valid tickets
        try await t.waitFor("g 保険者にも解除の申請が必要")
        for _ in 0..<6 { try t.keys("Space", "Tab") }
        try t.keys("Space", "Enter")
        try await t.waitFor(Page.review)
    }

    @Test("R-CF-4: scenario 14 — the insured follow-up comes up in F9 two months after intake, marked done; the insurer registers, the status file confirms: full marks")
    func insuredNeverApplied() async throws {
        let data = try E2E.makeTempDir("branch-insured-followup").appendingPathComponent("data")
        let moved = try E2E.madoguchi(["training", "clock", "--to", "R8.11.3"], dataDir: data)
        #expect(moved.status == 0, "\(moved.stderr)")
        let desk = try await TrainingEndToEndTests.signedInClerk(data)
        defer { desk.close() }
        let t = desk.tmux

        // Intake on 11/3, saved; an insured case is never in the bulk file (R-BR-3).
        try await Self.typeScenario14(t)
        try t.keys("F2")
        try await t.waitFor("保存しました", timeout: 10)
        try t.keys("Escape")
        try await t.waitUntil("保険者の登録待ち") { E2E.line(containing: "大野", in: $0).contains("保険者") }

        // Two months on, the day before the follow-up is due: nothing asks for it yet.
        try t.keys("F11")
        try await TrainingEndToEndTests.nextMonth(t, "令和8年12月1日")
        try await TrainingEndToEndTests.nextMonth(t, "令和9年1月1日")
        try await Self.moveClock(t, item: "4", typing: "R9.1.2", to: "令和9年1月2日")
        try t.keys("Escape", "F9")
        let early = try await t.waitFor("今日の要対応")
        #expect(!early.contains("保険者の登録・転入の確認"), "not before two months\n\(early)")

        // 1/3, two months after intake: F9 names her, the insurer and what to check (R-CF-4).
        try t.keys("Escape", "F11")
        try await Self.moveClock(t, item: "1", to: "令和9年1月3日")
        try t.keys("Escape", "F9")
        let due = try await t.waitForAll(["保険者の登録・転入の確認", "大野"])
        #expect(E2E.unwrapped(due).contains("デモ健康保険組合"), "\(due)")
        try t.keys("Enter")
        try await t.waitFor("済みにする：")
        try t.type("本人に電話。保険者に申請するよう再度案内")
        try t.keys("Enter")
        try await t.waitForGone("保険者の登録・転入の確認", timeout: 10)
        let done = try Self.journalLines(data, type: "reminder.done")
        #expect(done.count == 1 && done[0].contains("insured_followup:") && done[0].contains("再度案内"), "\(done)")

        // The insurer registers ten days after (scenario 14): the cancellation at the end of February
        // (R-DT-1), confirmed by the February status file on 3/1 (R-CF-1).
        try t.keys("Escape", "F11")
        try await TrainingEndToEndTests.nextMonth(t, "令和9年2月1日")
        try await TrainingEndToEndTests.nextMonth(t, "令和9年3月1日")
        try t.keys("Escape", "F4", "2", "Enter")
        try await t.waitFor("status_202702.csv")
        try t.keys("Enter", "Enter")
        try await t.waitForAll(["取り込みました", "令和9年2月28日"], timeout: 10)
        try t.keys("Escape", "Escape")
        try await t.waitUntil("解除確認済み") { E2E.line(containing: "大野", in: $0).contains("解除確認済み") }

        try await Self.fullMarks(t, "14", "○6 ×0")
    }
}

// MARK: R-RG-8, R-RG-6

extension BranchCyclesEndToEndTests {
    @Test("R-RG-8: scenario 01 registered by hand (F7 → a, 端末で登録した日, y) and confirmed by the December status file (F4 → 2): full marks")
    func registeredOnTerminal() async throws {
        let data = try E2E.makeTempDir("branch-terminal").appendingPathComponent("data")
        let desk = try await TrainingEndToEndTests.signedInClerk(data)
        defer { desk.close() }
        let t = desk.tmux
        try await typeAssistanceOnlyApplication(t, recipient: "1001015", serverNumber: "0000123400000001",
                                                furigana: "ﾀﾅｶ ﾏｻｵ", name: "田中　正男", birth: "S30.3.14")
        try await t.waitFor(Page.review)
        try t.keys("F2")
        try await t.waitFor("保存しました", timeout: 10)

        // F7 → a: the day typed (nothing offered), the change shown and asked first (R-RG-8, R-RG-9).
        try await Self.caseAction(t, "a", "統合専用端末での登録を記録")
        try t.type("R8.11.2")
        try t.keys("Enter")
        try await t.waitForAll(["→ 新：登録済み", "y：記録する"])
        #expect(try Self.journalLines(data, type: "registration.manual").isEmpty, "nothing written before y")
        try t.keys("y")
        // The list: registered, the cancellation expected at the end of the next month (R-DT-1).
        try await t.waitUntil("登録済み 令和8年12月31日") { s in
            let l = E2E.line(containing: "田中", in: s)
            return l.contains("登録済み") && l.contains("R8.12.31")
        }
        let manual = try Self.journalLines(data, type: "registration.manual")
        #expect(manual.count == 1 && manual[0].contains("2026-11-02"), "\(manual)")
        #expect(try Self.journalLines(data, type: "registration.exported").isEmpty, "no bulk file")

        // January: the December status file confirms the cancellation of 12/31 (R-CF-1).
        try t.keys("F11")
        try await TrainingEndToEndTests.nextMonth(t, "令和8年12月1日")
        try await TrainingEndToEndTests.nextMonth(t, "令和9年1月1日", delivered: "受信フォルダに1件届きました")
        try await TrainingEndToEndTests.importDecemberStatus(t)
        try await t.waitFor("取り込みました")
        try await Self.backToList(t)
        try await t.waitUntil("解除確認済み") { E2E.line(containing: "田中", in: $0).contains("解除確認済み") }

        try await Self.fullMarks(t, "01", "○7 ×0")
    }

    @Test("R-RG-6: scenario 10's result says already registered; the import report and the case screen say not to register again; the status file confirms: full marks")
    func alreadyRegistered() async throws {
        let (data, desk) = try await Self.exported(
            "branch-already", on: "R8.11.16", stamp: "20261116", recipient: "1010107", serverNumber: "0000123400000010",
            furigana: "ﾏﾂﾓﾄ ﾅｵﾐ", name: "松本　直美", birth: "S59.12.3")
        defer { desk.close() }
        let t = desk.tmux

        // F4 → 1: 異常終了, and the advice of R-RG-6 in the report.
        try t.keys("Escape", "F4", "1", "Enter")
        try await t.waitFor("result_FI_HIM_0018")
        try t.keys("Enter", "Enter", "Enter")
        let report = try await t.waitForAll(["取り込みました", "異常終了"], timeout: 10)
        #expect(E2E.unwrapped(report).contains("登録し直さないでください"), "\(report)")
        #expect(E2E.unwrapped(report).contains("R-RG-6"), "\(report)")

        // The case screen says the same.
        try await Self.backToList(t)
        try await t.waitUntil("登録エラー") { E2E.line(containing: "松本", in: $0).contains("登録エラー") }
        try t.keys("Home", "Enter")
        let screen = try await t.waitUntil("登録し直さないでください", timeout: 10) { E2E.unwrapped($0).contains("登録し直さないでください") }
        #expect(E2E.unwrapped(screen).contains("既に初回登録解除の申請が登録されています") && screen.contains("R-RG-6"), "\(screen)")
        #expect(try Self.journalLines(data, type: "registration.requeued").isEmpty)

        // December: the November status file confirms the cancellation of 11/30 (registered by the insurer in October).
        try await Self.backToList(t)
        try t.keys("F11")
        try await TrainingEndToEndTests.nextMonth(t, "令和8年12月1日", delivered: "受信フォルダに1件届きました")
        try t.keys("Escape", "F4", "2", "Enter")
        try await t.waitFor("status_202611.csv")
        try t.keys("Enter", "Enter")
        try await t.waitForAll(["取り込みました", "令和8年11月30日"], timeout: 10)
        try await Self.backToList(t)
        try await t.waitUntil("解除確認済み") { E2E.line(containing: "松本", in: $0).contains("解除確認済み") }

        try await Self.fullMarks(t, "10", "○7 ×0")
    }
}
