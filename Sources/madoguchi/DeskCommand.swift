import ArgumentParser
import Foundation
import MadoguchiCore
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

    func run() throws {
        try runReportingErrors {
            let (config, layout) = try office.loadOffice()
            let form: FormDefinition
            do {
                form = try FormLoader.load(from: office.screensDirectory(layout).appendingPathComponent("intake.toml"))
            } catch let e as ConfigError {
                throw StartupError("画面定義の誤り：\(e.description)")
            }
            // Named on the command line or in MADOGUCHI_OPERATOR: checked now; else the login screen asks.
            let env = ProcessInfo.processInfo.environment
            let named = self.operator ?? env["MADOGUCHI_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
            let op = try named.map { try resolveOperator(config, explicit: $0) }
            guard isatty(0) == 1, isatty(1) == 1 else {
                throw StartupError("端末（TTY）がありません。デスクは端末の中で開いてください。一覧だけなら `madoguchi cases --json` が使えます。")
            }
            let store = CaseStore(journalURL: config.journalURL)
            let loaded = try store.load()
            // Too-open permissions: one line that fits the status line, with the chmod to run.
            var notices: [String] = JournalPermissions.statusLine(journal: config.journalURL).map { [$0] } ?? loaded.warnings
            if let torn = loaded.tornTail {
                notices.insert("記録の最後の行（\(torn.lineNumber)行目）が途中で切れていたので \(torn.savedTo.lastPathComponent) に移しました：\(torn.reason)", at: 0)
            }
            try DeskLoop(config: config, form: form, operator: op, store: store, notices: notices,
                         noticeTemplates: layout.root.appendingPathComponent("config/notices")).run()
        }
    }
}

/// Wires the pure desk to the terminal and the journal: key → update → effects → render → paint.
struct DeskLoop {
    /// Runs a batch step and turns its outcome (or its error) into a message for the desk.
    func perform(_ title: String, _ body: () throws -> [String]) -> DeskMessage {
        do {
            let lines = try body()
            return .operationDone(title: title, lines: lines, cases: store.book.all, showReport: true)
        } catch {
            return .operationDone(title: title, lines: ["できませんでした：\(error)"], cases: store.book.all, showReport: true)
        }
    }

    let config: OfficeConfig
    let form: FormDefinition
    /// Nil: the login screen asks (the OS user preselected).
    let `operator`: Operator?
    let store: CaseStore
    let notices: [String]
    /// config/notices: the templates of the notices (R-NT-1..4).
    let noticeTemplates: URL

    func run() throws {
        let terminal = Terminal()
        let env = ProcessInfo.processInfo.environment
        terminal.start(noColor: !(env["NO_COLOR"] ?? "").isEmpty)
        defer { terminal.stop() }
        guard let op = self.operator ?? login(terminal) else { return }
        try runDesk(terminal, op)
    }

    /// The login screen: returns the chosen operator, or nil when the person quits.
    private func login(_ terminal: Terminal) -> Operator? {
        var state = LoginState(officeName: config.officeName, isTraining: config.isTraining, operators: config.operators,
                               preselect: ProcessInfo.processInfo.environment["USER"], width: terminal.width, height: terminal.height)
        terminal.draw(state.render())
        while true {
            switch terminal.read(timeoutMs: 1000) {
            case .key(let k)?:
                switch state.update(k) {
                case .chosen(let op)?: return op
                case .quit?: return nil
                case nil: break
                }
            case .resize(let w, let h)?:
                state.width = w
                state.height = h
            case nil: break
            }
            terminal.draw(state.render())
        }
    }

    private func runDesk(_ terminal: Terminal, _ op: Operator) throws {

        let deskConfig = DeskConfig(officeName: config.officeName, isTraining: config.isTraining,
                                    operatorID: op.id, operatorName: op.name,
                                    operatorRole: op.role, form: form)
        var state = DeskState(config: deskConfig, today: LocalDate(Date()), width: terminal.width, height: terminal.height,
                              cases: store.book.all,
                              status: notices.first.map { StatusLine($0, .error) })
        state.reminders = Reminders.due(in: store.book, today: state.today, settings: config.reminders)
        state.batches = store.book.signOffBatches
        terminal.draw(state.render())

        var running = true
        var lastCount = store.knownCount
        var lastDay = state.today
        while running {
            var messages: [DeskMessage] = []
            if let event = terminal.read(timeoutMs: 1000) {
                switch event {
                case .key(let k): messages.append(.key(k))
                case .resize(let w, let h): messages.append(.resize(width: w, height: h))
                }
            } else {
                // Idle: follow the date and pick up what other terminals wrote (auto-reload).
                let today = LocalDate(Date())
                if today != state.today { messages.append(.today(today)) }
                if (try? store.refresh()) == true { messages.append(.casesChanged(store.book.all)) }
            }
            while !messages.isEmpty {
                let effects = state.update(messages.removeFirst())
                for effect in effects {
                    switch effect {
                    case .quit:
                        running = false
                    case .reload:
                        do {
                            try store.refresh()
                            messages.append(.casesChanged(store.book.all))
                        } catch {
                            messages.append(.saveFailed("\(error)"))
                        }
                    case .prepareBatch:
                        messages.append(perform("一括登録の準備（承認待ち）") {
                            let b = try store.prepareBatch(office: config, by: op, now: Date())
                            return ["一括登録 \(b.id) を準備しました（\(b.cases.count)件）。査察指導員の承認を待ちます。"] + b.cases.map { "  \($0)" }
                        })
                    case .decideBatch(let id, let approve, let comment):
                        messages.append(perform(approve ? "一括登録の承認と出力" : "一括登録の差し戻し") {
                            let b = try store.decideBatch(id, approve: approve, comment: comment, by: op, now: Date())
                            guard approve else { return ["一括登録 \(b.id) を差し戻しました：\(comment)"] }
                            return ["一括登録 \(b.id) を承認しました（\(op.name)）。"]
                                + (try store.exportRegistrations(office: config, directory: config.exportDirectory,
                                                                 operatorID: op.id, now: Date(), batchID: b.id).summaryLines)
                        })
                    case .exportRegistrations:
                        messages.append(perform("一括登録ファイル（R-RG-1）") {
                            try store.exportRegistrations(office: config, directory: config.exportDirectory,
                                                          operatorID: op.id, now: Date()).summaryLines
                        })
                    case .importFile(let kind, let path, let allowBadRows, let registeredOn):
                        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
                        messages.append(perform(kind.label + "の取り込み") {
                            switch kind {
                            case .results:
                                return try store.importResults(url, office: config, registeredOn: registeredOn, allowBadRows: allowBadRows,
                                                               operatorID: op.id, now: Date()).summaryLines
                            case .status:
                                return try store.importStatus(url, office: config, allowBadRows: allowBadRows,
                                                              operatorID: op.id, now: Date()).summaryLines
                            }
                        })
                    case .exportPendingCSV(let filter, let sort, let descending):
                        messages.append(perform("未完了一覧の CSV") {
                            let list = Pending.list(store.book, today: LocalDate(Date()), filter: filter, sort: sort, descending: descending)
                            let url = config.dataDirectory.appendingPathComponent("reports")
                                .appendingPathComponent("pending-\(JapanTime.iso8601(Date()).prefix(19).replacingOccurrences(of: ":", with: "")).csv")
                            try PreparedFile.prepare(try Pending.csv(list, encoding: config.reportEncoding), at: url).commit()
                            let how = config.reportEncoding == .utf8 ? "Excel 向け UTF-8 BOM 付き" : "CP932"
                            return ["未完了一覧を CSV に書き出しました（\(how)）：\(url.path)（\(list.rows.count)件）"]
                        })
                    case .issueNotice(let number, let kind, let pdf):
                        messages.append(perform("通知（\(kind.label)）") {
                            let renderer = NoticeRenderer(templates: try NoticeTemplates.load(directory: noticeTemplates))
                            return try store.issueNotice(kind, caseNumber: number, office: config, clerk: op,
                                                         renderer: renderer, pdf: pdf, now: Date()).summaryLines
                        })
                    case .markReminderDone(let id, let note):
                        do {
                            let r = try store.markReminderDone(id, note: note, operatorID: op.id, now: Date(),
                                                               settings: config.reminders)
                            messages.append(.operationDone(title: "要対応", lines: ["済みにしました：\(r.message)"],
                                                           cases: store.book.all, showReport: false))
                        } catch {
                            messages.append(.operationFailed("済みにできませんでした：\(error)"))
                        }
                    case .record(let number, let event):
                        do {
                            let c = try store.record(event, on: number, operatorID: op.id, now: Date())
                            messages.append(.operationDone(title: "記録", lines: ["案件 \(c.number)：\(event.label)を記録しました（\(c.status.label)）"],
                                                           cases: store.book.all, showReport: false))
                        } catch {
                            messages.append(.operationFailed("記録できませんでした：\(error)"))
                            messages.append(.casesChanged(store.book.all))
                        }
                    case .save(let application, let tickets):
                        do {
                            // Returns only after write + fsync: the screen says 保存しました after this.
                            let saved = try store.receive(application, ticketsIssuedNow: tickets,
                                                          operatorID: op.id, now: Date())
                            messages.append(.saved(caseNumber: saved.number, cases: store.book.all))
                        } catch {
                            messages.append(.saveFailed("\(error)"))
                        }
                    }
                }
            }
            if running {
                // Reminders follow every change to the journal and the date (issue 4).
                if store.knownCount != lastCount || state.today != lastDay {
                    lastCount = store.knownCount
                    lastDay = state.today
                    _ = state.update(.remindersChanged(Reminders.due(in: store.book, today: state.today, settings: config.reminders)))
                    _ = state.update(.batchesChanged(store.book.signOffBatches))
                }
                terminal.draw(state.render())
            }
        }
    }
}
