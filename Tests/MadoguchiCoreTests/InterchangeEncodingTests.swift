import Foundation
import Testing
@testable import MadoguchiCore

/// What Foundation's `.shiftJIS` does on this platform: the CP932 facts TextDecoding.swift documents
/// (R-RG-2 CP932 note). If a Foundation update changes them, these fail first.
@Suite("Interchange: CP932 and decoding (R-RG-2, R-FL-4)", .tags(.unit))
struct InterchangeEncodingTests {
    func sjis(_ s: String) -> [UInt8]? { s.data(using: .shiftJIS, allowLossyConversion: false).map(Array.init) }

    @Test func rRG2_foundationShiftJISIsCP932() {
        // JIS X 0208 forms do not encode…
        for s in ["〜", "−", "¥", "‖", "—", "¢", "£", "¬"] { #expect(sjis(s) == nil, "\(s)") }
        // …their CP932 forms do, at the codes Windows uses.
        #expect(sjis("～") == [0x81, 0x60])
        #expect(sjis("－") == [0x81, 0x7C])
        #expect(sjis("￥") == [0x81, 0x8F])
        #expect(sjis("∥") == [0x81, 0x61])
        #expect(sjis("―") == [0x81, 0x5C])
        // NEC special characters and IBM extensions.
        #expect(sjis("①") == [0x87, 0x40])
        #expect(sjis("㈱") == [0x87, 0x8A])
        #expect(sjis("髙") == [0xFB, 0xFC])
        #expect(sjis("ⅰ") == [0xFA, 0x40])
        // Outside CP932.
        #expect(sjis("𠮷") == nil)
        // NEC-selected IBM extension decodes; the user-defined area decodes to the private use area.
        #expect(String(data: Data([0xED, 0x40]), encoding: .shiftJIS) == "\u{7E8A}")
        #expect(String(data: Data([0xF0, 0x40]), encoding: .shiftJIS) == "\u{E000}")
        // Invalid bytes: nil, never U+FFFD.
        #expect(String(data: Data([0x41, 0x82, 0x20]), encoding: .shiftJIS) == nil)
    }

    @Test func rRG2_remapCoversTheDomainNamedCharacters() {
        for (from, to) in [("〜", "～"), ("−", "－"), ("¥", "￥")] {
            #expect(TextEncoder.remapForCP932(from) == to)
            guard case .success(let bytes) = TextEncoder.encode(from, as: .cp932) else { Issue.record("\(from)"); continue }
            #expect(bytes == sjis(to))
        }
        // A decomposed が (か + U+3099) is written as the one CP932 character.
        guard case .success(let ga) = TextEncoder.encode("か\u{3099}", as: .cp932) else { Issue.record("decomposed が"); return }
        #expect(ga == [0x82, 0xAA])
        guard case .failure(let e) = TextEncoder.encode("髙橋𠮷", as: .cp932) else { Issue.record("encoded"); return }
        #expect(e.character == "𠮷")
    }

    @Test func rFL4_decodeStripsBOMForUTF8() throws {
        let (text, warnings) = try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF] + Array("a,b".utf8)), expected: .utf8)
        #expect(text == "a,b" && warnings.isEmpty)
    }

    @Test func rFL4_asciiFileReadsInEitherEncoding() throws {
        for e in TextEncoding.allCases {
            #expect(try TextDecoding.decode(Data("12130019,1\r\n".utf8), expected: e).text == "12130019,1\r\n")
        }
    }

    @Test func rFL4_brokenCP932NamesTheLine() {
        // Line 2 has a lead byte followed by a space; not valid UTF-8 either.
        let data = ixCP932("見出し\r\n") + Data([0x41, 0x82, 0x20, 0x0D, 0x0A])
        #expect {
            try TextDecoding.decode(data, expected: .cp932)
        } throws: { e in
            guard let p = e as? FileProblem else { return false }
            return p.row == 2 && p.message.hasPrefix("CP932（Shift_JIS）として読めないバイトがあります")
        }
    }

    @Test func rFL4_brokenUTF8NamesTheLine() {
        let data = Data("ok\nまだ ok\n".utf8) + Data([0xE3, 0x81, 0x0A])
        #expect {
            try TextDecoding.decode(data, expected: .utf8)
        } throws: { e in
            guard let p = e as? FileProblem else { return false }
            return p.row == 3 && p.message.hasPrefix("UTF-8 として読めないバイトがあります")
        }
    }

    @Test func rFL4_halfWidthKanaCP932FileIsNotTakenForUTF8() throws {
        // ｱｲｳ in CP932 is B1 B2 B3: invalid UTF-8, valid CP932.
        let data = ixCP932("ｱｲｳ\r\n")
        #expect(try TextDecoding.decode(data, expected: .cp932).text == "ｱｲｳ\r\n")
        #expect(throws: FileProblem.self) { try TextDecoding.decode(data, expected: .utf8) }
    }

    @Test func rFL4_UTF16Refused() {
        #expect {
            try TextDecoding.decode(Data([0xFF, 0xFE, 0x41, 0x00]), expected: .utf8)
        } throws: { e in (e as? FileProblem)?.message.contains("UTF-16") == true }
    }

    @Test func rFL4_privateUseCharactersWarned() throws {
        let (_, warnings) = try TextDecoding.decode(Data([0x41, 0x0D, 0x0A, 0xF0, 0x40]), expected: .cp932)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("2行目"))
    }

    @Test func rFL4_lineEndingWarnings() {
        #expect(TextDecoding.lineEndingWarnings(Data("a\r\nb\r\n".utf8), expected: .crlf).isEmpty)
        #expect(TextDecoding.lineEndingWarnings(Data("a\nb\n".utf8), expected: .lf).isEmpty)
        #expect(TextDecoding.lineEndingWarnings(Data("a\nb\n".utf8), expected: .crlf) == ["改行が LF です（設定は CRLF）。読み込みは続けます"])
        #expect(TextDecoding.lineEndingWarnings(Data("a\rb\r".utf8), expected: .crlf) == ["改行が CR です（設定は CRLF）。読み込みは続けます"])
        let mixed = TextDecoding.lineEndingWarnings(Data("a\r\nb\nc\r\n".utf8), expected: .crlf)
        #expect(mixed == ["改行が混在しています: CRLF 2か所（最初は1行目）、LF 1か所（最初は2行目）。設定は CRLF です"])
        #expect(TextDecoding.lineEndingWarnings(Data("no line end".utf8), expected: .crlf).isEmpty)
    }

    @Test func rFL4_fileProblemDescriptions() {
        #expect(FileProblem(row: 3, column: 2, columnName: "被保険者枝番", message: "16桁の数字ではありません").description
            == "3行目 2列（被保険者枝番）: 16桁の数字ではありません")
        #expect(FileProblem(row: 4, message: "列が足りません").description == "4行目: 列が足りません")
        #expect(FileProblem(message: "ファイルが空です").description == "ファイルが空です")
        #expect(FileProblem(column: 5, columnName: "被保険者証番号", message: "空です").description == "5列（被保険者証番号）: 空です")
    }
}
