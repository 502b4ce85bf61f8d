import Foundation
import Testing
@testable import MadoguchiCore

// Issue 13 item 7: the scenario book's rarer branches — a cancel #5 whose paper tickets go on
// (R-PT-4), a re-registration seen in the status file (R-CF-3), a result file fetched in the month
// after the upload (R-RG-9), an insured person who never went to the insurer (R-CF-4). Full marks and
// the typical mistakes are in TrainingGradingTests (their arguments come from the book); here, what
// the simulated server must do for them and how a scenario file asks for it.

private func ymd(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

@Suite("Training mode: the rarer branches (issue 13)", .tags(.unit))
struct TrainingBranchesTests {
    @Test("R-PT-4, R-CF-3, R-RG-9, R-CF-4: the book has a scenario grading each, with its rule")
    func bookCoversTheBranches() throws {
        let play = try TrainingPlay()
        let graded = Dictionary(play.book.scenarios.flatMap { s in s.expectations.map { ($0, s.id) } }, uniquingKeysWith: { a, _ in a })
        let wanted: [(TrainingScenario.Expectation, String)] = [
            (.ticketsAfterCancel, "R-PT-4"), (.reregistrationRecorded, "R-CF-3"), (.registrationDate, "R-RG-9"), (.insurerFollowedUp, "R-CF-4"),
        ]
        for (e, rule) in wanted {
            #expect(e.rule == rule)
            let id = try #require(graded[e], "no scenario grades \(e.rawValue)")
            #expect(play.book.scenario(id)?.rules.contains(rule) == true, "scenario \(id) lists \(rule)")
        }
        #expect(play.book.scenarios.contains { $0.fate.resultAfterDays > 0 })
        #expect(play.book.scenarios.contains { $0.fate.reregistersOn != nil })
        #expect(play.book.scenarios.contains { if case .afterFollowUp = $0.fate.insurer { return true } else { return false } })
    }

    @Test("R-RG-9: the result file of a late-month upload arrives in the next month; the upload's day is the registration date")
    func resultNextMonth() throws {
        let play = try TrainingPlay()
        let s = try #require(play.book.scenarios.first { $0.fate.resultAfterDays > 0 })
        try play.receive(s, .expert)
        try play.export()
        let uploaded = play.today
        #expect(play.inbox("result_").isEmpty, "not on the day of the upload")
        try play.advance(to: uploaded.addingDays(s.fate.resultAfterDays - 1))
        #expect(play.inbox("result_").isEmpty)
        try play.advance(to: uploaded.addingDays(s.fate.resultAfterDays))
        #expect(play.inbox("result_").count == 1)
        #expect(play.today.yearMonth == uploaded.yearMonth.adding(months: 1), "the scenario's point: imported in the next month")

        // The clerk who takes the import day moves the expected date a month: graded with both dates.
        try play.importNewFiles(status: false, registrationDateFromUpload: false)
        let c = try #require(play.book.caseFor(s, in: play.store.book))
        #expect(c.lifecycle.registeredOn == play.today)
        let g = play.grade(s)
        let point = try #require(g.points.first { $0.expectation == "registration_date" })
        #expect(point.verdict == .missed && point.rule == "R-RG-9", "\(describe(g))")
        #expect(point.remark.contains(Wareki.format(uploaded)) && point.remark.contains(Wareki.format(CancellationDate.expected(registeredOn: uploaded)))
                && point.remark.contains(Wareki.format(CancellationDate.expected(registeredOn: play.today))), "\(point.remark)")
    }

    @Test("R-CF-3: after the confirmed cancellation, the status file of the re-registration month says 状態 1 with the new 初回登録日")
    func reregistrationInStatusFile() throws {
        let play = try TrainingPlay()
        let s = try #require(play.book.scenarios.first { $0.fate.reregistersOn != nil })
        let again = try #require(s.fate.reregistersOn)
        try play.play(s, .expert, until: again.yearMonth.adding(months: 1).firstDay)
        let cancelled = try #require(play.server.timeline(play.store.book).cancelledOn[s.person.serverIndividualNumber])
        #expect(cancelled < again)
        func row(_ month: YearMonth) throws -> StatusRow {
            let url = try #require(play.inbox("status_\(month.iso.filter(\.isNumber))").first)
            let rows = try StatusFile.parse(try Data(contentsOf: url), config: play.office.interchange).rows
            return try #require(rows.first { $0.serverIndividualNumber == s.person.serverIndividualNumber })
        }
        let before = try row(cancelled.yearMonth)
        #expect(!before.registered && before.cancelledOn == cancelled && before.cancelKind == "1")
        let after = try row(again.yearMonth)
        #expect(after.registered && after.registeredOn == again && after.cancelledOn == nil, "\(after)")
        // The other people's rows do not change.
        let other = try #require(play.book.scenario("01"))
        let url = try #require(play.inbox("status_\(again.yearMonth.iso.filter(\.isNumber))").first)
        let rows = try StatusFile.parse(try Data(contentsOf: url), config: play.office.interchange).rows
        #expect(rows.first { $0.serverIndividualNumber == other.person.serverIndividualNumber }?.registeredOn == other.person.cardRegisteredOn)

        // Recorded with another day than the row's 初回登録日: said, with both.
        let wrong = try TrainingPlay("reregisteredWrongDay")
        var h = Handling()
        h.recordReregistration = false
        try wrong.play(s, h, until: again.yearMonth.adding(months: 1).firstDay)
        let c = try #require(wrong.book.caseFor(s, in: wrong.store.book))
        _ = try wrong.store.record(.reregistered(on: again.addingDays(5)), on: c.number, operatorID: wrong.clerk.id, now: wrong.now)
        let point = try #require(wrong.grade(s).points.first { $0.expectation == "reregistration_recorded" })
        #expect(point.verdict == .missed && point.remark.contains(Wareki.format(again)) && point.remark.hasSuffix("— R-CF-3"), "\(point.remark)")
    }

    @Test("R-CF-4: the insurer registers only after the clerk's follow-up, never without it")
    func insurerAfterFollowUp() throws {
        let play = try TrainingPlay()
        let s = try #require(play.book.scenarios.first { if case .afterFollowUp = $0.fate.insurer { return true } else { return false } })
        guard case .afterFollowUp(let days) = s.fate.insurer else { return }
        try play.play(s)
        let c = try #require(play.book.caseFor(s, in: play.store.book))
        #expect(c.application.insurance?.appliedToInsurer == .toldToApply)
        let asked = try #require(TrainingServer.followedUp(c, in: play.store.book))
        #expect(asked == c.receivedOn!.addingMonths(play.office.reminders.insuredFollowupMonths), "acted on the day the reminder came")
        #expect(play.server.timeline(play.store.book).cancelledOn[s.person.serverIndividualNumber]
                == CancellationDate.expected(registeredOn: asked.addingDays(days)))

        let untold = try TrainingPlay("neverFollowedUp")
        var h = Handling()
        h.followUpInsured = false
        try untold.play(s, h)
        #expect(untold.server.timeline(untold.store.book).cancelledOn[s.person.serverIndividualNumber] == nil,
                "told at intake, she still never went to the insurer")
    }

    @Test("R-PT-4: the cancelled person's paper-ticket reminder comes the month after the cancel #5; done, the point is right")
    func ticketsAfterCancel() throws {
        let play = try TrainingPlay()
        let s = try #require(play.book.scenarios.first { $0.expectations.contains(.ticketsAfterCancel) })
        var h = Handling()
        h.ticketsAfterCancel = false
        let month = try #require(YearMonth(year: 2027, month: 1))
        try play.play(s, h, until: month.firstDay)
        let c = try #require(play.book.caseFor(s, in: play.store.book))
        #expect(c.status == .cancelledByServer)
        let run = try #require(play.server.timeline(play.store.book).runs.first { $0.person == s.person && $0.outcome == .cancelled })
        #expect(run.date.yearMonth.adding(months: 1) == month)
        let due = Reminders.due(in: play.store.book, today: play.today, settings: play.office.reminders)
            .filter { $0.caseNumber == c.number && $0.kind == .paperTicketsMonthly }
        #expect(due.contains { $0.id.contains(month.iso) }, "\(due.map(\.id))")
        #expect(play.grade(s).points.first { $0.expectation == "tickets_after_cancel" }?.verdict == .notYet, "the first week of the month")
        try play.advance(to: month.firstDay.addingDays(7))
        let late = try #require(play.grade(s).points.first { $0.expectation == "tickets_after_cancel" })
        #expect(late.verdict == .missed && late.remark.contains(Wareki.format(month)) && late.remark.hasSuffix("— R-PT-4"), "\(late.remark)")
        // Recorded late with `madoguchi tickets` / F7 (R-PT-2 amended): right.
        _ = try play.store.issueTickets(PaperTicket(kind: .medical, institution: "さくら内科医院", month: month), on: c.number,
                                        operatorID: play.clerk.id, now: play.now)
        let point = try #require(play.grade(s).points.first { $0.expectation == "tickets_after_cancel" })
        #expect(point.verdict == .right, "\(point.remark)")
    }

    @Test("A scenario file's new server fields are checked: the file, the line and what is wrong")
    func brokenFields() throws {
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-branches-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let late = try String(contentsOf: root.appendingPathComponent("config/training/scenarios/13-late-result.toml"), encoding: .utf8)
        let again = try String(contentsOf: root.appendingPathComponent("config/training/scenarios/12-reregistered.toml"), encoding: .utf8)
        let insured = try String(contentsOf: root.appendingPathComponent("config/training/scenarios/14-insured-never-applied.toml"), encoding: .utf8)
        let cases: [(String, String, String)] = [
            (late.replacingOccurrences(of: "result_after_days = 4", with: "result_after_days = 40"), "result_after_days", "0〜27"),
            (again.replacingOccurrences(of: "reregisters_on = \"2027-01-14\"", with: ""), "reregistration_recorded", "reregisters_on"),
            (again.replacingOccurrences(of: "reregisters_on = \"2027-01-14\"", with: "reregisters_on = \"1月14日\""), "reregisters_on", "日付"),
            (insured.replacingOccurrences(of: "days_after_followup = 10", with: ""), "days_after_followup", "0 以上の整数"),
        ]
        for (i, (text, key, words)) in cases.enumerated() {
            let url = dir.appendingPathComponent("0\(i)-broken.toml")
            try text.write(to: url, atomically: true, encoding: .utf8)
            let e = try #require(throws: ConfigError.self) { try TrainingScenario.load(from: url) }
            #expect(e.message.contains(key) && e.message.contains(words), "\(e.message)")
            #expect(e.file == url.path)
            if key != "days_after_followup" { #expect(e.line != nil, "\(key): \(e.message)") }
        }
    }
}
