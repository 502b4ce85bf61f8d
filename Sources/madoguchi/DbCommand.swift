#if PostgreSQL
import ArgumentParser
import Foundation
import MadoguchiCore
import MadoguchiPostgres

/// `madoguchi db …` (issue 15): the administrator's commands for the office's PostgreSQL database —
/// apply the schema, add offices and staff, show the state. Run as the OS account of a database
/// administrator (peer: no password), e.g. `sudo -u postgres madoguchi db init`.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "記録のデータベース（PostgreSQL）の管理：スキーマの適用、事務所と職員の登録、状態の表示。",
        discussion: """
        データベースの管理者の OS アカウントで実行します（ピア認証。例：sudo -u postgres madoguchi db init --socket-dir /run/postgresql --port 5432 --database madoguchi）。
        1. madoguchi db init でスキーマを作ります（何度実行しても同じです）。
        2. madoguchi db add-office --office 12130019 --name 名前 で事務所を登録します。
        3. madoguchi db add-staff --db-role office_a_yamada --office 12130019 --operator yamada --kind clerk で職員のロールを作り、表示された行を pg_ident.conf に加えます。
        """,
        subcommands: [Init.self, AddOffice.self, AddStaff.self, Status.self],
        defaultSubcommand: Status.self)

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "スキーマを作る・新しくします（未適用の移行だけを順に適用）。")
        @OptionGroup var connection: DbConnectionOptions

        func run() throws {
            try connection.withAdmin { admin in
                let applied = try admin.migrate()
                if applied.isEmpty {
                    print("スキーマは最新です（版 \(try admin.currentVersion())）。")
                } else {
                    for m in applied { print("適用しました：版 \(m.version) \(m.name)") }
                }
            }
        }
    }

    struct AddOffice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-office", abstract: "事務所を登録します（登録済みなら名前を改めます）。")
        @OptionGroup var connection: DbConnectionOptions
        @Option(name: .long, help: ArgumentHelp("事務所の公費負担者番号（8 桁）。", valueName: "NUMBER")) var office: String
        @Option(name: .long, help: ArgumentHelp("事務所の名前。", valueName: "NAME")) var name: String

        func run() throws {
            try connection.withAdmin { admin in
                let new = try admin.addOffice(office: office, name: name)
                print(new ? "事務所 \(office)（\(name)）を登録しました。" : "事務所 \(office) の名前を「\(name)」にしました。")
            }
        }
    }

    struct AddStaff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-staff",
            abstract: "職員のログイン用ロールを作り（なければ）、事務所と操作者 ID を結びつけます。",
            discussion: "表示された行を pg_ident.conf に加えると、その OS アカウントがピア認証でこのロールになります（pg_ctl reload で反映）。")
        @OptionGroup var connection: DbConnectionOptions
        @Option(name: .customLong("db-role"), help: ArgumentHelp("データベースのロール名（英小文字・数字・_）。", valueName: "ROLE")) var dbRole: String
        @Option(name: .long, help: ArgumentHelp("事務所の公費負担者番号（8 桁。--kind city では付けません）。", valueName: "NUMBER")) var office: String?
        @Option(name: .long, help: ArgumentHelp("記録に書かれる操作者 ID（office.toml の [[operators]] id）。", valueName: "ID")) var `operator`: String
        @Option(name: .long, help: ArgumentHelp("clerk（職員）、supervisor（査察指導員）、city（市の閲覧用）。", valueName: "KIND")) var kind: String
        @Option(name: .customLong("os-account"), help: ArgumentHelp("pg_ident.conf の行に書く OS のアカウント名（省略時はロール名と同じ）。", valueName: "NAME")) var osAccount: String?

        func run() throws {
            try connection.withAdmin { admin in
                guard let k = DatabaseAdmin.StaffKind(rawValue: kind) else {
                    throw PostgresLinkError("--kind \"\(kind)\" は使えません：clerk・supervisor・city のどれかにしてください")
                }
                let added = try admin.addStaff(dbRole: dbRole, office: office, operatorID: `operator`, kind: k, osAccount: osAccount)
                print(added.createdRole ? "ロール \(dbRole) を作りました（\(k.groupRole)）。" : "ロール \(dbRole) はありました。\(k.groupRole) にしました。")
                print("職員の行：\(dbRole) → 事務所 \(office ?? "（市・全事務所を閲覧）")、操作者 \(`operator`)、\(k.rawValue)")
                print("pg_ident.conf に次の行を加え、pg_ctl reload（または systemctl reload postgresql）してください：")
                print(added.identLine)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "スキーマの版、事務所、職員を表示します。")
        @OptionGroup var connection: DbConnectionOptions

        func run() throws {
            try connection.withAdmin { admin in
                let s = try admin.status()
                guard s.version > 0 else {
                    print("スキーマがまだありません（madoguchi db init を実行してください）。")
                    return
                }
                print("スキーマ：版 \(s.version)" + (s.version < s.latest ? "（最新は版 \(s.latest)：madoguchi db init を実行してください）" : "（最新）"))
                print("事務所：\(s.offices.count)")
                for o in s.offices { print("  \(o.office)  \(o.name)  記録 \(o.rows) 行（最後の seq \(o.lastSeq)）") }
                print("職員：\(s.staff.count)")
                for p in s.staff { print("  \(p.dbRole)  \(p.office ?? "（市）")  \(p.operatorID)  \(p.kind)") }
            }
        }
    }
}

/// `--socket-dir DIR --port N --database NAME [--role ROLE]`: peer authentication over the server's
/// Unix socket as the OS account (or the role it is mapped to). `migrate` takes what is not given from
/// the office config's `[store]`.
struct DbConnectionOptions: ParsableArguments {
    @Option(name: .customLong("socket-dir"), help: ArgumentHelp("サーバーのソケットのフォルダ（省略時は Debian の既定の /run/postgresql。migrate では設定の [store] の socket_directory）。", valueName: "DIR"))
    var socketDir: String?
    @Option(name: .long, help: ArgumentHelp("サーバーのポート番号（ソケットの名前 .s.PGSQL.<port> に使います。省略時は 5432、migrate では設定の [store] の port）。", valueName: "N"))
    var port: Int?
    @Option(name: .long, help: ArgumentHelp("データベース名（省略時は madoguchi、migrate では設定の [store] の database）。", valueName: "NAME"))
    var database: String?
    @Option(name: .long, help: ArgumentHelp("データベースのロール（省略時は OS のアカウント名。ピア認証で確かめられます）。", valueName: "ROLE"))
    var role: String?

    var settings: PostgresSettings { settings(defaults: nil) }

    /// The settings, with what the options leave out taken from `location` (the office's `[store]`:
    /// its database and port; its socket folder when it is one) or else the Debian defaults.
    func settings(defaults location: PostgresLocation?) -> PostgresSettings {
        var dir = "/run/postgresql", p = 5432, db = "madoguchi"
        if let location {
            db = location.database
            switch location.endpoint {
            case .socket(let d, let port): dir = d; p = port
            case .tcp(_, let port, _): p = port
            }
        }
        return PostgresSettings(endpoint: .socket(directory: socketDir ?? dir, port: port ?? p), database: database ?? db,
                                role: role ?? osAccountName())
    }

    /// Connects, runs `body` with the admin's operations, closes; a database error is printed in
    /// Japanese with the server's message (exit 2).
    func withAdmin(_ body: (DatabaseAdmin) throws -> Void) throws {
        try withLink(settings) { try body(DatabaseAdmin(link: $0)) }
    }

    /// Connects with `settings`, runs `body`, closes; a database error is printed as `withAdmin` does
    /// (PostgresLinkError is a SetupError: its own message, exit 2).
    func withLink(_ settings: PostgresSettings, _ body: (PostgresLink) throws -> Void) throws {
        let link = try PostgresLink.connect(settings)
        defer { link.close() }
        try body(link)
    }
}

/// The effective OS account's name (peer authentication sees the same).
private func osAccountName() -> String {
    if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
    return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
}
#endif
