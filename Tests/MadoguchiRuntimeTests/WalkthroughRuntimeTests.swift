import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

/// Issue 11 walkthrough, the parts that go through the runtime: the sandbox named in the banner
/// from `Office`, and a print refusal worded for the desk (not the CLI's option).
@Suite("Desk walkthrough fixes through the runtime (issue 11)", .tags(.unit))
struct WalkthroughRuntimeTests {
    @Test("Office.trainingSandbox reaches the login screen and the desk: 【研修モード t1】 and 【研修モード t2】 differ")
    func sandboxInBanner() throws {
        let config = try RuntimeFixture.office()
        #expect(config.isTraining)
        var firstRows: [String: [String]] = [:]
        for name in ["t1", "t2"] {
            let terminal = ScriptedTerminal([.key(.enter)])
            try DeskRuntime(terminal: terminal, services: RuntimeFixture.services(config),
                            office: .init(name: config.officeName, isTraining: true, operators: config.operators,
                                          form: RuntimeFixture.form, trainingSandbox: name),
                            idleMilliseconds: 0).run(operator: nil)
            let rows = terminal.frames.map { String($0.text.split(separator: "\n", omittingEmptySubsequences: false)[0]) }
            // The login screen (first frame) and the desk (last frame) both name the sandbox.
            #expect(rows.first?.hasSuffix("【研修モード \(name)】") == true, "\(rows.first ?? "")")
            #expect(rows.last?.hasSuffix("【研修モード \(name)】") == true, "\(rows.last ?? "")")
            firstRows[name] = rows
        }
        #expect(firstRows["t1"]?.last != firstRows["t2"]?.last)
    }

    @Test("No printer set: the desk's notice says 「PDF だけ作る」 (the form's choice), never the CLI's --print; the CLI's words are kept",
          .enabled(if: NoticePDF.unavailable() == nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "PDF の道具がないので飛ばします：apt-get install pango1.0-tools poppler-utils fonts-ipafont-gothic（CI では失敗にします）"))
    func printRefusalInDeskWords() throws {
        let (config, services, c) = try RuntimeFixture.officeWithOneCase()
        #expect(config.printQueue == nil)
        let op = config.operators[0]
        let done = services.perform(.issueNotice(caseNumber: c.number, .pending, pdf: false, print: true), by: op)
        guard case .operationDone(_, let lines, _, _)? = done.first else { Issue.record("\(done)"); return }
        let refusal = try #require(lines.last)
        #expect(refusal.contains("プリンターが設定されていません"), "\(lines)")
        #expect(refusal.contains("「PDF だけ作る」"), "\(refusal)")
        #expect(!refusal.contains("--print"), "\(refusal)")
        // The list's PDF is made whether or not it prints: said so, no option named.
        let list = services.perform(.print(.pendingList(PendingFilter(), .number, descending: false)), by: op)
        guard case .operationDone(_, let listLines, _, _)? = list.first else { Issue.record("\(list)"); return }
        #expect(listLines.last?.hasSuffix("PDF は作ってあります") == true, "\(listLines)")
        #expect(!listLines.joined().contains("--print"))
        // The command line keeps its own words.
        #expect(PrintProblem.notConfigured(configFile: "office.toml").description.hasSuffix("PDF だけなら --print なしで作れます"))
    }
}
