import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// Issue 15 item 5: the city's read-only desk — only the pending list, every office's cases with an
/// office column and an office filter, no key that writes.
@Suite("City pending screen", .tags(.unit))
struct CityPendingScreenTests {
    /// 北 (all three cases), 南 (the first two, the same case numbers), and 西 whose journal did not verify.
    static func offices() throws -> [CityOfficeCases] {
        let cases = try UIFixture.threeCases()
        return [
            CityOfficeCases(office: "12130027", name: "北福祉事務所", cases: cases),
            CityOfficeCases(office: "12130019", name: "南福祉事務所", cases: Array(cases.prefix(2))),
            CityOfficeCases(office: "12130035", name: "西福祉事務所", cases: [],
                            problem: CityOfficeProblem(line: 12, reason: "ハッシュが一致しません（行が書き換えられています）")),
        ]
    }

    static func desk(width: Int = 80, height: Int = 24) throws -> DeskState {
        DeskState.city(name: "テスト市", operatorID: "kimura", operatorName: "木村 一郎", today: UIFixture.today,
                       width: width, height: height, offices: try offices())
    }

    @Test("opens on the pending list: rows of every office, the office's name first, the broken office named; the status line says read-only")
    func opens() throws {
        let desk = try Self.desk()
        #expect(desk.screen == .pending)
        let text = desk.render().text
        #expect(text.contains("市の一覧（閲覧のみ）"))
        // At 80 columns the office's name is cut with … (whole at 120, see the snapshots).
        #expect(text.contains(" 南福祉…  2026-0001") && text.contains(" 北福祉…  2026-0003"))
        #expect(text.contains("【記録を確かめられません】西福祉事務所（12130035）12 行目"))
        #expect(desk.pendingList.rows.map(\.office) == ["12130019", "12130019", "12130027", "12130027", "12130027"])
    }

    @Test("a search on the city's desk is recorded with each case as office/case, as the city's list is (R-SG-4)")
    func searchRecordsOfficeAndCase() throws {
        var desk = try Self.desk()
        let number = desk.pendingList.rows[0].number   // in both 南 and 北: the same number in two offices
        var effects = desk.press(.char("/"))
        for ch in number { effects += desk.press(.char(ch)) }
        effects += desk.press(.enter)
        let searches = effects.compactMap { effect -> AccessEvent? in
            if case .recordAccess(let e) = effect, e.kind == .searched { return e } else { return nil }
        }
        #expect(searches.count == 1)
        #expect(searches.first?.via == "desk --city /")
        #expect(searches.first.map { Set($0.cases) } == ["12130019/\(number)", "12130027/\(number)"])
    }

    @Test("f steps through the offices one by one, then back to all")
    func officeFilter() throws {
        var desk = try Self.desk()
        desk.press(.char("f"))
        #expect(desk.pending.office == "12130019")
        #expect(desk.pendingList.rows.count == 2)
        #expect(desk.render().text.contains("事務所 南福祉事務所"))
        desk.press(.char("f"))
        #expect(desk.pending.office == "12130027")
        #expect(desk.pendingList.rows.count == 3)
        desk.press(.char("f"), .char("f"))
        #expect(desk.pending.office == nil)
        #expect(desk.pendingList.rows.count == 5)
    }

    @Test("no key writes or leaves the list: Enter, e, p, F2, F3, F4, F7, F8, F9 and Esc do nothing but say read-only; F5 reloads; F10 quits")
    func readOnly() throws {
        var desk = try Self.desk()
        for key in [Key.enter, .char("e"), .char("p"), .function(2), .function(3), .function(4), .function(7), .function(8), .function(9), .escape] {
            #expect(desk.press(key) == [], "\(key)")
            #expect(desk.screen == .pending, "\(key)")
            #expect(desk.dialog == nil, "\(key)")
        }
        desk.press(.enter)
        #expect(desk.status?.text.contains("閲覧のみ") == true)
        let footer = desk.render().footerText
        for write in ["Enter", "CSV", "印刷", "新規受付", "取込", "記録"] { #expect(!footer.contains(write), "\(write)") }
        #expect(desk.press(.function(5)) == [.reload])
        #expect(desk.press(.function(10)) == [.quit])
    }

    @Test("help names only what the city's desk does")
    func help() throws {
        var desk = try Self.desk(width: 120, height: 40)
        desk.press(.function(1))
        let text = desk.render().text
        #expect(text.contains("市の未完了一覧"))
        #expect(text.contains("f 事務所"))
        #expect(!text.contains("新規受付") && !text.contains("p 絞り込んだ一覧を印刷"))
        desk.press(.escape)
        #expect(desk.screen == .pending)
    }

    @Test("each row of the city's list is its own office's case (numbers repeat from office to office), for the search")
    func rowCases() throws {
        let desk = try Self.desk()
        let rows = desk.pendingList.rows
        let indices = desk.pendingRowCases()
        #expect(indices.allSatisfy { $0 >= 0 })
        #expect(Set(indices).count == rows.count)
        for (row, i) in zip(rows, indices) { #expect(desk.cases[i].number == row.number) }
        #expect(desk.city?.caseOffices[indices[0]] == rows[0].office)
    }

    @Test("City pending screen at 80×24")
    func snapshot80() throws {
        Snapshot.check(try Self.desk().render(), "city-pending-80x24")
    }

    @Test("City pending screen at 120×40, one office chosen")
    func snapshot120() throws {
        var desk = try Self.desk(width: 120, height: 40)
        Snapshot.check(desk.render(), "city-pending-120x40")
        desk.press(.char("f"))
        Snapshot.check(desk.render(), "city-pending-office-120x40")
    }
}
