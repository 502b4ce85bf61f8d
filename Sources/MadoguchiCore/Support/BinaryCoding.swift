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
        if let what = sink.unsupported { throw Mismatch(what: what) }
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

// MARK: - Hand-written forms

/// A type whose binary form is written by hand (the snapshot's most numerous values: the generic
/// path costs several times more). Like any composite value it is length-prefixed, so a reader knows
/// where it ends; inside its own form a type may write others' forms directly.
protocol BinaryForm {
    func writeBinary(_ sink: BinaryCoding.Sink) throws
    init(binary source: BinaryCoding.Source, end: Int) throws
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
        /// Set when a value asked for what this form does not write (nested containers): `encode`
        /// then throws instead of writing something no reader could take back.
        var unsupported: String?

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
            // The length is written after the content is known: reserve 4 bytes, then shift if shorter.
            let start = bytes.count
            bytes.append(contentsOf: [0, 0, 0, 0])
            if let form = value as? BinaryForm {
                try form.writeBinary(self)
            } else if let d = value as? BinaryStringDictionary {
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

        /// Nested containers and super encoders are not part of this form: noted, and `encode` throws
        /// (the snapshot is then not written; the journal is folded whole next time).
        static func refuse(_ sink: Sink) -> BinaryEncoderImpl {
            if sink.unsupported == nil { sink.unsupported = "入れ子の項目は書けません" }
            return BinaryEncoderImpl(sink: sink)
        }

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
                -> KeyedEncodingContainer<NestedKey> { BinaryEncoderImpl.refuse(sink).container(keyedBy: keyType) }
            mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
                BinaryEncoderImpl.refuse(sink).unkeyedContainer()
            }
            mutating func superEncoder() -> Encoder { BinaryEncoderImpl.refuse(sink) }
            mutating func superEncoder(forKey key: Key) -> Encoder { BinaryEncoderImpl.refuse(sink) }
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
                BinaryEncoderImpl.refuse(sink).container(keyedBy: keyType)
            }
            mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer { BinaryEncoderImpl.refuse(sink).unkeyedContainer() }
            mutating func superEncoder() -> Encoder { BinaryEncoderImpl.refuse(sink) }
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
            if let v = try primitive(type) {
                guard pos <= end else { throw Mismatch(what: "値が範囲を越えています") }
                return v
            }
            let length = Int(try varint())
            guard length <= end - pos else { throw Mismatch(what: "値の長さが範囲を越えています") }
            let valueEnd = pos + length
            let value: T
            if let form = type as? BinaryForm.Type {
                guard let v = try form.init(binary: self, end: valueEnd) as? T else { throw Mismatch(what: "\(T.self) の形") }
                value = v
            } else if let d = type as? BinaryStringDictionary.Type {
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
