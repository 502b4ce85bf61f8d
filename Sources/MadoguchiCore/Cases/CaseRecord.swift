import Foundation
import OrderedCollections

/// Where a case stands (issue 3: one explicit state machine; see `CaseLifecycle` for the moves).
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    /// 受付済み (a transient state before branching; kept for cases opened by other means).
    case received
    /// 登録待ち: assistance-only, the office registers it to the 中間サーバー (R-BR-2).
    case awaitingRegistration = "awaiting_registration"
    /// 保険者の登録待ち: insured, the insurer registers it; confirm in the monthly file (R-BR-3).
    case waitingForInsurer = "waiting_for_insurer"
    /// 転入: applied at another office, moved here before the cancellation; this office issues paper
    /// tickets and confirms in the monthly file, but does not register (R-PT-3).
    case transferredIn = "transferred_in"
    /// 登録ファイル作成済み: in a bulk file, waiting for the result file (R-RG-1, R-RG-4).
    case exported
    /// 登録済み: accepted by the server; cancelled at the end of the next month (R-DT-1).
    case registered
    /// 保留: held by the server (R-HC-1 #1–4), re-checked at the next month-end (R-HC-2).
    case held
    /// 登録エラー: the result file said 異常終了; fix and register again (R-RG-5).
    case registrationFailed = "registration_failed"
    /// 解除確認済み: the monthly status file confirmed it (R-CF-1).
    case confirmed
    /// 取消: cancelled by the server (R-HC-1 #5, R-HC-3).
    case cancelledByServer = "cancelled_by_server"
    /// 転出: moved to another office before the cancellation (R-IN-4 f).
    case transferredOut = "transferred_out"
    /// 取下げ: withdrawn by the applicant.
    case withdrawn

    public var label: String {
        switch self {
        case .received: return "受付済み"
        case .awaitingRegistration: return "登録待ち"
        case .waitingForInsurer: return "保険者の登録待ち"
        case .transferredIn: return "転入（前の事務所で手続中）"
        case .exported: return "登録結果待ち"
        case .registered: return "登録済み"
        case .held: return "保留"
        case .registrationFailed: return "登録エラー"
        case .confirmed: return "解除確認済み"
        case .cancelledByServer: return "取消"
        case .transferredOut: return "転出"
        case .withdrawn: return "取下げ"
        }
    }

    /// Still being followed (not ended).
    public var isOpen: Bool {
        switch self {
        case .confirmed, .cancelledByServer, .transferredOut, .withdrawn: return false
        default: return true
        }
    }
}

public struct ReceivedPayload: Codable, Sendable, Hashable {
    public var application: Application
    public var status: CaseStatus

    public init(application: Application, status: CaseStatus) { self.application = application; self.status = status }
}

public struct TicketsIssuedPayload: Codable, Sendable, Hashable {
    public var tickets: [PaperTicket]
    /// Why they were issued: `intake` (R-PT-1) or `monthly` (R-PT-2).
    public var occasion: String

    public init(tickets: [PaperTicket], occasion: String) { self.tickets = tickets; self.occasion = occasion }
}

/// One case (案件): an application and everything that happened to it, folded from the journal.
/// A case has its own number; the 受給者番号 is never its key (R-ID-2).
public struct CaseRecord: Sendable, Hashable, Codable {
    /// What a case holds. Kept in a shared box, copied only when a copy is changed (copy on write):
    /// the book, the desk's list and its sorted orders each hold every case, and copying 25,000
    /// cases of ~700 bytes with their strings on every write was most of a write key's time and a
    /// fifth of the desk's memory (issue 14, P2 and P5).
    struct Fields: Sendable, Hashable {
        let number: String
        var application: Application
        var status: CaseStatus
        var receivedAt: String
        var receivedBy: String
        var ticketsIssued: [PaperTicket]
        var intakeTicketCount = 0
        var history: [JournalRecord]
        var lifecycle = LifecycleFacts()
        var notices: [NoticeRecord] = []
    }

    final class Box: @unchecked Sendable {
        // Mutated only through `CaseRecord`'s setters after `isKnownUniquelyReferenced`: never shared while changed.
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    init(number: String, application: Application, status: CaseStatus, receivedAt: String, receivedBy: String,
         ticketsIssued: [PaperTicket], history: [JournalRecord]) {
        box = Box(Fields(number: number, application: application, status: status, receivedAt: receivedAt, receivedBy: receivedBy,
                         ticketsIssued: ticketsIssued, history: history))
    }

    /// The fields, for changing: the box is copied first if another value shares it.
    private var unique: Fields {
        get { box.fields }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            yield &box.fields
        }
    }

    public var number: String { box.fields.number }
    public var application: Application {
        get { box.fields.application }
        _modify { yield &unique.application }
        set { unique.application = newValue }
    }
    public var status: CaseStatus {
        get { box.fields.status }
        _modify { yield &unique.status }
        set { unique.status = newValue }
    }
    public var receivedAt: String {
        get { box.fields.receivedAt }
        _modify { yield &unique.receivedAt }
        set { unique.receivedAt = newValue }
    }
    public var receivedBy: String {
        get { box.fields.receivedBy }
        _modify { yield &unique.receivedBy }
        set { unique.receivedBy = newValue }
    }
    public var ticketsIssued: [PaperTicket] {
        get { box.fields.ticketsIssued }
        _modify { yield &unique.ticketsIssued }
        set { unique.ticketsIssued = newValue }
    }
    /// How many of `ticketsIssued` (the first ones) were issued at intake (R-PT-1); a correction
    /// replaces exactly these (R-AM-1).
    public var intakeTicketCount: Int {
        get { box.fields.intakeTicketCount }
        _modify { yield &unique.intakeTicketCount }
        set { unique.intakeTicketCount = newValue }
    }
    /// Every journal line of this case, oldest first.
    public var history: [JournalRecord] {
        get { box.fields.history }
        _modify { yield &unique.history }
        set { unique.history = newValue }
    }
    /// Lifecycle facts (issue 3), set by `CaseLifecycle`.
    public var lifecycle: LifecycleFacts {
        get { box.fields.lifecycle }
        _modify { yield &unique.lifecycle }
        set { unique.lifecycle = newValue }
    }
    /// Notices produced for this case (R-NT-1..4), oldest first.
    public var notices: [NoticeRecord] {
        get { box.fields.notices }
        _modify { yield &unique.notices }
        set { unique.notices = newValue }
    }

    /// The stored fields as one value (the binary form's field count is checked against it).
    var fieldsForTests: Fields { box.fields }

    public static func == (a: CaseRecord, b: CaseRecord) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    public func hash(into h: inout Hasher) { h.combine(box.fields) }

    /// `BinaryCoding` writes and reads cases by hand (`writeBinary`); `Codable` only lets the book's
    /// stored form be `Codable`.
    public func encode(to encoder: Encoder) throws {
        throw EncodingError.invalidValue(number, .init(codingPath: encoder.codingPath, debugDescription: "cases are written only by the fold snapshot"))
    }

    public init(from decoder: Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "cases are read only from the fold snapshot"))
    }

    /// The day the application was taken (the date part of `receivedAt`).
    public var receivedOn: LocalDate? { LocalDate(iso: String(receivedAt.prefix(10))) }

    /// Things the clerk still has to do on this case, said plainly.
    public var reminders: [String] {
        var r: [String] = []
        if application.branch == .assistanceOnly && application.serverIndividualNumber == nil && status.isOpen {
            r.append("被保険者枝番（16桁）が未入力です。一括登録の前に入力してください（R-RG-2）")
        }
        if application.holdsValidTickets && ticketsIssued.isEmpty {
            r.append("紙の医療券・調剤券が未交付です（R-PT-1）")
        }
        if application.insurance?.appliedToInsurer == .toldToApply && status.isOpen {
            r.append("保険者への解除申請を案内済み。申請したか確かめてください（R-BR-4）")
        }
        if status == .registrationFailed {
            // R-RG-5 fix and resend, or R-RG-6 already registered: do not resend.
            r.append("登録エラー：\(lifecycle.failureMessage ?? "")。\(RegistrationFailure.of(lifecycle.failureMessage).advice)")
        }
        if CaseLifecycle.isPersistentHold(self) {
            r.append("保留が続いています（\(lifecycle.consecutiveHolds)回）。原因を確かめてください（R-HC-2）")
        }
        return r
    }
}

/// All cases, folded from journal records in order.
public struct CaseBook: Sendable {
    /// The cases by number, in the order they were opened (issue 7: `all` was a new array of every
    /// case, built by hashing every number, each time a screen, a reminder list or an import asked;
    /// now it is the dictionary's array of values, shared until the book changes).
    private var book: OrderedDictionary<String, CaseRecord> = [:]
    /// Every case by number (built on demand; `self[number]` and `all` are the quick ways in).
    public var cases: [String: CaseRecord] { Dictionary(uniqueKeysWithValues: book.lazy.map { ($0.key, $0.value) }) }
    /// How many cases there are.
    public var count: Int { book.count }
    /// Case numbers in the order they were opened.
    public var order: [String] { book.keys.elements }
    /// Lines whose event type this version does not know (written by a newer version): kept, not lost.
    public private(set) var unknownEvents: [JournalRecord] = []
    /// Files exported and imported, office-level events (`case` is `-`), oldest first.
    public private(set) var fileEvents: [FileEvent] = []
    /// Lists printed on the office's printer (`list.printed`, office-level lines), oldest first.
    public private(set) var officePrints: [JournalRecord] = []
    /// Bulk registration batches awaiting, given or refused sign-off (issue 4).
    var batches: [String: SignOffBatch] = [:]
    var batchOrder: [String] = []
    /// Reminders the clerk marked done, by reminder id (issue 4).
    public private(set) var doneReminders: [String: JournalRecord] = [:]
    /// One copy of each institution's name, shared by all the tickets issued for it (issue 7, P5:
    /// a year of monthly tickets repeats the same few names thousands of times).
    private var institutionNames: [String: String] = [:]

    public init() {}

    public var all: [CaseRecord] { book.values.elements }

    public subscript(number: String) -> CaseRecord? { book[number] }

    public mutating func apply(_ record: JournalRecord) throws {
        // Decoded from `record`; kept as `kept`, which holds its data as bytes (issue 7, P5).
        let kept = record.compacted
        switch record.eventType {
        case .received: try open(record, kept: kept)
        case .ticketsIssued: try applyTickets(record, kept: kept)
        case .noticeIssued:
            let p = try record.data.decode(as: NoticeIssuedPayload.self)
            guard inPlace(record.caseNumber, { c in
                c.notices.append(NoticeRecord(record: record, payload: p))
                c.history.append(kept)
            }) else {
                throw CaseError.inconsistentJournal(line: record.lineNumber, message: "まだない案件 \(record.caseNumber) に通知の記録があります")
            }
        case .applicationCorrected: try applyCorrection(record, kept: kept)
        case .noticePrinted:
            _ = try record.data.decode(as: PrintedPayload.self)
            guard inPlace(record.caseNumber, { $0.history.append(kept) }) else {
                throw CaseError.inconsistentJournal(line: record.lineNumber, message: "まだない案件 \(record.caseNumber) に通知の印刷の記録があります")
            }
        case .listPrinted:
            officePrints.append(kept)
        case .reminderDone:
            let p = try record.data.decode(as: ReminderDone.Payload.self)
            doneReminders[p.id] = kept
            inPlace(record.caseNumber) { $0.history.append(kept) }
        case .fileRecorded:
            let event = FileEvent(record: kept, payload: try record.data.decode(as: FileEvent.Payload.self))
            fileEvents.append(event)
            if let batch = event.payload.batch { markBatchExported(batch, file: event.payload.fileName) }
        case .batchPrepared, .batchApproved, .batchReturned:
            try applySignOff(record)
        case .officeOpened, .keyEnrolled, .keyRevoked, .checkpointSigned, .anchorRecreated:
            break   // keys, checkpoints, the office: replayed by `JournalTrust`, not by the cases
        case .registrationExported, .registrationAccepted, .registrationFailed, .registrationRequeued, .registrationManual,
             .serverHeld, .serverHoldCleared, .serverCancelled, .cancellationConfirmed,
             .caseTransferredOut, .caseWithdrawn, .caseServerNumberSet, .caseReregistered:
            try applyLifecycle(record, kept: kept)
        case nil, .accessListed, .accessSearched, .accessOpened, .accessExported, .accessPrinted, .accessVerified, .accessAudited:
            // A type this version does not know (written by a newer one), or an access-log line,
            // which belongs in its own file: kept aside, not lost, and not acted on.
            unknownEvents.append(kept)
            inPlace(record.caseNumber) { $0.history.append(kept) }
        }
    }

    /// `case.received`: a new case, with room for its lines when the whole journal is being folded.
    private mutating func open(_ record: JournalRecord, kept: JournalRecord) throws {
        let p = try FastPayload.received(record.data)
        guard book.index(forKey: record.caseNumber) == nil else {
            throw CaseError.inconsistentJournal(line: record.lineNumber, message: "案件 \(record.caseNumber) が二度受け付けられています")
        }
        var opened = CaseRecord(
            number: record.caseNumber, application: p.application, status: p.status,
            receivedAt: record.time, receivedBy: record.operatorID, ticketsIssued: [], history: [kept])
        if let hint = sizeHints[record.caseNumber] {
            // The whole journal is being folded: room for all of this case's lines and tickets at once.
            opened.history.reserveCapacity(hint.lines)
            opened.ticketsIssued.reserveCapacity(hint.ticketLines)
        }
        book.updateValue(opened, forKey: record.caseNumber)
    }

    /// `tickets.issued`: paper tickets added to the case, each institution's name shared.
    private mutating func applyTickets(_ record: JournalRecord, kept: JournalRecord) throws {
        var p = try FastPayload.tickets(record)
        for i in p.tickets.indices {
            let name = p.tickets[i].institution
            if let shared = institutionNames[name] {
                p.tickets[i] = PaperTicket(kind: p.tickets[i].kind, institution: shared, month: p.tickets[i].month)
            } else {
                institutionNames[name] = name
            }
        }
        guard inPlace(record.caseNumber, { c in
            // Issued at intake: in the same write as the application, before any other ticket.
            if p.occasion == "intake" && c.intakeTicketCount == c.ticketsIssued.count { c.intakeTicketCount += p.tickets.count }
            c.ticketsIssued.append(contentsOf: p.tickets)
            c.history.append(kept)
        }) else {
            throw CaseError.inconsistentJournal(line: record.lineNumber, message: "まだない案件 \(record.caseNumber) に医療券の交付があります")
        }
    }

    /// `application.corrected` (R-AM-1): rare lines, decoded through Codable (no fast path needed).
    private mutating func applyCorrection(_ record: JournalRecord, kept: JournalRecord) throws {
        let p = try record.data.decode(as: CorrectionPayload.self)
        do {
            // `Correction.apply` refuses before it changes anything.
            guard try inPlace(record.caseNumber, { c in
                try Correction.apply(p, to: &c)
                c.history.append(kept)
            }) else {
                throw CaseError.inconsistentJournal(line: record.lineNumber, message: "まだない案件 \(record.caseNumber) に訂正があります")
            }
        } catch let e as CaseError {
            if case .inconsistentJournal = e { throw e }
            throw CaseError.inconsistentJournal(line: record.lineNumber, message: e.description)
        }
    }

    /// A move of the case's state machine (`CaseLifecycle`), refused unless allowed from its state.
    private mutating func applyLifecycle(_ record: JournalRecord, kept: JournalRecord) throws {
        guard book.index(forKey: record.caseNumber) != nil else {
            throw CaseError.inconsistentJournal(line: record.lineNumber, message: "まだない案件 \(record.caseNumber) に \(record.type) があります")
        }
        let event = try CaseLifecycle.decode(record)
        do {
            // `apply` refuses before it changes anything, so changing the case in place is safe.
            try inPlace(record.caseNumber) { c in
                try CaseLifecycle.apply(event, to: &c)
                c.history.append(kept)
            }
        } catch let e as CaseError {
            throw CaseError.inconsistentJournal(line: record.lineNumber, message: e.description)
        }
    }

    /// The book as the fold snapshot keeps it (issue 14): what the fold made, not its indexes.
    struct Stored: Codable {
        var list: [CaseRecord]
        var unknownEvents: [JournalRecord]
        var fileEvents: [FileEvent]
        var officePrints: [JournalRecord]
        var batches: [SignOffBatch]
        var doneReminders: [String: JournalRecord]

        /// No cases: what a log's verified prefix is kept with (the access log has no book).
        static let empty = CaseBook().stored

        /// The same with every journal record replaced by `f`'s.
        func mapRecords(_ f: (JournalRecord) -> JournalRecord) -> Stored {
            var s = self
            for i in s.list.indices { s.list[i].history = s.list[i].history.map(f) }
            s.unknownEvents = unknownEvents.map(f)
            s.fileEvents = fileEvents.map { FileEvent(record: f($0.record), payload: $0.payload) }
            s.officePrints = officePrints.map(f)
            s.doneReminders = doneReminders.mapValues(f)
            return s
        }
    }

    var stored: Stored {
        Stored(list: book.values.elements, unknownEvents: unknownEvents, fileEvents: fileEvents, officePrints: officePrints,
               batches: signOffBatches, doneReminders: doneReminders)
    }

    /// A book from its stored form, its indexes built again.
    init(_ s: Stored) {
        unknownEvents = s.unknownEvents
        fileEvents = s.fileEvents
        officePrints = s.officePrints
        doneReminders = s.doneReminders
        book.reserveCapacity(s.list.count)
        for c in s.list {
            book[c.number] = c
            for t in c.ticketsIssued { institutionNames[t.institution] = t.institution }
        }
        for b in s.batches {
            batches[b.id] = b
            batchOrder.append(b.id)
        }
    }

    mutating func replace(_ number: String, _ c: CaseRecord) {
        book[number] = c
    }

    /// Lines per case of a journal about to be folded whole (see `reserve(for:)`).
    private var sizeHints: [String: (lines: Int, ticketLines: Int)] = [:]

    /// Before folding a whole journal: room for its cases, and for each case's lines, so neither the
    /// table nor a case's history grows again and again (issue 7: growing by doubling left a third
    /// of the histories' memory unused). `endFold()` drops the hints.
    mutating func reserve(for records: [JournalRecord]) {
        var hints: [String: (lines: Int, ticketLines: Int)] = [:]
        var opened = 0
        for r in records where r.caseNumber != FileEvent.officeCase {
            // The text compared, not looked up: read lines hold the type's own literal (`JournalLine.knownType`).
            if r.type == EventType.received.rawValue { opened += 1 }
            hints[r.caseNumber, default: (0, 0)].lines += 1
            if r.type == EventType.ticketsIssued.rawValue { hints[r.caseNumber, default: (0, 0)].ticketLines += 2 }
        }
        book.reserveCapacity(opened)
        sizeHints = hints
    }

    mutating func endFold() { sizeHints = [:] }

    /// Changes a case where it is kept, so appending to its history does not copy it (issue 7: the
    /// fold copied every case's history once per line). False when there is no such case.
    @discardableResult
    private mutating func inPlace(_ number: String, _ body: (inout CaseRecord) throws -> Void) rethrows -> Bool {
        guard let i = book.index(forKey: number) else { return false }
        try body(&book.values[i])
        return true
    }

    /// The next case number for a year: `2026-0001`, `2026-0002`, …
    public func nextNumber(year: Int) -> String {
        let prefix = String(format: "%04d-", year)
        let used = order.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }
        return prefix + String(format: "%04d", (used.max() ?? 0) + 1)
    }
}

public enum CaseError: Error, CustomStringConvertible, Equatable {
    case inconsistentJournal(line: Int, message: String)
    case invalidApplication([FieldProblem])
    /// The event is not allowed from the case's state (issue 3: every illegal transition refused).
    case illegalTransition(caseNumber: String, from: CaseStatus, event: String)
    case noSuchCase(String)
    case invalidEvent(String)

    public var description: String {
        switch self {
        case .inconsistentJournal(let line, let message): return "記録の \(line)行目: \(message)"
        case .invalidApplication(let problems): return problems.map(\.description).joined(separator: "\n")
        case .illegalTransition(let n, let from, let event):
            return "案件 \(n) は「\(from.label)」なので「\(event)」は記録できません"
        case .noSuchCase(let n): return "案件 \(n) はありません"
        case .invalidEvent(let m): return m
        }
    }
}

/// An office-level record of a file the desk wrote or read (R-RG-3 which cases went into which
/// file; R-FL-4 a file imported twice changes nothing the second time).
public struct FileEvent: Sendable, Hashable, Codable {
    /// The `case` field of office-level journal lines.
    public static let officeCase = "-"

    public enum Kind: String, Codable, Sendable {
        case registrationExport = "registration_export"
        case resultImport = "result_import"
        case statusImport = "status_import"
    }

    public struct Payload: Codable, Sendable, Hashable {
        public var kind: Kind
        public var fileName: String
        /// SHA-256 of the file's bytes.
        public var sha256: String
        /// Case numbers the file changed (exported, registered, failed, confirmed).
        public var cases: [String]
        public var rows: Int
        /// The signed-off batch a registration export wrote (issue 4).
        public var batch: String?
        /// Status imports: electronic certificates that had expired or were to expire within two
        /// months of the import, as 被保険者枝番 → ISO date (R-RL-2; the reminders read the last file's).
        public var certificates: [String: String]?
        public init(kind: Kind, fileName: String, sha256: String, cases: [String], rows: Int, batch: String? = nil) {
            self.kind = kind
            self.fileName = fileName
            self.sha256 = sha256
            self.cases = cases
            self.rows = rows
            self.batch = batch
        }
    }

    public let record: JournalRecord
    public let payload: Payload
}
