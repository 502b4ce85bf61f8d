import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers (prefixed `caseStore` to keep clear of other test files)

/// A journal URL in a fresh temporary directory (the directory is not created: the journal does it).
private func caseStoreJournalURL(_ label: String = #function) -> URL {
    let clean = label.filter { $0.isLetter || $0.isNumber }
    return FileManager.default.temporaryDirectory
        .appendingPathComponent("madoguchi-casestore-tests")
        .appendingPathComponent("\(clean)-\(UUID().uuidString)")
        .appendingPathComponent("journal.jsonl")
}

/// An instant given as Japan time (UTC+9), independent of the machine's zone.
private func caseStoreJST(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
    let days = LocalDate(year: year, month: month, day: day)!.dayNumber
    return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + (hour - 9) * 3600 + minute * 60))
}

private let caseStoreNow = caseStoreJST(2026, 11, 24, 10, 30)

private func caseStoreApplication(branch: Branch = .assistanceOnly, holdsTickets: Bool = false,
                                  serverNumber: String? = "1234567890123456",
                                  applied: Application.InsurerApplication = .applied,
                                  name: String = "山田\u{3000}太郎") -> Application {
    Application(
        applicant: Application.Person(
            furigana: "ヤマダ\u{3000}タロウ", name: name, birthDate: LocalDate(year: 1970, month: 1, day: 2),
            postalCode: "1234567", prefecture: "東京都", municipality: "千代田区", address: "霞が関１－２－２",
            phone: "03-1234-5678", email: "taro@example.jp"),
        recipientNumber: "123456" + String(CheckDigit.compute("123456")!),
        serverIndividualNumber: serverNumber,
        proxy: Application.Proxy(name: "山田\u{3000}花子", furigana: "ヤマダ\u{3000}ハナコ", phone: "090-1111-2222", relationship: "長女"),
        requestTicked: true, signedFormReceived: true, reason: "カードの管理に不安があるため",
        applicationDate: LocalDate(year: 2026, month: 11, day: 24)!,
        branch: branch,
        insurance: branch == .insured
            ? Application.Insurance(insurerName: "全国健康保険協会", insurerNumber: "06130012",
                                    appliedToInsurer: applied, verifiedBy: .eligibilityCertificate)
            : nil,
        holdsValidTickets: holdsTickets,
        explained: branch == .insured ? ["a", "b", "c", "d", "e", "f", "g"] : ["a", "b", "c", "d", "e", "f"])
}

private let caseStoreTickets = [
    PaperTicket(kind: .medical, institution: "デモ診療所", month: YearMonth(year: 2026, month: 12)!),
    PaperTicket(kind: .dispensing, institution: "デモ薬局", month: YearMonth(year: 2026, month: 12)!),
]

private func caseStoreLines(_ url: URL) throws -> [String] {
    String(decoding: try Data(contentsOf: url), as: UTF8.self).split(separator: "\n").map(String.init)
}

private func caseStoreSize(_ url: URL) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
}

@Suite("CaseStore (journal-backed cases)", .tags(.unit))
struct CaseStoreTests {

    @Test("R-BR-2 receiving an assistance-only application opens case 2026-0001 awaiting registration")
    func receiveAssistanceOnly() throws {
        let url = caseStoreJournalURL()
        let store = CaseStore(journalURL: url)
        try store.load()
        let app = caseStoreApplication()
        let c = try store.receive(app, ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        #expect(c.number == "2026-0001")
        #expect(c.status == .awaitingRegistration)
        #expect(c.application == app)
        #expect(c.receivedBy == "yamada")
        #expect(c.receivedAt == "2026-11-24T10:30:00+09:00")
        #expect(c.ticketsIssued.isEmpty)
        #expect(c.history.count == 1)
        #expect(c.history.first?.eventType == .received)
        #expect(store.book.all.map(\.number) == ["2026-0001"])
        #expect(store.knownCount == 1)
        // Durable: one line in the journal file, chain verified.
        #expect(try caseStoreLines(url).count == 1)
        #expect(Journal.verify(url: url).ok)
        // R-ID-2: the 受給者番号 is not the case key.
        #expect(c.number != app.recipientNumber)
    }

    @Test("R-BR-3 receiving an insured application waits for the insurer")
    func receiveInsured() throws {
        let store = CaseStore(journalURL: caseStoreJournalURL())
        let c = try store.receive(caseStoreApplication(branch: .insured), ticketsIssuedNow: [], operatorID: "suzuki", now: caseStoreNow)
        #expect(c.status == .waitingForInsurer)
        #expect(c.status.label == "保険者の登録待ち")
        #expect(c.application.insurance?.insurerNumber == "06130012")
    }

    @Test("R-PT-1 tickets issued at intake are written in the same append: two journal lines, chain verified")
    func receiveWithTickets() throws {
        let url = caseStoreJournalURL()
        let store = CaseStore(journalURL: url)
        let c = try store.receive(caseStoreApplication(holdsTickets: true), ticketsIssuedNow: caseStoreTickets,
                                  operatorID: "yamada", now: caseStoreNow)
        #expect(c.ticketsIssued == caseStoreTickets)
        #expect(c.history.map(\.eventType) == [.received, .ticketsIssued])
        #expect(c.history.allSatisfy { $0.caseNumber == "2026-0001" && $0.operatorID == "yamada" })
        let lines = try caseStoreLines(url)
        #expect(lines.count == 2)
        #expect(lines[1].contains("\"tickets.issued\""))
        #expect(lines[1].contains("intake"))
        let report = Journal.verify(url: url)
        #expect(report.ok)
        #expect(report.lineCount == 2)
        #expect(store.knownCount == 2)
        #expect(!c.reminders.contains { $0.contains("R-PT-1") })
    }

    @Test("R-ID-5 a case reloaded from disk by a new CaseStore is equal in every field")
    func reload() throws {
        let url = caseStoreJournalURL()
        let first = CaseStore(journalURL: url)
        let a = try first.receive(caseStoreApplication(holdsTickets: true), ticketsIssuedNow: caseStoreTickets,
                                  operatorID: "yamada", now: caseStoreNow)
        let b = try first.receive(caseStoreApplication(branch: .insured, serverNumber: nil, applied: .toldToApply, name: "鈴木\u{3000}一郎"),
                                  ticketsIssuedNow: [], operatorID: "sato", now: caseStoreNow.addingTimeInterval(60))

        let second = CaseStore(journalURL: url)
        let loaded = try second.load()
        #expect(loaded.tornTail == nil)
        #expect(second.knownCount == 3)
        #expect(second.book["2026-0001"] == a)
        #expect(second.book["2026-0002"] == b)
        #expect(second.book.all == [a, b])
        #expect(second.book.all == first.book.all)
        // Spot-check fields that go through JSON: dates, optionals, enums, Japanese text.
        let r = try #require(second.book["2026-0002"])
        #expect(r.application.serverIndividualNumber == nil)
        #expect(r.application.applicant.birthDate == LocalDate(year: 1970, month: 1, day: 2))
        #expect(r.application.insurance?.appliedToInsurer == .toldToApply)
        #expect(r.application.applicant.name == "鈴木\u{3000}一郎")
        #expect(r.receivedAt == "2026-11-24T10:31:00+09:00")
        #expect(second.book["2026-0001"]?.ticketsIssued == caseStoreTickets)
    }

    @Test("R-ID-2 the second case gets 2026-0002")
    func secondNumber() throws {
        let store = CaseStore(journalURL: caseStoreJournalURL())
        let a = try store.receive(caseStoreApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        let b = try store.receive(caseStoreApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        #expect(a.number == "2026-0001")
        #expect(b.number == "2026-0002")
        #expect(store.book.order == ["2026-0001", "2026-0002"])
    }

    @Test("case numbers follow the year in Japan time (2026-12-31 23:30 JST → 2026, 2027-01-01 00:30 JST → 2027)")
    func yearInJapanTime() throws {
        let store = CaseStore(journalURL: caseStoreJournalURL())
        let a = try store.receive(caseStoreApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreJST(2026, 12, 31, 23, 30))
        let b = try store.receive(caseStoreApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreJST(2027, 1, 1, 0, 30))
        let c = try store.receive(caseStoreApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreJST(2027, 1, 2, 9))
        #expect(a.number == "2026-0001")
        #expect(b.number == "2027-0001")
        #expect(c.number == "2027-0002")
    }

    @Test("two CaseStores on one journal hand out distinct numbers and both see both after refresh()")
    func twoDesks() throws {
        let url = caseStoreJournalURL()
        let desk1 = CaseStore(journalURL: url)
        let desk2 = CaseStore(journalURL: url)
        try desk1.load()
        try desk2.load()
        let a = try desk1.receive(caseStoreApplication(name: "一番\u{3000}太郎"), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        // desk2 has not looked since; it must still not reuse 2026-0001.
        let b = try desk2.receive(caseStoreApplication(name: "二番\u{3000}花子"), ticketsIssuedNow: [], operatorID: "suzuki", now: caseStoreNow)
        #expect(a.number == "2026-0001")
        #expect(b.number == "2026-0002")
        // desk2 caught up with desk1's case while receiving.
        #expect(desk2.book.all.map(\.number) == ["2026-0001", "2026-0002"])
        #expect(desk1.book.all.map(\.number) == ["2026-0001"])
        #expect(try desk1.refresh())
        #expect(desk1.book.all.map(\.number) == ["2026-0001", "2026-0002"])
        #expect(desk1.book["2026-0002"]?.application.applicant.name == "二番\u{3000}花子")
        #expect(desk1.book.all == desk2.book.all)
        #expect(try desk1.refresh() == false)
        #expect(try desk2.refresh() == false)
        #expect(Journal.verify(url: url).ok)
        #expect(try caseStoreLines(url).count == 2)
    }

    @Test("R-PT-1 holds valid tickets but none issued is refused and the journal is untouched")
    func holdsTicketsWithoutTickets() throws {
        let url = caseStoreJournalURL()
        let store = CaseStore(journalURL: url)
        _ = try store.receive(caseStoreApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        let sizeBefore = try #require(caseStoreSize(url))
        let bookBefore = store.book.all
        #expect(throws: CaseError.self) {
            try store.receive(caseStoreApplication(holdsTickets: true), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        }
        do {
            _ = try store.receive(caseStoreApplication(holdsTickets: true), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        } catch let CaseError.invalidApplication(problems) {
            #expect(problems.map(\.field) == ["tickets"])
            #expect(problems.first?.message.contains("R-PT-1") == true)
        }
        #expect(caseStoreSize(url) == sizeBefore)
        #expect(store.book.all == bookBefore)
        #expect(store.knownCount == 1)
        // The next good application still gets the next number.
        let next = try store.receive(caseStoreApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        #expect(next.number == "2026-0002")
    }

    @Test("R-PT-1 holds valid tickets refused on an empty journal creates no file")
    func holdsTicketsEmptyJournal() throws {
        let url = caseStoreJournalURL()
        let store = CaseStore(journalURL: url)
        #expect(throws: CaseError.self) {
            try store.receive(caseStoreApplication(holdsTickets: true), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test("R-RG-2 R-BR-4 reminders: server number missing, told to apply to the insurer")
    func reminders() throws {
        let store = CaseStore(journalURL: caseStoreJournalURL())
        let complete = try store.receive(caseStoreApplication(), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        #expect(complete.reminders.isEmpty)

        let noServer = try store.receive(caseStoreApplication(serverNumber: nil), ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        #expect(noServer.reminders.count == 1)
        #expect(noServer.reminders.first?.contains("R-RG-2") == true)

        // Insured: the insurer registers, so no 被保険者枝番 reminder; but R-BR-4 when only told to apply.
        let told = try store.receive(caseStoreApplication(branch: .insured, serverNumber: nil, applied: .toldToApply),
                                     ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        #expect(told.reminders.count == 1)
        #expect(told.reminders.first?.contains("R-BR-4") == true)

        let applied = try store.receive(caseStoreApplication(branch: .insured, serverNumber: nil, applied: .applied),
                                        ticketsIssuedNow: [], operatorID: "yamada", now: caseStoreNow)
        #expect(applied.reminders.isEmpty)
    }

    @Test("R-PT-1 a case whose tickets are missing in the journal is reminded")
    func ticketReminder() throws {
        // A case.received line with holdsValidTickets and no tickets line (e.g. written by another tool).
        var book = CaseBook()
        let payload = ReceivedPayload(application: caseStoreApplication(holdsTickets: true), status: .awaitingRegistration)
        try book.apply(JournalRecord(seq: 1, time: "2026-11-24T10:30:00+09:00", operatorID: "yamada", caseNumber: "2026-0001",
                                     type: EventType.received, data: try JSONValue(encoding: payload),
                                     prev: String(repeating: "0", count: 64), hash: "", lineNumber: 1))
        #expect(book["2026-0001"]?.reminders.contains { $0.contains("R-PT-1") } == true)
    }

    @Test("CaseBook refuses a case received twice and tickets for an unknown case, naming the line")
    func inconsistentJournal() throws {
        let data = try JSONValue(encoding: ReceivedPayload(application: caseStoreApplication(), status: .awaitingRegistration))
        func rec(_ line: Int, _ type: String, _ number: String, _ data: JSONValue) -> JournalRecord {
            JournalRecord(seq: line, time: "2026-11-24T10:30:00+09:00", operatorID: "yamada", caseNumber: number,
                          type: type, data: data, prev: "", hash: "", lineNumber: line)
        }
        var book = CaseBook()
        try book.apply(rec(1, EventType.received.rawValue, "2026-0001", data))
        #expect(throws: CaseError.inconsistentJournal(line: 2, message: "案件 2026-0001 が二度受け付けられています")) {
            try book.apply(rec(2, EventType.received.rawValue, "2026-0001", data))
        }
        let tickets = try JSONValue(encoding: TicketsIssuedPayload(tickets: caseStoreTickets, occasion: "intake"))
        #expect(throws: CaseError.self) { try book.apply(rec(3, EventType.ticketsIssued.rawValue, "2026-0009", tickets)) }
        // Unknown event types (a newer version) are kept, not lost.
        try book.apply(rec(4, "case.future", "2026-0001", .object([:])))
        #expect(book.unknownEvents.count == 1)
        #expect(book["2026-0001"]?.history.count == 2)
        #expect(book.nextNumber(year: 2026) == "2026-0002")
        #expect(book.nextNumber(year: 2027) == "2027-0001")
    }
}
