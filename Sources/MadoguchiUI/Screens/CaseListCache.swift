import Foundation
import MadoguchiCore

/// What the case list derives from the cases and today's reminders — the sorted order, the counts
/// per status, the reminders per case — kept between keystrokes (issue 7, P2). Moving the cursor
/// used to sort every case and count every reminder for every frame: O(n log n) per key, 170 ms at
/// 25,000 cases. Now a key costs only the rows on screen; the work is redone only when the cases,
/// the reminders or the sort order change.
///
/// Entries are keyed by versions taken from one process-wide counter (`DeskVersion.next()`), so two
/// copies of a `DeskState` that share this box never mistake each other's data. A reference type
/// inside a value: the state stays a plain value to `update` and `render`, which stay pure (the
/// cache only remembers what they would compute anyway).
final class CaseListCache: @unchecked Sendable {
    let lock = NSLock()
    private var orders: [OrderKey: [Int]] = [:]
    private var ordersVersion: UInt64 = 0
    private var counts: (version: UInt64, byStatus: [CaseStatus: Int])?
    private var reminderCounts: (version: UInt64, byCase: [String: Int])?
    /// `/` search (ListSearch.swift): the index, the last answer, case number → index.
    var searchIndex: (version: UInt64, index: CaseSearch)?
    var lastSearch: (version: UInt64, query: String, matched: [Bool])?
    var numberIndex: (version: UInt64, byNumber: [String: Int])?

    struct OrderKey: Hashable {
        let sort: CaseListState.SortKey
        let descending: Bool
    }

    /// Indices into `cases` in the list's order.
    func order(_ cases: [CaseRecord], version: UInt64, sort: CaseListState.SortKey, descending: Bool) -> [Int] {
        lock.lock()
        defer { lock.unlock() }
        if ordersVersion != version {
            orders = [:]
            ordersVersion = version
        }
        let up = OrderKey(sort: sort, descending: false)
        let ascending: [Int]
        if let a = orders[up] {
            ascending = a
        } else {
            ascending = CaseListCache.sorted(cases, by: sort)
            orders[up] = ascending
        }
        guard descending else { return ascending }
        let down = OrderKey(sort: sort, descending: true)
        if let d = orders[down] { return d }
        let d = Array(ascending.reversed())
        orders[down] = d
        return d
    }

    /// The same order as sorting the records with `<` on the key, then the case number (what the
    /// list always did), computed on extracted keys so each comparison is cheap.
    static func sorted(_ cases: [CaseRecord], by sort: CaseListState.SortKey) -> [Int] {
        let numbers = cases.map(\.number)
        var idx = Array(cases.indices)
        func by<T: Comparable>(_ keys: [T]) {
            idx.sort { a, b in
                let ka = keys[a], kb = keys[b]
                if ka != kb { return ka < kb }
                return numbers[a] < numbers[b]
            }
        }
        switch sort {
        case .number: idx.sort { numbers[$0] < numbers[$1] }
        case .name: by(cases.map(\.application.applicant.furigana))
        case .branch: by(cases.map(\.application.branch.rawValue))
        case .status: by(cases.map(\.status.label))
        case .applicationDate: by(cases.map(\.application.applicationDate))
        }
        return idx
    }

    func statusCounts(_ cases: [CaseRecord], version: UInt64) -> [CaseStatus: Int] {
        lock.lock()
        defer { lock.unlock() }
        if let c = counts, c.version == version { return c.byStatus }
        var byStatus: [CaseStatus: Int] = [:]
        for c in cases { byStatus[c.status, default: 0] += 1 }
        counts = (version, byStatus)
        return byStatus
    }

    func reminders(_ reminders: [Reminder], version: UInt64) -> [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        if let r = reminderCounts, r.version == version { return r.byCase }
        var byCase: [String: Int] = [:]
        for r in reminders { if let n = r.caseNumber { byCase[n, default: 0] += 1 } }
        reminderCounts = (version, byCase)
        return byCase
    }
}

// MARK: - Carrying the cache over a change of a few cases (issue 14, P2)

extension CaseListCache {
    /// Whether the ascending order by `sort` is cached for `version`.
    func hasOrder(version: UInt64, sort: CaseListState.SortKey) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return ordersVersion == version && orders[OrderKey(sort: sort, descending: false)] != nil
    }

    func hasSearchIndex(version: UInt64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return searchIndex?.version == version
    }

    /// More touched cases than this: the orders are sorted again rather than patched.
    static let patchLimit = 512

    /// The cases changed from `old` (version `from`) to `new` (version `to`) only at `positions`
    /// (indices into `new`; every index from `old.count` on is a case opened since and must be among
    /// them): carries the orders, the counts, the number index and the search index over to `to`,
    /// computing only those cases again. What is not cached for `from` is left to be built.
    func carry(from: UInt64, to: UInt64, old: [CaseRecord], new: [CaseRecord], positions: [Int]) {
        lock.lock()
        defer { lock.unlock() }
        let touched = Set(positions)
        if ordersVersion == from {
            var carried: [OrderKey: [Int]] = [:]
            for (key, order) in orders where !key.descending {
                carried[key] = positions.count > Self.patchLimit ? Self.sorted(new, by: key.sort)
                    : Self.patched(order, new, by: key.sort, touched: touched, positions: positions)
            }
            orders = carried
            ordersVersion = to
        }
        if var c = counts, c.version == from {
            for p in positions {
                if p < old.count {
                    let s = old[p].status
                    c.byStatus[s, default: 0] -= 1
                    if c.byStatus[s] == 0 { c.byStatus[s] = nil }
                }
                c.byStatus[new[p].status, default: 0] += 1
            }
            counts = (to, c.byStatus)
        }
        if var m = numberIndex, m.version == from {
            for p in positions where p >= old.count { m.byNumber[new[p].number] = p }
            numberIndex = (to, m.byNumber)
        }
        if let s = searchIndex, s.version == from {
            searchIndex = (to, s.index.replacing(positions, in: new))
        }
        lastSearch = nil
    }

    /// `order` (ascending by `sort`, over the old cases) without the touched cases, then each of them
    /// put back where it now sorts.
    static func patched(_ order: [Int], _ cases: [CaseRecord], by sort: CaseListState.SortKey,
                        touched: Set<Int>, positions: [Int]) -> [Int] {
        var out = touched.isEmpty ? order : order.filter { !touched.contains($0) }
        let less = precedes(cases, by: sort)
        for p in positions {
            var lo = 0, hi = out.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if less(out[mid], p) { lo = mid + 1 } else { hi = mid }
            }
            out.insert(p, at: lo)
        }
        return out
    }

    /// The order `sorted(_:by:)` gives, as a comparison of two indices into `cases`.
    static func precedes(_ cases: [CaseRecord], by sort: CaseListState.SortKey) -> (Int, Int) -> Bool {
        func by<T: Comparable>(_ key: @escaping (CaseRecord) -> T) -> (Int, Int) -> Bool {
            { a, b in
                let ka = key(cases[a]), kb = key(cases[b])
                if ka != kb { return ka < kb }
                return cases[a].number < cases[b].number
            }
        }
        switch sort {
        case .number: return { cases[$0].number < cases[$1].number }
        case .name: return by(\.application.applicant.furigana)
        case .branch: return by(\.application.branch.rawValue)
        case .status: return by(\.status.label)
        case .applicationDate: return by(\.application.applicationDate)
        }
    }
}

/// A process-wide counter for the versions of the desk's data (see `CaseListCache`).
enum DeskVersion {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var counter: UInt64 = 0

    static func next() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        counter &+= 1
        return counter
    }
}
