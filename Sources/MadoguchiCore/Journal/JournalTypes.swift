import Foundation

/// An event to be written: the journal adds `seq`, `prev` and `hash` when it appends it.
public struct EventDraft: Sendable {
    public var caseNumber: String
    public var type: String
    public var data: JSONValue
    public var operatorID: String
    public var time: Date

    public init(caseNumber: String, type: String, data: JSONValue, operatorID: String, time: Date) {
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
    public let time: String
    public let operatorID: String
    public let caseNumber: String
    public let type: String
    /// The event's data. A record kept in a case's history holds it as the line's bytes and parses
    /// them when asked (issue 7, P5: the parsed trees of 200,000 lines were most of the memory).
    public var data: JSONValue { storage.value }
    /// The previous line's hash (64 zeros for the first line).
    public let prev: String
    /// Lowercase hex SHA-256 of this line without its hash field.
    public let hash: String
    /// 1-based line number in the journal file (equal to `seq` in a valid journal).
    public let lineNumber: Int
    let storage: JournalData

    public init(seq: Int, time: String, operatorID: String, caseNumber: String, type: String,
                data: JSONValue, prev: String, hash: String, lineNumber: Int) {
        self.init(seq: seq, time: time, operatorID: operatorID, caseNumber: caseNumber, type: type,
                  storage: .parsed(data, bytes: nil), prev: prev, hash: hash, lineNumber: lineNumber)
    }

    init(seq: Int, time: String, operatorID: String, caseNumber: String, type: String,
         storage: JournalData, prev: String, hash: String, lineNumber: Int) {
        self.seq = seq
        self.time = time
        self.operatorID = operatorID
        self.caseNumber = caseNumber
        self.type = type
        self.storage = storage
        self.prev = prev
        self.hash = hash
        self.lineNumber = lineNumber
    }

    /// The same record keeping only the bytes of its data (when it was read from the file), for
    /// records held for long: a case's history, the office's file events.
    var compacted: JournalRecord {
        guard case .parsed(_, let bytes?) = storage else { return self }
        return JournalRecord(seq: seq, time: time, operatorID: operatorID, caseNumber: caseNumber, type: type,
                             storage: .bytes(bytes), prev: prev, hash: hash, lineNumber: lineNumber)
    }

    public static func == (a: JournalRecord, b: JournalRecord) -> Bool {
        a.seq == b.seq && a.lineNumber == b.lineNumber && a.hash == b.hash && a.prev == b.prev && a.time == b.time
            && a.operatorID == b.operatorID && a.caseNumber == b.caseNumber && a.type == b.type && a.data == b.data
    }

    public func hash(into h: inout Hasher) {
        h.combine(seq)
        h.combine(lineNumber)
        h.combine(hash)
    }
}

/// How a record holds its data: parsed (just read, or just written), or as the line's bytes, which
/// were checked to be strict JSON when the line was read and are parsed again on demand.
enum JournalData: Sendable {
    case parsed(JSONValue, bytes: [UInt8]?)
    case bytes([UInt8])

    var value: JSONValue {
        switch self {
        case .parsed(let v, _): return v
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
    /// Japanese warnings for the operator (e.g. permissions wider than 0600/0700).
    public let warnings: [String]
}

/// The result of `Journal.verify(url:)`.
public struct VerifyReport: Sendable {
    /// Number of lines examined (complete lines plus an unterminated last line, if any).
    public let lineCount: Int
    /// The first bad line (1-based; 0 when the file itself is missing or unreadable) and why, in Japanese.
    public let problem: (line: Int, reason: String)?
    public var ok: Bool { problem == nil }

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

    public var description: String {
        switch self {
        case let .badLine(file, line, reason):
            return "\(file) \(line)行目: \(reason)"
        case let .tornTail(file, line, reason):
            return "\(file) \(line)行目: \(reason)（書き込みの途中で中断された行です。読み込み直すと別のファイルに退避されます）"
        case let .io(file, operation, code):
            return "\(file): \(operation)に失敗しました（\(String(cString: strerror(code))), errno \(code)）"
        case let .knownCountTooLarge(file, known, actual):
            return "\(file): 既知の件数 \(known) 件が記録の件数 \(actual) 件より多くなっています"
        case let .invalidDraft(file, reason):
            return "\(file): 書き込めないイベントです: \(reason)"
        }
    }
}
