import Foundation
import TOMLKit

/// `[store]`: where the office's journal is kept (issue 15). The local JSON Lines file in the data
/// folder is the default and the only choice for training; an office that chooses PostgreSQL keeps
/// its journal in the city's database, one office's rows beside the others'.
///
/// ```toml
/// [store]
/// kind = "postgres"                       # or "jsonl" (the default)
/// database = "madoguchi"
/// socket_directory = "/var/run/postgresql" # on the database's own machine: peer authentication by the OS account
/// port = 5432
/// # host = "db.city.example"               # from another machine: SCRAM over TLS (tls = "require", the default)
/// # ca_file = "/etc/madoguchi/city-ca.pem"
/// # password_file = "~/.config/madoguchi/db-password"   # 0600, the operator's own
/// ```
/// Each operator connects as their own database role: `[[operators]] db_role`, or their OS account.
public enum StoreConfig: Sendable, Equatable {
    case jsonl
    case postgres(PostgresLocation)

    public var isPostgres: Bool { if case .postgres = self { return true } else { return false } }
}

/// Where an office's PostgreSQL database is, as the config says it (the connection itself is made by
/// MadoguchiPostgres).
public struct PostgresLocation: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        /// On the database's machine: the Unix socket's folder and the server's port (peer).
        case socket(directory: String, port: Int)
        /// From another machine (SCRAM; TLS unless the host is this machine's loopback).
        case tcp(host: String, port: Int, tls: TLS)
    }
    public enum TLS: Sendable, Equatable { case disable, require(caFile: String?) }

    public var endpoint: Endpoint
    public var database: String
    /// Operator id → database role (`[[operators]] db_role`); an operator not named connects as their
    /// OS account (`account`), which is what peer authentication maps.
    public var roles: [String: String]
    /// A file holding the operator's database password (SCRAM over TCP): 0600, theirs. Never an option
    /// or an environment variable, which other processes can read.
    public var passwordFile: String?

    public init(endpoint: Endpoint, database: String, roles: [String: String] = [:], passwordFile: String? = nil) {
        self.endpoint = endpoint
        self.database = database
        self.roles = roles
        self.passwordFile = passwordFile
    }

    /// The role `op` connects as.
    public func role(of op: Operator) -> String { roles[op.id] ?? op.account ?? op.id }

    /// What messages call it.
    public var label: String {
        switch endpoint {
        case .socket(let dir, let port): return "PostgreSQL \(database)（\(dir) ポート \(port)）"
        case .tcp(let host, let port, _): return "PostgreSQL \(database)（\(host):\(port)）"
        }
    }

    /// A database or role name the config may give: letters, digits and `_`, starting with a letter
    /// or `_`, at most 63 bytes (PostgreSQL's identifier limit), lower case (unquoted identifiers fold).
    public static func isPlainIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.utf8.count <= 63 else { return false }
        return (first == "_" || ("a"..."z").contains(first))
            && s.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}

extension StoreConfig {
    /// `[store]` of a config, with `operators`' `db_role`s. Every problem names the key and its line.
    static func parse(_ table: TOMLTable, operators: [Operator], mode: OfficeConfig.Mode, text: String, fileLabel: String) throws -> StoreConfig {
        var roles: [String: String] = [:]
        if let opArray = table["operators"]?.array {
            for (i, item) in opArray.enumerated() {
                guard let t = item.table, t["db_role"] != nil else { continue }
                let id = t["id"]?.string ?? "\(i + 1) 人目"
                roles[id] = try dbRole(of: t, id: id, occurrence: i, text: text, fileLabel: fileLabel)
            }
        }
        return try parseSection(table, roles: roles, mode: mode, text: text, fileLabel: fileLabel)
    }

    /// One `[[operators]]` entry's `db_role` (the `occurrence`-th entry, `id` for messages); nil when
    /// it has none. An office config and a city config (`CityConfig`) read it the same way.
    static func dbRole(of t: TOMLTable, id: String, occurrence: Int, text: String, fileLabel: String) throws -> String? {
        guard let v = t["db_role"] else { return nil }
        guard let r = v.string, PostgresLocation.isPlainIdentifier(r) else {
            throw ConfigError(file: fileLabel, line: SourceLines.line(ofHeader: "[[operators]]", occurrence: occurrence, in: text),
                              message: "operators の \(id): db_role（データベースのロール名）は半角の英小文字・数字・_ で書いてください（63文字まで）")
        }
        return r
    }

    /// `[store]` itself, the operators' roles already read. An office config and a city config share it.
    static func parseSection(_ table: TOMLTable, roles: [String: String], mode: OfficeConfig.Mode, text: String, fileLabel: String) throws -> StoreConfig {
        guard let store = table["store"] else { return .jsonl }
        let header = SourceLines.line(ofHeader: "[store]", occurrence: 0, in: text)
        func fail(_ key: String, _ message: String) -> ConfigError {
            ConfigError(file: fileLabel, line: SourceLines.line(ofKey: key, inTable: "store", in: text) ?? header, message: message)
        }
        guard let t = store.table else {
            throw ConfigError(file: fileLabel, line: header, message: "[store] は表で書いてください（[store] の下に kind = \"jsonl\" か \"postgres\"）")
        }
        let known: Set<String> = ["kind", "database", "socket_directory", "host", "port", "tls", "ca_file", "password_file"]
        if let unknown = t.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail(unknown, "[store] の \(unknown) は知らない項目です（使えるのは \(known.sorted().joined(separator: "、"))）")
        }
        guard let kindValue = t["kind"] else { throw ConfigError(file: fileLabel, line: header, message: "[store] に kind（\"jsonl\" か \"postgres\"）がありません") }
        guard let kind = kindValue.string, kind == "jsonl" || kind == "postgres" else {
            throw fail("kind", "[store] kind は \"jsonl\"（この端末のファイル）か \"postgres\"（PostgreSQL）です")
        }
        if kind == "jsonl" {
            if let extra = t.keys.sorted().first(where: { $0 != "kind" }) {
                throw fail(extra, "[store] kind = \"jsonl\" には \(extra) は要りません（PostgreSQL の設定です）")
            }
            return .jsonl
        }
        guard mode == .production else {
            throw fail("kind", "研修用の事務所（mode = \"training\"）の記録はこの端末のファイルにだけ置けます（kind = \"jsonl\"）。研修のデータを本番のデータベースに混ぜないためです（R-SG-5）")
        }
        func value(_ key: String, _ label: String) throws -> String? {
            guard let v = t[key] else { return nil }
            guard let s = v.string, !s.isEmpty else { throw fail(key, "[store] \(key)（\(label)）は空でない文字列で書いてください") }
            return s
        }
        guard let database = try value("database", "データベース名") else {
            throw ConfigError(file: fileLabel, line: header, message: "[store] に database（データベース名）がありません")
        }
        guard PostgresLocation.isPlainIdentifier(database) else {
            throw fail("database", "[store] database（データベース名）\"\(database)\" は半角の英小文字・数字・_ で書いてください")
        }
        var port = 5432
        if let v = t["port"] {
            guard let p = v.int, (1...65535).contains(p) else { throw fail("port", "[store] port（ポート番号）は 1〜65535 の整数で書いてください") }
            port = p
        }
        let socket = try value("socket_directory", "ソケットのフォルダ")
        let host = try value("host", "データベースのホスト名")
        let endpoint: PostgresLocation.Endpoint
        switch (socket, host) {
        case (let dir?, nil):
            guard dir.hasPrefix("/") else { throw fail("socket_directory", "[store] socket_directory（ソケットのフォルダ）は / から始まる絶対パスで書いてください") }
            for key in ["tls", "ca_file"] where t[key] != nil {
                throw fail(key, "[store] \(key) は host（ネットワーク越しの接続）のときだけ使えます。ソケットでは OS のアカウントで確認します")
            }
            endpoint = .socket(directory: dir, port: port)
        case (nil, let h?):
            guard h.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":") }) else {
                throw fail("host", "[store] host（データベースのホスト名）\"\(h)\" は半角英数字と . - : で書いてください")
            }
            let tlsText = try value("tls", "暗号化") ?? "require"
            switch tlsText {
            case "require": endpoint = .tcp(host: h, port: port, tls: .require(caFile: try value("ca_file", "認証局の証明書")))
            case "disable":
                guard h == "127.0.0.1" || h == "::1" || h == "localhost" else {
                    throw fail("tls", "[store] tls = \"disable\" はこの端末の中（127.0.0.1）への接続にだけ使えます。ネットワーク越しでは暗号化が必要です（tls = \"require\"）")
                }
                endpoint = .tcp(host: h, port: port, tls: .disable)
            default: throw fail("tls", "[store] tls は \"require\"（暗号化する）か \"disable\"（この端末の中だけ）です")
            }
        case (nil, nil):
            throw ConfigError(file: fileLabel, line: header, message: "[store] に socket_directory（同じ機械のデータベース）か host（ネットワーク越し）のどちらかを書いてください")
        case (_?, _?):
            throw fail("host", "[store] socket_directory と host は同時に書けません（どちらか一方です）")
        }
        let passwordFile = try value("password_file", "パスワードのファイル")
        return .postgres(PostgresLocation(endpoint: endpoint, database: database, roles: roles, passwordFile: passwordFile))
    }
}

extension OfficeConfig {
    /// Where this machine keeps its witness of a journal kept in a database (`JournalWitness`): its
    /// anchor is `<this>.anchor` in the operator's data folder.
    public var databaseWitness: URL { dataDirectory.appendingPathComponent("journal.postgres-\(publicPayerNumber)") }
}
