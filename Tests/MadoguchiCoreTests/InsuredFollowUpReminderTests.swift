import Foundation
import Testing
import TOMLKit
@testable import MadoguchiCore

// R-CF-4: insured (保険者の登録待ち) and transferred-in (転入) cases have no computable date, but are
// followed up after `[reminders] insured_followup_months` months without a confirming status row.

private func followDay(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

/// 10:00 in Japan on that day.
private func followAt(_ y: Int, _ m: Int, _ d: Int) -> Date {
    Date(timeIntervalSince1970: TimeInterval(followDay(y, m, d).dayNumber * 86_400 + 3600))
}

private func followStore() throws -> CaseStore {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-followup-tests")
        .appendingPathComponent(UUID().uuidString).appendingPathComponent("journal.jsonl")
    let store = CaseStore(journalURL: url)
    try store.load()
    return store
}

/// A case received on 2026-11-24: insured, transferred in from another office, or assistance-only.
private func followCase(_ store: CaseStore, _ branch: Branch, transferredFrom: String? = nil) throws -> CaseRecord {
    let app = Application(
        applicant: .init(furigana: "スズキ\u{3000}ジロウ", name: "鈴木\u{3000}次郎", birthDate: followDay(1955, 5, 5),
                         postalCode: "1000001", prefecture: "東京都", municipality: "千代田区", address: "千代田1-1",
                         phone: "03-0000-0000", email: ""),
        recipientNumber: "1234566", serverIndividualNumber: "1234567890123456", proxy: nil,
        requestTicked: true, signedFormReceived: true, reason: "", applicationDate: followDay(2026, 11, 24),
        branch: branch,
        insurance: branch == .insured ? .init(insurerName: "東京建設国保", insurerNumber: "133033",
                                              appliedToInsurer: .applied, verifiedBy: .eligibilityCertificate) : nil,
        holdsValidTickets: false, explained: ["a", "b", "c", "d", "e", "f"], transferredFrom: transferredFrom)
    return try store.receive(app, ticketsIssuedNow: [], operatorID: "yamada", now: followAt(2026, 11, 24))
}

private func followUps(_ store: CaseStore, _ day: LocalDate, months: Int = 2) -> [Reminder] {
    Reminders.due(in: store.book, today: day, settings: ReminderSettings(insuredFollowupMonths: months))
        .filter { $0.kind == .insuredFollowUp }
}

@Test(.tags(.unit)) func insuredFollowUpIsDueAfterTheConfiguredMonthsAndCitesTheRule() throws {
    let store = try followStore()
    let insured = try followCase(store, .insured)
    #expect(insured.status == .waitingForInsurer)
    #expect(followUps(store, followDay(2027, 1, 23)).isEmpty)           // not yet two months
    let due = followUps(store, followDay(2027, 1, 24))
    #expect(due.map(\.id) == ["insured_followup:\(insured.number):2027-01-24"])
    let m = try #require(due.first).message
    #expect(m.hasSuffix("— R-CF-4"))
    #expect(m.contains("東京建設国保") && m.contains("本人") && m.contains("状況一覧"))
    #expect(due.first?.rule == "R-CF-4" && due.first?.caseNumber == insured.number)
    // A shorter setting brings it earlier (R-CF-4: N months, config).
    #expect(followUps(store, followDay(2026, 12, 24), months: 1).map(\.id) == ["insured_followup:\(insured.number):2026-12-24"])
    #expect(followUps(store, followDay(2027, 2, 23), months: 3).isEmpty)
}

@Test(.tags(.unit)) func insuredFollowUpMarkedDoneComesBackTheNextPeriodWhileUnconfirmed() throws {
    let store = try followStore()
    let insured = try followCase(store, .insured)
    let id = "insured_followup:\(insured.number):2027-01-24"
    try store.markReminderDone(id, note: "本人に電話、保険者に申請済み", operatorID: "yamada", now: followAt(2027, 1, 25))
    #expect(followUps(store, followDay(2027, 2, 10)).isEmpty)
    #expect(followUps(store, followDay(2027, 3, 23)).isEmpty)
    #expect(followUps(store, followDay(2027, 3, 24)).map(\.id) == ["insured_followup:\(insured.number):2027-03-24"])
    // Confirmed by the status file: no more follow-up.
    try store.record(.confirmed(cancelledOn: followDay(2027, 3, 31), file: "s.csv"), on: insured.number, operatorID: "yamada", now: followAt(2027, 4, 5))
    #expect(followUps(store, followDay(2027, 5, 24)).isEmpty)
}

@Test(.tags(.unit)) func transferredInCaseIsFollowedUpNamingTheFormerOffice() throws {
    let store = try followStore()
    let moved = try followCase(store, .assistanceOnly, transferredFrom: "横浜市中福祉事務所")
    let here = try followCase(store, .assistanceOnly)
    #expect(moved.status == .transferredIn && here.status == .awaitingRegistration)
    let due = followUps(store, followDay(2027, 2, 1))
    #expect(due.map(\.caseNumber) == [moved.number])   // never a case this office registers (it has a date, R-CF-1)
    #expect(due.first?.message.contains("横浜市中福祉事務所") == true)
}

@Test(.tags(.unit)) func insuredFollowupMonthsIsReadAndValidated() throws {
    func parse(_ text: String) throws -> ReminderSettings {
        try ReminderSettings.parse(try TOMLTable(string: text)["reminders"]?.table, text: text, fileLabel: "office.toml")
    }
    #expect(ReminderSettings.default.insuredFollowupMonths == 2)
    #expect(try parse("[reminders]\ninsured_followup_months = 3\n").insuredFollowupMonths == 3)
    for bad in ["0", "25", "\"2\"", "1.5"] {
        do {
            _ = try parse("[office]\nname = \"x\"\n\n[reminders]\ninsured_followup_months = \(bad)\n")
            Issue.record("accepted \(bad)")
        } catch let e as ConfigError {
            #expect(e.description.contains("insured_followup_months は 1〜24"))
            #expect(e.description.contains("office.toml") && e.line == 5)
        }
    }
}
