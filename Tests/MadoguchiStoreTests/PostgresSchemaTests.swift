#if PostgreSQL
import Foundation
import MadoguchiPostgres
import Testing

/// Issue 15: what the engine enforces, against a real server (the cluster of .ci/postgres.sh).
@Suite("PostgreSQL schema: migrations, office isolation, append-only, operator from the role, gapless seq, NOTIFY", .tags(.unit, .store), .serialized)
struct PostgresSchemaTests {
    @Test("the migrations apply, and applying them again changes nothing",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func migrationsIdempotent() throws {
        let admin = try PG.admin()   // applies whatever is missing
        defer { admin.close() }
        let db = DatabaseAdmin(link: admin)
        #expect(try db.currentVersion() == Migrations.all.last?.version)
        #expect(try db.migrate().isEmpty)
        // Each migration's SQL re-run as it is (what a half-recorded init would do) fails nothing. The
        // other store suites write to the same database meanwhile, and DDL beside their inserts can
        // deadlock; PostgreSQL then aborts one transaction (40P01), which is retried, as its manual
        // says. Any other error, or a fourth deadlock in a row, fails the test.
        for migration in Migrations.all {
            for attempt in 1...4 {
                do {
                    try admin.transaction {
                        for statement in SQLScript.statements(migration.sql) { try admin.query(statement) }
                    }
                    break
                } catch let e as PostgresLinkError where e.sqlState == "40P01" && attempt < 4 {
                    continue
                }
            }
        }
        #expect(try db.currentVersion() == Migrations.all.last?.version)
        let versions = try admin.query("SELECT version::int8 FROM madoguchi.schema_version ORDER BY version").compactMap { $0.first?.int }
        #expect(versions == Migrations.all.map { Int64($0.version) })
    }

    @Test("a clerk sees and writes only their office; the city sees every office and writes none",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func officeIsolation() throws {
        let f = try PGFixture()
        defer { f.close() }
        let a = try f.office(), b = try f.office()
        let clerkA = try f.staff("a", office: a, operatorID: "yamada", kind: .clerk).link
        let clerkB = try f.staff("b", office: b, operatorID: "sato", kind: .supervisor).link
        let city = try f.staff("city", office: nil, operatorID: "city1", kind: .city).link
        try appendNext(clerkA, office: a, operatorID: "yamada")
        try appendNext(clerkB, office: b, operatorID: "sato")

        let seenByA = try clerkA.query("SELECT office FROM madoguchi.journal WHERE office IN ($1, $2)", [.text(a), .text(b)])
        #expect(seenByA == [[.text(a)]])
        #expect(try clerkA.query("SELECT count(*)::int8 FROM madoguchi.journal WHERE office = $1", [.text(b)]) == [[.int(0)]])
        let seenByCity = try city.query("SELECT office FROM madoguchi.journal WHERE office IN ($1, $2) ORDER BY office", [.text(a), .text(b)])
        #expect(seenByCity == [[.text(min(a, b))], [.text(max(a, b))]])

        // A into B: refused by the trigger, naming the office.
        let intoB = linkError {
            try clerkA.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, 2, 'yamada', $2)",
                             [.text(b), .text(testLine(seq: 2, operatorID: "yamada"))])
        }
        #expect(intoB?.sqlState == "42501")
        #expect(intoB?.description.contains("ほかの事務所の記録は書けません") == true)
        #expect(intoB?.description.contains(b) == true)
        // Nor can A lock B's journal.
        #expect(linkError { try clerkA.query("SELECT madoguchi.lock_office($1)", [.text(b)]) }?.sqlState == "42501")
        // The city writes nothing.
        let cityInsert = linkError {
            try city.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, 2, 'city1', $2)",
                           [.text(a), .text(testLine(seq: 2, operatorID: "city1"))])
        }
        #expect(cityInsert?.sqlState == "42501")
        // A clerk cannot read who is who.
        #expect(linkError { try clerkA.query("SELECT * FROM madoguchi.staff") }?.sqlState == "42501")
        #expect(try clerkA.query("SELECT office, operator_id, kind FROM madoguchi.whoami()") == [[.text(a), .text("yamada"), .text("clerk")]])
    }

    @Test("nobody changes or removes a row: a clerk is denied, the owner and a superuser meet the trigger",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func appendOnly() throws {
        let f = try PGFixture()
        defer { f.close() }
        let a = try f.office()
        let clerk = try f.staff("a", office: a, operatorID: "yamada", kind: .clerk).link
        try appendNext(clerk, office: a, operatorID: "yamada")
        for sql in ["UPDATE madoguchi.journal SET line = 'x' WHERE office = $1",
                    "DELETE FROM madoguchi.journal WHERE office = $1"] {
            let denied = linkError { try clerk.query(sql, [.text(a)]) }
            #expect(denied?.sqlState == "42501")
            #expect(denied?.serverMessage?.contains("permission denied") == true)
        }
        #expect(linkError { try clerk.query("TRUNCATE madoguchi.journal") }?.serverMessage?.contains("permission denied") == true)

        let appendOnlyText = "記録は追記のみです（UPDATE/DELETE/TRUNCATE はできません）"
        for sql in ["UPDATE madoguchi.journal SET line = 'x' WHERE office = '\(a)'",
                    "DELETE FROM madoguchi.journal WHERE office = '\(a)'",
                    "TRUNCATE madoguchi.journal"] {
            // As the owning role (what a member of madoguchi_owner would do) and as the superuser.
            let asOwner = linkError {
                try f.admin.transaction {
                    try f.admin.query("SET LOCAL ROLE madoguchi_owner")
                    try f.admin.query(sql)
                }
            }
            #expect(asOwner?.serverMessage == appendOnlyText, "\(sql)")
            #expect(linkError { try f.admin.query(sql) }?.serverMessage == appendOnlyText, "\(sql)")
        }
        #expect(try f.admin.query("SELECT count(*)::int8 FROM madoguchi.journal WHERE office = $1", [.text(a)]) == [[.int(1)]])
    }

    @Test("operator_id and db_role come from the login role whatever the client sends; the line must agree",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func operatorFromRole() throws {
        let f = try PGFixture()
        defer { f.close() }
        let a = try f.office()
        let (role, clerk) = try f.staff("a", office: a, operatorID: "yamada", kind: .clerk)
        try clerk.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line, db_role) VALUES ($1, 1, 'suzuki', $2, 'postgres')",
                        [.text(a), .text(testLine(seq: 1, operatorID: "yamada"))])
        let row = try f.admin.query("SELECT operator_id, db_role::text, line FROM madoguchi.journal WHERE office = $1", [.text(a)])
        #expect(row == [[.text("yamada"), .text(role), .text(testLine(seq: 1, operatorID: "yamada"))]])

        let forged = linkError {
            try clerk.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, 2, 'yamada', $2)",
                            [.text(a), .text(testLine(seq: 2, operatorID: "suzuki"))])
        }
        #expect(forged?.sqlState == "23514")
        #expect(forged?.serverMessage?.contains("line の operator \"suzuki\"") == true)
        let seqMismatch = linkError {
            try clerk.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, 2, 'yamada', $2)",
                            [.text(a), .text(testLine(seq: 3, operatorID: "yamada"))])
        }
        #expect(seqMismatch?.serverMessage?.contains("line の seq（3）が列 seq（2）と違います") == true)
        let newline = linkError {
            try clerk.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, 2, 'yamada', $2)",
                            [.text(a), .text(testLine(seq: 2, operatorID: "yamada") + "\n")])
        }
        #expect(newline?.serverMessage?.contains("line に改行があります") == true)
        let gap = linkError {
            try clerk.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, 5, 'yamada', $2)",
                            [.text(a), .text(testLine(seq: 5, operatorID: "yamada"))])
        }
        #expect(gap?.serverMessage?.contains("seq が連番ではありません：事務所 \(a) の次は 2 ですが、5 が送られました") == true)
        // The exact bytes come back (text, not jsonb: no reordering, no re-spacing).
        let spaced = #"{"seq":2,  "operator":"yamada","z":1,"a":"全角 テキスト"}"#
        try clerk.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, 2, '', $2)", [.text(a), .text(spaced)])
        #expect(try clerk.query("SELECT line FROM madoguchi.journal WHERE office = $1 AND seq = 2", [.text(a)]) == [[.text(spaced)]])
    }

    @Test("two roles of one office writing at once: seq stays 1…n without a gap, no writer fails; a rollback leaves no gap",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func gaplessUnderConcurrency() throws {
        let f = try PGFixture()
        defer { f.close() }
        let a = try f.office()
        let first = try f.staff("a1", office: a, operatorID: "yamada", kind: .clerk).link
        let second = try f.staff("a2", office: a, operatorID: "suzuki", kind: .clerk).link

        // Interleaved by hand: the second writer's transaction starts while the first holds the lock
        // and must wait for its COMMIT, then chains onto it.
        let secondPid = try #require(try second.query("SELECT pg_backend_pid()::int8").first?.first?.int)
        let holding = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let secondSeq = LockedBox<Result<Int64, any Error>?>(nil)
        DispatchQueue.global().async(group: done) {
            _ = holding.wait(timeout: .distantFuture)
            secondSeq.set(Result { try appendNext(second, office: a, operatorID: "suzuki") })
        }
        var sawSecondWaiting = false
        try first.transaction {
            try first.query("SELECT madoguchi.lock_office($1)", [.text(a)])
            try first.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, 1, '', $2)",
                            [.text(a), .text(testLine(seq: 1, operatorID: "yamada"))])
            holding.signal()
            // Commit only once the server shows the second writer waiting on the office's lock.
            for _ in 0..<1200 where !sawSecondWaiting {
                let waiting = try f.admin.query("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1::int4", [.int(secondPid)])
                sawSecondWaiting = waiting == [[.text("Lock")]]
                if !sawSecondWaiting { Thread.sleep(forTimeInterval: 0.05) }
            }
        }
        done.wait()
        #expect(sawSecondWaiting)
        #expect(try secondSeq.get()?.get() == 2)

        // A rolled-back append leaves no gap.
        _ = try? first.transaction {
            try appendNext(first, office: a, operatorID: "yamada")
            throw CancellationError()
        }
        #expect(try appendNext(second, office: a, operatorID: "suzuki") == 3)

        // Two writers, 60 appends each, at once.
        let perWriter = 60
        let failures = LockedBox<[String]>([])
        for (link, op) in [(first, "yamada"), (second, "suzuki")] {
            DispatchQueue.global().async(group: done) {
                for i in 0..<perWriter {
                    do { try appendNext(link, office: a, operatorID: op, note: "\(op)-\(i)") } catch { failures.update { $0.append("\(op) \(i): \(error)") } }
                }
            }
        }
        done.wait()
        #expect(failures.get() == [])
        let seqs = try f.admin.query("SELECT seq FROM madoguchi.journal WHERE office = $1 ORDER BY seq", [.text(a)]).compactMap { $0.first?.int }
        #expect(seqs == Array(1...Int64(3 + 2 * perWriter)))
        let byOperator = try f.admin.query("SELECT operator_id, count(*)::int8 FROM madoguchi.journal WHERE office = $1 GROUP BY operator_id ORDER BY operator_id", [.text(a)])
        #expect(byOperator == [[.text("suzuki"), .int(Int64(2 + perWriter))], [.text("yamada"), .int(Int64(1 + perWriter))]])
    }

    @Test("every insert is announced on madoguchi_journal_<office> with its seq; another office's is not heard",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func notifyArrives() throws {
        let f = try PGFixture()
        defer { f.close() }
        let a = try f.office(), b = try f.office()
        let writer = try f.staff("a", office: a, operatorID: "yamada", kind: .clerk).link
        let other = try f.staff("b", office: b, operatorID: "sato", kind: .clerk).link
        let listener = try f.staff("city", office: nil, operatorID: "city1", kind: .city).link
        let heard = LockedBox<[String]>([])
        let arrived = DispatchSemaphore(value: 0)
        try listener.listen(Migrations.channel(office: a)) { payload in
            heard.update { $0.append(payload) }
            arrived.signal()
        }
        try appendNext(other, office: b, operatorID: "sato")
        try appendNext(writer, office: a, operatorID: "yamada")
        try appendNext(writer, office: a, operatorID: "yamada")
        // A deadline only so a lost notification fails instead of hanging; nothing is asserted about time.
        for _ in 0..<2 { #expect(arrived.wait(timeout: .now() + 60) == .success) }
        #expect(heard.get() == ["1", "2"])
        #expect(throws: PostgresLinkError.self) { try listener.listen("madoguchi_journal_12130019; DROP TABLE x") { _ in } }
    }
}

/// The link's own behaviour against the server: the server's message on a refused login, a lost
/// connection named as such.
@Suite("PostgreSQL link: refused logins, lost connections, values", .tags(.unit, .store), .serialized)
struct PostgresLinkTests {
    @Test("a wrong password fails at once with the server's message; a missing socket names the socket",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func refusedLogins() throws {
        let f = try PGFixture()
        defer { f.close() }
        let a = try f.office()
        let (role, _) = try f.staff("a", office: a, operatorID: "yamada", kind: .clerk)
        let wrong = linkError { _ = try PostgresLink.connect(try PG.tcpSettings(role: role, password: "wrong")) }
        #expect(wrong?.sqlState == "28P01")
        #expect(wrong?.description.contains("データベースに接続できません") == true)
        #expect(wrong?.description.contains("password authentication failed") == true)
        var settings = try PG.adminSettings()
        settings.endpoint = .socket(directory: "/nonexistent-madoguchi", port: 5432)
        let missing = linkError { _ = try PostgresLink.connect(settings) }
        #expect(missing?.description.contains("/nonexistent-madoguchi/.s.PGSQL.5432") == true)
        // No TLS to another machine.
        let plain = linkError {
            _ = try PostgresLink.connect(PostgresSettings(endpoint: .tcp(host: "192.0.2.1", port: 5432, tls: .disable), database: "madoguchi", role: role))
        }
        #expect(plain?.description.contains("TLS") == true)
    }

    @Test("TLS required: the server's certificate is checked against the given CA; the system's roots refuse the test CA",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func tlsRequired() throws {
        let ca = try #require(PG.caFile, "MADOGUCHI_TEST_PG_CA_FILE がありません（.ci/postgres.sh は openssl があれば TLS の証明書を作ります）")
        let f = try PGFixture()
        defer { f.close() }
        let a = try f.office()
        let (role, _) = try f.staff("a", office: a, operatorID: "yamada", kind: .clerk)
        let secure = try f.link(as: role, tls: .require(caFile: ca))
        #expect(try secure.query("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == [[.text("true")]])
        #expect(try appendNext(secure, office: a, operatorID: "yamada") == 1)
        let password = try f.newPassword(role)
        let untrusted = linkError { _ = try PostgresLink.connect(try PG.tcpSettings(role: role, password: password, tls: .require(caFile: nil))) }
        #expect(untrusted?.description.contains("データベースに接続できません") == true)
        #expect(untrusted?.sqlState == nil)
        let missing = linkError { _ = try PostgresLink.connect(try PG.tcpSettings(role: role, password: password, tls: .require(caFile: "/nonexistent/ca.pem"))) }
        #expect(missing?.description.contains("/nonexistent/ca.pem") == true)
    }

    @Test("a connection the server ends surfaces as 「データベースとの接続が切れました」 and isOpen turns false",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func lostConnection() throws {
        let f = try PGFixture()
        defer { f.close() }
        let a = try f.office()
        let (_, clerk) = try f.staff("a", office: a, operatorID: "yamada", kind: .clerk)
        let pid = try #require(try clerk.query("SELECT pg_backend_pid()::int8").first?.first?.int)
        #expect(clerk.isOpen)
        try f.admin.query("SELECT pg_terminate_backend($1::int4)", [.int(pid)])
        let lost = linkError { try clerk.query("SELECT 1") }
        #expect(lost?.connectionLost == true)
        #expect(lost?.description.contains("データベースとの接続が切れました") == true)
        #expect(linkError { try clerk.query("SELECT 1") }?.connectionLost == true)
        #expect(!clerk.isOpen)
        clerk.close()
        clerk.close()
    }

    @Test("with a response timeout, a query the server does not answer in time closes the link as lost",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func responseTimeout() throws {
        let link = try PostgresLink.connect(try PG.adminSettings())
        defer { link.close() }
        link.responseTimeout = 0.2
        #expect(try link.query("SELECT 1::int8") == [[.int(1)]])
        let silent = linkError { try link.query("SELECT pg_sleep(30)") }
        #expect(silent?.connectionLost == true)
        #expect(silent?.description == "データベースとの接続が切れました（0.2 秒応答がありません）")
        #expect(!link.isOpen)
    }

    @Test("values: text, int8, NULL and bool both ways; a transaction rolls back when its body throws",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func valuesAndTransactions() throws {
        let link = try PostgresLink.connect(try PG.adminSettings())
        defer { link.close() }
        let row = try link.query("SELECT $1::text, $2::int8, $3::text, 42::int4, true, 'ａ\"b'::name::text", [.text("窓口"), .int(-7), .null])
        #expect(row == [[.text("窓口"), .int(-7), .null, .int(42), .text("t"), .text("ａ\"b")]])
        try link.query("CREATE TEMP TABLE t (x int8)")
        _ = try? link.transaction {
            try link.query("INSERT INTO t VALUES (1)")
            throw CancellationError()
        }
        try link.transaction { try link.query("INSERT INTO t VALUES (2)") }
        #expect(try link.query("SELECT x FROM t") == [[.int(2)]])
    }
}

/// A value shared with background threads.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ v: Value) { lock.withLock { value = v } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&value) } }
}
#endif
