import ArgumentParser
import Foundation
import MadoguchiCore
import MadoguchiRuntime

@main
struct Madoguchi: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi",
        abstract: "窓口 — 医療扶助のオンライン資格確認におけるマイナンバーカード利用登録解除の受付・管理",
        discussion: """
        引数なしで受付の端末画面（デスク）を開きます。設定を指定しなければ、同梱のデモ福祉事務所
        （研修・デモ用、config/demo/office.toml）で開きます。
        """,
        version: "0.1.0",
        subcommands: [Desk.self, Cases.self, Verify.self, KeysCommand.self, CheckpointCommand.self, PrepareBatch.self, DecideBatch.self, ExportRegistrations.self, ImportResults.self, ImportStatus.self,
                      RecordNotice.self, RecordRegistration.self, RecordReregistration.self, TicketsCommand.self, Requeue.self, TransferOut.self, Withdraw.self, SetServerNumber.self, Correct.self,
                      PendingCommand.self, RemindersCommand.self, NoticeCommand.self, AccessLogCommand.self, TrainingCommand.self]
                      + postgresSubcommands,
        defaultSubcommand: Desk.self
    )

    /// Parses and runs with every error and help text in Japanese (issue 11, item 8).
    static func main() { JapaneseCommandLine.main(self) }
}

/// The database's commands (issue 15), only in a build with the PostgreSQL trait.
#if PostgreSQL
private let postgresSubcommands: [ParsableCommand.Type] = [DbCommand.self, MigrateCommand.self]
#else
// A build without the trait still knows the names, and says how to get them.
private let postgresSubcommands: [ParsableCommand.Type] = [DbWithoutPostgres.self, MigrateWithoutPostgres.self]

struct DbWithoutPostgres: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "db", abstract: "記録のデータベース（PostgreSQL）の管理（この版にはありません）。")
    @Argument(parsing: .allUnrecognized) var rest: [String] = []
    func run() throws { throw StartupError(rebuildWithPostgres) }
}

struct MigrateWithoutPostgres: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "記録をデータベースとファイルの間で移します（この版にはありません）。")
    @Argument(parsing: .allUnrecognized) var rest: [String] = []
    func run() throws { throw StartupError(rebuildWithPostgres) }
}
#endif

/// Options every command shares: which office, and for training which sandbox.
struct OfficeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("事務所の設定ファイル（office.toml）。省略時は MADOGUCHI_CONFIG、config/office.toml、同梱のデモ事務所の順に探します。", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("画面定義のフォルダ（省略時はプロジェクトの screens/）。", valueName: "DIR"))
    var screens: String?

    @Flag(name: .long, help: "研修モードで開きます（省略時の設定は同梱の研修用デモ事務所）。本番の設定は研修モードでは開けません。")
    var training = false

    @Option(name: .long, help: ArgumentHelp("研修の作業場所（研修生ごとの名前、例 trainee01。省略時は MADOGUCHI_SANDBOX、なければ既定の作業場所）。研修モードだけで使えます。", valueName: "NAME"))
    var sandbox: String?

    /// Loads the office config, or exits with the file, line and reason. A training office works in
    /// its sandbox (the config returned points there), and the data folder's mark is checked so real
    /// and training data never mix (issue 5).
    func loadOffice() throws -> (OfficeConfig, ProjectLayout) {
        let opened = try open()
        return (opened.config, opened.layout)
    }

    func open() throws -> OpenedOffice {
        let layout = ProjectLayout.locate()
        let env = ProcessInfo.processInfo.environment
        let url: URL
        if let config {
            url = URL(fileURLWithPath: config)
        } else if let e = env["MADOGUCHI_CONFIG"], !e.isEmpty {
            url = URL(fileURLWithPath: e)
        } else if training, let demo = layout?.trainingConfig {
            url = demo
        } else if let found = layout?.defaultConfig {
            url = found
        } else {
            throw StartupError("設定ファイルが見つかりません。--config で office.toml を指定するか、プロジェクトのフォルダで実行してください。")
        }
        var office: OfficeConfig
        do {
            office = try OfficeConfig.load(from: url)
        } catch let e as ConfigError {
            throw StartupError("設定の誤り：\(e.description)")
        }
        let sandboxName = sandbox ?? env["MADOGUCHI_SANDBOX"].flatMap { $0.isEmpty ? nil : $0 }
        if training && !office.isTraining {
            throw StartupError("\(url.path) は本番の事務所（mode = \"production\"）の設定です。研修モード（--training）では開けません。研修には研修用の設定（mode = \"training\"）を使ってください。")
        }
        var trainingContext: TrainingContext?
        do {
            if office.isTraining {
                let base = office.dataDirectory
                try DataDirectoryMark.claim(base, for: office)
                let box = try TrainingSandbox(office: base, name: sandboxName)
                office = office.withDataDirectory(box.directory)
                try DataDirectoryMark.claim(box.directory, for: office)
                trainingContext = try TrainingContext(office: office, officeData: base, sandbox: box,
                                                      bundledBook: layout?.root.appendingPathComponent("config/training"))
            } else {
                if sandboxName != nil {
                    throw StartupError("--sandbox（研修の作業場所）は研修用の事務所でだけ使えます。\(url.path) は本番の設定です。")
                }
                try DataDirectoryMark.claim(office.dataDirectory, for: office)
            }
        } catch let e as TrainingError {
            throw StartupError(e.description)
        } catch let e as ConfigError {
            throw StartupError("研修シナリオ集の誤り：\(e.description)")
        }
        let opened = OpenedOffice(config: office, layout: layout ?? ProjectLayout(root: url.deletingLastPathComponent()), training: trainingContext)
        return opened
    }

    func screensDirectory(_ layout: ProjectLayout) -> URL {
        screens.map { URL(fileURLWithPath: $0) } ?? layout.root.appendingPathComponent("screens")
    }
}

/// An office opened for a command: its config (pointing at the sandbox in training), the project
/// folders, in training the sandbox, the scenario book and the simulated server, and the clock every
/// date rule of the command follows. Passed along, never kept in a global (issue 11 item 10).
struct OpenedOffice {
    let config: OfficeConfig
    let layout: ProjectLayout
    let training: TrainingContext?

    /// The system's clock, or the sandbox's simulated day (re-read at every call: another terminal
    /// may have moved it). An unreadable training clock is an error, never the real date.
    var clock: DeskClock { training.map { SandboxDeskClock($0) } ?? SystemDeskClock() }

    func now() throws -> Date {
        do { return try clock.now() } catch let e as TrainingError { throw StartupError(e.description) }
    }

    func today() throws -> LocalDate { LocalDate(try now()) }
}

/// A message for the person at the terminal, then exit code 2.
struct StartupError: SetupError, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A refused step (exit 1) — said by `runReportingErrors` like every other error — for an error that
/// is otherwise the setup's (a case changed on disk meanwhile, a copy that could not be written), or
/// for what a command found wrong after it had already written its output.
struct StepRefused: RefusalError {
    let userMessage: String
    init(_ message: String) { userMessage = message }
    init(_ error: any Error) { userMessage = UserFacing.message(for: error) }
}

/// The one place an error becomes what the clerk reads and the exit code (issue 16 item 3). Every
/// command's `run()` goes through it (`JapaneseCommandLine.main`), so a command only throws. Ours
/// say themselves (`UserFacingError`); anything else — Foundation, POSIX, NIO — is said in Japanese, naming the file the clerk knows, never its English text or a temporary file's
/// name, and exits 2. The parser's own (a `ValidationError`, with the command's usage; an `ExitCode`
/// already said; `--help`) pass through to `JapaneseCommandLine`.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as any UserFacingError {
        // Through printError: the message may quote names read from the journal (R-FL-5).
        printError(e.userMessage)
        throw ExitCode(e.exitCode)
    } catch where isArgumentParsers(error) {
        throw error
    } catch {
        printError(UserFacing.message(for: error))
        throw ExitCode(UserFacing.setup)
    }
}

/// The parser's own errors and signals — `ValidationError`, `ExitCode`, `CleanExit` and its internal
/// ones (`madoguchi help` throws a help request from its run()) — which JapaneseCommandLine renders.
private func isArgumentParsers(_ error: any Error) -> Bool {
    error is ExitCode || error is ValidationError || error is CleanExit
        || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
}

/// The operator id named on the command line (`--operator`), else in MADOGUCHI_OPERATOR (empty: none).
/// A claim only, shared by the office's and the city's commands.
func claimedOperatorID(_ explicit: String?) -> String? {
    explicit ?? ProcessInfo.processInfo.environment["MADOGUCHI_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
}

/// Who claims to be working: `--operator`, then MADOGUCHI_OPERATOR, then the operator bound to
/// the OS account running the program; a training office falls back to its first clerk. A claim
/// only: `proveOperator` proves it (R-SG-1).
func resolveOperator(_ config: OfficeConfig, explicit: String?) throws -> Operator {
    if let wanted = claimedOperatorID(explicit) {
        guard let op = config.operatorNamed(wanted) else {
            throw StartupError("職員 \(wanted) は設定（\(config.source.path)）にいません。いる職員：\(config.operators.map(\.id).joined(separator: ", "))")
        }
        return op
    }
    if let op = OfficeTrust.operatorForAccount(config, account: OfficeTrust.osAccount()) { return op }
    if config.isTraining, let first = config.operators.first(where: { $0.role == .clerk }) ?? config.operators.first {
        return first
    }
    throw StartupError("操作する職員が分かりません。OSアカウント \(OfficeTrust.osAccount() ?? "（不明）") に結び付いた職員が設定にいません。--operator で職員の id を指定してください（\(config.operators.map(\.id).joined(separator: ", "))）。")
}

/// The claimed operator, proven by the OS account or their passphrase (asked on the terminal, or
/// read from stdin with --passphrase-stdin), with their key (issue 12).
func proveOperator(_ config: OfficeConfig, explicit: String?, passphraseFromStdin: Bool, interactive: Bool = true) throws -> ProvenOperator {
    let op = try resolveOperator(config, explicit: explicit)
    do {
        return try OfficeTrust.prove(op, config: config) {
            guard interactive else { return nil }
            return try PassphrasePrompt.read(prompt: "職員 \(op.id)（\(op.name)）のパスフレーズ: ", fromStdin: passphraseFromStdin)
        }
    } catch let e as KeyError {
        throw StartupError(e.description)
    }
}

/// Records that the anchor had to be made again (R-SG-3: never silent).
func recordAnchorRecreated(_ store: CaseStore, loaded: JournalLoad, op: Operator, now: Date) throws {
    try store.appendTrustLine(type: EventType.anchorRecreated,
                              data: .object(["lines": .number(Double(loaded.lineCount))]), operatorID: op.id, now: now)
}
