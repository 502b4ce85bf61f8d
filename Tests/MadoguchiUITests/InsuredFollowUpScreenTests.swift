import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// R-CF-4 on the desk: the unconfirmed insured case's follow-up is on 今日の要対応 (F9) and can be
/// marked done like any reminder.
@Suite("Insured follow-up on the desk (R-CF-4)", .tags(.unit))
struct InsuredFollowUpScreenTests {
    @Test("R-CF-4 F9 shows the follow-up of the insured case two months on; Enter marks that occurrence done")
    func followUpOnTheDesk() throws {
        var book = CaseBook()
        let cases = try UIFixture.threeCases { book = $0.book }
        let insured = try #require(cases.first { $0.status == .waitingForInsurer })
        let day = try #require(insured.receivedOn).addingMonths(2)
        var desk = UIFixture.desk(width: 100, height: 30, cases: cases, today: day)
        let due = Reminders.due(in: book, today: day).filter { $0.kind == .insuredFollowUp }
        #expect(due.map(\.caseNumber) == [insured.number])
        _ = desk.update(.remindersChanged(due))
        desk.press(.function(9))
        #expect(desk.screen == .reminders)
        let text = desk.render().text
        #expect(text.contains("保険者の登録・転入の確認"), "\(text)")
        #expect(text.contains("R-CF-4") && text.contains(insured.number), "\(text)")
        desk.press(.enter)
        guard case .form? = desk.dialog else { Issue.record("no note form"); return }
        desk.paste("本人と保険者に確認")
        #expect(desk.press(.enter) == [.markReminderDone(id: "insured_followup:\(insured.number):\(day.iso)", note: "本人と保険者に確認")])
    }
}
