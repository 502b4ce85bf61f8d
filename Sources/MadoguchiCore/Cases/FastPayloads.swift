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

    /// A `tickets.issued` record (most of a journal's lines: R-PT-2 every month): straight from the
    /// line's bytes when they have exactly the desk's own layout, without building the JSON tree.
    static func tickets(_ record: JournalRecord) throws -> TicketsIssuedPayload {
        if case .bytes(let b) = record.storage, let p = ticketsFromBytes(b) { return p }
        return try tickets(record.data)
    }

    /// `{"occasion":"…","tickets":[{"institution":"…","kind":"…","month":"YYYY-MM"},…]}` — sorted keys,
    /// no spaces, as `JournalLine.encodeData` writes it; nil for anything else.
    static func ticketsFromBytes(_ bytes: [UInt8]) -> TicketsIssuedPayload? {
        bytes.withUnsafeBytes { raw -> TicketsIssuedPayload? in
            var p = JournalLine.Parser(bytes: raw)
            func next(_ b: UInt8) -> Bool {
                guard p.i < raw.count, raw[p.i] == b else { return false }
                p.i += 1
                return true
            }
            do {
                try p.expect(#"{"occasion":"#)
                let occasion = try p.parseString()
                try p.expect(#","tickets":["#)
                var tickets: [PaperTicket] = []
                if !next(UInt8(ascii: "]")) {
                    while true {
                        try p.expect(#"{"institution":"#)
                        let institution = try p.parseString()
                        try p.expect(#","kind":"#)
                        let kind = try p.parseString()
                        try p.expect(#","month":"#)
                        let month = try p.parseString()
                        try p.expect("}")
                        guard let k = PaperTicket.Kind(rawValue: kind), let m = yearMonth(month) else { return nil }
                        tickets.append(PaperTicket(kind: k, institution: institution, month: m))
                        if next(UInt8(ascii: ",")) { continue }
                        if next(UInt8(ascii: "]")) { break }
                        return nil
                    }
                }
                try p.expect("}")
                guard p.i == raw.count else { return nil }
                return TicketsIssuedPayload(tickets: tickets, occasion: occasion)
            } catch {
                return nil
            }
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
                  let month = yearMonth(m) else { return nil }
            tickets.append(PaperTicket(kind: kind, institution: institution, month: month))
        }
        return TicketsIssuedPayload(tickets: tickets, occasion: occasion)
    }

    /// A lifecycle record: straight from the line's bytes when its data is a flat object of the
    /// payload's keys (as the desk writes it), else through the JSON tree.
    static func lifecycle(_ record: JournalRecord) throws -> CaseLifecycle.Payload {
        if case .bytes(let b) = record.storage, let p = lifecycleFromBytes(b) { return p }
        return try lifecycle(record.data)
    }

    static func lifecycleFromBytes(_ bytes: [UInt8]) -> CaseLifecycle.Payload? {
        bytes.withUnsafeBytes { raw -> CaseLifecycle.Payload? in
            var p = JournalLine.Parser(bytes: raw)
            var out = CaseLifecycle.Payload()
            var seen = Set<String>()
            do {
                try p.expect("{")
                if p.i < raw.count, raw[p.i] == UInt8(ascii: "}") { p.i += 1; return p.i == raw.count ? out : nil }
                while true {
                    let key = try p.parseString()
                    guard seen.insert(key).inserted else { return nil }
                    try p.expect(":")
                    guard p.i < raw.count else { return nil }
                    if raw[p.i] == UInt8(ascii: "n") {
                        try p.expect("null")   // as decodeIfPresent: null is absent
                    } else if key == "reason" {
                        guard raw[p.i] == UInt8(ascii: "-") || (raw[p.i] >= 0x30 && raw[p.i] <= 0x39) else { return nil }
                        let n = try p.parseNumber()
                        guard n.rounded() == n, let i = Int(exactly: n) else { return nil }
                        out.reason = i
                    } else {
                        guard raw[p.i] == UInt8(ascii: "\"") else { return nil }
                        let v = try p.parseString()
                        switch key {
                        case "date":
                            guard let d = localDate(v) else { return nil }
                            out.date = d
                        case "file": out.file = v
                        case "message": out.message = v
                        case "note": out.note = v
                        case "office": out.office = v
                        case "run":
                            guard let m = yearMonth(v) else { return nil }
                            out.run = m
                        default: return nil
                        }
                    }
                    guard p.i < raw.count else { return nil }
                    if raw[p.i] == UInt8(ascii: ",") { p.i += 1; continue }
                    if raw[p.i] == UInt8(ascii: "}") { p.i += 1; break }
                    return nil
                }
                return p.i == raw.count ? out : nil
            } catch {
                return nil
            }
        }
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
        switch o["run"] {
        case nil, .null?: break
        case .string(let s)?:
            guard let m = yearMonth(s) else { return nil }
            p.run = m
        default: return nil
        }
        if let d = date {
            guard let day = localDate(d) else { return nil }
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

    // MARK: Dates without splitting strings

    /// `YYYY-MM` exactly, as `YearMonth(iso:)` accepts it (ASCII digits only; that init's `Int()`
    /// also takes a sign, which the desk never writes: such a value goes the slow way).
    static func yearMonth(_ s: String) -> YearMonth? {
        var u = s.utf8.makeIterator()
        guard s.utf8.count == 7, let y = digits(&u, 4), u.next() == UInt8(ascii: "-"), let m = digits(&u, 2) else {
            return YearMonth(iso: s)
        }
        return YearMonth(year: y, month: m)
    }

    /// `YYYY-MM-DD` exactly, as `LocalDate(iso:)`.
    static func localDate(_ s: String) -> LocalDate? {
        var u = s.utf8.makeIterator()
        guard s.utf8.count == 10, let y = digits(&u, 4), u.next() == UInt8(ascii: "-"), let m = digits(&u, 2),
              u.next() == UInt8(ascii: "-"), let d = digits(&u, 2) else {
            return LocalDate(iso: s)
        }
        return LocalDate(year: y, month: m, day: d)
    }

    static func digits(_ u: inout String.UTF8View.Iterator, _ n: Int) -> Int? {
        var v = 0
        for _ in 0..<n {
            guard let b = u.next(), b >= 0x30, b <= 0x39 else { return nil }
            v = v * 10 + Int(b - 0x30)
        }
        return v
    }

    // MARK: The application (case.received)

    static func received(_ data: JSONValue) throws -> ReceivedPayload {
        if let p = fastReceived(data) { return p }
        return try data.decode(as: ReceivedPayload.self)
    }

    static func fastReceived(_ data: JSONValue) -> ReceivedPayload? {
        guard case .object(let o) = data, case .string(let st)? = o["status"], let status = CaseStatus(rawValue: st),
              let app = o["application"].flatMap(application) else { return nil }
        return ReceivedPayload(application: app, status: status)
    }

    static func application(_ v: JSONValue) -> Application? {
        guard case .object(let o) = v,
              let applicant = o["applicant"].flatMap(person),
              case .string(let recipient)? = o["recipientNumber"],
              let server = string(o["serverIndividualNumber"]),
              case .bool(let ticked)? = o["requestTicked"], case .bool(let signed)? = o["signedFormReceived"],
              case .string(let reason)? = o["reason"],
              case .string(let ad)? = o["applicationDate"], let applicationDate = localDate(ad),
              case .string(let br)? = o["branch"], let branch = Branch(rawValue: br),
              case .bool(let holds)? = o["holdsValidTickets"],
              case .array(let ex)? = o["explained"],
              let transferredFrom = string(o["transferredFrom"]) else { return nil }
        var explained: [String] = []
        explained.reserveCapacity(ex.count)
        for e in ex {
            guard case .string(let x) = e else { return nil }
            explained.append(x)
        }
        var proxy: Application.Proxy?
        switch o["proxy"] {
        case nil, .null?: proxy = nil
        case .object(let p)?:
            guard case .string(let name)? = p["name"], case .string(let furigana)? = p["furigana"],
                  case .string(let phone)? = p["phone"], case .string(let relationship)? = p["relationship"],
                  let email = string(p["email"]) else { return nil }   // 代理人メール (別添2 備考), absent before it
            proxy = Application.Proxy(name: name, furigana: furigana, phone: phone, relationship: relationship, email: email)
        default: return nil
        }
        var insurance: Application.Insurance?
        switch o["insurance"] {
        case nil, .null?: insurance = nil
        case .object(let i)?:
            guard case .string(let name)? = i["insurerName"], case .string(let number)? = i["insurerNumber"],
                  case .string(let applied)? = i["appliedToInsurer"], let appliedTo = Application.InsurerApplication(rawValue: applied),
                  case .string(let by)? = i["verifiedBy"], let verifiedBy = Application.InsuranceVerification(rawValue: by) else { return nil }
            insurance = Application.Insurance(insurerName: name, insurerNumber: number, appliedToInsurer: appliedTo, verifiedBy: verifiedBy)
        default: return nil
        }
        return Application(applicant: applicant, recipientNumber: recipient, serverIndividualNumber: server, proxy: proxy,
                           requestTicked: ticked, signedFormReceived: signed, reason: reason, applicationDate: applicationDate,
                           branch: branch, insurance: insurance, holdsValidTickets: holds, explained: explained,
                           transferredFrom: transferredFrom)
    }

    static func person(_ v: JSONValue) -> Application.Person? {
        guard case .object(let o) = v,
              case .string(let furigana)? = o["furigana"], case .string(let name)? = o["name"],
              let birth = string(o["birthDate"]),
              case .string(let postal)? = o["postalCode"], case .string(let prefecture)? = o["prefecture"],
              case .string(let municipality)? = o["municipality"], case .string(let address)? = o["address"],
              case .string(let phone)? = o["phone"], case .string(let email)? = o["email"] else { return nil }
        var birthDate: LocalDate?
        if let b = birth {
            guard let d = localDate(b) else { return nil }
            birthDate = d
        }
        return Application.Person(furigana: furigana, name: name, birthDate: birthDate, postalCode: postal, prefecture: prefecture,
                                  municipality: municipality, address: address, phone: phone, email: email)
    }
}
