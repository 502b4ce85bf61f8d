import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

@Suite("Supervisor's pending list screen (issue 4)")
struct PendingScreenTests {
    @Test("F8 opens the pending list; one-key filters narrow it; x clears; Esc returns")
    func filters() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8))
        #expect(desk.screen == .pending)
        #expect(desk.pendingList.rows.count == 3)
        desk.press(.char("b"))                             // 医療扶助単独
        #expect(desk.pendingList.rows.map(\.number) == ["2026-0001", "2026-0003"])
        desk.press(.char("b"))                             // 併用
        #expect(desk.pendingList.rows.map(\.number) == ["2026-0002"])
        #expect(desk.render().text.contains("絞り込み：医療保険・医療扶助併用"))
        desk.press(.char("x"))
        #expect(desk.pendingList.rows.count == 3)
        desk.press(.char("h"))                             // nobody is held
        #expect(desk.pendingList.rows.isEmpty)
        #expect(desk.render().text.contains("該当する案件はありません"))
        desk.press(.escape)
        #expect(desk.screen == .caseList)
    }

    @Test("Enter opens the selected case; Esc from it returns to the pending list")
    func openCase() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.ctrl("v"), .down, .enter)
        #expect(desk.screen == .caseDetail("2026-0002"))
        desk.press(.escape)
        #expect(desk.screen == .pending)
    }

    @Test("e asks for the CSV of exactly the list on screen (filters and order)")
    func csvEffect() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8), .char("b"), .function(6))
        var expected = PendingFilter()
        expected.branch = .assistanceOnly
        #expect(desk.press(.char("e")) == [.exportPendingCSV(expected, .number, descending: true)])
    }

    @Test("Pending list at 80×24: counts per status, the table and the chart by month")
    func snapshot() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8))
        Snapshot.check(desk.render(), "pending-list")
    }
}
