import Foundation
import Testing
@testable import MadoguchiCore

/// The fold snapshot's binary form (issue 14): what goes in comes out, and a type changed without
/// its hand-written form fails here rather than losing a field in every snapshot.
@Suite("Binary coding of the fold snapshot (issue 14)", .tags(.unit))
struct BinaryCodingTests {
    static func fullApplication() -> Application {
        Application(applicant: .init(furigana: "ヤマダ タロウ", name: "山田 太郎", birthDate: LocalDate(year: 1950, month: 4, day: 1),
                                     postalCode: "100-0001", prefecture: "東京都", municipality: "千代田区", address: "千代田1-1",
                                     phone: "03-0000-0000", email: "taro@example.jp"),
                    recipientNumber: "1234567", serverIndividualNumber: "1234567890123456",
                    proxy: .init(name: "山田 花子", furigana: "ヤマダ ハナコ", phone: "090-0000-0000", relationship: "子", email: "h@example.jp"),
                    requestTicked: true, signedFormReceived: true, reason: "本人の希望", applicationDate: LocalDate(year: 2026, month: 11, day: 2)!,
                    branch: .insured,
                    insurance: .init(insurerName: "協会けんぽ", insurerNumber: "01130012", appliedToInsurer: .toldToApply, verifiedBy: .mynaPortalPDF),
                    holdsValidTickets: true, explained: ["R-IN-3", "R-PT-1"], transferredFrom: "みどり市福祉事務所")
    }

    @Test("every stored field of the application, person, proxy and insurance is in the hand-written form")
    func handWrittenFormsCoverEveryField() {
        let a = Self.fullApplication()
        let counts = Application.binaryFieldCounts
        #expect(Mirror(reflecting: a).children.count == counts.application)
        #expect(Mirror(reflecting: a.applicant).children.count == counts.person)
        #expect(Mirror(reflecting: a.proxy!).children.count == counts.proxy)
        #expect(Mirror(reflecting: a.insurance!).children.count == counts.insurance)
        let c = CaseRecord(number: "2026-0001", application: a, status: .received, receivedAt: "", receivedBy: "", ticketsIssued: [], history: [])
        #expect(Mirror(reflecting: c.fieldsForTests).children.count == CaseRecord.binaryFieldCount)
        #expect(Mirror(reflecting: PaperTicket(kind: .medical, institution: "x", month: YearMonth(year: 2026, month: 1)!)).children.count == 3)
    }

    @Test("an application with every field set, and one with none of the optional ones, come back equal")
    func applicationRoundTrips() throws {
        var bare = Self.fullApplication()
        bare.applicant.birthDate = nil
        bare.serverIndividualNumber = nil
        bare.proxy = nil
        bare.insurance = nil
        bare.explained = []
        bare.transferredFrom = nil
        for a in [Self.fullApplication(), bare] {
            let bytes = try BinaryCoding.encode(a)
            #expect(try bytes.withUnsafeBytes { try BinaryCoding.decode(Application.self, from: $0) } == a)
        }
    }

    struct Mixed: Codable, Equatable {
        var text: String
        var number: Int
        var optional: String?
        var absent: Int?
        var list: [LocalDate]
        var table: [String: Int]
        var nested: [Hold]
        var flag: Bool
    }

    @Test("generic values: optionals present and absent, arrays, string-keyed tables, nested structs")
    func genericRoundTrip() throws {
        let d = LocalDate(year: 2026, month: 12, day: 1)!
        let v = Mixed(text: "日本語", number: -42, optional: "x", absent: nil, list: [d, d], table: ["a": 1, "い": 2],
                      nested: [Hold(reason: .codeBeingObtained, noticeDate: d, recheckDate: d)], flag: true)
        let bytes = try BinaryCoding.encode(v)
        #expect(try bytes.withUnsafeBytes { try BinaryCoding.decode(Mixed.self, from: $0) } == v)
    }

    @Test("bytes cut short or one byte changed in a length are refused, not read as something else")
    func damagedBytesAreRefused() throws {
        let bytes = try BinaryCoding.encode(Self.fullApplication())
        #expect(throws: (any Error).self) { try Array(bytes.dropLast(3)).withUnsafeBytes { try BinaryCoding.decode(Application.self, from: $0) } }
        let wrapped = try BinaryCoding.encode([Self.fullApplication()])
        var cut = wrapped
        cut.removeLast()
        #expect(throws: (any Error).self) { try cut.withUnsafeBytes { try BinaryCoding.decode([Application].self, from: $0) } }
    }

    /// Synthesized `Codable` of an enum with associated values uses nested containers.
    enum Nested: Codable, Equatable { case one(Int), two(text: String) }

    @Test("a value this form cannot write (nested containers) is refused with an error, not a crash")
    func nestedContainersAreRefused() {
        #expect(throws: BinaryCoding.Mismatch.self) { try BinaryCoding.encode([Nested.one(1), .two(text: "x")]) }
    }
}
