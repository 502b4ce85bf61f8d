#if PostgreSQL
import Foundation
import MadoguchiCore
import MadoguchiPostgres
import Testing

/// What only the PostgreSQL store has to do (issue 15): lose its connection and come back, with nothing
/// written twice or lost; hear another terminal's line through NOTIFY.
@Suite("PostgreSQL store: lost connections, live catch-up", .tags(.unit, .store), .serialized)
struct PostgresStoreTests {
    @Test("a connection the server ends: at most one call says the store is out of reach, writing nothing; then it reconnects and writes once",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func reconnects() throws {
        let office = try PostgresOffice()
        defer { office.close() }
        let n = office.base
        let a = try office.terminal(as: "yamada")
        _ = try a.store.load()
        _ = try a.store.append(knownCount: n) { _ in [office.note("一", by: "yamada")] }
        try office.cutConnections(of: "yamada")
        var unavailable = 0
        var written: [JournalRecord] = []
        for _ in 0..<3 where written.isEmpty {
            do {
                written = try a.store.append(knownCount: n + 1) { _ in [office.note("二", by: "yamada")] }.appended
            } catch let e as JournalStoreUnavailable {
                unavailable += 1
                #expect(e.description.contains("データベースとの接続が切れました"))
                #expect(try office.terminal(as: "suzuki").store.load().records.count == n + 1, "nothing written while out of reach")
            }
        }
        #expect(unavailable <= 1)
        #expect(written.map(\.seq) == [n + 2])
        let all = try office.terminal(as: "suzuki").store.load().records
        #expect(office.ownLines(all).map { $0.data["note"]?.stringValue } == ["一", "二"])
    }

    @Test("an append never waits without end: the office's lock held elsewhere fails the save, clearly, with nothing written",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func lockHeldElsewhere() throws {
        let office = try PostgresOffice()
        defer { office.close() }
        office.lockTimeoutSeconds = 1
        let n = office.base
        let a = try office.terminal(as: "yamada")
        _ = try a.store.load()
        // A session that takes the office's lock and sits on it (stuck, or hostile).
        let holder = try PostgresLink.connect(try PG.adminSettings())
        defer { holder.close() }
        try holder.query("BEGIN")
        try holder.query("SELECT madoguchi.lock_office($1)", [.text(office.code)])
        let error = #expect(throws: JournalStoreError.self) {
            _ = try a.store.append(knownCount: n) { _ in [office.note("待つ", by: "yamada")] }
        }
        #expect(error?.description.contains("ほかの端末が記録の書き込みを長く止めている") == true, "\(String(describing: error))")
        try holder.query("ROLLBACK")
        #expect(try a.store.append(knownCount: n) { _ in [office.note("一", by: "yamada")] }.appended.map(\.seq) == [n + 1])
    }

    @Test("another terminal's line is announced and read at the next look; with nothing announced the look is empty",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func hearsOtherTerminals() throws {
        let office = try PostgresOffice()
        defer { office.close() }
        let n = office.base
        let a = try office.terminal(as: "yamada"), b = try office.terminal(as: "suzuki")
        _ = try a.store.load()
        _ = try b.store.load()
        #expect(try b.store.records(after: n).isEmpty)
        _ = try a.store.append(knownCount: n) { _ in [office.note("一", by: "yamada")] }
        var seen: [JournalRecord] = []
        let deadline = Date().addingTimeInterval(5)
        while seen.isEmpty && Date() < deadline {
            seen = try b.store.records(after: n)
            if seen.isEmpty { usleep(20_000) }
        }
        #expect(seen.map(\.seq) == [n + 1])
        #expect(try b.store.records(after: n + 1).isEmpty)
    }
}
#endif

#if PostgreSQL
/// `[store] password_file` (SCRAM from another machine): only a regular file of the operator's own,
/// readable by nobody else, is read; every refusal names the file and says what to do. No server needed.
@Suite("PostgreSQL store: the operator's password file", .tags(.unit))
struct PasswordFileTests {
    @Test("a 0600 file of one's own gives the password (newline trimmed); missing, a link, readable by others or empty: refused, named")
    func passwordFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-pw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("db-password")
        try "s3cret-パス\n".write(to: good, atomically: true, encoding: .utf8)
        chmod(good.path, 0o600)
        let location = PostgresLocation(endpoint: .tcp(host: "db.city.example", port: 5432, tls: .require(caFile: nil)),
                                        database: "madoguchi", passwordFile: good.path)
        let op = Operator(id: "yamada", name: "山田 花子", role: .clerk, account: "yamada")
        let settings = try OfficeDatabase.settings(location, as: op)
        #expect(settings.password == "s3cret-パス" && settings.role == "yamada")

        func refused(_ path: String) -> String {
            var l = location
            l.passwordFile = path
            do { _ = try OfficeDatabase.settings(l, as: op); return "" } catch { return "\(error)" }
        }
        #expect(refused(dir.appendingPathComponent("none").path).contains("ありません"))
        let link = dir.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: good)
        #expect(refused(link.path).contains("リンク"))
        let open = dir.appendingPathComponent("open")
        try "x\n".write(to: open, atomically: true, encoding: .utf8)
        chmod(open.path, 0o644)
        #expect(refused(open.path).contains("chmod 600"))
        let empty = dir.appendingPathComponent("empty")
        try "\n".write(to: empty, atomically: true, encoding: .utf8)
        chmod(empty.path, 0o600)
        #expect(refused(empty.path).contains("空です"))
    }
}
#endif
