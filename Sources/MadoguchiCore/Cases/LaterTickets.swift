import Foundation

/// 紙の医療券・調剤券の交付（受付の後）: paper tickets recorded at any time after intake, for any month
/// and institution (R-PT-2 amended 2026-11-30), also after a cancel #5 (取消, R-PT-4, R-HC-3).
/// Written as a `tickets.issued` line with occasion `monthly`, folded like the intake's tickets.
public enum LaterTickets {
    /// The occasion written for tickets issued after intake (R-PT-2).
    public static let occasion = "monthly"

    /// Checks one ticket as typed (the intake's own row check, `IntakeForm.checkTicket`: kind, the
    /// institution under the "text" rules with no 個人番号 (R-ID-4), the month) against the case:
    /// the case needs paper tickets (R-PT-2, R-PT-4: also 取消; not 転出 — the new office issues them,
    /// R-PT-3 — nor 取下げ), and the same kind, institution and month is not recorded already.
    public static func check(_ draft: TicketDraft, on c: CaseRecord, context: ValidationContext) -> (PaperTicket?, [FieldProblem]) {
        let (ticket, problems) = IntakeForm.checkTicket(draft, label: "紙の医療券・調剤券", context: context)
        guard let ticket, problems.isEmpty else { return (nil, problems) }
        if let refusal = refusal(ticket, on: c) {
            return (nil, [FieldProblem(field: IntakeFieldID.tickets, label: "紙の医療券・調剤券", message: refusal)])
        }
        return (ticket, [])
    }

    /// Why `ticket` cannot be recorded on `c`, or nil.
    public static func refusal(_ ticket: PaperTicket, on c: CaseRecord) -> String? {
        guard Reminders.needsPaperTickets.contains(c.status) else {
            return "案件 \(c.number) は「\(c.status.label)」なので紙の医療券・調剤券の交付は記録できません（R-PT-2、R-PT-3）"
        }
        if c.ticketsIssued.contains(ticket) {
            return "\(Wareki.format(ticket.month))分の\(ticket.kind.label)（\(ticket.institution)）は交付済みとして記録されています"
        }
        return nil
    }
}

extension CaseStore {
    /// Records paper tickets issued after intake (R-PT-2, R-PT-4). Checked under the journal's lock
    /// against the case as it is on disk (another terminal may have recorded the same ticket or
    /// moved the case); on refusal nothing is written. Returns the case as folded after the write.
    @discardableResult
    public func issueTickets(_ ticket: PaperTicket, on caseNumber: String, operatorID: String, now: Date) throws -> CaseRecord {
        try commit(operatorID: operatorID, now: now) { book in
            guard let c = book[caseNumber] else { throw CaseError.noSuchCase(caseNumber) }
            if let refusal = LaterTickets.refusal(ticket, on: c) { throw CaseError.invalidEvent(refusal) }
            let draft = EventDraft(caseNumber: caseNumber, type: EventType.ticketsIssued,
                                   data: try JSONValue(encoding: TicketsIssuedPayload(tickets: [ticket], occasion: LaterTickets.occasion)),
                                   operatorID: operatorID, time: now)
            return ([], [draft], ())
        }
        return book[caseNumber]!
    }
}
