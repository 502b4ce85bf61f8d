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

    /// R-ID-4: does the text hold something that looks like a 個人番号 (My Number)?
    ///
    /// After width and hyphen normalisation: a standalone run of exactly 12 digits (a maximal run:
    /// not part of a longer digit run, so a 16-digit number is fine), or three groups of four digits
    /// joined by single spaces or hyphens (`1234 5678 9012`, `1234-5678-9012`) that are not part of a
    /// longer chain of digit groups (`1234-5678-9012-3456` is fine). Text around it does not matter.
    public static func containsMyNumberLike(_ s: String) -> Bool {
        let chars = Array(asciiHyphens(halfWidthASCII(s)).unicodeScalars)
        // Maximal runs of ASCII digits, with where they start and end.
        var runs: [(start: Int, end: Int)] = []
        var i = 0
        while i < chars.count {
            if isASCIIDigit(chars[i]) {
                let start = i
                while i < chars.count, isASCIIDigit(chars[i]) { i += 1 }
                runs.append((start, i))
            } else {
                i += 1
            }
        }
        if runs.contains(where: { $0.end - $0.start == 12 }) { return true }
        // Chains: runs separated by exactly one space or hyphen.
        var chain: [Int] = []
        var previousEnd = -10
        func chainIsMyNumber() -> Bool { chain == [4, 4, 4] }
        for run in runs {
            let joined = run.start == previousEnd + 1 && (chars[previousEnd] == " " || chars[previousEnd] == "-")
            if joined {
                chain.append(run.end - run.start)
            } else {
                if chainIsMyNumber() { return true }
                chain = [run.end - run.start]
            }
            previousEnd = run.end
        }
        return chainIsMyNumber()
    }

    /// R-ID-4 for text the office does not type (a server's 処理結果メッセージ, a file's name) and for
    /// echoing what was typed in an error: the same text with every 個人番号-like part (as
    /// `containsMyNumberLike` finds them, after width and hyphen normalisation) replaced by `*`, so
    /// that it can be kept or shown without the number. Text without one is returned unchanged.
    public static func maskingMyNumberLike(_ s: String) -> String {
        guard containsMyNumberLike(s) else { return s }
        var t = asciiHyphens(halfWidthASCII(s))
        for pattern in [#"(?<![0-9])[0-9]{12}(?![0-9])"#,
                        #"(?<![0-9][ -])(?<![0-9])[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}(?![0-9])(?![ -][0-9])"#] {
            while let r = t.range(of: pattern, options: .regularExpression) {
                t.replaceSubrange(r, with: String(t[r].map { $0.isASCII && $0.isNumber ? "*" : $0 }))
            }
        }
        return t
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
        s.unicodeScalars.first { u in
            switch u.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
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
            switch u.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: out += "<\(codePoint(u))>"
            default: out.unicodeScalars.append(u)
            }
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
