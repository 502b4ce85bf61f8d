import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// Whole screens at 80×24 compared with Snapshots/*.txt (wide characters take two cells; the
/// continuation cell adds no text). Record with MADOGUCHI_RECORD_SNAPSHOTS=1, then read the files.
@Suite("Screen snapshots (80×24)", .tags(.unit))
struct SnapshotTests {
    @Test("Empty case list tells the clerk how to start, with the demo banner")
    func emptyCaseList() {
        let desk = UIFixture.desk()
        Snapshot.check(desk.render(), "case-list-empty")
    }

    @Test("Case list with three cases written through CaseStore")
    func caseListThree() throws {
        let desk = UIFixture.desk(cases: try UIFixture.threeCases())
        Snapshot.check(desk.render(), "case-list-three")
    }

    @Test("Case detail shows the application, the tickets issued and the history")
    func caseDetail() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.end, .enter)
        #expect(desk.screen == .caseDetail("2026-0003"))
        Snapshot.check(desk.render(), "case-detail")
    }

    @Test("Help screen lists every F-key with its Ctrl twin")
    func help() {
        var desk = UIFixture.desk()
        desk.press(.function(1))
        Snapshot.check(desk.render(), "help")
    }

    @Test("Intake page 1, nothing typed")
    func intakeEmpty() {
        var desk = UIFixture.desk()
        desk.openIntake()
        Snapshot.check(desk.render(), "intake-applicant-empty")
    }

    @Test("Intake page 1 with Japanese typed, ﾔﾏﾀﾞ normalised on leaving, and a check-digit error")
    func intakeTyped() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.typeChars("ﾔﾏﾀﾞ ﾀﾛｳ"); desk.press(.tab)
        desk.paste("山田　太郎"); desk.press(.tab)
        desk.paste("S45.1.2"); desk.press(.tab)
        desk.paste("123-4567"); desk.press(.tab)
        desk.paste("東京"); desk.press(.tab)
        desk.paste("千代田区"); desk.press(.tab)
        desk.paste("霞が関１－２－２"); desk.press(.tab)
        desk.paste("03-1234-5678"); desk.press(.tab, .tab)
        desk.paste(UIFixture.badRecipientNumber()); desk.press(.tab)
        #expect(desk.intake?.values[IntakeFieldID.furigana] == "ヤマダ\u{3000}タロウ")
        #expect(desk.intake?.problems[IntakeFieldID.recipientNumber] != nil)
        Snapshot.check(desk.render(), "intake-applicant-typed")
    }

    @Test("Branch page, insured: insurer fields and the R-RL-1 alternatives")
    func branchInsured() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .pageDown)
        desk.press(.char("2"), .tab)
        desk.paste("全国健康保険協会"); desk.press(.tab)
        desk.paste("0613001" + String(CheckDigit.compute("0613001")!)); desk.press(.tab)
        #expect(desk.focusedFieldID == IntakeFieldID.appliedToInsurer)
        Snapshot.check(desk.render(), "intake-branch-insured")
    }

    @Test("Branch page, assistance-only: the R-RL-1 alternatives without the insurer's 資格確認書")
    func branchAssistanceOnly() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .pageDown)
        desk.press(.char("1"))
        let text = desk.render().text
        #expect(text.contains("顔認証") && text.contains("目視確認") && !text.contains("資格確認書"))
        Snapshot.check(desk.render(), "intake-branch-assistance-only")
    }

    @Test("代理人 page with the proxy's e-mail typed (R-IN-2, 別添2 備考)")
    func formPageProxyEmail() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown)
        desk.press(.char("2"), .tab)
        desk.paste("鈴木　一郎"); desk.press(.tab)
        desk.paste("スズキ　イチロウ"); desk.press(.tab)
        desk.paste("090-1234-5678"); desk.press(.tab)
        desk.paste("ichiro@example.jp"); desk.press(.tab)
        #expect(desk.intake?.values[IntakeFieldID.proxyEmail] == "ichiro@example.jp")
        #expect(desk.focusedFieldID == IntakeFieldID.proxyRelationship)
        Snapshot.check(desk.render(), "intake-form-proxy-email")
    }

    @Test("Case detail of an application made by a proxy shows the proxy's e-mail")
    func caseDetailProxy() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.screen = .caseDetail("2026-0002")
        let text = desk.render().text
        #expect(text.contains("代理人（R-IN-2）") && text.contains("ichiro@example.jp"))
        Snapshot.check(desk.render(), "case-detail-proxy")
    }

    @Test("Tickets page with two paper tickets recorded (R-PT-1)")
    func ticketsTwoRows() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .pageDown, .pageDown)
        desk.press(.char("2"), .tab)
        desk.press(.char(" "), .tab); desk.paste("デモ診療所"); desk.press(.tab); desk.paste("R8.12"); desk.press(.tab)
        desk.press(.char(" "), .char(" "), .tab); desk.paste("デモ薬局"); desk.press(.tab); desk.paste("R8.12")
        #expect(desk.intake?.values.tickets.count == 3)
        Snapshot.check(desk.render(), "intake-tickets-two-rows")
    }

    @Test("Explanation page for an assistance-only applicant, a and b ticked")
    func explanation() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.press(.pageDown, .pageDown, .char("1"), .pageDown, .pageDown)
        desk.press(.char(" "), .tab, .char(" "), .tab)
        #expect(desk.currentPageID == "explain")
        Snapshot.check(desk.render(), "intake-explain")
    }

    @Test("Review page lists the problems first")
    func reviewProblems() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.fillApplicantPage()
        desk.press(.pageDown, .pageDown, .pageDown, .pageDown)
        #expect(desk.currentPageID == "review")
        Snapshot.check(desk.render(), "intake-review-problems")
    }

    @Test("Review page of a complete application says it can be saved")
    func reviewComplete() {
        var desk = UIFixture.desk()
        desk.typeWholeAssistanceOnlyApplication()
        #expect(desk.currentPageID == "review")
        Snapshot.check(desk.render(), "intake-review-complete")
    }

    @Test("Quit dialog over an unsaved application")
    func quitDialog() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.paste("ヤマダ")
        desk.press(.function(10))
        Snapshot.check(desk.render(), "quit-dialog")
    }

    @Test("Too-small terminal (60×20) says what size is needed")
    func tooSmall() {
        var desk = UIFixture.desk()
        _ = desk.update(.resize(width: 60, height: 20))
        let canvas = desk.render()
        #expect(canvas.width == 60 && canvas.height == 20)
        Snapshot.check(canvas, "too-small-60x20")
    }
}
