#if PostgreSQL
import ArgumentParser
import Foundation
import MadoguchiCore
import MadoguchiPostgres

/// `madoguchi migrate --to postgres|jsonl` (issue 15): moves an office's journal between its local
/// file and the database, the exact lines unchanged and every line verified first. The logic is
/// `OfficeMigration` (MadoguchiPostgres); this only reads the options and prints.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "事務所の記録（ジャーナル）をファイルとデータベース（PostgreSQL）の間で移します。すべての行を確かめてから、同じバイトのまま移します。",
        discussion: """
        --to postgres：事務所のジャーナルのファイル（省略時は設定のデータフォルダの journal.jsonl）を、データベースの管理者の OS アカウントで（ピア認証）事務所の行に移します。事務所は先に madoguchi db add-office で登録しておきます。データベースに既にファイルの最初の行があれば、続きだけを書きます（何度実行しても同じです）。
        --to jsonl：事務所の行を新しいファイル（--out）に書き出します。アンカー（<ファイル>.anchor）も書くので、madoguchi verify --journal <ファイル> で最後の行まで確かめられます。管理者か、その事務所の職員のロールで実行します。
        接続は madoguchi db と同じオプションで、省略したものは設定の [store] から取ります。
        """)

    @OptionGroup var office: OfficeOptions
    @OptionGroup var connection: DbConnectionOptions

    @Option(name: .long, help: ArgumentHelp("移す先：postgres（ファイル → データベース）か jsonl（データベース → ファイル）。", valueName: "KIND"))
    var to: String

    @Option(name: .long, help: ArgumentHelp("--to postgres で移すジャーナルのファイル（省略時は設定のデータフォルダの journal.jsonl）。", valueName: "FILE"))
    var journal: String?

    @Option(name: .long, help: ArgumentHelp("--to jsonl で書き出す新しいファイル（既にあるファイルには書きません）。", valueName: "FILE"))
    var out: String?

    func validate() throws {
        switch to {
        case "postgres":
            if out != nil { throw ValidationError("--out は --to jsonl で使います（--to postgres では --journal）") }
        case "jsonl":
            guard out != nil else { throw ValidationError("--to jsonl には書き出すファイル（--out FILE）が要ります") }
            if journal != nil { throw ValidationError("--journal は --to postgres で使います（--to jsonl では --out）") }
        default:
            throw ValidationError("--to \"\(to)\" は使えません：postgres か jsonl にしてください")
        }
    }

    func run() throws {
        let config = try office.loadOffice().0
        guard !config.isTraining else {
            throw StartupError("研修の事務所の記録はデータベースに移せません（研修は常にファイルです）")
        }
        var location: PostgresLocation?
        if case .postgres(let l) = config.store { location = l }
        let settings = connection.settings(defaults: location)
        let database = "PostgreSQL \(settings.database)"
        let code = config.publicPayerNumber
        try connection.withLink(settings) { link in
            do {
                if to == "postgres" {
                    let url = journal.map { URL(fileURLWithPath: $0) } ?? config.journalURL
                    let c = try OfficeMigration.intoDatabase(journal: url, office: code, unsignedEraRoles: config.rolesByID,
                                                             link: link, database: database)
                    if c.inserted == 0 {
                        print("書き込むものはありません：\(database) の事務所 \(code) には \(url.path) の \(c.alreadyThere) 行がすべてあります。")
                    } else {
                        print("\(c.inserted) 行を移しました：\(url.path) → \(database) の事務所 \(code)" + (c.alreadyThere > 0 ? "（既にあった \(c.alreadyThere) 行はそのまま）" : "") + "。")
                    }
                    print("最後の行：seq \(c.lastSeq)、hash \(c.lastHash)")
                    if !c.officeChecked { print("【注意】この記録には office.opened がないため、事務所番号が \(code) であることは確かめていません。") }
                } else {
                    let url = URL(fileURLWithPath: out!)
                    let e = try OfficeMigration.toFile(office: code, link: link, database: database, out: url, unsignedEraRoles: config.rolesByID)
                    print("\(e.lines) 行を書き出しました：\(database) の事務所 \(code) → \(url.path)（アンカー \(url.lastPathComponent).anchor）。")
                    print("最後の行：seq \(e.lastSeq)、hash \(e.lastHash)")
                    print("madoguchi verify --journal \(url.path) で確かめられます。")
                    // A folder that already was there keeps its mode: say when others can read it.
                    JournalPermissions.warnings(journal: url).forEach(printError)
                }
            } catch let e as PostgresLinkError where e.connectionLost && to == "postgres" {
                // COMMIT may or may not have arrived: running again checks the rows and carries only the rest.
                throw StartupError("\(e.description)。もう一度実行してください（データベースにある行を確かめ、続きだけを移します）")
            }
        }
    }
}
#endif
