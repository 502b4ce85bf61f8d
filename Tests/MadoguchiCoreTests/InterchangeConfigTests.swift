import Foundation
import Testing
import TOMLKit
@testable import MadoguchiCore

/// Parses `[files]` out of a whole config text, as OfficeConfig.load does.
private func ixParse(_ lines: [String]) throws -> InterchangeConfig {
    let text = lines.joined(separator: "\n")
    let table = try TOMLTable(string: text)
    return try InterchangeConfig.parse(table["files"]?.table, text: text, fileLabel: "office.toml")
}

/// Expects a ConfigError on `line` whose message contains `fragment`.
private func ixExpectError(_ lines: [String], line: Int, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try ixParse(lines)
        Issue.record("no error", sourceLocation: sourceLocation)
    } catch let e as ConfigError {
        #expect(e.file == "office.toml", sourceLocation: sourceLocation)
        #expect(e.line == line, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("\(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Interchange: [files] config (R-RG-2, R-FL-1, R-FL-2)", .tags(.unit))
struct InterchangeConfigTests {
    @Test func rRG2_defaultsWithoutFilesTable() throws {
        let c = try ixParse(["[office]", "name = \"x\""])
        #expect(c == InterchangeConfig.default)
        #expect(c.encoding == .cp932 && c.lineEnding == .crlf && !c.exportHeader && c.exportDirectory == "exports")
        #expect(c.exportColumns == [.officeServerCode, .serverIndividualNumber, .officePublicPayerNumber, .empty, .recipientNumber, .empty])
        #expect(c.result.columns == ["insurer_number": .position(3), "server_individual_number": .position(2),
                                     "result": .position(7), "message": .position(8)])
        #expect(c.status.columns == ["insurer_number": .position(1), "server_individual_number": .position(5),
                                     "registration_state": .position(6), "registered_on": .position(7),
                                     "cancelled_on": .position(8), "cancel_kind": .position(9), "certificate_expiry": .position(10)])
        #expect(c.resultHasHeader && c.statusHasHeader)
    }

    @Test func rRG2_everySettingRead() throws {
        let c = try ixParse([
            "[files]",
            "encoding = \"UTF8\"",
            "line_ending = \"lf\"",
            "export_header = true",
            "export_directory = \"out/registrations\"",
            "export_columns = [\"office.server_code\", \"case.server_individual_number\", \"=12130019\", \"\", \"case.recipient_number\", \"office.public_payer_number\"]",
            "[files.result]",
            "has_header = false",
            "result = 9",
            "message = 10",
            "[files.status]",
            "insurer_number = \"保険者番号\"",
            "server_individual_number = \"被保険者枝番\"",
            "cancel_kind = 12",
        ])
        #expect(c.encoding == .utf8 && c.lineEnding == .lf && c.exportHeader && c.exportDirectory == "out/registrations")
        #expect(c.exportColumns == [.officeServerCode, .serverIndividualNumber, .literal("12130019"), .empty, .recipientNumber, .officePublicPayerNumber])
        #expect(!c.resultHasHeader)
        #expect(c.result.columns["result"] == .position(9) && c.result.columns["message"] == .position(10))
        #expect(c.result.columns["insurer_number"] == .position(3))   // unchanged default
        #expect(c.statusHasHeader)
        #expect(c.status.columns["insurer_number"] == .header("保険者番号"))
        #expect(c.status.columns["server_individual_number"] == .header("被保険者枝番"))
        #expect(c.status.columns["cancel_kind"] == .position(12))
    }

    @Test func rRG2_encodingSpellings() throws {
        for (name, e) in [("cp932", TextEncoding.cp932), ("shift_jis", .cp932), ("SJIS", .cp932), ("Shift-JIS", .cp932),
                          ("windows-31j", .cp932), ("utf-8", .utf8), ("utf8", .utf8)] {
            #expect(try ixParse(["[files]", "encoding = \"\(name)\""]).encoding == e, "\(name)")
        }
    }

    @Test func rRG2_badEncodingName() {
        ixExpectError(["[office]", "name = \"x\"", "", "[files]", "encoding = \"euc-jp\""], line: 5, "euc-jp")
        ixExpectError(["[files]", "encoding = 932"], line: 2, "encoding")
    }

    @Test func rRG2_badLineEnding() {
        ixExpectError(["[files]", "line_ending = \"cr\""], line: 2, "line_ending")
    }

    @Test func rRG2_wrongCountOfExportColumns() {
        ixExpectError(["[files]", "encoding = \"cp932\"", "export_columns = [\"office.server_code\", \"\"]"], line: 3, "2個")
    }

    @Test func rRG2_unknownExportSource() {
        ixExpectError(["[files]", "export_columns = [\"office.server_code\", \"case.my_number\", \"\", \"\", \"\", \"\"]"],
                      line: 2, "2列目（被保険者枝番） \"case.my_number\" は使えません")
    }

    @Test func rFL1_badColumnRef() {
        ixExpectError(["[files]", "encoding = \"cp932\"", "", "[files.result]", "result = 0"], line: 5, "1 以上")
        ixExpectError(["[files]", "[files.result]", "message = true"], line: 3, "列番号（1から数える整数）か見出し名")
        ixExpectError(["[files]", "[files.status]", "cancelled_on = \"\""], line: 3, "見出し名が空")
        ixExpectError(["[files]", "[files.status]", "cancelled_on = 8.5"], line: 3, "cancelled_on")
    }

    @Test func rFL1_headerNameWithoutHeaderRow() {
        ixExpectError(["[files]", "[files.result]", "has_header = false", "result = \"処理結果区分\""], line: 4, "見出し行が必要")
    }

    @Test func rFL2_twoItemsInOneColumn() {
        ixExpectError(["[files.status]", "registered_on = 8"], line: 2, "同じ列")
    }

    @Test func rFL2_unknownKeys() {
        ixExpectError(["[files]", "encodng = \"cp932\""], line: 2, "encodng")
        ixExpectError(["[files]", "[files.status]", "expiry = 10"], line: 3, "expiry")
    }

    @Test func rRG2_exportSourceSpellingsRoundTrip() {
        for s in ExportSource.defaultMapping + [.literal("X1")] {
            #expect(ExportSource(configName: s.configName) == s)
        }
    }
}
