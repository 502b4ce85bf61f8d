import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// The intake wizard driven by keys only, as the clerk would.
@Suite("Intake flows (update)", .tags(.unit))
struct IntakeFlowTests {
    // MARK: Typing

    @Test("Japanese from an IME (.text) and single .char keys land in the focused field")
    func typingLandsInFocusedField() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.tab)                                   // フリガナ → 氏名
        #expect(desk.focusedFieldID == IntakeFieldID.name)
        desk.paste("山田　太郎")
        desk.typeChars("様")
        #expect(desk.intake?.values[IntakeFieldID.name] == "山田　太郎様")
        #expect(desk.intake?.values[IntakeFieldID.furigana] == "")
        #expect(desk.intake?.cursor == 6)
        #expect(desk.intake?.dirty == true)
        // The screen shows it on the 氏名 row, after the label column.
        let row = desk.render().text.split(separator: "\n")[4]
        #expect(row.hasSuffix("* 山田　太郎様"))
    }

    @Test("Cursor keys, Backspace, Delete, Ctrl-A/E/K/U edit at the cursor; the terminal cursor counts wide cells")
    func cursorEditing() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.tab)
        desk.paste("山田太郎")
        desk.press(.left, .left)
        #expect(desk.intake?.cursor == 2)
        // Two wide characters before the cursor: two columns each, from the input column.
        #expect(desk.render().cursor?.x == DeskState.inputX + 4)
        #expect(desk.render().cursor?.y == 4)
        desk.typeChars("の")
        #expect(desk.intake?.values[IntakeFieldID.name] == "山田の太郎")
        desk.press(.backspace)
        #expect(desk.intake?.values[IntakeFieldID.name] == "山田太郎")
        desk.press(.delete)
        #expect(desk.intake?.values[IntakeFieldID.name] == "山田郎")
        desk.press(.home)
        desk.typeChars("旧")
        #expect(desk.intake?.values[IntakeFieldID.name] == "旧山田郎")
        desk.press(.end)
        #expect(desk.intake?.cursor == 4)
        desk.press(.ctrl("a"), .right)
        desk.press(.ctrl("k"))
        #expect(desk.intake?.values[IntakeFieldID.name] == "旧")
        desk.press(.ctrl("e"))
        #expect(desk.intake?.cursor == 1)
        desk.press(.ctrl("u"))
        #expect(desk.intake?.values[IntakeFieldID.name] == "")
        #expect(desk.intake?.cursor == 0)
        desk.press(.backspace)                             // nothing left: no crash, still empty
        #expect(desk.intake?.values[IntakeFieldID.name] == "")
    }

    @Test("R-ID-6 half-width ﾔﾏﾀﾞ is kept as typed until the field is left, then shown as ヤマダ")
    func halfWidthNormalisedOnLeaving() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.typeChars("ﾔﾏﾀﾞ ﾀﾛｳ")
        #expect(desk.intake?.values[IntakeFieldID.furigana] == "ﾔﾏﾀﾞ ﾀﾛｳ")
        desk.press(.tab)
        #expect(desk.intake?.values[IntakeFieldID.furigana] == "ヤマダ\u{3000}タロウ")
        #expect(desk.intake?.problems[IntakeFieldID.furigana] == nil)
    }

    @Test("R-ID-3 a wrong check digit is shown when the 受給者番号 is left, and cleared by editing")
    func checkDigitProblemShown() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.tab, times: 9)
        #expect(desk.focusedFieldID == IntakeFieldID.recipientNumber)
        desk.paste(UIFixture.badRecipientNumber())
        desk.press(.tab)
        let problem = try! #require(desk.intake?.problems[IntakeFieldID.recipientNumber])
        #expect(problem.contains("検証番号"))
        #expect(desk.render().text.contains("✗ 検証番号"))
        desk.press(.backTab, .backspace)
        #expect(desk.intake?.problems[IntakeFieldID.recipientNumber] == nil)
    }

    // MARK: Esc never loses what was typed

    @Test("Esc on page 2 goes back to page 1 with every value intact")
    func escOnPage2() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.fillApplicantPage()
        #expect(desk.currentPageID == "form")
        desk.press(.char("2"))                             // 代理人
        let before = desk.intake!.values
        desk.press(.escape)
        #expect(desk.currentPageID == "applicant")
        #expect(desk.screen == .intake)
        #expect(desk.intake?.values == before)
        #expect(desk.intake?.values[IntakeFieldID.name] == "山田　太郎")
        #expect(desk.intake?.values[IntakeFieldID.hasProxy] == "proxy")
    }

    @Test("Esc on page 1 returns to the list and keeps the draft; F2 resumes it with the same values")
    func escOnPage1KeepsDraft() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.paste("ヤマダ")
        desk.press(.tab)
        desk.paste("山田　太郎")
        let before = desk.intake!.values
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        #expect(desk.intake?.values == before)
        #expect(desk.status?.text.contains("入力途中の申請を残しました") == true)
        #expect(desk.render().text.contains("F2 受付再開"))
        desk.press(.function(2))
        #expect(desk.screen == .intake)
        #expect(desk.intake?.values == before)
        #expect(desk.status?.text == "入力途中の申請を再開しました。")
        #expect(desk.render().text.contains("山田　太郎"))
    }

    // MARK: Resize

    @Test("Too small (60×20): the message shows, keys other than quit do nothing, and 80×24 brings the same screen back")
    func resizeKeepsTypedText() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.paste("ヤマダ")
        desk.press(.tab)
        desk.paste("山田　太郎")
        let screenBefore = desk.render()
        let intakeBefore = desk.intake
        _ = desk.update(.resize(width: 60, height: 20))
        let small = desk.render().text
        #expect(small.contains("端末が小さすぎます"))
        #expect(small.contains("いま 60×20、80×24 以上が必要です"))
        #expect(!small.contains("山田"))
        for key: Key in [.char("x"), .text("追加"), .tab, .escape, .function(2), .function(1), .backspace, .ctrl("u"), .pageDown] {
            #expect(desk.press(key) == [])
        }
        #expect(desk.intake == intakeBefore)
        #expect(desk.screen == .intake)
        _ = desk.update(.resize(width: 80, height: 24))
        let sameScreen = desk.render() == screenBefore      // cells, styles and cursor, not only text
        #expect(sameScreen, "80×24 again should draw exactly what was there before the resize")
        #expect(desk.render().text == screenBefore.text)
        #expect(desk.render().text.contains("山田　太郎"))
    }

    @Test("Quit still works while too small: it asks first when something is typed")
    func quitWhileTooSmall() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.paste("ヤマダ")
        _ = desk.update(.resize(width: 60, height: 20))
        #expect(desk.press(.function(10)) == [])
        #expect(desk.dialog == .confirmQuit)
        #expect(desk.press(.char("y")) == [.quit])
    }

    // MARK: Quit

    @Test("F10 with unsaved input opens the quit dialog; n returns to the form, y quits")
    func quitDialog() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.paste("ヤマダ")
        #expect(desk.press(.function(10)) == [])
        #expect(desk.dialog == .confirmQuit)
        #expect(desk.render().text.contains("終了しますか？"))
        #expect(desk.press(.char("a")) == [])             // other keys do not reach the form
        #expect(desk.intake?.values[IntakeFieldID.furigana] == "ヤマダ")
        #expect(desk.press(.char("n")) == [])
        #expect(desk.dialog == nil)
        #expect(desk.screen == .intake)
        #expect(desk.intake?.values[IntakeFieldID.furigana] == "ヤマダ")
        #expect(!desk.render().text.contains("終了しますか？"))
        desk.press(.ctrl("x"))
        #expect(desk.dialog == .confirmQuit)
        #expect(desk.press(.char("y")) == [.quit])
    }

    @Test("F10 with nothing typed quits at once")
    func quitWithNothingTyped() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.tab, .tab)                             // moving around is not typing
        #expect(desk.press(.function(10)) == [.quit])
        #expect(desk.dialog == nil)
    }

    // MARK: Saving

    @Test("F2 on an incomplete form saves nothing, jumps to the first problem and names the field")
    func incompleteSaveRefused() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.paste("ヤマダ　タロウ")
        desk.press(.pageDown, .pageDown)
        #expect(desk.currentPageID == "branch")
        #expect(desk.press(.function(2)) == [])
        #expect(desk.intake?.saving == false)
        #expect(desk.currentPageID == "applicant")
        #expect(desk.focusedFieldID == IntakeFieldID.name)
        let status = try! #require(desk.status)
        #expect(status.kind == .error)
        #expect(status.text.hasPrefix("保存できません："))
        #expect(status.text.contains("氏名："))
        #expect(desk.render().text.contains("保存できません："))
        #expect(desk.intake?.problems[IntakeFieldID.name] != nil)
    }

    /// The application typed by `typeWholeAssistanceOnlyApplication`, normalised as the domain keeps it.
    static func expectNormalisedApplication(_ a: Application, sourceLocation: SourceLocation = #_sourceLocation) {
        let p = a.applicant
        #expect(p.furigana == "ヤマダ\u{3000}タロウ", sourceLocation: sourceLocation)   // ﾔﾏﾀﾞ ﾀﾛｳ typed
        #expect(p.name == "山田\u{3000}太郎", sourceLocation: sourceLocation)
        #expect(p.birthDate == LocalDate(year: 1970, month: 1, day: 2), sourceLocation: sourceLocation)   // S45.1.2
        #expect(p.postalCode == "1234567", sourceLocation: sourceLocation)                 // １２３－４５６７
        #expect(p.prefecture == "東京都", sourceLocation: sourceLocation)                   // 東京
        #expect(p.municipality == "千代田区", sourceLocation: sourceLocation)
        #expect(p.address == "霞が関１－２－２", sourceLocation: sourceLocation)
        #expect(p.phone == "03-1234-5678", sourceLocation: sourceLocation)
        #expect(p.email == "", sourceLocation: sourceLocation)
        #expect(a.recipientNumber == UIFixture.recipientNumber(), sourceLocation: sourceLocation)
        #expect(a.serverIndividualNumber == "1234567890123456", sourceLocation: sourceLocation)
        #expect(a.proxy == nil, sourceLocation: sourceLocation)
        #expect(a.requestTicked && a.signedFormReceived, sourceLocation: sourceLocation)
        #expect(a.reason == "カードの管理に不安があるため", sourceLocation: sourceLocation)
        #expect(a.applicationDate == UIFixture.today, sourceLocation: sourceLocation)
        #expect(a.branch == .assistanceOnly, sourceLocation: sourceLocation)
        #expect(a.insurance == nil, sourceLocation: sourceLocation)
        #expect(a.holdsValidTickets == false, sourceLocation: sourceLocation)
        #expect(a.explained == ["a", "b", "c", "d", "e", "f"], sourceLocation: sourceLocation)
    }

    @Test("A whole assistance-only application typed by keys: F2 asks for exactly one save, once")
    func completeSave() {
        var desk = UIFixture.desk()
        desk.typeWholeAssistanceOnlyApplication()
        #expect(desk.currentPageID == "review")
        let effects = desk.press(.function(2))
        #expect(effects.count == 1)
        guard case .save(let app, let tickets)? = effects.first else {
            Issue.record("expected one .save effect, got \(effects)"); return
        }
        Self.expectNormalisedApplication(app)
        #expect(tickets == [])
        #expect(desk.intake?.saving == true)
        #expect(desk.status?.text == "保存しています…")
        #expect(desk.press(.function(2)) == [])            // no second save while the first is on its way
        #expect(desk.press(.enter) == [])
        desk.press(.escape)                                // nothing moves while saving
        #expect(desk.currentPageID == "review")
        #expect(desk.press(.function(10)) == [])           // quitting waits for the journal
        #expect(desk.dialog == nil)
    }

    @Test("「保存しました」 only after .saved, then the case detail of the new case")
    func savedShowsCase() throws {
        var desk = UIFixture.desk()
        desk.typeWholeAssistanceOnlyApplication()
        guard case .save(let app, let tickets)? = desk.press(.function(2)).first else {
            Issue.record("no save effect"); return
        }
        #expect(!(desk.status?.text.contains("保存しました") ?? false))
        let store = CaseStore(journalURL: UIFixture.temporaryJournalURL())
        try store.load()
        let record = try store.receive(app, ticketsIssuedNow: tickets, operatorID: UIFixture.operatorID,
                                       now: UIFixture.jst(2026, 11, 24, 11, 0))
        _ = desk.update(.saved(caseNumber: record.number, cases: store.book.all))
        #expect(desk.screen == .caseDetail("2026-0001"))
        #expect(desk.intake == nil)
        #expect(desk.status?.kind == .success)
        #expect(desk.status?.text.contains("保存しました") == true)
        let text = desk.render().text
        #expect(text.contains("保存しました（案件番号 2026-0001）"))
        #expect(text.contains("案件 2026-0001　山田　太郎（ヤマダ　タロウ）"))
        // Back on the list the new case is selected and F2 starts a fresh form.
        desk.press(.escape)
        #expect(desk.sortedCases[desk.list.selected].number == "2026-0001")
        desk.press(.function(2))
        #expect(desk.intake?.values[IntakeFieldID.name] == "")
    }

    @Test(".saveFailed keeps every value, shows the reason, and F2 can try again")
    func saveFailedKeepsValues() {
        var desk = UIFixture.desk()
        desk.typeWholeAssistanceOnlyApplication()
        let values = desk.intake!.values
        _ = desk.press(.function(2))
        _ = desk.update(.saveFailed("ディスクがいっぱいです"))
        #expect(desk.intake?.saving == false)
        #expect(desk.intake?.values == values)
        #expect(desk.screen == .intake)
        #expect(desk.status?.kind == .error)
        #expect(desk.status?.text.contains("ディスクがいっぱいです") == true)
        #expect(desk.render().text.contains("保存できませんでした：ディスクがいっぱいです"))
        let retry = desk.press(.function(2))
        #expect(retry.count == 1)
        if case .save(let app, _)? = retry.first { Self.expectNormalisedApplication(app) } else { Issue.record("no retry: \(retry)") }
    }

    // MARK: Choices and checks

    @Test("Choice keys: ←→ and Space step through the options, a digit picks one, a wrong digit does nothing")
    func choiceKeys() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown)
        #expect(desk.focusedFieldID == IntakeFieldID.hasProxy)
        let v = { desk.intake!.values[IntakeFieldID.hasProxy] }
        #expect(v() == "")
        desk.press(.right); #expect(v() == "none")
        desk.press(.right); #expect(v() == "proxy")
        desk.press(.right); #expect(v() == "none")      // wraps round
        desk.press(.left); #expect(v() == "proxy")
        desk.press(.char(" ")); #expect(v() == "none")
        desk.press(.char("2")); #expect(v() == "proxy")
        desk.press(.char("3")); #expect(v() == "proxy")
        desk.press(.char("1")); #expect(v() == "none")
        #expect(desk.intake?.dirty == true)
    }

    @Test("R-IN-2 choosing 代理人 reveals the proxy fields")
    func proxyReveals() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown)
        #expect(!desk.render().text.contains("代理人氏名"))
        desk.press(.char("2"), .tab)
        #expect(desk.focusedFieldID == IntakeFieldID.proxyName)
        #expect(desk.render().text.contains("代理人氏名"))
    }

    @Test("Check boxes toggle with Space (and x)")
    func checkToggles() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .char("1"), .tab)
        #expect(desk.focusedFieldID == IntakeFieldID.requestTicked)
        desk.press(.char(" "))
        #expect(desk.intake?.values[IntakeFieldID.requestTicked] == "1")
        #expect(desk.render().text.contains("[x] 申請書の「利用登録の解除を申請します」に印がある"))
        desk.press(.char(" "))
        #expect(desk.intake?.values[IntakeFieldID.requestTicked] == "")
        desk.press(.char("x"))
        #expect(desk.intake?.values[IntakeFieldID.requestTicked] == "1")
        desk.press(.char("q"))                             // any other letter is not a tick
        #expect(desk.intake?.values[IntakeFieldID.requestTicked] == "1")
    }

    // MARK: Branch

    @Test("R-BR-3 the insurer fields appear only for insured applicants")
    func insuredRevealsInsurerFields() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .pageDown, .char("1"))
        var text = desk.render().text
        #expect(!text.contains("保険者番号"))
        // R-RL-1 (amended 2026-11-30): the alternatives are shown to the assistance-only applicant too
        // (this line asserted they were hidden before), without the insurer's 資格確認書.
        #expect(text.contains("（R-RL-1）") && text.contains("顔認証"))
        #expect(!text.contains("資格確認書"))
        desk.press(.char("2"))
        text = desk.render().text
        #expect(text.contains("保険者名"))
        #expect(text.contains("保険者番号"))
        #expect(text.contains("保険者への申請"))
        #expect(text.contains("保険の確認方法"))
        #expect(text.contains("（R-RL-1）"))
        desk.press(.tab)
        #expect(desk.focusedFieldID == IntakeFieldID.insurerName)
    }

    @Test("R-IN-2 the proxy's e-mail is on the review page; a wrong one is named there", arguments: [
        ("ichiro@example.jp", true), ("ichiro.example.jp", false),
    ])
    func proxyEmailOnReview(_ email: String, _ valid: Bool) {
        var desk = UIFixture.desk(height: 60)
        desk.openIntake()
        desk.press(.pageDown)
        desk.press(.char("2"), .tab)
        desk.paste("鈴木　一郎"); desk.press(.tab, .tab)
        desk.paste("090-1234-5678"); desk.press(.tab)
        desk.paste(email); desk.press(.tab)
        #expect(desk.focusedFieldID == IntakeFieldID.proxyRelationship)
        desk.press(.pageDown, .pageDown, .pageDown, .pageDown)
        #expect(desk.currentPageID == "review")
        let text = desk.render().text
        #expect(text.contains("代理人メール"), "\(text)")
        #expect(text.contains(valid ? "ichiro@example.jp" : "ichiro.example.jp"), "\(text)")
        #expect((desk.intake?.problems[IntakeFieldID.proxyEmail] != nil) == !valid)
    }

    @Test("R-IN-4 g appears only for insured applicants")
    func explainedGOnlyForInsured() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .pageDown, .char("1"), .pageDown, .pageDown)
        #expect(desk.currentPageID == "explain")
        #expect(!desk.render().text.contains("g 保険者にも解除の申請が必要"))
        #expect(desk.intake!.targets(desk.config.form).count == 6)
        desk.press(.pageUp, .pageUp, .char("2"), .pageDown, .pageDown)
        #expect(desk.currentPageID == "explain")
        #expect(desk.render().text.contains("[ ] g 保険者にも解除の申請が必要（併用の方）"))
        #expect(desk.intake!.targets(desk.config.form).count == 7)
    }

    @Test("R-BR-5 picking 健康保険証 after 2025-12-01 shows the warning in the help area")
    func healthInsuranceCardWarning() {
        func verifiedByCard(today: LocalDate) -> String {
            var desk = UIFixture.desk(today: today)
            desk.openIntake()
            desk.press(.pageDown, .pageDown, .char("2"))
            desk.press(.tab, times: 4)
            #expect(desk.focusedFieldID == IntakeFieldID.insuranceVerifiedBy)
            desk.press(.char("5"))
            #expect(desk.intake?.values[IntakeFieldID.insuranceVerifiedBy] == "health_insurance_card")
            return desk.render().text
        }
        let after = verifiedByCard(today: UIFixture.today)
        #expect(after.contains("！ 健康保険証が使えたのは令和7年12月1日までです"))
        // The help area is the two rows above the status and key lines.
        let rows = after.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows[20].contains("健康保険証が使えたのは"))
        let before = verifiedByCard(today: LocalDate(year: 2025, month: 11, day: 30)!)
        #expect(!before.contains("健康保険証が使えたのは"))
    }

    @Test("R-BR-5 資格情報のお知らせ is noted as not an identity document")
    func eligibilityNoticeNote() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .pageDown, .char("2"))
        desk.press(.tab, times: 4)
        desk.press(.char("3"))
        let text = desk.render().text
        #expect(text.contains("！ 資格情報のお知らせ・マイナポータルの画面は本人確認書類にはなりません"))
        #expect(text.contains("（R-BR-5）"))
        #expect(!text.contains("健康保険証が使えたのは"))
    }

    // MARK: Tickets

    @Test("R-PT-1 the ticket table grows a blank row as rows are filled; the month is shown in 和暦 when left")
    func ticketRows() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .pageDown, .pageDown)
        #expect(!desk.render().text.contains("医療機関・薬局名"))
        desk.press(.char("2"), .tab)
        #expect(desk.intake?.values.tickets.count == 1)
        desk.press(.char(" "))
        #expect(desk.intake?.values.tickets[0].kind == "medical")
        #expect(desk.intake?.values.tickets.count == 2)
        desk.press(.tab); desk.paste("デモ診療所")
        desk.press(.tab); desk.paste("R8.12"); desk.press(.tab)
        #expect(desk.intake?.values.tickets[0] == TicketDraft(kind: "medical", institution: "デモ診療所", month: "令和8年12月"))
        #expect(desk.intake?.values.tickets.count == 2)
    }

    @Test("keys that arrive together are separate keys outside a text box (three Spaces tick, untick, tick)")
    func runOfKeysOnACheckBox() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .char("1"), .tab)
        #expect(desk.focusedFieldID == IntakeFieldID.requestTicked)
        desk.paste("   ")
        #expect(desk.intake?.values[IntakeFieldID.requestTicked] == "1")
        // In a text box the same run is typed text.
        desk.press(.tab, .tab)
        #expect(desk.focusedFieldID == IntakeFieldID.reason)
        desk.paste("a b")
        #expect(desk.intake?.values[IntakeFieldID.reason] == "a b")
    }
}
