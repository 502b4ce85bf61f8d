import Foundation

/// Bytes ⇄ text for the files exchanged with the 中間サーバー, with the encoding problems explained
/// to the clerk (R-FL-4: "encoding errors detected and explained"; R-RG-2: CP932 note).
///
/// CP932 is Foundation's `String.Encoding.shiftJIS`, which on Linux (swift-corelibs / swift-foundation)
/// and macOS is the Windows code page 932 table, checked by InterchangeEncodingTests:
/// - 〜 U+301C, − U+2212, ¥ U+00A5, ‖ U+2016, — U+2014, ¢ £ ¬ do not encode (they are the JIS X 0208
///   mapping of the same Shift_JIS codes); their CP932 forms ～ U+FF5E, － U+FF0D, ￥ U+FFE5, ∥ U+2225,
///   ― U+2015, ￠ ￡ ￢ do.
/// - NEC special characters (①, ㈱, ㍻, Ⅰ at 0x87xx) and IBM extensions (髙 0xFBFC, ⅰ 0xFA40,
///   﨑 0xFAB1) encode and decode; NEC-selected IBM extensions (0xED40…) decode.
/// - The user-defined area (外字, 0xF040–0xF9FC) decodes to the private use area (U+E000…).
/// - Characters outside CP932 (𠮷 U+20BB7, combining marks) do not encode.
/// - Invalid or unassigned byte sequences make decoding fail as a whole (nil), never `?` or U+FFFD.
public enum TextDecoding {
    /// What a byte scan found: line endings, NUL, non-ASCII.
    struct Scan {
        var crlf = 0
        var lf = 0
        var cr = 0
        var firstLF: Int?
        var firstCRLF: Int?
        var firstCR: Int?
        var nulLine: Int?
        var nonASCII = false
    }

    static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func scan(_ bytes: UnsafeRawBufferPointer) -> Scan {
        var s = Scan()
        var line = 1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                switch b {
                case 0x0D:
                    if i + 1 < n && bytes[i + 1] == 0x0A {
                        s.crlf += 1
                        if s.firstCRLF == nil { s.firstCRLF = line }
                        i += 1
                    } else {
                        s.cr += 1
                        if s.firstCR == nil { s.firstCR = line }
                    }
                    line += 1
                case 0x0A:
                    s.lf += 1
                    if s.firstLF == nil { s.firstLF = line }
                    line += 1
                case 0x00:
                    if s.nulLine == nil { s.nulLine = line }
                default: break
                }
            } else {
                s.nonASCII = true
            }
            i += 1
        }
        return s
    }

    /// Decodes a whole file. Refuses (throws `FileProblem` with no row unless a line is known):
    /// an empty file; UTF-16; NUL bytes; a UTF-8 file (with or without BOM) when CP932 is set; a CP932
    /// file when UTF-8 is set; bytes invalid in the set encoding (naming the line). A UTF-8 BOM is
    /// stripped when UTF-8 is set. Never replaces a byte it cannot read.
    public static func decode(_ data: Data, expected: TextEncoding) throws -> (text: String, warnings: [String]) {
        let (text, warnings, _) = try decodeScanning(data, expected: expected)
        return (text, warnings)
    }

    /// `decode`, also returning the byte scan (line endings) so a parser reads the bytes once.
    static func decodeScanning(_ data: Data, expected: TextEncoding) throws -> (String, [String], Scan) {
        try data.withUnsafeBytes { raw in try decode(raw, expected: expected) }
    }

    static func decode(_ raw: UnsafeRawBufferPointer, expected: TextEncoding) throws -> (String, [String], Scan) {
        try withUTF8(raw, expected: expected) { (String(decoding: $0, as: UTF8.self), $1, $2) }
    }

    /// `decode`, handing `body` the text as UTF-8 bytes (issue 14, P3: the CSV reader works on bytes):
    /// the file's own bytes when they are ASCII or UTF-8 (after a stripped BOM), else the CP932 text
    /// converted. The same checks, refusals and warnings as `decode`.
    static func withUTF8<R>(_ raw: UnsafeRawBufferPointer, expected: TextEncoding,
                            _ body: (UnsafeRawBufferPointer, [String], Scan) throws -> R) throws -> R {
        var bytes = raw
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        if hasBOM { bytes = UnsafeRawBufferPointer(rebasing: bytes[3...]) }
        guard !bytes.isEmpty else { throw FileProblem(message: "ファイルが空です") }
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            throw FileProblem(message: "このファイルは UTF-16 です。読めるのは CP932（Shift_JIS）と UTF-8 だけです。\(expected.spacedLabel)で保存し直してください")
        }
        let scan = self.scan(bytes)
        if let line = scan.nulLine {
            throw FileProblem(row: line, message: "NUL（0x00）のバイトがあります。CSV のテキストファイルではないか、壊れています（UTF-16 で保存された可能性もあります）")
        }
        let isUTF8 = scan.nonASCII ? validUTF8(bytes) : true
        let fix = "設定の encoding を直すか、\(expected.spacedLabel)で保存し直してください"
        switch expected {
        case .cp932:
            if hasBOM {
                throw FileProblem(message: "このファイルは UTF-8（BOM付き）ですが、設定は CP932（Shift_JIS）です。\(fix)")
            }
            // Japanese Shift_JIS text is practically never valid UTF-8 (its lead bytes 0x81–0x9F are
            // UTF-8 continuation bytes), so valid non-ASCII UTF-8 means the file is UTF-8.
            if scan.nonASCII && isUTF8 {
                throw FileProblem(message: "このファイルは UTF-8 のようですが、設定は CP932（Shift_JIS）です。\(fix)")
            }
            // Pure ASCII is the same in both: the bytes as they are.
            if !scan.nonASCII { return try body(bytes, [], scan) }
            // Only the lines with non-ASCII bytes go through Foundation (issue 7, P3): the same text.
            if let utf8 = CP932Lines.decodeUTF8(bytes) {
                return try utf8.withUnsafeBytes { try body($0, privateUseWarning(utf8: $0), scan) }
            }
            let line = firstUndecodableLine(bytes) { cp932String($0) != nil }
            throw FileProblem(row: line, message: "CP932（Shift_JIS）として読めないバイトがあります。文字コードが違うか、ファイルが壊れています")
        case .utf8:
            if isUTF8 {
                return try body(bytes, [], scan)
            }
            if cp932String(bytes) != nil {
                throw FileProblem(message: "このファイルは CP932（Shift_JIS）のようですが、設定は UTF-8 です。\(fix)")
            }
            let line = firstUndecodableLine(bytes) { validUTF8($0) }
            throw FileProblem(row: line, message: "UTF-8 として読めないバイトがあります。文字コードが違うか、ファイルが壊れています")
        }
    }

    /// Line-ending warnings (R-FL-4): the data is still read, whatever the line ending.
    /// 「改行が LF です（設定は CRLF）」, mixed endings, CR alone.
    public static func lineEndingWarnings(_ data: Data, expected: LineEnding) -> [String] {
        data.withUnsafeBytes { lineEndingWarnings(scan($0), expected: expected) }
    }

    static func lineEndingWarnings(_ s: Scan, expected: LineEnding) -> [String] {
        var kinds: [(String, Int, Int)] = []   // label, count, first line
        if s.crlf > 0 { kinds.append(("CRLF", s.crlf, s.firstCRLF!)) }
        if s.lf > 0 { kinds.append(("LF", s.lf, s.firstLF!)) }
        if s.cr > 0 { kinds.append(("CR", s.cr, s.firstCR!)) }
        if kinds.count > 1 {
            let list = kinds.map { "\($0.0) \($0.1)か所（最初は\($0.2)行目）" }.joined(separator: "、")
            return ["改行が混在しています: \(list)。設定は \(expected.label) です"]
        }
        guard let only = kinds.first, only.0 != expected.label else { return [] }
        return ["改行が \(only.0) です（設定は \(expected.label)）。読み込みは続けます"]
    }

    static func validUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    static func cp932String(_ bytes: UnsafeRawBufferPointer) -> String? {
        // Pure ASCII is the same in both: skip Foundation's converter.
        if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        // Only the lines with non-ASCII bytes go through Foundation (issue 7, P3): the same text.
        return CP932Lines.decode(bytes)
    }

    /// The first line (split at LF; CP932 trail bytes are never 0x0A) that does not decode.
    static func firstUndecodableLine(_ bytes: UnsafeRawBufferPointer, decodes: (UnsafeRawBufferPointer) -> Bool) -> Int? {
        var line = 1
        var start = 0
        for i in 0...bytes.count {
            if i == bytes.count || bytes[i] == 0x0A {
                if !decodes(UnsafeRawBufferPointer(rebasing: bytes[start..<i])) { return line }
                line += 1
                start = i + 1
            }
        }
        return nil
    }

    /// The 外字 warning on UTF-8 bytes: the private use area U+E000–U+F8FF is EE 80 80 … EF A3 BF.
    static func privateUseWarning(utf8 b: UnsafeRawBufferPointer) -> [String] {
        var line = 1
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c == 0x0A { line += 1 }
            else if c == 0xEE || (c == 0xEF && i + 1 < n && b[i + 1] <= 0xA3) {
                return ["\(line)行目などに外字（CP932 の利用者定義文字）があります。正しく表示されないことがあります"]
            }
            i += 1
        }
        return []
    }

    static func isPrivateUse(_ u: Unicode.Scalar) -> Bool { (0xE000...0xF8FF).contains(u.value) }
}

/// Text → bytes in the configured encoding (R-RG-2).
enum TextEncoder {
    /// R-RG-2: characters that CP932 writes under another code point (the JIS X 0208 form of the
    /// same Shift_JIS code). 〜 − ¥ are the ones DOMAIN.md names; ‖ — ¢ £ ¬ are the rest of that set.
    static let cp932Remap: [Unicode.Scalar: Unicode.Scalar] = [
        "\u{301C}": "\u{FF5E}",   // 〜 WAVE DASH → ～ FULLWIDTH TILDE
        "\u{2212}": "\u{FF0D}",   // − MINUS SIGN → － FULLWIDTH HYPHEN-MINUS
        "\u{00A5}": "\u{FFE5}",   // ¥ YEN SIGN → ￥ FULLWIDTH YEN SIGN
        "\u{2016}": "\u{2225}",   // ‖ DOUBLE VERTICAL LINE → ∥ PARALLEL TO
        "\u{2014}": "\u{2015}",   // — EM DASH → ― HORIZONTAL BAR
        "\u{00A2}": "\u{FFE0}",   // ¢ → ￠
        "\u{00A3}": "\u{FFE1}",   // £ → ￡
        "\u{00AC}": "\u{FFE2}",   // ¬ → ￢
    ]

    /// R-RG-2 remapping; also composes a decomposed が (か + U+3099, as macOS may hand over) into the
    /// one character CP932 has. Only text with combining marks is composed, so compatibility
    /// ideographs elsewhere are never changed.
    static func remapForCP932(_ text: String) -> String {
        var s = text
        if s.unicodeScalars.contains(where: { (0x0300...0x036F).contains($0.value) || (0x3099...0x309A).contains($0.value) }) {
            s = s.precomposedStringWithCanonicalMapping
        }
        guard s.unicodeScalars.contains(where: { cp932Remap[$0] != nil }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(cp932Remap[u] ?? u) }
        return String(out)
    }

    /// The bytes of `s`, or the first character that cannot be written.
    static func encode(_ s: String, as encoding: TextEncoding) -> Result<[UInt8], UnencodableCharacter> {
        switch encoding {
        case .utf8:
            return .success(Array(s.utf8))
        case .cp932:
            let text = remapForCP932(s)
            if text.utf8.allSatisfy({ $0 < 0x80 }) { return .success(Array(text.utf8)) }
            if let d = text.data(using: .shiftJIS, allowLossyConversion: false) { return .success(Array(d)) }
            for c in text where String(c).data(using: .shiftJIS, allowLossyConversion: false) == nil {
                return .failure(UnencodableCharacter(character: c))
            }
            // Every character alone encodes but the whole did not: should not happen; name none.
            return .failure(UnencodableCharacter(character: nil))
        }
    }

    struct UnencodableCharacter: Error {
        let character: Character?

        var message: String {
            guard let c = character else { return "CP932（Shift_JIS）で書けない文字があります" }
            let codes = c.unicodeScalars.map { TextNormalizer.codePoint($0) }.joined(separator: " ")
            return "「\(c)」（\(codes)）は CP932（Shift_JIS）で書けない文字です。別の字に置き換えるか、設定の encoding を utf-8 にしてください（R-RG-2）"
        }
    }
}
