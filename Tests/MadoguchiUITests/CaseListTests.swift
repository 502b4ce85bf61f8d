import Testing
@testable import MadoguchiUI
import MadoguchiCore

@Suite("Case list (sorting, opening, reloads)", .tags(.unit))
struct CaseListTests {
    func numbers(_ desk: DeskState) -> [String] { desk.sortedCases.map(\.number) }

    @Test("F6 cycles: same key reversed first, then the next key ascending")
    func sortCycle() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        #expect(numbers(desk) == ["2026-0001", "2026-0002", "2026-0003"])
        desk.press(.function(6))
        #expect(desk.list.sort == .number && desk.list.descending)
        #expect(numbers(desk) == ["2026-0003", "2026-0002", "2026-0001"])
        #expect(desk.status?.text == "並べ替え：番号（降順）")
        desk.press(.function(6))                           // フリガナ: アオキ, スズキ, ヤマダ
        #expect(desk.list.sort == .name && !desk.list.descending)
        #expect(numbers(desk) == ["2026-0003", "2026-0002", "2026-0001"])
        #expect(desk.render().text.contains("並び：フリガナ↑"))
        desk.press(.ctrl("o"))                             // the Ctrl twin does the same
        #expect(desk.list.sort == .name && desk.list.descending)
        #expect(numbers(desk) == ["2026-0001", "2026-0002", "2026-0003"])
        desk.press(.function(6))                           // 区分: 単独 before 併用, ties by number
        #expect(desk.list.sort == .branch && !desk.list.descending)
        #expect(numbers(desk) == ["2026-0001", "2026-0003", "2026-0002"])
        desk.press(.function(6), .function(6))             // 状態 ascending
        #expect(desk.list.sort == .status && !desk.list.descending)
        desk.press(.function(6), .function(6))             // 申請日 ascending
        #expect(desk.list.sort == .applicationDate && !desk.list.descending)
        #expect(numbers(desk) == ["2026-0001", "2026-0002", "2026-0003"])
        desk.press(.function(6), .function(6))             // back round to 番号
        #expect(desk.list.sort == .number && !desk.list.descending)
    }

    @Test("Enter opens the selected row of the sorted list; Esc returns")
    func enterOpensSelected() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(6), .function(6))             // by フリガナ: 0003, 0002, 0001
        desk.press(.down)
        #expect(desk.list.selected == 1)
        desk.press(.enter)
        #expect(desk.screen == .caseDetail("2026-0002"))
        #expect(desk.render().text.contains("案件 2026-0002　鈴木　花子"))
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        desk.press(.up, .enter)
        #expect(desk.screen == .caseDetail("2026-0003"))
    }

    @Test("Selection stays within the list: ↑ at the top and ↓ at the bottom stop")
    func selectionBounds() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.up)
        #expect(desk.list.selected == 0)
        desk.press(.down, .down, .down, .down)
        #expect(desk.list.selected == 2)
        var empty = UIFixture.desk()
        empty.press(.down, .enter)
        #expect(empty.list.selected == 0)
        #expect(empty.screen == .caseList)
    }

    @Test(".casesChanged keeps the selection in range")
    func casesChangedClamps() throws {
        let cases = try UIFixture.threeCases()
        var desk = UIFixture.desk(cases: cases)
        desk.press(.end)
        #expect(desk.list.selected == 2)
        _ = desk.update(.casesChanged(Array(cases.prefix(1))))
        #expect(desk.list.selected == 0)
        #expect(desk.cases.count == 1)
        _ = desk.update(.casesChanged([]))
        #expect(desk.list.selected == 0)
        #expect(desk.render().text.contains("まだ案件はありません"))
        desk.press(.enter)                                 // nothing to open
        #expect(desk.screen == .caseList)
        _ = desk.update(.casesChanged(cases))
        desk.press(.down)
        _ = desk.update(.casesChanged(cases))              // still in range: unchanged
        #expect(desk.list.selected == 1)
    }

    @Test("F5 asks for a reload")
    func reload() {
        var desk = UIFixture.desk()
        #expect(desk.press(.function(5)) == [.reload])
        #expect(desk.press(.ctrl("r")) == [.reload])
    }
}
