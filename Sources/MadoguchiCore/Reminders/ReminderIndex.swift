import Foundation

/// Today's reminders kept between changes of the journal (issue 14, P2): `Reminders.due`, without
/// recomputing every case after each append. A case's reminders depend on that case, the day, the
/// tickets' month and the settings alone (`Reminders.forCase`), so after an append or a catch-up only
/// the cases the new lines touched are computed again; the office-level reminders (result files,
/// certificates, batches) are few and are recomputed each time, the files' waiting cases only for the
/// files that hold a touched case. A new day, other settings or another viewer: everything again.
///
/// `due` always equals `Reminders.due(in: book, today:, settings:, for:, operatorNames:)` for the book
/// last given (the tests compare both after random sequences of moves).
public struct ReminderIndex: Sendable {
    /// What the whole list depends on besides the book.
    public struct Basis: Equatable, Sendable {
        public var today: LocalDate
        public var settings: ReminderSettings
        public var viewer: Operator?
        public var operatorNames: [String: String]

        public init(today: LocalDate, settings: ReminderSettings = .default, viewer: Operator? = nil,
                    operatorNames: [String: String] = [:]) {
            self.today = today
            self.settings = settings
            self.viewer = viewer
            self.operatorNames = operatorNames
        }
    }

    public private(set) var basis: Basis
    /// The reminders of the day not marked done, most urgent first (as `Reminders.due`).
    public private(set) var due: [Reminder] = []
    /// Every case's reminders not marked done, in the list's order.
    private var perCase: [Ranked] = []
    /// Case number → its place in the book's order (the reminders' "age").
    private var age: [String: Int] = [:]
    private var knownCases = 0
    private var knownDone = 0
    /// R-RG-4: for each registration export file (by its place in `book.fileEvents`), its cases still
    /// waiting for a result; and which files hold a case.
    private var waiting: [Int: [String]] = [:]
    private var filesOfCase: [String: [Int]] = [:]
    private var knownFiles = 0
    /// R-RL-2: the cases with each 被保険者枝番, oldest first, and each case's number.
    private var byServer: [String: [String]] = [:]
    private var serverOf: [String: String] = [:]

    /// Everything computed from `book`.
    public init(_ book: CaseBook, basis: Basis) {
        self.basis = basis
        update(book, touched: [])
    }

    /// Brings the list up to `book`, in which only the cases numbered in `touched` (and cases opened
    /// since the last update) may have changed, for `basis`. Another basis than the last one: every
    /// case again.
    public mutating func update(_ book: CaseBook, touched: Set<String>, basis new: Basis? = nil) {
        if let new, new != basis {
            self = ReminderIndex(book, basis: new)
            return
        }
        let order = book.order
        var changed = touched.filter { age[$0] != nil }
        if knownCases > order.count {
            self = ReminderIndex(book, basis: basis)   // a smaller book: not an update of this one
            return
        }
        for i in knownCases..<order.count {
            age[order[i]] = i
            changed.insert(order[i])
        }
        knownCases = order.count
        let all = book.all
        let month = basis.today.yearMonth

        // The touched cases' reminders, computed again and merged into the others.
        var fresh: [Ranked] = []
        if changed.count == order.count {
            // Every case (the desk's start, a new day): on every core, before the first frame.
            fresh = Self.everyCase(all, done: book.doneReminders, basis: basis, month: month)
        } else {
            for n in changed {
                guard let i = age[n] else { continue }
                for r in Reminders.forCase(all[i], today: basis.today, month: month, settings: basis.settings)
                where book.doneReminders[r.id] == nil {
                    fresh.append(Ranked(r, age: i))
                }
            }
            fresh.sort(by: <)
        }
        // In place: the list is this index's own, so nothing is copied but the touched cases' entries.
        if !changed.isEmpty { perCase.removeAll { changed.contains($0.reminder.caseNumber ?? "") } }
        if book.doneReminders.count != knownDone {
            // A done mark is written on its reminder's case, so it touched that case; one written
            // elsewhere (by hand, by another version) is caught here.
            perCase.removeAll { book.doneReminders[$0.reminder.id] != nil }
            knownDone = book.doneReminders.count
        }
        if fresh.count > 64 {
            perCase = Self.merge(perCase, fresh)
        } else {
            for r in fresh { perCase.insert(r, at: Self.insertionPoint(of: r, in: perCase)) }
        }

        updateFiles(book, changed: changed)
        updateServerNumbers(all, changed: changed)
        var office = resultsToImport(book) + certificateExpiry(book)
        if let viewer = basis.viewer { office += Reminders.signOff(book, for: viewer, operatorNames: basis.operatorNames) }
        let ranked = office.filter { book.doneReminders[$0.id] == nil }
            .map { Ranked($0, age: $0.caseNumber.flatMap { age[$0] } ?? -1) }.sorted(by: <)
        // One copy of the list per change: the desk holds the previous one.
        var out: [Reminder] = []
        out.reserveCapacity(perCase.count + ranked.count)
        var from = 0
        for r in ranked {
            let at = Self.insertionPoint(of: r, in: perCase)
            out += perCase[from..<at].lazy.map(\.reminder)
            out.append(r.reminder)
            from = at
        }
        out += perCase[from...].lazy.map(\.reminder)
        due = out
    }

    /// Every case's reminders in order, computed in slices on every core and merged (the order is
    /// total — ties end on the id — so the result is the one-core result).
    static func everyCase(_ all: [CaseRecord], done: [String: JournalRecord], basis: Basis, month: YearMonth,
                          casesPerSlice: Int = 2_000, workers most: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Ranked] {
        let workers = max(1, min(most, 8, all.count / casesPerSlice + 1))
        let slices = Slices(count: workers)
        let size = (all.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var out: [Ranked] = []
            for i in (w * size)..<min(all.count, (w + 1) * size) {
                for r in Reminders.forCase(all[i], today: basis.today, month: month, settings: basis.settings) where done[r.id] == nil {
                    out.append(Ranked(r, age: i))
                }
            }
            out.sort(by: <)
            slices.set(w, out)
        }
        return slices.all.reduce([]) { merge($0, $1) }
    }

    /// Each worker's slice, written by that worker only.
    final class Slices: @unchecked Sendable {
        private var slices: [[Ranked]]
        private let lock = NSLock()
        init(count: Int) { slices = Array(repeating: [], count: count) }
        func set(_ i: Int, _ s: [Ranked]) { lock.lock(); slices[i] = s; lock.unlock() }
        var all: [[Ranked]] { lock.lock(); defer { lock.unlock() }; return slices }
    }

    /// Where `r` goes in `list` (ordered): after every entry not after it.
    static func insertionPoint(of r: Ranked, in list: [Ranked]) -> Int {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if r < list[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Two lists in order, as one.
    static func merge(_ a: [Ranked], _ b: [Ranked]) -> [Ranked] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var out: [Ranked] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out += a[i...]
        out += b[j...]
        return out
    }

    // MARK: R-RG-4

    private mutating func updateFiles(_ book: CaseBook, changed: Set<String>) {
        let files = book.fileEvents
        var again = Set<Int>()
        for n in changed { again.formUnion(filesOfCase[n] ?? []) }
        for i in knownFiles..<files.count where files[i].payload.kind == .registrationExport {
            for n in files[i].payload.cases { filesOfCase[n, default: []].append(i) }
            again.insert(i)
        }
        knownFiles = files.count
        for i in again {
            let e = files[i]
            waiting[i] = e.payload.cases.filter { n in
                guard let c = book[n] else { return false }
                return c.status == .exported && c.lifecycle.exportFile == e.payload.fileName
            }
        }
    }

    /// As `Reminders.resultsToImport`, from the waiting cases kept per file.
    private func resultsToImport(_ book: CaseBook) -> [Reminder] {
        var out: [Reminder] = []
        for (i, e) in book.fileEvents.enumerated() where e.payload.kind == .registrationExport {
            guard let exportedOn = e.record.day else { continue }
            let dueOn = exportedOn.addingDays(basis.settings.resultsAfterDays)
            guard dueOn <= basis.today, let w = waiting[i], !w.isEmpty else { continue }
            out.append(Reminders.resultsToImport(e, exportedOn: exportedOn, due: dueOn, waiting: w, book: book))
        }
        return out
    }

    // MARK: R-RL-2

    private mutating func updateServerNumbers(_ all: [CaseRecord], changed: Set<String>) {
        for n in changed {
            guard let i = age[n] else { continue }
            let now = all[i].application.serverIndividualNumber
            let before = serverOf[n]
            guard now != before else { continue }
            if let before {
                byServer[before]?.removeAll { $0 == n }
                if byServer[before]?.isEmpty == true { byServer[before] = nil }
            }
            serverOf[n] = now
            if let now {
                // Kept in the book's order, as `Reminders.certificateExpiry` folds them.
                var list = byServer[now] ?? []
                let at = list.firstIndex { (age[$0] ?? 0) > i } ?? list.count
                list.insert(n, at: at)
                byServer[now] = list
            }
        }
    }

    /// As `Reminders.certificateExpiry`: among the cases with one 被保険者枝番, the last open one,
    /// else the first.
    private func certificateExpiry(_ book: CaseBook) -> [Reminder] {
        Reminders.certificateExpiry(book, today: basis.today) { server in
            guard let numbers = byServer[server], var chosen = book[numbers[0]] else { return nil }
            for n in numbers.dropFirst() {
                if let c = book[n], c.status.isOpen { chosen = c }
            }
            return chosen
        }
    }
}
