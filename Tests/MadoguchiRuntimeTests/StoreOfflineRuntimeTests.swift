import Foundation
import Testing
import MadoguchiCore
@testable import MadoguchiRuntime
import MadoguchiUI

/// A store that can be cut off, as a database's connection can (issue 15): while `offline`, every
/// call throws `JournalStoreUnavailable` and nothing reaches the journal behind it.
final class CuttableStore: JournalStore, @unchecked Sendable {
    let inner: Journal
    var offline = false
    init(_ inner: Journal) { self.inner = inner }

    private func reachable() throws {
        if offline { throw JournalStoreUnavailable("データベースとの接続が切れました。再接続を試みています（入力した内容は消えていません）") }
    }
    var name: String { inner.name }
    var signer: OperatorSigningKey? { get { inner.signer } set { inner.signer = newValue } }
    var unsignedEraRoles: [String: Operator.Role] { get { inner.unsignedEraRoles } set { inner.unsignedEraRoles = newValue } }
    var trust: JournalTrust? { inner.trust }
    var localJournal: Journal? { inner }
    func load() throws -> JournalLoad { try reachable(); return try inner.load() }
    func records(after knownCount: Int) throws -> [JournalRecord] { try reachable(); return try inner.records(after: knownCount) }
    func append(knownCount: Int?, _ body: ([JournalRecord]) throws -> [EventDraft]) throws -> (fromOthers: [JournalRecord], appended: [JournalRecord]) {
        try reachable()
        return try inner.append(knownCount: knownCount, body)
    }
    func exactLines() throws -> [UInt8] { try reachable(); return try inner.exactLines() }
}

@Suite("Desk runtime: the office's store out of reach (issue 15)", .tags(.unit))
struct StoreOfflineRuntimeTests {
    @Test("a lost store is said on the status line and stays said; a write fails, nothing is written; back again, the desk says so and writes")
    func offlineThenOnline() throws {
        let config = try RuntimeFixture.office()
        let store = CuttableStore(Journal(url: config.journalURL))
        let services = OfficeDeskServices(config: config, store: CaseStore(journal: store), clock: ManualDeskClock(RuntimeFixture.morning),
                                          noticeTemplates: RuntimeFixture.root.appendingPathComponent("config/notices"), training: nil,
                                          form: RuntimeFixture.form)
        try services.store.load()
        let clerk = config.operators.first { $0.role == .clerk }!
        try services.signIn(clerk)
        _ = try RuntimeFixture.receive(services.store, name: "山田　太郎", furigana: "ヤマダ タロウ", recipientBody: "123456",
                                       at: RuntimeFixture.morning - 3600)
        let linesBefore = RuntimeFixture.journalLines(config).count
        var linesWhileOffline = -1
        let terminal = ScriptedTerminal([
            .idle,
            .run { store.offline = true },
            .idle,
            .key(.down), .key(.up),                       // keys in between: the status still says it
            .key(.function(3)),                            // F3: a write while the store is out of reach
            .run { linesWhileOffline = RuntimeFixture.journalLines(config).count },
            .key(.escape),
            .run { store.offline = false },
            .idle,
            .key(.function(3)),                            // and again, reachable
        ])
        try RuntimeFixture.runtime(terminal, services, config).run(operator: clerk)
        let texts = terminal.frames.map(\.text)
        let lostAt = try #require(texts.firstIndex { $0.contains("データベースとの接続が切れました") })
        #expect(texts[lostAt...].prefix(3).allSatisfy { $0.contains("データベースとの接続が切れました") })
        #expect(linesWhileOffline == linesBefore)
        #expect(texts.contains { $0.contains("できませんでした") && $0.contains("データベースとの接続が切れました") })
        let backAt = try #require(texts.firstIndex { $0.contains("データベースに再接続しました") })
        #expect(backAt > lostAt)
        #expect(RuntimeFixture.journalLines(config).contains { $0.contains("\"batch.prepared\"") })
    }
}
