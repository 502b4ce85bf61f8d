/// CSV records read straight from UTF-8 bytes (issue 14, P3): a monthly status file is 100,000 rows,
/// and reading it scalar by scalar through CSV.swift's `CSVReader` (an `AnyIterator` of Unicode
/// scalars, a `String.UnicodeScalarView` grown per character) was most of its parse.
///
/// The rules are CSV.swift's exactly (its `readRow`/`readField`, RFC 4180 with its leniencies), so a
/// file reads to the same records as before; `CSVRecords.readWithCSVSwift` is kept as the reference
/// the tests compare against. Every byte that matters (`,` `"` CR LF) is ASCII and never part of a
/// multi-byte UTF-8 character, so bytes give the scalars' answers:
/// - a field that starts with `"` is quoted: `""` inside is one `"`; the quote that closes it ends
///   the field at `,`, the row at CR, LF, CRLF or the end; a closing quote followed by anything else
///   keeps the quote and drops that one character (CSV.swift's "ERROR?" branch), and reading goes on
///   inside the quotes;
/// - an unquoted field ends at `,` (the field), or CR, LF, CRLF, the end (the row); a `"` inside it
///   is kept as read;
/// - no row after a final line end; an empty line is one empty field; `a,` at the end is `a` and ``.
enum CSVBytes {
    /// Calls `row` with each record's fields (trimmed as `CSVRecords.trimSpaces` does) and the number
    /// of line breaks inside its quoted fields (CRLF counts once), record by record.
    static func forEachRecord(_ bytes: UnsafeRawBufferPointer, _ row: (_ fields: [String], _ innerBreaks: Int) -> Void) {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var pos = 0
        var quoted: [UInt8] = []
        var fields: [String] = []
        while pos < n {
            fields.removeAll(keepingCapacity: true)
            var breaks = 0
            while true {
                if pos >= n {                       // after a `,` at the very end: one more empty field
                    fields.append("")
                    break
                }
                if base[pos] == 0x22 {
                    // Quoted: unescape into `quoted`.
                    pos += 1
                    quoted.removeAll(keepingCapacity: true)
                    var endRow = true
                    var runStart = pos
                    scan: while true {
                        if pos >= n {               // no closing quote: the field runs to the end
                            quoted.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: pos - runStart))
                            break scan
                        }
                        if base[pos] != 0x22 {
                            pos += 1
                            continue
                        }
                        quoted.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: pos - runStart))
                        pos += 1                    // past the quote
                        if pos >= n { break scan }  // end of file: end of row
                        switch base[pos] {
                        case 0x0D:
                            pos += 1
                            if pos < n && base[pos] == 0x0A { pos += 1 }
                            break scan
                        case 0x0A:
                            pos += 1
                            break scan
                        case 0x2C:
                            pos += 1
                            endRow = false
                            break scan
                        case 0x22:
                            quoted.append(0x22)
                            pos += 1
                        default:
                            // CSV.swift keeps the quote and drops the next character (a whole scalar).
                            quoted.append(0x22)
                            pos += 1
                            while pos < n && base[pos] & 0xC0 == 0x80 { pos += 1 }
                        }
                        runStart = pos
                    }
                    quoted.withUnsafeBufferPointer { q in
                        breaks += lineBreaks(q)
                        fields.append(trimmed(q))
                    }
                    if endRow { break }
                } else {
                    let start = pos
                    var end = n
                    var endRow = true
                    if let hit = firstSpecial(base, from: pos, to: n) {
                        end = hit
                        switch base[hit] {
                        case 0x2C:
                            pos = hit + 1
                            endRow = false
                        case 0x0D:
                            pos = hit + 1
                            if pos < n && base[pos] == 0x0A { pos += 1 }
                        default:
                            pos = hit + 1
                        }
                    } else {
                        pos = n
                    }
                    fields.append(trimmed(UnsafeBufferPointer(start: base + start, count: end - start)))
                    if endRow { break }
                }
            }
            row(fields, breaks)
        }
    }

    /// The first `,` CR or LF in `[from, to)`.
    @inline(__always)
    private static func firstSpecial(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            let c = base[i]
            if c == 0x2C || c == 0x0A || c == 0x0D { return i }
            i += 1
        }
        return nil
    }

    /// The field as a string, trimmed of ASCII spaces, tabs and the ideographic space (U+3000, E3 80 80)
    /// at both ends (`CSVRecords.trimSpaces` on bytes; the bytes are valid UTF-8).
    static func trimmed(_ f: UnsafeBufferPointer<UInt8>) -> String {
        var s = 0, e = f.count
        while s < e {
            if f[s] == 0x20 || f[s] == 0x09 { s += 1 }
            else if e - s >= 3 && f[s] == 0xE3 && f[s + 1] == 0x80 && f[s + 2] == 0x80 { s += 3 }
            else { break }
        }
        while e > s {
            if f[e - 1] == 0x20 || f[e - 1] == 0x09 { e -= 1 }
            else if e - s >= 3 && f[e - 3] == 0xE3 && f[e - 2] == 0x80 && f[e - 1] == 0x80 { e -= 3 }
            else { break }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: f[s..<e]), as: UTF8.self)
    }

    /// Line breaks inside a field (CRLF counts once), as `CSVRecords.lineBreaks`.
    static func lineBreaks(_ f: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        var previousCR = false
        for b in f {
            if b == 0x0D { n += 1; previousCR = true; continue }
            if b == 0x0A && !previousCR { n += 1 }
            previousCR = false
        }
        return n
    }
}
