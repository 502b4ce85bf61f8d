import Foundation

// The hand-written binary forms of the fold snapshot's most numerous values (issue 14, P1): a case,
// its application, its tickets and its history's records, and dates. `BinaryCoding` writes any other
// `Codable` value generically. A field added to one of these types must be added here too — the
// field counts are checked by `BinaryCodingTests` — and `FoldSnapshot.magic` changed when a form
// changes, so an older snapshot is not read as the new form (it would fail its reading anyway, and
// the journal be folded whole).

extension PaperTicket: BinaryForm {
    /// kind (0 医療券, 1 調剤券), institution, year, month.
    func writeBinary(_ sink: BinaryCoding.Sink) {
        sink.bytes.append(kind == .medical ? 0 : 1)
        sink.string(institution)
        sink.varint(UInt64(month.year))
        sink.varint(UInt64(month.month))
    }

    init(binary source: BinaryCoding.Source, end: Int) throws {
        let k = try source.byte()
        let institution = source.intern(try source.string())
        guard k <= 1, let ym = YearMonth(year: Int(try source.varint()), month: Int(try source.varint())), source.pos <= end else {
            throw BinaryCoding.Mismatch(what: "医療券")
        }
        self.init(kind: k == 0 ? .medical : .dispensing, institution: institution, month: ym)
    }
}

extension JournalRecord: BinaryForm {
    /// seq, line, time (0 + packed digits, or 1 + text), operator, case, type, data (0 + offset and
    /// length in the journal, or 1 + bytes), prev, hash (each 32 bytes, or 0xFF + text).
    func writeBinary(_ sink: BinaryCoding.Sink) {
        sink.varint(UInt64(seq))
        sink.varint(UInt64(lineNumber))
        switch timeField {
        case .jst(let packed): sink.bytes.append(0); sink.varint(packed)
        case .text(let s): sink.bytes.append(1); sink.string(s)
        }
        sink.string(operatorID)
        sink.string(caseNumber)
        sink.string(type)
        switch storage {
        case .located(_, let offset, let length):
            sink.bytes.append(0); sink.varint(UInt64(offset)); sink.varint(UInt64(length))
        case .bytes(let b), .parsed(_, bytes: let b?):
            sink.bytes.append(1); _ = sink.primitive(b)
        case .parsed(let v, bytes: nil):
            sink.bytes.append(1); _ = sink.primitive((try? JournalLine.encodeData(v)) ?? Array("null".utf8))
        }
        _ = sink.primitive(prevField.snapshotBytes)
        _ = sink.primitive(hashField.snapshotBytes)
    }

    init(binary source: BinaryCoding.Source, end: Int) throws {
        let seq = Int(try source.varint())
        let line = Int(try source.varint())
        let time: TimeField
        switch try source.byte() {
        case 0: time = .jst(try source.varint())
        case 1: time = TimeField(try source.string())
        default: throw BinaryCoding.Mismatch(what: "記録の時刻")
        }
        let op = try source.string()
        let cs = try source.string()
        let type = try source.string()
        let storage: JournalData
        switch try source.byte() {
        case 0:
            guard let journal = source.journal else {
                throw BinaryCoding.Mismatch(what: "記録の場所")
            }
            storage = .located(journal, offset: Int(try source.varint()), length: Int(try source.varint()))
        case 1: storage = .bytes(try source.primitive([UInt8].self)!)
        default: throw BinaryCoding.Mismatch(what: "記録のデータ")
        }
        let prev = HashField(snapshotBytes: try source.primitive([UInt8].self)!)
        let hash = HashField(snapshotBytes: try source.primitive([UInt8].self)!)
        guard source.pos <= end else { throw BinaryCoding.Mismatch(what: "記録が範囲を越えています") }
        self.init(seq: seq, timeField: time, operatorID: op, caseNumber: cs, type: type, storage: storage,
                  prevField: prev, hashField: hash, lineNumber: line)
    }
}

extension LocalDate: BinaryForm {
    func writeBinary(_ sink: BinaryCoding.Sink) {
        sink.varint(UInt64(year)); sink.varint(UInt64(month)); sink.varint(UInt64(day))
    }

    init(binary source: BinaryCoding.Source, end: Int = .max) throws {
        guard let d = LocalDate(year: Int(try source.varint()), month: Int(try source.varint()), day: Int(try source.varint())) else {
            throw BinaryCoding.Mismatch(what: "日付")
        }
        self = d
    }
}

/// The application by hand (every case has one; the generic path was a seventh of a resume). The
/// field counts are checked by a test (`BinaryCodingTests`), so a field added to `Application` and
/// not here fails the suite instead of vanishing from snapshots.
extension Application: BinaryForm {
    static let binaryFieldCounts = (application: 13, person: 9, proxy: 5, insurance: 4)

    func writeBinary(_ sink: BinaryCoding.Sink) {
        func optional(_ s: String?) {
            if let s { sink.bytes.append(1); sink.string(s) } else { sink.bytes.append(0) }
        }
        func date(_ d: LocalDate?) {
            if let d { sink.bytes.append(1); d.writeBinary(sink) } else { sink.bytes.append(0) }
        }
        let p = applicant
        for s in [p.furigana, p.name] { sink.string(s) }
        date(p.birthDate)
        for s in [p.postalCode, p.prefecture, p.municipality, p.address, p.phone, p.email] { sink.string(s) }
        sink.string(recipientNumber)
        optional(serverIndividualNumber)
        if let x = proxy {
            sink.bytes.append(1)
            for s in [x.name, x.furigana, x.phone, x.relationship] { sink.string(s) }
            optional(x.email)
        } else { sink.bytes.append(0) }
        sink.bytes.append(requestTicked ? 1 : 0)
        sink.bytes.append(signedFormReceived ? 1 : 0)
        sink.string(reason)
        applicationDate.writeBinary(sink)
        sink.string(branch.rawValue)
        if let i = insurance {
            sink.bytes.append(1)
            for s in [i.insurerName, i.insurerNumber, i.appliedToInsurer.rawValue, i.verifiedBy.rawValue] { sink.string(s) }
        } else { sink.bytes.append(0) }
        sink.bytes.append(holdsValidTickets ? 1 : 0)
        sink.varint(UInt64(explained.count))
        for s in explained { sink.string(s) }
        optional(transferredFrom)
    }

    init(binary source: BinaryCoding.Source, end: Int) throws {
        func flag() throws -> Bool {
            let b = try source.byte()
            guard b <= 1 else { throw BinaryCoding.Mismatch(what: "申請の真偽値") }
            return b == 1
        }
        func optional() throws -> String? { try flag() ? try source.string() : nil }
        func raw<E: RawRepresentable>(_ type: E.Type) throws -> E where E.RawValue == String {
            guard let v = E(rawValue: try source.string()) else { throw BinaryCoding.Mismatch(what: "申請の区分") }
            return v
        }
        let furigana = try source.string(), name = try source.string()
        let birth = try flag() ? try LocalDate(binary: source) : nil
        let person = Person(furigana: furigana, name: name, birthDate: birth, postalCode: try source.string(),
                            prefecture: try source.string(), municipality: try source.string(), address: try source.string(),
                            phone: try source.string(), email: try source.string())
        let recipient = try source.string()
        let serverNumber = try optional()
        let proxy = try flag()
            ? Proxy(name: try source.string(), furigana: try source.string(), phone: try source.string(),
                    relationship: try source.string(), email: try optional())
            : nil
        let ticked = try flag(), signed = try flag()
        let reason = try source.string()
        let date = try LocalDate(binary: source)
        let branch = try raw(Branch.self)
        let insurance = try flag()
            ? Insurance(insurerName: try source.string(), insurerNumber: try source.string(),
                        appliedToInsurer: try raw(InsurerApplication.self), verifiedBy: try raw(InsuranceVerification.self))
            : nil
        let holds = try flag()
        var explained: [String] = []
        for _ in 0..<Int(try source.varint()) { explained.append(try source.string()) }
        let from = try optional()
        guard source.pos <= end else { throw BinaryCoding.Mismatch(what: "申請が範囲を越えています") }
        self.init(applicant: person, recipientNumber: recipient, serverIndividualNumber: serverNumber, proxy: proxy,
                  requestTicked: ticked, signedFormReceived: signed, reason: reason, applicationDate: date, branch: branch,
                  insurance: insurance, holdsValidTickets: holds, explained: explained, transferredFrom: from)
    }
}

/// A case by hand: its arrays (history, tickets) read in one loop each instead of element by element
/// through the generic containers. The lifecycle facts and notices, rarer and smaller, stay generic.
extension CaseRecord: BinaryForm {
    static let binaryFieldCount = 10

    func writeBinary(_ sink: BinaryCoding.Sink) throws {
        sink.string(number)
        application.writeBinary(sink)
        sink.string(status.rawValue)
        sink.string(receivedAt)
        sink.string(receivedBy)
        sink.varint(UInt64(ticketsIssued.count))
        for t in ticketsIssued { t.writeBinary(sink) }
        sink.varint(UInt64(intakeTicketCount))
        sink.varint(UInt64(history.count))
        for r in history { r.writeBinary(sink) }
        try sink.writeValue(lifecycle)
        try sink.writeValue(notices)
    }

    init(binary source: BinaryCoding.Source, end: Int) throws {
        let number = try source.string()
        let application = try Application(binary: source, end: end)
        guard let status = CaseStatus(rawValue: try source.string()) else { throw BinaryCoding.Mismatch(what: "案件の状態") }
        let receivedAt = try source.string(), receivedBy = try source.string()
        var tickets: [PaperTicket] = []
        let ticketCount = Int(try source.varint())
        guard ticketCount <= end - source.pos else { throw BinaryCoding.Mismatch(what: "医療券の数") }
        tickets.reserveCapacity(ticketCount)
        for _ in 0..<ticketCount { tickets.append(try PaperTicket(binary: source, end: end)) }
        let intake = Int(try source.varint())
        var history: [JournalRecord] = []
        let lines = Int(try source.varint())
        guard lines <= end - source.pos else { throw BinaryCoding.Mismatch(what: "記録の数") }
        history.reserveCapacity(lines)
        for _ in 0..<lines { history.append(try JournalRecord(binary: source, end: end)) }
        self.init(number: number, application: application, status: status, receivedAt: receivedAt, receivedBy: receivedBy,
                  ticketsIssued: tickets, history: history)
        intakeTicketCount = intake
        lifecycle = try source.readValue(LifecycleFacts.self, end: end)
        notices = try source.readValue([NoticeRecord].self, end: end)
    }
}
