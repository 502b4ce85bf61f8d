import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

// Issue 11 items 5 and 7 through the runtime and the real services: nothing is journaled before y;
// the supervisor's desk shows a waiting batch from the journal, with the preparer's name.

@Suite("Confirmations and maker-checker through the runtime (issue 11 items 5, 7)")
struct ConfirmRuntimeTests {
    static func journalLines(_ config: OfficeConfig) -> [Substring] {
        ((try? String(contentsOf: config.journalURL, encoding: .utf8)) ?? "").split(separator: "\n")
    }

    @Test("F7 → 取下げ: the question shows 登録待ち → 取下げ while the journal is unchanged; y writes case.withdrawn")
    func withdrawWritesOnlyAfterYes() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let before = Self.journalLines(config)
        var duringQuestion: [Substring] = []
        typealias Step = ScriptedTerminal.Step
        let terminal = ScriptedTerminal([Step.key(.function(7)), .key(.char("5")), .key(.enter)] + Step.keys("本人の申し出")
            + [.key(.enter), .key(.enter), .idle, .run { duringQuestion = Self.journalLines(config) }, .key(.char("y")), .idle])
        let clerk = config.operators.first { $0.role == .clerk }!
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        #expect(terminal.frames.contains { $0.text.contains("状態　現在：登録待ち → 新：取下げ") && $0.text.contains(c.number) })
        #expect(duringQuestion == before, "nothing journaled while the question is open")
        let after = Self.journalLines(config)
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
}
