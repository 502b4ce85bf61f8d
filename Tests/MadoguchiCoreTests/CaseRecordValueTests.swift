import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 14: a case keeps its fields in a shared box (copy on write). It must still behave as a value:
/// changing a copy never changes the original, nor another array's element.
@Suite("Case record is a value though its fields are shared (issue 14)", .tags(.unit))
struct CaseRecordValueTests {
    @Test("a copy changed through every field leaves the original as it was; equal contents are equal, whatever the box")
    func copiesAreIndependent() {
        let a = BinaryCodingTests.fullApplication()
        let original = CaseRecord(number: "2026-0001", application: a, status: .awaitingRegistration, receivedAt: "2026-11-02T09:00:00+09:00",
                                  receivedBy: "yamada", ticketsIssued: [], history: [])
        var copy = original
        var list = [original, original]
        copy.status = .withdrawn
        copy.application.applicant.name = "別の人"
        copy.ticketsIssued.append(PaperTicket(kind: .medical, institution: "みどり病院", month: YearMonth(year: 2026, month: 12)!))
        copy.intakeTicketCount = 1
        copy.lifecycle.endReason = "取下げ"
        copy.receivedBy = "suzuki"
        list[1].status = .confirmed
        #expect(original.status == .awaitingRegistration)
        #expect(original.application.applicant.name == "山田 太郎")
        #expect(original.ticketsIssued.isEmpty && original.intakeTicketCount == 0)
        #expect(original.lifecycle.endReason == nil && original.receivedBy == "yamada")
        #expect(list[0] == original && list[1] != original && list[1].status == .confirmed)
        // Equal contents in different boxes are equal and hash alike.
        let twin = CaseRecord(number: "2026-0001", application: a, status: .awaitingRegistration, receivedAt: "2026-11-02T09:00:00+09:00",
                              receivedBy: "yamada", ticketsIssued: [], history: [])
        #expect(twin == original && twin.hashValue == original.hashValue)
        #expect(copy != original)
    }
}
