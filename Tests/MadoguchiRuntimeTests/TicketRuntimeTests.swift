import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
@testable import MadoguchiUI

/// R-PT-2 (amended 2026-11-30) through the runtime: F7 → 紙の医療券・調剤券を交付, the real services
/// write the `tickets.issued` line, and the desk says so only after it is on disk.
@Suite("Paper tickets through the runtime (R-PT-2)", .tags(.unit))
struct TicketRuntimeTests {
    @Test("F7 → tickets → 医療機関 → Enter, Enter: the journal gets tickets.issued (monthly); 交付を記録しました only after it")
    func ticketsThroughTheRuntime() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let before = RuntimeFixture.journalLines(config).count
        let item = try #require(CaseAction.allCases.firstIndex(of: .tickets))
        var linesWhenSaid: Int?
        var terminal: ScriptedTerminal!
        let steps: [ScriptedTerminal.Step] = [.key(.function(7)), .key(.char(Character(DeskState.menuDigit(item)))), .key(.enter),
                                              .key(.tab), .event(.key(.text("あおば眼科"))), .key(.enter), .key(.enter),
                                              .run {
                                                  if terminal.lastText.contains("交付を記録しました") {
                                                      linesWhenSaid = RuntimeFixture.journalLines(config).count
                                                  }
                                              }, .idle]
        terminal = ScriptedTerminal(steps)
        let clerk = config.operators.first { $0.role == .clerk }!
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        let journal = RuntimeFixture.journalLines(config)
        #expect(journal.count == before + 1)
        let last = String(journal.last ?? "")
        #expect(last.contains("\"tickets.issued\"") && last.contains("あおば眼科") && last.contains("\"monthly\""), "\(last)")
        #expect(linesWhenSaid == before + 1, "交付を記録しました was drawn with the line already on disk")
        #expect(services.store.book[c.number]?.ticketsIssued.map(\.institution) == ["あおば眼科"])
    }

    @Test("A ticket refused by the services (already recorded) leaves the journal byte-identical and says why")
    func refusedByServices() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let clerk = config.operators.first { $0.role == .clerk }!
        let ticket = PaperTicket(kind: .medical, institution: "あおば眼科", month: YearMonth(year: 2026, month: 12)!)
        guard case .operationDone? = services.perform(.issueTickets(caseNumber: c.number, ticket), by: clerk).first else {
            Issue.record("the first ticket was not recorded"); return
        }
        let before = try Data(contentsOf: config.journalURL)
        let answer = services.perform(.issueTickets(caseNumber: c.number, ticket), by: clerk)
        guard case .operationFailed(let reason)? = answer.first else { Issue.record("\(answer)"); return }
        #expect(reason.contains("交付済みとして記録されています"), "\(reason)")
        #expect(try Data(contentsOf: config.journalURL) == before)
    }
}
