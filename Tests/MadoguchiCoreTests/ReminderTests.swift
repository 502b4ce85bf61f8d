import Foundation
import Testing
import TOMLKit
@testable import MadoguchiCore

// MARK: Helpers (prefixed `reminder`)

private func reminderStore() throws -> (CaseStore, URL) {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("madoguchi-reminder-tests")
        .appendingPathComponent(UUID().uuidString)
        .appendingPathComponent("journal.jsonl")
    let store = CaseStore(journalURL: url)
    try store.load()
    return (store, url)
}

private func reminderDay(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

/// 10:00 in Japan on that day: the fixed clock of these tests.
private func reminderAt(_ y: Int, _ m: Int, _ d: Int) -> Date {
    Date(timeIntervalSince1970: TimeInterval(reminderDay(y, m, d).dayNumber * 86_400 + (10 - 9) * 3600))
}

private func reminderMonth(_ y: Int, _ m: Int) -> YearMonth { YearMonth(year: y, month: m)! }

private func reminderApplication(_ branch: Branch = .assistanceOnly, name: String = "佐藤\u{3000}花", serverNumber: String? = "1234567890123456",
                                 holdsTickets: Bool = false, toldToApply: Bool = false) -> Application {
    Application(
        applicant: .init(furigana: "サトウ\u{3000}ハナ", name: name, birthDate: reminderDay(1950, 3, 3),
                         postalCode: "1000001", prefecture: "東京都", municipality: "千代田区", address: "千代田1-1",
                         phone: "03-0000-0000", email: ""),
        // Insured cases carry the 枝番 too: the monthly status file is matched by it (DOMAIN.md §9).
        recipientNumber: "1234566", serverIndividualNumber: serverNumber, proxy: nil,
        requestTicked: true, signedFormReceived: true, reason: "", applicationDate: reminderDay(2026, 11, 24),
        branch: branch,
        insurance: branch == .insured ? .init(insurerName: "協会けんぽ", insurerNumber: "01130012",
                                              appliedToInsurer: toldToApply ? .toldToApply : .applied, verifiedBy: .eligibilityCertificate) : nil,
        holdsValidTickets: holdsTickets, explained: ["a", "b", "c", "d", "e", "f"])
}

private let reminderClinic = "デモ内科クリニック"
private let reminderPharmacy = "デモ薬局"

/// A case received on 2026-11-24 with November's paper tickets for a clinic and a pharmacy.
private func reminderTicketCase(_ store: CaseStore, _ branch: Branch = .assistanceOnly) throws -> CaseRecord {
    try store.receive(reminderApplication(branch, holdsTickets: true),
                      ticketsIssuedNow: [PaperTicket(kind: .medical, institution: reminderClinic, month: reminderMonth(2026, 11)),
                                         PaperTicket(kind: .dispensing, institution: reminderPharmacy, month: reminderMonth(2026, 11))],
                      operatorID: "yamada", now: reminderAt(2026, 11, 24))
}

/// Exports cases into a bulk file on a given day, as `exportRegistrations` journals it.
private func reminderExport(_ store: CaseStore, _ numbers: [String], file: String, on now: Date) throws {
    try store.commit(operatorID: "yamada", now: now) { _ in
        let record = EventDraft(caseNumber: FileEvent.officeCase, type: EventType.fileRecorded,
                                data: try JSONValue(encoding: FileEvent.Payload(kind: .registrationExport, fileName: file, sha256: String(repeating: "0", count: 64),
                                                                                 cases: numbers, rows: numbers.count)),
                                operatorID: "yamada", time: now)
        return (numbers.map { ($0, LifecycleEvent.exported(file: file)) }, [record], ())
    }
}

private func reminderDue(_ store: CaseStore, _ y: Int, _ m: Int, _ d: Int, month: YearMonth? = nil,
                         settings: ReminderSettings = .default) -> [Reminder] {
    Reminders.due(in: store.book, today: reminderDay(y, m, d), month: month, settings: settings)
}

private func reminderIDs(_ list: [Reminder], _ kind: Reminder.Kind) -> [String] {
    list.filter { $0.kind == kind }.map(\.id)
}

private func reminderBytes(_ url: URL) -> Data { FileManager.default.contents(atPath: url.path) ?? Data() }

// MARK: R-PT-2 and R-PT-1

@Test(.tags(.unit)) func reminderMonthlyTicketsBecomeANewOccurrenceAtTheMonthEnd() throws {
    let (store, _) = try reminderStore()
    let c = try reminderTicketCase(store)
    // November is covered by the tickets issued at intake.
    #expect(reminderIDs(reminderDue(store, 2026, 11, 30), .paperTicketsMonthly).isEmpty)
    // The next day is December: one reminder per institution, new ids.
    let dec = reminderDue(store, 2026, 12, 1).filter { $0.kind == .paperTicketsMonthly }
    #expect(dec.map(\.id) == ["paper_tickets_monthly:\(c.number):2026-12:1", "paper_tickets_monthly:\(c.number):2026-12:2"])
    #expect(dec[0].message == "令和8年12月分の紙の医療券を交付してください（デモ内科クリニック）— R-PT-2")
    #expect(dec[1].message == "令和8年12月分の紙の調剤券を交付してください（デモ薬局）— R-PT-2")
    #expect(dec[0].rule == "R-PT-2" && dec[0].due == reminderDay(2026, 12, 1) && dec[0].caseNumber == c.number)
    // --month: December's list can be seen on 30 November.
    #expect(reminderIDs(reminderDue(store, 2026, 11, 30, month: reminderMonth(2026, 12)), .paperTicketsMonthly) == dec.map(\.id))
    // No reminder for months before the case was received.
    #expect(reminderIDs(reminderDue(store, 2026, 11, 30, month: reminderMonth(2026, 10)), .paperTicketsMonthly).isEmpty)
}

@Test(.tags(.unit)) func reminderMonthlyTicketsHoldWhileCancelledOrPendingAndStopWhenTheCaseEnds() throws {
    let (store, _) = try reminderStore()
    let insured = try reminderTicketCase(store, .insured)             // waiting for the insurer
    let confirmed = try reminderTicketCase(store)
    try store.record(.exported(file: "F.csv"), on: confirmed.number, operatorID: "yamada", now: reminderAt(2026, 11, 25))
    try store.record(.registrationAccepted(registeredOn: reminderDay(2026, 11, 26), file: nil), on: confirmed.number, operatorID: "yamada", now: reminderAt(2026, 11, 26))
    try store.record(.confirmed(cancelledOn: reminderDay(2026, 12, 31), file: nil), on: confirmed.number, operatorID: "yamada", now: reminderAt(2027, 1, 10))
    let withdrawn = try reminderTicketCase(store)
    try store.record(.withdrawn(reason: "本人の希望", on: reminderDay(2026, 12, 2)), on: withdrawn.number, operatorID: "yamada", now: reminderAt(2026, 12, 2))
    let moved = try reminderTicketCase(store)
    try store.record(.transferredOut(office: "隣市福祉事務所", on: reminderDay(2026, 12, 2)), on: moved.number, operatorID: "yamada", now: reminderAt(2026, 12, 2))

    let feb = reminderDue(store, 2027, 2, 1).filter { $0.kind == .paperTicketsMonthly }
    // Confirmed (cancelled) cases need paper tickets every month: no re-registration event exists.
    #expect(Set(feb.compactMap(\.caseNumber)) == [insured.number, confirmed.number])
    #expect(feb.allSatisfy { $0.id.contains(":2027-02:") })
}

@Test(.tags(.unit)) func reminderTicketsRecordedForTheMonthClearTheReminder() throws {
    // A `tickets.issued` line for December at the clinic (occasion monthly) answers that reminder only.
    var book = CaseBook()
    let app = reminderApplication(holdsTickets: true)
    try book.apply(JournalRecord(seq: 1, time: "2026-11-24T10:00:00+09:00", operatorID: "yamada", caseNumber: "2026-0001",
                                 type: EventType.received,
                                 data: try JSONValue(encoding: ReceivedPayload(application: app, status: .awaitingRegistration)),
                                 prev: "", hash: "", lineNumber: 1))
    // R-PT-1: valid tickets held, none recorded (a journal from another path; `receive` refuses this).
    let intake = Reminders.due(in: book, today: reminderDay(2026, 11, 24)).filter { $0.kind == .paperTicketsAtIntake }
    #expect(intake.map(\.id) == ["paper_tickets_intake:2026-0001"])
    #expect(intake.first?.message.hasSuffix("— R-PT-1") == true)

    let tickets = [PaperTicket(kind: .medical, institution: reminderClinic, month: reminderMonth(2026, 11)),
                   PaperTicket(kind: .dispensing, institution: reminderPharmacy, month: reminderMonth(2026, 11)),
                   PaperTicket(kind: .medical, institution: reminderClinic, month: reminderMonth(2026, 12))]
    try book.apply(JournalRecord(seq: 2, time: "2026-11-24T10:00:00+09:00", operatorID: "yamada", caseNumber: "2026-0001",
                                 type: EventType.ticketsIssued,
                                 data: try JSONValue(encoding: TicketsIssuedPayload(tickets: tickets, occasion: "monthly")),
                                 prev: "", hash: "", lineNumber: 2))
    let dec = Reminders.due(in: book, today: reminderDay(2026, 12, 1))
    #expect(reminderIDs(dec, .paperTicketsAtIntake).isEmpty)
    #expect(reminderIDs(dec, .paperTicketsMonthly) == ["paper_tickets_monthly:2026-0001:2026-12:2"])
}

// MARK: Done marks

@Test(.tags(.unit)) func reminderDoneHidesOnlyItsOwnOccurrenceAndIsJournaled() throws {
    let (store, url) = try reminderStore()
    let c = try reminderTicketCase(store)
    let clinicDec = "paper_tickets_monthly:\(c.number):2026-12:1"
    let r = try store.markReminderDone(clinicDec, note: "12月分を交付", operatorID: "yamada", now: reminderAt(2026, 12, 1))
    #expect(r.kind == .paperTicketsMonthly)

    #expect(reminderIDs(reminderDue(store, 2026, 12, 1), .paperTicketsMonthly) == ["paper_tickets_monthly:\(c.number):2026-12:2"])
    // January is a new occurrence for both institutions.
    #expect(reminderIDs(reminderDue(store, 2027, 1, 4), .paperTicketsMonthly)
            == ["paper_tickets_monthly:\(c.number):2027-01:1", "paper_tickets_monthly:\(c.number):2027-01:2"])
    // Still listed by `all`, for the record.
    #expect(Reminders.all(in: store.book, today: reminderDay(2026, 12, 1)).contains { $0.id == clinicDec })

    // The journal line: on the case, type reminder.done, data {id, note}, the operator and the time.
    let reloaded = CaseStore(journalURL: url)
    let loaded = try reloaded.load()
    let last = try #require(loaded.records.last)
    #expect(last.eventType == .reminderDone && last.caseNumber == c.number && last.operatorID == "yamada")
    #expect(last.time == "2026-12-01T10:00:00+09:00")
    #expect(last.data["id"]?.stringValue == clinicDec && last.data["note"]?.stringValue == "12月分を交付")
    #expect(reloaded.book.doneReminders[clinicDec] != nil)
    #expect(reloaded.book[c.number]?.history.last?.eventType == .reminderDone)
    #expect(reminderIDs(Reminders.due(in: reloaded.book, today: reminderDay(2026, 12, 1)), .paperTicketsMonthly).count == 1)
    #expect(Journal.verify(url: url).ok)
}

@Test(.tags(.unit)) func reminderDoneRefusesUnknownAndRepeatedIdsWithoutWriting() throws {
    let (store, url) = try reminderStore()
    let c = try reminderTicketCase(store)
    let before = reminderBytes(url)
    #expect(throws: ReminderError.unknown("no_such:1")) {
        try store.markReminderDone("no_such:1", note: "", operatorID: "yamada", now: reminderAt(2026, 12, 1))
    }
    // November's tickets were issued at intake: there is no November reminder to mark.
    #expect(throws: ReminderError.unknown("paper_tickets_monthly:\(c.number):2026-11:1")) {
        try store.markReminderDone("paper_tickets_monthly:\(c.number):2026-11:1", note: "", operatorID: "yamada", now: reminderAt(2026, 12, 1))
    }
    #expect(reminderBytes(url) == before)

    // Tickets issued ahead: December can be marked done on 28 November (the id names its month).
    let id = "paper_tickets_monthly:\(c.number):2026-12:2"
    try store.markReminderDone(id, note: "", operatorID: "yamada", now: reminderAt(2026, 11, 28))
    let afterFirst = reminderBytes(url)
    do {
        try store.markReminderDone(id, note: "", operatorID: "suzuki", now: reminderAt(2026, 12, 1))
        Issue.record("a second done mark was accepted")
    } catch let e as ReminderError {
        #expect(e == .alreadyDone(id: id, time: "2026-11-28T10:00:00+09:00", operatorID: "yamada"))
        #expect(e.description.contains("yamada"))
    }
    #expect(reminderBytes(url) == afterFirst)
}

@Test(.tags(.unit)) func reminderQueriesLeaveTheJournalUntouched() throws {
    let (store, url) = try reminderStore()
    _ = try reminderTicketCase(store)
    _ = try store.receive(reminderApplication(serverNumber: nil), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 25))
    let before = reminderBytes(url)
    let a = reminderDue(store, 2026, 12, 1)
    let b = reminderDue(store, 2026, 12, 1)
    _ = Reminders.all(in: store.book, today: reminderDay(2027, 3, 1), month: reminderMonth(2027, 5))
    #expect(a == b && !a.isEmpty)
    #expect(reminderBytes(url) == before)
    #expect(store.knownCount == 3)
}

// MARK: Registration (R-RG-2, R-DT-1, R-RG-4, R-RG-5)

@Test(.tags(.unit)) func reminderInsuredWithoutServerNumberCannotBeConfirmed() throws {
    let (store, _) = try reminderStore()
    let insured = try store.receive(reminderApplication(.insured, serverNumber: nil), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 24))
    let missing = reminderDue(store, 2026, 11, 30).filter { $0.kind == .serverNumberMissing }
    #expect(missing.map(\.caseNumber) == [insured.number])
    #expect(missing.first?.message.contains("月次の状況一覧") == true && missing.first?.rule == "R-RG-2")
    try store.record(.serverNumberSet("6543210987654321"), on: insured.number, operatorID: "yamada", now: reminderAt(2026, 11, 30))
    #expect(reminderIDs(reminderDue(store, 2026, 11, 30), .serverNumberMissing).isEmpty)
}

@Test(.tags(.unit)) func reminderRegistrationToSendSaysTheDeadlineOldestFirst() throws {
    let (store, _) = try reminderStore()
    let first = try store.receive(reminderApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 24))
    let second = try store.receive(reminderApplication(name: "鈴木\u{3000}一郎", serverNumber: nil), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 26))
    _ = try store.receive(reminderApplication(.insured), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 26))

    let nov = reminderDue(store, 2026, 11, 30).filter { $0.kind == .registrationToSend }
    #expect(nov.map(\.caseNumber) == [first.number, second.number])   // oldest first; never the insured case (R-BR-3)
    #expect(nov[0].message.contains("令和8年11月30日までに登録すれば、令和8年12月31日に解除されます"))
    #expect(nov[0].due == reminderDay(2026, 11, 30))
    let dec = reminderDue(store, 2026, 12, 1).filter { $0.kind == .registrationToSend }
    #expect(dec[0].message.contains("令和8年12月31日までに登録すれば、令和9年1月31日に解除されます"))
    #expect(dec.map(\.id) == nov.map(\.id))   // the same occurrence across the month end

    let missing = reminderDue(store, 2026, 11, 30).filter { $0.kind == .serverNumberMissing }
    #expect(missing.map(\.caseNumber) == [second.number] && missing[0].rule == "R-RG-2")
    try store.record(.serverNumberSet("6543210987654321"), on: second.number, operatorID: "yamada", now: reminderAt(2026, 11, 30))
    #expect(reminderIDs(reminderDue(store, 2026, 11, 30), .serverNumberMissing).isEmpty)
}

@Test(.tags(.unit)) func reminderResultsToImportAppearAfterExactlyNDays() throws {
    let (store, _) = try reminderStore()
    let a = try store.receive(reminderApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 20))
    let b = try store.receive(reminderApplication(name: "鈴木\u{3000}一郎", serverNumber: "6543210987654321"), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 20))
    try reminderExport(store, [a.number, b.number], file: "FI_HIM_0018_D1300019_20261123.csv", on: reminderAt(2026, 11, 23))
    #expect(reminderIDs(reminderDue(store, 2026, 11, 23), .registrationToSend).isEmpty)

    #expect(reminderIDs(reminderDue(store, 2026, 11, 29), .resultsToImport).isEmpty)
    let due = reminderDue(store, 2026, 11, 30).filter { $0.kind == .resultsToImport }
    #expect(due.map(\.id) == ["results_to_import:FI_HIM_0018_D1300019_20261123.csv"])
    #expect(due[0].due == reminderDay(2026, 11, 30) && due[0].caseNumber == nil)
    #expect(due[0].message.contains("結果待ち 2件：\(a.number), \(b.number)") && due[0].message.hasSuffix("— R-RG-4"))
    // N from config.
    #expect(reminderIDs(reminderDue(store, 2026, 11, 25, settings: ReminderSettings(resultsAfterDays: 3)), .resultsToImport).isEmpty)
    #expect(reminderIDs(reminderDue(store, 2026, 11, 26, settings: ReminderSettings(resultsAfterDays: 3)), .resultsToImport).count == 1)

    // One result in: the other still waits; both in: gone.
    try store.record(.registrationAccepted(registeredOn: reminderDay(2026, 12, 1), file: "r.csv"), on: a.number, operatorID: "yamada", now: reminderAt(2026, 12, 1))
    let still = reminderDue(store, 2026, 12, 1).filter { $0.kind == .resultsToImport }
    #expect(still.first?.caseNumber == b.number && still.first?.message.contains("結果待ち 1件") == true)
    try store.record(.registrationFailed(message: "被保険者枝番に誤りがあります", file: "r.csv"), on: b.number, operatorID: "yamada", now: reminderAt(2026, 12, 1))
    #expect(reminderIDs(reminderDue(store, 2026, 12, 1), .resultsToImport).isEmpty)
}

@Test(.tags(.unit)) func reminderRegistrationFailedCarriesTheMessageAndEachFailureIsItsOwnOccurrence() throws {
    let (store, _) = try reminderStore()
    let c = try store.receive(reminderApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 20))
    try reminderExport(store, [c.number], file: "F1.csv", on: reminderAt(2026, 11, 21))
    try store.record(.registrationFailed(message: "被保険者枝番に誤りがあります", file: "r1.csv"), on: c.number, operatorID: "yamada", now: reminderAt(2026, 11, 22))
    let first = try #require(reminderDue(store, 2026, 11, 22).first { $0.kind == .registrationFailed })
    #expect(first.message == "登録エラー（異常終了）：被保険者枝番に誤りがあります。原因を直して登録し直してください — R-RG-5")
    try store.markReminderDone(first.id, note: "枝番を確認中", operatorID: "yamada", now: reminderAt(2026, 11, 22))
    #expect(reminderIDs(reminderDue(store, 2026, 11, 22), .registrationFailed).isEmpty)

    try store.record(.requeued(note: "枝番を直した"), on: c.number, operatorID: "yamada", now: reminderAt(2026, 11, 24))
    try reminderExport(store, [c.number], file: "F2.csv", on: reminderAt(2026, 11, 25))
    try store.record(.registrationFailed(message: "資格情報がありません", file: "r2.csv"), on: c.number, operatorID: "yamada", now: reminderAt(2026, 11, 26))
    let second = reminderDue(store, 2026, 11, 26).filter { $0.kind == .registrationFailed }
    #expect(second.count == 1 && second[0].id != first.id && second[0].message.contains("資格情報がありません"))
}

// MARK: R-CF-1, R-HC-2, R-BR-4

@Test(.tags(.unit)) func reminderConfirmationIsLateTheDayAfterTheExpectedDate() throws {
    let (store, _) = try reminderStore()
    let c = try store.receive(reminderApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 20))
    try reminderExport(store, [c.number], file: "F.csv", on: reminderAt(2026, 11, 21))
    try store.record(.registrationAccepted(registeredOn: reminderDay(2026, 11, 25), file: "r.csv"), on: c.number, operatorID: "yamada", now: reminderAt(2026, 11, 25))
    #expect(reminderIDs(reminderDue(store, 2026, 12, 31), .confirmationLate).isEmpty)
    let late = reminderDue(store, 2027, 1, 1).filter { $0.kind == .confirmationLate }
    #expect(late.map(\.id) == ["confirmation_late:\(c.number):2026-12-31"])
    #expect(late[0].due == reminderDay(2026, 12, 31) && late[0].message.contains("令和8年12月31日") && late[0].rule == "R-CF-1")
    try store.record(.confirmed(cancelledOn: reminderDay(2026, 12, 31), file: "s.csv"), on: c.number, operatorID: "yamada", now: reminderAt(2027, 1, 10))
    #expect(reminderIDs(reminderDue(store, 2027, 1, 10), .confirmationLate).isEmpty)
}

@Test(.tags(.unit)) func reminderHoldRecheckIsDueOnItsDateAndPersistentHoldsAreFlagged() throws {
    let (store, _) = try reminderStore()
    let c = try store.receive(reminderApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 20))
    try reminderExport(store, [c.number], file: "F.csv", on: reminderAt(2026, 11, 21))
    try store.record(.registrationAccepted(registeredOn: reminderDay(2026, 11, 25), file: "r.csv"), on: c.number, operatorID: "yamada", now: reminderAt(2026, 11, 25))
    try store.record(.held(reason: .misEntrySuspected, noticeDate: reminderDay(2026, 12, 31)), on: c.number, operatorID: "yamada", now: reminderAt(2027, 1, 4))
    // Re-checked at the next month-end, 2027-01-31 (R-HC-2).
    #expect(reminderIDs(reminderDue(store, 2027, 1, 30), .holdRecheck).isEmpty)
    let due = reminderDue(store, 2027, 1, 31).filter { $0.kind == .holdRecheck }
    #expect(due.map(\.id) == ["hold_recheck:\(c.number):2027-01-31"])
    #expect(!due[0].message.contains("保留が続いています"))
    // The hold moved the expected date to 2027-01-31: not late on that day.
    #expect(reminderIDs(reminderDue(store, 2027, 1, 31), .confirmationLate).isEmpty)

    try store.record(.held(reason: .misEntrySuspected, noticeDate: reminderDay(2027, 1, 31)), on: c.number, operatorID: "yamada", now: reminderAt(2027, 2, 2))
    try store.record(.held(reason: .misEntryPending, noticeDate: reminderDay(2027, 2, 28)), on: c.number, operatorID: "yamada", now: reminderAt(2027, 3, 2))
    // Three in a row: flagged at once, before the next re-check date (2027-03-31).
    let persistent = reminderDue(store, 2027, 3, 2).filter { $0.kind == .holdRecheck }
    #expect(persistent.map(\.id) == ["hold_recheck:\(c.number):2027-03-31"])
    #expect(persistent[0].message.contains("保留が続いています（3回）") && persistent[0].message.hasSuffix("— R-HC-2"))
}

@Test(.tags(.unit)) func reminderInsuredToldToApplyIsRemindedUntilDone() throws {
    let (store, _) = try reminderStore()
    let told = try store.receive(reminderApplication(.insured, toldToApply: true), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 24))
    _ = try store.receive(reminderApplication(.insured), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 24))
    let list = reminderDue(store, 2026, 11, 24).filter { $0.kind == .insurerNotApplied }
    #expect(list.map(\.caseNumber) == [told.number])
    #expect(list[0].message.contains("協会けんぽ") && list[0].rule == "R-BR-4")
    try store.markReminderDone(list[0].id, note: "本人が保険者に申請したと確認", operatorID: "yamada", now: reminderAt(2026, 11, 27))
    #expect(reminderIDs(reminderDue(store, 2026, 12, 1), .insurerNotApplied).isEmpty)
}

@Test(.tags(.unit)) func reminderListIsSortedByUrgencyThenOldestCase() throws {
    let (store, _) = try reminderStore()
    let a = try reminderTicketCase(store)                           // paper tickets, registration to send
    let b = try store.receive(reminderApplication(.insured, toldToApply: true), ticketsIssuedNow: [], operatorID: "yamada", now: reminderAt(2026, 11, 25))
    let list = reminderDue(store, 2026, 12, 1)
    #expect(list.map(\.kind) == [.paperTicketsMonthly, .paperTicketsMonthly, .registrationToSend, .insurerNotApplied])
    #expect(list.map(\.caseNumber) == [a.number, a.number, a.number, b.number])
}

// MARK: [reminders] settings

@Test(.tags(.unit)) func reminderSettingsParseAndNameTheLine() throws {
    func parse(_ text: String) throws -> ReminderSettings {
        try ReminderSettings.parse(try TOMLTable(string: text)["reminders"]?.table, text: text, fileLabel: "office.toml")
    }
    #expect(try parse("[office]\nname = \"x\"\n") == .default)
    #expect(ReminderSettings.default.resultsAfterDays == 7)
    #expect(try parse("[reminders]\nresults_after_days = 10\n").resultsAfterDays == 10)
    do {
        _ = try parse("[office]\nname = \"x\"\n\n[reminders]\nresults_after_days = 0\n")
        Issue.record("0 days accepted")
    } catch let e as ConfigError {
        #expect(e.file == "office.toml" && e.line == 5 && e.message.contains("1〜365"))
    }
    do {
        _ = try parse("[reminders]\nresults_after = 3\n")
        Issue.record("an unknown key accepted")
    } catch let e as ConfigError {
        #expect(e.line == 2 && e.message.contains("results_after は使えない設定です"))
    }
}
