import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers shared by the Interchange*Tests files (prefixed `ix`)

/// The checked-in fixtures, found through this file's real path (the test file may be a symlink).
func ixFixture(_ name: String) throws -> Data {
    let dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/interchange")
    return try Data(contentsOf: dir.appendingPathComponent(name))
}

func ixConfig(_ encoding: TextEncoding = .cp932, _ lineEnding: LineEnding = .crlf,
              _ change: (inout InterchangeConfig) -> Void = { _ in }) -> InterchangeConfig {
    var c = InterchangeConfig()
    c.encoding = encoding
    c.lineEnding = lineEnding
    change(&c)
    return c
}

func ixCP932(_ s: String) -> Data { s.data(using: .shiftJIS, allowLossyConversion: false)! }

/// The three rows of the export fixtures: an empty 記号, a full-width 記号 with 〜 (U+301C, remapped
/// to ～ in CP932), and half-width kana with a full-width 番号.
let ixExportRows: [[String]] = [
    ["T1300019", "1234567890123456", "12130019", "", "0001234", ""],
    ["T1300019", "2345678901234567", "12130019", "ＡＢ〜１２", "987654", "01"],
    ["T1300019", "3456789012345678", "12130019", "ｱｲｳ-1", "１２３４５", "02"],
]

// MARK: R-RG-2 export bytes

@Suite("Interchange: FI_HIM_0018 export (R-RG-2)", .tags(.unit))
struct InterchangeExportTests {
    @Test func rRG2_exportCP932CRLF_matchesCheckedInBytes() throws {
        let data = try RegistrationFile.encode(ixExportRows, config: ixConfig(.cp932, .crlf))
        #expect(data == (try ixFixture("export_cp932_crlf.csv")))
    }

    @Test func rRG2_exportUTF8LF_matchesCheckedInBytes() throws {
        let data = try RegistrationFile.encode(ixExportRows, config: ixConfig(.utf8, .lf))
        #expect(data == (try ixFixture("export_utf8_lf.csv")))
    }

    @Test func rRG2_exportIsTheDefaultConfig_CP932_CRLF_noHeader() throws {
        #expect(try RegistrationFile.encode(ixExportRows, config: .default) == (try ixFixture("export_cp932_crlf.csv")))
    }

    @Test func rRG2_waveDashMinusYenRemappedInCP932() throws {
        let data = try RegistrationFile.encode([["T1300019", "1234567890123456", "12130019", "〜−¥", "1", ""]], config: .default)
        // ～ 0x8160, － 0x817C, ￥ 0x818F: never `?` (0x3F).
        #expect(Array(data).suffix(11) == [0x81, 0x60, 0x81, 0x7C, 0x81, 0x8F, 0x2C, 0x31, 0x2C, 0x0D, 0x0A])
        #expect(!data.contains(0x3F))
    }

    @Test func rRG2_unencodableCharacterRefusedWithRowAndColumn() {
        var rows = ixExportRows
        rows[2][4] = "𠮷田"   // 𠮷 U+20BB7 is not in CP932
        #expect {
            try RegistrationFile.encode(rows, config: .default)
        } throws: { error in
            guard let p = error as? FileProblem else { return false }
            return p.row == 3 && p.column == 5 && p.columnName == "被保険者証番号"
                && p.message.contains("𠮷") && p.message.contains("U+20BB7")
                && p.description.hasPrefix("3行目 5列（被保険者証番号）: ")
        }
    }

    @Test func rRG2_unencodableCharacterIsFineInUTF8() throws {
        let data = try RegistrationFile.encode([["T1300019", "1234567890123456", "12130019", "", "𠮷田", ""]], config: ixConfig(.utf8, .lf))
        #expect(String(data: data, encoding: .utf8) == "T1300019,1234567890123456,12130019,,𠮷田,\n")
    }

    @Test func rRG2_headerRowOnlyWhenConfigured() throws {
        let data = try RegistrationFile.encode([ixExportRows[0]], config: ixConfig(.utf8, .lf) { $0.exportHeader = true })
        #expect(String(data: data, encoding: .utf8) ==
            "保険者コード,被保険者枝番,保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番\nT1300019,1234567890123456,12130019,,0001234,\n")
    }

    @Test func rRG2_fieldsWithCommaQuoteOrNewlineAreQuoted() throws {
        let data = try RegistrationFile.encode([["a,b", "say \"hi\"", "x\r\ny", "", "ｶﾝﾏ,", "z"]], config: .default)
        #expect(data == ixCP932("\"a,b\",\"say \"\"hi\"\"\",\"x\r\ny\",,\"ｶﾝﾏ,\",z\r\n"))
    }

    @Test func rRG2_wrongColumnCountRefused() {
        #expect(throws: FileProblem.self) { try RegistrationFile.encode([["T1300019"]], config: .default) }
    }
}

// MARK: R-RG-2 / R-RG-3 field rules

@Suite("Interchange: FI_HIM_0018 validation (R-RG-2, R-RG-3)", .tags(.unit))
struct InterchangeValidationTests {
    let good = ["T1300019", "1234567890123456", "12130019", "", "0001234", ""]

    func problems(_ column: Int, _ value: String) -> [FileProblem] {
        var f = good
        f[column - 1] = value
        return RegistrationFile.validate(f)
    }

    @Test func rRG2_goodRowsPass() {
        #expect(RegistrationFile.validate(good).isEmpty)
        for row in ixExportRows { #expect(RegistrationFile.validate(row).isEmpty) }
    }

    @Test func rRG2_col1_insurerCode_8HalfWidthAlnumRequired() {
        #expect(problems(1, "").map(\.column) == [1])
        #expect(problems(1, "T130001").count == 1)          // 7
        #expect(problems(1, "T13000190").count == 1)        // 9
        #expect(problems(1, "T130001-").count == 1)         // not alnum
        #expect(problems(1, "Ｔ1300019").count == 1)        // full width
        #expect(problems(1, "ab345678").isEmpty)
        #expect(problems(1, "").first?.description == "1列（保険者コード）: 空です。半角英数字8桁が必要です（R-RG-2）")
    }

    @Test func rRG2_col2_serverIndividualNumber_16HalfWidthDigitsRequired() {
        #expect(problems(2, "").first?.columnName == "被保険者枝番")
        #expect(problems(2, "123456789012345").first?.message.contains("15桁") == true)
        #expect(problems(2, "12345678901234567").count == 1)
        #expect(problems(2, "１２３４５６７８９０１２３４５６").first?.message.contains("全角") == true)
        #expect(problems(2, "123456789012345A").count == 1)
    }

    @Test func rRG2_col3_insurerNumber_8HalfWidthDigitsRequired() {
        #expect(problems(3, "").map(\.column) == [3])
        #expect(problems(3, "1213001").count == 1)
        #expect(problems(3, "1213001A").count == 1)
        #expect(problems(3, "１２１３００１９").count == 1)
    }

    @Test func rRG2_col4_symbol_upTo20_mayBeEmpty() {
        #expect(problems(4, "").isEmpty)
        #expect(problems(4, String(repeating: "記", count: 20)).isEmpty)
        #expect(problems(4, String(repeating: "記", count: 21)).first?.message.contains("21文字") == true)
    }

    @Test func rRG2_col5_number_upTo20_required() {
        #expect(problems(5, "").map(\.column) == [5])
        #expect(problems(5, String(repeating: "1", count: 20)).isEmpty)
        #expect(problems(5, String(repeating: "１", count: 21)).count == 1)
    }

    @Test func rRG2_col6_branch_2HalfWidthDigitsOrEmpty() {
        #expect(problems(6, "").isEmpty)
        #expect(problems(6, "01").isEmpty)
        #expect(problems(6, "1").count == 1)
        #expect(problems(6, "001").count == 1)
        #expect(problems(6, "０１").count == 1)
    }

    @Test func rRG3_controlCharactersCommasQuotesAndOuterSpacesRefused() {
        #expect(problems(5, "12\t3").count == 1)
        #expect(problems(4, "A,B").first?.message.contains("カンマ") == true)
        #expect(problems(4, "A\"B").count == 1)
        #expect(problems(5, " 123").first?.message.contains("空白") == true)
        #expect(problems(4, "\u{E000}").first?.message.contains("外字") == true)
    }

    @Test func rRG2_wrongFieldCount() {
        #expect(RegistrationFile.validate(["T1300019"]).count == 1)
    }

    @Test func rRG2_allProblemsOfARowAreListed() {
        #expect(RegistrationFile.validate(["", "", "", "", "", "x"]).map(\.column) == [1, 2, 3, 5, 6])
    }

    @Test func rRG2_validateWithEncodingCatchesUnencodableBeforeExport() {
        var f = good
        f[4] = "𠮷"
        #expect(RegistrationFile.validate(f).isEmpty)
        #expect(RegistrationFile.validate(f, encoding: .cp932).map(\.column) == [5])
        #expect(RegistrationFile.validate(f, encoding: .utf8).isEmpty)
        f[4] = "〜1"   // remapped, so fine
        #expect(RegistrationFile.validate(f, encoding: .cp932).isEmpty)
    }
}
