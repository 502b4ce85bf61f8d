import Foundation
import Testing
import MadoguchiBench
@testable import MadoguchiUI
import MadoguchiCore

/// Issue 14 (P2): after `.casesTouched`, the list's cached orders, counts, number index and search
/// index are patched for the touched cases only. Whatever changed, the desk must show what a desk
/// given the same cases from scratch shows.
@Suite("Case list patched after a change (issue 14)", .tags(.unit))
struct CaseListPatchTests {
    static let queries = ["ヤ", "ア", "2026", "1", "タ", "0001"]

    /// Everything the list derives from the cases, asked so that every cache entry exists.
    static func derived(_ desk: inout DeskState) -> [String] {
        var out: [String] = []
        let (sort, descending) = (desk.list.sort, desk.list.descending)
        for key in CaseListState.SortKey.allCases {
            for d in [false, true] {
                desk.list.sort = key
                desk.list.descending = d
                out.append("\(key) \(d): " + desk.sortedOrder.map { desk.cases[$0].number }.joined(separator: ","))
            }
        }
        desk.list.sort = sort
        desk.list.descending = descending
        out.append(desk.caseListSummary)
        for q in queries {
            out.append("/\(q): " + desk.searchMatched(q).enumerated().filter(\.element).map { desk.cases[$0.offset].number }.joined(separator: ","))
        }
        let index = desk.listCache.caseIndex(desk.cases, version: desk.casesVersion)
        out.append("index: " + desk.cases.indices.map { "\(index[desk.cases[$0].number] ?? -1)" }.joined(separator: ","))
        return out
    }

    @Test("Random changes of a few cases and new cases: the patched list equals the list built from scratch; a missed case shows")
    func patchedEqualsFromScratch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-listpatch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: .init(cases: 90, events: 600, statusRows: 10), seed: 5)
        let store = CaseStore(journalURL: out.journal)
        try store.load()
        let everyCase = store.book.all
        var rng = SeededRandom(state: 11)
        var current = Array(everyCase.prefix(60))
        var desk = UIFixture.desk(width: 100, height: 30, cases: current)
        // Its own state, not a copy (a copy shares the cache, whose entries follow the last version asked).
        var blind = UIFixture.desk(width: 100, height: 30, cases: current)
        _ = Self.derived(&desk)
        _ = Self.derived(&blind)
        var blindWrong = false
        let furigana = ["アオキ ハナコ", "ワタナベ ジロウ", "ヤマダ タロウ", "ア", "ンドウ"]
        for step in 0..<60 {
            var touched: Set<String> = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let i = Int.random(in: 0..<current.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: current[i].status = CaseStatus.allCases.randomElement(using: &rng)!
                case 1: current[i].application.applicant.furigana = furigana.randomElement(using: &rng)!
                case 2: current[i].application.applicationDate = [LocalDate(year: 2026, month: 1, day: 5)!, LocalDate(year: 2026, month: 11, day: 24)!,
                                                                    LocalDate(year: 2025, month: 12, day: 31)!].randomElement(using: &rng)!
                default: current[i].application.recipientNumber = String(Int.random(in: 1_000_000...9_999_999, using: &rng))
                }
                touched.insert(current[i].number)
            }
            if step % 7 == 3, current.count < everyCase.count {
                current.append(everyCase[current.count])   // a case opened since (at the end, not named)
            }
            _ = desk.update(.casesTouched(touched))
            _ = desk.update(.casesChanged(current))
            var fresh = UIFixture.desk(width: 100, height: 30, cases: current)
            #expect(Self.derived(&desk) == Self.derived(&fresh), "step \(step)")
            // Told nothing changed though something did: the comparison must see it.
            _ = blind.update(.casesTouched([]))
            _ = blind.update(.casesChanged(current))
            if Self.derived(&blind) != Self.derived(&fresh) { blindWrong = true }
        }
        #expect(blindWrong, "a desk never told which cases changed stays right: the comparison cannot fail")
    }

    @Test("Without .casesTouched new cases rebuild everything; the hint is used once; a copy of the state keeps its own list")
    func hintOnlyForTheNextCases() throws {
        let all = try CaseListCacheTests.cases(seed: 3, count: 40)
        var desk = UIFixture.desk(width: 100, height: 30, cases: Array(all.prefix(30)))
        desk.list.sort = .status
        _ = Self.derived(&desk)
        let copy = desk
        var changed = Array(all.prefix(30))
        changed[4].status = .withdrawn
        _ = desk.update(.casesTouched([changed[4].number]))
        _ = desk.update(.casesChanged(changed))
        #expect(desk.pendingTouched == nil)
        var fresh = UIFixture.desk(width: 100, height: 30, cases: changed)
        fresh.list.sort = .status
        #expect(Self.derived(&desk) == Self.derived(&fresh))
        // The next cases come without a hint: built again, whatever changed.
        changed[9].status = .confirmed
        _ = desk.update(.casesChanged(changed))
        fresh = UIFixture.desk(width: 100, height: 30, cases: changed)
        fresh.list.sort = .status
        #expect(Self.derived(&desk) == Self.derived(&fresh))
        var original = copy
        var originalFresh = UIFixture.desk(width: 100, height: 30, cases: Array(all.prefix(30)))
        originalFresh.list.sort = .status
        #expect(Self.derived(&original) == Self.derived(&originalFresh))
        // A save selects the new case's row in the sorted list.
        var grown = changed
        grown.append(all[30])
        _ = desk.update(.casesTouched([all[30].number]))
        _ = desk.update(.saved(caseNumber: all[30].number, cases: grown))
        #expect(desk.sortedCases[desk.list.selected].number == all[30].number)
    }
}
