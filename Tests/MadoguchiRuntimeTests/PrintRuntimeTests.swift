import Foundation
import Synchronization
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

/// A printer whose queue is stopped: `lp` takes every job (as CUPS does, exit 0) and `lpstat -p`
/// says the printer is disabled. Remembers the files it was given.
final class StoppedPrinter: PrintCommandRunner, Sendable {
    private let sent = Mutex<[String]>([])
    var files: [String] { sent.withLock { $0 } }

    func run(_ tool: String, _ arguments: [String]) throws -> PrintCommandOutput? {
        if tool == "lp", let file = arguments.last {
            let n = sent.withLock { s in s.append(file); return s.count }
            return PrintCommandOutput(status: 0, stdout: "request id is Office-\(n) (1 file(s))\n")
        }
        return PrintCommandOutput(status: 0, stdout: "printer Office disabled since Mon Nov 30 07:18:38 2026 -\n\tPaused\n")
    }
}

@Suite("Printing from the desk, in-process (issue 11 items 9 and 10)", .tags(.unit))
struct PrintRuntimeTests {
    /// The demo office with `[printing] queue = "Office"` and its data in a fresh folder.
    static func office() throws -> OfficeConfig {
        let demo = RuntimeFixture.root.appendingPathComponent("config/demo/office.toml")
        let text = try String(contentsOf: demo, encoding: .utf8).replacingOccurrences(of: "# queue = \"OfficePrinter\"", with: "queue = \"Office\"")
        let dir = try RuntimeFixture.office().dataDirectory
        return try OfficeConfig.load(from: demo, contents: Data(text.utf8), environment: ["HOME": dir.path, "XDG_DATA_HOME": dir.path])
            .withDataDirectory(dir)
    }

    /// `office()` with its services printing through `printer`, and one assistance-only case (山田　太郎).
    static func officeWithOneCase(printer: StoppedPrinter) throws -> (OfficeConfig, OfficeDeskServices, CaseRecord) {
        let config = try office()
        let services = OfficeDeskServices(config: config, store: CaseStore(journalURL: config.journalURL),
                                          clock: ManualDeskClock(RuntimeFixture.morning),
                                          noticeTemplates: RuntimeFixture.root.appendingPathComponent("config/notices"),
                                          training: nil, printCommands: printer)
        try services.store.load()
        let c = try RuntimeFixture.receive(services.store, name: "山田　太郎", furigana: "ヤマダ タロウ", recipientBody: "123456",
                                           at: RuntimeFixture.morning - 3600)
        return (config, services, c)
    }

    @Test("issueNotice with print: the notice is issued, its PDF sent to the queue, the waiting job shown and journaled; the pending list too",
          .enabled(if: NoticePDF.unavailable() == nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "PDF の道具がないので飛ばします：apt-get install pango1.0-tools poppler-utils fonts-ipafont-gothic（CI では失敗にします）"))
    func printsThroughTheServices() throws {
        let cups = StoppedPrinter()
        let (config, services, c) = try Self.officeWithOneCase(printer: cups)
        #expect(config.printQueue == "Office")
        let op = config.operators[0]

        let notice = services.perform(.issueNotice(caseNumber: c.number, .pending, pdf: false, print: true), by: op)
        guard case .operationDone(_, let lines, _, _)? = notice.first else { Issue.record("\(notice)"); return }
        #expect(lines.contains { $0.hasPrefix("通知 \(c.number)-pending-1") }, "\(lines)")
        #expect(lines.last == "プリンター Office は停止中です。ジョブ Office-1 は待機しています（プリンターを再開すると印刷されます：cupsenable Office）")
        #expect(cups.files == [config.dataDirectory.appendingPathComponent("notices/\(c.number)-pending-1.pdf").path])
        let printed = try #require(services.store.book[c.number]?.history.last)
        #expect(printed.eventType == .noticePrinted && printed.operatorID == op.id)

        let list = services.perform(.print(.pendingList(PendingFilter(), .number, descending: false)), by: op)
        guard case .operationDone(_, let listLines, _, _)? = list.first else { Issue.record("\(list)"); return }
        #expect(listLines.first?.hasPrefix("未完了一覧を PDF にしました：") == true, "\(listLines)")
        #expect(listLines.last?.contains("ジョブ Office-2 は待機しています") == true)
        #expect(services.store.book.officePrints.count == 1)
        #expect(cups.files.count == 2 && cups.files[1].hasSuffix(".pdf"))
    }
}
