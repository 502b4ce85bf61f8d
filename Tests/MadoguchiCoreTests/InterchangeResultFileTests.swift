import Foundation
import Testing
@testable import MadoguchiCore

/// The three rows of the result fixtures (R-FL-1 default layout).
private let ixExpectedResults: [(String, String, Bool, String)] = [
    ("12130019", "1234567890123456", true, ""),
    ("12130019", "2345678901234567", false, "資格情報が存在しません（E0101）"),
    ("12130019", "3456789012345678", true, "正常終了"),
]

private func ixCheck(_ parsed: ParsedFile<ResultRow>, firstLine: Int) {
    #expect(parsed.problems.isEmpty)
    #expect(parsed.rows.count == 3)
    for (i, (ins, srv, ok, msg)) in ixExpectedResults.enumerated() where i < parsed.rows.count {
        #expect(parsed.rows[i] == ResultRow(row: firstLine + i, insurerNumber: ins, serverIndividualNumber: srv, accepted: ok, message: msg))
    }
}

@Suite("Interchange: result file (R-RG-4, R-FL-1, R-FL-4)", .tags(.unit))
struct InterchangeResultFileTests {
    @Test func rFL1_goodFile_CP932_CRLF_withHeader() throws {
        let parsed = try ResultFile.parse(try ixFixture("result_cp932_crlf_header.csv"), config: .default)
        ixCheck(parsed, firstLine: 2)
        #expect(parsed.warnings.isEmpty)
    }

    @Test func rFL1_goodFile_UTF8_LF_withoutHeader() throws {
        let parsed = try ResultFile.parse(try ixFixture("result_utf8_lf_noheader.csv"),
                                          config: ixConfig(.utf8, .lf) { $0.resultHasHeader = false })
        ixCheck(parsed, firstLine: 1)
        #expect(parsed.warnings.isEmpty)
    }

    @Test func rFL1_goodFile_UTF8_withBOM() throws {
        let parsed = try ResultFile.parse(try ixFixture("result_utf8_bom_crlf_header.csv"), config: ixConfig(.utf8, .crlf))
        ixCheck(parsed, firstLine: 2)
        #expect(parsed.warnings.isEmpty)
    }

    @Test func rFL4_headerSettingWrongButNoRowLost() throws {
        // has_header = true but the file has none: the first row is data, read as such, with a warning.
        let a = try ResultFile.parse(try ixFixture("result_utf8_lf_noheader.csv"), config: ixConfig(.utf8, .lf))
        ixCheck(a, firstLine: 1)
        #expect(a.warnings.contains { $0.contains("has_header = true") })
        // has_header = false but the file has one: skipped, with a warning (not a bad row).
        let b = try ResultFile.parse(try ixFixture("result_cp932_crlf_header.csv"), config: ixConfig { $0.resultHasHeader = false })
        ixCheck(b, firstLine: 2)
        #expect(b.warnings.contains { $0.contains("has_header = false") })
    }

    @Test func rFL4_LFWhenCRLFIsSet_isAWarningAndTheDataIsRead() throws {
        let parsed = try ResultFile.parse(try ixFixture("result_cp932_lf_header.csv"), config: .default)
        ixCheck(parsed, firstLine: 2)
        #expect(parsed.warnings == ["改行が LF です（設定は CRLF）。読み込みは続けます"])
        // …and CRLF when LF is set.
        let other = try ResultFile.parse(try ixFixture("result_cp932_crlf_header.csv"), config: ixConfig(.cp932, .lf))
        #expect(other.warnings == ["改行が CRLF です（設定は LF）。読み込みは続けます"])
    }

    @Test func rFL4_mixedLineEndingsWarned() throws {
        let text = "a,b\r\nT1300019,1234567890123456,12130019,,1,,1,\nT1300019,2234567890123456,12130019,,1,,2,x\r\n"
        let parsed = try ResultFile.parse(Data(text.utf8), config: ixConfig(.utf8, .crlf))
        #expect(parsed.rows.count == 2)
        #expect(parsed.warnings.count == 1)
        #expect(parsed.warnings[0].contains("混在") && parsed.warnings[0].contains("LF 1か所（最初は2行目）"))
    }

    @Test func rFL4_malformedRows_eachNamedWithRowColumnReason() throws {
        let parsed = try ResultFile.parse(try ixFixture("result_malformed_cp932_crlf.csv"), config: .default)
        #expect(parsed.rows.map(\.row) == [2, 7])
        let byRow = Dictionary(grouping: parsed.problems, by: { $0.row ?? 0 })
        #expect(Set(byRow.keys) == [3, 4, 5, 6])
        // 3: 処理結果区分 3 (R-RG-4)
        #expect(byRow[3]?.first?.column == 7)
        #expect(byRow[3]?.first?.description == "3行目 7列（処理結果区分）: 1（正常終了）か 2（異常終了）のはずですが「3」です（R-RG-4）")
        // 4: too few columns
        #expect(byRow[4]?.first?.description == "4行目: 列が足りません（3列あります。8列必要です）")
        // 5: the same person as line 2
        #expect(byRow[5]?.first?.message.contains("2行目にもあります") == true)
        // 6: full-width digits in the 16-digit number
        #expect(byRow[6]?.first?.column == 2)
        #expect(byRow[6]?.first?.columnName == "被保険者枝番")
        #expect(byRow[6]?.first?.message.contains("全角") == true)
    }

    @Test func rRG4_resultCodeOtherThan1Or2_isARowProblem() throws {
        for code in ["0", "3", "", "１", "OK"] {
            let text = "T1300019,1234567890123456,12130019,,1,,\(code),msg\r\n"
            let parsed = try ResultFile.parse(Data(text.utf8), config: ixConfig(.utf8) { $0.resultHasHeader = false })
            #expect(parsed.rows.isEmpty, "code \(code)")
            #expect(parsed.problems.map(\.column) == [7], "code \(code)")
        }
    }

    @Test func rFL4_fieldsAreTrimmedAndQuotedFieldsRead() throws {
        let text = " T1300019 , 1234567890123456 ,\"12130019\",,1,, 2 ,\"エラー, 再登録してください\"\r\n"
        let parsed = try ResultFile.parse(Data(text.utf8), config: ixConfig(.utf8) { $0.resultHasHeader = false })
        #expect(parsed.problems.isEmpty)
        #expect(parsed.rows.first == ResultRow(row: 1, insurerNumber: "12130019", serverIndividualNumber: "1234567890123456",
                                              accepted: false, message: "エラー, 再登録してください"))
    }

    @Test func rFL4_lineNumbersCountLineBreaksInsideQuotedFields() throws {
        let text = "T1300019,1234567890123456,12130019,,1,,2,\"一行目\r\n二行目\"\r\nT1300019,2234567890123456,12130019,,1,,9,x\r\n"
        let parsed = try ResultFile.parse(Data(text.utf8), config: ixConfig(.utf8) { $0.resultHasHeader = false })
        #expect(parsed.rows.first?.message == "一行目\r\n二行目")
        #expect(parsed.problems.first?.row == 3)
    }

    @Test func rFL4_excelMangledNumbersExplained() throws {
        let text = "T1300019,1.23457E+15,12130019,,1,,1,\r\nT1300019,234567890123456,12130019,,1,,1,\r\n"
        let parsed = try ResultFile.parse(Data(text.utf8), config: ixConfig(.utf8) { $0.resultHasHeader = false })
        #expect(parsed.problems.count == 2)
        #expect(parsed.problems[0].message.contains("Excel"))
        #expect(parsed.problems[1].message.contains("15桁") && parsed.problems[1].message.contains("先頭の 0"))
    }

    @Test func rFL4_blankLinesSkipped_innerOnesWarned() throws {
        let text = "T1300019,1234567890123456,12130019,,1,,1,\r\n\r\nT1300019,2234567890123456,12130019,,1,,1,\r\n\r\n\r\n"
        let parsed = try ResultFile.parse(Data(text.utf8), config: ixConfig(.utf8) { $0.resultHasHeader = false })
        #expect(parsed.rows.map(\.row) == [1, 3])
        #expect(parsed.problems.isEmpty)
        #expect(parsed.warnings == ["空の行を読み飛ばしました（2行目）"])
    }

    // MARK: file-level refusals

    @Test func rFL4_emptyFileRefused() throws {
        #expect(throws: FileProblem(message: "ファイルが空です")) { try ResultFile.parse(try ixFixture("empty.csv"), config: .default) }
        #expect(throws: FileProblem(message: "ファイルが空です")) { try ResultFile.parse(Data([0xEF, 0xBB, 0xBF]), config: ixConfig(.utf8)) }
        #expect(throws: FileProblem.self) { try ResultFile.parse(Data("\r\n\r\n".utf8), config: .default) }
    }

    @Test func rFL4_headerOnlyIsAWarningNotAnError() throws {
        let parsed = try ResultFile.parse(ixCP932("保険者コード,被保険者枝番,保険者番号,記号,番号,枝番,処理結果区分,処理結果メッセージ\r\n"), config: .default)
        #expect(parsed.rows.isEmpty && parsed.problems.isEmpty)
        #expect(parsed.warnings.contains { $0.contains("データの行がありません") })
    }

    @Test func rFL4_CP932FileReadAsUTF8_explained() {
        #expect {
            try ResultFile.parse(try ixFixture("result_cp932_crlf_header.csv"), config: ixConfig(.utf8))
        } throws: { e in
            (e as? FileProblem)?.message == "このファイルは CP932（Shift_JIS）のようですが、設定は UTF-8 です。設定の encoding を直すか、UTF-8 で保存し直してください"
        }
    }

    @Test func rFL4_UTF8FileReadAsCP932_explained() {
        #expect {
            try ResultFile.parse(try ixFixture("result_utf8_lf_noheader.csv"), config: .default)
        } throws: { e in
            (e as? FileProblem)?.message.hasPrefix("このファイルは UTF-8 のようですが、設定は CP932（Shift_JIS）です") == true
        }
    }

    @Test func rFL4_UTF8WithBOMReadAsCP932_explained() {
        #expect {
            try ResultFile.parse(try ixFixture("result_utf8_bom_crlf_header.csv"), config: .default)
        } throws: { e in
            (e as? FileProblem)?.message == "このファイルは UTF-8（BOM付き）ですが、設定は CP932（Shift_JIS）です。設定の encoding を直すか、CP932（Shift_JIS）で保存し直してください"
        }
    }

    @Test func rFL4_headerNameLayout() throws {
        let config = ixConfig(.utf8, .lf) {
            $0.result = ColumnLayout(columns: ["insurer_number": .header("保険者番号"), "server_individual_number": .header("枝番16"),
                                               "result": .header("処理結果"), "message": .header("メッセージ")])
        }
        let parsed = try ResultFile.parse(try ixFixture("result_named_utf8_lf.csv"), config: config)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.rows == [
            ResultRow(row: 2, insurerNumber: "12130019", serverIndividualNumber: "1234567890123456", accepted: true, message: ""),
            ResultRow(row: 3, insurerNumber: "12130019", serverIndividualNumber: "2345678901234567", accepted: false, message: "不備あり"),
        ])
    }

    @Test func rFL4_missingHeaderColumnRefusedWholeFile() {
        let config = ixConfig(.utf8, .lf) {
            $0.result.columns["result"] = .header("処理結果区分")
        }
        #expect {
            try ResultFile.parse(try ixFixture("result_named_utf8_lf.csv"), config: config)
        } throws: { e in
            guard let p = e as? FileProblem else { return false }
            return p.row == 1 && p.message.hasPrefix("見出しに「処理結果区分」（処理結果区分）の列がありません")
        }
    }
}
