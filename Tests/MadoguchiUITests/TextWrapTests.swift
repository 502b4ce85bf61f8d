import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// Issue 11, item 1 (the screen never lies): the one wrapping function, `TextWrap.wrap`.
@Suite("TextWrap: wrapping loses nothing and follows 禁則", .tags(.unit))
struct TextWrapTests {
    /// Pieces random text is made of: Japanese, ASCII words and paths, half-width kana (ﾀﾞ is one
    /// Character), combining marks, emoji (ZWJ, VS16, flags), 𠮷, the 禁則 characters, newlines and a tab.
    static let pieces: [String] = {
        var p: [String] = []
        p += "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん".map(String.init)
        p += "アイウエオカキクケコサシスセソタチツテトナニヌネノマミムメモ".map(String.init)
        p += "施設入所本人管理難家族遠方住医療券調剤保険者番号申請理由".map(String.init)
        p += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".map(String.init)
        p += ["R-PT-1", "R-IN-4", "/var/lib/madoguchi/exports/", "FI_HIM_00019_D20261124.csv", "yamada", " ", " ", "　", "-", "_", "/"]
        p += "ｱｲｳｴｵｶｷｸｹｺﾔﾏﾀﾞﾊﾟｰｧｯｬ｡､｣｢･ﾞﾟ".map(String.init)
        p += ["e\u{0301}", "\u{0301}", "か\u{3099}", "👍", "👨‍👩‍👧", "❤️", "🇯🇵", "𠮷", "１", "２", "Ａ", "\u{200B}"]
        p += TextWrap.noStart.map(String.init)
        p += TextWrap.noEnd.map(String.init)
        p += ["\n", "\n", "\r\n", "\t", "。", "、", "」", "「", "（", "）"]
        return p
    }()

    static func randomText(_ rng: inout SeededRandom) -> String {
        var s = ""
        let n = rng.below(90)
        // Some texts lean on one kind of piece (a run of 」」」, a long path) to reach the forced break.
        let lean = rng.chance(20) ? rng.pick(pieces) : nil
        for _ in 0..<n { s += lean.flatMap { rng.chance(60) ? $0 : nil } ?? rng.pick(pieces) }
        return s
    }

    @Test("Property: joined lines give back the text, every line fits, 禁則 holds unless a hard break was forced")
    func property() {
        var rng = SeededRandom(seed: 0x11_2026_1130)
        var forced = 0
        var checked = 0
        for _ in 0..<6000 {
            let text = Self.randomText(&rng)
            let width = 1 + rng.below(120)
            let lines = TextWrap.wrap(text, width: width)
            checked += 1
            // Nothing dropped, doubled or moved, scalar for scalar (String == would forgive normalisation).
            #expect(Array(TextWrap.join(lines).unicodeScalars) == Array(text.unicodeScalars), "width \(width): \(text.debugDescription)")
            #expect(lines.count >= text.filter(\.isNewline).count + 1)
            for (i, line) in lines.enumerated() {
                #expect(!line.text.contains { $0.isNewline })
                let w = DisplayWidth.of(line.text)
                // A character wider than the whole width (a wide one at width 1) stands alone.
                #expect(w <= width || line.text.count == 1, "line \(i) is \(w) wide at \(width): \(line.text.debugDescription)")
                guard i + 1 < lines.count, line.newline == nil else { continue }
                let next = lines[i + 1].text
                guard let first = next.first else { continue }
                let breaksStart = TextWrap.noStart.contains(first)
                let breaksEnd = line.text.last.map { TextWrap.noEnd.contains($0) } ?? false
                if breaksStart || breaksEnd {
                    // Allowed only as the hard break: the line was full and no split inside it satisfies 禁則.
                    let chars = Array(line.text)
                    let full = w + DisplayWidth.drawn(first) > width
                    let anyGoodSplit = (1..<max(1, chars.count)).contains { k in
                        !TextWrap.noStart.contains(chars[k]) && !TextWrap.noEnd.contains(chars[k - 1])
                    }
                    #expect(full && !anyGoodSplit, "禁則 broken without need at \(width): \(line.text.debugDescription) / \(next.debugDescription)")
                    forced += 1
                }
            }
        }
        #expect(checked == 6000)
        // The generator does reach the forced case, so that branch of the property is exercised.
        #expect(forced > 0)
    }

    @Test("A line is as full as the 禁則 allows: plain kana fill every line but the last")
    func greedy() {
        var rng = SeededRandom(seed: 7)
        let kana = Array("あいうえおかきくけこさしすせそ漢字山田")
        for _ in 0..<500 {
            let text = String((0..<(1 + rng.below(200))).map { _ in rng.pick(kana) })
            let width = 2 + rng.below(60)
            let lines = TextWrap.lines(text, width: width)
            for l in lines.dropLast() { #expect(DisplayWidth.of(l) >= width - 1) }
        }
    }

    @Test("The 60-character reason wraps whole, no line starting with 。 or 、")
    func reason() {
        let reason = "施設に入所しており、本人がマイナンバーカードを管理することが難しいとのこと。家族も遠方に住んでいるため"
        for width in [10, 20, 21, 40, 57, 60, 77, 117] {
            let lines = TextWrap.lines(reason, width: width)
            #expect(lines.joined() == reason)
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= width })
            #expect(lines.dropFirst().allSatisfy { !($0.hasPrefix("。") || $0.hasPrefix("、")) }, "\(width): \(lines)")
        }
        // At 18 columns 、 would start line 2 (施設に入所しており fills 18): り goes down with it.
        #expect(TextWrap.lines("施設に入所しており、本人が", width: 18) == ["施設に入所してお", "り、本人が"])
    }

    @Test("行末禁則: an opening bracket goes down with what it opens")
    func openingBracket() {
        // 「 would be the last character of a 10-column line.
        let lines = TextWrap.lines("あいうえ「かきく」です", width: 10)
        #expect(lines == ["あいうえ", "「かきく」", "です"])
    }

    @Test("A path longer than the line breaks anywhere and loses no digit")
    func longPath() {
        let path = "/home/madoguchi/office/exports/FI_HIM_00019_D20261124093015.csv"
        let text = "一括登録ファイルを書き出しました：" + path
        for width in [20, 37, 40, 57, 77] {
            let lines = TextWrap.lines(text, width: width)
            #expect(lines.joined() == text)
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= width })
            #expect(lines.joined().contains("00019_D"))
        }
        // A path longer than a line starts right after the text before it (no half-empty line).
        let first = TextWrap.lines(text, width: 40)[0]
        #expect(first.hasPrefix("一括登録ファイルを書き出しました：/") && DisplayWidth.of(first) >= 39, "\(first)")
        // It breaks after a "/": the file name, which fits a line, is whole on one (it can be read and
        // found as written), and so is every folder name.
        for width in [37, 40, 57] {
            let lines = TextWrap.lines(text, width: width)
            #expect(lines.contains { $0.contains("FI_HIM_00019_D20261124093015.csv") }, "\(width): \(lines)")
            #expect(lines.contains { $0.contains("exports/") }, "\(width): \(lines)")
        }
        // A path that fits on a line of its own starts one rather than being split.
        let short = TextWrap.lines("書き出しました：FI_HIM_00019.csv", width: 20)
        #expect(short == ["書き出しました：", "FI_HIM_00019.csv"])
    }

    @Test("Newlines end lines, are kept for join and are never drawn; an empty text is one empty line")
    func newlines() {
        let lines = TextWrap.wrap("一行目\r\n\n三行目\n", width: 40)
        #expect(lines.map(\.text) == ["一行目", "", "三行目", ""])
        #expect(lines.map(\.newline) == ["\r\n", "\n", "\n", nil])
        #expect(TextWrap.join(lines) == "一行目\r\n\n三行目\n")
        #expect(TextWrap.wrap("", width: 5) == [TextWrap.Line("")])
    }

    @Test("Wide characters never straddle the edge; a wide character at width 1 stands alone")
    func wideCharacters() {
        let text = "a𠮷👨‍👩‍👧b❤️ﾀﾞ漢"
        for width in 1...8 {
            let lines = TextWrap.wrap(text, width: width)
            #expect(TextWrap.join(lines) == text)
            for l in lines { #expect(DisplayWidth.of(l.text) <= max(width, l.text.count == 1 ? 2 : width)) }
        }
        #expect(TextWrap.lines("漢字", width: 1) == ["漢", "字"])
        #expect(TextWrap.lines("a漢b", width: 2) == ["a", "漢", "b"])
    }

    @Test("Hanging indent: continuation rows line up under the value, every row fits, the text is whole")
    func hangingIndent() {
        let value = "施設に入所しており、本人がマイナンバーカードを管理することが難しいとのこと。家族も遠方に住んでいるため"
        let text = "  理由           " + value
        for width in [40, 77, 117] {
            let rows = TextWrap.rows(text, width: width, indent: 17)
            #expect(rows.allSatisfy { DisplayWidth.of($0) <= width })
            #expect(rows.dropFirst().allSatisfy { $0.hasPrefix(String(repeating: " ", count: 17)) })
            #expect(rows.map { $0.trimmingCharacters(in: .whitespaces) }.joined().contains(value))
        }
    }

    @Test("clipped marks a cut with … and keeps within the width")
    func clipped() {
        let (rows, cut) = TextWrap.clipped(String(repeating: "長い文", count: 30), width: 20, maxRows: 2)
        #expect(cut)
        #expect(rows.count == 2)
        #expect(rows[1].hasSuffix("…"))
        #expect(rows.allSatisfy { DisplayWidth.of($0) <= 20 })
        let (whole, notCut) = TextWrap.clipped("短い", width: 20, maxRows: 2)
        #expect(!notCut && whole == ["短い"])
    }
}
