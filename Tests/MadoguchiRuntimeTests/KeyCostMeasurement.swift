import Foundation
import Testing
import MadoguchiBench
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

// Issue 14, P2 for the keys that write or recompute: key → frame through the real desk loop
// (`DeskRuntime` + `OfficeDeskServices` over a synthetic office), every key kind. A measurement
// printed for the report, not a timed test: it asserts nothing about time. Opt-in:
//   MADOGUCHI_MEASURE_KEYS=16 (the scale: 16 = 25,000 cases, 200,000 lines; 64 = 100,000 cases)
//   MADOGUCHI_MEASURE_ROUNDS=20 (how many times each key kind is pressed)
//   MADOGUCHI_MEASURE_IDLE=1 (a pause of the clerk — one idle tick — at the start and after each
//     write, when the desk prepares the list's orders and search index; without it no key ever waits)
// Figures from a release build only:
//   swift test -c release --scratch-path .build-release -Xswiftc -enable-testing --filter KeyCostMeasurement
// The paint to a real terminal is not in these figures (the terminal double only keeps the canvas).

/// A terminal that plays labelled keys and times each from the moment `read` hands it to the desk
/// until the desk's next `draw` returns.
final class TimingTerminal: TerminalIO {
    struct Step {
        let label: String?
        let event: TerminalEvent?
    }
    var script: [Step]
    var width = 120
    var height = 40
    private var pending: (label: String, start: UInt64, count: Int)?
    private(set) var samples: [String: [Double]] = [:]
    /// Labels whose key wrote to the journal (the services' change count moved), and how often.
    private(set) var wrote: [String: Int] = [:]
    private(set) var lastFrame: Canvas?
    let changeCount: () -> Int

    init(_ script: [Step], changeCount: @escaping () -> Int) {
        self.script = script
        self.changeCount = changeCount
    }

    static func nanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    func read(timeoutMs: Int32) -> TerminalEvent? {
        guard !script.isEmpty else { return .key(.function(10)) }
        let step = script.removeFirst()
        if let label = step.label { pending = (label, Self.nanos(), changeCount()) }
        return step.event
    }

    func draw(_ canvas: Canvas) {
        lastFrame = canvas
        guard let p = pending else { return }
        samples[p.label, default: []].append(Double(Self.nanos() - p.start) / 1e6)
        if changeCount() != p.count { wrote[p.label, default: 0] += 1 }
        pending = nil
    }
}

@Suite("Key cost through the desk (measurement, opt-in)", .tags(.stress))
struct KeyCostMeasurement {
    static let scale = Int(ProcessInfo.processInfo.environment["MADOGUCHI_MEASURE_KEYS"] ?? "") ?? 0

    typealias Step = TimingTerminal.Step
    static func key(_ k: Key, _ label: String? = nil) -> Step { Step(label: label, event: .key(k)) }
    static func text(_ s: String, _ label: String? = nil) -> Step { Step(label: label, event: .key(.text(s))) }

    /// A whole assistance-only application typed on the intake screen (as UITestSupport types it);
    /// the saving F2 is labelled `save`.
    static func intake(recipientBody: String) -> [Step] {
        let recipient = recipientBody + String(CheckDigit.compute(recipientBody)!)
        var s: [Step] = [key(.function(2))]
        for v in ["ﾔﾏﾀﾞ ﾀﾛｳ", "山田　太郎", "S45.1.2", "１２３－４５６７", "東京", "千代田区", "霞が関１－２－２", "03-1234-5678", ""]
            + [recipient, "1234567890123456"] {
            if !v.isEmpty { s.append(text(v)) }
            s.append(key(.tab))
        }
        s += [key(.char("1")), key(.tab), key(.char(" ")), key(.tab), key(.char(" ")), key(.tab),
              text("カードの管理に不安があるため"), key(.tab), key(.tab), key(.tab)]
        s += [key(.char("1")), key(.tab), key(.char("1")), key(.tab)]
        for _ in 0..<6 { s += [key(.char(" ")), key(.tab)] }
        s.append(key(.function(2), "save"))
        s.append(key(.escape, "back"))   // the saved case → the list
        return s
    }

    @Test("every key kind at the scale asked", .enabled(if: scale > 0))
    func measure() throws {
        let rounds = Int(ProcessInfo.processInfo.environment["MADOGUCHI_MEASURE_ROUNDS"] ?? "") ?? 20
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let size = SyntheticOffice.Size.base.scaled(Self.scale)
        let out = try SyntheticOffice.generate(into: dir, size: SyntheticOffice.Size(cases: size.cases, events: size.events, statusRows: 200))
        let config = SyntheticOffice.office(dataDirectory: dir)
        let clock = ManualDeskClock(RuntimeFixture.morning)
        let services = OfficeDeskServices(config: config, store: CaseStore(journalURL: config.journalURL), clock: clock,
                                          noticeTemplates: RuntimeFixture.root.appendingPathComponent("config/notices"),
                                          training: nil, form: RuntimeFixture.form)
        let t0 = Date()
        try services.store.load()
        let clerk = config.operators.first { $0.role == .clerk }!
        try services.signIn(clerk)

        // The position of the appendable case in the list's first order (by number).
        let numbers = services.store.book.all.map(\.number).sorted()
        let target = numbers.firstIndex(of: out.appendableCase)!
        let pauses = ProcessInfo.processInfo.environment["MADOGUCHI_MEASURE_IDLE"] == "1"
        let pause: [Step] = pauses ? [Step(label: nil, event: nil)] : []
        var script: [Step] = pause
        let serverNumbers = ["1234567890123456", "2345678901234567"]
        for round in 0..<rounds {
            // Navigation.
            script += [Self.key(.down, "navigation"), Self.key(.down, "navigation"), Self.key(.pageDown, "navigation"),
                       Self.key(.up, "navigation"), Self.key(.home, "navigation")]
            // Search: opening the line, typing, closing it; Esc drops it.
            script += [Self.key(.char("/"), "search"), Self.key(.char("ヤ"), "search"), Self.key(.char("マ"), "search"),
                       Self.key(.enter, "search"), Self.key(.escape, "search")]
            // Open a case and back.
            script += [Self.key(.down, "navigation"), Self.key(.enter, "open"), Self.key(.escape, "back")]
            // Sort: the first F6 after a write, then another.
            script += [Self.key(.function(6), "sort"), Self.key(.function(6), "sort")]
            // Back to the first order (number ascending): F6 cycles 5 keys × 2 directions.
            script += Array(repeating: Self.key(.function(6)), count: 8)
            // A move: the appendable case's 被保険者枝番 (F7 → 被保険者枝番を入力), 16 digits, Enter.
            script += [Self.key(.home)] + Array(repeating: Self.key(.down), count: target)
            let item = CaseAction.allCases.firstIndex(of: .serverNumber)!
            script += [Self.key(.function(7)), Self.key(.char(Character(String(item + 1)))), Self.key(.enter),
                       Self.text(serverNumbers[round % 2]), Self.key(.enter, "record")]
            script += [Self.key(.char("y"), "record-confirm")] + pause
            // Mark the first reminder done (F9, Enter, Enter on the note form), then back.
            script += [Self.key(.function(9), "navigation"), Self.key(.enter), Self.key(.enter, "reminder-done"), Self.key(.escape, "back")] + pause
            // F5.
            script += [Self.key(.function(5), "reload")]
            // Save an intake.
            script += Self.intake(recipientBody: String(format: "9%05d", round)) + pause
            // Import a small status file (F4 → 2: status, the path, Enter), then Esc from the report.
            if round < out.monthlyFiles.count {
                script += [Self.key(.function(4)), Self.key(.char("2")), Self.key(.enter), Self.text(out.monthlyFiles[round].path), Self.key(.enter),
                           Self.key(.enter, "import"), Self.key(.escape, "back")]
            }
        }
        let terminal = TimingTerminal(script) { services.changeCount }
        let runtime = DeskRuntime(terminal: terminal, services: services,
                                  office: .init(name: config.officeName, isTraining: config.isTraining, operators: config.operators,
                                                form: RuntimeFixture.form),
                                  idleMilliseconds: 0)
        let t1 = Date()
        #expect(try runtime.session(clerk) == .quit)
        let t2 = Date()
        print("KEY-COST idle-pauses=\(pauses) scale=\(Self.scale)× cases=\(out.cases) lines=\(out.lines) rounds=\(rounds) load+signIn=\(String(format: "%.1f", t1.timeIntervalSince(t0))) s session=\(String(format: "%.1f", t2.timeIntervalSince(t1))) s")
        func pct(_ xs: [Double], _ p: Double) -> Double {
            let s = xs.sorted()
            return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
        }
        for (label, xs) in terminal.samples.sorted(by: { $0.key < $1.key }) {
            print("KEY-COST \(label.padding(toLength: 15, withPad: " ", startingAt: 0)) n=\(xs.count) p50=\(String(format: "%7.2f", pct(xs, 0.5))) ms"
                  + " p99=\(String(format: "%7.2f", pct(xs, 0.99))) ms max=\(String(format: "%7.2f", xs.max()!)) ms"
                  + " wrote=\(terminal.wrote[label] ?? 0)")
        }
        print("KEY-COST last frame:\n\(terminal.lastFrame?.text ?? "")")
    }
}
