import Foundation

/// Width, hyphen and control-character handling shared by the validators (R-ID-4, R-ID-6).
///
/// Everything here is plain Unicode-scalar arithmetic, so it behaves the same on Linux and macOS
/// Foundation (no ICU transforms).
public enum TextNormalizer {

    /// Full-width ASCII (全角英数記号, U+FF01–U+FF5E: ０-９ Ａ-Ｚ ａ-ｚ －(U+FF0D) ．／（） …) → half-width
    /// ASCII, and the ideographic space (全角スペース, U+3000) → an ASCII space.
    /// Kana, kanji and everything else are left alone (R-ID-6: digits typed in full width are stored
    /// in half width).
    public static func halfWidthASCII(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(u.value - 0xFEE0)!)
            case 0x3000: out.append(" ")
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// Hyphen-like characters people type between digits → ASCII `-`:
    /// ‐ ‑ ‒ – — ― − (U+2010–2015, U+2212), 長音 ー ｰ (U+30FC, U+FF70), － (U+FF0D), ﹣ (U+FE63).
    /// Only for numbers (phone, postal code, dates): never apply it to names or フリガナ.
    public static func asciiHyphens(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if hyphenLike.contains(u.value) { out.append("-") } else { out.append(u) }
        }
        return String(out)
    }

    static let hyphenLike: Set<UInt32> = [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212,
                                          0x30FC, 0xFF70, 0xFF0D, 0xFE63]

    // MARK: R-ID-4 — a 12-digit number however it is written

    /// R-ID-4 (amended 2026-11-30): does the text hold something that looks like a 個人番号?
    ///
    /// A 個人番号-like number is a **chain of exactly 12 digits**: digits of any script (ASCII,
    /// full-width ０-９, any Unicode decimal digit) or kanji numerals 〇一二三四五六七八九零, where
    /// consecutive digits may be joined by any number of separator characters (spaces of any width,
    /// hyphens and their look-alikes ー − ‐ – —, dots . ． ・, slashes / ／, underscores _ ＿, and
    /// invisible format characters) — and the chain is not continued by further digits on either
    /// side (a 16-digit 被保険者枝番, `1234-5678-9012-3456`, a 13-digit number are not 12 digits).
    /// A bare run of exactly 12 digits also counts when a longer chain holds it
    /// (`123456789012-3`), as before the amendment.
    ///
    /// Numbers that are numbers by design stay clear: dates (8 digits), 郵便番号 (7), phones (10–11),
    /// 保険者番号 (6/8), 被保険者枝番 (16). Known false positive, accepted: two short numbers that
    /// happen to add up to 12 digits with only separators between them (`03-1234-5678 12時`); the
    /// clerk is told why and writes them apart (「、」 or a word between them).
    public static func containsMyNumberLike(_ s: String) -> Bool {
        mayHoldMyNumber(s) && !myNumberSpans(Array(s.unicodeScalars)).isEmpty
    }

    /// Fewer than 12 digits of any kind: nothing to look for (most text; a report cell, a name).
    static func mayHoldMyNumber(_ s: String) -> Bool {
        var n = 0
        for u in s.unicodeScalars where isMyNumberDigit(u) {
            n += 1
            if n == 12 { return true }
        }
        return false
    }

    /// R-ID-4 for text the office does not type (a server's 処理結果メッセージ, a file's name) and for
    /// echoing what was typed in an error: the same text with every digit of each 個人番号-like number
    /// (as `containsMyNumberLike` finds them) replaced by `*`, separators and everything else kept,
    /// so that it can be kept or shown without the number. Text without one is returned unchanged.
    public static func maskingMyNumberLike(_ s: String) -> String {
        guard mayHoldMyNumber(s) else { return s }
        let scalars = Array(s.unicodeScalars)
        let spans = myNumberSpans(scalars)
        guard !spans.isEmpty else { return s }
        var out = String.UnicodeScalarView()
        var i = 0
        for span in spans {
            out.append(contentsOf: scalars[i..<span.lowerBound])
            for u in scalars[span] { out.append(isMyNumberDigit(u) ? "*" : u) }
            i = span.upperBound + 1
        }
        out.append(contentsOf: scalars[i...])
        return String(out)
    }

    /// Where the 個人番号-like numbers are: closed ranges of scalar indices from a first digit to a
    /// last digit, in order, not overlapping.
    static func myNumberSpans(_ u: [Unicode.Scalar]) -> [ClosedRange<Int>] {
        var spans: [ClosedRange<Int>] = []
        var i = 0
        while i < u.count {
            guard isMyNumberDigit(u[i]) else { i += 1; continue }
            // One chain: digits joined by separator characters only.
            var digitsAt = [i]
            var j = i + 1
            while true {
                var k = j
                while k < u.count, isMyNumberSeparator(u[k]) { k += 1 }
                guard k < u.count, isMyNumberDigit(u[k]) else { break }
                digitsAt.append(k)
                j = k + 1
            }
            if digitsAt.count == 12 {
                spans.append(digitsAt[0]...digitsAt[11])
            } else if digitsAt.count > 12 {
                // Bare runs (no separator) of exactly 12 inside a longer chain.
                var r = 0
                while r < digitsAt.count {
                    var e = r
                    while e + 1 < digitsAt.count, digitsAt[e + 1] == digitsAt[e] + 1 { e += 1 }
                    if e - r + 1 == 12 { spans.append(digitsAt[r]...digitsAt[e]) }
                    r = e + 1
                }
            }
            i = digitsAt.last! + 1
        }
        return spans
    }

    /// A digit for R-ID-4: any Unicode decimal digit (0-9, ０-９, …) or a kanji numeral 〇一…九零.
    static func isMyNumberDigit(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return (0x30...0x39).contains(u.value) }
        // Kana and kanji (most of the text here): only the kanji numerals; no decimal digit lives there.
        if (0x3000...0x9FFF).contains(u.value) { return kanjiDigits.contains(u.value) }
        return kanjiDigits.contains(u.value) || u.properties.numericType == .decimal
    }

    /// 〇 一 二 三 四 五 六 七 八 九 零.
    static let kanjiDigits: Set<UInt32> = [0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x96F6]

    /// What people put between the digits of a number: spaces (any width, also tab and NBSP),
    /// hyphens and look-alikes (`hyphenLike`), dots . ． ・ ･, slashes / ／, underscores _ ＿, and
    /// invisible format characters (zero-width space, bidi marks) that a pasted number may carry.
    static func isMyNumberSeparator(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x20, 0x09, 0xA0, 0x3000, 0x2D, 0x2E, 0x2F, 0x5F, 0xFF0E, 0xFF0F, 0xFF3F, 0x30FB, 0xFF65, 0x2024, 0x2027:
            return true
        default:
            return hyphenLike.contains(u.value) || u.properties.generalCategory == .format
                || u.properties.generalCategory == .spaceSeparator
        }
    }

    // MARK: R-FL-5 — text from outside is data, never terminal control

    /// R-FL-5: text that arrived in a file (a 処理結果メッセージ, a file's name, any column kept as
    /// text) made safe to keep: 個人番号-like numbers masked (R-ID-4, first, so that an invisible
    /// character between digits cannot hide one), then control characters shown as their code point
    /// (`<U+001B>`), on one line.
    ///
    /// Why stored escaped rather than the row refused: the row's outcome (正常終了・異常終了) is what the
    /// office needs and the file comes from the 中間サーバー, which the office cannot correct; refusing
    /// the row would leave the case stuck. Escaped, the message keeps every character visible for
    /// whoever reads it, and nothing in it can move a cursor or set a clipboard.
    public static func importedText(_ s: String) -> String {
        showingControlCharacters(maskingMyNumberLike(s))
    }

    /// R-FL-5 for whatever is written to a terminal, a notice or a report, whatever its source (a
    /// journal written before the rule may hold control characters): line breaks and tabs are kept,
    /// every other control character (as `firstControlCharacter` counts them) is shown as its code
    /// point. A lone CR (which moves the cursor back over a line) is shown too; CR LF stays a line end.
    public static func terminalSafe(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { isControlScalar($0) && $0 != "\n" && $0 != "\t" }) else { return s }
        var out = String.UnicodeScalarView()
        let u = Array(s.unicodeScalars)
        for (i, c) in u.enumerated() {
            if c == "\n" || c == "\t" || (c == "\r" && i + 1 < u.count && u[i + 1] == "\n") || !isControlScalar(c) {
                out.append(c)
            } else {
                out.append(contentsOf: "<\(codePoint(c))>".unicodeScalars)
            }
        }
        return String(out)
    }

    /// R-FL-5 for JSON written where a terminal may show it: every control character other than a
    /// line break (JSONEncoder already escapes C0 inside strings; outside strings there is only
    /// white space) written as a `\uXXXX` escape (a pair for one above U+FFFF). The JSON value is the
    /// same; only its spelling changes.
    public static func jsonSafe(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { isControlScalar($0) && $0 != "\n" }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            guard isControlScalar(u), u != "\n" else { out.append(u); continue }
            for unit in String(u).utf16 {
                let hex = String(unit, radix: 16, uppercase: true)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            }
        }
        return String(out)
    }

    /// A control character as R-FL-5 counts it (what `firstControlCharacter` finds): C0/C1 controls
    /// and DEL (Cc), invisible format characters (Cf: bidi overrides and isolates, zero-width space,
    /// BOM…), and the line and paragraph separators. The desk's canvas draws these as `?`.
    public static func isControlScalar(_ u: Unicode.Scalar) -> Bool {
        // Printable ASCII, kana and kanji (no control or format character there): no lookup.
        if (0x20..<0x7F).contains(u.value) || (0x3000...0x9FFF).contains(u.value) { return false }
        switch u.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// The first control character in the text (制御文字), or nil.
    ///
    /// Counted as control: C0/C1 controls and DEL (Cc), the line and paragraph separators
    /// (U+2028/2029) and invisible format characters (Cf: zero-width space, bidi overrides, BOM, …).
    /// Variation selectors (異体字セレクタ, used in names) are not control characters.
    public static func firstControlCharacter(_ s: String) -> Character? {
        firstControlScalar(s).map(Character.init)
    }

    static func firstControlScalar(_ s: String) -> Unicode.Scalar? {
        s.unicodeScalars.first(where: isControlScalar)
    }

    /// The text with every control character (as `firstControlCharacter` counts them) shown as its
    /// code point, so that text from another program (lp's messages) can reach a screen, a journal
    /// line or a notice without moving the terminal's cursor or setting its clipboard. Line breaks
    /// and tabs become spaces (the result is one line of a message).
    public static func showingControlCharacters(_ s: String) -> String {
        guard firstControlScalar(s) != nil else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if u == "\n" || u == "\r" || u == "\t" { out += " "; continue }
            if isControlScalar(u) { out += "<\(codePoint(u))>" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// `U+0007`
    static func codePoint(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Trims white space and line breaks of any width at both ends.
    static func trimmed(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func isASCIIDigit(_ u: Unicode.Scalar) -> Bool { (0x30...0x39).contains(u.value) }
    static func isASCIIDigit(_ c: Character) -> Bool {
        c.unicodeScalars.count == 1 && isASCIIDigit(c.unicodeScalars.first!)
    }
    static func isAllASCIIDigits(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy(isASCIIDigit)
    }

    /// How a refused character is quoted in a message: 「@」, or the code point for invisible ones.
    static func quoted(_ c: Character) -> String {
        if let u = c.unicodeScalars.first, c.unicodeScalars.count == 1,
           u.properties.generalCategory == .spaceSeparator {
            return "空白（\(codePoint(u))）"
        }
        return "「\(c)」"
    }
}
