import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

/// R-AM-1 through the runtime: F7 → 訂正 keys, the real services write the line, and 訂正しました
/// shows only in a frame drawn after the line is in the journal.
@Suite("Correction through the runtime (R-AM-1)", .tags(.unit))
struct CorrectionRuntimeTests {
    @Test("F7 → 訂正 → 氏名 → F2 → reason → F2: the journal gets application.corrected; 訂正しました only after it")
    func correctionThroughTheRuntime() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        // The sandbox's key lines (issue 12) and the case.
        let before = RuntimeFixture.journalLines(config).count
        var linesWhenSaidSaved: Int?
        var terminal: ScriptedTerminal!
        let menu: [ScriptedTerminal.Step] = [.key(.function(7))] + Array(repeating: .key(.down), count: CaseAction.allCases.firstIndex(of: .correct)!) + [.key(.enter)]
        let steps: [ScriptedTerminal.Step] = menu + [.key(.tab), .key(.ctrl("u")), .event(.key(.text("山田 大郎"))), .key(.function(2)),
                                                     .event(.key(.text("申請書の写し間違い"))), .key(.function(2)),
                                                     .run {
                                                         if terminal.lastText.contains("訂正しました") {
                                                             linesWhenSaidSaved = RuntimeFixture.journalLines(config).count
                                                         }
                                                     }, .idle]
        terminal = ScriptedTerminal(steps)
        let clerk = config.operators.first { $0.role == .clerk }!
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        let journal = RuntimeFixture.journalLines(config)
        #expect(journal.count == before + 1)
        #expect(journal.last?.contains("\"application.corrected\"") == true && journal.last?.contains("申請書の写し間違い") == true)
        #expect(linesWhenSaidSaved == before + 1, "訂正しました was drawn with the line already on disk")
        #expect(services.store.book[c.number]?.application.applicant.name == "山田\u{3000}大郎")
        // No frame said saved before the services answered: every frame with 訂正しました is after the write.
        let first = terminal.frames.firstIndex { $0.text.contains("訂正しました") }
        let recording = terminal.frames.firstIndex { $0.text.contains("訂正を記録しています") }
        #expect(first != nil)
        if let first, let recording { #expect(recording < first) }
    }

    @Test("A correction refused by the services leaves the journal byte-identical and the clerk on the correction")
    func refusedByServices() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        let before = try Data(contentsOf: config.journalURL)
        // The clerk saw an older application than the one on disk (another desk corrected it meanwhile).
        var request = CorrectionRequest.start(c, form: RuntimeFixture.form)
        request.seen.applicant.name = "山田　太"
        request.values[IntakeFieldID.name] = "山田 大郎"
        request.reason = "写し間違い"
        let clerk = config.operators.first { $0.role == .clerk }!
        let answer = services.perform(.correct(request), by: clerk)
        guard case .correctionFailed(let reason, _)? = answer.first else { Issue.record("\(answer)"); return }
        #expect(reason.contains("開き直して"))
        #expect(try Data(contentsOf: config.journalURL) == before)
    }
}
