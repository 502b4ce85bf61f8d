import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
@testable import MadoguchiUI

/// R-RG-8 and R-RG-9 through the runtime: F7 → a (統合専用端末での登録を記録) → the day → y writes a
/// `registration.manual` line through the real services; F4's result import without a date takes
/// each case's export day.
@Suite("Registration by hand and the offered registration date through the runtime (R-RG-8, R-RG-9)", .tags(.unit))
struct ManualRegistrationRuntimeTests {
    @Test("R-RG-8 F7 → a → 登録日 → Enter → y: the journal gets registration.manual; 記録しました only after it")
    func byHandThroughTheRuntime() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let before = RuntimeFixture.journalLines(config).count
        var linesWhenSaid: Int?
        var seen = ""
        var terminal: ScriptedTerminal!
        let steps: [ScriptedTerminal.Step] = [.key(.function(7)), .key(.char("a")), .key(.enter),
                                              .event(.key(.text(Wareki.format(LocalDate(RuntimeFixture.morning))))), .key(.enter),
                                              .key(.char("y")),
                                              .run {
                                                  seen = terminal.lastText
                                                  // The message wraps over two rows: read without the line breaks.
                                                  if terminal.lastText.filter({ !$0.isWhitespace }).contains("を記録しました（登録済み）") {
                                                      linesWhenSaid = RuntimeFixture.journalLines(config).count
                                                  }
                                              }, .idle]
        terminal = ScriptedTerminal(steps)
        let clerk = config.operators.first { $0.role == .clerk }!
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        let journal = RuntimeFixture.journalLines(config)
            .filter { line in !EventType.trust.contains { line.contains("\"\($0.rawValue)\"") } }
        #expect(journal.last?.contains("\"registration.manual\"") == true, "\(journal.last ?? "")")
        #expect(linesWhenSaid.map { $0 > before } == true, "記録しました was drawn with the line already on disk\n\(seen)")
        let after = try #require(services.store.book[c.number])
        #expect(after.status == .registered && after.lifecycle.registeredOn == LocalDate(RuntimeFixture.morning))
    }

    @Test("R-RG-9 F4 → 登録結果ファイル with the date left blank: each case's export day, and the report says so")
    func blankDateIsTheExportDay() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let clerk = config.operators.first { $0.role == .clerk }!
        let result = try RuntimeFixture.exportedAndAccepted(config, services)
        let lines = services.perform(.importFile(.results, path: result.path, allowBadRows: false, registeredOn: nil), by: clerk)
            .flatMap { m -> [String] in if case .operationDone(_, let lines, _, _) = m { return lines } else { return [] } }
        let day = Wareki.format(LocalDate(RuntimeFixture.morning))
        #expect(lines.contains { $0.contains("一括登録ファイルを出力した日（\(day)）") && $0.contains("R-RG-9") }, "\(lines)")
        #expect(services.store.book[c.number]?.lifecycle.registeredOn == LocalDate(RuntimeFixture.morning))
    }
}

extension RuntimeFixture {
    /// The one case prepared, approved (by the supervisor, with their key) and exported at `morning`;
    /// returns a result file answering its row `1` 正常終了. The clerk is signed in again afterwards.
    static func exportedAndAccepted(_ config: OfficeConfig, _ services: OfficeDeskServices) throws -> URL {
        let clerk = config.operators.first { $0.role == .clerk }!
        let supervisor = config.operators.first { $0.role == .supervisor }!
        let b = try services.store.prepareBatch(office: config, by: clerk, now: morning)
        try services.signIn(supervisor)   // the approval is signed with the supervisor's own key (R-SG-1)
        try services.store.decideBatch(b.id, approve: true, comment: "", by: supervisor, now: morning)
        try services.signIn(clerk)
        let export = try services.store.exportRegistrations(office: config, directory: config.exportDirectory, operatorID: clerk.id, now: morning)
        let exported = try String(contentsOfFile: try #require(export.file), encoding: .shiftJIS)
        let row = exported.split(separator: "\r\n").first.map(String.init) ?? ""
        let result = config.dataDirectory.appendingPathComponent("inbox-result.csv")
        let header = "保険者コード,被保険者枝番,保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,処理結果区分,処理結果メッセージ"
        try (header + "\r\n" + row + ",1,正常終了\r\n").data(using: .shiftJIS)!.write(to: result)
        return result
    }
}
