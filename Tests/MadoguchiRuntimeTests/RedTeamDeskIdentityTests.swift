import Foundation
import Testing
@testable import MadoguchiCore
import MadoguchiUI
@testable import MadoguchiRuntime

/// Issue 12 "Done when", the desk's half of "a clerk acting as the supervisor is refused" (R-SG-1):
/// in a production office the desk works only as the operator proven before it opened; asking it to
/// work as another — as a login menu or the training screen's switch would — is refused, and a line
/// in another's name cannot be written.
@Suite("Red team: the desk works only as the proven operator (R-SG-1)", .tags(.unit))
struct RedTeamDeskIdentityTests {
    @Test("production: signed in as yamada, the desk refuses to become sato and writes nothing as sato")
    func deskRefusesAnotherOperator() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-desk-identity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let yamada = Operator(id: "yamada", name: "山田 花子", role: .clerk, account: "yamada")
        let sato = Operator(id: "sato", name: "佐藤 一郎", role: .supervisor, account: "sato")
        let config = OfficeConfig(officeName: "みどり市福祉事務所", publicPayerNumber: "12130019", serverCode: "D1300019",
                                  mode: .production, dataDirectory: dir, operators: [yamada, sato],
                                  source: dir.appendingPathComponent("office.toml"))
        let satoKey = try OperatorSigningKey.generate(operatorID: "sato")
        let yamadaKey = try OperatorSigningKey.generate(operatorID: "yamada")
        let setup = CaseStore(journalURL: config.journalURL)
        try setup.load()
        try OfficeTrust.openOffice(store: setup, config: config, supervisor: ProvenOperator(op: sato, key: satoKey, proof: "t"),
                                   now: RuntimeFixture.morning)
        try OfficeTrust.enrol(yamada, publicKey: yamadaKey.publicKey, store: setup, by: sato, now: RuntimeFixture.morning)

        let services = OfficeDeskServices(config: config, store: CaseStore(journalURL: config.journalURL),
                                          clock: ManualDeskClock(RuntimeFixture.morning),
                                          noticeTemplates: RuntimeFixture.root.appendingPathComponent("config/notices"), training: nil)
        try services.store.load()
        services.proven = ProvenOperator(op: yamada, key: yamadaKey, proof: "OSアカウント yamada")
        try services.signIn(yamada)
        let before = try Data(contentsOf: config.journalURL)
        #expect(throws: KeyError.self) { try services.signIn(sato) }
        // Whatever the screen asks, the store writes only as yamada.
        #expect(throws: JournalError.self) {
            try services.store.appendTrustLine(type: "test.note", data: .object([:]), operatorID: "sato", now: RuntimeFixture.morning)
        }
        let refused = services.perform(.decideBatch(id: "B20261124-1", approve: true, comment: ""), by: sato)
        #expect(!refused.isEmpty)
        #expect(try Data(contentsOf: config.journalURL) == before, "nothing written in sato's name")
    }
}

@Suite("The desk records a recreated anchor (R-SG-3)", .tags(.unit))
struct DeskAnchorRecreatedTests {
    @Test("anchor deleted: the desk's start-up says so, and the first operator's sign-in records anchor.recreated")
    func anchorRecreatedIsRecorded() throws {
        let (config, _, _) = try RuntimeFixture.officeWithOneCase()
        try FileManager.default.removeItem(at: URL(fileURLWithPath: config.journalURL.path + ".anchor"))
        let services = OfficeDeskServices(config: config, store: CaseStore(journalURL: config.journalURL),
                                          clock: ManualDeskClock(RuntimeFixture.morning),
                                          noticeTemplates: RuntimeFixture.root.appendingPathComponent("config/notices"), training: nil)
        let loaded = try services.store.load()
        #expect(loaded.anchorRecreated && loaded.warnings.contains { $0.contains("作り直しました") })
        services.anchorRecreatedAt = loaded.records.count
        try services.signIn(config.operators[0])
        let last = try #require(try CaseStore(journalURL: config.journalURL).load().records.last)
        #expect(last.eventType == .anchorRecreated && last.operatorID == config.operators[0].id)
    }
}
