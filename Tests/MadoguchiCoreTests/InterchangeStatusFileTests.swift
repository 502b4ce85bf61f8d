import Foundation
import Testing
@testable import MadoguchiCore

private func ixDate(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

/// The three rows of the status fixtures (R-FL-2 default layout); the dates are written as YYYYMMDD,
/// YYYY-MM-DD and YYYY/M/D in the file.
private func ixExpectedStatus(firstLine: Int) -> [StatusRow] {
    [
        StatusRow(row: firstLine, insurerNumber: "12130019", serverIndividualNumber: "1234567890123456", registered: false,
                  registeredOn: ixDate(2024, 1, 5), cancelledOn: ixDate(2026, 2, 28), cancelKind: "1",
                  certificateExpiry: ixDate(2029, 12, 31)),
        StatusRow(row: firstLine + 1, insurerNumber: "12130019", serverIndividualNumber: "2345678901234567", registered: true,
                  registeredOn: ixDate(2024, 2, 29), cancelledOn: nil, cancelKind: "", certificateExpiry: ixDate(2026, 5, 31)),
        StatusRow(row: firstLine + 2, insurerNumber: "12130019", serverIndividualNumber: "3456789012345678", registered: false,
                  registeredOn: ixDate(2024, 3, 1), cancelledOn: ixDate(2026, 1, 31), cancelKind: "",
                  certificateExpiry: ixDate(2030, 1, 1)),
    ]
}

@Suite("Interchange: status file (R-CF-1, R-FL-2, R-FL-4)", .tags(.unit))
struct InterchangeStatusFileTests {
    @Test func rFL2_goodFile_CP932_CRLF_withHeader_datesInThreeFormats() throws {
        let parsed = try StatusFile.parse(try ixFixture("status_cp932_crlf_header.csv"), config: .default)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.warnings.isEmpty)
        #expect(parsed.rows == ixExpectedStatus(firstLine: 2))
    }

    @Test func rFL2_goodFile_UTF8_BOM_LF() throws {
        let parsed = try StatusFile.parse(try ixFixture("status_utf8_bom_lf_header.csv"), config: ixConfig(.utf8, .lf))
        #expect(parsed.problems.isEmpty && parsed.warnings.isEmpty)
        #expect(parsed.rows == ixExpectedStatus(firstLine: 2))
    }

    @Test func rFL2_goodFile_UTF8_withoutHeader() throws {
        let parsed = try StatusFile.parse(try ixFixture("status_utf8_crlf_noheader.csv"),
                                          config: ixConfig(.utf8, .crlf) { $0.statusHasHeader = false })
        #expect(parsed.problems.isEmpty && parsed.warnings.isEmpty)
        #expect(parsed.rows == ixExpectedStatus(firstLine: 1))
    }

    @Test func rCF1_confirmationFieldsReadAsWritten() throws {
        // R-CF-1 needs 初回登録状態 0, 初回登録解除日 filled, 初回登録解除区分 1: only the first fixture row.
        let rows = try StatusFile.parse(try ixFixture("status_cp932_crlf_header.csv"), config: .default).rows
        #expect(rows.filter { !$0.registered && $0.cancelledOn != nil && $0.cancelKind == "1" }.map(\.row) == [2])
    }

    @Test func rFL4_malformedRows() throws {
        let parsed = try StatusFile.parse(try ixFixture("status_malformed_utf8_lf.csv"), config: ixConfig(.utf8, .lf))
        #expect(parsed.rows.map(\.row) == [8])
        let byRow = Dictionary(grouping: parsed.problems, by: { $0.row ?? 0 })
        #expect(byRow.keys.sorted() == [2, 3, 4, 5, 6, 7])
        // an impossible date (2023 is not a leap year)
        #expect(byRow[2]?.map(\.description) == ["2行目 7列（初回登録日）: 日付「20230229」は存在しない日です"])
        #expect(byRow[3]?.first?.columnName == "初回登録状態")
        #expect(byRow[4]?.first?.message.contains("形が違います") == true)
        #expect(byRow[5]?.first?.columnName == "電子証明書有効期限")
        #expect(byRow[5]?.first?.message.contains("全角") == true)
        #expect(byRow[6]?.first?.column == 1)
        #expect(byRow[7]?.first?.columnName == "初回登録解除区分")
    }

    @Test func rFL4_duplicatePersonIsAProblemForTheSecondOccurrence() throws {
        let line = "12130019,,1,,1234567890123456,0,,,,"
        let parsed = try StatusFile.parse(Data("\(line)\n\(line)\n".utf8), config: ixConfig(.utf8, .lf) { $0.statusHasHeader = false })
        #expect(parsed.rows.map(\.row) == [1])
        #expect(parsed.problems.map(\.row) == [2])
    }

    @Test func rFL4_sameServerNumberUnderAnotherInsurerIsNotADuplicate() throws {
        // Matching is by 保険者番号 together with 被保険者枝番 (DOMAIN.md §9).
        let text = "12130019,,1,,1234567890123456,0,,,,\n12130027,,1,,1234567890123456,0,,,,\n"
        let parsed = try StatusFile.parse(Data(text.utf8), config: ixConfig(.utf8, .lf) { $0.statusHasHeader = false })
        #expect(parsed.rows.count == 2 && parsed.problems.isEmpty)
    }

    @Test func rFL4_tooFewColumns() throws {
        let parsed = try StatusFile.parse(Data("12130019,,1,,1234567890123456,0,,\n".utf8), config: ixConfig(.utf8, .lf) { $0.statusHasHeader = false })
        #expect(parsed.problems.map(\.description) == ["1行目: 列が足りません（8列あります。10列必要です）"])
    }

    @Test func rFL4_dateFormats() {
        let ok: [(String, LocalDate?)] = [("", nil), ("20260228", ixDate(2026, 2, 28)), ("2026-02-28", ixDate(2026, 2, 28)),
                                          ("2026/02/28", ixDate(2026, 2, 28)), ("2026/2/8", ixDate(2026, 2, 8)),
                                          ("2024-02-29", ixDate(2024, 2, 29))]
        for (s, d) in ok {
            guard case .success(let got) = FieldRules.date(s) else { Issue.record("\(s) refused"); continue }
            #expect(got == d, "\(s)")
        }
        for s in ["2026-02-30", "20250229", "2026/13/01", "20260000", "2026-2", "2026-02/28", "26/02/28", "2026 02 28",
                  "R8.2.28", "２０２６０２２８", "202602281", "2026-002-28"] {
            if case .success(let d) = FieldRules.date(s) { Issue.record("\(s) accepted as \(String(describing: d))") }
        }
    }

    @Test func rFL4_headerNameLayout_columnsInAnyOrder() throws {
        let text = """
        電子証明書有効期限,被保険者枝番,保険者番号,初回登録状態,初回登録日,初回登録解除日,初回登録解除区分
        2029-12-31,1234567890123456,12130019,0,2024-01-05,2026-02-28,1

        """
        var config = ixConfig(.utf8, .lf)
        config.status = ColumnLayout(columns: Dictionary(uniqueKeysWithValues: ColumnLayout.statusItems.map { ($0.key, ColumnRef.header($0.label)) }))
        let parsed = try StatusFile.parse(Data(text.utf8), config: config)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.rows == [StatusRow(row: 2, insurerNumber: "12130019", serverIndividualNumber: "1234567890123456", registered: false,
                                          registeredOn: ixDate(2024, 1, 5), cancelledOn: ixDate(2026, 2, 28), cancelKind: "1",
                                          certificateExpiry: ixDate(2029, 12, 31))])
    }

    @Test func rFL4_NULBytesRefused() {
        #expect {
            try StatusFile.parse(try ixFixture("nul_bytes.csv"), config: .default)
        } throws: { e in
            guard let p = e as? FileProblem else { return false }
            return p.row == 2 && p.message.contains("NUL")
        }
    }

    @Test func rFL4_CP932StatusReadAsUTF8_andReverse() {
        #expect(throws: FileProblem.self) { try StatusFile.parse(try ixFixture("status_cp932_crlf_header.csv"), config: ixConfig(.utf8)) }
        #expect(throws: FileProblem.self) { try StatusFile.parse(try ixFixture("status_utf8_bom_lf_header.csv"), config: .default) }
    }

    /// 100,000 rows must parse fast (release: see the report; debug builds are several times slower,
    /// so the bound here is loose — it catches a quadratic slip, not a percent).
    @Test func rFL2_hundredThousandRows() throws {
        var s = "保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,被保険者枝番,初回登録状態,初回登録日,初回登録解除日,初回登録解除区分,電子証明書有効期限\r\n"
        s.reserveCapacity(7_200_000)
        for i in 0..<100_000 {
            let n = String(i)
            s += "12130019,,\(100_000 + i),,\(String(repeating: "0", count: 16 - n.count))\(n),0,20250101,2025-03-31,1,2030/01/01\r\n"
        }
        let data = ixCP932(s)
        let start = Date()
        let parsed = try StatusFile.parse(data, config: .default)
        let seconds = Date().timeIntervalSince(start)
        #expect(parsed.rows.count == 100_000 && parsed.problems.isEmpty)
        #expect(seconds < 10, "took \(seconds) s")
        print("R-FL-2 100,000 status rows (CP932, \(data.count) bytes): \(String(format: "%.3f", seconds)) s")
    }
}
