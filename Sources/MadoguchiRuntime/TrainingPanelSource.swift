import Foundation
import MadoguchiCore
import MadoguchiUI

extension TrainingContext {
    /// The 研修 screen's content: each scenario with what the trainee knows of it, and the inbox.
    public func panel(_ store: CaseStore, today: LocalDate) -> TrainingPanel {
        let timeline = server.timeline(store.book)
        let scenarios = book.scenarios.map { s -> TrainingPanel.Scenario in
            let c = book.caseFor(s, in: store.book)
            return TrainingPanel.Scenario(id: s.id, title: s.title, arrives: s.arrives, caseNumber: c?.number, status: c?.status.label,
                                          situation: s.situation,
                                          happenings: server.happenings(of: s, in: store.book, today: today, timeline: timeline).map(\.text))
        }
        let imported = Set(store.book.fileEvents.filter { $0.payload.kind != .registrationExport }.map(\.payload.fileName))
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: sandbox.inbox.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        let inbox = names.map { name -> TrainingPanel.InboxFile in
            let kind: FileAction? = name.hasPrefix("result_") ? .results : name.hasPrefix("status_") ? .status : nil
            return TrainingPanel.InboxFile(name: name, path: sandbox.inbox.appendingPathComponent(name).path, kind: kind,
                                           // The journal keeps the name as imported text (R-ID-4, R-FL-5).
                                           imported: imported.contains(TextNormalizer.importedText(name)))
        }
        return TrainingPanel(bookTitle: book.title, sandbox: sandbox.name, scenarios: scenarios, inbox: inbox, problems: timeline.problems)
    }
}
