import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers (prefixed `pending`)

private func pendingDate(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

private func pendingInstant(_ d: LocalDate) -> Date { Date(timeIntervalSince1970: TimeInterval(d.dayNumber * 86_400 + 3600)) }

private func pendingApplication(_ branch: Branch, server: String, applied: LocalDate) -> Application {
    Application(
        applicant: .init(furigana: "テスト", name: "試験　\(server.suffix(2))", birthDate: pendingDate(1960, 1, 1),
                         postalCode: "1000001", prefecture: "東京都", municipality: "千代田区", address: "1-1",
                         phone: "03-0000-0000", email: ""),
        recipientNumber: "1234566", serverIndividualNumber: server, proxy: nil, requestTicked: true,
        signedFormReceived: true, reason: "", applicationDate: applied, branch: branch,
        insurance: branch == .insured ? .init(insurerName: "協会", insurerNumber: "01130012", appliedToInsurer: .applied, verifiedBy: .eligibilityCertificate) : nil,
        holdsValidTickets: false, explained: ["a", "b", "c", "d", "e", "f"])
}

/// Four cases: registered in October (overdue by 2026-12-01), held, insured waiting, and one withdrawn.
private func pendingBook() throws -> CaseBook {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-pending-\(UUID().uuidString)/journal.jsonl")
    let store = CaseStore(journalURL: url)
    let a = try store.receive(pendingApplication(.assistanceOnly, server: "1000000000000001", applied: pendingDate(2026, 10, 5)), ticketsIssuedNow: [], operatorID: "yamada", now: pendingInstant(pendingDate(2026, 10, 5)))
    let b = try store.receive(pendingApplication(.assistanceOnly, server: "1000000000000002", applied: pendingDate(2026, 10, 20)), ticketsIssuedNow: [], operatorID: "suzuki", now: pendingInstant(pendingDate(2026, 10, 20)))
    let c = try store.receive(pendingApplication(.insured, server: "1000000000000003", applied: pendingDate(2026, 11, 2)), ticketsIssuedNow: [], operatorID: "yamada", now: pendingInstant(pendingDate(2026, 11, 2)))
    let d = try store.receive(pendingApplication(.assistanceOnly, server: "1000000000000004", applied: pendingDate(2026, 11, 3)), ticketsIssuedNow: [], operatorID: "suzuki", now: pendingInstant(pendingDate(2026, 11, 3)))
    let now = pendingInstant(pendingDate(2026, 11, 30))
    try store.record([(a.number, .exported(file: "f.csv")), (a.number, .registrationAccepted(registeredOn: pendingDate(2026, 10, 6), file: nil)),
                      (b.number, .exported(file: "f.csv")), (b.number, .registrationAccepted(registeredOn: pendingDate(2026, 10, 21), file: nil)),
                      (b.number, .held(reason: .misEntrySuspected, noticeDate: pendingDate(2026, 11, 30))),
                      (d.number, .withdrawn(reason: "本人の希望", on: pendingDate(2026, 11, 4)))],
                     operatorID: "sato", now: now)
    _ = c
    return store.book
}

@Suite("Supervisor's pending list (issue 4)", .tags(.unit))
struct PendingTests {
    @Test("open cases only by default, counted by status and by month of application")
    func defaultList() throws {
        let list = Pending.list(try pendingBook(), today: pendingDate(2026, 12, 1))
        #expect(list.rows.map(\.number) == ["2026-0001", "2026-0002", "2026-0003"])
        #expect(list.countsByStatus == ["registered": 1, "held": 1, "waiting_for_insurer": 1])
        #expect(list.byMonth.map(\.month) == ["2026-10", "2026-11"])
        #expect(list.byMonth.first?.counts == ["registered": 1, "held": 1])
    }

    @Test("R-CF-1 overdue: the expected date (2026-11-30) has passed on 2026-12-01, not on 2026-11-30")
    func overdue() throws {
        let book = try pendingBook()
        var f = PendingFilter()
        f.overdueOnly = true
        #expect(Pending.list(book, today: pendingDate(2026, 11, 30), filter: f).rows.isEmpty)
        #expect(Pending.list(book, today: pendingDate(2026, 12, 1), filter: f).rows.map(\.number) == ["2026-0001"])
    }

    @Test("R-HC-2 filters: held, branch, clerk, month, status, and ended cases on request")
    func filters() throws {
        let book = try pendingBook()
        let today = pendingDate(2026, 12, 1)
        var f = PendingFilter(); f.heldOnly = true
        #expect(Pending.list(book, today: today, filter: f).rows.map(\.number) == ["2026-0002"])
        #expect(Pending.list(book, today: today, filter: f).rows.first?.expectedCancellation == "2026-12-31")
        f = PendingFilter(); f.branch = .insured
        #expect(Pending.list(book, today: today, filter: f).rows.map(\.number) == ["2026-0003"])
        f = PendingFilter(); f.clerk = "suzuki"
        #expect(Pending.list(book, today: today, filter: f).rows.map(\.number) == ["2026-0002"])
        f.includeEnded = true
        #expect(Pending.list(book, today: today, filter: f).rows.map(\.number) == ["2026-0002", "2026-0004"])
        f = PendingFilter(); f.month = YearMonth(year: 2026, month: 11)
        #expect(Pending.list(book, today: today, filter: f).rows.map(\.number) == ["2026-0003"])
        f = PendingFilter(); f.statuses = [.withdrawn]
        #expect(Pending.list(book, today: today, filter: f).rows.map(\.number) == ["2026-0004"])
    }

    @Test("sorting by expected date puts unknown dates last; descending reverses")
    func sorting() throws {
        let book = try pendingBook()
        let today = pendingDate(2026, 12, 1)
        #expect(Pending.list(book, today: today, sort: .expected).rows.map(\.number) == ["2026-0001", "2026-0002", "2026-0003"])
        #expect(Pending.list(book, today: today, sort: .expected, descending: true).rows.map(\.number) == ["2026-0003", "2026-0002", "2026-0001"])
        #expect(Pending.list(book, today: today, sort: .clerk).rows.map(\.clerk) == ["suzuki", "yamada", "yamada"])
    }

    @Test("CSV for Excel: UTF-8 with a BOM and CRLF, or CP932; a header row; Japanese intact")
    func csv() throws {
        let list = Pending.list(try pendingBook(), today: pendingDate(2026, 12, 1))
        let utf8 = try Pending.csv(list, encoding: .utf8)
        #expect(Array(utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: utf8.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.first == "案件番号,氏名,区分,状態,受付者,申請日,解除予定日,予定日超過,保留,要対応")
        #expect(lines[1].hasPrefix("2026-0001,試験　01,医療扶助単独,登録済み,yamada,令和8年10月5日,令和8年11月30日,超過,"))
        let sjis = try Pending.csv(list, encoding: .cp932)
        #expect(String(data: sjis, encoding: .shiftJIS)?.hasPrefix("案件番号,") == true)
        #expect(sjis.first != 0xEF)
    }
}
