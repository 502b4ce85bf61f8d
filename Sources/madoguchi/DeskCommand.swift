import ArgumentParser
import Foundation
import MadoguchiCore
import MadoguchiRuntime
import MadoguchiTerminal
import MadoguchiUI

/// `madoguchi` (the default): opens the desk in the terminal.
struct Desk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "受付の端末画面を開きます（既定）。"
    )

    @OptionGroup var office: OfficeOptions

    @Option(name: .long, help: ArgumentHelp("操作する職員の id（省略時は MADOGUCHI_OPERATOR、OS のユーザー名の順。デモ事務所では最初の担当者）。", valueName: "ID"))
    var `operator`: String?

    @Flag(name: .long, help: "市の一覧：すべての事務所の未完了一覧（F8 の画面、事務所の列と絞り込み）を読むだけで開きます（--config に市の設定 city.toml）")
    var city = false
    @Option(name: .customLong("office"), help: ArgumentHelp("--city で開く事務所（8 桁の公費負担者番号、複数可。省略時はすべて）", valueName: "CODE"))
    var cityOffices: [String] = []

    func run() throws {
        if !city, !cityOffices.isEmpty { throw ValidationError("--office は市の一覧（--city）でだけ使えます") }
        if city {
            try runCity()
            return
        }
        let opened = try office.open()
        let (config, layout) = (opened.config, opened.layout)
        let form: FormDefinition
        do {
            form = try FormLoader.load(from: office.screensDirectory(layout).appendingPathComponent("intake.toml"))
        } catch let e as ConfigError {
            throw StartupError("画面定義の誤り：\(e.description)")
        }
        // Training: named on the command line or in MADOGUCHI_OPERATOR, else the login screen asks.
        // Production: the operator is proven before the desk opens — by the OS account, or by their
        // passphrase asked here without echo — and the login screen is not shown (R-SG-1).
        let env = ProcessInfo.processInfo.environment
        let named = claimedOperatorID(self.operator)
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw StartupError("端末（TTY）がありません。デスクは端末の中で開いてください。一覧だけなら `madoguchi cases --json` が使えます。")
        }
        if let problem = Terminal.unusableTerminalType() { throw StartupError(problem) }
        var proven: ProvenOperator?
        if !config.isTraining {
            proven = try proveOperator(config, explicit: named, passphraseFromStdin: false)
        }
        let op = try proven?.op ?? named.map { try resolveOperator(config, explicit: $0) }
        // A production office's journal may be in the city's database (issue 15): connected as the
        // proven operator's own role. Training is always the local file.
        let store = CaseStore(journal: try proven.map { try openJournalStore(config, as: $0.op) } ?? Journal(url: config.journalURL))
        store.journal.unsignedEraRoles = config.rolesByID
        store.foldKey = proven.map { FoldSnapshotKey(signingKey: $0.key, journal: config.journalURL) }   // issue 14
        let loaded = try store.load()
        // Too-open permissions: one line that fits the status line, with the chmod to run.
        var notices: [String] = JournalPermissions.statusLine(journal: config.journalURL).map { [$0] } ?? loaded.warnings
        if let torn = loaded.tornTail {
            notices.insert("記録の最後の行（\(torn.lineNumber)行目）が途中で切れていたので \(torn.savedTo.lastPathComponent) に移しました：\(torn.reason)", at: 0)
        }
        if let training = opened.training {
            for url in try training.deliver(store) { notices.append("研修用の中間サーバーから届きました：\(url.lastPathComponent)") }
        }
        let clock: DeskClock = opened.training.map { SandboxDeskClock($0) } ?? SystemDeskClock()
        let services = OfficeDeskServices(config: config, store: store, clock: clock,
                                          noticeTemplates: layout.root.appendingPathComponent("config/notices"),
                                          training: opened.training, form: form)
        services.proven = proven
        services.anchorRecreatedAt = loaded.anchorRecreated ? loaded.lineCount : nil
        if let proven {
            do { try services.signIn(proven.op) } catch let e as KeyError { throw StartupError(e.description) }
        }
        let terminal = Terminal()
        terminal.start(noColor: !(env["NO_COLOR"] ?? "").isEmpty)
        defer { terminal.stop() }
        try DeskRuntime(terminal: terminal, services: services,
                        office: .init(name: config.officeName, isTraining: config.isTraining, operators: config.operators, form: form,
                                      trainingSandbox: opened.training.map(\.sandbox.name).flatMap { $0 == TrainingSandbox.defaultName ? nil : $0 }),   // the default sandbox: plain 【研修モード】
                        startupNotices: notices, preselect: env["USER"]).run(operator: op)
    }
}

extension Desk {
    /// `desk --city`: the city's read-only pending screen.
    func runCity() throws {
        if office.training || office.sandbox != nil { throw ValidationError("市の一覧（--city）では --training・--sandbox は使えません") }
        let only = try checkedOfficeCodes(cityOffices)   // only those offices' rows are read, as pending --city
        let session = try CitySession.open(configPath: office.config, operator: self.operator)
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw StartupError("端末（TTY）がありません。市の一覧は端末の中で開くか、madoguchi pending --city --json を使ってください。")
        }
        if let problem = Terminal.unusableTerminalType() { throw StartupError(problem) }
        try FileManager.default.createDirectory(at: session.config.dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let offices = try session.offices(only: only)   // before the screen: a refused login is said plainly
        var first: [CityOfficeCases]? = offices
        let terminal = Terminal()
        terminal.start(noColor: !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty)
        defer { terminal.stop() }
        let log = session.accessLog
        try CityDeskRuntime(terminal: terminal, cityName: session.config.name, supervisor: (session.op.id, session.op.name),
                            load: {
                                if let f = first { first = nil; return f }
                                return try session.offices(only: only)
                            },
                            record: { try log.record($0, operatorID: session.op.id, now: Date()) }).run()
    }
}
