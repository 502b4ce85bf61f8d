import Testing
@testable import MadoguchiUI

@Suite("DisplayWidth: columns as the terminal counts them", .tags(.unit))
struct DisplayWidthTests {
    @Test("CJK takes two columns, ASCII one")
    func cjkAndASCII() {
        #expect(DisplayWidth.of(Character("漢")) == 2)
        #expect(DisplayWidth.of(Character("あ")) == 2)
        #expect(DisplayWidth.of(Character("ア")) == 2)
        #expect(DisplayWidth.of(Character("a")) == 1)
        #expect(DisplayWidth.of("山田　太郎") == 10)   // the ideographic space is wide too
        #expect(DisplayWidth.of("R-PT-1") == 6)
    }

    @Test("Half-width katakana ｱ takes one column; ﾀﾞ (one Character, two scalars) takes two")
    func halfWidthKana() {
        #expect(DisplayWidth.of(Character("ｱ")) == 1)
        let da = Character("\u{FF80}\u{FF9E}")   // ﾀ + ﾞ
        #expect(String(da).count == 1)
        #expect(String(da).unicodeScalars.count == 2)
        #expect(DisplayWidth.of(da) == 2)
        #expect(DisplayWidth.of("ﾔﾏﾀﾞ ﾀﾛｳ") == 8)
        #expect(DisplayWidth.of("ﾊﾟ") == 2)
    }

    @Test("Combining marks take no column")
    func combiningMarks() {
        #expect(DisplayWidth.of(scalar: "\u{0301}") == 0)
        #expect(DisplayWidth.of(scalar: "\u{3099}") == 0)              // combining 濁点
        #expect(DisplayWidth.of(Character("e\u{0301}")) == 1)
        #expect(DisplayWidth.of(Character("\u{30AB}\u{3099}")) == 2)   // カ + combining 濁点
    }

    @Test("Full-width digits take two columns")
    func fullWidthDigits() {
        #expect(DisplayWidth.of(Character("１")) == 2)
        #expect(DisplayWidth.of("１２３－４５６７") == 16)
        #expect(DisplayWidth.of("123-4567") == 8)
    }

    @Test("truncate keeps within the columns and marks the cut with …")
    func truncate() {
        #expect(DisplayWidth.truncate("山田太郎", to: 8) == "山田太郎")
        #expect(DisplayWidth.truncate("山田太郎", to: 7) == "山田太…")
        #expect(DisplayWidth.truncate("山田太郎", to: 6) == "山田…")   // 山田太 + … would be 7
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
        #expect(DisplayWidth.truncate("山田", to: 0) == "")
        for n in 1...9 {
            #expect(DisplayWidth.of(DisplayWidth.truncate("ﾔﾏﾀﾞ山田 太郎", to: n)) <= n)
        }
    }

    @Test("pad fills to exactly the columns, wide characters counted twice")
    func pad() {
        #expect(DisplayWidth.pad("山田", to: 6) == "山田  ")
        #expect(DisplayWidth.pad("ab", to: 2) == "ab")
        let cut = DisplayWidth.pad("山田太郎", to: 6)
        #expect(DisplayWidth.of(cut) == 6)
        #expect(cut.hasPrefix("山田"))
        #expect(cut.contains("…"))
    }

    @Test("wrap breaks Japanese without spaces, within the width, losing nothing")
    func wrapJapanese() {
        let text = "中間サーバーに登録した月の翌月末に解除されますマイナポータルに表示されるのはその後です"
        let lines = TextWrap.lines(text, width: 20)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 20 })
        #expect(lines.joined() == text)
        #expect(TextWrap.lines("一行目\n二行目", width: 40) == ["一行目", "二行目"])
    }

    @Test("wrap (禁則) never starts a line with 。 or ）")
    func wrapKinsoku() {
        // At 10 columns the 。 / ） would fall exactly at the start of line 2.
        for closer in ["。", "）", "、", "」"] {
            let text = "あいうえおかきくけこ" + closer + "さしす"
            let lines = TextWrap.lines(text, width: 10)
            #expect(lines.joined() == text)
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= 10 })
            #expect(lines.dropFirst().allSatisfy { !$0.hasPrefix(closer) }, "\(closer): \(lines)")
        }
    }

    @Test("wrap does not split a rule ID such as R-PT-1")
    func wrapRuleID() {
        // R-PT-1 straddles the 20-column edge wherever it starts in 15…19.
        for pad in 15...19 {
            // ｱ is one column and not ASCII, so the ID starts at column `pad`.
            let prefix = String(repeating: "あ", count: pad / 2) + (pad % 2 == 1 ? "ｱ" : "")
            #expect(DisplayWidth.of(prefix) == pad)
            let text = prefix + "R-PT-1を見てください"
            let lines = TextWrap.lines(text, width: 20)
            #expect(lines.joined() == text)
            #expect(lines.contains { $0.contains("R-PT-1") }, "split at \(pad): \(lines)")
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= 20 })
        }
    }
}

@Suite("Canvas: cells as terminal columns", .tags(.unit))
struct CanvasTests {
    @Test("A wide character fills its cell and leaves a continuation cell")
    func wideOccupiesTwoCells() {
        var c = Canvas(width: 10, height: 1)
        let next = c.put("山a", x: 1, y: 0)
        #expect(next == 4)
        #expect(c[1, 0].text == "山")
        #expect(c[2, 0].isContinuation)
        #expect(c[3, 0].text == "a")
        #expect(c.text == " 山a")
    }

    @Test("Overwriting the right half of a wide character blanks its left half")
    func overwriteRightHalf() {
        var c = Canvas(width: 6, height: 1)
        c.put("山田", x: 0, y: 0)
        c.put("x", x: 1, y: 0)
        #expect(c[0, 0].text == " ")
        #expect(c[1, 0].text == "x")
        #expect(c[2, 0].text == "田")
        #expect(c.text == " x田")
    }

    @Test("Overwriting the left half of a wide character blanks its right half")
    func overwriteLeftHalf() {
        var c = Canvas(width: 6, height: 1)
        c.put("山田", x: 0, y: 0)
        c.put("y", x: 2, y: 0)
        #expect(c[2, 0].text == "y")
        #expect(c[3, 0].text == " ")
        #expect(!c[3, 0].isContinuation)
        #expect(c.text == "山y")
    }

    @Test("A wide character that does not fit at the right edge becomes a space")
    func wideAtRightEdge() {
        var c = Canvas(width: 5, height: 1)
        c.put("abcd山", x: 0, y: 0)
        #expect(c[4, 0].text == " ")
        #expect(c.text == "abcd")
        var m = Canvas(width: 10, height: 1)
        m.put("山田太郎", x: 0, y: 0, maxWidth: 5)   // 5 columns: 山田 and half of 太
        #expect(m.text == "山田")
        #expect(m[4, 0].text == " ")
        #expect(m[5, 0].text == " ")
    }

    @Test("Control characters are drawn as ?")
    func controlCharacters() {
        var c = Canvas(width: 10, height: 1)
        c.put("a\u{07}b\u{1B}c\u{7F}", x: 0, y: 0)
        #expect(c.text == "a?b?c?")
    }

    @Test("Text below, above or right of the canvas is clipped, never a crash")
    func clipping() {
        var c = Canvas(width: 4, height: 2)
        c.put("abcdef", x: 2, y: 1)
        c.put("zz", x: 0, y: 5)
        c.put("zz", x: 0, y: -1)
        #expect(c.text == "\n  ab")
    }
}
