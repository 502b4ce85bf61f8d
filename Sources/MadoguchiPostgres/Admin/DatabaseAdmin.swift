#if PostgreSQL
import Foundation

/// The administrator's work on the office database (`madoguchi db …`): apply the schema, add offices
/// and staff, show the state. Runs on a link of a superuser or a member of madoguchi_owner (peer, as
/// the OS account postgres or the one mapped to such a role). Every name that goes into DDL is checked
/// first (`DatabaseNames`), then double-quoted.
public struct DatabaseAdmin {
    public let link: PostgresLink

    public init(link: PostgresLink) { self.link = link }

    // MARK: Migrations

    /// The highest applied version, 0 when the schema is not there yet.
    public func currentVersion() throws -> Int {
        let exists = try link.query("SELECT to_regclass('madoguchi.schema_version') IS NOT NULL")
        guard exists.first?.first == .text("t") else { return 0 }
        return Int(try link.query("SELECT coalesce(max(version), 0)::int8 FROM madoguchi.schema_version").first?.first?.int ?? 0)
    }

    /// Applies the migrations not applied yet, in order, each in its own transaction under a
    /// cluster-wide advisory lock (two `db init` at once: the second finds the work done). Returns
    /// those it applied (empty: up to date).
    @discardableResult
    public func migrate(_ migrations: [Migration] = Migrations.all) throws -> [Migration] {
        var applied: [Migration] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            let did: Bool = try link.transaction {
                try link.query("SELECT pg_advisory_xact_lock(hashtextextended('madoguchi:migrate', 0))")
                guard try currentVersion() < migration.version else { return false }
                for statement in SQLScript.statements(migration.sql) {
                    do {
                        try link.query(statement)
                    } catch let error as PostgresLinkError {
                        throw PostgresLinkError("移行 \(migration.version)（\(migration.name)）を適用できません：\(error.description)\n文：\(statement.prefix(200))",
                                                sqlState: error.sqlState, serverMessage: error.serverMessage, connectionLost: error.connectionLost)
                    }
                }
                try link.query("INSERT INTO madoguchi.schema_version (version, name) VALUES ($1, $2)",
                               [.int(Int64(migration.version)), .text(migration.name)])
                return true
            }
            if did { applied.append(migration) }
        }
        return applied
    }

    // MARK: Offices and staff

    /// Adds the office, or renames it. Returns true when it was new.
    @discardableResult
    public func addOffice(office: String, name: String) throws -> Bool {
        try DatabaseNames.checkOffice(office)
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PostgresLinkError("事務所の名前（--name）が空か、制御文字を含んでいます")
        }
        let rows = try link.query("""
            INSERT INTO madoguchi.offices (office, name) VALUES ($1, $2)
            ON CONFLICT (office) DO UPDATE SET name = excluded.name
            RETURNING (xmax = 0)
            """, [.text(office), .text(trimmed)])
        return rows.first?.first == .text("t")
    }

    public enum StaffKind: String, CaseIterable, Sendable {
        case clerk, supervisor, city
        /// The group role that carries the privileges.
        public var groupRole: String { self == .city ? "madoguchi_city" : "madoguchi_clerk" }
    }

    public struct StaffAdded: Sendable, Equatable {
        /// The login role was created now (false: it existed and was granted the group).
        public let createdRole: Bool
        /// The line the administrator adds to pg_ident.conf (map `madoguchi`).
        public let identLine: String
    }

    /// Creates the login role when missing (LOGIN, no password: peer locally; `ALTER ROLE … PASSWORD`
    /// for SCRAM from other machines), grants it its group role and writes its staff row (replacing
    /// an earlier one). `osAccount` is only for the printed pg_ident.conf line.
    @discardableResult
    public func addStaff(dbRole: String, office: String?, operatorID: String, kind: StaffKind, osAccount: String? = nil) throws -> StaffAdded {
        try DatabaseNames.checkRole(dbRole)
        try DatabaseNames.checkOperator(operatorID)
        switch (kind, office) {
        case (.city, nil): break
        case (.city, .some):
            throw PostgresLinkError("市の閲覧用（--kind city）には事務所（--office）を付けません")
        case (_, nil):
            throw PostgresLinkError("--kind \(kind.rawValue) には事務所（--office、8 桁の公費負担者番号）が要ります")
        case (_, .some(let code)):
            try DatabaseNames.checkOffice(code)
        }
        if let osAccount { try DatabaseNames.checkRole(osAccount, what: "OS のアカウント名") }
        return try link.transaction {
            if let office {
                let known = try link.query("SELECT 1 FROM madoguchi.offices WHERE office = $1", [.text(office)])
                guard !known.isEmpty else {
                    throw PostgresLinkError("事務所 \(office) はまだ登録されていません。先に madoguchi db add-office --office \(office) --name … を実行してください")
                }
            }
            let exists = !(try link.query("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", [.text(dbRole)])).isEmpty
            let quoted = DatabaseNames.quote(dbRole)
            if !exists {
                try link.query("CREATE ROLE \(quoted) LOGIN")
            }
            let other = kind == .city ? StaffKind.clerk.groupRole : StaffKind.city.groupRole
            try link.query("REVOKE \(other) FROM \(quoted)")
            try link.query("GRANT \(kind.groupRole) TO \(quoted)")
            try link.query("""
                INSERT INTO madoguchi.staff (db_role, office, operator_id, kind) VALUES ($1, $2, $3, $4)
                ON CONFLICT (db_role) DO UPDATE SET office = excluded.office, operator_id = excluded.operator_id, kind = excluded.kind
                """, [.text(dbRole), office.map(SQLValue.text) ?? .null, .text(operatorID), .text(kind.rawValue)])
            return StaffAdded(createdRole: !exists, identLine: "madoguchi  \(osAccount ?? dbRole)  \(dbRole)")
        }
    }

    // MARK: Status

    public struct Status: Sendable, Equatable {
        public struct Office: Sendable, Equatable { public let office: String; public let name: String; public let rows: Int64; public let lastSeq: Int64 }
        public struct Staff: Sendable, Equatable { public let dbRole: String; public let office: String?; public let operatorID: String; public let kind: String }
        public let version: Int
        public let latest: Int
        public let offices: [Office]
        public let staff: [Staff]
    }

    public func status() throws -> Status {
        let version = try currentVersion()
        let latest = Migrations.all.map(\.version).max() ?? 0
        guard version > 0 else { return Status(version: 0, latest: latest, offices: [], staff: []) }
        let offices = try link.query("""
            SELECT o.office, o.name, count(j.seq)::int8, coalesce(max(j.seq), 0)::int8
            FROM madoguchi.offices o LEFT JOIN madoguchi.journal j ON j.office = o.office
            GROUP BY o.office, o.name ORDER BY o.office
            """).map { Status.Office(office: $0[0].text ?? "", name: $0[1].text ?? "", rows: $0[2].int ?? 0, lastSeq: $0[3].int ?? 0) }
        let staff = try link.query("SELECT db_role::text, office, operator_id, kind FROM madoguchi.staff ORDER BY office NULLS LAST, db_role")
            .map { Status.Staff(dbRole: $0[0].text ?? "", office: $0[1].text, operatorID: $0[2].text ?? "", kind: $0[3].text ?? "") }
        return Status(version: version, latest: latest, offices: offices, staff: staff)
    }
}

/// The checks names pass before they go into DDL or a channel name.
public enum DatabaseNames {
    /// An office is its 公費負担者番号: 8 ASCII digits.
    public static func isOffice(_ s: String) -> Bool {
        s.utf8.count == 8 && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    public static func checkOffice(_ s: String) throws {
        guard isOffice(s) else {
            throw PostgresLinkError("事務所の番号（--office）\"\(s)\" は 8 桁の半角数字（公費負担者番号）ではありません")
        }
    }

    /// A role name we create: `[a-z_][a-z0-9_]*`, at most 63 bytes, not PostgreSQL's `pg_…` nor our
    /// group roles, nor postgres.
    public static func isRole(_ s: String) -> Bool {
        guard let first = s.utf8.first, s.utf8.count <= 63 else { return false }
        let lowerOrUnderscore: (UInt8) -> Bool = { ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
        guard lowerOrUnderscore(first), s.utf8.allSatisfy({ lowerOrUnderscore($0) || ($0 >= 0x30 && $0 <= 0x39) }) else { return false }
        return !s.hasPrefix("pg_") && !["postgres", "madoguchi_owner", "madoguchi_clerk", "madoguchi_city", "public"].contains(s)
    }

    public static func checkRole(_ s: String, what: String = "ロール名（--db-role）") throws {
        guard isRole(s) else {
            throw PostgresLinkError("\(what) \"\(s)\" は使えません：半角の英小文字・数字・_ で、英小文字か _ で始まる 63 文字までにしてください（pg_ で始まる名前、postgres、madoguchi_owner・madoguchi_clerk・madoguchi_city は不可）")
        }
    }

    /// The journal's operator id, as office.toml's `[[operators]] id`: ASCII letters, digits, - _ .
    public static func checkOperator(_ s: String) throws {
        let ok = !s.isEmpty && s.utf8.count <= 64 && s.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
        }
        guard ok else {
            throw PostgresLinkError("操作者 ID（--operator）\"\(s)\" は使えません：半角英数字（- _ . も可）で 64 文字までにしてください")
        }
    }

    /// "name" with inner quotes doubled (after the checks above there are none).
    public static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
#endif
