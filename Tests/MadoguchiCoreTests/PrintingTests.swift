import Foundation
import Synchronization
import Testing
@testable import MadoguchiCore

/// CUPS as a fake: answers `lp` and `lpstat` as CUPS 2.4 does (C locale), and remembers what it was
/// asked. The real commands are exercised in Tests/EndToEnd/PrintEndToEndTests.swift.
final class FakeCUPS: PrintCommandRunner, Sendable {
    struct Queue: Sendable {
        var enabled = true
        var accepting = true
    }

    private let state: Mutex<(queues: [String: Queue], running: Bool, installed: Bool, next: Int, calls: [[String]])>

    init(queues: [String: Queue], running: Bool = true, installed: Bool = true) {
        state = Mutex((queues, running, installed, 1, []))
    }

    var calls: [[String]] { state.withLock { $0.calls } }

    func run(_ tool: String, _ arguments: [String]) throws -> PrintCommandOutput? {
        try state.withLock { s -> PrintCommandOutput? in
            s.calls.append([tool] + arguments)
            guard s.installed else { return nil }
            switch (tool, arguments.first) {
            case ("lp", "-d"):
                let q = arguments[1]
                guard s.running, let queue = s.queues[q] else {
                    return PrintCommandOutput(status: 1, stdout: "", stderr: "lp: Error - The printer or class does not exist.\n")
                }
                guard queue.accepting else {
                    return PrintCommandOutput(status: 1, stdout: "", stderr: "lp: Destination \"\(q)\" is not accepting jobs.\n")
                }
                defer { s.next += 1 }
                return PrintCommandOutput(status: 0, stdout: "request id is \(q)-\(s.next) (1 file(s))\n")
            case ("lpstat", "-p"):
                let q = arguments[1]
                guard s.running, let queue = s.queues[q] else {
                    return PrintCommandOutput(status: 1, stdout: "", stderr: "lpstat: Invalid destination name in list \"\(q)\".\n")
                }
                return PrintCommandOutput(status: 0, stdout: queue.enabled
                    ? "printer \(q) is idle.  enabled since Mon Nov 30 07:18:38 2026\n"
                    : "printer \(q) disabled since Mon Nov 30 07:18:38 2026 -\n\treason unknown\n")
            case ("lpstat", "-r"):
                return PrintCommandOutput(status: 0, stdout: s.running ? "scheduler is running\n" : "scheduler is not running\n")
            default:
                throw CocoaError(.featureUnsupported)
            }
        }
    }
}

@Suite(.tags(.unit))
struct PrintingTests {
    let file = URL(fileURLWithPath: "/tmp/notice.pdf")

    @Test("a working queue: lp -d QUEUE -t TITLE -- FILE as an argument array, the job id shown")
    func printsAndShowsTheJob() throws {
        let cups = FakeCUPS(queues: ["PDF": .init()])
        let printer = OfficePrinter(queue: "PDF", configFile: "/office/office.toml", commands: cups)
        let r = try printer.print(file, title: "2026-0001-pending-1")
        #expect(r == PrintReceipt(queue: "PDF", job: "PDF-1", state: .submitted))
        #expect(r.message == "印刷しました（プリンター PDF、ジョブ PDF-1）")
        #expect(cups.calls.first == ["lp", "-d", "PDF", "-t", "2026-0001-pending-1", "--", "/tmp/notice.pdf"])
        #expect(cups.calls.contains(["lpstat", "-p", "PDF"]))
        #expect(try printer.print(file, title: "x").job == "PDF-2")
    }

    /// lp's output is another program's text that reaches the screen and the journal (review of issue 11).
    struct ScriptedLP: PrintCommandRunner {
        let lp: PrintCommandOutput
        func run(_ tool: String, _ arguments: [String]) throws -> PrintCommandOutput? {
            tool == "lp" ? lp : PrintCommandOutput(status: 0, stdout: "printer PDF is idle.  enabled since today\n")
        }
    }

    @Test("lp's words never bring terminal control: the job id is taken only in CUPS's form, a message shows control as U+…")
    func lpOutputIsChecked() throws {
        let osc52 = "\u{1B}]52;c;QUJD\u{07}"
        let ok = OfficePrinter(queue: "PDF", configFile: "/o.toml",
                               commands: ScriptedLP(lp: PrintCommandOutput(status: 0, stdout: "request id is PDF-7\(osc52) (1 file(s))\n")))
        #expect(try ok.print(file, title: "t").job == "PDF-7")
        let odd = OfficePrinter(queue: "PDF", configFile: "/o.toml",
                                commands: ScriptedLP(lp: PrintCommandOutput(status: 0, stdout: "request id is \(osc52)\n")))
        #expect(throws: PrintProblem.self) { try odd.print(file, title: "t") }
        do { _ = try odd.print(file, title: "t") } catch {
            #expect(!error.message(for: .deskNotice).contains("\u{1B}") && error.message(for: .deskNotice).contains("<U+001B>"), "\(error)")
        }
        let failing = OfficePrinter(queue: "PDF", configFile: "/o.toml",
                                    commands: ScriptedLP(lp: PrintCommandOutput(status: 1, stdout: "", stderr: "lp: \u{1B}[2Jboom\nagain\n")))
        do { _ = try failing.print(file, title: "t"); Issue.record("printed") } catch {
            let said = error.message(for: .deskNotice)
            #expect(!said.contains("\u{1B}") && said.contains("<U+001B>[2Jboom again"), "\(said)")
        }
    }

    @Test("a stopped queue: lp exits 0, the state check says the job waits")
    func stoppedQueue() throws {
        let cups = FakeCUPS(queues: ["PDF": .init(enabled: false)])
        let r = try OfficePrinter(queue: "PDF", configFile: "/o.toml", commands: cups).print(file, title: "t")
        #expect(r.state == .waiting)
        #expect(r.message.hasPrefix("プリンター PDF は停止中です。ジョブ PDF-1 は待機しています"))
    }

    @Test("every refusal is a Japanese message saying what to do",
          arguments: [
            ("none", PrintProblem.notConfigured(configFile: "/office/office.toml"), ["/office/office.toml", "[printing] queue"]),
            ("missing", .noSuchQueue("Nope"), ["プリンター Nope がありません", "[printing] queue"]),
            ("rejecting", .notAccepting("PDF"), ["プリンター PDF は印刷を受け付けていません"]),
            ("down", .schedulerDown(detail: ""), ["CUPS", "動いていません"]),
            ("uninstalled", .missingTool("lp"), ["lp がありません", "apt-get install cups-client"]),
          ])
    func refusals(_ situation: String, _ expected: PrintProblem, _ fragments: [String]) throws {
        let cups: FakeCUPS
        var queue: String? = "PDF"
        switch situation {
        case "none": cups = FakeCUPS(queues: ["PDF": .init()]); queue = nil
        case "missing": cups = FakeCUPS(queues: ["PDF": .init()]); queue = "Nope"
        case "rejecting": cups = FakeCUPS(queues: ["PDF": .init(accepting: false)])
        case "down": cups = FakeCUPS(queues: ["PDF": .init()], running: false)
        default: cups = FakeCUPS(queues: ["PDF": .init()], installed: false)
        }
        let printer = OfficePrinter(queue: queue, configFile: "/office/office.toml", commands: cups)
        #expect(throws: expected) { try printer.print(file, title: "t") }
        for f in fragments { #expect(expected.description.contains(f), "\(expected.description) lacks \(f)") }
        #expect(!expected.description.contains("Error"))
        if situation == "none" { #expect(cups.calls.isEmpty) }
    }

    @Test("the real runner: a tool not in PATH is nil, so the printer says which package to install; found tools run with arguments as given")
    func systemRunner() throws {
        let nowhere = SystemPrintCommands(environment: ["PATH": "/nonexistent"])
        #expect(try nowhere.run("lp", ["-d", "PDF"]) == nil)
        #expect(throws: PrintProblem.missingTool("lp")) {
            try OfficePrinter(queue: "PDF", configFile: "/o.toml", commands: nowhere).print(URL(fileURLWithPath: "/tmp/x.pdf"), title: "t")
        }
        // Any program stands in for the mechanism: arguments reach it unchanged (no shell), C locale.
        let sh = SystemPrintCommands(environment: ["PATH": "/bin:/usr/bin", "LANG": "ja_JP.UTF-8"])
        let out = try #require(try sh.run("sh", ["-c", "printf '%s|' \"$@\"; echo \"$LC_ALL\"; echo oops >&2; exit 3", "sh", "a b", "$(x)", "-t"]))
        #expect(out.status == 3)
        #expect(out.stdout == "a b|$(x)|-t|C\n")
        #expect(out.stderr == "oops\n")
    }

    @Test("queue names: what CUPS accepts passes; space, slash, #, a leading dash, control characters and over 127 bytes are refused")
    func queueNames() {
        for good in ["PDF", "Office_Printer-2", "事務所プリンター", String(repeating: "a", count: 127)] {
            #expect(OfficeConfig.printQueueProblem(good) == nil, "\(good)")
        }
        for bad in ["", "two words", "a/b", "a#b", "-d", "a\tb", "全角　空白", "a\"b", "a@host", String(repeating: "a", count: 128)] {
            #expect(OfficeConfig.printQueueProblem(bad) != nil, "\(bad)")
        }
    }

    @Test("a notice printed is journaled on its case (notice.printed: queue, job, state, who); a refused print writes nothing", noticePDFTrait)
    func noticePrintedIsJournaled() throws {
        guard noticePDFToolsPresent() else { return }
        let office = noticeOffice(training: false)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly))
        let now = noticeInstant(noticeDate(2026, 11, 24))
        let issued = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk,
                                           renderer: noticeRenderer(), pdf: false, now: now)
        #expect(issued.pdfFile == nil)

        // Refused: no queue, a missing queue. The journal is byte-identical.
        let before = try Data(contentsOf: office.journalURL)
        #expect(throws: PrintProblem.notConfigured(configFile: "/office/office.toml")) {
            try store.printNotice(id: issued.id, office: office,
                                  printer: OfficePrinter(queue: nil, configFile: "/office/office.toml", commands: FakeCUPS(queues: [:])),
                                  operatorID: "yamada", now: now)
        }
        #expect(throws: PrintProblem.noSuchQueue("Nope")) {
            try store.printNotice(id: issued.id, office: office,
                                  printer: OfficePrinter(queue: "Nope", configFile: "/o.toml", commands: FakeCUPS(queues: ["PDF": .init()])),
                                  operatorID: "yamada", now: now)
        }
        #expect(try Data(contentsOf: office.journalURL) == before)

        // Printed on a stopped queue: the PDF is made from the recorded text, the job waits, and the
        // journal says so.
        let cups = FakeCUPS(queues: ["PDF": .init(enabled: false)])
        let r = try store.printNotice(id: issued.id, office: office, printer: OfficePrinter(queue: "PDF", configFile: "/o.toml", commands: cups),
                                      operatorID: "suzuki", now: now)
        #expect(r.receipt == PrintReceipt(queue: "PDF", job: "PDF-1", state: .waiting))
        #expect(r.pdfFile == issued.file.replacingOccurrences(of: ".txt", with: ".pdf"))
        #expect(cups.calls.first?.last == r.pdfFile)
        let line = try #require(store.book[n]!.history.last)
        #expect(line.eventType == .noticePrinted && line.operatorID == "suzuki" && line.caseNumber == n)
        let p = try line.data.decode(as: PrintedPayload.self)
        #expect(p == PrintedPayload(what: issued.id, file: "notices/\(issued.id).pdf", receipt: r.receipt))
        #expect(p.label == "通知 \(issued.id) を印刷（プリンター PDF、ジョブ PDF-1、停止中で待機）")

        // A fresh load reads it back (the fold knows the type).
        let again = CaseStore(journalURL: office.journalURL)
        try again.load()
        #expect(again.book[n]!.history.last?.eventType == .noticePrinted)
        #expect(again.book.unknownEvents.isEmpty)
    }

    @Test("the pending list prints with its filters, journaled office-level (list.printed); its PDF has a text layer with the rows", noticePDFTrait)
    func pendingListPrinted() throws {
        guard noticePDFToolsPresent() else { return }
        let office = noticeOffice(training: true)
        let (store, n) = try noticeStore(office: office, noticeApplication(.insured))
        let now = noticeInstant(noticeDate(2026, 11, 24))
        var filter = PendingFilter()
        filter.branch = .insured
        let cups = FakeCUPS(queues: ["PDF": .init()])
        let r = try store.printPendingList(filter: filter, sort: .number, descending: false, today: noticeDate(2026, 11, 24),
                                           office: office, printer: OfficePrinter(queue: "PDF", configFile: "/o.toml", commands: cups),
                                           by: Operator(id: "sato", name: "佐藤 一郎", role: .supervisor), now: now)
        #expect(r.rows == 1 && r.problem == nil)
        #expect(r.receipt == PrintReceipt(queue: "PDF", job: "PDF-1", state: .submitted))
        #expect(r.pdfFile.hasPrefix(office.dataDirectory.appendingPathComponent("reports/pending-").path))
        #expect(try FileManager.default.attributesOfItem(atPath: r.pdfFile)[.posixPermissions] as? Int == 0o600)
        let line = try #require(store.book.officePrints.last)
        #expect(line.eventType == .listPrinted && line.operatorID == "sato" && line.caseNumber == FileEvent.officeCase)
        let p = try line.data.decode(as: PrintedPayload.self)
        #expect(p.rows == 1 && p.filter == Branch.insured.label && p.job == "PDF-1" && p.what == "pending")
        #expect(p.file.hasPrefix("reports/pending-"))

        let text = try NoticePDFTests.pdfText(r.pdfFile)
        #expect(text.contains(n))
        #expect(text.contains("絞り込み：\(Branch.insured.label)"))
        #expect(text.contains("研修モード・実際の通知ではありません"))
        #expect(text.contains("印刷 佐藤 一郎") || text.contains("印刷　佐藤 一郎"))

        // Without a queue the PDF is still written, and the problem says which key to set; nothing journaled.
        let before = try Data(contentsOf: office.journalURL)
        let none = try store.printPendingList(filter: PendingFilter(), sort: .number, descending: false, today: noticeDate(2026, 11, 24),
                                              office: office, printer: OfficePrinter(queue: nil, configFile: "/o.toml", commands: cups),
                                              by: Operator(id: "sato", name: "佐藤 一郎", role: .supervisor), now: now)
        #expect(none.receipt == nil)
        #expect(none.problem?.contains("[printing] queue") == true)
        #expect(none.pdfFile != r.pdfFile)   // same second, its own name
        #expect(FileManager.default.fileExists(atPath: none.pdfFile))
        #expect(try Data(contentsOf: office.journalURL) == before)
    }
}
