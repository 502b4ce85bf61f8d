import Foundation

// 訂正 (R-AM-1): a saved application corrected as a new journal event. The event names each
// corrected field with its old and new value as the application stores them, the reason, and (as
// every line) the operator and the time. The original `case.received` line is never changed;
// folding the journal applies the corrections in order (`EventType.applicationCorrected`).

/// One corrected field: its id in the intake form and its stored value before and after.
public struct FieldChange: Codable, Hashable, Sendable {
    public var field: String
    public var old: String
    public var new: String

    public init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// The paper tickets issued at intake (R-PT-1), before and after the correction (a ticket forgotten
/// at the counter added, or a mistyped one fixed).
public struct TicketCorrection: Codable, Hashable, Sendable {
    public var old: [PaperTicket]
    public var new: [PaperTicket]
}

/// The `data` of an `application.corrected` line.
public struct CorrectionPayload: Codable, Hashable, Sendable {
    public var changes: [FieldChange]
    public var tickets: TicketCorrection?
    /// 訂正の理由 (free text, checked as every free text: no 個人番号, R-ID-4).
    public var reason: String
}

/// What the clerk asks: the whole form as edited, and what it was based on (the case as the clerk
/// saw it). Under the journal's lock the case on disk must still be what was seen: a stale screen
/// is refused rather than applied twice or over another desk's correction.
public struct CorrectionRequest: Hashable, Sendable {
    public var caseNumber: String
    /// The form's values after editing (prefilled with `ApplicationFields.intakeValues`).
    public var values: IntakeValues
    public var seen: Application
    public var seenTickets: [PaperTicket]
    public var reason: String
    /// The clerk read the R-RG-3 warning and still wants the office's record corrected.
    public var acknowledged: Bool

    public init(caseNumber: String, values: IntakeValues, seen: Application, seenTickets: [PaperTicket],
                reason: String, acknowledged: Bool = false) {
        self.caseNumber = caseNumber
        self.values = values
        self.seen = seen
        self.seenTickets = seenTickets
        self.reason = reason
        self.acknowledged = acknowledged
    }

    /// A request prefilled with the case's current values (nothing changed yet).
    public static func start(_ c: CaseRecord, form: FormDefinition) -> CorrectionRequest {
        CorrectionRequest(caseNumber: c.number,
                          values: ApplicationFields.intakeValues(c.application, intakeTickets: c.intakeTickets, form: form),
                          seen: c.application, seenTickets: c.intakeTickets, reason: "")
    }
}

/// Why a correction was refused. Nothing is written in any of these cases.
public enum CorrectionError: Error, CustomStringConvertible, Equatable {
    /// The corrected application breaks an intake rule (the field and why).
    case invalid([FieldProblem])
    case nothingChanged
    /// R-RG-3: the fields went to the server; the clerk must acknowledge the warning first.
    case acknowledgementNeeded([String])
    /// The case changed on disk since the clerk opened it (another desk, or this one twice).
    case stale(String)
    /// The correction cannot be recorded in the case's state (the reason says which rule).
    case refused(String)

    public var description: String {
        switch self {
        case .invalid(let problems): return "訂正できません：" + problems.map(\.description).joined(separator: "／")
        case .nothingChanged: return "訂正する項目がありません（今の値と同じです）"
        case .acknowledgementNeeded(let w): return w.joined(separator: "\n")
        case .stale(let n): return "案件 \(n) は開いたあとで変わりました（他の端末の記録など）。開き直して確かめてから訂正してください"
        case .refused(let m): return m
        }
    }
}

/// A correction checked and ready to write: the payload, the case as it will be, and what to tell the clerk.
public struct CorrectionPlan: Sendable {
    public let payload: CorrectionPayload
    public let corrected: CaseRecord
    /// Said before saving and after (R-RG-3, batches, R-IN-6); never silently dropped.
    public let warnings: [String]
    /// R-RG-3: the server holds (or may hold) the old values; saving needs the clerk's explicit yes.
    public let needsAcknowledgement: Bool
    /// The intake's advice on the corrected application (never blocking).
    public let notes: [FieldNote]
}

public enum Correction {
    /// The fields whose values go into the bulk registration file (R-RG-2: 番号 ← 受給者番号,
    /// 被保険者枝番 ← the 16-digit number; every other column comes from the office's config).
    public static let sentToServer: [String] = [IntakeFieldID.recipientNumber, IntakeFieldID.serverIndividualNumber]

    /// Nothing of the case has gone to the server: its state follows the corrected application as
    /// at intake (R-BR-2 registered here, R-BR-3 by the insurer, R-PT-3 by the previous office).
    static let beforeServer: Set<CaseStatus> = [.received, .awaitingRegistration, .waitingForInsurer, .transferredIn]
    /// This office's request is with the server (in a file awaiting its result, accepted, or held).
    static let atServer: Set<CaseStatus> = [.exported, .registered, .held]

    /// Checks a correction against the case as it is: every intake rule on the corrected application
    /// (the same `IntakeForm.check` as at the counter), the reason, and the state. Pure.
    ///
    /// `others` and `batches` are the office's other cases and sign-off batches, for warnings only.
    public static func plan(_ c: CaseRecord, _ request: CorrectionRequest, form: FormDefinition, context: ValidationContext,
                            others: [CaseRecord] = [], batches: [SignOffBatch] = []) throws -> CorrectionPlan {
        guard c.application == request.seen, c.intakeTickets == request.seenTickets else { throw CorrectionError.stale(c.number) }
        let check = IntakeForm.check(form, values: request.values, context: context)
        guard let app = check.application else { throw CorrectionError.invalid(check.problems) }
        // Issue 12 item 7: the form was received (受付日) on the day the application was saved; the
        // date on it cannot be later.
        if let received = c.receivedOn, app.applicationDate > received {
            throw CorrectionError.invalid([FieldProblem(field: IntakeFieldID.applicationDate, label: form.field(IntakeFieldID.applicationDate)?.label ?? "申請日",
                                                        message: "\(Wareki.format(app.applicationDate))は受付日（\(Wareki.format(received))）より後の日付です。受け付けた申請書の日付を入力してください")])
        }
        let reason = try Validators.freeText(request.reason, field: "correction_reason", label: "訂正の理由", required: true)

        let before = ApplicationFields.stored(c.application)
        let after = ApplicationFields.stored(app)
        let changes = ApplicationFields.order.compactMap { id -> FieldChange? in
            let old = before[id] ?? "", new = after[id] ?? ""
            return old == new ? nil : FieldChange(field: id, old: old, new: new)
        }
        let tickets = check.tickets == c.intakeTickets ? nil : TicketCorrection(old: c.intakeTickets, new: check.tickets)
        guard !changes.isEmpty || tickets != nil else { throw CorrectionError.nothingChanged }
        let payload = CorrectionPayload(changes: changes, tickets: tickets, reason: reason)
        var corrected = c
        do { try apply(payload, to: &corrected) } catch let e as CaseError { throw CorrectionError.refused(e.description) }

        var warnings: [String] = []
        let changed = Set(changes.map(\.field))
        let sent = sentToServer.filter(changed.contains)
        let labels = sent.map { ApplicationFields.label($0, form: form) }.joined(separator: "・")
        var needsAck = false
        if !sent.isEmpty, c.wasExported {
            switch c.status {
            case .registrationFailed:
                // R-RG-5: this is the fix the 異常終了 asks for; it goes out with the next file.
                warnings.append("\(labels)は中間サーバーに送ったあとですが、登録エラー（異常終了）なので登録されていません。訂正したら F7 の「登録エラーを直して登録し直す」で次の一括登録ファイルに入れてください（R-RG-5）")
            case .awaitingRegistration:
                warnings.append("\(labels)は前の一括登録ファイル（異常終了）で送っています。次の一括登録ファイルには訂正後の値が入ります（R-RG-5）")
            default:
                // The server has, or may soon have, the old values, and they cannot be corrected there
                // (R-RG-3, 別添3 ※3). The office's record may still be put right — the paper form is
                // the truth — but only if the clerk says so knowingly, because this correction changes
                // nothing on the server: an explicit yes (--ack, y) is asked for.
                needsAck = true
                let wait = c.status == .exported
                    ? "登録結果を待ち、異常終了なら訂正した値で登録し直してください（R-RG-5）。正常終了なら中間サーバーには訂正前の値で登録されています。"
                    : "中間サーバーには訂正前の値で登録されています。この訂正は事務所の記録だけを直します。"
                warnings.append("注意：\(labels)は一括登録ファイル\(c.lifecycle.exportFile.map { "（\($0)）" } ?? "")で中間サーバーに送っています。登録されたデータは後から訂正できません（R-RG-3）。" + wait)
            }
        }
        let routeFields: Set<String> = [IntakeFieldID.branch, IntakeFieldID.transferredFrom]
        if !changed.isDisjoint(with: Set(sentToServer).union(routeFields)),
           let batch = batches.first(where: { ($0.state == .prepared || $0.state == .approved) && $0.cases.contains(c.number) }) {
            warnings.append("この案件は一括登録 \(batch.id)（\(batch.state.label)）に入っています。出力のときは訂正後の値で確かめ直します。査察指導員に訂正を伝えてください")
        }
        if changed.contains(IntakeFieldID.recipientNumber),
           let other = OpenApplication.same(recipientNumber: app.recipientNumber, in: others, excluding: c.number) {
            warnings.append(OpenApplication.warning(other))
        }
        if corrected.status != c.status {
            warnings.append("状態が「\(c.status.label)」から「\(corrected.status.label)」に変わります（\(corrected.application.branch.label)、R-BR-2, R-BR-3）")
        }
        return CorrectionPlan(payload: payload, corrected: corrected, warnings: warnings, needsAcknowledgement: needsAck,
                              notes: check.notes)
    }

    /// Applies a correction to a case, or refuses it before changing anything. The same code checks a
    /// new correction and replays the journal's, so what was allowed replays the same.
    public static func apply(_ p: CorrectionPayload, to c: inout CaseRecord) throws {
        var stored = ApplicationFields.stored(c.application)
        var seen = Set<String>()
        for change in p.changes {
            guard ApplicationFields.order.contains(change.field), seen.insert(change.field).inserted else {
                throw CaseError.invalidEvent("訂正の項目 \(change.field) は訂正できる項目ではないか、二度あります")
            }
            guard stored[change.field] == change.old else {
                throw CaseError.invalidEvent("訂正の項目 \(change.field) の訂正前の値が記録と違います")
            }
            stored[change.field] = change.new
        }
        guard let app = ApplicationFields.application(stored) else {
            throw CaseError.invalidEvent("訂正後の申請が読めません（区分・選択肢・日付の値）")
        }
        var tickets = c.ticketsIssued
        var intakeCount = c.intakeTicketCount
        if let t = p.tickets {
            guard Array(tickets.prefix(intakeCount)) == t.old else {
                throw CaseError.invalidEvent("受付時の紙の医療券・調剤券が記録と違います")
            }
            tickets.replaceSubrange(0..<intakeCount, with: t.new)
            intakeCount = t.new.count
        }
        var status = c.status
        let route: CaseStatus = app.transferredFrom != nil ? .transferredIn : app.branch == .assistanceOnly ? .awaitingRegistration : .waitingForInsurer
        let routeChanged = app.branch != c.application.branch || (app.transferredFrom == nil) != (c.application.transferredFrom == nil)
        if routeChanged {
            if atServer.contains(c.status) {
                // The office's request is with the server: who registers cannot change now (R-RG-3, R-BR-3).
                throw CaseError.invalidEvent("案件 \(c.number) は「\(c.status.label)」で、この事務所の登録が中間サーバーにあります。区分・転入前の事務所はいま訂正できません。登録結果や通知を記録してから訂正してください（R-RG-3, R-BR-3）")
            }
            if beforeServer.contains(c.status) {
                status = route
            } else if c.status == .registrationFailed && route != .awaitingRegistration {
                // 異常終了, and the office should not have registered (the insurer does, R-BR-3, R-RG-6).
                status = route
            }
            // Ended cases (解除確認済み, 取消, 転出, 取下げ) keep their state. They may be corrected all the
            // same: R-AM-1 names no state, a confirmed case still drives the monthly paper tickets
            // (R-PT-2) and its notices, and a withdrawn or transferred case stays the office's record of
            // what the person applied for. A correction puts that record right; it never reopens the
            // case nor sends anything (a new request is a new application).
        }
        c.application = app
        c.ticketsIssued = tickets
        c.intakeTicketCount = intakeCount
        c.status = status
    }

    /// Each corrected field as the clerk reads it: (label, "old → new"), the intake tickets last.
    public static func described(_ p: CorrectionPayload, form: FormDefinition?) -> [(label: String, change: String)] {
        var out = p.changes.map { ch in
            (ApplicationFields.label(ch.field, form: form),
             "\(ApplicationFields.display(ch.field, ch.old, form: form)) → \(ApplicationFields.display(ch.field, ch.new, form: form))")
        }
        if let t = p.tickets {
            out.append((ApplicationFields.label(IntakeFieldID.tickets, form: form), "\(ApplicationFields.display(t.old)) → \(ApplicationFields.display(t.new))"))
        }
        return out
    }

    /// One line for the history: 訂正：氏名 山田 太郎 → 山田 大郎、…（理由：…）.
    public static func summary(_ p: CorrectionPayload, form: FormDefinition?) -> String {
        "訂正：" + described(p, form: form).map { "\($0.label) \($0.change)" }.joined(separator: "、") + "（理由：\(p.reason)）"
    }

    /// The corrections of a case, oldest first, with who made them and when.
    public static func history(_ c: CaseRecord) -> [(record: JournalRecord, payload: CorrectionPayload)] {
        c.history.compactMap { r in
            guard r.eventType == .applicationCorrected, let p = try? r.data.decode(as: CorrectionPayload.self) else { return nil }
            return (r, p)
        }
    }
}

extension CaseRecord {
    /// The paper tickets issued at intake (R-PT-1): the first ones recorded, in the same write as the application.
    public var intakeTickets: [PaperTicket] { Array(ticketsIssued.prefix(intakeTicketCount)) }

    /// Whether the case ever went into a bulk registration file (R-RG-3).
    public var wasExported: Bool { history.contains { $0.eventType == .registrationExported } }
}

// MARK: - Typed on the command line

extension Correction {
    /// Sets one field of a correction from `KEY=VALUE` as typed on the command line: text as typed
    /// (checked later by the intake's validators), a choice by its value or label, a tick by 1/0,
    /// yes/no, 済/未; `tickets` as `種類,医療機関,月;…` (empty: none).
    public static func set(_ key: String, _ raw: String, in values: inout IntakeValues, form: FormDefinition) throws {
        guard ApplicationFields.keys.contains(key) else {
            throw FieldProblem(field: key, label: key, message: "訂正できる項目ではありません。使える項目：" + keyList(form: form))
        }
        let label = ApplicationFields.label(key, form: form)
        let text = raw.trimmingCharacters(in: .whitespaces)
        if key == IntakeFieldID.tickets {
            values.tickets = try text.isEmpty ? [] : text.split(separator: ";", omittingEmptySubsequences: true).enumerated().map { i, part in
                let cells = part.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count == 3 else {
                    throw FieldProblem(field: key, label: "\(label) \(i + 1)枚目", message: "「種類,医療機関・薬局名,月」の形で書いてください（例 医療券,山田医院,R8.12）")
                }
                let kind = PaperTicket.Kind.allCases.first { $0.rawValue == cells[0] || $0.label == cells[0] }
                guard let kind else {
                    throw FieldProblem(field: key, label: "\(label) \(i + 1)枚目", message: "種類は 医療券（medical）か 調剤券（dispensing）です")
                }
                return TicketDraft(kind: kind.rawValue, institution: cells[1], month: cells[2])
            }
            return
        }
        if let f = form.field(key), f.kind == .choice {
            guard let option = f.options.first(where: { $0.value == text || $0.label == text }) else {
                throw FieldProblem(field: key, label: label, message: "選べる値は " + f.options.map { "\($0.value)（\($0.label)）" }.joined(separator: "、") + " です")
            }
            values[key] = option.value
        } else if form.field(key)?.kind == .check || key.hasPrefix("explained_") || key == IntakeFieldID.requestTicked || key == IntakeFieldID.signedForm {
            switch text.lowercased() {
            case "1", "yes", "y", "済", "x", "true": values[key] = "1"
            case "0", "no", "n", "未", "", "false": values[key] = ""
            default: throw FieldProblem(field: key, label: label, message: "1（済）か 0（未）で書いてください")
            }
        } else {
            values[key] = raw
        }
    }

    /// `furigana（フリガナ）、name（氏名）、…` for help and errors.
    public static func keyList(form: FormDefinition?) -> String {
        ApplicationFields.keys.map { "\($0)（\(ApplicationFields.label($0, form: form))）" }.joined(separator: "、")
    }
}

// MARK: - The journal

extension CaseStore {
    /// Records a correction (R-AM-1). Checked under the journal's lock against the case as it is on
    /// disk (after catching up with other terminals); returns only once the line is on disk (fsync).
    /// A refused correction writes nothing.
    @discardableResult
    public func correct(_ request: CorrectionRequest, form: FormDefinition, context: ValidationContext,
                        operatorID: String, now: Date) throws -> CorrectionPlan {
        try commit(operatorID: operatorID, now: now) { book in
            guard let c = book[request.caseNumber] else { throw CaseError.noSuchCase(request.caseNumber) }
            let plan = try Correction.plan(c, request, form: form, context: context, others: book.all, batches: book.signOffBatches)
            if plan.needsAcknowledgement && !request.acknowledged { throw CorrectionError.acknowledgementNeeded(plan.warnings) }
            let draft = EventDraft(caseNumber: c.number, type: EventType.applicationCorrected,
                                   data: try JSONValue(encoding: plan.payload), operatorID: operatorID, time: now)
            return ([], [draft], plan)
        }
    }
}
