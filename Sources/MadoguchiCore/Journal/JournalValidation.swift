import Foundation

extension JournalLine.Parser {
    /// Checks a JSON value exactly as `parseValue` would — the same grammar, valid UTF-8 in strings,
    /// finite numbers, no duplicate keys, the same depth limit — without building it (issue 7: the
    /// journal is read at start-up, but a line's `data` is needed only once, by the fold, and then kept
    /// as bytes; building 200,000 trees only to drop them was most of the start-up's memory).
    /// Anything unusual (a key with an escape) is checked by `parseValue` itself.
    mutating func skipValue(depth: Int) throws(JournalLine.Failure) {
        guard depth < Self.maxDepth else { throw JournalLine.Failure(reason: "data の入れ子が深すぎます") }
        guard i < bytes.count else { throw JournalLine.Failure(reason: "JSON が途中で終わっています") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            let start = i
            i += 1
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return }
            var keys: [(Int, Int)] = []
            while true {
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                    throw JournalLine.Failure(reason: "JSON として読めません（オブジェクトのキーがありません）")
                }
                let keyStart = i + 1
                let plain = try skipString()
                if !plain {
                    // A key with an escape: compare keys as text, the way parseValue does.
                    i = start
                    _ = try parseValue(depth: depth)
                    return
                }
                let key = (keyStart, i - 1)
                for k in keys where k.1 - k.0 == key.1 - key.0 && memcmp(bytes.baseAddress! + k.0, bytes.baseAddress! + key.0, key.1 - key.0) == 0 {
                    let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[key.0..<key.1]), as: UTF8.self)
                    throw JournalLine.Failure(reason: "JSON のキー \(name) が重複しています")
                }
                keys.append(key)
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                    throw JournalLine.Failure(reason: "JSON として読めません（: がありません）")
                }
                i += 1
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard i < bytes.count else { throw JournalLine.Failure(reason: "JSON が途中で終わっています") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return }
                throw JournalLine.Failure(reason: "JSON として読めません（オブジェクトの区切りが正しくありません）")
            }
        case UInt8(ascii: "["):
            i += 1
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard i < bytes.count else { throw JournalLine.Failure(reason: "JSON が途中で終わっています") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return }
                throw JournalLine.Failure(reason: "JSON として読めません（配列の区切りが正しくありません）")
            }
        case UInt8(ascii: "\""):
            _ = try skipString()
        case UInt8(ascii: "t"):
            try expect("true")
        case UInt8(ascii: "f"):
            try expect("false")
        case UInt8(ascii: "n"):
            try expect("null")
        case UInt8(ascii: "-"), 0x30...0x39:
            _ = try parseNumber()
        default:
            throw JournalLine.Failure(reason: "JSON として読めません（\(i + 1) バイト目に値がありません）")
        }
    }

    /// Skips a string literal starting at its opening quote, checking it as `parseString` does.
    /// Returns whether it had no escapes (its bytes are then its text).
    mutating func skipString() throws(JournalLine.Failure) -> Bool {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
            throw JournalLine.Failure(reason: "JSON として読めません（文字列がありません）")
        }
        let open = i
        i += 1
        let start = i
        var ascii = true
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                if !ascii, !TextDecoding.validUTF8(UnsafeRawBufferPointer(rebasing: bytes[start..<i])) {
                    throw JournalLine.Failure(reason: "文字列が正しい UTF-8 ではありません")
                }
                i += 1
                return true
            }
            if b == UInt8(ascii: "\\") {
                i = open
                _ = try parseString()
                return false
            }
            if b < 0x20 { throw JournalLine.Failure(reason: "文字列に制御文字がそのまま含まれています") }
            if b >= 0x80 { ascii = false }
            i += 1
        }
        throw JournalLine.Failure(reason: "文字列が閉じられていません")
    }
}
