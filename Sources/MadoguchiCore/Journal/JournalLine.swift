import Crypto
import Foundation

/// Encoding and strict decoding of one journal line (format: see `Journal`).
enum JournalLine {
    static let zeroHash = String(repeating: "0", count: 64)
    /// `,"hash":"` + 64 hex + `"}`
    static let suffixLength = 75
    static let hashKey: [UInt8] = Array(#","hash":""#.utf8)
    /// A signed line (issue 12, R-SG-1) ends `,"hash":"<64 hex>","sig":"<128 hex>"}`: the hash field
    /// without its closing brace (74 bytes), then `,"sig":"` + 128 hex + `"}` (138 bytes).
    static let sigKey: [UInt8] = Array(#","sig":""#.utf8)
    static let sigSuffixLength = 138
    static let signedSuffixLength = 74 + sigSuffixLength

    // MARK: Encoding

    /// The bytes of one line, newline included, and its hash.
    static func encode(seq: Int, time: String, operatorID: String, caseNumber: String, type: String,
                       data: JSONValue, prev: String,
                       sign: ((String) throws -> [UInt8])? = nil) throws -> (bytes: [UInt8], hash: String) {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out += Array(#"{"seq":"#.utf8)
        out += Array(String(seq).utf8)
        out += Array(#","time":"#.utf8)
        appendJSONString(time, to: &out)
        out += Array(#","operator":"#.utf8)
        appendJSONString(operatorID, to: &out)
        out += Array(#","case":"#.utf8)
        appendJSONString(caseNumber, to: &out)
        out += Array(#","type":"#.utf8)
        appendJSONString(type, to: &out)
        out += Array(#","data":"#.utf8)
        out += try encodeData(data)
        out += Array(#","prev":""#.utf8)
        out += Array(prev.utf8)
        out.append(UInt8(ascii: "\""))
        let hash = hashHex(body: out[...])
        out += hashKey
        out += Array(hash.utf8)
        if let sign {
            // The operator's Ed25519 signature over the line's hash (JournalSignature.message).
            out += Array("\"".utf8)
            out += sigKey
            out += Array(hex(try sign(hash)).utf8)
        }
        out += Array("\"}\n".utf8)
        return (out, hash)
    }

    /// `data` with sorted keys, unescaped slashes, UTF-8 text.
    static func encodeData(_ value: JSONValue) throws -> [UInt8] {
        try Array(JSONValue.encoder.encode(value))
    }

    /// SHA-256 of `body` followed by `}`, lowercase hex.
    static func hashHex(body: ArraySlice<UInt8>) -> String {
        var h = SHA256()
        body.withUnsafeBytes { h.update(bufferPointer: $0) }
        h.update(data: [UInt8(ascii: "}")])
        return hex(h.finalize())
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var s: [UInt8] = []
        s.reserveCapacity(64)
        for b in digest {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: s, as: UTF8.self)
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; everything else raw UTF-8.
    static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out += Array(#"\u00"#.utf8)
                out.append(digits[Int(b >> 4)])
                out.append(digits[Int(b & 0x0F)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Decoding

    /// A type read from a line, replaced by its `EventType`'s raw value when it is one, which needs
    /// no memory of its own (issue 7, P5: `registration.accepted` and its kin are longer than a
    /// string kept inline). Any other text is kept as read: the line format takes any type.
    static func knownType(_ s: String) -> String { EventType(line: s)?.rawValue ?? s }

    struct Failure: Error { let reason: String }

    /// Verifies and decodes one line given WITHOUT its trailing newline. Checks the suffix, the hash and
    /// the exact layout; the caller checks `seq` and `prev` against the previous line.
    static func decode(_ line: UnsafeRawBufferPointer, lineNumber: Int) throws(Failure) -> JournalRecord {
        let signed = signatureRange(line) != nil
        let n = signed ? line.count - sigSuffixLength + 1 : line.count   // as if unsigned: up to the hash's `"`, then `}`
        guard n > suffixLength + 2 else {
            throw Failure(reason: line.count == 0 ? "空の行です" : "行が短すぎます（hash 欄がありません）")
        }
        let s = n - suffixLength
        for i in 0..<hashKey.count where line[s + i] != hashKey[i] {
            throw Failure(reason: "行末の hash 欄の形式が正しくありません")
        }
        for i in (s + 9)..<(s + 73) where !isLowerHex(line[i]) {
            throw Failure(reason: "行末の hash 欄の形式が正しくありません（64桁の小文字16進数ではありません）")
        }
        guard line[n - 2] == UInt8(ascii: "\""), signed || line[n - 1] == UInt8(ascii: "}") else {
            throw Failure(reason: "行末の hash 欄の形式が正しくありません")
        }
        // Compared as 32 bytes, not as hex strings (issue 7: no strings made for a line's hashes).
        let stored = HashField(hexBytes: UnsafeRawBufferPointer(rebasing: line[(s + 9)..<(s + 73)]))
        var h = SHA256()
        h.update(bufferPointer: UnsafeRawBufferPointer(rebasing: line[0..<s]))
        h.update(data: [UInt8(ascii: "}")])
        let computed = HashField(digest: h.finalize())
        guard computed == stored else {
            throw Failure(reason: "行の内容がハッシュと一致しません（改ざんまたは破損）")
        }
        var p = Parser(bytes: UnsafeRawBufferPointer(rebasing: line[0..<s]))
        do {
            try p.expect(#"{"seq":"#)
            let seq = try p.parseSeq()
            try p.expect(#","time":"#)
            let time = try p.parseString()
            try p.expect(#","operator":"#)
            let op = try p.parseString()
            try p.expect(#","case":"#)
            let cs = try p.parseString()
            try p.expect(#","type":"#)
            let type = JournalLine.knownType(try p.parseString())
            try p.expect(#","data":"#)
            let dataStart = p.i
            // Checked here, parsed when asked (by the fold, once): see `JournalData` (issue 7, P5).
            try p.skipValue(depth: 0)
            let dataBytes = Array(UnsafeRawBufferPointer(rebasing: p.bytes[dataStart..<p.i]))
            try p.expect(#","prev":""#)
            let prevStart = p.i
            for _ in 0..<64 {
                guard p.i < p.bytes.count, isLowerHex(p.bytes[p.i]) else {
                    throw Failure(reason: "prev 欄が64桁の小文字16進数ではありません")
                }
                p.i += 1
            }
            let prev = HashField(hexBytes: UnsafeRawBufferPointer(rebasing: p.bytes[prevStart..<p.i]))
            try p.expect("\"")
            guard p.i == p.bytes.count else { throw Failure(reason: "prev 欄の後に余分な内容があります") }
            return JournalRecord(seq: seq, time: time, operatorID: op, caseNumber: cs, type: type,
                                 storage: .bytes(dataBytes), prevField: prev, hashField: stored, lineNumber: lineNumber)
        }
    }

    /// Where the 128 hex digits of a signed line's signature are (line given without its newline),
    /// nil for an unsigned line. Unambiguous: in an unsigned line these bytes fall inside `prev`'s hex.
    static func signatureRange(_ line: UnsafeRawBufferPointer) -> Range<Int>? {
        let n = line.count
        guard n > signedSuffixLength + 2 else { return nil }
        let k = n - sigSuffixLength
        for i in 0..<sigKey.count where line[k + i] != sigKey[i] { return nil }
        guard line[n - 2] == UInt8(ascii: "\""), line[n - 1] == UInt8(ascii: "}"),
              line[k - 1] == UInt8(ascii: "\"") else { return nil }
        let r = (k + sigKey.count)..<(n - 2)
        for i in r where !isLowerHex(line[i]) { return nil }
        return r
    }

    /// The 64 bytes of a signed line's signature, nil for an unsigned line.
    static func signature(_ line: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let r = signatureRange(line) else { return nil }
        var out = [UInt8](repeating: 0, count: 64)
        for j in 0..<64 {
            out[j] = hexValue(line[r.lowerBound + 2 * j]) << 4 | hexValue(line[r.lowerBound + 2 * j + 1])
        }
        return out
    }

    /// The 64 hex digits of a line's hash (line without its newline, already verified).
    static func hashHexRange(_ line: UnsafeRawBufferPointer) -> Range<Int> {
        let end = signatureRange(line) != nil ? line.count - sigSuffixLength - 1 : line.count - 2
        return (end - 64)..<end
    }

    @inline(__always) static func hexValue(_ b: UInt8) -> UInt8 { b <= 0x39 ? b - 0x30 : b - 0x61 + 10 }

    /// The string if `bytes` are valid UTF-8, else nil (decoding repairs invalid bytes to U+FFFD, so a
    /// byte-for-byte comparison detects them; portable, unlike `String(validating:)` on older macOS).
    static func validUTF8(_ bytes: UnsafeRawBufferPointer) -> String? {
        // ASCII (most fields: times, ids, types, dates) needs no repair check (issue 7, P1).
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        let s = String(decoding: bytes, as: UTF8.self)
        return s.utf8.elementsEqual(bytes) ? s : nil
    }

    @inline(__always) static func isLowerHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66)
    }

    /// A strict JSON parser over UTF-8 bytes (RFC 8259; duplicate object keys rejected; depth limited).
    struct Parser {
        let bytes: UnsafeRawBufferPointer
        var i = 0
        static let maxDepth = 200

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func expect(_ literal: StaticString) throws(Failure) {
            let lit = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
            guard bytes.count - i >= lit.count else { throw layoutError(literal) }
            for k in 0..<lit.count where bytes[i + k] != lit[k] { throw layoutError(literal) }
            i += lit.count
        }

        func layoutError(_ literal: StaticString) -> Failure {
            Failure(reason: "項目の並びが決められた形式ではありません（\(literal) があるべき位置 \(i + 1) バイト目）")
        }

        mutating func parseSeq() throws(Failure) -> Int {
            let start = i
            var v = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                guard i - start < 15 else { throw Failure(reason: "seq が大きすぎます") }
                v = v * 10 + Int(bytes[i] - 0x30)
                i += 1
            }
            guard i > start, !(bytes[start] == 0x30) else {
                throw Failure(reason: "seq が1以上の整数ではありません")
            }
            return v
        }

        mutating func skipWhitespace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
            guard depth < Parser.maxDepth else { throw Failure(reason: "data の入れ子が深すぎます") }
            guard i < bytes.count else { throw Failure(reason: "JSON が途中で終わっています") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var obj: [String: JSONValue] = [:]
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
                while true {
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                        throw Failure(reason: "JSON として読めません（オブジェクトのキーがありません）")
                    }
                    let key = try parseString()
                    skipWhitespace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                        throw Failure(reason: "JSON として読めません（: がありません）")
                    }
                    i += 1
                    skipWhitespace()
                    let v = try parseValue(depth: depth + 1)
                    guard obj.updateValue(v, forKey: key) == nil else {
                        throw Failure(reason: "JSON のキー \(key) が重複しています")
                    }
                    skipWhitespace()
                    guard i < bytes.count else { throw Failure(reason: "JSON が途中で終わっています") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(obj) }
                    throw Failure(reason: "JSON として読めません（オブジェクトの区切りが正しくありません）")
                }
            case UInt8(ascii: "["):
                i += 1
                var arr: [JSONValue] = []
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
                while true {
                    skipWhitespace()
                    arr.append(try parseValue(depth: depth + 1))
                    skipWhitespace()
                    guard i < bytes.count else { throw Failure(reason: "JSON が途中で終わっています") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(arr) }
                    throw Failure(reason: "JSON として読めません（配列の区切りが正しくありません）")
                }
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "t"):
                try expect("true"); return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false"); return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null"); return .null
            case UInt8(ascii: "-"), 0x30...0x39:
                return .number(try parseNumber())
            default:
                throw Failure(reason: "JSON として読めません（\(i + 1) バイト目に値がありません）")
            }
        }

        mutating func parseNumber() throws(Failure) -> Double {
            let start = i
            let bad = Failure(reason: "JSON の数値が正しくありません")
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw bad }
            if bytes[i] == 0x30 { i += 1 } else { while i < bytes.count, isDigit(bytes[i]) { i += 1 } }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard i < bytes.count, isDigit(bytes[i]) else { throw bad }
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < bytes.count, isDigit(bytes[i]) else { throw bad }
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            guard let d = Double(text), d.isFinite else { throw bad }
            return d
        }

        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

        /// Parses a string literal starting at the opening quote.
        mutating func parseString() throws(Failure) -> String {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw Failure(reason: "JSON として読めません（文字列がありません）")
            }
            i += 1
            let start = i
            // Fast path: no escapes.
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
                    i += 1
                    guard let s = JournalLine.validUTF8(slice) else {
                        throw Failure(reason: "文字列が正しい UTF-8 ではありません")
                    }
                    return s
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw Failure(reason: "文字列に制御文字がそのまま含まれています") }
                i += 1
            }
            guard i < bytes.count else { throw Failure(reason: "文字列が閉じられていません") }
            // Slow path with escapes.
            var out: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    guard let s = out.withUnsafeBytes({ JournalLine.validUTF8($0) }) else {
                        throw Failure(reason: "文字列が正しい UTF-8 ではありません")
                    }
                    return s
                }
                if b < 0x20 { throw Failure(reason: "文字列に制御文字がそのまま含まれています") }
                if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
                i += 1
                guard i < bytes.count else { break }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800, scalar < 0xDC00 {
                        guard bytes.count - i >= 6, bytes[i] == 0x5C, bytes[i + 1] == UInt8(ascii: "u") else {
                            throw Failure(reason: "文字列の \\u エスケープ（サロゲート）が正しくありません")
                        }
                        i += 2
                        let low = try hex4()
                        guard low >= 0xDC00, low < 0xE000 else {
                            throw Failure(reason: "文字列の \\u エスケープ（サロゲート）が正しくありません")
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00, scalar < 0xE000 {
                        throw Failure(reason: "文字列の \\u エスケープ（サロゲート）が正しくありません")
                    }
                    guard let u = Unicode.Scalar(scalar) else {
                        throw Failure(reason: "文字列の \\u エスケープが正しくありません")
                    }
                    out += Array(String(Character(u)).utf8)
                default:
                    throw Failure(reason: "文字列のエスケープが正しくありません")
                }
            }
            throw Failure(reason: "文字列が閉じられていません")
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard bytes.count - i >= 4 else { throw Failure(reason: "文字列の \\u エスケープが正しくありません") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                let d: UInt32
                switch b {
                case 0x30...0x39: d = UInt32(b - 0x30)
                case 0x61...0x66: d = UInt32(b - 0x61 + 10)
                case 0x41...0x46: d = UInt32(b - 0x41 + 10)
                default: throw Failure(reason: "文字列の \\u エスケープが正しくありません")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }
    }
}
