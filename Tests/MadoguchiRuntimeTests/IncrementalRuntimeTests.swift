import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

// Issue 14 (P2): after a write, the desk's reminders and its case list are updated for the cases the
// write touched only. Through the real loop and services, what is shown equals what a desk built
// from scratch would show.

@Suite("Incremental reminders and case list through the runtime (issue 14)", .tags(.unit))
struct IncrementalRuntimeTests {
    /// The demo office with three assistance-only cases.
    static func officeWithThreeCases() throws -> (OfficeConfig, OfficeDeskServices) {
        let (config, services, _) = try RuntimeFixture.officeWithOneCase()
        _ = try RuntimeFixture.receive(services.store, name: "青木　花子", furigana: "アオキ ハナコ", recipientBody: "223456",
                                       at: RuntimeFixture.morning - 3000)
        _ = try RuntimeFixture.receive(services.store, name: "渡辺　次郎", furigana: "ワタナベ ジロウ", recipientBody: "323456",
                                       at: RuntimeFixture.morning - 2400)
        return (config, services)
    }

    /// The case numbers in the order the frame's rows show them.
    static func rows(_ text: String, _ numbers: [String]) -> [String] {
        text.split(separator: "\n").compactMap { line in numbers.first { line.contains($0) } }
    }

    @Test("Sorted by status, a withdrawal moves the case to its new place and its reminders go; the list and reminders equal a fresh desk's")
    func withdrawalThroughTheLoop() throws {
        let (config, services) = try Self.officeWithThreeCases()
        let clerk = config.operators.first { $0.role == .clerk }!
        typealias Step = ScriptedTerminal.Step
        // F6 ×6: number ↓, name ↑, name ↓, branch ↑, branch ↓, status ↑. Then the second row is withdrawn.
        var script: [Step] = Array(repeating: .key(.function(6)), count: 6) + [.key(.down)]
        script += [Step.key(.function(7)), .key(.char("5")), .key(.enter)] + Step.keys("本人の申し出")
            + [.key(.enter), .key(.enter), .key(.char("y")), .idle]
        let terminal = ScriptedTerminal(script, width: 100, height: 30)
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        let numbers = services.store.book.all.map(\.number)
        #expect(services.store.book.all.contains { $0.status == .withdrawn }, "the withdrawal was written")
        let text = terminal.lastText
        let expected = services.store.book.all.sorted { a, b in
            a.status.label != b.status.label ? a.status.label < b.status.label : a.number < b.number
        }.map(\.number)
        #expect(Self.rows(text, numbers).prefix(expected.count) == expected[...], "\(text)")
        let due = Reminders.due(in: services.store.book, today: LocalDate(RuntimeFixture.morning), settings: config.reminders,
                                for: clerk, operatorNames: config.operatorNames)
        #expect(text.contains("今日の要対応 \(due.count)件"), "\(text)")
    }

    @Test("derived() after writes, another terminal's lines, a new day and another operator equals Reminders.due from scratch")
    func derivedFollowsEveryChange() throws {
        let (config, services) = try Self.officeWithThreeCases()
        let clerk = config.operators.first { $0.role == .clerk }!
        let supervisor = config.operators.first { $0.role == .supervisor }!
        var today = LocalDate(RuntimeFixture.morning)
        func check(_ op: Operator, _ label: String) {
            var shown: [Reminder]?
            for m in services.derived(today: today, for: op) { if case .remindersChanged(let r) = m { shown = r } }
            #expect(shown == Reminders.due(in: services.store.book, today: today, settings: config.reminders, for: op,
                                           operatorNames: config.operatorNames), "\(label)")
        }
        check(clerk, "start")
        let first = services.store.book.all[0].number
        _ = services.perform(.record(caseNumber: first, .withdrawn(reason: "本人の申し出", on: today)), by: clerk)
        check(clerk, "a withdrawal")
        let r = try #require(Reminders.due(in: services.store.book, today: today, settings: config.reminders).first)
        _ = services.perform(.markReminderDone(id: r.id, note: ""), by: clerk)
        #expect(services.store.book.doneReminders[r.id] != nil)
        check(clerk, "a reminder done")
        // Another terminal: its lines are folded by the idle tick.
        let other = CaseStore(journalURL: config.journalURL)
        try other.load()
        other.journal.signer = services.proven?.key
        let second = services.store.book.all[1].number
        try other.record(.serverNumberSet("9876543210987654"), on: second, operatorID: clerk.id, now: RuntimeFixture.morning)
        _ = services.idle(shownToday: today)
        check(clerk, "another terminal's line")
        today = today.addingDays(40)
        check(clerk, "a new day")
        check(supervisor, "another operator")
    }
}
