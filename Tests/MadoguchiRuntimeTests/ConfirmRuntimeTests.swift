import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

// Issue 11 items 5 and 7 through the runtime and the real services: nothing is journaled before y;
// the supervisor's desk shows a waiting batch from the journal, with the preparer's name.

@Suite("Confirmations and maker-checker through the runtime (issue 11 items 5, 7)", .tags(.unit))
struct ConfirmRuntimeTests {
    @Test("F7 → 取下げ: the question shows 登録待ち → 取下げ while the journal is unchanged; y writes case.withdrawn")
    func withdrawWritesOnlyAfterYes() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let before = RuntimeFixture.journalLines(config)
        var duringQuestion: [Substring] = []
        typealias Step = ScriptedTerminal.Step
        let terminal = ScriptedTerminal([Step.key(.function(7)), .key(.char("5")), .key(.enter)] + Step.keys("本人の申し出")
            + [.key(.enter), .key(.enter), .idle, .run { duringQuestion = RuntimeFixture.journalLines(config) }, .key(.char("y")), .idle])
        let clerk = config.operators.first { $0.role == .clerk }!
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        #expect(terminal.frames.contains { $0.text.contains("状態　現在：登録待ち → 新：取下げ") && $0.text.contains(c.number) })
        #expect(duringQuestion == before, "nothing journaled while the question is open")
        let after = RuntimeFixture.journalLines(config)
        #expect(after.count == before.count + 1)
        #expect(after.last?.contains("\"case.withdrawn\"") == true)
        #expect(terminal.frames.contains { $0.text.contains("取下げを記録しました") })
    }

    @Test("R-SG-2 a batch a clerk prepared shows on the supervisor's title bar and in their reminders, with the clerk's name")
    func supervisorSeesTheWaitingBatch() throws {
        let (config, services, _) = try RuntimeFixture.officeWithOneCase()
        let clerk = config.operators.first { $0.role == .clerk }!
        let supervisor = config.operators.first { $0.role == .supervisor }!
        let b = try services.store.prepareBatch(office: config, by: clerk, now: RuntimeFixture.morning)
        let terminal = ScriptedTerminal([.idle])
        try RuntimeFixture.runtime(terminal, services, config).run(operator: supervisor)
        let first = terminal.frames.first?.text ?? ""
        #expect(first.split(separator: "\n").first?.contains("承認待ち 1") == true, "\(first)")
        #expect(first.contains("一括登録 \(b.id)（1件、準備 \(clerk.name)）が承認を待っています"), "\(first)")
        // The clerk who prepared it sees neither.
        let own = ScriptedTerminal([.idle])
        try RuntimeFixture.runtime(own, services, config).run(operator: clerk)
        let ownText = own.frames.first?.text ?? ""
        #expect(ownText.contains("山田 花子"))   // it is the clerk's desk
        #expect(!ownText.contains("承認待ち 1"))
        #expect(!ownText.contains("が承認を待っています"))
    }

    @Test("R-RG-2 F3 with a blank 被保険者枝番: the report names the case, the reason and F7 →「被保険者枝番を入力」, with or without a batch (issue 11)")
    func prepareNamesLeftOut() throws {
        let (config, services, ready) = try RuntimeFixture.officeWithOneCase()
        let clerk = config.operators.first { $0.role == .clerk }!
        var app = ready.application
        app.serverIndividualNumber = nil
        app.recipientNumber = "234567" + String(CheckDigit.compute("234567")!)
        let blank = try services.store.receive(app, ticketsIssuedNow: [], operatorID: clerk.id, now: RuntimeFixture.morning)
        func reportLines(_ messages: [DeskMessage]) -> [String] {
            messages.flatMap { m -> [String] in if case .operationDone(_, let lines, _, _) = m { return lines } else { return [] } }
        }
        let first = reportLines(services.perform(.prepareBatch, by: clerk))
        #expect(first.first?.contains("を準備しました（1件）") == true, "\(first)")
        #expect(first.contains { $0.contains(blank.number) && $0.contains("被保険者枝番（16桁）が未入力です（R-RG-2）")
                                 && $0.hasSuffix("→ 案件を開き F7 →「被保険者枝番を入力」") }, "\(first)")
        #expect(!first.contains { $0.contains(ready.number) && $0.contains("除外") })
        // The batch waits for approval; a clerk's second F3 is refused for that, not for the blank case.
        let supervisor = config.operators.first { $0.role == .supervisor }!
        let b = try #require(services.store.book.batchAwaitingApproval)
        try services.signIn(supervisor)   // the supervisor's own key signs the return (R-SG-1)
        try services.store.decideBatch(b.id, approve: false, comment: "住所を確かめて", by: supervisor, now: RuntimeFixture.morning)
        try services.signIn(clerk)
        try services.store.record(.withdrawn(reason: "本人の申し出", on: LocalDate(RuntimeFixture.morning)), on: ready.number,
                                  operatorID: clerk.id, now: RuntimeFixture.morning)
        let second = reportLines(services.perform(.prepareBatch, by: clerk))
        #expect(second.first?.hasPrefix("一括登録に入れられる案件がありません。") == true, "\(second)")
        #expect(!second.joined().contains("できませんでした：一括登録に入れる案件がありません"), "the old message hid the cause: \(second)")
        #expect(second.contains { $0.contains(blank.number) && $0.contains("F7 →「被保険者枝番を入力」") }, "\(second)")
    }
}
