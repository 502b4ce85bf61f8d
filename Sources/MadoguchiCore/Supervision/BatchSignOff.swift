import Foundation

/// Maker-checker for the bulk registration file (issue 4, as openIMIS and OpenSPP do for change
/// requests): a clerk prepares a batch of the cases ready to send, a supervisor who did not prepare
/// it approves it or returns it with a comment, and only an approved batch is written as FI_HIM_0018.
/// Every step is an office-level journal line (`case` is `-`).
public struct SignOffBatch: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Codable {
        /// 承認待ち
        case prepared
        /// 承認済み（未出力）
        case approved
        /// 差し戻し
        case returned
        /// 出力済み
        case exported

        public var label: String {
            switch self {
            case .prepared: return "承認待ち"
            case .approved: return "承認済み"
            case .returned: return "差し戻し"
            case .exported: return "出力済み"
            }
        }
    }

    public let id: String
    public let cases: [String]
    public let preparedBy: String
    public let preparedAt: String
    public var state: State
    public var decidedBy: String?
    /// When it was approved or returned (the journal line's time).
    public var decidedAt: String?
    public var comment: String?
    public var exportFile: String?

    public init(id: String, cases: [String], preparedBy: String, preparedAt: String, state: State,
                decidedBy: String? = nil, decidedAt: String? = nil, comment: String? = nil, exportFile: String? = nil) {
        self.id = id
        self.cases = cases
        self.preparedBy = preparedBy
        self.preparedAt = preparedAt
        self.state = state
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.comment = comment
        self.exportFile = exportFile
    }
}

struct SignOffPayload: Codable {
    var id: String
    var cases: [String]?
    var comment: String?
}

public enum SignOffError: Error, CustomStringConvertible, Equatable {
    /// No case could go in; `leftOut` are the cases waiting that the export refuses, with why (issue 11:
    /// 「案件がありません」 hid a blank 被保険者枝番).
    case nothingToSend(leftOut: [ExportRefusal])
    case noSuchBatch(String)
    case notSupervisor(String)
    case ownBatch(String)
    case wrongState(String, SignOffBatch.State)
    case alreadyWaiting(String)
    case commentRequired
    case noApprovedBatch

    public var description: String {
        switch self {
        case .nothingToSend(let leftOut) where leftOut.isEmpty:
            return "一括登録に入れる案件がありません（登録待ちの医療扶助単独の案件がないか、すべて準備済みです）"
        case .nothingToSend(let leftOut):
            return ExportRefusal.batchLines(leftOut, nothingIn: true).joined(separator: "\n")
        case .noSuchBatch(let id): return "一括登録 \(id) はありません"
        case .notSupervisor(let op): return "\(op) は査察指導員ではないので承認・差し戻しはできません"
        case .ownBatch(let id): return "一括登録 \(id) は自分で準備したものなので承認できません。別の査察指導員が承認します"
        case .wrongState(let id, let s): return "一括登録 \(id) は「\(s.label)」なのでこの操作はできません"
        case .alreadyWaiting(let id): return "一括登録 \(id) が承認待ちです。承認か差し戻しのあとで準備してください"
        case .commentRequired: return "差し戻しには理由（コメント）が必要です"
        case .noApprovedBatch: return "承認済みの一括登録がありません。担当者が準備し（F3 / prepare-batch）、査察指導員が承認してから出力します"
        }
    }
}

extension ExportRefusal {
    /// What prepare-batch says of the cases waiting that it left out (issue 11: each named with its
    /// reason, R-RG-3, whether or not a batch was made); `fix` names how to enter a missing 被保険者枝番
    /// where the clerk is (the desk's key, the command). Empty when nothing was left out.
    public static func batchLines(_ leftOut: [ExportRefusal], nothingIn: Bool,
                                  fix: (ExportRefusal) -> String? = { _ in nil }) -> [String] {
        guard !leftOut.isEmpty else { return [] }
        return [(nothingIn ? "一括登録に入れられる案件がありません。" : "")
                + "登録待ちの医療扶助単独の案件のうち\(leftOut.count)件は、次の理由で一括登録に入れていません（R-RG-3）："]
            + leftOut.map { $0.line(fix: fix) }
    }
}

extension CaseBook {
    /// Folds one sign-off line (called from `apply`).
    mutating func applySignOff(_ record: JournalRecord) throws {
        let p = try record.data.decode(as: SignOffPayload.self)
        switch record.eventType {
        case .batchPrepared:
            batches[p.id] = SignOffBatch(id: p.id, cases: p.cases ?? [], preparedBy: record.operatorID, preparedAt: record.time,
                                         state: .prepared)
            batchOrder.append(p.id)
        case .batchApproved, .batchReturned:
            guard var b = batches[p.id] else {
                throw CaseError.inconsistentJournal(line: record.lineNumber, message: "まだない一括登録 \(p.id) の承認・差し戻しがあります")
            }
            b.state = record.eventType == .batchApproved ? .approved : .returned
            b.decidedBy = record.operatorID
            b.decidedAt = record.time
            b.comment = p.comment
            batches[p.id] = b
        default: break
        }
    }

    mutating func markBatchExported(_ id: String, file: String) {
        batches[id]?.state = .exported
        batches[id]?.exportFile = file
    }

    public var signOffBatches: [SignOffBatch] { batchOrder.compactMap { batches[$0] } }

    /// The batch waiting for a supervisor, if any (one at a time keeps the counter simple).
    public var batchAwaitingApproval: SignOffBatch? { signOffBatches.first { $0.state == .prepared } }

    /// The last batch a case was put in, if any (a returned batch shows on its cases, issue 11).
    public func lastBatch(containing caseNumber: String) -> SignOffBatch? {
        signOffBatches.last { $0.cases.contains(caseNumber) }
    }

    /// The oldest approved batch not yet written.
    public var approvedBatch: SignOffBatch? { signOffBatches.first { $0.state == .approved } }
}

extension CaseStore {
    /// A clerk (or a supervisor) puts the cases ready to send into a batch for approval.
    @discardableResult
    public func prepareBatch(office: OfficeConfig, by op: Operator, now: Date) throws -> SignOffBatch {
        try commit(operatorID: op.id, now: now) { book in
            if let waiting = book.batchAwaitingApproval { throw SignOffError.alreadyWaiting(waiting.id) }
            let inOpenBatch = Set(book.signOffBatches.filter { $0.state == .approved }.flatMap(\.cases))
            let plan = RegistrationExport.plan(book, office: office)
            let cases = plan.rows.map(\.caseNumber).filter { !inOpenBatch.contains($0) }
            guard !cases.isEmpty else { throw SignOffError.nothingToSend(leftOut: plan.refused) }
            let day = LocalDate(now).iso.replacingOccurrences(of: "-", with: "")
            let n = book.signOffBatches.filter { $0.id.hasPrefix("B\(day)-") }.count + 1
            let id = "B\(day)-\(n)"
            let draft = EventDraft(caseNumber: FileEvent.officeCase, type: EventType.batchPrepared,
                                   data: try JSONValue(encoding: SignOffPayload(id: id, cases: cases)), operatorID: op.id, time: now)
            return ([], [draft], SignOffBatch(id: id, cases: cases, preparedBy: op.id, preparedAt: JapanTime.iso8601(now), state: .prepared))
        }
    }

    /// A supervisor approves (or returns with a comment) a batch someone else prepared.
    @discardableResult
    public func decideBatch(_ id: String, approve: Bool, comment: String, by op: Operator, now: Date) throws -> SignOffBatch {
        try commit(operatorID: op.id, now: now) { book in
            guard let b = book.batches[id] else { throw SignOffError.noSuchBatch(id) }
            guard op.role == .supervisor else { throw SignOffError.notSupervisor(op.name) }   // a name, not an id: a person reads it
            guard b.state == .prepared else { throw SignOffError.wrongState(id, b.state) }
            if approve && b.preparedBy == op.id { throw SignOffError.ownBatch(id) }
            let note = try Validators.freeText(comment, field: "comment", label: "コメント", required: false)
            if !approve && note.isEmpty { throw SignOffError.commentRequired }
            var decided = b
            decided.state = approve ? .approved : .returned
            decided.decidedBy = op.id
            decided.decidedAt = JapanTime.iso8601(now)
            decided.comment = note.isEmpty ? nil : note
            let draft = EventDraft(caseNumber: FileEvent.officeCase, type: approve ? EventType.batchApproved : EventType.batchReturned,
                                   data: try JSONValue(encoding: SignOffPayload(id: id, comment: decided.comment)), operatorID: op.id, time: now)
            return ([], [draft], decided)
        }
    }
}
