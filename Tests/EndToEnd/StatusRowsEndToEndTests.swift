import Foundation
import Testing
import MadoguchiCore

/// Issue 13 items 2 and 3 from a script: `record-notice --run` (R-HC-2 amended) and the status rows
/// `import-status` lists instead of ignoring (R-CF-3), text and `--json`.
@Suite("Status rows and hold runs end to end (R-CF-3, R-HC-2)", .tags(.e2e), .timeLimit(.minutes(1)))
struct StatusRowsEndToEndTests {
    static func json(_ args: [String], _ data: URL, exit: Int32 = 0,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
        try LifecycleCommandLineEndToEndTests.json(args, data, exit: exit, sourceLocation: sourceLocation)
    }

    /// The sandbox's clock to `day` (the insured follow-up test's helper).
    static func clock(_ day: Day, _ data: URL) throws {
        try InsuredFollowUpEndToEndTests.move(data, to: LocalDate(year: day.year, month: day.month, day: day.day)!)
    }

    @Test("R-HC-2 R-CF-3 record-notice --run of the December run typed on 1/5 is re-checked on 1/31; import-status lists another route, a due row and a re-registration with its command")
    func holdRunAndStatusRows() async throws {
        let (root, data) = try await LifecycleCases.copy("status-rows-cli")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase, b = LifecycleCases.insuredCase
        let today = Day.today
        let firstRun = today.lastDayOfMonth(plus: 1)            // the first month-end run after registering today
        let secondRun = today.lastDayOfMonth(plus: 2)
        let readOn = Day(year: secondRun.year, month: secondRun.month, day: 5)
        let runMonth = String(format: "%04d-%02d", firstRun.year, firstRun.month)

        // Register case a today (maker-checker, export, result file).
        let batchID = try #require(try Self.json(["prepare-batch", "--operator", "yamada", "--json"], data).string("id"))
        _ = try Self.json(["approve-batch", batchID, "--operator", "sato", "--json"], data)
        _ = try Self.json(["export-registrations", "--json"], data)
        let row = "\(LifecycleCases.serverCode),\(LifecycleCases.assistanceServerNumber),\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),"
        let resultFile = root.appendingPathComponent("result.csv")
        try ServerFile.write(try ServerFile.result(exportedRows: [row]), to: resultFile)
        _ = try Self.json(["import-results", resultFile.path, "--registered-on", today.short, "--json"], data)

        // A run that has not come yet is refused naming 月末処理の月, nothing written.
        let journal = try LifecycleCommandLineEndToEndTests.journal(data)
        let early = try E2E.madoguchi(["record-notice", a, "--reason", "1", "--run", runMonth, "--yes"], dataDir: data)
        #expect(early.status == 1, "stdout: \(early.stdout) stderr: \(early.stderr)")
        #expect(early.stderr.contains("月末処理の月") && early.stderr.contains("R-HC-2"), "\(early.stderr)")
        #expect(try LifecycleCommandLineEndToEndTests.journal(data) == journal)

        // The notice of the first run, read on the 5th of the month after: re-checked at the end of
        // that month, not a month after the day it was typed.
        try Self.clock(readOn, data)
        let held = try Self.json(["record-notice", a, "--reason", "1", "--date", readOn.short, "--run", runMonth, "--yes", "--json"], data)
        #expect(held.string("status") == "held")
        #expect(held.string("event")?.contains("末の月末処理") == true, "\(held.raw)")
        try Self.clock(secondRun, data)
        let reminders = try Self.json(["reminders", "--json"], data)
        let ids = reminders.objects("reminders").compactMap { $0.string("id") }
        #expect(ids.contains("hold_recheck:\(a):\(String(format: "%04d-%02d-%02d", secondRun.year, secondRun.month, secondRun.day))"), "\(ids)")

        // The month's status file, read after the run: a still registered (due), b cancelled by another route.
        let third = today.lastDayOfMonth(plus: 3)
        try Self.clock(Day(year: third.year, month: third.month, day: 2), data)
        let statusFile = root.appendingPathComponent("status.csv")
        try ServerFile.write(try ServerFile.cp932([
            ServerFile.statusHeader,
            "\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),,\(LifecycleCases.assistanceServerNumber),1,20210401,,,",
            "\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.insuredRecipient),,\(LifecycleCases.insuredServerNumber),0,20210401,\(firstRun.compact),2,",
        ]), to: statusFile)
        let status = try Self.json(["import-status", statusFile.path, "--json"], data)
        #expect(status.string("outcome") == "applied")
        #expect(status.objects("changes").isEmpty)
        let notes = status.objects("rowNotes")
        #expect(notes.map { $0.string("kind") } == ["other_route"], "\(status.raw)")
        #expect(notes.first?.int("row") == 3 && notes.first?.string("caseNumber") == b)
        #expect(status.objects("dueNotConfirmed").first?.int("row") == 2, "\(status.raw)")
        #expect(try E2E.statuses(data) == [a: "held", b: "waiting_for_insurer"])

        // Confirmed the next month; then a file with 状態 1 again: a re-registration, with the command to record it.
        let confirm = root.appendingPathComponent("status2.csv")
        try ServerFile.writeAssistanceStatus(cancelledOn: secondRun.compact, to: confirm)
        _ = try Self.json(["import-status", confirm.path, "--json"], data)
        #expect(try E2E.statuses(data)[a] == "confirmed")
        let again = Day(year: third.year, month: third.month, day: 20)
        try Self.clock(again, data)
        let rereg = root.appendingPathComponent("status3.csv")
        try ServerFile.write(try ServerFile.cp932([
            ServerFile.statusHeader,
            "\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),,\(LifecycleCases.assistanceServerNumber),1,\(Day(year: third.year, month: third.month, day: 10).compact),\(secondRun.compact),1,",
        ]), to: rereg)
        let text = try E2E.madoguchi(["import-status", rereg.path], dataDir: data)
        #expect(text.status == 0, "stdout: \(text.stdout) stderr: \(text.stderr)")
        let iso = String(format: "%04d-%02d-10", third.year, third.month)
        #expect(text.stdout.contains("解除のあと再登録した人（R-CF-3, R-PT-2）"), "\(text.stdout)")
        let command = "madoguchi record-reregistration \(a) --date \(iso)"
        #expect(text.stdout.contains("2行目 \(a)") && text.stdout.contains(command), "\(text.stdout)")
        // Recorded from the list with the command it gives.
        let recorded = try Self.json(["record-reregistration", a, "--date", iso, "--json"], data)
        #expect(recorded.string("event")?.contains("再登録") == true, "\(recorded.raw)")
    }
}
