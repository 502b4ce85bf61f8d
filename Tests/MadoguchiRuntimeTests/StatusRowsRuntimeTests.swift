import Foundation
import Testing
@testable import MadoguchiCore
@testable import MadoguchiRuntime
@testable import MadoguchiUI

/// Issue 13 items 2 and 3 on the desk: the status import's report lists the rows that do not
/// confirm their case and records a re-registration from the list (R-CF-3); a hold notice takes
/// the month-end run it reports (R-HC-2 amended).
@Suite("Desk: status rows on the import report, hold runs (R-CF-3, R-HC-2)", .tags(.unit))
struct StatusRowsRuntimeTests {
    static func day(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }
    static func at(_ d: LocalDate) -> Date { Date(timeIntervalSince1970: TimeInterval(d.dayNumber * 86_400 + 3600)) }

    /// The one case registered on 11/24 (R-DT-1: cancelled at the end of December).
    static func registered() throws -> (OfficeConfig, OfficeDeskServices, CaseRecord) {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        _ = try services.store.record([(c.number, .exported(file: "f.csv")),
                                       (c.number, .registrationAccepted(registeredOn: day(2026, 11, 24), file: nil))],
                                      operatorID: "yamada", now: RuntimeFixture.morning - 1800)
        return (config, services, c)
    }

    @Test("R-CF-3 F4 → status file: the report lists the re-registration by row; F7 there records it with the file's date")
    func reregistrationRecordedFromTheReport() throws {
        let (config, services, c) = try Self.registered()
        try services.store.record(.confirmed(cancelledOn: Self.day(2026, 12, 31), file: "s.csv"), on: c.number,
                                  operatorID: "yamada", now: Self.at(Self.day(2027, 1, 5)))
        (services.clock as? ManualDeskClock)?.set(Self.at(Self.day(2027, 2, 20)))
        let file = config.dataDirectory.appendingPathComponent("status_202702.csv")
        let header = "保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,被保険者枝番,初回登録状態,初回登録日,初回登録解除日,初回登録解除区分,電子証明書有効期限"
        let row = "\(config.publicPayerNumber),,\(c.application.recipientNumber),,1234567890123456,1,20270210,20261231,1,"
        let text = [header, row].joined(separator: "\r\n") + "\r\n"
        try Data(text.data(using: config.interchange.encoding == .utf8 ? .utf8 : .shiftJIS)!).write(to: file)
        let terminal = ScriptedTerminal([.key(.function(4)), .key(.char("2")), .key(.enter), .key(.text(file.path)),
                                         .key(.enter), .key(.enter), .idle,
                                         .key(.function(7)), .idle, .key(.enter), .idle, .key(.enter), .idle])
        try RuntimeFixture.runtime(terminal, services, config).run(operator: config.operators[0])
        let report = try #require(terminal.frames.first { $0.text.contains("解除のあと再登録した人") })
        #expect(report.text.contains("2行目 \(c.number)"), "\(report.text)")
        #expect(report.text.contains("F7/^T 再登録を記録"), "\(report.text)")
        #expect(terminal.frames.contains { $0.text.contains("再登録を記録する（R-CF-3, R-PT-2）") })
        #expect(terminal.frames.contains { $0.text.contains("令和9年2月10日") && $0.text.contains("再登録した日") })
        let journal = try String(contentsOf: config.journalURL, encoding: .utf8)
        let line = try #require(journal.split(separator: "\n").last { $0.contains("\"case.reregistered\"") })
        #expect(line.contains("2027-02-10"), "\(line)")
        #expect(services.store.book[c.number]?.lifecycle.reregisteredOn == Self.day(2027, 2, 10))
    }

    @Test("R-HC-2 F7 → hold: 月末処理の月 typed (R8.12) on a notice read 1/5 — journaled with the run, re-checked 1/31")
    func holdTakesTheTypedRun() throws {
        let (config, services, c) = try Self.registered()
        (services.clock as? ManualDeskClock)?.set(Self.at(Self.day(2027, 1, 5)))
        let terminal = ScriptedTerminal([.key(.function(7)), .key(.char("1")), .key(.enter), .key(.enter), .key(.ctrl("u"))]
                                        + ScriptedTerminal.Step.keys("R9.1.5") + [.key(.enter)]
                                        + ScriptedTerminal.Step.keys("R8.12")
                                        + [.key(.enter), .idle, .key(.char("y")), .idle])
        try RuntimeFixture.runtime(terminal, services, config).run(operator: config.operators[0])
        // The question before y names the run and the re-check date.
        let ask = terminal.frames.first { $0.text.contains("記録しますか") || $0.text.contains("(y/n)") || $0.text.contains("y/n") }
        // (Rows joined and spaces dropped: the dialog wraps the long values.)
        let flat = ask.map { $0.text.split(separator: "\n").joined().replacingOccurrences(of: " ", with: "") } ?? ""
        #expect(flat.contains("令和8年12月末の月末処理、次の確認令和9年1月31日"), "\(ask?.text ?? "no question")")
        let journal = try String(contentsOf: config.journalURL, encoding: .utf8)
        let held = try #require(journal.split(separator: "\n").last { $0.contains("\"server.held\"") })
        #expect(held.contains("\"run\":\"2026-12\"") && held.contains("2027-01-05"), "\(held)")
        #expect(services.store.book[c.number]?.lifecycle.holds.last?.recheckDate == Self.day(2027, 1, 31))
    }
}
