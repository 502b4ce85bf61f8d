import Foundation

/// Every kind of journal line the desk writes (記録の種類), spelled exactly as the journal spells it:
/// the raw value is the line's `type` field, so journals written before this enum read the same.
/// The journal's line format itself takes any text (`JournalRecord.type`); the domain writes and
/// compares only these (issue 16 item 2).
public enum EventType: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    // MARK: Intake (受付)
    /// 受付: the whole application (R-IN-1..5). Payload `ReceivedPayload`.
    case received = "case.received"
    /// 紙の医療券・調剤券の交付 (R-PT-1, R-PT-2). Payload `TicketsIssuedPayload`.
    case ticketsIssued = "tickets.issued"
    /// 訂正 (R-AM-1). Payload `CorrectionPayload`.
    case applicationCorrected = "application.corrected"

    // MARK: The case's lifecycle (`LifecycleEvent`, issue 3)
    case registrationExported = "registration.exported"
    case registrationAccepted = "registration.accepted"
    /// 統合専用端末で一件ずつ登録 (R-RG-8).
    case registrationManual = "registration.manual"
    case registrationFailed = "registration.failed"
    case registrationRequeued = "registration.requeued"
    case serverHeld = "server.held"
    case serverHoldCleared = "server.hold_cleared"
    case serverCancelled = "server.cancelled"
    case cancellationConfirmed = "cancellation.confirmed"
    case caseTransferredOut = "case.transferred_out"
    case caseWithdrawn = "case.withdrawn"
    case caseServerNumberSet = "case.server_number_set"
    case caseReregistered = "case.reregistered"

    // MARK: Notices, prints, reminders, files
    /// 通知の作成 (R-NT-4). Payload `NoticeIssuedPayload`.
    case noticeIssued = "notice.issued"
    /// A notice printed, on the notice's case (issue 11). Payload `PrintedPayload`.
    case noticePrinted = "notice.printed"
    /// A list (the pending list) printed: an office-level line (case `-`).
    case listPrinted = "list.printed"
    /// The clerk's "done" mark on one reminder occurrence. Payload `ReminderDone.Payload`.
    case reminderDone = "reminder.done"
    /// A file exported or imported, office-level (R-RG-3, R-FL-4). Payload `FileEvent.Payload`.
    case fileRecorded = "file.recorded"

    // MARK: Sign-off of a bulk registration batch (issue 4)
    case batchPrepared = "batch.prepared"
    case batchApproved = "batch.approved"
    case batchReturned = "batch.returned"

    // MARK: Safeguards (§10: R-SG-1, R-SG-2, R-SG-3, R-SG-5)
    /// 記録の開始: the office, its mode, and the first supervisor's key, self-signed. The first event
    /// of a new journal; in an older, unsigned journal, the line from which every line is signed.
    case officeOpened = "office.opened"
    /// 鍵の登録: an operator's public key and role, signed by a supervisor.
    case keyEnrolled = "key.enrolled"
    /// 鍵の失効: from this line on the key signs nothing.
    case keyRevoked = "key.revoked"
    /// チェックポイント: a supervisor attests that every line up to this one was verified.
    case checkpointSigned = "checkpoint.signed"
    /// アンカーの作り直し: the anchor was missing or blank when the journal was opened.
    case anchorRecreated = "anchor.recreated"

    // MARK: The access log (閲覧・書き出しの記録, R-SG-4; its own file, `AccessLog`)
    case accessListed = "access.listed"
    case accessSearched = "access.searched"
    case accessOpened = "access.opened"
    case accessExported = "access.exported"
    case accessPrinted = "access.printed"
    case accessVerified = "access.verified"
    case accessAudited = "access.audited"

    /// The moves of a case's state machine (`CaseLifecycle`).
    public static let lifecycle: Set<EventType> = [
        .registrationExported, .registrationAccepted, .registrationFailed, .registrationRequeued, .registrationManual,
        .serverHeld, .serverHoldCleared, .serverCancelled, .cancellationConfirmed,
        .caseTransferredOut, .caseWithdrawn, .caseServerNumberSet, .caseReregistered,
    ]
    /// A batch's sign-off (issue 4).
    public static let signOff: Set<EventType> = [.batchPrepared, .batchApproved, .batchReturned]
    /// The safeguards' own lines, replayed by `JournalTrust` (not by the cases).
    public static let trust: Set<EventType> = [.officeOpened, .keyEnrolled, .keyRevoked, .checkpointSigned, .anchorRecreated]

    /// The type a line's text names, nil for a text this version does not know. One hash lookup:
    /// the fold asks once per line (the synthesized `init(rawValue:)` compares every case in turn).
    public init?(line text: String) {
        guard let t = Self.byText[text] else { return nil }
        self = t
    }

    /// The type of a line read from `file`, or an error naming the file, the line and the text.
    public init(of record: JournalRecord, in file: String) throws(JournalError) {
        guard let t = record.eventType else {
            throw JournalError.unknownEventType(file: file, line: record.lineNumber, type: record.type)
        }
        self = t
    }

    /// The journal's spelling, so that `"\(type)"` reads as the line does (as when types were text).
    public var description: String { rawValue }

    /// Why a line with this type cannot be read, in Japanese (the file and line are said before it).
    static func unknownReason(_ text: String) -> String {
        "記録の種類「\(text)」はこの版では読めません（新しい版で書かれたか、記録が壊れています）"
    }

    private static let byText: [String: EventType] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

extension Set<EventType> {
    /// Whether a line's type (nil: one this version does not know) is one of these.
    public func contains(_ type: EventType?) -> Bool { type.map(contains) ?? false }
}

extension JournalRecord {
    /// A record of one of the desk's own kinds, made by hand (a line from another tool, a test).
    public init(seq: Int, time: String, operatorID: String, caseNumber: String, type: EventType,
                data: JSONValue, prev: String, hash: String, lineNumber: Int) {
        self.init(seq: seq, time: time, operatorID: operatorID, caseNumber: caseNumber, type: type.rawValue,
                  data: data, prev: prev, hash: hash, lineNumber: lineNumber)
    }


    /// The line's type as the desk knows it; nil for a type this version does not know.
    public var eventType: EventType? { EventType(line: type) }
}

extension ComposedJournal {
    /// Appends one line of one of the desk's own kinds (see `append(time:operatorID:caseNumber:type:data:signer:signLater:)`).
    public mutating func append(time: String, operatorID: String, caseNumber: String, type: EventType, data: JSONValue,
                                signer: OperatorSigningKey?, signLater: Bool = false) throws {
        try append(time: time, operatorID: operatorID, caseNumber: caseNumber, type: type.rawValue, data: data,
                   signer: signer, signLater: signLater)
    }
}

extension EventDraft {
    /// The draft's type as the desk knows it; nil for a type this version does not know.
    public var eventType: EventType? { EventType(line: type) }


    /// A line of one of the desk's own kinds.
    public init(caseNumber: String, type: EventType, data: JSONValue, operatorID: String, time: Date) {
        self.init(caseNumber: caseNumber, type: type.rawValue, data: data, operatorID: operatorID, time: time)
    }
}
