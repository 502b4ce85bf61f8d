import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// Issue 11 items 5–7: y/n before the irreversible, the 受付控え on one key, discarding a draft, and
/// maker-checker in sight.
@Suite("Think before the irreversible (issue 11 item 5)", .tags(.unit))
struct ConfirmTests {
    /// The three fixture cases, the first one registered (so holds and cancels are legal, R-HC-1).
    static func firstRegistered() throws -> [CaseRecord] {
        try UIFixture.threeCases { store in
            let n = store.book.all[0].number
            try store.record([(n, .exported(file: "FI_HIM_0018_test.csv")),
                              (n, .registrationAccepted(registeredOn: LocalDate(year: 2026, month: 11, day: 24)!, file: nil))],
                             operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 24, 12))
        }
    }

    static func confirmation(_ desk: DeskState) -> ConfirmRequest? {
        if case .confirm(let c)? = desk.dialog { return c }
        return nil
    }

    @Test("withdraw: Enter shows the case, the name and 状態 登録待ち → 取下げ and records nothing; n returns to the form with the values kept; y records")
    func withdrawAsks() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        let r = desk.sortedCases[0]
        desk.chooseCaseAction("取下げ")
        desk.paste("本人から取下げの申し出")
        #expect(desk.press(.enter, .enter).isEmpty)
        guard let ask = Self.confirmation(desk) else { Issue.record("no confirmation: \(String(describing: desk.dialog))"); return }
        #expect(ask.lines.contains("案件 \(r.number)　\(r.application.applicant.name)"))
        #expect(ask.lines.contains("状態　現在：登録待ち → 新：取下げ"))
        let screen = desk.render().text
        #expect(screen.contains("現在：登録待ち → 新：取下げ"))
        #expect(screen.contains("y：記録する"))
        // n (and full-width ｎ, and Esc): back to the form, every value as typed.
        for no in [Key.char("n"), .char("ｎ"), .escape] {
            #expect(desk.press(no).isEmpty)
            guard case .form(let f)? = desk.dialog else { Issue.record("not back in the form after \(no)"); return }
            #expect(f.value("reason") == "本人から取下げの申し出")
            #expect(f.value("date") == "令和8年11月24日")
            #expect(desk.press(.enter).isEmpty)   // Enter on the last field asks again
            #expect(Self.confirmation(desk) != nil)
        }
        // Keys other than y/n do nothing.
        #expect(desk.press(.char("x"), .enter, .char(" ")).isEmpty)
        #expect(Self.confirmation(desk) != nil)
        // Too small to read the question: y does nothing until the window is big enough again.
        _ = desk.update(.resize(width: 60, height: 20))
        #expect(desk.press(.char("y")).isEmpty)
        _ = desk.update(.resize(width: 120, height: 40))
        #expect(desk.render().text.contains("現在：登録待ち → 新：取下げ"))
        let effects = desk.press(.char("Y"))
        #expect(effects == [.record(caseNumber: r.number, .withdrawn(reason: "本人から取下げの申し出", on: UIFixture.today))])
        #expect(desk.dialog == nil)
    }

    @Test("R-RG-2 被保険者枝番: the current number beside the new one; full-width ｙ confirms")
    func serverNumberShowsOld() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        let r = desk.sortedCases[0]
        desk.chooseCaseAction("被保険者枝番")
        desk.paste("5678567856785678")
        #expect(desk.press(.enter).isEmpty)
        guard let ask = Self.confirmation(desk) else { Issue.record("no confirmation"); return }
        #expect(ask.lines.contains("被保険者枝番　現在：1234567890123456 → 新：5678567856785678"))
        #expect(ask.lines.contains { $0.hasPrefix("注意") && $0.contains("上書き") })
        Snapshot.check(desk.render(), "confirm-server-number-80x24")
        #expect(desk.press(.char("ｙ")) == [.record(caseNumber: r.number, .serverNumberSet("5678567856785678"))])
    }

    @Test("R-IN-7 transfer out before registration: the warning is in the question")
    func transferWarns() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.chooseCaseAction("転出")
        desk.paste("隣市福祉事務所")
        #expect(desk.press(.enter, .enter).isEmpty)
        guard let ask = Self.confirmation(desk) else { Issue.record("no confirmation"); return }
        #expect(ask.lines.contains { $0.contains("R-IN-7") })
        #expect(ask.lines.contains("状態　現在：登録待ち → 新：転出"))
        // The long warning wraps whole inside the box at 80 columns: nothing clipped.
        // (Rows joined, ASCII spaces dropped: the box's margins and the wrap's indent.)
        let flat = desk.render().text.split(separator: "\n").joined().replacingOccurrences(of: " ", with: "")
        for line in ask.lines { #expect(flat.contains(line.replacingOccurrences(of: " ", with: "")), "not shown whole: \(line)") }
        Snapshot.check(desk.render(), "confirm-transfer-r-in-7-80x24")
    }

    @Test("R-HC-1 R-HC-2 hold and hold cleared ask; a hold on a case not registered is refused in the form, nothing asked")
    func holds() throws {
        var desk = UIFixture.desk(cases: try Self.firstRegistered())
        let registered = desk.sortedCases[0].number
        desk.chooseCaseAction("保留・取消")         // #1 on the registered case
        #expect(desk.press(.enter, .enter, .enter, .enter).isEmpty)   // 理由, 日付, 月末処理の月 (R-HC-2)
        guard let ask = Self.confirmation(desk) else { Issue.record("no confirmation"); return }
        #expect(ask.lines.contains("状態　現在：登録済み → 新：保留"))
        #expect(ask.lines.contains { $0.hasPrefix("解除予定日") })
        #expect(desk.press(.char("y")) == [.record(caseNumber: registered, .held(reason: .misEntrySuspected, noticeDate: UIFixture.today))])

        // The second case waits for the insurer: a hold cannot be recorded; the form says why.
        desk.press(.down)
        desk.chooseCaseAction("保留・取消")
        #expect(desk.press(.enter, .enter, .enter, .enter).isEmpty)
        guard case .form(let f)? = desk.dialog else { Issue.record("the form closed"); return }
        #expect(f.error?.contains("記録できません") == true, "\(f.error ?? "")")
        #expect(Self.confirmation(desk) == nil)

        // Hold cleared (R-HC-2) on a held case: 保留 → 登録済み, asked the same way.
        let held = try UIFixture.threeCases { store in
            let n = store.book.all[0].number
            try store.record([(n, .exported(file: "FI_HIM_0018_test.csv")),
                              (n, .registrationAccepted(registeredOn: LocalDate(year: 2026, month: 11, day: 24)!, file: nil)),
                              (n, .held(reason: .misEntryPending, noticeDate: LocalDate(year: 2026, month: 11, day: 24)!))],
                             operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 24, 12))
        }
        var again = UIFixture.desk(cases: held)
        again.chooseCaseAction("保留の解消")
        #expect(again.press(.enter).isEmpty)
        guard let clear = Self.confirmation(again) else { Issue.record("hold cleared was not asked"); return }
        #expect(clear.lines.contains("状態　現在：保留 → 新：登録済み"), "\(clear.lines)")
        #expect(again.press(.char("y")) == [.record(caseNumber: held[0].number, .holdCleared(on: UIFixture.today))])
    }

    @Test("a move that does not end, hold or overwrite (requeue, printing a notice) is not asked")
    func notAsked() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        let n = desk.sortedCases[0].number
        guard desk.chooseCaseAction("通知を作る") else { Issue.record("no notice item in the F7 menu"); return }
        #expect(desk.press(.enter, .enter) == [.issueNotice(caseNumber: n, .pending, pdf: true)])
    }
}

@Suite("The counter's rhythm: 受付控え on one key, a draft discarded (issue 11 item 6)", .tags(.unit))
struct CounterRhythmTests {
    @Test("R-NT-1 after 保存しました the status names P; P on the saved case writes the 受付控え with its PDF, once")
    func receiptKey() throws {
        var desk = UIFixture.desk(cases: [])
        desk.typeWholeAssistanceOnlyApplication()
        let cases = try UIFixture.threeCases()
        _ = desk.update(.saved(caseNumber: cases[0].number, cases: cases))
        #expect(desk.status?.text.contains("保存しました（案件番号 \(cases[0].number)）") == true)
        #expect(desk.status?.text.contains("P：受付控え") == true)
        #expect(desk.render().text.contains("P：受付控え"))
        desk.press(.down)                                  // scrolling keeps the offer; the footer names P
        #expect(desk.render().footerText.contains("P 受付控え"))
        #expect(desk.press(.char("P")) == [.issueNotice(caseNumber: cases[0].number, .pending, pdf: true, print: true)])
        // Once: a second P writes nothing more (F7 → 7 makes another), nor does p on the list or
        // on another case (a stray key never writes a notice).
        #expect(desk.press(.char("p")).isEmpty)
        _ = desk.update(.saved(caseNumber: cases[0].number, cases: cases))
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        #expect(desk.press(.char("p")).isEmpty)
        desk.press(.enter)
        #expect(desk.press(.char("p")).isEmpty)
        #expect(desk.render().text.split(separator: "\n").last?.contains("受付控え") == false)
    }

    @Test("d on the list asks before the draft is dropped: n keeps it, y drops it; Esc still keeps it")
    func discardDraft() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.openIntake()
        desk.paste("ﾔﾏﾀﾞ ﾀﾛｳ"); desk.press(.tab)
        desk.paste("山田　太郎")
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        #expect(desk.intake != nil)
        #expect(desk.render().text.contains("入力中を破棄"))
        #expect(desk.press(.char("d")).isEmpty)
        guard let ask = ConfirmTests.confirmation(desk) else { Issue.record("no confirmation"); return }
        #expect(ask.title == "入力中の申請を破棄しますか（y/n）")
        #expect(ask.lines.first?.contains("山田　太郎") == true)
        #expect(desk.render().text.contains("入力中の申請を破棄しますか（y/n）"))
        desk.press(.char("n"))
        #expect(desk.dialog == nil)
        #expect(desk.intake?.values[IntakeFieldID.name] == "山田　太郎")
        desk.press(.char("d"), .escape)
        #expect(desk.intake != nil)
        #expect(desk.press(.char("d"), .char("y")).isEmpty)
        #expect(desk.intake == nil)
        #expect(desk.status?.text == "入力中の申請を破棄しました。")
        // Nothing to discard: a word, no dialog; F2 starts a fresh form.
        desk.press(.char("d"))
        #expect(desk.dialog == nil)
        desk.press(.function(2))
        #expect(desk.intake?.values[IntakeFieldID.name] ?? "" == "")
    }
}

@Suite("Maker-checker in sight (issue 11 item 7, R-SG-2)", .tags(.unit))
struct MakerCheckerSightTests {
    static let names = ["yamada": "山田 花子", "sato": "佐藤 一郎"]

    static func desk(role: Operator.Role, id: String, name: String, cases: [CaseRecord], width: Int = 80, height: Int = 24) -> DeskState {
        let config = DeskConfig(officeName: "デモ市福祉事務所", isTraining: true, operatorID: id, operatorName: name,
                                operatorRole: role, form: UIFixture.form, operatorNames: names)
        return DeskState(config: config, today: UIFixture.today, width: width, height: height, cases: cases)
    }

    static func batch(_ state: SignOffBatch.State, cases: [String]) -> SignOffBatch {
        SignOffBatch(id: "B20261124-1", cases: cases, preparedBy: "yamada", preparedAt: "2026-11-24T10:00:00+09:00", state: state,
                     decidedBy: state == .returned ? "sato" : nil, decidedAt: state == .returned ? "2026-11-30T11:00:00+09:00" : nil,
                     comment: state == .returned ? "住所を確かめて" : nil)
    }

    @Test("a waiting batch: 承認待ち 1 on the supervisor's title bar and a line on the list naming the preparer; not for the clerk")
    func titleBarAndList() throws {
        let cases = try UIFixture.threeCases()
        var sup = Self.desk(role: .supervisor, id: "sato", name: "佐藤 一郎", cases: cases)
        _ = sup.update(.batchesChanged([Self.batch(.prepared, cases: [cases[0].number, cases[2].number])]))
        let text = sup.render().text
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows[0].contains("承認待ち 1"), "\(rows[0])")
        #expect(text.contains("承認待ちの一括登録 B20261124-1（2件、準備 山田 花子"))
        #expect(sup.render().footerText.contains("F3 承認"))
        Snapshot.check(sup.render(), "maker-checker-supervisor-list-80x24")
        var clerk = Self.desk(role: .clerk, id: "yamada", name: "山田 花子", cases: cases)
        _ = clerk.update(.batchesChanged([Self.batch(.prepared, cases: [cases[0].number])]))
        #expect(!clerk.render().text.contains("承認待ち 1"))
        #expect(!clerk.render().text.contains("承認待ちの一括登録"))
    }

    @Test("F3 as supervisor: the approval lists each case's number, name, branch and state")
    func approvalList() throws {
        let cases = try UIFixture.threeCases()
        var sup = Self.desk(role: .supervisor, id: "sato", name: "佐藤 一郎", cases: cases)
        _ = sup.update(.batchesChanged([Self.batch(.prepared, cases: [cases[0].number, cases[2].number])]))
        sup.press(.function(3))
        guard case .form(let f)? = sup.dialog else { Issue.record("no approval form"); return }
        #expect(f.title.contains("準備 山田 花子"))
        #expect(f.notes.count == 2)
        let text = sup.render().text
        for r in [cases[0], cases[2]] {
            let row = text.split(separator: "\n").first { $0.contains(r.number) }.map(String.init) ?? ""
            #expect(row.contains(r.application.applicant.name), "\(row)")
            #expect(row.contains("単独"), "\(row)")
            #expect(row.contains(r.status.label), "\(row)")
        }
        Snapshot.check(sup.render(), "maker-checker-approval-80x24")
        // Approving still works from the same form.
        #expect(sup.press(.enter, .enter) == [.decideBatch(id: "B20261124-1", approve: true, comment: "")])
    }

    @Test("a long batch scrolls in the approval form with PgDn, and says which rows show")
    func approvalScrolls() throws {
        let cases = try UIFixture.threeCases()
        var sup = Self.desk(role: .supervisor, id: "sato", name: "佐藤 一郎", cases: cases)
        let many = (1...30).map { String(format: "2026-%04d", $0) }
        _ = sup.update(.batchesChanged([Self.batch(.prepared, cases: many)]))
        sup.press(.function(3))
        #expect(sup.render().text.contains("1〜"))
        #expect(!sup.render().text.contains("2026-0030"))
        sup.press(.pageDown, .pageDown, .pageDown)
        #expect(sup.render().text.contains("2026-0030"))
        guard case .form(let f)? = sup.dialog else { Issue.record("form closed"); return }
        #expect(f.fields[0].value == "approve")   // paging moved nothing else
    }

    @Test("a returned batch: the case detail says 差し戻し（佐藤 一郎、令和8年11月30日）：comment")
    func returnedOnCase() throws {
        let cases = try UIFixture.threeCases()
        var clerk = Self.desk(role: .clerk, id: "yamada", name: "山田 花子", cases: cases)
        _ = clerk.update(.batchesChanged([Self.batch(.returned, cases: [cases[0].number])]))
        clerk.press(.enter)
        #expect(clerk.screen == .caseDetail(cases[0].number))
        #expect(clerk.render().text.contains("差し戻し（佐藤 一郎、令和8年11月30日）：住所を確かめて"))
        // A case not in the batch says nothing of it.
        clerk.press(.escape, .down, .enter)
        #expect(!clerk.render().text.contains("差し戻し"))
    }

    @Test("R-SG-2 the sign-off reminders show in the panel; Enter on a waiting one opens the approval, not a done mark")
    func reminders() throws {
        let cases = try UIFixture.threeCases()
        var sup = Self.desk(role: .supervisor, id: "sato", name: "佐藤 一郎", cases: cases)
        _ = sup.update(.batchesChanged([Self.batch(.prepared, cases: [cases[0].number])]))
        // (The reminder's wording is Core's, tested in SignOffReminderTests; here: where it shows and what Enter does.)
        let waiting = Reminder(id: "batch_awaiting_approval:B20261124-1", kind: .batchAwaitingApproval, caseNumber: nil, name: nil,
                               message: "一括登録 B20261124-1 が承認を待っています — R-SG-2", due: UIFixture.today)
        _ = sup.update(.remindersChanged([waiting]))
        #expect(sup.render().text.contains("一括登録 B20261124-1 が承認を待っています"))
        sup.press(.function(9))
        #expect(sup.screen == .reminders)
        #expect(sup.render().text.contains("一括登録の承認待ち"))
        sup.press(.enter)
        guard case .form(let f)? = sup.dialog, case .signOff(let id) = f.purpose else { Issue.record("not the approval: \(String(describing: sup.dialog))"); return }
        #expect(id == "B20261124-1")
        // Decided meanwhile (another terminal): Enter says so and opens nothing.
        sup.press(.escape)
        _ = sup.update(.batchesChanged([]))
        #expect(sup.press(.enter).isEmpty)
        #expect(sup.dialog == nil)
        #expect(sup.status?.text.contains("もう承認待ちではありません") == true)
    }
}
