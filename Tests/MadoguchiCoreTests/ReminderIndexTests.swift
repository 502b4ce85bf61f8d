import Foundation
import Testing
import MadoguchiBench
@testable import MadoguchiCore

/// Issue 14, P2: today's reminders and the store's "what changed" kept between appends. The
/// incremental answers must equal the ones computed from scratch, whatever happened.
@Suite("Reminder index and touched cases (issue 14)", .tags(.unit))
struct ReminderIndexTests {
    /// 令和8年11月24日 10:00 in Japan, the synthetic office's today.
    static let morning = Date(timeIntervalSince1970: TimeInterval(LocalDate(year: 2026, month: 11, day: 24)!.dayNumber * 86_400 + 3600))

    static func office() throws -> (URL, SyntheticOffice.Output, OfficeConfig, CaseStore) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-reminder-index-\(UUID().uuidString)")
        let out = try SyntheticOffice.generate(into: dir, size: .init(cases: 80, events: 700, statusRows: 120))
        let config = SyntheticOffice.office(dataDirectory: dir)
        let store = CaseStore(journalURL: out.journal)
        try store.load()
        return (dir, out, config, store)
    }

    /// One random change to the journal, through the store's own paths; false when it was refused.
    static func randomChange(_ store: CaseStore, _ out: SyntheticOffice.Output, _ config: OfficeConfig, now: Date,
                             index: ReminderIndex, rng: inout SeededRandom) -> Bool {
        let today = LocalDate(now)
        let cases = store.book.all
        let c = cases[Int.random(in: 0..<cases.count, using: &rng)]
        let digits = String((0..<16).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
        do {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                // A done mark on one of today's reminders (a case's or the office's).
                guard let r = index.due.randomElement(using: &rng) else { return false }
                try store.markReminderDone(r.id, note: "", operatorID: "yamada", now: now, settings: config.reminders)
            case 1:
                let month = [today.yearMonth, today.yearMonth.adding(months: 1)].randomElement(using: &rng)!
                try store.issueTickets(PaperTicket(kind: .medical, institution: ["あおば眼科", "みどり薬局"].randomElement(using: &rng)!,
                                                   month: month), on: c.number, operatorID: "yamada", now: now)
            case 2:
                // Another application like this one (a new case at the end of the book).
                _ = try store.receive(c.application, ticketsIssuedNow: Array(c.ticketsIssued.prefix(c.intakeTicketCount)),
                                      operatorID: "yamada", now: now)
            case 3:
                // A status file: many cases at once, and the certificates (R-RL-2).
                _ = try store.importStatus(out.statusFile, office: config, allowBadRows: true, operatorID: "yamada", now: now)
            default:
                let events: [LifecycleEvent] = [
                    .serverNumberSet(digits), .withdrawn(reason: "本人の申し出", on: today),
                    .transferredOut(office: "さくら市福祉事務所", on: today),
                    .held(reason: [NoticeReason.misEntrySuspected, .codeBeingObtained].randomElement(using: &rng)!, noticeDate: today),
                    .holdCleared(on: today), .cancelledByServer(noticeDate: today, action: "紙の医療券を交付"),
                    .confirmed(cancelledOn: today, file: nil), .registrationAccepted(registeredOn: today, file: nil),
                    .registrationFailed(message: "E999 テスト", file: nil), .requeued(note: "直しました"),
                    .reregistered(on: today), .registeredOnTerminal(on: today),
                ]
                try store.record(events.randomElement(using: &rng)!, on: c.number, operatorID: "yamada", now: now)
            }
            return true
        } catch {
            return false
        }
    }

    @Test("After random sequences of moves the kept reminders equal Reminders.due from scratch; a missed case shows")
    func incrementalEqualsFromScratch() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let (dir, out, config, store) = try Self.office()
            defer { try? FileManager.default.removeItem(at: dir) }
            var rng = SeededRandom(state: seed)
            let viewer = config.operators.first { $0.role == .supervisor }!
            var now = Self.morning
            func basis() -> ReminderIndex.Basis {
                .init(today: LocalDate(now), settings: config.reminders, viewer: viewer, operatorNames: config.operatorNames)
            }
            func scratch() -> [Reminder] {
                Reminders.due(in: store.book, today: LocalDate(now), settings: config.reminders, for: viewer,
                              operatorNames: config.operatorNames)
            }
            var index = ReminderIndex(store.book, basis: basis())
            #expect(index.due == scratch())
            // Never told what changed: shows that the comparison sees a case left out.
            var blind = index
            var blindWrong = false
            var changes = 0
            for step in 0..<120 {
                let before = store.knownCount
                guard Self.randomChange(store, out, config, now: now, index: index, rng: &rng) else { continue }
                changes += 1
                let touched = try #require(store.casesTouched(since: before))
                index.update(store.book, touched: touched, basis: basis())
                #expect(index.due == scratch(), "seed \(seed), step \(step)")
                blind.update(store.book, touched: [], basis: basis())
                if blind.due != scratch() { blindWrong = true }
                if step % 40 == 39 {
                    // A new day: everything again.
                    now += 86_400 * 9
                    index.update(store.book, touched: [], basis: basis())
                    #expect(index.due == scratch(), "seed \(seed), a new day")
                    blind = index
                }
            }
            #expect(changes > 40, "most random moves are refused: the test would prove little")
            #expect(blindWrong, "an index never told which cases changed stays right: the comparison cannot fail")
        }
    }

    @Test("every case's reminders computed in slices on several workers equal the one-worker order and Reminders.due")
    func slicesMergeToTheSameList() throws {
        let (dir, _, config, store) = try Self.office()
        defer { try? FileManager.default.removeItem(at: dir) }
        let today = LocalDate(year: 2026, month: 11, day: 24)!
        let basis = ReminderIndex.Basis(today: today, settings: config.reminders)
        let all = store.book.all
        let one = ReminderIndex.everyCase(all, done: store.book.doneReminders, basis: basis, month: today.yearMonth,
                                          casesPerSlice: all.count + 1, workers: 1)
        let many = ReminderIndex.everyCase(all, done: store.book.doneReminders, basis: basis, month: today.yearMonth,
                                           casesPerSlice: 7, workers: 8)
        #expect(!one.isEmpty)
        #expect(many.map(\.reminder.id) == one.map(\.reminder.id))
        #expect(ReminderIndex(store.book, basis: basis).due.map(\.id)
                == Reminders.due(in: store.book, today: today, settings: config.reminders).map(\.id))
    }

    @Test("Another settings or viewer recomputes everything")
    func basisChange() throws {
        let (dir, _, config, store) = try Self.office()
        defer { try? FileManager.default.removeItem(at: dir) }
        let today = LocalDate(Self.morning)
        var index = ReminderIndex(store.book, basis: .init(today: today))
        let other = ReminderSettings(resultsAfterDays: 1, insuredFollowupMonths: 1)
        let sato = config.operators.first { $0.role == .supervisor }!
        index.update(store.book, touched: [], basis: .init(today: today, settings: other, viewer: sato))
        #expect(index.due == Reminders.due(in: store.book, today: today, settings: other, for: sato))
        #expect(index.due != Reminders.due(in: store.book, today: today), "the settings change what is due")
    }

    @Test("casesTouched names the cases of the lines folded since a count: commits, new cases, another terminal's lines")
    func casesTouched() throws {
        let (dir, out, _, store) = try Self.office()
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = store.knownCount
        #expect(store.casesTouched(since: start) == [])
        #expect(store.casesTouched(since: start + 1) == nil, "a count from the future")
        #expect(store.casesTouched(since: start - 1) == nil, "from before the load: not known")
        let a = out.appendableCase
        try store.record(.serverNumberSet("1234567890123456"), on: a, operatorID: "yamada", now: Self.morning)
        #expect(store.casesTouched(since: start) == [a])
        let c = store.book.all[0]
        let made = try store.receive(c.application, ticketsIssuedNow: Array(c.ticketsIssued.prefix(c.intakeTicketCount)),
                                     operatorID: "yamada", now: Self.morning)
        #expect(store.casesTouched(since: start) == [a, made.number])
        let afterReceive = store.knownCount
        // Another terminal writes; the refresh folds it in.
        let other = CaseStore(journalURL: out.journal)
        try other.load()
        let b = store.book.all[1].number
        try other.issueTickets(PaperTicket(kind: .medical, institution: "あおば眼科", month: LocalDate(Self.morning).yearMonth),
                               on: b, operatorID: "suzuki", now: Self.morning)
        #expect(try store.refresh())
        #expect(store.casesTouched(since: afterReceive) == [b])
        #expect(store.casesTouched(since: start) == [a, made.number, b])
        // Lines folded by a load are not in the log: older counts are not known any more.
        try other.record(.serverNumberSet("2345678901234567"), on: a, operatorID: "suzuki", now: Self.morning)
        try store.load()
        #expect(store.casesTouched(since: start) == nil)
        #expect(store.casesTouched(since: afterReceive) == nil)
        #expect(store.casesTouched(since: store.knownCount) == [])
        // The next commit starts a new log from there.
        let afterLoad = store.knownCount
        try store.record(.serverNumberSet("3456789012345678"), on: a, operatorID: "yamada", now: Self.morning)
        #expect(store.casesTouched(since: afterLoad) == [a])
        #expect(store.casesTouched(since: start) == nil)
    }

    @Test("Reminders.find answers as the whole list does, for every id of the day and an unknown one")
    func findEqualsTheWholeList() throws {
        let (dir, out, config, store) = try Self.office()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try store.importStatus(out.statusFile, office: config, allowBadRows: true, operatorID: "yamada", now: Self.morning)
        let today = LocalDate(Self.morning)
        let all = Reminders.all(in: store.book, today: today, settings: config.reminders)
        #expect(Set(all.map(\.kind)).count > 3)
        for r in all {
            #expect(Reminders.find(r.id, in: store.book, today: today, settings: config.reminders) == r)
        }
        #expect(Reminders.find("paper_tickets_intake:2099-9999", in: store.book, today: today) == nil)
        #expect(Reminders.find("nonsense", in: store.book, today: today) == nil)
    }
}
