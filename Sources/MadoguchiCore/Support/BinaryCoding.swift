import Foundation

/// A compact binary form for `Codable` values, used by the fold snapshot (畳み込みの控え, issue 14):
/// the folded book is read back at start-up far faster than the journal's JSON can be folded again.
///
/// The format is private to this program and versioned by the snapshot file that carries it; it is
/// never exchanged. Values are written in the order `encode(to:)` writes them; a reader built from
/// the same types reads them back in the same order. Any disagreement (a field added, renamed or
/// retyped since the snapshot was written) throws, and the caller folds the journal instead.
///
/// - integers: LEB128 varints (signed ones zigzagged); Bool one byte; Double its 8 bytes;
/// - strings: a varint length and the UTF-8 bytes;
/// - anything else (structs, enums, arrays, optionals): a varint byte length, then its content, so a
///   reader can always tell where a value ends;
/// - keyed containers: per field, the key (a varint index into the keys seen so far; 0 introduces a
///   new key by its name) and the value; a field absent (nil) is simply not written;
/// - `[String: V]` dictionaries: a count, then key and value pairs.
public enum BinaryCoding {
    public struct Mismatch: Error, CustomStringConvertible {
        public let what: String
        public var description: String { "控えの形式が合いません：\(what)" }
    }

    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = Sink()
        try sink.writeValue(value)
        return sink.bytes
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer,
                                            userInfo: [CodingUserInfoKey: Any] = [:]) throws -> T {
        let source = Source(bytes)
        source.userInfo = userInfo
        let value = try source.readValue(T.self, end: bytes.count)
        guard source.pos == bytes.count else { throw Mismatch(what: "余分なバイトがあります") }
        return value
    }
}

extension BinaryCoding {
    /// Whether `T` is written as a primitive (the same answer on both sides, from the static type).
    @inline(__always)
    static func isPrimitive<T>(_ type: T.Type) -> Bool {
        T.self == String.self || T.self == Int.self || T.self == Bool.self || T.self == [UInt8].self || T.self == UInt64.self
            || T.self == Int64.self || T.self == Int32.self || T.self == Int16.self || T.self == Int8.self || T.self == UInt.self
            || T.self == UInt32.self || T.self == UInt16.self || T.self == UInt8.self || T.self == Double.self || T.self == Float.self
    }
}

// MARK: - Dictionaries with string keys

/// `[String: V]` is written as pairs, not as a keyed container (whose keys a reader could not list
/// without knowing each value's type).
protocol BinaryStringDictionary {
    func binaryWrite(_ sink: BinaryCoding.Sink) throws
    static func binaryRead(_ source: BinaryCoding.Source, end: Int) throws -> Self
}

extension Dictionary: BinaryStringDictionary where Key == String, Value: Codable {
    func binaryWrite(_ sink: BinaryCoding.Sink) throws {
        sink.varint(UInt64(count))
        for (k, v) in self.sorted(by: { $0.key < $1.key }) {
            sink.string(k)
            try sink.writeValue(v)
        }
    }

    static func binaryRead(_ source: BinaryCoding.Source, end: Int) throws -> Self {
        let n = Int(try source.varint())
        var out: [String: Value] = [:]
        out.reserveCapacity(n)
        for _ in 0..<n {
            let k = try source.string()
            out[k] = try source.readValue(Value.self, end: end)
        }
        return out
    }
}

// MARK: - Writing

extension BinaryCoding {
    final class Sink {
        var bytes: [UInt8] = []
        var keyIndex: [String: UInt64] = [:]

        init() { bytes.reserveCapacity(1 << 16) }

        func varint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }

        func signed(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

        func string(_ s: String) {
            var s = s
            s.withUTF8 { u in
                varint(UInt64(u.count))
                bytes.append(contentsOf: u)
            }
        }

        func key(_ k: CodingKey) {
            if let i = keyIndex[k.stringValue] {
                varint(i)
            } else {
                varint(0)
                string(k.stringValue)
                keyIndex[k.stringValue] = UInt64(keyIndex.count + 1)
            }
        }

        /// A primitive written directly; false when `value` is not one.
        func primitive<T>(_ value: T) -> Bool {
            guard BinaryCoding.isPrimitive(T.self) else { return false }
            switch value {
            case let v as String: string(v)
            case let v as [UInt8]:
                varint(UInt64(v.count))
                bytes.append(contentsOf: v)
            case let v as Bool: bytes.append(v ? 1 : 0)
            case let v as Int: signed(Int64(v))
            case let v as Int64: signed(v)
            case let v as Int32: signed(Int64(v))
            case let v as Int16: signed(Int64(v))
            case let v as Int8: signed(Int64(v))
            case let v as UInt: varint(UInt64(v))
            case let v as UInt64: varint(v)
            case let v as UInt32: varint(UInt64(v))
            case let v as UInt16: varint(UInt64(v))
            case let v as UInt8: bytes.append(v)
            case let v as Double: withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            case let v as Float: withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            default: return false
            }
            return true
        }

        /// Any value: a primitive as itself, anything else length-prefixed.
        func writeValue<T: Encodable>(_ value: T) throws {
            if primitive(value) { return }
            // The snapshot's most numerous values, by hand (the generic path costs ~10× more).
            if T.self == JournalRecord.self { (value as! JournalRecord).writeBinary(self); return }
            if T.self == PaperTicket.self { (value as! PaperTicket).writeBinary(self); return }
            if T.self == LocalDate.self { (value as! LocalDate).writeBinary(self); return }
            if T.self == Application.self { (value as! Application).writeBinary(self); return }
            if T.self == CaseRecord.self {
                // Length-prefixed like any composite value, so the reader knows where it ends.
                let start = bytes.count
                try (value as! CaseRecord).writeBinary(self)
                let body = Array(bytes[start...])
                bytes.removeSubrange(start...)
                varint(UInt64(body.count))
                bytes.append(contentsOf: body)
                return
            }
            // The length is written after the content is known: reserve 4 bytes, then shift if shorter.
            let start = bytes.count
            bytes.append(contentsOf: [0, 0, 0, 0])
            if let d = value as? BinaryStringDictionary {
                try d.binaryWrite(self)
            } else {
                try value.encode(to: BinaryEncoderImpl(sink: self))
            }
            let length = bytes.count - start - 4
            var prefix: [UInt8] = []
            var v = UInt64(length)
            while v >= 0x80 { prefix.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
            prefix.append(UInt8(v))
            bytes.replaceSubrange(start..<(start + 4), with: prefix)
        }
    }

    struct BinaryEncoderImpl: Encoder {
        let sink: Sink
        var codingPath: [CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Keyed<Key>(sink: sink))
        }
        func unkeyedContainer() -> UnkeyedEncodingContainer { Unkeyed(sink: sink) }
        func singleValueContainer() -> SingleValueEncodingContainer { Single(sink: sink) }

        struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
            let sink: Sink
            var codingPath: [CodingKey] { [] }
            mutating func encodeNil(forKey key: Key) throws {}
            mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
                sink.key(key)
                try sink.writeValue(value)
            }
            mutating func encode(_ value: String, forKey key: Key) throws { sink.key(key); sink.string(value) }
            mutating func encode(_ value: Int, forKey key: Key) throws { sink.key(key); sink.signed(Int64(value)) }
            mutating func encode(_ value: Bool, forKey key: Key) throws { sink.key(key); sink.bytes.append(value ? 1 : 0) }
            mutating func encode(_ value: UInt64, forKey key: Key) throws { sink.key(key); sink.varint(value) }
            mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
                -> KeyedEncodingContainer<NestedKey> {
                fatalError("BinaryCoding: nested containers are not used by the snapshot's types")
            }
            mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
                fatalError("BinaryCoding: nested containers are not used by the snapshot's types")
            }
            mutating func superEncoder() -> Encoder { fatalError("BinaryCoding: superEncoder is not supported") }
            mutating func superEncoder(forKey key: Key) -> Encoder { fatalError("BinaryCoding: superEncoder is not supported") }
        }

        struct Unkeyed: UnkeyedEncodingContainer {
            let sink: Sink
            var codingPath: [CodingKey] { [] }
            var count = 0
            mutating func encodeNil() throws {
                sink.bytes.append(0)
                count += 1
            }
            mutating func encode<T: Encodable>(_ value: T) throws {
                sink.bytes.append(1)
                try sink.writeValue(value)
                count += 1
            }
            mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
                fatalError("BinaryCoding: nested containers are not used by the snapshot's types")
            }
            mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
                fatalError("BinaryCoding: nested containers are not used by the snapshot's types")
            }
            mutating func superEncoder() -> Encoder { fatalError("BinaryCoding: superEncoder is not supported") }
        }

        struct Single: SingleValueEncodingContainer {
            let sink: Sink
            var codingPath: [CodingKey] { [] }
            mutating func encodeNil() throws {}
            mutating func encode<T: Encodable>(_ value: T) throws { try sink.writeValue(value) }
            mutating func encode(_ value: String) throws { sink.string(value) }
            mutating func encode(_ value: Int) throws { sink.signed(Int64(value)) }
        }
    }
}

// MARK: - Reading

extension BinaryCoding {
    final class Source {
        let base: UnsafeRawBufferPointer
        var pos = 0
        var keys: [String] = [""]
        var userInfo: [CodingUserInfoKey: Any] = [:] {
            didSet { journal = userInfo[JournalSource.userInfoKey] as? JournalSource }
        }
        /// Where located records' lines are (looked up once, not per record).
        private(set) var journal: JournalSource?

        init(_ base: UnsafeRawBufferPointer) { self.base = base }

        /// One copy of each repeated text (institution names: a few, on thousands of tickets).
        private var interned: [String: String] = [:]
        func intern(_ s: String) -> String {
            if let shared = interned[s] { return shared }
            interned[s] = s
            return s
        }

        func byte() throws -> UInt8 {
            guard pos < base.count else { throw Mismatch(what: "途中で終わっています") }
            defer { pos += 1 }
            return base[pos]
        }

        func varint() throws -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 64 else { throw Mismatch(what: "整数が長すぎます") }
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }

        func signed() throws -> Int64 {
            let z = try varint()
            return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
        }

        func string() throws -> String {
            let n = Int(try varint())
            guard n <= base.count - pos else { throw Mismatch(what: "文字列が途中で終わっています") }
            defer { pos += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: base[pos..<(pos + n)]), as: UTF8.self)
        }

        func fixed64() throws -> UInt64 {
            guard base.count - pos >= 8 else { throw Mismatch(what: "途中で終わっています") }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(base[pos + i]) << (8 * UInt64(i)) }
            pos += 8
            return v
        }

        /// The key at `pos`, not consumed: its name, where its value starts, and whether it is new
        /// (a new key joins the table only when consumed, so peeking twice changes nothing).
        func peekKey(end: Int) throws -> (name: String, next: Int, isNew: Bool)? {
            guard pos < end else { return nil }
            let saved = pos
            defer { pos = saved }
            let i = Int(try varint())
            if i == 0 {
                let name = try string()
                return (name, pos, true)
            }
            guard i < keys.count else { throw Mismatch(what: "知らない項目名の番号です") }
            return (keys[i], pos, false)
        }

        func primitive<T>(_ type: T.Type) throws -> T? {
            // Most values are not primitives here: one cheap test before the casts.
            guard BinaryCoding.isPrimitive(type) else { return nil }
            switch type {
            case is String.Type: return try string() as? T
            case is [UInt8].Type:
                let n = Int(try varint())
                guard n <= base.count - pos else { throw Mismatch(what: "バイト列が途中で終わっています") }
                defer { pos += n }
                return Array(UnsafeRawBufferPointer(rebasing: base[pos..<(pos + n)])) as? T
            case is Bool.Type:
                let b = try byte()
                guard b <= 1 else { throw Mismatch(what: "真偽値が 0 でも 1 でもありません") }
                return (b == 1) as? T
            case is Int.Type: return Int(exactly: try signed()) as? T
            case is Int64.Type: return try signed() as? T
            case is Int32.Type: return Int32(exactly: try signed()) as? T
            case is Int16.Type: return Int16(exactly: try signed()) as? T
            case is Int8.Type: return Int8(exactly: try signed()) as? T
            case is UInt.Type: return UInt(exactly: try varint()) as? T
            case is UInt64.Type: return try varint() as? T
            case is UInt32.Type: return UInt32(exactly: try varint()) as? T
            case is UInt16.Type: return UInt16(exactly: try varint()) as? T
            case is UInt8.Type: return try byte() as? T
            case is Double.Type: return Double(bitPattern: UInt64(littleEndian: try fixed64())) as? T
            case is Float.Type: return Float(bitPattern: UInt32(truncatingIfNeeded: try fixed64())) as? T
            default: return nil
            }
        }

        func readValue<T: Decodable>(_ type: T.Type, end: Int) throws -> T {
            if T.self == JournalRecord.self { return try JournalRecord(binary: self, end: end) as! T }
            if T.self == PaperTicket.self { return try PaperTicket(binary: self, end: end) as! T }
            if T.self == LocalDate.self { return try LocalDate(binary: self) as! T }
            if T.self == Application.self { return try Application(binary: self, end: end) as! T }
            if T.self == CaseRecord.self {
                let length = Int(try varint())
                guard length <= end - pos else { throw Mismatch(what: "案件の長さ") }
                let caseEnd = pos + length
                let c = try CaseRecord(binary: self, end: caseEnd)
                guard pos == caseEnd else { throw Mismatch(what: "案件の長さが合いません") }
                return c as! T
            }
            if let v = try primitive(type) {
                guard pos <= end else { throw Mismatch(what: "値が範囲を越えています") }
                return v
            }
            let length = Int(try varint())
            guard length <= end - pos else { throw Mismatch(what: "値の長さが範囲を越えています") }
            let valueEnd = pos + length
            let value: T
            if let d = type as? BinaryStringDictionary.Type {
                guard let v = try d.binaryRead(self, end: valueEnd) as? T else { throw Mismatch(what: "辞書の型") }
                value = v
            } else {
                value = try T(from: BinaryDecoderImpl(source: self, end: valueEnd))
            }
            guard pos == valueEnd else { throw Mismatch(what: "\(T.self) の長さが合いません") }
            return value
        }
    }

    struct BinaryDecoderImpl: Decoder {
        let source: Source
        let end: Int
        var codingPath: [CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { source.userInfo }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(source: source, end: end))
        }
        func unkeyedContainer() throws -> UnkeyedDecodingContainer { Unkeyed(source: source, end: end) }
        func singleValueContainer() throws -> SingleValueDecodingContainer { Single(source: source, end: end) }

        /// Fields are read in the order they were written; a field asked for that is not next is absent.
        struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
            let source: Source
            let end: Int
            var codingPath: [CodingKey] { [] }
            var allKeys: [Key] { [] }

            func contains(_ key: Key) -> Bool {
                guard let next = try? source.peekKey(end: end) else { return false }
                return next.name == key.stringValue
            }

            private func consume(_ key: Key) throws {
                guard let next = try source.peekKey(end: end), next.name == key.stringValue else {
                    throw Mismatch(what: "項目 \(key.stringValue) がありません")
                }
                if next.isNew { source.keys.append(next.name) }
                source.pos = next.next
            }

            func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

            func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
                try consume(key)
                return try source.readValue(type, end: end)
            }
            // The common primitives without the generic path's dynamic casts (most of the snapshot).
            func decode(_ type: String.Type, forKey key: Key) throws -> String { try consume(key); return try source.string() }
            func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
                try consume(key)
                guard let v = Int(exactly: try source.signed()) else { throw Mismatch(what: "整数") }
                return v
            }
            func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
                try consume(key)
                let b = try source.byte()
                guard b <= 1 else { throw Mismatch(what: "真偽値") }
                return b == 1
            }
            func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try consume(key); return try source.varint() }
            func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
                guard contains(key) else { return nil }
                return try decode(type, forKey: key)
            }
            func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
                guard contains(key) else { return nil }
                return try decode(type, forKey: key)
            }
            func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
                guard contains(key) else { return nil }
                return try decode(type, forKey: key)
            }

            func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
                -> KeyedDecodingContainer<NestedKey> { throw Mismatch(what: "入れ子の項目") }
            func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { throw Mismatch(what: "入れ子の項目") }
            func superDecoder() throws -> Decoder { throw Mismatch(what: "superDecoder") }
            func superDecoder(forKey key: Key) throws -> Decoder { throw Mismatch(what: "superDecoder") }
        }

        struct Unkeyed: UnkeyedDecodingContainer {
            let source: Source
            let end: Int
            var codingPath: [CodingKey] { [] }
            var count: Int? { nil }
            var isAtEnd: Bool { source.pos >= end }
            var currentIndex = 0

            mutating func decodeNil() throws -> Bool {
                guard try tag() == 0 else {
                    source.pos -= 1
                    return false
                }
                currentIndex += 1
                return true
            }

            private func tag() throws -> UInt8 {
                guard source.pos < end else { throw Mismatch(what: "配列が途中で終わっています") }
                let t = try source.byte()
                guard t <= 1 else { throw Mismatch(what: "配列の要素の印") }
                return t
            }

            mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
                guard try tag() == 1 else { throw Mismatch(what: "配列の要素が空です") }
                currentIndex += 1
                return try source.readValue(type, end: end)
            }

            mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
                -> KeyedDecodingContainer<NestedKey> { throw Mismatch(what: "入れ子の項目") }
            mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { throw Mismatch(what: "入れ子の項目") }
            mutating func superDecoder() throws -> Decoder { throw Mismatch(what: "superDecoder") }
        }

        struct Single: SingleValueDecodingContainer {
            let source: Source
            let end: Int
            var codingPath: [CodingKey] { [] }
            func decodeNil() -> Bool { source.pos >= end }
            func decode<T: Decodable>(_ type: T.Type) throws -> T { try source.readValue(type, end: end) }
            func decode(_ type: String.Type) throws -> String { try source.string() }
            func decode(_ type: Int.Type) throws -> Int {
                guard let v = Int(exactly: try source.signed()) else { throw Mismatch(what: "整数") }
                return v
            }
        }
    }
}

// MARK: - Hand-written forms

extension PaperTicket {
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

extension JournalRecord {
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

extension LocalDate {
    func writeBinary(_ sink: BinaryCoding.Sink) {
        sink.varint(UInt64(year)); sink.varint(UInt64(month)); sink.varint(UInt64(day))
    }

    init(binary source: BinaryCoding.Source) throws {
        guard let d = LocalDate(year: Int(try source.varint()), month: Int(try source.varint()), day: Int(try source.varint())) else {
            throw BinaryCoding.Mismatch(what: "日付")
        }
        self = d
    }
}

/// The application by hand (every case has one; the generic path was a seventh of a resume). The
/// field counts are checked by a test (`BinaryCodingTests`), so a field added to `Application` and
/// not here fails the suite instead of vanishing from snapshots.
extension Application {
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
extension CaseRecord {
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
