import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// R-AM-1 on the desk: F7 → 訂正, the intake's pages prefilled, the review listing only what changed,
/// the reason, F2; the R-RG-3 y/n; 訂正しました only once the journal answered.
@Suite("Correction screen (R-AM-1)", .tags(.unit))
struct CorrectionScreenTests {
    /// A desk showing `number`'s detail, with F7 → 訂正 opened.
    static func openCorrection(_ cases: [CaseRecord], _ number: String, width: Int = 80, height: Int = 24) -> DeskState {
        var desk = UIFixture.desk(width: width, height: height, cases: cases)
        desk.screen = .caseDetail(number)
        desk.press(.function(7))
        guard case .menu(let m)? = desk.dialog else { Issue.record("no F7 menu"); return desk }
        let index = m.items.firstIndex { $0.hasPrefix("訂正") }
        // 訂正 stays the tenth item (key 0) since R-RG-8 added an eleventh (key a).
        #expect(index == 9, "訂正 is the tenth item: \(m.items)")
        desk.press(.down, times: index ?? 9)
        desk.press(.enter)
        return desk
    }

    /// Moves the focus to a field of the current page by Tab.
    static func focus(_ desk: inout DeskState, _ id: String) {
        for _ in 0..<30 {
            if case .field(id)? = desk.correction?.form.focused(desk.config.form) { return }
            desk.press(.tab)
        }
        Issue.record("field \(id) not reached")
    }

    @Test("F7 → 訂正 opens the application prefilled; only the changed 氏名 is listed old → new; the reason is required; F2 asks the journal")
    func nameCorrection() throws {
        let cases = try UIFixture.threeCases()
        let n = cases[0].number
        var desk = Self.openCorrection(cases, n)
        #expect(desk.screen == .correction(n))
        let first = desk.render().text
        #expect(first.contains("訂正：案件 \(n)"))
        #expect(first.contains("ヤマダ　タロウ") && first.contains("山田　太郎") && first.contains("昭和45年1月2日"), "\(first)")

        Self.focus(&desk, IntakeFieldID.name)
        desk.press(.ctrl("u"))
        desk.paste("山田 大郎")
        #expect(desk.press(.function(2)).isEmpty, "F2 on a page goes to the review, it does not save")
        let review = desk.render().text
        #expect(review.contains("訂正の確認") && review.contains("氏名：山田　太郎 → 山田　大郎"), "\(review)")
        #expect(!review.contains("フリガナ：") && !review.contains("生年月日："), "only the changed field:\n\(review)")

        // No reason: refused, named.
        #expect(desk.press(.function(2)).isEmpty)
        #expect(desk.status?.text.contains("訂正の理由") == true, "\(desk.status?.text ?? "")")
        desk.paste("申請書の写し間違い")
        // Typing the reason answers the refusal: it does not stay on the status line (walkthrough).
        #expect(desk.status?.text.contains("入力してください") != true, "\(desk.status?.text ?? "")")
        let effects = desk.press(.function(2))
        guard case .correct(let request)? = effects.first, effects.count == 1 else { Issue.record("no correct effect: \(effects)"); return }
        #expect(request.caseNumber == n && request.reason == "申請書の写し間違い" && !request.acknowledged)
        #expect(request.values[IntakeFieldID.name] == "山田 大郎" || request.values[IntakeFieldID.name] == "山田　大郎")
        #expect(request.seen == cases[0].application)
        // Not saved until the journal says so.
        #expect(desk.status?.text.contains("訂正しました") != true)
        #expect(desk.press(.function(2)).isEmpty, "nothing moves while saving")

        // The runner's answer after the fsync: back to the case, 訂正しました.
        var corrected = cases
        corrected[0].application.applicant.name = "山田\u{3000}大郎"
        _ = desk.update(.corrected(caseNumber: n, message: "訂正しました（案件 \(n)：氏名、状態 登録待ち）", cases: corrected))
        #expect(desk.screen == .caseDetail(n))
        #expect(desk.correction == nil)
        #expect(desk.status?.text.hasPrefix("訂正しました") == true)
        #expect(desk.render().text.contains("山田　大郎"))
    }

    @Test("A correction the intake rules refuse is not sent: the review says why and F2 goes back to the field")
    func invalidNotSent() throws {
        let cases = try UIFixture.threeCases()
        var desk = Self.openCorrection(cases, cases[0].number)
        Self.focus(&desk, IntakeFieldID.name)
        desk.press(.ctrl("u"))
        desk.press(.function(2))
        #expect(desk.render().text.contains("記録できません"))
        desk.paste("理由")
        #expect(desk.press(.function(2)).isEmpty)
        #expect(desk.correction?.form.page == 0, "back on the applicant page")
        #expect(desk.correction?.form.problems[IntakeFieldID.name] != nil)
    }

    @Test("R-RG-3: 受給者番号 corrected after export asks y/n with the warning; n sends nothing, y sends it acknowledged")
    func acknowledgementAfterExport() throws {
        let store = CaseStore(journalURL: UIFixture.temporaryJournalURL())
        let ctx = ValidationContext(today: UIFixture.today, defaultEra: .reiwa)
        let check = IntakeForm.check(UIFixture.form, values: UIFixture.values(furigana: "ヤマダ タロウ", name: "山田 太郎", birth: "S45.1.2",
                                                                             branch: .assistanceOnly, serverNumber: "1234567890123456"), context: ctx)
        let app = try #require(check.application)
        let c = try store.receive(app, ticketsIssuedNow: [], operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 10))
        try store.record(.exported(file: "FI_HIM_0018_D1300019_20261124.csv"), on: c.number, operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 11))
        var desk = Self.openCorrection(store.book.all, c.number)
        Self.focus(&desk, IntakeFieldID.recipientNumber)
        desk.press(.ctrl("u"))
        desk.paste(UIFixture.recipientNumber("765432"))
        desk.press(.function(2))
        #expect(desk.render().text.contains("R-RG-3"))
        desk.paste("受給者番号の写し間違い")
        #expect(desk.press(.function(2)).isEmpty)
        #expect(desk.correction?.confirming == true)
        let dialog = desk.render().text
        #expect(dialog.contains("y：記録する") && dialog.contains("登録結果を待ち"), "\(dialog)")
        #expect(desk.press(.char("n")).isEmpty)
        #expect(desk.correction?.confirming == false)
        desk.press(.function(2))
        let effects = desk.press(.char("y"))
        guard case .correct(let request)? = effects.first else { Issue.record("no effect after y: \(effects)"); return }
        #expect(request.acknowledged)
    }

    @Test("A refused save keeps everything typed; Esc leaves the draft, F7 → 訂正 resumes it")
    func failureAndResume() throws {
        let cases = try UIFixture.threeCases()
        let n = cases[0].number
        var desk = Self.openCorrection(cases, n)
        Self.focus(&desk, IntakeFieldID.name)
        desk.press(.ctrl("u"))
        desk.paste("山田 大郎")
        desk.press(.function(2))
        desk.paste("写し間違い")
        #expect(desk.press(.function(2)).count == 1)
        _ = desk.update(.correctionFailed("案件 \(n) は開いたあとで変わりました", cases: cases))
        #expect(desk.screen == .correction(n))
        #expect(desk.correction?.saving == false && desk.correction?.reason == "写し間違い")
        #expect(desk.status?.kind == .error)
        // Esc back to the first page, Esc again: the case, with the draft kept.
        desk.press(.escape)
        while desk.correction?.form.page ?? 0 > 0 { desk.press(.escape) }
        desk.press(.escape)
        #expect(desk.screen == .caseDetail(n))
        #expect(desk.status?.text.contains("続きから再開") == true)
        let resumed = Self.openCorrectionAgain(&desk)
        #expect(resumed?.reason == "写し間違い")
        #expect(resumed?.form.values[IntakeFieldID.name] == "山田 大郎" || resumed?.form.values[IntakeFieldID.name] == "山田　大郎")
    }

    @Test("A paper ticket forgotten at intake is added on the tickets page (R-PT-1); the review names it")
    func ticketAdded() throws {
        let cases = try UIFixture.threeCases()
        let n = cases[0].number
        #expect(cases[0].ticketsIssued.isEmpty)
        var desk = Self.openCorrection(cases, n)
        let ticketsPage = try #require(UIFixture.form.pageIndex(ofField: IntakeFieldID.tickets))
        desk.press(.pageDown, times: ticketsPage)
        #expect(desk.correction?.form.page == ticketsPage)
        Self.focus(&desk, IntakeFieldID.holdsValidTickets)
        desk.press(.char("2"))                                   // あり
        desk.press(.tab, .right, .tab)                           // 医療券
        desk.paste("デモ医院")
        desk.press(.tab)
        desk.paste("R8.12")
        desk.press(.function(2))
        let review = desk.render().text
        #expect(review.contains("有効な医療券・調剤券：なし → あり"), "\(review)")
        #expect(review.contains("受付時に交付した紙の券：（なし） → 医療券 デモ医院 令和8年12月分"), "\(review)")
        desk.paste("交付の記録漏れ")
        guard case .correct(let request)? = desk.press(.function(2)).first else { Issue.record("no effect"); return }
        #expect(request.values.tickets.first == TicketDraft(kind: "medical", institution: "デモ医院", month: "令和8年12月")
                || request.values.tickets.first == TicketDraft(kind: "medical", institution: "デモ医院", month: "R8.12"))
    }

    @Test("While correcting, F8/F9 do not leave the screen, and F10 asks before losing what was typed")
    func keysThatWouldLoseTheCorrection() throws {
        let cases = try UIFixture.threeCases()
        var desk = Self.openCorrection(cases, cases[0].number)
        desk.press(.function(8))
        desk.press(.function(9))
        #expect(desk.screen == .correction(cases[0].number))
        #expect(desk.press(.function(10)) == [.quit], "nothing typed yet: quits at once")
        desk = Self.openCorrection(cases, cases[0].number)
        Self.focus(&desk, IntakeFieldID.name)
        desk.paste("一")
        #expect(desk.press(.function(10)).isEmpty)
        #expect(desk.dialog == .confirmQuit)
        desk.press(.char("n"))
        #expect(desk.correction?.form.values[IntakeFieldID.name].hasSuffix("一") == true)
    }

    static func openCorrectionAgain(_ desk: inout DeskState) -> CorrectionState? {
        desk.press(.function(7))
        guard case .menu(let m)? = desk.dialog else { return nil }
        desk.press(.down, times: m.items.count - 1)
        desk.press(.enter)
        return desk.correction
    }

    @Test("The history shows a correction with old → new and the reason, and keeps the intake line")
    func historyShowsCorrection() throws {
        let url = UIFixture.temporaryJournalURL()
        let store = CaseStore(journalURL: url)
        let ctx = ValidationContext(today: UIFixture.today, defaultEra: .reiwa)
        let check = IntakeForm.check(UIFixture.form, values: UIFixture.values(furigana: "ヤマダ タロウ", name: "山田 太郎", birth: "S45.1.2",
                                                                             branch: .assistanceOnly), context: ctx)
        let c = try store.receive(try #require(check.application), ticketsIssuedNow: [], operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 10))
        var request = CorrectionRequest.start(c, form: UIFixture.form)
        request.values[IntakeFieldID.name] = "山田 大郎"
        request.reason = "写し間違い"
        try store.correct(request, form: UIFixture.form, context: ctx, operatorID: "suzuki", now: UIFixture.jst(2026, 11, 24, 11))
        var desk = UIFixture.desk(width: 120, height: 60, cases: store.book.all)
        desk.screen = .caseDetail(c.number)
        let text = desk.render().text
        #expect(text.contains("山田 花子　受付"), "\(text)")   // names, not ids (item 8)
        #expect(text.contains("鈴木 健　訂正：氏名 山田　太郎 → 山田　大郎（理由：写し間違い）"), "\(text)")
        #expect(text.contains("案件 \(c.number)　山田　大郎"))
    }

    @Test("Snapshots: the review page at 80×24 and 120×40, and the R-RG-3 question")
    func snapshots() throws {
        let cases = try UIFixture.threeCases()
        for (w, h) in [(80, 24), (120, 40)] {
            var desk = Self.openCorrection(cases, cases[1].number, width: w, height: h)
            Self.focus(&desk, IntakeFieldID.name)
            desk.press(.ctrl("u"))
            desk.paste("鈴木 華子")
            desk.press(.tab)
            desk.press(.ctrl("u"))
            desk.paste("H2.3.5")
            desk.press(.function(2))
            desk.paste("申請書の氏名と生年月日の写し間違い")
            Snapshot.check(desk.render(), "correction-review-\(w)x\(h)")
        }
        let store = CaseStore(journalURL: UIFixture.temporaryJournalURL())
        let ctx = ValidationContext(today: UIFixture.today, defaultEra: .reiwa)
        let check = IntakeForm.check(UIFixture.form, values: UIFixture.values(furigana: "ヤマダ タロウ", name: "山田 太郎", birth: "S45.1.2",
                                                                             branch: .assistanceOnly, serverNumber: "1234567890123456"), context: ctx)
        let c = try store.receive(try #require(check.application), ticketsIssuedNow: [], operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 10))
        try store.record(.exported(file: "FI_HIM_0018_D1300019_20261124.csv"), on: c.number, operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 11))
        var desk = Self.openCorrection(store.book.all, c.number)
        Self.focus(&desk, IntakeFieldID.serverIndividualNumber)
        desk.press(.ctrl("u"))
        desk.paste("1234567890123457")
        desk.press(.function(2))
        desk.paste("枝番の写し間違い")
        desk.press(.function(2))
        Snapshot.check(desk.render(), "correction-confirm-rg3")
    }
}
