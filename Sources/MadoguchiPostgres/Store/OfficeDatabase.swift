#if PostgreSQL
import Foundation
import MadoguchiCore

/// An office config's `[store]` turned into a connection as one operator (issue 15).
public enum OfficeDatabase {
    /// The journal store of a PostgreSQL office, connecting as `op`'s database role. The first
    /// connection is made here, so a wrong role or a refused peer login stops start-up with the
    /// server's message; later ones are made again after a lost connection.
    public static func store(_ config: OfficeConfig, location: PostgresLocation, as op: Operator) throws -> PostgresJournalStore {
        let settings = try self.settings(location, as: op)
        let first = try desk(PostgresLink.connect(settings))
        var handedOver: PostgresLink? = first
        let store = PostgresJournalStore(office: config.publicPayerNumber, label: location.label, witness: config.databaseWitness) {
            if let l = handedOver {
                handedOver = nil
                if l.isOpen { return l }
            }
            return try desk(PostgresLink.connect(settings))
        }
        return store
    }

    /// A desk never waits without end: the office's append lock held by another session for more than
    /// 10 s (a stuck or hostile one) fails the save with the form kept, and a server that stops
    /// answering for 30 s counts as a lost connection (then the desk reconnects).
    public static func desk(_ link: PostgresLink, lockTimeoutSeconds: Int = 10) throws -> PostgresLink {
        link.responseTimeout = 30
        try link.query("SET lock_timeout = '\(lockTimeoutSeconds)s'")
        return link
    }

    /// The connection settings for `op`: their role; over TCP, the password from their own file.
    public static func settings(_ location: PostgresLocation, as op: Operator) throws -> PostgresSettings {
        let role = location.role(of: op)
        switch location.endpoint {
        case .socket(let dir, let port):
            return PostgresSettings(endpoint: .socket(directory: dir, port: port), database: location.database, role: role)
        case .tcp(let host, let port, let tls):
            let password = try location.passwordFile.map(readPassword)
            let t: PostgresSettings.TLS
            switch tls {
            case .disable: t = .disable
            case .require(let ca): t = .require(caFile: ca)
            }
            return PostgresSettings(endpoint: .tcp(host: host, port: port, tls: t), database: location.database, role: role, password: password)
        }
    }

    /// The operator's database password: a regular file of theirs, not a link, readable by nobody else.
    static func readPassword(_ path: String) throws -> String {
        let expanded = (path as NSString).expandingTildeInPath
        var st = stat()
        guard lstat(expanded, &st) == 0 else { throw JournalStoreError("データベースのパスワードのファイル \(path) がありません（[store] password_file）") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw JournalStoreError("データベースのパスワードのファイル \(path) が普通のファイルではありません（リンクは使えません）") }
        guard st.st_uid == getuid() else { throw JournalStoreError("データベースのパスワードのファイル \(path) の持ち主がこのアカウントではありません") }
        guard st.st_mode & 0o077 == 0 else { throw JournalStoreError("データベースのパスワードのファイル \(path) が他の人にも読めます。chmod 600 \(path) としてください") }
        guard let data = FileManager.default.contents(atPath: expanded), let text = String(data: data, encoding: .utf8) else {
            throw JournalStoreError("データベースのパスワードのファイル \(path) が読めません")
        }
        let password = text.trimmingCharacters(in: .newlines)
        guard !password.isEmpty else { throw JournalStoreError("データベースのパスワードのファイル \(path) が空です") }
        return password
    }
}
#endif
