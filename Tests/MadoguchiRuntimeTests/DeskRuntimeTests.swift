import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

// Issue 11 item 10: the desk's loop runs in-process — a scripted terminal, the real services over a
// temporary office, an injected clock. No tmux, no global state.

/// A terminal that plays a script of events and keeps every frame it was given. When the script
/// runs out it presses F10 (then `y` if asked), so a test can never hang; `maxReads` guards loops.
final class ScriptedTerminal: TerminalIO {
    enum Step { case event(TerminalEvent), idle, run(() -> Void) }
    var script: [Step]
    private(set) var frames: [Canvas] = []
    private(set) var reads = 0
    let maxReads: Int
    var width: Int
    var height: Int

    init(_ script: [Step], width: Int = 80, height: Int = 24, maxReads: Int = 10_000) {
        self.script = script
        self.width = width
        self.height = height
        self.maxReads = maxReads
    }

    func read(timeoutMs: Int32) -> TerminalEvent? {
        reads += 1
        precondition(reads < maxReads, "the desk did not stop after \(maxReads) reads")
        while !script.isEmpty {
            switch script.removeFirst() {
            case .event(let e):
                if case .resize(let w, let h) = e { width = w; height = h }
                return e
            case .idle: return nil
            case .run(let body): body()
            }
        }
        return reads % 2 == 0 ? .key(.function(10)) : .key(.char("y"))
    }

    func draw(_ canvas: Canvas) { frames.append(canvas) }

    var lastText: String { frames.last?.text ?? "" }
}

extension ScriptedTerminal.Step {
    static func key(_ k: Key) -> Self { .event(.key(k)) }
    static func keys(_ s: String) -> [Self] { s.map { .event(.key(.char($0))) } }
}

/// A clock that cannot be read (a training sandbox's clock file gone bad).
struct BrokenClock: DeskClock {
    func now() throws -> Date { throw TrainingError("時計のファイルが壊れています") }
}

enum RuntimeFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let form = try! FormLoader.load(from: root.appendingPathComponent("screens/intake.toml"))

    /// The demo office with its data in a fresh temporary folder (0700).
    static func office() throws -> OfficeConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return try OfficeConfig.load(from: root.appendingPathComponent("config/demo/office.toml"),
                                     environment: ["HOME": dir.path, "XDG_DATA_HOME": dir.path]).withDataDirectory(dir)
    }

    /// The journal's lines as they are on disk now (none when there is no journal yet).
    static func journalLines(_ config: OfficeConfig) -> [Substring] {
        ((try? String(contentsOf: config.journalURL, encoding: .utf8)) ?? "").split(separator: "\n")
    }

    /// 令和8年11月24日 10:00 in Japan.
    static let morning = Date(timeIntervalSince1970: TimeInterval(LocalDate(year: 2026, month: 11, day: 24)!.dayNumber * 86_400 + 3600))

    /// The services of a desk where the first clerk has signed in (the sandbox's keys ready; they are
    /// enrolled with the first line written, issue 12).
    static func services(_ config: OfficeConfig, clock: DeskClock = ManualDeskClock(morning)) -> OfficeDeskServices {
        let s = OfficeDeskServices(config: config, store: CaseStore(journalURL: config.journalURL), clock: clock,
                                   noticeTemplates: root.appendingPathComponent("config/notices"), training: nil, form: form)
        if (try? s.store.load()) != nil, let clerk = config.operators.first(where: { $0.role == .clerk }) {
            try? s.signIn(clerk)
        }
        return s
    }

    /// The demo office in a temporary folder with one assistance-only case (山田　太郎), received an
    /// hour before `morning`.
    static func officeWithOneCase() throws -> (OfficeConfig, OfficeDeskServices, CaseRecord) {
        let config = try office()
        let services = services(config)
        try services.store.load()
        let c = try receive(services.store, name: "山田　太郎", furigana: "ヤマダ タロウ", recipientBody: "123456", at: morning - 3600)
        return (config, services, c)
    }

    static func runtime(_ terminal: ScriptedTerminal, _ services: DeskServices, _ config: OfficeConfig) -> DeskRuntime {
        DeskRuntime(terminal: terminal, services: services,
                    office: .init(name: config.officeName, isTraining: config.isTraining, operators: config.operators, form: form),
                    idleMilliseconds: 0)
    }

    /// One assistance-only application, checked by the intake form and stored as the desk would.
    static func receive(_ store: CaseStore, name: String, furigana: String, recipientBody: String, at time: Date) throws -> CaseRecord {
        let today = LocalDate(time)
        var v = IntakeForm.initialValues(form, today: today)
        v[IntakeFieldID.furigana] = furigana
        v[IntakeFieldID.name] = name
        v[IntakeFieldID.birthDate] = "S45.1.2"
        v[IntakeFieldID.postalCode] = "123-4567"
        v[IntakeFieldID.prefecture] = "東京"
        v[IntakeFieldID.municipality] = "千代田区"
        v[IntakeFieldID.address] = "霞が関１－２－２"
        v[IntakeFieldID.phone] = "03-1234-5678"
        v[IntakeFieldID.recipientNumber] = recipientBody + String(CheckDigit.compute(recipientBody)!)
        v[IntakeFieldID.serverIndividualNumber] = "1234567890123456"
        v[IntakeFieldID.hasProxy] = "none"
        v[IntakeFieldID.requestTicked] = "1"
        v[IntakeFieldID.signedForm] = "1"
        v[IntakeFieldID.reason] = "カードの管理に不安があるため"
        v[IntakeFieldID.branch] = Branch.assistanceOnly.rawValue
        v[IntakeFieldID.holdsValidTickets] = "no"
        for p in IntakeFieldID.explainedPoints where p != "g" { v[IntakeFieldID.explained(p)] = "1" }
        let check = IntakeForm.check(form, values: v, context: ValidationContext(today: today, defaultEra: .reiwa))
        guard let app = check.application else { throw TrainingError("fixture: \(check.problems.map(\.description))") }
        return try store.receive(app, ticketsIssuedNow: check.tickets, operatorID: "yamada", now: time)
    }
}

@Suite("Desk runtime in-process (issue 11 item 10)", .tags(.unit))
struct DeskRuntimeTests {
    @Test("the login screen's choice is the operator of the session; F10 ends the run")
    func loginChoosesTheOperator() throws {
        let config = try RuntimeFixture.office()
        let terminal = ScriptedTerminal([.keys("2")[0], .key(.enter), .idle])
        try RuntimeFixture.runtime(terminal, RuntimeFixture.services(config, clock: ManualDeskClock(RuntimeFixture.morning)), config)
            .run(operator: nil)
        let second = config.operators[1]
        #expect(terminal.frames.contains { $0.text.contains(second.name) })
        // Quit without anything typed writes nothing: no journal was created (the sandbox's keys are
        // enrolled with the first line it writes, issue 12).
        #expect(!FileManager.default.fileExists(atPath: config.journalURL.path))
    }

    @Test("the injected clock is the desk's today and the time of what it writes")
    func injectedClockDrivesTodayAndJournalTimes() throws {
        let config = try RuntimeFixture.office()
        let clock = ManualDeskClock(RuntimeFixture.morning)
        let services = RuntimeFixture.services(config, clock: clock)
        try services.store.load()
        _ = try RuntimeFixture.receive(services.store, name: "山田　太郎", furigana: "ヤマダ タロウ", recipientBody: "123456",
                                       at: RuntimeFixture.morning - 3600)
        var sawNov24 = false
        let terminal = ScriptedTerminal([
            .run { sawNov24 = true },
            .idle,
            .run { clock.advance(seconds: 86_400) },   // the next morning, while the desk is open
            .idle,
            .key(.function(3)),                          // F3: the clerk prepares a batch (a journal write)
        ])
        let clerk = config.operators.first { $0.role == .clerk }!
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        #expect(sawNov24)
        #expect(terminal.frames.first!.text.contains("令和8年11月24日"))
        #expect(terminal.frames.contains { $0.text.contains("令和8年11月25日") })
        let lines = RuntimeFixture.journalLines(config)
        let batch = try #require(lines.last { $0.contains("\"batch.prepared\"") })
        // Journal times are Japan time: the clock's 2026-11-25 10:00 +09:00.
        #expect(batch.contains("2026-11-25T10:00:00"))
        #expect(terminal.frames.contains { $0.text.contains("一括登録") && $0.text.contains("準備しました") })
    }

    @Test("another terminal's write appears at the idle tick (auto-reload)")
    func idleTickPicksUpOtherTerminalsWrites() throws {
        let config = try RuntimeFixture.office()
        let services = RuntimeFixture.services(config, clock: ManualDeskClock(RuntimeFixture.morning))
        try services.store.load()
        let other = CaseStore(journalURL: config.journalURL)
        // The other terminal's clerk, proven with the sandbox's key like any desk (issue 12).
        let otherClerk = try OfficeTrust.prove(config.operators[0], config: config) { nil }
        let terminal = ScriptedTerminal([
            .idle,
            .run {
                try! other.load()
                try! OfficeTrust.admit(otherClerk, store: other, config: config, now: RuntimeFixture.morning)
                _ = try! RuntimeFixture.receive(other, name: "青木　次郎", furigana: "アオキ ジロウ", recipientBody: "345678",
                                                at: RuntimeFixture.morning)
            },
            .idle,
        ])
        try RuntimeFixture.runtime(terminal, services, config).run(operator: config.operators[0])
        #expect(!terminal.frames.first!.text.contains("青木"))
        #expect(terminal.frames.contains { $0.text.contains("青木") })
    }

    @Test("a clock that cannot be read is said on the screen, never replaced by the real date")
    func unreadableClockIsReported() throws {
        let config = try RuntimeFixture.office()
        let clock = ManualDeskClock(RuntimeFixture.morning)
        final class Switchable: DeskClock, @unchecked Sendable {
            var broken = false
            let base: ManualDeskClock
            init(_ b: ManualDeskClock) { base = b }
            func now() throws -> Date { if broken { throw TrainingError("時計のファイルが壊れています") }; return base.now() }
        }
        let switchable = Switchable(clock)
        let terminal = ScriptedTerminal([.run { switchable.broken = true }, .idle])
        try RuntimeFixture.runtime(terminal, RuntimeFixture.services(config, clock: switchable), config).run(operator: config.operators[0])
        #expect(terminal.frames.contains { $0.text.contains("今日の日付を読めません") })
        #expect(!terminal.frames.contains { $0.text.contains("令和8年11月30日") })   // the machine's real date never shows
        // At the start the desk refuses to open on an unknown date.
        #expect(throws: TrainingError.self) {
            try RuntimeFixture.runtime(ScriptedTerminal([]), RuntimeFixture.services(config, clock: BrokenClock()), config)
                .run(operator: config.operators[0])
        }
    }

    @Test("a resize reaches the desk: at 120×40 the frame is 120×40")
    func resizeReachesTheDesk() throws {
        let config = try RuntimeFixture.office()
        let terminal = ScriptedTerminal([.event(.resize(width: 120, height: 40))])
        try RuntimeFixture.runtime(terminal, RuntimeFixture.services(config, clock: ManualDeskClock(RuntimeFixture.morning)), config)
            .run(operator: config.operators[0])
        #expect(terminal.frames.last!.width == 120)
        #expect(terminal.frames.last!.height == 40)
    }
}
