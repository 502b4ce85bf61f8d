#if PostgreSQL
import Foundation
import MadoguchiPostgres
import Testing

/// The cluster `.ci/postgres.sh start DIR` made (source DIR/env): MADOGUCHI_TEST_PG_SOCKET_DIR,
/// MADOGUCHI_TEST_PG_PORT, MADOGUCHI_TEST_PG_DATABASE, MADOGUCHI_TEST_PG_ADMIN_ROLE. Without them the
/// tests are skipped with the reason, except under CI=true where they fail.
///
/// How the test process (root in CI) becomes other roles: the administrator (the OS account running
/// the tests, mapped by peer to a superuser role of its own name by .ci/postgres.sh) creates each
/// test's staff roles with `DatabaseAdmin.addStaff` and gives them a random SCRAM password; the tests
/// connect as them over TCP to 127.0.0.1 (scram-sha-256 in pg_hba.conf). So both authentications are
/// exercised: peer for the administrator, SCRAM for the clerks and the city.
enum PG {
    static let env = ProcessInfo.processInfo.environment
    static func value(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
    static let socketDir = value("MADOGUCHI_TEST_PG_SOCKET_DIR")
    static let port = value("MADOGUCHI_TEST_PG_PORT").flatMap(Int.init)
    static let database = value("MADOGUCHI_TEST_PG_DATABASE")
    /// The CA of the cluster's TLS certificate (for 127.0.0.1), when .ci/postgres.sh made one.
    static let caFile = value("MADOGUCHI_TEST_PG_CA_FILE")
    static let adminRole = value("MADOGUCHI_TEST_PG_ADMIN_ROLE") ?? value("USER") ?? "root"
    static let inCI = env["CI"] == "true"
    static var ready: Bool { socketDir != nil && port != nil && database != nil }
    static let skipReason: Comment = "PostgreSQL のテスト用クラスタがないので飛ばします：.ci/postgres.sh start DIR で作り、DIR/env を source して MADOGUCHI_TEST_PG_SOCKET_DIR・MADOGUCHI_TEST_PG_PORT・MADOGUCHI_TEST_PG_DATABASE を渡します（.ci/run が行います。CI では失敗にします）"

    static func adminSettings() throws -> PostgresSettings {
        let dir = try #require(socketDir, "CI: MADOGUCHI_TEST_PG_SOCKET_DIR がありません（.ci/run が .ci/postgres.sh でクラスタを作ります）")
        let port = try #require(port, "CI: MADOGUCHI_TEST_PG_PORT がありません")
        let db = try #require(database, "CI: MADOGUCHI_TEST_PG_DATABASE がありません")
        return PostgresSettings(endpoint: .socket(directory: dir, port: port), database: db, role: adminRole)
    }

    /// The administrator's link, with the schema applied.
    static func admin() throws -> PostgresLink {
        let link = try PostgresLink.connect(try adminSettings())
        try DatabaseAdmin(link: link).migrate()
        return link
    }

    static func tcpSettings(role: String, password: String, tls: PostgresSettings.TLS = .disable) throws -> PostgresSettings {
        let port = try #require(port, "CI: MADOGUCHI_TEST_PG_PORT がありません")
        let db = try #require(database, "CI: MADOGUCHI_TEST_PG_DATABASE がありません")
        return PostgresSettings(endpoint: .tcp(host: "127.0.0.1", port: port, tls: tls), database: db, role: role, password: password)
    }

    static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// An office code no earlier run used (the journal is append-only: offices stay).
    static func newOffice(_ admin: PostgresLink) throws -> String {
        while true {
            let code = String(UInt32.random(in: 10_000_000...99_999_999))
            if try DatabaseAdmin(link: admin).addOffice(office: code, name: "テスト事務所 \(code)") { return code }
        }
    }
}

/// One test's offices and roles; `close()` drops the roles (the offices and their rows stay: the
/// journal is append-only even for the administrator).
final class PGFixture {
    let admin: PostgresLink
    let tag = PG.randomHex(4)
    private(set) var roles: [String] = []
    private var links: [PostgresLink] = []

    init() throws { admin = try PG.admin() }

    func office() throws -> String { try PG.newOffice(admin) }

    /// A staff role with a SCRAM password; returns its name and a link as it.
    func staff(_ name: String, office: String?, operatorID: String, kind: DatabaseAdmin.StaffKind) throws -> (role: String, link: PostgresLink) {
        let role = "mdgt_\(tag)_\(name)"
        try DatabaseAdmin(link: admin).addStaff(dbRole: role, office: office, operatorID: operatorID, kind: kind)
        roles.append(role)
        let password = PG.randomHex(16)
        try admin.query("ALTER ROLE \(DatabaseNames.quote(role)) PASSWORD '\(password)'")
        let link = try PostgresLink.connect(try PG.tcpSettings(role: role, password: password))
        links.append(link)
        return (role, link)
    }

    /// A role's password, set again (for a second link as the same role).
    func link(as role: String, tls: PostgresSettings.TLS = .disable) throws -> PostgresLink {
        let password = PG.randomHex(16)
        try admin.query("ALTER ROLE \(DatabaseNames.quote(role)) PASSWORD '\(password)'")
        let link = try PostgresLink.connect(try PG.tcpSettings(role: role, password: password, tls: tls))
        links.append(link)
        return link
    }

    /// Sets a new password for `role` and returns it.
    func newPassword(_ role: String) throws -> String {
        let password = PG.randomHex(16)
        try admin.query("ALTER ROLE \(DatabaseNames.quote(role)) PASSWORD '\(password)'")
        return password
    }

    /// Changes `office`'s row `seq` as a superuser who switches the triggers off for the session: the
    /// attack the hash chain (and `migrate`'s prefix check) is kept for.
    func rewrite(office: String, seq: Int, _ change: (String) -> String) throws {
        try admin.transaction {
            try admin.query("SET LOCAL session_replication_role = replica")
            let old = try #require(try admin.query("SELECT line FROM madoguchi.journal WHERE office = $1 AND seq = $2",
                                                   [.text(office), .int(Int64(seq))]).first?.first?.text)
            try admin.query("UPDATE madoguchi.journal SET line = $1 WHERE office = $2 AND seq = $3",
                            [.text(change(old)), .text(office), .int(Int64(seq))])
        }
    }

    func close() {
        links.forEach { $0.close() }
        for role in roles {
            _ = try? admin.query("DELETE FROM madoguchi.staff WHERE db_role = $1", [.text(role)])
            _ = try? admin.query("DROP ROLE IF EXISTS \(DatabaseNames.quote(role))")
        }
        admin.close()
    }
}

/// A journal-like line: the fields the triggers read, in the journal's key order.
func testLine(seq: Int64, operatorID: String, note: String = "") -> String {
    #"{"seq":\#(seq),"operator":"\#(operatorID)","kind":"test","note":"\#(note)"}"#
}

/// Appends the office's next line as a writer does: lock the office, read the last seq, insert.
@discardableResult
func appendNext(_ link: PostgresLink, office: String, operatorID: String, note: String = "") throws -> Int64 {
    try link.transaction {
        try link.query("SELECT madoguchi.lock_office($1)", [.text(office)])
        let last = try link.query("SELECT coalesce(max(seq), 0)::int8 FROM madoguchi.journal WHERE office = $1", [.text(office)]).first?.first?.int ?? 0
        let seq = last + 1
        try link.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, $2, $3, $4)",
                       [.text(office), .int(seq), .text(operatorID), .text(testLine(seq: seq, operatorID: operatorID, note: note))])
        return seq
    }
}

/// The error a throwing body threw, as a link error (nil: it did not throw one).
func linkError(_ body: () throws -> Void) -> PostgresLinkError? {
    do { try body(); return nil } catch let e as PostgresLinkError { return e } catch { return nil }
}
#endif
