/// 折り返し: the one way the desk breaks text into screen lines (issue 11, item 1: the screen never
/// lies). Every screen that wraps text goes through `TextWrap.wrap`; everything else here is built on it.
///
/// Guarantees, checked by a property test over random Japanese/ASCII/emoji text and widths 1…120:
/// - Nothing is lost, doubled or moved: `TextWrap.join(wrap(text, width: w))` is `text`, scalar for scalar.
/// - A newline in the text (any `Character` whose `isNewline` is true: "\n", "\r\n", "\r", U+2028 …)
///   ends a line; it is kept in that line's `newline`, never in its `text`, and never drawn. So a text
///   with k newlines gives at least k + 1 lines, and an empty text gives one empty line.
/// - No line is wider than `width` columns as the Canvas draws it (`DisplayWidth.drawn`), so a wide
///   character (漢, 𠮷, 👨‍👩‍👧) never straddles the edge. The one exception: a character wider than the
///   whole width (a wide character at width 1) stands alone on its line.
/// - 行頭禁則: no line but a paragraph's first starts with a character of `noStart` (」）。、・ー, small
///   kana, ASCII `) , .` …); 行末禁則: no line but a paragraph's last ends with one of `noEnd` (「（ `(` …).
///   When no break in the line satisfies both (a line of 」」」…), the line is broken hard at the width.
/// - A run of ASCII without spaces (a rule ID `R-PT-1`, a file name) is not split when it fits on a
///   line of its own; a longer run (a long path) starts where it is and breaks after a `/` where one
///   falls in the last two thirds of the line, else anywhere the 禁則 allows.
public enum TextWrap {
    /// One screen line of wrapped text.
    public struct Line: Equatable, Sendable {
        public var text: String
        /// The newline that ended this line in the original text (not drawn), if it ended at one.
        public var newline: Character?

        public init(_ text: String, newline: Character? = nil) {
            self.text = text
            self.newline = newline
        }
    }

    /// 行頭禁則: characters that may not begin a line.
    public static let noStart: Set<Character> = Set(
        "」）］｝〉》』】〕〙〗〟’”、。，．・：；？！ー―‐〜～…‥ゝゞヽヾ々〻"
            + "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
            + "｡｣､･ｰｧｨｩｪｫｬｭｮｯ"   // the half-width forms of the same
            + ")]},.:;!?"
    )

    /// 行末禁則: characters that may not end a line.
    public static let noEnd: Set<Character> = Set("「（［｛〈《『【〔〘〖〝‘“｢([{")

    /// Breaks `text` into lines of at most `width` columns (see the type's guarantees).
    public static func wrap(_ text: String, width: Int) -> [Line] {
        let width = max(1, width)
        var lines: [Line] = []
        var paragraph: [Character] = []
        for c in text {
            if c.isNewline {
                lines += wrapParagraph(paragraph, width: width)
                lines[lines.count - 1].newline = c
                paragraph.removeAll(keepingCapacity: true)
            } else {
                paragraph.append(c)
            }
        }
        lines += wrapParagraph(paragraph, width: width)
        return lines
    }

    /// The inverse of `wrap`: the lines and their newlines, back to back.
    public static func join(_ lines: [Line]) -> String {
        var s = ""
        for l in lines {
            s += l.text
            if let n = l.newline { s.append(n) }
        }
        return s
    }

    /// The lines' text only (for drawing).
    public static func lines(_ text: String, width: Int) -> [String] {
        wrap(text, width: width).map(\.text)
    }

    /// Screen rows with a hanging indent: the first row takes `width` columns, the rows after it are
    /// indented by `indent` spaces and wrapped to what is left, so every row fits in `width`. (A label
    /// column lines up the continuation with the value: `住所　　東京都…` / `　　　　…１－２－２`.)
    /// An indent leaving fewer than 8 columns is reduced. The text is wrapped once, so nothing moves.
    public static func rows(_ text: String, width: Int, indent: Int) -> [String] {
        let width = max(1, width)
        let indent = max(0, min(indent, width - 8))
        let first = wrap(text, width: width)
        guard first.count > 1, indent > 0 else { return first.map(\.text) }
        // Only the rest is wrapped again, narrower; the first line is kept as it was.
        let pad = String(repeating: " ", count: indent)
        let rest = join(Array(first.dropFirst()))
        return [first[0].text] + wrap(rest, width: width - indent).map { pad + $0.text }
    }

    /// At most `maxRows` rows of `rows(text, width:, indent:)`; when the text needs more, the last
    /// row shown ends with `…` (the caller says where the whole text can be read).
    public static func clipped(_ text: String, width: Int, indent: Int = 0, maxRows: Int) -> (rows: [String], cut: Bool) {
        let all = rows(text, width: width, indent: indent)
        guard all.count > maxRows, maxRows > 0 else { return (all, false) }
        var shown = Array(all.prefix(maxRows))
        var last = shown[maxRows - 1]
        while !last.isEmpty && DisplayWidth.of(last) + 1 > width { last.removeLast() }
        shown[maxRows - 1] = last + "…"
        return (shown, true)
    }

    // MARK: - The algorithm

    /// Greedy: take as many characters as fit, then step back to the nearest break allowed by the
    /// 禁則 and the ASCII-word rule; failing that, by the 禁則 alone; failing that, break at the width.
    private static func wrapParagraph(_ c: [Character], width: Int) -> [Line] {
        let n = c.count
        guard n > 0 else { return [Line("")] }
        let w = c.map(DisplayWidth.drawn)
        let glued = glue(c)
        var lines: [Line] = []
        var s = 0
        while s < n {
            var e = s
            var used = 0
            while e < n && used + w[e] <= width {
                used += w[e]
                e += 1
            }
            if e == s { e = s + 1 }   // wider than the whole width: alone on its line
            if e >= n {
                lines.append(Line(String(c[s..<n])))
                break
            }
            let b = breakPoint(c, glued, w, width: width, from: s, end: e)
            lines.append(Line(String(c[s..<b])))
            s = b
        }
        return lines
    }

    /// Where to end the line that starts at `s` and could hold `c[s..<e]` (a break before `c[b]`).
    private static func breakPoint(_ c: [Character], _ glued: [Bool], _ w: [Int], width: Int, from s: Int, end e: Int) -> Int {
        func kinsokuAllows(_ b: Int) -> Bool { !noStart.contains(c[b]) && !noEnd.contains(c[b - 1]) }
        /// A word that starts at `b` and is wider than a whole line is not worth a line of its own.
        func startsOverlongWord(_ b: Int) -> Bool {
            var k = b + 1
            var cols = w[b]
            while k < c.count && glued[k] {
                cols += w[k]
                k += 1
            }
            return k > e && cols > width
        }
        var b = e
        while b > s {
            if kinsokuAllows(b) && !glued[b] {
                if b == e || !startsOverlongWord(b) { return b }
                break   // the word would not fit a line anyway: break inside it, below
            }
            b -= 1
        }
        // Inside a long path, break after a "/" so that folder and file names stay whole and can be
        // read (and found) as written: …/data/ | inbox/result_FI_HIM_0018_….csv. Not so early that
        // the line is left mostly empty.
        b = e
        while b > s + max(1, (e - s) / 3) {
            if c[b - 1] == "/" && kinsokuAllows(b) { return b }
            b -= 1
        }
        b = e
        while b > s {
            if kinsokuAllows(b) { return b }
            b -= 1
        }
        return e   // no break satisfies the 禁則 within the width: a hard break
    }

    /// `glued[b]`: a break before `c[b]` would split a word: inside a run of ASCII, or between a rule
    /// ID and the one letter that goes with it (`R-IN-4 c`).
    private static func glue(_ c: [Character]) -> [Bool] {
        var g = [Bool](repeating: false, count: c.count + 1)
        for b in 1..<max(1, c.count) where isWordCharacter(c[b - 1]) && isWordCharacter(c[b]) { g[b] = true }
        for j in 1..<max(1, c.count - 1) where c[j] == " " && isWordCharacter(c[j - 1]) && c[j + 1].isLetter && c[j + 1].isASCII
            && (j + 2 == c.count || !isWordCharacter(c[j + 2])) {
            g[j] = true
            g[j + 1] = true
        }
        return g
    }

    /// Part of a run of ASCII that is read as one word (R-PT-1, FI_HIM_00019.csv, /var/…).
    static func isWordCharacter(_ c: Character) -> Bool {
        c.isASCII && !c.isWhitespace && !c.isNewline
    }
}
