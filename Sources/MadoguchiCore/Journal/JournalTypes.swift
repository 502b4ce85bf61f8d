import Foundation

/// An event to be written: the journal adds `seq`, `prev` and `hash` when it appends it.
public struct EventDraft: Sendable {
    public var caseNumber: String
    public var type: String
    public var data: JSONValue
    public var operatorID: String
    public var time: Date

    /// Any type the line format takes; the desk writes only `EventType`s (`init(caseNumber:type:…)` with one).
    package init(caseNumber: String, type: String, data: JSONValue, operatorID: String, time: Date) {
        self.caseNumber = caseNumber
        self.type = type
        self.data = data
        self.operatorID = operatorID
        self.time = time
    }
}

/// One verified line of the journal.
public struct JournalRecord: Sendable, Hashable {
    public let seq: Int
    /// ISO 8601 with +09:00, exactly as written (`2026-11-24T21:30:05+09:00`).
    public var time: String { timeField.text }
    /// The day in Japan the line was written (the date part of `time`), nil if `time` is not a date.
    public var day: LocalDate? { LocalDate(iso: String(time.prefix(10))) }
    /// `time` as its fourteen digits when it has the journal's form (issue 7, P5).
    let timeField: TimeField
    public let operatorID: String
    public let caseNumber: String
    public let type: String
    /// The event's data. A record kept in a case's history holds it as the line's bytes and parses
    /// them when asked (issue 7, P5: the parsed trees of 200,000 lines were most of the memory).
    public var data: JSONValue {
        if case .located(let source, let offset, let length) = storage {
            return source.data(offset: offset, length: length, lineNumber: lineNumber, hash: hashField)
        }
        return storage.value
    }
    /// The previous line's hash (64 zeros for the first line).
    public var prev: String { prevField.text }
    /// Lowercase hex SHA-256 of this line without its hash field.
    public var hash: String { hashField.text }
    /// 1-based line number in the journal file (equal to `seq` in a valid journal).
    public let lineNumber: Int
    let storage: JournalData
    /// `prev` and `hash` as their 32 bytes (issue 7, P5: two 64-character strings a line).
    let prevField: HashField
    let hashField: HashField

    package init(seq: Int, time: String, operatorID: String, caseNumber: String, type: String,
                 data: JSONValue, prev: String, hash: String, lineNumber: Int) {
        self.init(seq: seq, time: time, operatorID: operatorID, caseNumber: caseNumber, type: type,
                  storage: .parsed(data, bytes: nil), prev: prev, hash: hash, lineNumber: lineNumber)
    }

    init(seq: Int, time: String, operatorID: String, caseNumber: String, type: String,
         storage: JournalData, prev: String, hash: String, lineNumber: Int) {
        self.init(seq: seq, time: time, operatorID: operatorID, caseNumber: caseNumber, type: type, storage: storage,
                  prevField: HashField(prev), hashField: HashField(hash), lineNumber: lineNumber)
    }

    init(seq: Int, time: String, operatorID: String, caseNumber: String, type: String,
         storage: JournalData, prevField: HashField, hashField: HashField, lineNumber: Int) {
        self.init(seq: seq, timeField: TimeField(time), operatorID: operatorID, caseNumber: caseNumber, type: type,
                  storage: storage, prevField: prevField, hashField: hashField, lineNumber: lineNumber)
    }

    init(seq: Int, timeField: TimeField, operatorID: String, caseNumber: String, type: String,
         storage: JournalData, prevField: HashField, hashField: HashField, lineNumber: Int) {
        self.seq = seq
        self.timeField = timeField
        self.operatorID = operatorID
        self.caseNumber = caseNumber
        self.type = type
        self.storage = storage
        self.prevField = prevField
        self.hashField = hashField
        self.lineNumber = lineNumber
    }

    /// The same record keeping only the bytes of its data (when it was read from the file), for
    /// records held for long: a case's history, the office's file events.
    var compacted: JournalRecord {
        guard case .parsed(_, let bytes?) = storage else { return self }
        return JournalRecord(seq: seq, time: time, operatorID: operatorID, caseNumber: caseNumber, type: type,
                             storage: .bytes(bytes), prevField: prevField, hashField: hashField, lineNumber: lineNumber)
    }

    public static func == (a: JournalRecord, b: JournalRecord) -> Bool {
        a.seq == b.seq && a.lineNumber == b.lineNumber && a.hashField == b.hashField && a.prevField == b.prevField && a.timeField == b.timeField
            && a.operatorID == b.operatorID && a.caseNumber == b.caseNumber && a.type == b.type && a.data == b.data
    }

    public func hash(into h: inout Hasher) {
        h.combine(seq)
        h.combine(lineNumber)
        h.combine(hashField)
    }
}

/// A record in the fold snapshot (issue 14). `BinaryCoding` writes and reads records by hand
/// (`writeBinary`, `init(binary:end:)`); `Codable` is here so a case, which holds its history, can be
/// `Codable`. No other encoder is meant to write records: the journal line is their only text form.
extension JournalRecord: Codable {
    public func encode(to encoder: Encoder) throws {
        throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath,
                                                     debugDescription: "journal records are written only by the journal and the fold snapshot"))
    }

    public init(from decoder: Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                debugDescription: "journal records are read only from the journal and the fold snapshot"))
    }

    /// The same record with its data left in the journal at `offset` (the line's bytes, newline excluded).
    func located(in source: JournalSource, offset: Int, length: Int) -> JournalRecord {
        JournalRecord(seq: seq, timeField: timeField, operatorID: operatorID, caseNumber: caseNumber, type: type,
                      storage: .located(source, offset: offset, length: length), prevField: prevField, hashField: hashField,
                      lineNumber: lineNumber)
    }
}

/// The journal file a located record's line is read back from (issue 14).
public final class JournalSource: @unchecked Sendable {
    public let url: URL
    static let userInfoKey = CodingUserInfoKey(rawValue: "madoguchi.journalSource")!

    public init(url: URL) { self.url = url }

    /// A located record's data: its line read again and checked against the hash it had. A line that
    /// changed since gives null, never the changed text; the desk's next catch-up rereads the changed
    /// file and names the line, and so does the next start (the prefix's digest no longer matches).
    func data(offset: Int, length: Int, lineNumber: Int, hash: HashField) -> JSONValue {
        guard let line = read(offset: offset, length: length),
              let record = line.withUnsafeBytes({ try? JournalLine.decode($0, lineNumber: lineNumber) }),
              record.hashField == hash else {
            return .null
        }
        return record.data
    }

    private func read(offset: Int, length: Int) -> [UInt8]? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, length - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return out
    }
}

/// A time as the journal writes it — `YYYY-MM-DDTHH:MM:SS+09:00` — kept as its fourteen digits in
/// one integer; any other text kept as it is. `text` gives back exactly what was given.
enum TimeField: Sendable, Hashable {
    case jst(UInt64)
    case text(String)

    static let shape = Array("0000-00-00T00:00:00+09:00".utf8)

    init(_ s: String) {
        var packed: UInt64 = 0
        var i = 0
        for b in s.utf8 {
            guard i < TimeField.shape.count else { self = .text(s); return }
            let want = TimeField.shape[i]
            if want == 0x30 && i < 19 {
                guard b >= 0x30 && b <= 0x39 else { self = .text(s); return }
                packed = packed * 10 + UInt64(b - 0x30)
            } else if b != want {
                self = .text(s); return
            }
            i += 1
        }
        guard i == TimeField.shape.count else { self = .text(s); return }
        self = .jst(packed)
    }

    var text: String {
        switch self {
        case .text(let s): return s
        case .jst(var packed):
            var out = TimeField.shape
            for i in stride(from: 18, through: 0, by: -1) where out[i] == 0x30 {
                out[i] = UInt8(0x30 + packed % 10)
                packed /= 10
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// A hash as the journal writes it — 64 lowercase hex digits — kept as its 32 bytes; any other
/// text (a test's placeholder) kept as it is. `text` gives back exactly what was given.
enum HashField: Sendable, Hashable {
    case digest(UInt64, UInt64, UInt64, UInt64)
    case text(String)

    init(_ s: String) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var n = 0
        for b in s.utf8 {
            let v: UInt64
            switch b {
            case 0x30...0x39: v = UInt64(b - 0x30)
            case 0x61...0x66: v = UInt64(b - 0x61 + 10)
            default: self = .text(s); return
            }
            guard n < 64 else { self = .text(s); return }
            switch n >> 4 {
            case 0: words.0 = words.0 << 4 | v
            case 1: words.1 = words.1 << 4 | v
            case 2: words.2 = words.2 << 4 | v
            default: words.3 = words.3 << 4 | v
            }
            n += 1
        }
        guard n == 64 else { self = .text(s); return }
        self = .digest(words.0, words.1, words.2, words.3)
    }

    /// The snapshot's form: the 32 bytes of a digest, or the text's UTF-8 after a 0xFF.
    var snapshotBytes: [UInt8] {
        switch self {
        case .digest(let a, let b, let c, let d):
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for w in [a, b, c, d] { for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: w >> UInt64(shift))) } }
            return out
        case .text(let s): return [0xFF] + Array(s.utf8)
        }
    }

    init(snapshotBytes b: [UInt8]) {
        if b.count == 32 { self.init(digest: b) } else { self = .text(String(decoding: b.dropFirst(), as: UTF8.self)) }
    }

    /// From 64 bytes already checked to be lowercase hex digits.
    init(hexBytes b: UnsafeRawBufferPointer) {
        func word(_ from: Int) -> UInt64 {
            var w: UInt64 = 0
            for k in from..<(from + 16) {
                let c = b[k]
                w = w << 4 | UInt64(c <= 0x39 ? c - 0x30 : c - 0x61 + 10)
            }
            return w
        }
        self = .digest(word(0), word(16), word(32), word(48))
    }

    /// From a SHA-256 digest's 32 bytes.
    init<D: Sequence>(digest: D) where D.Element == UInt8 {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var n = 0
        for byte in digest {
            switch n >> 3 {
            case 0: words.0 = words.0 << 8 | UInt64(byte)
            case 1: words.1 = words.1 << 8 | UInt64(byte)
            case 2: words.2 = words.2 << 8 | UInt64(byte)
            default: words.3 = words.3 << 8 | UInt64(byte)
            }
            n += 1
        }
        self = .digest(words.0, words.1, words.2, words.3)
    }

    var text: String {
        switch self {
        case .text(let s): return s
        case .digest(let a, let b, let c, let d):
            let digits = Array("0123456789abcdef".utf8)
            return String(unsafeUninitializedCapacity: 64) { buf in
                var i = 0
                func put(_ word: UInt64) {
                    for shift in stride(from: 60, through: 0, by: -4) {
                        buf[i] = digits[Int((word >> UInt64(shift)) & 0xF)]
                        i += 1
                    }
                }
                put(a); put(b); put(c); put(d)
                return 64
            }
        }
    }
}

/// How a record holds its data: parsed (just read, or just written), or as the line's bytes, which
/// were checked to be strict JSON when the line was read and are parsed again on demand.
enum JournalData: Sendable {
    // Indirect: the parsed form is short-lived; the bytes form is what 200,000 records keep, in 8 bytes.
    indirect case parsed(JSONValue, bytes: [UInt8]?)
    case bytes([UInt8])
    /// Only where the line is in the journal: read back (and its hash checked again) when asked.
    /// What the fold snapshot's histories hold (issue 14, P5: most lines' data is never looked at).
    case located(JournalSource, offset: Int, length: Int)

    var value: JSONValue {
        switch self {
        case .parsed(let v, _): return v
        case .located: return .null   // read through `JournalRecord.data`, which knows the line
        case .bytes(let b):
            return b.withUnsafeBytes { raw in
                var p = JournalLine.Parser(bytes: raw)
                // Verified when read: this cannot fail unless memory is corrupted.
                return (try? p.parseValue(depth: 0)) ?? .null
            }
        }
    }
}

/// A torn last line (crash in the middle of a write) that `load()` set aside.
public struct TornTail: Sendable {
    /// 1-based line number the torn line had in the journal.
    public let lineNumber: Int
    /// How many bytes were moved out of the journal.
    public let byteCount: Int
    /// Where the bytes were saved (`<journal>.torn-<yyyyMMddHHmmss>`, mode 0600).
    public let savedTo: URL
    /// Why the line was judged torn, in Japanese.
    public let reason: String
}

/// The result of `Journal.load()`.
public struct JournalLoad: Sendable {
    public let records: [JournalRecord]
    public let tornTail: TornTail?
    /// Japanese warnings for the operator (e.g. permissions wider than 0600/0700; lines of a type
    /// this version cannot read, added by `CaseStore.load`).
    public internal(set) var warnings: [String]
    /// The anchor was missing or blank and was made again from the journal (R-SG-3: said aloud and
    /// recorded as an event by the office session).
    public var anchorRecreated = false
    /// Keys, roles and office replayed over the journal (issue 12).
    public var trust = JournalTrust()
    /// Lines in the journal. Equal to `records.count` unless the load resumed from a fold snapshot,
    /// when `records` holds only the lines after it (issue 14).
    public var lineCount: Int

    public init(records: [JournalRecord], tornTail: TornTail?, warnings: [String],
                anchorRecreated: Bool = false, trust: JournalTrust = JournalTrust()) {
        self.records = records
        self.lineCount = records.count
        self.tornTail = tornTail
        self.warnings = warnings
        self.anchorRecreated = anchorRecreated
        self.trust = trust
    }
}

/// The result of `Journal.verify(url:)`.
public struct VerifyReport: Sendable {
    /// Number of lines examined (complete lines plus an unterminated last line, if any).
    public let lineCount: Int
    /// The first bad line (1-based; 0 when the file itself is missing or unreadable) and why, in Japanese.
    public let problem: (line: Int, reason: String)?
    public var ok: Bool { problem == nil }
    /// Whether the journal was also checked against its anchor (`<journal>.anchor`: the last
    /// acknowledged line), which finds lines deleted at the end. False when there is no anchor.
    public internal(set) var anchorChecked = false
    /// Keys, roles and office replayed with every signature checked (nil when the chain is broken).
    public internal(set) var trust: JournalTrust?
    /// Whether a checkpoint kept outside was checked too (`verify --checkpoint`).
    public internal(set) var checkpointChecked = false

    public init(lineCount: Int, problem: (line: Int, reason: String)?) {
        self.lineCount = lineCount
        self.problem = problem
    }
}

/// Journal failures. Descriptions are Japanese and name the file (and the line where there is one).
public enum JournalError: Error, CustomStringConvertible, Equatable {
    /// A line that is not the last one is bad: tampering or corruption, never repaired automatically.
    case badLine(file: String, line: Int, reason: String)
    /// `append` found an unterminated or bad last line left by a crashed writer; call `load()`,
    /// which sets it aside and reports it, then append again.
    case tornTail(file: String, line: Int, reason: String)
    /// A system call failed.
    case io(file: String, operation: String, errno: Int32)
    /// `append(knownCount:)` was given more records than the journal holds.
    case knownCountTooLarge(file: String, known: Int, actual: Int)
    /// A draft could not be written (e.g. a number that is not finite, an empty operator).
    case invalidDraft(file: String, reason: String)
    /// A line breaks the signing rules (R-SG-1..3): forged, unsigned, signed by the wrong key, an
    /// approval by a clerk or by the batch's own preparer. Nothing acts on the journal past it.
    case untrusted(file: String, line: Int, reason: String)
    /// A line this process may not write: no proven operator's key, or another operator's name.
    case unsigned(file: String, reason: String)
    /// A line whose `type` is none of `EventType` (issue 16: written by a newer version, or damaged).
    case unknownEventType(file: String, line: Int, type: String)

    public var description: String {
        switch self {
        case let .badLine(file, line, reason):
            return "\(file) \(line)行目: \(reason)"
        case let .tornTail(file, line, reason):
            return "\(file) \(line)行目: \(reason)（書き込みの途中で中断された行です。読み込み直すと別のファイルに退避されます）"
        case let .io(file, operation, code):
            return "\(file): \(operation)に失敗しました（\(SystemErrorText.japanese(code))）"
        case let .knownCountTooLarge(file, known, actual):
            return "\(file): 既知の件数 \(known) 件が記録の件数 \(actual) 件より多くなっています"
        case let .invalidDraft(file, reason):
            return "\(file): 書き込めないイベントです: \(reason)"
        case let .untrusted(file, line, reason):
            return "【警告】\(file) \(line)行目: \(reason)。記録が改ざんされたおそれがあるため、これ以上書き込みません。査察指導員に連絡し、madoguchi verify で確かめてください"
        case let .unsigned(file, reason):
            return "\(file): 書き込めません: \(reason)"
        case let .unknownEventType(file, line, type):
            return "\(file) \(line)行目: \(EventType.unknownReason(type))"
        }
    }
}
