import Foundation

/// CP932 decoding that hands Foundation only the lines that need it (issue 7, P3). A monthly status
/// file is 100,000 lines of digits under one Japanese header; converting all of it through
/// `String(data:encoding:.shiftJIS)` was a quarter of its import. CP932 is stateless and its trail
/// bytes are never LF (0x0A), so the file decodes line by line to the same text; a line of ASCII
/// bytes is the same text in CP932 and UTF-8. Any line that does not decode makes the whole fail
/// (nil), as before. InterchangeEncodingTests-style checks in FastLoadTests compare both.
///
/// Issue 14 (P3): the result is UTF-8 bytes, not a `String`, so the CSV reader works on bytes; runs
/// of ASCII lines are copied as they are.
enum CP932Lines {
    static func decode(_ bytes: UnsafeRawBufferPointer) -> String? {
        decodeUTF8(bytes).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file as UTF-8 bytes, or nil when a line does not decode.
    static func decodeUTF8(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4)
        let n = bytes.count
        var chunkStart = 0        // start of the run of lines of one kind
        var chunkASCII = true
        var lineStart = 0
        var lineASCII = true
        func flush(_ end: Int) -> Bool {
            guard end > chunkStart else { return true }
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[chunkStart..<end])
            if chunkASCII {
                out.append(contentsOf: chunk)
            } else {
                guard var s = String(data: Data(chunk), encoding: .shiftJIS) else { return false }
                s.withUTF8 { out.append(contentsOf: $0) }
            }
            return true
        }
        var i = 0
        while i <= n {
            if i == n || bytes[i] == 0x0A {
                let end = i == n ? n : i + 1
                if lineASCII != chunkASCII {
                    guard flush(lineStart) else { return nil }
                    chunkStart = lineStart
                    chunkASCII = lineASCII
                }
                lineStart = end
                lineASCII = true
                if i == n { break }
            } else if bytes[i] >= 0x80 {
                lineASCII = false
            }
            i += 1
        }
        guard flush(n) else { return nil }
        return out
    }
}
