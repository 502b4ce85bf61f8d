import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

/// R-SG-4 at the desk: the case list shown at login, a case opened, a search, F8 and the CSV from
/// it are each one line of the office's access log — not one per key or per redraw — by the
/// operator at the desk, at the desk clock's time.
@Suite("Access log at the desk (R-SG-4)", .tags(.unit))
struct AccessLogRuntimeTests {
    @Test("login list, Enter on a case, a search typed then closed, F8, e: five entries, in order, by the clerk")
    func deskReadsAreRecorded() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let clerk = config.operators.first { $0.id == "yamada" }!
        let terminal = ScriptedTerminal([
            .idle, .idle, .event(.resize(width: 100, height: 30)), .idle,   // redraws: nothing recorded
            .key(.enter),                                                   // open the case
            .idle, .key(.down), .key(.up),                                  // scrolling in it: nothing
            .key(.escape),
            .key(.char("/")),
        ] + ScriptedTerminal.Step.keys("やまだ") + [                         // each key moves the selection
            .key(.enter),                                                   // the search line closes: one entry
            .key(.function(8)),                                             // the pending list
            .key(.char("e")),                                               // its CSV
            .idle,
        ])
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)

        let read = AccessLog(dataDirectory: config.dataDirectory).read(keys: services.store.journal.trust?.keys)
        #expect(read.ok, "\(String(describing: read.problem))")
        let kinds = read.entries.map(\.event.kind)
        #expect(kinds == [.listed, .opened, .searched, .listed, .exported], "\(read.entries.map { "\($0.event.kind) \($0.event.via)" })")
        #expect(read.entries.allSatisfy { $0.operatorID == "yamada" && $0.time == JapanTime.iso8601(RuntimeFixture.morning) })
        guard read.entries.count == 5 else { return }
        #expect(read.entries[0].event.wholeList && read.entries[0].event.count == 1)
        #expect(read.entries[1].event.cases == [c.number])
        #expect(read.entries[2].event.query == "やまだ" && read.entries[2].event.cases == [c.number], "\(read.entries[2].event)")
        #expect(read.entries[3].event.via == "desk F8" && read.entries[3].event.cases == [c.number])
        let csv = try #require(read.entries[4].event.file)
        #expect(csv.hasPrefix(config.dataDirectory.appendingPathComponent("reports").path) && FileManager.default.fileExists(atPath: csv), "\(csv)")
        // No name in the access log: case numbers only.
        let text = try String(contentsOf: AccessLog(dataDirectory: config.dataDirectory).url, encoding: .utf8)
        #expect(!text.contains("山田　太郎") && !text.contains("ヤマダ"), "\(text)")
    }

    @Test("an access log that cannot be written: the case still opens with a warning; the CSV is refused and no file is left")
    func unwritableLog() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let clerk = config.operators.first { $0.id == "yamada" }!
        // access.jsonl is a folder: every record fails.
        try FileManager.default.createDirectory(at: config.dataDirectory.appendingPathComponent(AccessLog.fileName),
                                                withIntermediateDirectories: true)
        var afterOpen = ""
        let terminal = ScriptedTerminal([.key(.enter), .idle])
        terminal.script.insert(.run { afterOpen = terminal.lastText }, at: 1)
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        #expect(afterOpen.contains(c.number) && afterOpen.contains("閲覧の記録"), "\(afterOpen)")

        var said: [String] = []
        for m in services.perform(.exportPendingCSV(PendingFilter(), .number, descending: false), by: clerk) {
            if case .operationDone(_, let lines, _, _) = m { said += lines }
        }
        #expect(said.contains { $0.contains("閲覧・書き出しの記録") && $0.contains("しませんでした") }, "\(said)")
        let reports = config.dataDirectory.appendingPathComponent("reports")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: reports.path)) ?? []
        #expect(left.isEmpty, "\(left)")
    }
}

@Suite("Access log for notices and prints at the desk (R-SG-4)", .tags(.unit))
struct AccessLogPrintRuntimeTests {
    static func lines(_ messages: [DeskMessage]) -> [String] {
        messages.flatMap { m -> [String] in if case .operationDone(_, let l, _, _) = m { return l } else { return [] } }
    }

    @Test("the receipt (P: issue + print) and the pending list's print: the notice file, then each print before it reaches lp",
          .enabled(if: NoticePDF.unavailable() == nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "PDF の道具がないので飛ばします：apt-get install pango1.0-tools poppler-utils fonts-ipafont-gothic（CI では失敗にします）"))
    func receiptAndListPrints() throws {
        let cups = StoppedPrinter()
        let (config, services, c) = try PrintRuntimeTests.officeWithOneCase(printer: cups)
        let op = config.operators[0]
        _ = services.perform(.issueNotice(caseNumber: c.number, .pending, pdf: true, print: true), by: op)
        _ = services.perform(.print(.pendingList(PendingFilter(), .number, descending: false)), by: op)
        let read = AccessLog(dataDirectory: config.dataDirectory).read(keys: services.store.journal.trust?.keys)
        #expect(read.ok)
        #expect(read.entries.map(\.event.kind) == [.exported, .printed, .printed], "\(read.entries.map(\.event))")
        #expect(read.entries.first?.event.cases == [c.number] && read.entries.first?.event.file?.contains("notices/") == true)
        #expect(read.entries.dropFirst().allSatisfy { $0.event.file == "プリンター Office" && $0.operatorID == op.id })
        #expect(cups.files.count == 2)
    }

    @Test("an access log that cannot be written: the notice is issued (its work kept) but nothing is printed",
          .enabled(if: NoticePDF.unavailable() == nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "PDF の道具がないので飛ばします：apt-get install pango1.0-tools poppler-utils fonts-ipafont-gothic（CI では失敗にします）"))
    func noRecordNoPrint() throws {
        let cups = StoppedPrinter()
        let (config, services, c) = try PrintRuntimeTests.officeWithOneCase(printer: cups)
        try FileManager.default.createDirectory(at: config.dataDirectory.appendingPathComponent(AccessLog.fileName),
                                                withIntermediateDirectories: true)
        let op = config.operators[0]
        let said = Self.lines(services.perform(.issueNotice(caseNumber: c.number, .pending, pdf: true, print: true), by: op))
            + Self.lines(services.perform(.print(.pendingList(PendingFilter(), .number, descending: false)), by: op))
        #expect(services.store.book[c.number]?.notices.count == 1, "the notice is issued: \(said)")
        #expect(cups.files.isEmpty, "\(cups.files)")
        #expect(said.contains("印刷しませんでした（記録できないため）") && said.contains { $0.contains("印刷をしませんでした") }, "\(said)")
    }
}
