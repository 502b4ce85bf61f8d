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
            let opened = try office.open()
            let (config, layout) = (opened.config, opened.layout)
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
            if let training = opened.training {
                for url in try training.deliver(store) { notices.append("研修用の中間サーバーから届きました：\(url.lastPathComponent)") }
            }
            try DeskLoop(config: config, form: form, operator: op, store: store, notices: notices,
                         noticeTemplates: layout.root.appendingPathComponent("config/notices"), training: opened.training).run()
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
    /// Training offices: the sandbox, the scenario book and the simulated server (issue 5).
    let training: TrainingContext?

    func run() throws {
        let terminal = Terminal()
        let env = ProcessInfo.processInfo.environment
        terminal.start(noColor: !(env["NO_COLOR"] ?? "").isEmpty)
        defer { terminal.stop() }
        guard var op = self.operator ?? login(terminal) else { return }
        // Training: a trainee plays the clerk and the supervisor in turn (maker-checker, issue 4).
        while try runDesk(terminal, op) == .switchOperator {
            guard let next = login(terminal) else { return }
            op = next
        }
    }

    enum Ending { case quit, switchOperator }

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

    /// Training: the upload reaches the simulated server, whose result file arrives at once.
    private func delivered() throws -> [String] {
        guard let training else { return [] }
        return try training.deliver(store).map { "【研修】研修用の中間サーバーから受信フォルダに届きました：\($0.path)（F4 で取り込みます）" }
    }

    private func runDesk(_ terminal: Terminal, _ op: Operator) throws -> Ending {
        var ending = Ending.quit

        let deskConfig = DeskConfig(officeName: config.officeName, isTraining: config.isTraining,
                                    operatorID: op.id, operatorName: op.name,
                                    operatorRole: op.role, form: form,
                                    operatorNames: config.operatorNames)
        var state = DeskState(config: deskConfig, today: officeToday(), width: terminal.width, height: terminal.height,
                              cases: store.book.all,
                              status: notices.first.map { StatusLine($0, .error) })
        state.reminders = Reminders.due(in: store.book, today: state.today, settings: config.reminders, for: op, operatorNames: deskConfig.operatorNames)
        state.batches = store.book.signOffBatches
        if let training { state.training = training.panel(store, today: state.today) }
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
                let today = officeToday()
                if today != state.today {
                    // Another terminal moved the training clock: the server delivers what is due.
                    _ = try? training?.deliver(store)
                    messages.append(.today(today))
                }
                if (try? store.refresh()) == true { messages.append(.casesChanged(store.book.all)) }
            }
            while !messages.isEmpty {
                let effects = state.update(messages.removeFirst())
                for effect in effects {
                    switch effect {
                    case .quit:
                        running = false
                    case .switchOperator:
                        running = false
                        ending = .switchOperator
                    case .reload:
                        do {
                            try store.refresh()
                            messages.append(.casesChanged(store.book.all))
                        } catch {
                            messages.append(.saveFailed("\(error)"))
                        }
                    case .prepareBatch:
                        messages.append(perform("一括登録の準備（承認待ち）") {
                            let b = try store.prepareBatch(office: config, by: op, now: officeNow())
                            return ["一括登録 \(b.id) を準備しました（\(b.cases.count)件）。査察指導員の承認を待ちます。"] + b.cases.map { "  \($0)" }
                        })
                    case .decideBatch(let id, let approve, let comment):
                        messages.append(perform(approve ? "一括登録の承認と出力" : "一括登録の差し戻し") {
                            let b = try store.decideBatch(id, approve: approve, comment: comment, by: op, now: officeNow())
                            guard approve else { return ["一括登録 \(b.id) を差し戻しました：\(comment)"] }
                            return ["一括登録 \(b.id) を承認しました（\(op.name)）。"]
                                + (try store.exportRegistrations(office: config, directory: config.exportDirectory,
                                                                 operatorID: op.id, now: officeNow(), batchID: b.id).summaryLines)
                                + (try delivered())
                        })
                    case .exportRegistrations:
                        messages.append(perform("一括登録ファイル（R-RG-1）") {
                            try store.exportRegistrations(office: config, directory: config.exportDirectory,
                                                          operatorID: op.id, now: officeNow()).summaryLines + (try delivered())
                        })
                    case .importFile(let kind, let path, let allowBadRows, let registeredOn):
                        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
                        messages.append(perform(kind.label + "の取り込み") {
                            switch kind {
                            case .results:
                                return try store.importResults(url, office: config, registeredOn: registeredOn, allowBadRows: allowBadRows,
                                                               operatorID: op.id, now: officeNow()).summaryLines
                            case .status:
                                return try store.importStatus(url, office: config, allowBadRows: allowBadRows,
                                                              operatorID: op.id, now: officeNow()).summaryLines
                            }
                        })
                    case .exportPendingCSV(let filter, let sort, let descending):
                        messages.append(perform("未完了一覧の CSV") {
                            let list = Pending.list(store.book, today: officeToday(), filter: filter, sort: sort, descending: descending)
                            let url = config.dataDirectory.appendingPathComponent("reports")
                                .appendingPathComponent("pending-\(JapanTime.iso8601(officeNow()).prefix(19).replacingOccurrences(of: ":", with: "")).csv")
                            try PreparedFile.prepare(try Pending.csv(list, encoding: config.reportEncoding), at: url).commit()
                            let how = config.reportEncoding == .utf8 ? "Excel 向け UTF-8 BOM 付き" : "CP932"
                            return ["未完了一覧を CSV に書き出しました（\(how)）：\(url.path)（\(list.rows.count)件）"]
                        })
                    case .issueNotice(let number, let kind, let pdf):
                        messages.append(perform("通知（\(kind.label)）") {
                            let renderer = NoticeRenderer(templates: try NoticeTemplates.load(directory: noticeTemplates))
                            return try store.issueNotice(kind, caseNumber: number, office: config, clerk: op,
                                                         renderer: renderer, pdf: pdf, now: officeNow()).summaryLines
                        })
                    case .moveTrainingClock(let move):
                        guard let training else { break }
                        do {
                            let today = officeToday()
                            let target: LocalDate
                            switch move {
                            case .nextDay: target = today.addingDays(1)
                            case .monthEnd: target = today.yearMonth.lastDay
                            case .nextMonth: target = today.yearMonth.adding(months: 1).firstDay
                            case .to(let d): target = d
                            }
                            let moved = try training.sandbox.moveClock(to: target, book: training.book, operatorID: op.id)
                            let arrived = try training.deliver(store)
                            _ = try store.refresh()
                            messages.append(.today(moved))
                            let what = arrived.isEmpty ? "新しく届いたファイルはありません"
                                : "受信フォルダに\(arrived.count)件届きました：\(arrived.map(\.lastPathComponent).joined(separator: "、"))"
                            messages.append(.operationDone(title: "研修の日付", lines: ["研修の今日を\(Wareki.format(moved))にしました。\(what)"],
                                                           cases: store.book.all, showReport: false))
                        } catch {
                            messages.append(.operationFailed("日付を進められませんでした：\(error)"))
                        }
                    case .showInboxFile(let path):
                        // Only files of this sandbox's inbox are shown (the path came from its listing).
                        guard let training, URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
                                .path == training.sandbox.inbox.standardizedFileURL.path,
                              let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                            messages.append(.operationFailed("お知らせを読めませんでした：\(path)"))
                            break
                        }
                        messages.append(.operationDone(title: "お知らせ：\(URL(fileURLWithPath: path).lastPathComponent)",
                                                       lines: text.components(separatedBy: "\n"), cases: store.book.all, showReport: true))
                    case .gradeTraining:
                        guard let training else { break }
                        let report = TrainingGrader.grade(store.book, server: training.server, today: officeToday(), sandbox: training.sandbox.name)
                        messages.append(.operationDone(title: "研修の採点", lines: report.lines, cases: store.book.all, showReport: true))
                    case .markReminderDone(let id, let note):
                        do {
                            let r = try store.markReminderDone(id, note: note, operatorID: op.id, now: officeNow(),
                                                               settings: config.reminders)
                            messages.append(.operationDone(title: "要対応", lines: ["済みにしました：\(r.message)"],
                                                           cases: store.book.all, showReport: false))
                        } catch {
                            messages.append(.operationFailed("済みにできませんでした：\(error)"))
                        }
                    case .record(let number, let event):
                        do {
                            let c = try store.record(event, on: number, operatorID: op.id, now: officeNow())
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
                                                          operatorID: op.id, now: officeNow())
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
                    _ = state.update(.remindersChanged(Reminders.due(in: store.book, today: state.today, settings: config.reminders, for: op, operatorNames: deskConfig.operatorNames)))
                    _ = state.update(.batchesChanged(store.book.signOffBatches))
                    if let training { _ = state.update(.trainingChanged(training.panel(store, today: state.today))) }
                }
                terminal.draw(state.render())
            }
        }
        return ending
    }
}
