import Foundation
import Testing
@testable import MadoguchiCore

/// R-IN-7 (added 2026-11-30): the notice to the new office says whether the request was registered.
@Suite("R-IN-7 the notice to the office the person moved to", .tags(.unit))
struct TransferNoticeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let clerk = Operator(id: "yamada", name: "山田 花子", role: .clerk)

    func office(_ dir: URL) -> OfficeConfig {
        OfficeConfig(officeName: "デモ市福祉事務所", publicPayerNumber: "12130019", serverCode: "D1300019", mode: .training,
                     dataDirectory: dir, operators: [Self.clerk, Operator(id: "sato", name: "佐藤 一郎", role: .supervisor)],
                     source: dir.appendingPathComponent("office.toml"))
    }

    @Test("R-IN-7 transferred out before registration: the notice says the request was not registered and names the new office")
    func beforeRegistration() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = try RobustEnvLite(dir: dir)
        let c = try env.receiveAssistanceOnly()
        let now = env.now
        try env.store.record(.transferredOut(office: "隣市福祉事務所", on: LocalDate(now)), on: c.number, operatorID: "yamada", now: now)
        let text = try NoticeRenderer(templates: NoticeTemplates.load(directory: Self.root.appendingPathComponent("config/notices")))
            .render(.transfer, for: env.store.book[c.number]!, office: office(dir), clerk: Self.clerk, today: LocalDate(now))
        #expect(text.contains("隣市福祉事務所　御中"), "\(text)")
        #expect(text.contains("中間サーバーへ登録して\n　　いません"), "\(text)")
        #expect(!text.contains("に中間サーバーへ\n　　登録しました"))
        // A case that did not move has no such notice.
        let other = try env.receiveAssistanceOnly(recipient: "2345676", server: "2345678901234567")
        #expect(throws: NoticeError.self) {
            try NoticeRenderer(templates: NoticeTemplates.load(directory: Self.root.appendingPathComponent("config/notices")))
                .render(.transfer, for: other, office: office(dir), clerk: Self.clerk, today: LocalDate(now))
        }
    }
}

/// A small office in a folder with one helper to receive an assistance-only case.
struct RobustEnvLite {
    let store: CaseStore
    let now = Date(timeIntervalSince1970: TimeInterval(LocalDate(year: 2026, month: 11, day: 24)!.dayNumber * 86_400 + 3600))

    init(dir: URL) throws {
        store = CaseStore(journalURL: dir.appendingPathComponent("journal.jsonl"))
        try store.load()
    }

    func receiveAssistanceOnly(recipient: String = "1234566", server: String = "1234567890123456") throws -> CaseRecord {
        let app = Application(
            applicant: Application.Person(
                furigana: "ヤマダ\u{3000}タロウ", name: "山田\u{3000}太郎", birthDate: LocalDate(year: 1970, month: 1, day: 2),
                postalCode: "1234567", prefecture: "東京都", municipality: "千代田区", address: "霞が関１－２－２",
                phone: "03-1234-5678", email: ""),
            recipientNumber: recipient, serverIndividualNumber: server, proxy: nil,
            requestTicked: true, signedFormReceived: true, reason: "カードの管理に不安があるため",
            applicationDate: LocalDate(year: 2026, month: 11, day: 24)!, branch: .assistanceOnly, insurance: nil,
            holdsValidTickets: false, explained: ["a", "b", "c", "d", "e", "f"])
        return try store.receive(app, ticketsIssuedNow: [], operatorID: "yamada", now: now)
    }
}
