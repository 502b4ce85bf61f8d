import Foundation
import Testing
@testable import MadoguchiCore

/// Paper tickets recorded after intake (R-PT-2 amended 2026-11-30) and the monthly reminders that
/// follow them, through a cancel #5 (R-PT-4, R-HC-3 amended) until a re-registration.
@Suite(.tags(.unit))
struct LaterTicketsTests {
    static func day(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }
    /// 10:00 in Japan on that day.
    static func at(_ y: Int, _ m: Int, _ d: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(day(y, m, d).dayNumber * 86_400 + (10 - 9) * 3600))
    }
    static func month(_ y: Int, _ m: Int) -> YearMonth { YearMonth(year: y, month: m)! }

    static func store() throws -> (CaseStore, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-later-tickets")
            .appendingPathComponent(UUID().uuidString).appendingPathComponent("journal.jsonl")
        let s = CaseStore(journalURL: url)
        try s.load()
        return (s, url)
    }

    /// An assistance-only case received on 2026-11-24; `holdsTickets` with November's clinic ticket.
    static func received(_ store: CaseStore, holdsTickets: Bool = false) throws -> CaseRecord {
        let app = Application(
            applicant: .init(furigana: "サトウ\u{3000}ハナ", name: "佐藤\u{3000}花", birthDate: day(1950, 3, 3),
                             postalCode: "1000001", prefecture: "東京都", municipality: "千代田区", address: "千代田1-1",
                             phone: "03-0000-0000", email: ""),
            recipientNumber: "1234566", serverIndividualNumber: "1234567890123456", proxy: nil,
            requestTicked: true, signedFormReceived: true, reason: "", applicationDate: day(2026, 11, 24),
            branch: .assistanceOnly, insurance: nil, holdsValidTickets: holdsTickets, explained: ["a", "b", "c", "d", "e", "f"])
        return try store.receive(app, ticketsIssuedNow: holdsTickets ? [PaperTicket(kind: .medical, institution: "デモ内科クリニック", month: month(2026, 11))] : [],
                                 operatorID: "yamada", now: at(2026, 11, 24))
    }

    /// Exported, registered on 11/26, then a cancel notice #5 dated 12/3 (R-HC-1 #5).
    static func cancelledByServer(_ store: CaseStore, _ c: CaseRecord) throws {
        try store.record(.exported(file: "F.csv"), on: c.number, operatorID: "yamada", now: at(2026, 11, 25))
        try store.record(.registrationAccepted(registeredOn: day(2026, 11, 26), file: nil), on: c.number, operatorID: "yamada", now: at(2026, 11, 26))
        try store.record(.cancelledByServer(noticeDate: day(2026, 12, 3), action: "本人に連絡し、カードの返納を確認"), on: c.number,
                         operatorID: "yamada", now: at(2026, 12, 3))
    }

    static func monthly(_ store: CaseStore, _ y: Int, _ m: Int, _ d: Int) -> [Reminder] {
        Reminders.due(in: store.book, today: day(y, m, d)).filter { $0.kind == .paperTicketsMonthly }
    }

    static let ctx = ValidationContext(today: day(2026, 12, 10), defaultEra: .reiwa)

    // MARK: The event and the fold

    @Test("R-PT-2: tickets recorded after intake are one tickets.issued line (occasion monthly), folded, and survive a reload")
    func recordedAfterIntakeAreJournaledAndFolded() throws {
        let (store, url) = try Self.store()
        let c = try Self.received(store, holdsTickets: true)
        let (ticket, problems) = LaterTickets.check(TicketDraft(kind: "dispensing", institution: " デモ薬局 ", month: "R8.12"), on: c, context: Self.ctx)
        #expect(problems.isEmpty)
        let t = try #require(ticket)
        #expect(t == PaperTicket(kind: .dispensing, institution: "デモ薬局", month: Self.month(2026, 12)))
        let after = try store.issueTickets(t, on: c.number, operatorID: "suzuki", now: Self.at(2026, 12, 10))
        #expect(after.ticketsIssued.count == 2 && after.ticketsIssued.last == t)
        #expect(after.intakeTicketCount == 1)   // a correction of the intake's rows never touches it (R-AM-1)

        let reloaded = CaseStore(journalURL: url)
        let loaded = try reloaded.load()
        let last = try #require(loaded.records.last)
        #expect(last.eventType == .ticketsIssued && last.caseNumber == c.number && last.operatorID == "suzuki")
        #expect(try last.data.decode(as: TicketsIssuedPayload.self) == TicketsIssuedPayload(tickets: [t], occasion: "monthly"))
        #expect(reloaded.book[c.number]?.ticketsIssued == after.ticketsIssued)
        #expect(reloaded.book[c.number]?.intakeTicketCount == 1)
        #expect(Journal.verify(url: url).ok)
    }

    @Test("R-PT-2, R-ID-4: each bad field is named; a duplicate or an ended case is refused; the journal is untouched")
    func refusalsWriteNothing() throws {
        let (store, url) = try Self.store()
        let c = try Self.received(store, holdsTickets: true)
        let before = FileManager.default.contents(atPath: url.path)
        func problems(_ kind: String, _ inst: String, _ month: String, on r: CaseRecord? = nil) -> [String] {
            LaterTickets.check(TicketDraft(kind: kind, institution: inst, month: month), on: r ?? c, context: Self.ctx).1.map(\.description)
        }
        #expect(problems("", "デモ内科", "R8.12") == ["紙の医療券・調剤券：種類（医療券・調剤券）を選んでください"])
        #expect(problems("medical", "", "R8.12") == ["紙の医療券・調剤券：医療機関・薬局名を入力してください"])
        let myNumber = problems("medical", "デモ内科 123456789012", "R8.12")
        #expect(myNumber.count == 1 && myNumber[0].contains("R-ID-4") && !myNumber[0].contains("123456789012"))
        #expect(problems("medical", "デモ内科", "") == ["紙の医療券・調剤券：何月分かを入力してください（例 令和8年12月）"])
        #expect(problems("medical", "デモ内科", "13月").first?.hasPrefix("紙の医療券・調剤券の月：") == true)
        // November's clinic ticket was recorded at intake.
        #expect(problems("medical", "デモ内科クリニック", "2026-11") == ["紙の医療券・調剤券：令和8年11月分の医療券（デモ内科クリニック）は交付済みとして記録されています"])
        let dup = PaperTicket(kind: .medical, institution: "デモ内科クリニック", month: Self.month(2026, 11))
        #expect(throws: CaseError.self) { try store.issueTickets(dup, on: c.number, operatorID: "yamada", now: Self.at(2026, 12, 1)) }
        #expect(throws: CaseError.noSuchCase("2026-9999")) {
            try store.issueTickets(PaperTicket(kind: .medical, institution: "X", month: Self.month(2026, 12)), on: "2026-9999", operatorID: "yamada", now: Self.at(2026, 12, 1))
        }
        #expect(FileManager.default.contents(atPath: url.path) == before)

        // Withdrawn (取下げ): no tickets to record; nor after a transfer out (the new office issues them, R-PT-3).
        try store.record(.withdrawn(reason: "本人の希望", on: Self.day(2026, 12, 2)), on: c.number, operatorID: "yamada", now: Self.at(2026, 12, 2))
        let ended = store.book[c.number]!
        #expect(problems("medical", "デモ内科", "R8.12", on: ended).first?.contains("取下げ") == true)
        let written = FileManager.default.contents(atPath: url.path)
        #expect(throws: CaseError.self) {
            try store.issueTickets(PaperTicket(kind: .medical, institution: "デモ内科", month: Self.month(2026, 12)), on: c.number, operatorID: "yamada", now: Self.at(2026, 12, 3))
        }
        #expect(FileManager.default.contents(atPath: url.path) == written)
    }

    // MARK: Reminders

    @Test("R-PT-2 (amended): no valid tickets at intake, a clinic's ticket recorded later → that clinic is reminded the next month")
    func laterTicketsStartTheMonthlyReminder() throws {
        let (store, _) = try Self.store()
        let c = try Self.received(store)
        #expect(Self.monthly(store, 2027, 1, 4).isEmpty)   // nothing recorded, the card still usable: nothing to remind
        try store.issueTickets(PaperTicket(kind: .medical, institution: "あおば眼科", month: Self.month(2026, 12)), on: c.number,
                               operatorID: "yamada", now: Self.at(2026, 12, 10))
        #expect(Self.monthly(store, 2026, 12, 10).isEmpty)   // December is covered
        let jan = Self.monthly(store, 2027, 1, 4)
        #expect(jan.map(\.id) == ["paper_tickets_monthly:\(c.number):2027-01:1"])
        #expect(jan.first?.message == "令和9年1月分の紙の医療券を交付してください（あおば眼科）— R-PT-2")
    }

    @Test("R-PT-4, R-HC-3 (amended): after a cancel #5 the monthly reminders continue per institution, until a re-registration")
    func remindersContinueAfterCancelFive() throws {
        let (store, _) = try Self.store()
        let c = try Self.received(store, holdsTickets: true)
        try Self.cancelledByServer(store, c)
        #expect(store.book[c.number]?.status == .cancelledByServer)
        // Before #5 (November's tickets at intake) and after it, month after month.
        #expect(Self.monthly(store, 2026, 12, 4).map(\.id) == ["paper_tickets_monthly:\(c.number):2026-12:1"])
        #expect(Self.monthly(store, 2027, 3, 1).map(\.id) == ["paper_tickets_monthly:\(c.number):2027-03:1"])
        // Tickets can be recorded on the #5 case (F7, `madoguchi tickets`), and answer their month.
        try store.issueTickets(PaperTicket(kind: .dispensing, institution: "デモ薬局", month: Self.month(2026, 12)), on: c.number,
                               operatorID: "yamada", now: Self.at(2026, 12, 4))
        #expect(Self.monthly(store, 2026, 12, 4).map(\.id) == ["paper_tickets_monthly:\(c.number):2026-12:1"])
        #expect(Self.monthly(store, 2027, 1, 4).map(\.id) == ["paper_tickets_monthly:\(c.number):2027-01:1", "paper_tickets_monthly:\(c.number):2027-01:2"])
        // The person registers a card again (R-PT-2): January still listed, nothing from February.
        try store.record(.reregistered(on: Self.day(2027, 1, 15)), on: c.number, operatorID: "yamada", now: Self.at(2027, 1, 15))
        #expect(Self.monthly(store, 2027, 1, 20).count == 2)
        #expect(Self.monthly(store, 2027, 2, 1).isEmpty)
    }

    @Test("R-PT-2 (amended): no tickets ever recorded → a reminder after the cancellation (confirmed or #5), not before")
    func noTicketsStillRemindedAfterTheCancellation() throws {
        let (store, _) = try Self.store()
        let confirmed = try Self.received(store)
        try store.record(.exported(file: "F.csv"), on: confirmed.number, operatorID: "yamada", now: Self.at(2026, 11, 25))
        try store.record(.registrationAccepted(registeredOn: Self.day(2026, 11, 26), file: nil), on: confirmed.number, operatorID: "yamada", now: Self.at(2026, 11, 26))
        let five = try Self.received(store)
        try Self.cancelledByServer(store, five)
        // Registered, cancellation pending: the card still works, no reminder for the one without tickets.
        #expect(Self.monthly(store, 2026, 12, 4).map(\.caseNumber) == [five.number])
        try store.record(.confirmed(cancelledOn: Self.day(2026, 12, 31), file: nil), on: confirmed.number, operatorID: "yamada", now: Self.at(2027, 1, 10))
        // December was before the cancellation on 12/31; January needs paper tickets.
        #expect(Reminders.due(in: store.book, today: Self.day(2027, 1, 10), month: Self.month(2026, 12))
            .filter { $0.kind == .paperTicketsMonthly }.map(\.caseNumber) == [five.number])
        let jan = Self.monthly(store, 2027, 1, 10)
        #expect(Set(jan.map(\.id)) == ["paper_tickets_monthly:\(confirmed.number):2027-01:0", "paper_tickets_monthly:\(five.number):2027-01:0"])
        #expect(jan.allSatisfy { $0.message.contains("令和9年1月分から受診には紙の医療券・調剤券が必要です") && $0.message.hasSuffix("— R-PT-2, R-PT-4") })
        #expect(jan.first { $0.caseNumber == five.number }?.message.hasPrefix("取消（#5）の通知を受けました") == true)
        // Marking it done is possible (the id names its month); recording a clinic replaces it by the clinic's.
        try store.markReminderDone("paper_tickets_monthly:\(five.number):2027-01:0", note: "受診予定なし", operatorID: "yamada", now: Self.at(2027, 1, 10))
        #expect(Self.monthly(store, 2027, 1, 10).map(\.caseNumber) == [confirmed.number])
        try store.issueTickets(PaperTicket(kind: .medical, institution: "みどり病院", month: Self.month(2027, 1)), on: confirmed.number,
                               operatorID: "yamada", now: Self.at(2027, 1, 11))
        #expect(Self.monthly(store, 2027, 1, 11).isEmpty)
        #expect(Self.monthly(store, 2027, 2, 1).map(\.id).sorted()
                == ["paper_tickets_monthly:\(confirmed.number):2027-02:1", "paper_tickets_monthly:\(five.number):2027-02:0"].sorted())
    }
}
