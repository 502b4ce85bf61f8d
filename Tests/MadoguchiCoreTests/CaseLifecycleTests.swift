import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers (prefixed `lifecycle`)

private func lifecycleJournalURL() -> URL {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("madoguchi-lifecycle-tests")
        .appendingPathComponent(UUID().uuidString)
        .appendingPathComponent("journal.jsonl")
}

private func lifecycleDate(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

private let lifecycleNow = Date(timeIntervalSince1970: TimeInterval(lifecycleDate(2026, 11, 24).dayNumber * 86_400 + 3600))
/// A day after every date the tests record: a clerk cannot record a move dated after the office's
/// today (issue 11), so a move dated in December is recorded on a January morning.
private let lifecycleLater = Date(timeIntervalSince1970: TimeInterval(lifecycleDate(2027, 1, 5).dayNumber * 86_400 + 3600))

private func lifecycleApplication(_ branch: Branch = .assistanceOnly) -> Application {
    Application(
        applicant: .init(furigana: "サトウ\u{3000}ハナ", name: "佐藤\u{3000}花", birthDate: lifecycleDate(1950, 3, 3),
                         postalCode: "1000001", prefecture: "東京都", municipality: "千代田区", address: "千代田1-1",
                         phone: "03-0000-0000", email: ""),
        recipientNumber: "1234566", serverIndividualNumber: "1234567890123456", proxy: nil,
        requestTicked: true, signedFormReceived: true, reason: "", applicationDate: lifecycleDate(2026, 11, 24),
        branch: branch,
        insurance: branch == .insured ? .init(insurerName: "協会けんぽ", insurerNumber: "01130012", appliedToInsurer: .applied, verifiedBy: .eligibilityCertificate) : nil,
        holdsValidTickets: false, explained: ["a", "b", "c", "d", "e", "f"])
}

/// A case record in a given state, built by applying legal moves (so the test also walks the machine).
private func lifecycleCase(_ status: CaseStatus) throws -> CaseRecord {
    let insured = status == .waitingForInsurer
    var c = CaseRecord(number: "2026-0001", application: lifecycleApplication(insured ? .insured : .assistanceOnly),
                       status: insured ? .waitingForInsurer : .awaitingRegistration,
                       receivedAt: "2026-11-24T10:00:00+09:00", receivedBy: "yamada", ticketsIssued: [], history: [])
    let path: [LifecycleEvent]
    switch status {
    case .received:
        c.status = .received
        return c
    case .awaitingRegistration, .waitingForInsurer: path = []
    case .transferredIn:
        c.application.transferredFrom = "隣市福祉事務所"
        c.status = .transferredIn
        path = []
    case .exported: path = [.exported(file: "f.csv")]
    case .registered: path = [.exported(file: "f.csv"), .registrationAccepted(registeredOn: lifecycleDate(2026, 11, 25), file: nil)]
    case .held: path = [.exported(file: "f.csv"), .registrationAccepted(registeredOn: lifecycleDate(2026, 11, 25), file: nil),
                        .held(reason: .misEntrySuspected, noticeDate: lifecycleDate(2026, 12, 31))]
    case .registrationFailed: path = [.exported(file: "f.csv"), .registrationFailed(message: "枝番誤り", file: nil)]
    case .confirmed: path = [.exported(file: "f.csv"), .registrationAccepted(registeredOn: lifecycleDate(2026, 11, 25), file: nil),
                             .confirmed(cancelledOn: lifecycleDate(2026, 12, 31), file: nil)]
    case .cancelledByServer: path = [.exported(file: "f.csv"), .registrationAccepted(registeredOn: lifecycleDate(2026, 11, 25), file: nil),
                                     .cancelledByServer(noticeDate: lifecycleDate(2026, 12, 31), action: "本人に連絡")]
    case .transferredOut: path = [.transferredOut(office: "隣市福祉事務所", on: lifecycleDate(2026, 12, 1))]
    case .withdrawn: path = [.withdrawn(reason: "本人の希望", on: lifecycleDate(2026, 12, 1))]
    }
    for e in path { try CaseLifecycle.apply(e, to: &c) }
    #expect(c.status == status)
    return c
}

private let lifecycleAllEvents: [LifecycleEvent] = [
    .exported(file: "x.csv"),
    .registrationAccepted(registeredOn: lifecycleDate(2026, 12, 1), file: nil),
    .registrationFailed(message: "m", file: nil),
    .requeued(note: "枝番を直した"),
    .held(reason: .codeBeingObtained, noticeDate: lifecycleDate(2027, 1, 31)),
    .holdCleared(on: lifecycleDate(2027, 2, 28)),
    .cancelledByServer(noticeDate: lifecycleDate(2027, 1, 31), action: "本人に連絡"),
    .confirmed(cancelledOn: lifecycleDate(2027, 1, 31), file: nil),
    .transferredOut(office: "隣市", on: lifecycleDate(2027, 1, 5)),
    .withdrawn(reason: "r", on: lifecycleDate(2027, 1, 5)),
]

/// The machine of issue 3, written out by hand so the test does not just mirror the code.
private let lifecycleLegal: [CaseStatus: Set<String>] = [
    .received: ["case.transferred_out", "case.withdrawn"],
    .awaitingRegistration: ["registration.exported", "cancellation.confirmed", "case.transferred_out", "case.withdrawn"],
    .waitingForInsurer: ["cancellation.confirmed", "case.transferred_out", "case.withdrawn"],
    .transferredIn: ["cancellation.confirmed", "case.transferred_out", "case.withdrawn"],
    .exported: ["registration.accepted", "registration.failed", "cancellation.confirmed", "case.transferred_out", "case.withdrawn"],
    .registered: ["server.held", "server.cancelled", "cancellation.confirmed", "case.transferred_out", "case.withdrawn"],
    .held: ["server.held", "server.hold_cleared", "server.cancelled", "cancellation.confirmed", "case.transferred_out", "case.withdrawn"],
    .registrationFailed: ["registration.requeued", "cancellation.confirmed", "case.transferred_out", "case.withdrawn"],
    // R-CF-3, R-HC-3 (amended 2026-11-30): the monthly file's confirmation is recorded on a #5 case too.
    .cancelledByServer: ["cancellation.confirmed"],
    .confirmed: [], .transferredOut: [], .withdrawn: [],
]

@Suite("Case lifecycle (issue 3 state machine)", .tags(.unit))
struct CaseLifecycleTests {
    @Test("every transition: legal ones move, illegal ones are refused naming the state and the event",
          arguments: CaseStatus.allCases)
    func everyTransition(_ status: CaseStatus) throws {
        for event in lifecycleAllEvents {
            var c = try lifecycleCase(status)
            let legal = lifecycleLegal[status]!.contains(event.type.rawValue)
            do {
                try CaseLifecycle.apply(event, to: &c)
                #expect(legal, "\(status) → \(event.type) should have been refused")
            } catch let e as CaseError {
                #expect(!legal, "\(status) → \(event.type) was refused: \(e)")
                #expect(e.description.contains(status.label))
                #expect(e.description.contains("記録できません"))
            }
        }
    }

    @Test("R-BR-3 an insured case is never exported for registration")
    func insuredNeverExported() throws {
        var c = try lifecycleCase(.awaitingRegistration)
        c.application.branch = .insured
        #expect(throws: CaseError.self) { try CaseLifecycle.apply(.exported(file: "x.csv"), to: &c) }
        #expect(c.status == .awaitingRegistration)
    }

    @Test("R-DT-1 R-DT-3 expected cancellation: after registration, the month-end after, unknown for insured")
    func expectedDates() throws {
        #expect(CaseLifecycle.expectedCancellation(try lifecycleCase(.awaitingRegistration)) == .afterRegistration)
        #expect(CaseLifecycle.expectedCancellation(try lifecycleCase(.waitingForInsurer)) == .unknownUntilConfirmed)
        #expect(CaseLifecycle.expectedCancellation(try lifecycleCase(.registered)) == .expected(lifecycleDate(2026, 12, 31)))
        #expect(CaseLifecycle.expectedCancellation(try lifecycleCase(.confirmed)) == .cancelledOn(lifecycleDate(2026, 12, 31)))
        #expect(CaseLifecycle.expectedCancellation(try lifecycleCase(.withdrawn)) == ExpectedCancellation.none)
    }

    @Test("R-HC-2 each hold moves the expected date one month and sets the next re-check; three in a row are flagged")
    func holdsMoveTheDate() throws {
        var c = try lifecycleCase(.held)   // registered 2026-11-25, held once on 2026-12-31
        #expect(CaseLifecycle.expectedCancellation(c) == .expected(lifecycleDate(2027, 1, 31)))
        #expect(c.lifecycle.holds.last?.recheckDate == lifecycleDate(2027, 1, 31))
        #expect(!CaseLifecycle.isPersistentHold(c))
        try CaseLifecycle.apply(.held(reason: .misEntryPending, noticeDate: lifecycleDate(2027, 1, 31)), to: &c)
        #expect(CaseLifecycle.expectedCancellation(c) == .expected(lifecycleDate(2027, 2, 28)))
        #expect(c.lifecycle.holds.last?.recheckDate == lifecycleDate(2027, 2, 28))
        #expect(!CaseLifecycle.isPersistentHold(c))
        try CaseLifecycle.apply(.held(reason: .misEntryPending, noticeDate: lifecycleDate(2027, 2, 28)), to: &c)
        #expect(CaseLifecycle.isPersistentHold(c))
        try CaseLifecycle.apply(.holdCleared(on: lifecycleDate(2027, 3, 31)), to: &c)
        #expect(c.status == .registered)
        #expect(!CaseLifecycle.isPersistentHold(c))
    }

    @Test("R-HC-1 a hold with reason #5 is refused: #5 is a cancel")
    func holdReasonFiveRefused() throws {
        var c = try lifecycleCase(.registered)
        #expect(throws: CaseError.self) { try CaseLifecycle.apply(.held(reason: .cancelled, noticeDate: lifecycleDate(2026, 12, 31)), to: &c) }
        #expect(c.status == .registered)
    }

    @Test("events are journaled and replay to the same state; an illegal move leaves the journal untouched")
    func journaledAndReplayed() throws {
        let url = lifecycleJournalURL()
        let store = CaseStore(journalURL: url)
        let c = try store.receive(lifecycleApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: lifecycleNow)
        try store.record(.exported(file: "D1300019_20261124.csv"), on: c.number, operatorID: "yamada", now: lifecycleNow)
        try store.record(.registrationAccepted(registeredOn: lifecycleDate(2026, 11, 25), file: "result.csv"), on: c.number, operatorID: "yamada", now: lifecycleLater)
        try store.record(.held(reason: .codeLinkError, noticeDate: lifecycleDate(2026, 12, 31)), on: c.number, operatorID: "sato", now: lifecycleLater)
        let size = try Data(contentsOf: url).count
        #expect(throws: CaseError.self) {
            try store.record(.exported(file: "again.csv"), on: c.number, operatorID: "yamada", now: lifecycleNow)
        }
        #expect(try Data(contentsOf: url).count == size)

        let reloaded = CaseStore(journalURL: url)
        try reloaded.load()
        let r = try #require(reloaded.book[c.number])
        #expect(r.status == .held)
        #expect(r.lifecycle == store.book[c.number]!.lifecycle)
        #expect(r.history.map(\.eventType) == [.received, .registrationExported, .registrationAccepted, .serverHeld])
        #expect(r.history.last?.operatorID == "sato")
        #expect(Journal.verify(url: url).ok)
    }

    @Test("a move based on a stale view is refused (two terminals advancing the same case)")
    func staleEditRefused() throws {
        let url = lifecycleJournalURL()
        let a = CaseStore(journalURL: url)
        let c = try a.receive(lifecycleApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: lifecycleNow)
        let b = CaseStore(journalURL: url)
        try b.load()
        try a.record(.exported(file: "a.csv"), on: c.number, operatorID: "yamada", now: lifecycleNow)
        // b still sees 登録待ち, but the move is checked against the journal as it is now.
        #expect(throws: CaseError.self) {
            try b.record(.exported(file: "b.csv"), on: c.number, operatorID: "suzuki", now: lifecycleNow)
        }
        #expect(b.book[c.number]?.status == .exported)
        #expect(b.book[c.number]?.lifecycle.exportFile == "a.csv")
    }

    @Test("R-FL-4 a batch of moves is all or nothing")
    func batchAllOrNothing() throws {
        let url = lifecycleJournalURL()
        let store = CaseStore(journalURL: url)
        let one = try store.receive(lifecycleApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: lifecycleNow)
        let two = try store.receive(lifecycleApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: lifecycleNow)
        let size = try Data(contentsOf: url).count
        #expect(throws: CaseError.self) {
            try store.record([(one.number, .exported(file: "f.csv")), (two.number, .registrationAccepted(registeredOn: lifecycleDate(2026, 11, 25), file: nil))],
                             operatorID: "yamada", now: lifecycleNow)
        }
        #expect(try Data(contentsOf: url).count == size)
        #expect(store.book[one.number]?.status == .awaitingRegistration)
        // The same case twice in one batch: the second move sees the first.
        try store.record([(one.number, .exported(file: "f.csv")), (one.number, .registrationFailed(message: "誤り", file: nil))],
                         operatorID: "yamada", now: lifecycleNow)
        #expect(store.book[one.number]?.status == .registrationFailed)
        #expect(store.book[one.number]?.lifecycle.failureMessage == "誤り")
    }

    @Test("R-PT-3 a transferred-in case is followed here but never exported; its date is unknown until confirmed")
    func transferredIn() throws {
        let url = lifecycleJournalURL()
        let store = CaseStore(journalURL: url)
        var app = lifecycleApplication()
        app.transferredFrom = "隣市福祉事務所"
        let c = try store.receive(app, ticketsIssuedNow: [], operatorID: "yamada", now: lifecycleNow)
        #expect(c.status == .transferredIn)
        #expect(CaseLifecycle.expectedCancellation(c) == .unknownUntilConfirmed)
        #expect(throws: CaseError.self) { try store.record(.exported(file: "x.csv"), on: c.number, operatorID: "yamada", now: lifecycleNow) }
        let done = try store.record(.confirmed(cancelledOn: lifecycleDate(2026, 12, 31), file: nil), on: c.number, operatorID: "yamada", now: lifecycleLater)
        #expect(done.status == .confirmed)
        let reloaded = CaseStore(journalURL: url)
        try reloaded.load()
        #expect(reloaded.book[c.number]?.application.transferredFrom == "隣市福祉事務所")
    }

    @Test("R-ID-4 R-HC-3 typed reasons and notes are checked before writing: no 個人番号, not blank; the journal is untouched")
    func typedTextChecked() throws {
        let url = lifecycleJournalURL()
        let store = CaseStore(journalURL: url)
        let c = try store.receive(lifecycleApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: lifecycleNow)
        let size = try Data(contentsOf: url).count
        #expect {
            try store.record(.withdrawn(reason: "番号は 1234 5678 9012 です", on: lifecycleDate(2026, 12, 1)), on: c.number, operatorID: "yamada", now: lifecycleLater)
        } throws: { ($0 as? FieldProblem)?.message.contains("R-ID-4") == true && ($0 as? FieldProblem)?.label == "取下げの理由" }
        #expect {
            try store.record(.transferredOut(office: "  ", on: lifecycleDate(2026, 12, 1)), on: c.number, operatorID: "yamada", now: lifecycleLater)
        } throws: { ($0 as? FieldProblem)?.label == "転出先の事務所" }
        #expect(try Data(contentsOf: url).count == size)
        #expect(store.book[c.number]?.status == .awaitingRegistration)
        // Trimmed as stored.
        let done = try store.record(.withdrawn(reason: " 本人の希望 ", on: lifecycleDate(2026, 12, 1)), on: c.number, operatorID: "yamada", now: lifecycleLater)
        #expect(done.lifecycle.endReason == "本人の希望")
    }
}
