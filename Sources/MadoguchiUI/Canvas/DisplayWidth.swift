import MadoguchiCore

/// How many terminal columns text occupies. CJK and full-width forms take two; half-width katakana
/// (ｱ, ﾞ) and East Asian "ambiguous" characters take one, as glibc's wcwidth in a UTF-8 locale and
/// tmux count them (checked scalar by scalar in `DisplayWidthGlibcTests`); combining marks take none.
/// Never use `String.count` for columns.
public enum DisplayWidth {
    /// Columns of every scalar that takes two, as glibc 2.36's wcwidth counts them in a UTF-8 locale
    /// (its table is Unicode 14.0): East Asian Wide and Fullwidth, and the emoji presentation
    /// characters it widens. Scalars assigned after Unicode 14.0, which that wcwidth does not know
    /// (it answers -1), keep their East Asian Width from Unicode's data. `DisplayWidthGlibcTests`
    /// compares this function with wcwidth over every assigned scalar and lists each difference.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x3029,
        0x302E...0x303E, 0x3041...0x3098, 0x309B...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE3,
        0x16FF0...0x16FF1, 0x17000...0x18D08, 0x1AFF0...0x1AFF3, 0x1AFF5...0x1AFFB, 0x1AFFD...0x1AFFE,
        0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4,
        0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E,
        0x1F550...0x1F567, 0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F,
        0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6DF, 0x1F6EB...0x1F6EF,
        0x1F6F4...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945,
        0x1F947...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// Format characters that glibc draws with one column (the prepended concatenation marks such as
    /// U+0600 ARABIC NUMBER SIGN), though format characters otherwise take none.
    private static let visibleFormat: [ClosedRange<UInt32>] = [
        0x0600...0x0605, 0x06DD...0x06DD, 0x070F...0x070F, 0x0890...0x0891, 0x08E2...0x08E2,
        0x110BD...0x110BD, 0x110CD...0x110CD,
    ]

    /// Scalars that combine with the one before and take no column although their category is not a
    /// mark: Hangul jungseong/jongseong (conjoining jamo), variation selectors, and U+1171E, a mark in
    /// glibc's Unicode 14.0 table (Unicode 16 made it a spacing mark; the terminal still counts 0).
    private static let zeroWidth: [ClosedRange<UInt32>] = [
        0x1160...0x11FF, 0xD7B0...0xD7C6, 0xD7CB...0xD7FB, 0xFE00...0xFE0F, 0x1171E...0x1171E, 0xE0100...0xE01EF,
    ]

    /// Columns of one Unicode scalar: 0, 1 or 2 (control characters count 0; the UI never draws them:
    /// the Canvas draws `?`, see `drawn`). glibc answers -1 for them.
    public static func of(scalar s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        switch s.properties.generalCategory {
        case .format: return contains(visibleFormat, v) ? 1 : 0
        case .nonspacingMark, .enclosingMark, .lineSeparator, .paragraphSeparator: return 0
        default: break
        }
        if contains(wide, v) { return 2 }   // (disjoint from zeroWidth: kana and kanji stop here)
        return contains(zeroWidth, v) ? 0 : 1
    }

    /// Binary search in sorted, disjoint ranges.
    private static func contains(_ ranges: [ClosedRange<UInt32>], _ v: UInt32) -> Bool {
        var lo = 0, hi = ranges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < ranges[mid].lowerBound { hi = mid - 1 } else if v > ranges[mid].upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Columns of one grapheme cluster (a base plus combining marks is one cell; ZWJ emoji two).
    public static func of(_ c: Character) -> Int {
        var width = 0
        for s in c.unicodeScalars {
            if s.value == 0xFE0F { return 2 }
            if width == 0 {
                width = of(scalar: s)
            } else if s.value == 0xFF9E || s.value == 0xFF9F {
                // ﾞ ﾟ extend the grapheme (ﾀﾞ is one Character) but take a column of their own.
                width += 1
            }
        }
        return width
    }

    /// Columns a character takes when the Canvas draws it: as `of`, except that a control
    /// character is drawn as `?` and takes one. Wrapping and clipping count with this.
    public static func drawn(_ c: Character) -> Int {
        let w = of(c)
        if w == 0 && isControl(c) { return 1 }
        return w
    }

    /// A character made only of control characters (drawn as `?`): C0/C1 controls, and — R-FL-5 —
    /// invisible format characters such as bidi overrides (U+202A–202E, U+2066–2069) and the line
    /// and paragraph separators, so text from a file shows that they are there instead of reordering
    /// or breaking the line around them.
    static func isControl(_ c: Character) -> Bool {
        c.unicodeScalars.allSatisfy(TextNormalizer.isControlScalar)
    }

    /// Columns the text takes on the Canvas (control characters count one, as drawn).
    public static func of(_ s: some StringProtocol) -> Int {
        var n = 0
        for c in s { n += drawn(c) }
        return n
    }

    /// The longest prefix that fits in `columns`, with `…` when cut (and room for it).
    public static func truncate(_ s: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if of(s) <= columns { return s }
        var out = ""
        var used = 0
        for c in s {
            let w = drawn(c)
            if used + w > columns - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }

    /// Pads with spaces to exactly `columns` (truncating first if needed).
    public static func pad(_ s: String, to columns: Int) -> String {
        let t = truncate(s, to: columns)
        return t + String(repeating: " ", count: max(0, columns - of(t)))
    }
}
