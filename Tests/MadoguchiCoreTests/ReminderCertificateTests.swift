import Foundation
import Testing
@testable import MadoguchiCore

@Suite("Reminders: electronic certificates from the monthly file (R-RL-2)", .tags(.unit))
struct ReminderCertificateTests {
    @Test("R-RL-2 expired and within two months are reminded (case or 枝番), three months away is not; the next file replaces the list")
    func certificates() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let today = batchDate(2026, 11, 24)
        let file = try env.inbox("status.csv", batchStatusFile([
            batchStatusRow(server: "1234567890123456", state: "1", registeredOn: "20240401", expiry: "20261201"),   // the case, soon
            batchStatusRow(server: "2000000000000002", state: "1", registeredOn: "20240401", expiry: "20261101"),   // nobody's case, expired
            batchStatusRow(server: "3000000000000003", state: "1", registeredOn: "20240401", expiry: "20270301"),   // 3 months+: not yet
        ]))
        _ = try env.store.importStatus(file, office: env.office, allowBadRows: false, operatorID: "yamada", now: batchJST(2026, 11, 24))
        let due = Reminders.due(in: env.store.book, today: today).filter { $0.kind == .certificateExpiry }
        #expect(due.count == 2)
        #expect(due.contains { $0.caseNumber == a.number && $0.message.contains("令和8年12月1日に切れます") && $0.rule == "R-RL-2" })
        #expect(due.contains { $0.caseNumber == nil && $0.message.contains("2000000000000002") && $0.message.contains("切れています") })
        #expect(!due.contains { $0.message.contains("3000000000000003") })
        // Marked done: hidden; a new file brings a new occurrence only for who is still listed.
        let id = try #require(due.first { $0.caseNumber == a.number }?.id)
        try env.store.markReminderDone(id, note: "紙の券を交付", operatorID: "yamada", now: batchJST(2026, 11, 24))
        #expect(!Reminders.due(in: env.store.book, today: today).contains { $0.id == id })
        let next = try env.inbox("status2.csv", batchStatusFile([
            batchStatusRow(server: "1234567890123456", state: "1", registeredOn: "20240401", expiry: "20311201"),
        ]))
        _ = try env.store.importStatus(next, office: env.office, allowBadRows: false, operatorID: "yamada", now: batchJST(2026, 12, 24))
        #expect(Reminders.due(in: env.store.book, today: batchDate(2026, 12, 24)).filter { $0.kind == .certificateExpiry }.isEmpty)
    }
}

@Suite("Reminders: paper tickets until the person re-registers (R-PT-2)", .tags(.unit))
struct ReminderReregistrationTests {
    @Test("R-PT-2 monthly paper-ticket reminders stop the month after a recorded re-registration; re-registration only after confirmation")
    func reregistration() throws {
        let env = try batchEnv()
        var app = batchApplication()
        app.holdsValidTickets = true
        let c = try env.store.receive(app, ticketsIssuedNow: [PaperTicket(kind: .medical, institution: "デモ内科", month: YearMonth(year: 2026, month: 11)!)],
                                      operatorID: "yamada", now: batchJST(2026, 11, 24))
        #expect(throws: CaseError.self) {
            try env.store.record(.reregistered(on: batchDate(2026, 12, 5)), on: c.number, operatorID: "yamada", now: batchJST(2026, 12, 5))
        }
        try env.store.record([(c.number, .exported(file: "f.csv")), (c.number, .registrationAccepted(registeredOn: batchDate(2026, 11, 25), file: nil)),
                              (c.number, .confirmed(cancelledOn: batchDate(2026, 12, 31), file: nil))], operatorID: "yamada", now: batchJST(2027, 1, 5))
        let january = Reminders.due(in: env.store.book, today: batchDate(2027, 1, 10)).filter { $0.kind == .paperTicketsMonthly }
        #expect(january.count == 1)
        try env.store.record(.reregistered(on: batchDate(2027, 1, 20)), on: c.number, operatorID: "yamada", now: batchJST(2027, 1, 20))
        // January's tickets were still needed until the 20th; February's are not.
        #expect(Reminders.due(in: env.store.book, today: batchDate(2027, 1, 21)).filter { $0.kind == .paperTicketsMonthly }.count == 1)
        #expect(Reminders.due(in: env.store.book, today: batchDate(2027, 2, 1)).filter { $0.kind == .paperTicketsMonthly }.isEmpty)
    }
}
