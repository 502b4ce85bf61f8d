import Foundation

/// Hand-written decoding of the payloads the fold meets most (issue 7, P1): monthly paper tickets
/// (R-PT-2) and lifecycle moves are most of a journal's lines, and `Codable`'s generic containers
/// were a third of the start-up. Each fast path accepts exactly the shape the desk writes and returns
/// nil for anything else, which then goes through `Codable` as before — so an odd line decodes (or is
/// refused, with the same error) exactly as it always did. FastLoadTests compare both on every line
/// of a synthetic office.
enum FastPayload {
    static func string(_ v: JSONValue?) -> String?? {
        switch v {
        case nil, .null?: return .some(nil)
        case .string(let s)?: return .some(s)
        default: return nil
        }
    }

    static func tickets(_ data: JSONValue) throws -> TicketsIssuedPayload {
        if let p = fastTickets(data) { return p }
        return try data.decode(as: TicketsIssuedPayload.self)
    }

    static func fastTickets(_ data: JSONValue) -> TicketsIssuedPayload? {
        guard case .object(let o) = data, case .string(let occasion)? = o["occasion"],
              case .array(let list)? = o["tickets"] else { return nil }
        var tickets: [PaperTicket] = []
        tickets.reserveCapacity(list.count)
        for t in list {
            guard case .object(let f) = t, case .string(let k)? = f["kind"], let kind = PaperTicket.Kind(rawValue: k),
                  case .string(let institution)? = f["institution"], case .string(let m)? = f["month"],
                  let month = YearMonth(iso: m) else { return nil }
            tickets.append(PaperTicket(kind: kind, institution: institution, month: month))
        }
        return TicketsIssuedPayload(tickets: tickets, occasion: occasion)
    }

    static func lifecycle(_ data: JSONValue) throws -> CaseLifecycle.Payload {
        if let p = fastLifecycle(data) { return p }
        return try data.decode(as: CaseLifecycle.Payload.self)
    }

    static func fastLifecycle(_ data: JSONValue) -> CaseLifecycle.Payload? {
        guard case .object(let o) = data else { return nil }
        var p = CaseLifecycle.Payload()
        guard let file = string(o["file"]), let message = string(o["message"]), let note = string(o["note"]),
              let office = string(o["office"]), let date = string(o["date"]) else { return nil }
        p.file = file
        p.message = message
        p.note = note
        p.office = office
        if let d = date {
            guard let day = LocalDate(iso: d) else { return nil }
            p.date = day
        }
        switch o["reason"] {
        case nil, .null?: break
        case .number(let n)?:
            guard n.rounded() == n, let i = Int(exactly: n) else { return nil }
            p.reason = i
        default: return nil
        }
        return p
    }
}
