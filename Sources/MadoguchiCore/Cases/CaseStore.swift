import Foundation

/// The cases of one office, backed by its journal. Every change goes through the journal first:
/// a method returns only after the event is on disk (fsync), and the folded state is updated from
/// what was written, never the other way round.
public final class CaseStore {
    /// Where the events are kept: the local journal file, or a database (issue 15).
    public let journal: any JournalStore
    /// The local journal file, when the events are kept in one (training always; the fold snapshot).
    public var journalFile: Journal? { journal.localJournal }
    public internal(set) var book = CaseBook()
    /// How many journal records are folded into `book`.
    public private(set) var knownCount = 0
    /// The case number of each record folded after the first `foldedBase` (see `casesTouched`).
    private var folded: [String] = []
    private var foldedBase = 0

    /// The proven operator's fold snapshot (issue 14): set before `load()` so a start resumes from
    /// it; nil folds the whole journal every time (a training desk before sign-in, tests).
    public var foldKey: FoldSnapshotKey?
    /// Whether the last `load()` resumed from the fold snapshot.
    public private(set) var resumedFromSnapshot = false

    public convenience init(journalURL: URL) {
        self.init(journal: Journal(url: journalURL))
    }

    public init(journal: any JournalStore) {
        self.journal = journal
    }

    /// Replays the journal. A torn last line is set aside by the journal and reported in the result.
    /// With a fold snapshot that still matches the journal, only the lines after it are read and
    /// folded (their `records` are only those); the journal is otherwise folded whole, and a new
    /// snapshot written.
    @discardableResult
    public func load() throws -> JournalLoad {
        resumedFromSnapshot = false
        // A whole new book: nothing to say about which cases changed (`casesTouched` → rebuild).
        defer { folded = []; foldedBase = knownCount }
        if let key = foldKey, let file = journalFile, let snapshot = FoldSnapshot.read(key, journal: JournalSource(url: file.url)),
           let (resumed, stored) = try resume(snapshot) {
            var b = CaseBook(stored)
            for r in resumed.records { try b.apply(r) }
            book = b
            knownCount = resumed.lineCount
            resumedFromSnapshot = true
            if resumed.records.count >= FoldSnapshot.refreshAfter { try? saveSnapshot() }
            MemoryRelease.returnFreePages()
            return withUnreadableTypesSaid(resumed)
        }
        let loaded = try foldWhole()
        if foldKey != nil, loaded.lineCount > 0 { try? saveSnapshot() }
        MemoryRelease.returnFreePages()
        return withUnreadableTypesSaid(loaded)
    }

    /// A line whose type this version does not know (a newer version wrote it, or it is damaged) is
    /// kept in the journal and aside in the book, never acted on — and said aloud, naming the line,
    /// on every load (issue 16 item 2): the desk's status line, a command's standard error.
    private func withUnreadableTypesSaid(_ loaded: JournalLoad) -> JournalLoad {
        let unreadable = book.unknownEvents.compactMap { r -> JournalError? in
            do throws(JournalError) { _ = try EventType(of: r, in: journal.name); return nil } catch { return error }
        }
        guard let first = unreadable.first else { return loaded }
        var said = loaded
        let more = unreadable.count > 1 ? "（ほかに \(unreadable.count - 1) 行）" : ""
        said.warnings.append(first.description + "。この行は消さずに残し、案件には反映していません\(more)")
        return said
    }

    /// The journal's prefix hashed again and the lines after it verified (on other cores) while the
    /// snapshot's book is decoded; nil when either says the snapshot cannot be used.
    private func resume(_ snapshot: FoldSnapshot.Opened) throws -> (JournalLoad, CaseBook.Stored)? {
        guard let journal = journalFile else { return nil }
        let resumed = ResumeResult()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            resumed.value = Result { try journal.resume(from: snapshot.prefix) }
            done.signal()
        }
        let book = try? snapshot.decodeBook()
        done.wait()
        guard let loaded = try resumed.value!.get(), let book else { return nil }
        return (loaded, book)
    }

    /// Written by the one background task, read after it signalled.
    private final class ResumeResult: @unchecked Sendable { var value: Result<JournalLoad?, Error>? }

    private func foldWhole() throws -> JournalLoad {
        let loaded = try journal.load()
        book = try CaseBook(folding: loaded.records)
        knownCount = loaded.records.count
        // The records read keep their data as bytes (issue 7, P5): the result shares them with the book.
        return loaded
    }

    /// Folds in what other terminals appended since the last look. Returns whether anything changed.
    @discardableResult
    public func refresh() throws -> Bool {
        let new = try journal.records(after: knownCount)
        noteFolded(new)
        for r in new { try book.apply(r) }
        knownCount += new.count
        return !new.isEmpty
    }

    /// The case numbers of the records folded since `count` (a value `knownCount` had), so that what
    /// is derived from the book (today's reminders, the desk's list) is computed again for those cases
    /// only (issue 14, P2). Nil when that is not known — `count` is from before the last `load`, or
    /// from the future —, and then the caller computes everything again.
    public func casesTouched(since count: Int) -> Set<String>? {
        if count == knownCount { return [] }
        guard foldedBase + folded.count == knownCount, count >= foldedBase, count <= knownCount else { return nil }
        var numbers = Set(folded[(count - foldedBase)...])
        numbers.remove(FileEvent.officeCase)
        return numbers
    }

    /// Remembers the case numbers of records about to be folded after the first `knownCount` (the
    /// log starts again when `load` changed the count behind its back).
    private func noteFolded(_ records: [JournalRecord]) {
        if foldedBase + folded.count != knownCount {
            folded = []
            foldedBase = knownCount
        }
        folded += records.map(\.caseNumber)
    }

    /// 受付: records a checked application and, in the same write, the paper tickets issued now
    /// (R-PT-1). The case number is chosen under the journal's lock, after catching up with other
    /// terminals, so two desks never hand out the same number.
    public func receive(_ application: Application, ticketsIssuedNow tickets: [PaperTicket],
                        operatorID: String, now: Date) throws -> CaseRecord {
        if application.holdsValidTickets && tickets.isEmpty {
            throw CaseError.invalidApplication([FieldProblem(field: IntakeFieldID.tickets, label: "紙の医療券・調剤券",
                                                             message: "有効な医療券・調剤券がある方には交付を記録してください（R-PT-1）")])
        }
        var number = ""
        let status: CaseStatus = application.transferredFrom != nil ? .transferredIn
            : application.branch == .assistanceOnly ? .awaitingRegistration : .waitingForInsurer
        let result = try journal.append(knownCount: knownCount) { others in
            var catchUp = self.book
            for r in others { try catchUp.apply(r) }
            number = catchUp.nextNumber(year: LocalDate(now).year)
            var drafts = [EventDraft(caseNumber: number, type: EventType.received,
                                     data: try JSONValue(encoding: ReceivedPayload(application: application, status: status)),
                                     operatorID: operatorID, time: now)]
            if !tickets.isEmpty {
                drafts.append(EventDraft(caseNumber: number, type: EventType.ticketsIssued,
                                         data: try JSONValue(encoding: TicketsIssuedPayload(tickets: tickets, occasion: "intake")),
                                         operatorID: operatorID, time: now))
            }
            return drafts
        }
        try absorb(result.fromOthers + result.appended)
        return book[number]!
    }

    /// Folds records just read or written into the book.
    func absorb(_ records: [JournalRecord]) throws {
        noteFolded(records)
        for r in records { try book.apply(r) }
        knownCount += records.count
    }
}

// MARK: - Lifecycle moves (issue 3)

extension CaseStore {
    /// Records a lifecycle event on a case. The move is checked under the journal's lock against
    /// the case as it is on disk (after catching up with other terminals), so an edit based on a
    /// stale view is refused rather than applied twice.
    @discardableResult
    public func record(_ event: LifecycleEvent, on caseNumber: String, operatorID: String, now: Date) throws -> CaseRecord {
        try record([(caseNumber, event)], operatorID: operatorID, now: now)
        return book[caseNumber]!
    }

    /// Several moves in one durable write: all or none (an import never half-applies, R-FL-4).
    public func record(_ moves: [(caseNumber: String, event: LifecycleEvent)], operatorID: String, now: Date) throws {
        try commit(operatorID: operatorID, now: now) { _ in (moves, [], ()) }
    }

    /// The general form: under the journal's lock, `plan` sees the book as it is on disk and returns
    /// the moves to make, any other lines to write (office-level file records) and a result. Every
    /// move is checked (later ones see earlier ones); then everything is written in one append, or
    /// nothing is. If `plan` or a check throws, nothing is written and the book is brought up to date.
    public func commit<T>(operatorID: String, now: Date,
                          _ plan: (CaseBook) throws -> (moves: [(caseNumber: String, event: LifecycleEvent)], extra: [EventDraft], result: T)) throws -> T {
        var output: T?
        let written: (fromOthers: [JournalRecord], appended: [JournalRecord])
        do {
            written = try journal.append(knownCount: knownCount) { others in
                var current = self.book
                for r in others { try current.apply(r) }
                let (moves, extra, result) = try plan(current)
                var drafts: [EventDraft] = []
                // Later moves in the batch see earlier ones. Kept apart from the book so that one
                // move does not copy every case (issue 7, P4: an append was O(cases)).
                var moved: [String: CaseRecord] = [:]
                for (number, typed) in moves {
                    guard var c = moved[number] ?? current[number] else { throw CaseError.noSuchCase(number) }
                    try CaseLifecycle.checkTypedRun(typed, on: c, today: LocalDate(now))   // R-HC-2: a run typed
                    let event = CaseLifecycle.resolved(try CaseLifecycle.checkTyped(typed), on: c)   // R-HC-2: the run written
                    let before = c
                    try CaseLifecycle.apply(event, to: &c)   // refuses an illegal move before anything is written
                    try CaseLifecycle.checkDate(event, on: before, today: LocalDate(now))   // the office's today: `now` is its clock
                    drafts.append(try CaseLifecycle.draft(event, caseNumber: number, operatorID: operatorID, time: now))
                    moved[number] = c
                }
                output = result
                return drafts + extra
            }
        } catch {
            // A refused move may have been refused because another terminal moved the case first:
            // show the case as it now is.
            _ = try? refresh()
            throw error
        }
        try absorb(written.fromOthers + written.appended)
        return output!
    }
}
