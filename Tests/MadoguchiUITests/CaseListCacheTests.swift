import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore
import MadoguchiBench

/// Issue 7 (P2): the case list's cached order is the order the list always had, and follows changes.
@Suite("Case list cache (issue 7)", .tags(.unit))
struct CaseListCacheTests {
    static func cases(seed: UInt64 = 7, count: Int = 80) throws -> [CaseRecord] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-listcache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: .init(cases: count, events: count * 6, statusRows: 10), seed: seed)
        let store = CaseStore(journalURL: out.journal)
        try store.load()
        return store.book.all
    }

    /// The list's order before the cache: sort the records on the key, then the number; reverse for descending.
    static func naive(_ cases: [CaseRecord], _ key: CaseListState.SortKey, descending: Bool) -> [String] {
        let sorted = cases.sorted { a, b in
            func ordered<T: Comparable>(_ x: T, _ y: T) -> Bool? { x == y ? nil : x < y }
            let primary: Bool?
            switch key {
            case .number: primary = ordered(a.number, b.number)
            case .name: primary = ordered(a.application.applicant.furigana, b.application.applicant.furigana)
            case .branch: primary = ordered(a.application.branch.rawValue, b.application.branch.rawValue)
            case .status: primary = ordered(a.status.label, b.status.label)
            case .applicationDate: primary = ordered(a.application.applicationDate, b.application.applicationDate)
            }
            return primary ?? (a.number < b.number)
        }
        return (descending ? sorted.reversed() : sorted).map(\.number)
    }

    @Test("Every sort key and direction gives the order the list always had")
    func sameOrderAsBefore() throws {
        let all = try Self.cases()
        var desk = UIFixture.desk(width: 100, height: 30, cases: all)
        for key in CaseListState.SortKey.allCases {
            for descending in [false, true] {
                desk.list.sort = key
                desk.list.descending = descending
                #expect(desk.sortedCases.map(\.number) == Self.naive(all, key, descending: descending), "\(key) \(descending)")
                // Asked twice (from the cache) it is the same.
                #expect(desk.sortedCases.map(\.number) == Self.naive(all, key, descending: descending))
            }
        }
    }

    @Test("New cases, a copy of the state and new reminders are never answered from stale data")
    func followsChanges() throws {
        let first = try Self.cases(seed: 1, count: 40)
        let second = try Self.cases(seed: 2, count: 60)
        var desk = UIFixture.desk(width: 100, height: 30, cases: first)
        desk.list.sort = .name
        let copy = desk
        _ = desk.update(.casesChanged(second))
        #expect(desk.sortedCases.map(\.number) == Self.naive(second, .name, descending: false))
        #expect(copy.sortedCases.map(\.number) == Self.naive(first, .name, descending: false))
        #expect(desk.render().text.contains("案件一覧　60件"))
        #expect(copy.render().text.contains("案件一覧　40件"))
        // The reminder column follows today's reminders.
        let top = desk.sortedCases[0]
        desk.reminders = [Reminder(id: "x", kind: .serverNumberMissing, caseNumber: top.number, name: "", message: "m", due: nil),
                          Reminder(id: "y", kind: .serverNumberMissing, caseNumber: top.number, name: "", message: "m", due: nil),
                          Reminder(id: "z", kind: .serverNumberMissing, caseNumber: top.number, name: "", message: "m", due: nil)]
        #expect(desk.reminderCount(top) == 3)
        desk.reminders = []
        #expect(desk.reminderCount(top) == top.reminders.count)
    }

    @Test("Enter opens the case on the selected row of the sorted list")
    func enterOpensSelectedRow() throws {
        let all = try Self.cases(count: 30)
        var desk = UIFixture.desk(width: 100, height: 30, cases: all)
        _ = desk.update(.key(.function(6)))   // number, descending
        _ = desk.update(.key(.down))
        _ = desk.update(.key(.down))
        _ = desk.update(.key(.enter))
        #expect(desk.screen == .caseDetail(Self.naive(all, .number, descending: true)[2]))
    }
}
