import Foundation
import Testing
@testable import MadoguchiCore

@Suite("Validation: width, My Number look, control characters (R-ID-4, R-ID-6)", .tags(.unit))
struct ValidationTextNormalizerTests {

    @Test("R-ID-6 halfWidthASCII converts full-width digits, letters, punctuation; leaves kana and kanji")
    func halfWidth() {
        #expect(TextNormalizer.halfWidthASCII("０１２３４５６７８９") == "0123456789")
        #expect(TextNormalizer.halfWidthASCII("ＡＢＣｘｙｚ") == "ABCxyz")
        #expect(TextNormalizer.halfWidthASCII("－．／（）＠！～") == "-./()@!~")
        #expect(TextNormalizer.halfWidthASCII("東京都１－２　カタカナｶﾀｶﾅひらがな") == "東京都1-2 カタカナｶﾀｶﾅひらがな")
        #expect(TextNormalizer.halfWidthASCII("plain ascii 123") == "plain ascii 123")
    }

    @Test("R-ID-6 asciiHyphens turns hyphen-like characters into -")
    func hyphens() {
        #expect(TextNormalizer.asciiHyphens("03‐1234−5678ー9ｰ0－1—2") == "03-1234-5678-9-0-1-2")
    }

    @Test("R-ID-4 12 digits alone are My-Number-like, also in full width")
    func twelveDigits() {
        #expect(TextNormalizer.containsMyNumberLike("123456789012"))
        #expect(TextNormalizer.containsMyNumberLike("１２３４５６７８９０１２"))
    }

    @Test("R-ID-4 12 digits written 4-4-4 with hyphens or spaces (any width) are My-Number-like")
    func grouped() {
        #expect(TextNormalizer.containsMyNumberLike("1234-5678-9012"))
        #expect(TextNormalizer.containsMyNumberLike("1234 5678 9012"))
        #expect(TextNormalizer.containsMyNumberLike("１２３４　５６７８　９０１２"))
        #expect(TextNormalizer.containsMyNumberLike("1234ー5678ー9012"))
        #expect(TextNormalizer.containsMyNumberLike("1234-5678 9012"))
        // R-ID-4 as amended 2026-11-30: 12 digits with separators between them, however grouped
        // (before the amendment only 4-4-4 with single separators counted, and these passed).
        #expect(TextNormalizer.containsMyNumberLike("12345-678-9012"))
        #expect(TextNormalizer.containsMyNumberLike("1234--5678--9012"))
    }

    @Test("R-ID-4 a My Number inside text is found")
    func insideText() {
        #expect(TextNormalizer.containsMyNumberLike("個人番号は123456789012です"))
        #expect(TextNormalizer.containsMyNumberLike("番号 1234 5678 9012 を確認"))
        #expect(TextNormalizer.containsMyNumberLike("abc123456789012xyz"))
        #expect(TextNormalizer.containsMyNumberLike("電話03-1234-5678、番号1234-5678-9012"))
    }

    @Test("R-ID-4 not My-Number-like: 16 digits, 4-4-4-4, 11-digit phone, 13 or 11 digits, dates, postal codes")
    func notMyNumber() {
        #expect(!TextNormalizer.containsMyNumberLike("1234567890123456"))
        #expect(!TextNormalizer.containsMyNumberLike("1234-5678-9012-3456"))
        #expect(!TextNormalizer.containsMyNumberLike("1234 5678 9012 3456"))
        #expect(!TextNormalizer.containsMyNumberLike("09012345678"))
        #expect(!TextNormalizer.containsMyNumberLike("090-1234-5678"))
        #expect(!TextNormalizer.containsMyNumberLike("1234567890123"))
        #expect(!TextNormalizer.containsMyNumberLike("12345678901"))
        #expect(!TextNormalizer.containsMyNumberLike("2026-11-23"))
        #expect(!TextNormalizer.containsMyNumberLike("〒123-4567"))
        #expect(!TextNormalizer.containsMyNumberLike("12130019 1234567"))
        #expect(!TextNormalizer.containsMyNumberLike(""))
    }

    @Test("control characters are found and named; variation selectors are not control characters")
    func controls() {
        #expect(TextNormalizer.firstControlCharacter("abc\u{7}def") == "\u{7}")
        #expect(TextNormalizer.firstControlCharacter("a\tb") == "\t")
        #expect(TextNormalizer.firstControlCharacter("a\u{1B}[31m") == "\u{1B}")
        #expect(TextNormalizer.firstControlCharacter("a\u{7F}") == "\u{7F}")
        #expect(TextNormalizer.firstControlCharacter("a\u{200B}b") == "\u{200B}")
        #expect(TextNormalizer.firstControlCharacter("a\u{202E}b") == "\u{202E}")
        #expect(TextNormalizer.firstControlCharacter("a\u{2028}b") == "\u{2028}")
        #expect(TextNormalizer.firstControlCharacter("山田　太郎 ｶﾞ") == nil)
        #expect(TextNormalizer.firstControlCharacter("葛\u{E0100}飾") == nil)
        #expect(TextNormalizer.codePoint("\u{7}") == "U+0007")
        #expect(TextNormalizer.codePoint("\u{E0100}") == "U+E0100")
    }

    @Test("R-FL-5 terminalSafe keeps line breaks and tabs, shows every other control character as its code point")
    func terminalSafe() {
        #expect(TextNormalizer.terminalSafe("a\tb\nc") == "a\tb\nc")
        #expect(TextNormalizer.terminalSafe("x\u{1B}[2J\u{07}") == "x<U+001B>[2J<U+0007>")
        #expect(TextNormalizer.terminalSafe("\u{9B}1\u{202E}z\u{2028}") == "<U+009B>1<U+202E>z<U+2028>")
        #expect(TextNormalizer.terminalSafe("ok\r\nnext\rback") == "ok\r\nnext<U+000D>back")
        #expect(TextNormalizer.terminalSafe("山田　太郎 ｶﾞ 葛\u{E0100}") == "山田　太郎 ｶﾞ 葛\u{E0100}")
    }

    @Test("R-FL-5 jsonSafe writes C1, DEL and bidi controls as \\u escapes: the same JSON value")
    func jsonSafe() throws {
        let value = ["m": "a\u{1B}b\u{9B}c\u{7F}d\u{202E}e\u{E0001}f"]
        let data = try JSONSerialization.data(withJSONObject: value)
        let safe = TextNormalizer.jsonSafe(String(decoding: data, as: UTF8.self))
        let raw: Set<UInt32> = [0x9B, 0x7F, 0x202E, 0xE0001]
        #expect(!safe.unicodeScalars.contains { raw.contains($0.value) })
        #expect(safe.contains("\\u009B") && safe.contains("\\u202E") && safe.contains("\\uDB40\\uDC01"), "\(safe)")
        let back = try JSONSerialization.jsonObject(with: Data(safe.utf8)) as? [String: String]
        #expect(back == value)
    }

    @Test("R-FL-5 R-ID-4 importedText masks the number first (an invisible character between digits hides nothing), then escapes")
    func importedText() {
        #expect(TextNormalizer.importedText("番号1234\u{200B}5678\u{200B}9012\u{1B}") == "番号****<U+200B>****<U+200B>****<U+001B>")
        #expect(TextNormalizer.importedText("一行目\n二行目") == "一行目 二行目")
        #expect(TextNormalizer.importedText("正常終了") == "正常終了")
    }

    @Test("OWASP CSV injection: spreadsheetCell prefixes ' to = + - @ TAB CR and quotes; other cells as they are")
    func spreadsheetCell() {
        #expect(CSVWriter.spreadsheetCell("=1+1") == ("'=1+1", true))
        #expect(CSVWriter.spreadsheetCell("@A1") == ("'@A1", true))
        #expect(CSVWriter.spreadsheetCell("\tx") == ("' x", true))
        #expect(CSVWriter.spreadsheetCell("山田　太郎") == ("山田　太郎", false))
        #expect(CSVWriter.spreadsheetCell("令和8年12月1日") == ("令和8年12月1日", false))
        #expect(CSVWriter.spreadsheetCell("") == ("", false))
        let bytes = try? CSVWriter.encode([["-1", "a"]], encoding: .utf8, lineEnding: .lf, forPeople: true)
        #expect(bytes.map { String(decoding: $0, as: UTF8.self) } == "\"'-1\",a\n")
    }

    @Test("R-ID-4 no false positive on numbers that are numbers by design", arguments: [
        "2026-11-30", "2026/11/30", "20261130", "令和8年11月30日", "R8.11.30", "2026.11.30 10:00",
        "〒123-4567", "１２３－４５６７", "03-1234-5678", "090-1234-5678", "０９０－１２３４－５６７８", "09012345678",
        "12130019", "138057", "1234567890123456", "1234-5678-9012-3456", "1234 5678 9012 3456", "1234567890123",
        "12345678901", "20261124153000", "一二三", "一丁目二番三号", "三十一日", "電話03-1234-5678、〒123-4567",
        "2026年11月30日 12時", "案件 2026-0001", "第一二三四五六七八九〇一二三号", "",
    ])
    func detectorLeavesOtherNumbers(_ s: String) {
        #expect(!TextNormalizer.containsMyNumberLike(s), "\(s)")
        #expect(TextNormalizer.maskingMyNumberLike(s) == s)
    }
}
