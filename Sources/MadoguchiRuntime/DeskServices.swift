import Foundation
import MadoguchiCore
import MadoguchiUI

/// The outside world as the desk's runtime sees it: the journal, the files, the clock. The runtime
/// asks it to perform each `DeskEffect` and feeds the answers back to the pure desk as messages.
/// `OfficeDeskServices` is the real one; a test may use it over a temporary office with a
/// `ManualDeskClock`, or script its own.
public protocol DeskServices: AnyObject {
    /// The injected clock every date rule and journal time of this desk follows.
    var clock: DeskClock { get }
    /// The cases as the journal holds them now.
    var cases: [CaseRecord] { get }
    /// Changes whenever the journal gains lines, this terminal's or another's.
    var changeCount: Int { get }
    /// Performs one effect for `op` and says what the desk should be told. `.quit` and
    /// `.switchOperator` belong to the runtime and are never passed here.
    func perform(_ effect: DeskEffect, by op: Operator) -> [DeskMessage]
    /// Nothing was typed for a while: pick up other terminals' writes and a new day.
    func idle(shownToday: LocalDate) -> [DeskMessage]
    /// What is derived from the journal and the day (reminders, batches, the training panel),
    /// recomputed after every change; `op`'s own sign-off reminders included (R-SG-2).
    func derived(today: LocalDate, for op: Operator) -> [DeskMessage]
    /// `op` starts working: their key signs what the desk writes from now on (R-SG-1). Throws when
    /// they are not the operator proven for this desk (production), with a message for the person.
    func signIn(_ op: Operator) throws
    /// The cases that changed since `changeCount` was `count` (issue 14, P2), or nil when that is
    /// not known (then the desk works everything out again).
    func casesTouched(since count: Int) -> Set<String>?
}

extension DeskServices {
    public func signIn(_ op: Operator) throws {}
    public func casesTouched(since count: Int) -> Set<String>? { nil }
}

/// The real services: one office's journal (`CaseStore`), its config, its notice templates and, in
/// training, the sandbox with its simulated server.
public final class OfficeDeskServices: DeskServices {
    public let config: OfficeConfig
    public let store: CaseStore
    public let clock: DeskClock
    /// config/notices: the templates of the notices (R-NT-1..4).
    public let noticeTemplates: URL
    public let training: TrainingContext?
    /// The office's printer (`[printing] queue`), through CUPS's `lp`/`lpstat` (a test gives a fake).
    public let printer: OfficePrinter
    /// The intake form (screens/intake.toml): a correction is checked with it as at intake (R-AM-1).
    public let form: FormDefinition?
    /// 閲覧・書き出しの記録 (R-SG-4): `<data>/access.jsonl`, the sandbox's own in training.
    public let accessLog: AccessLog

    public init(config: OfficeConfig, store: CaseStore, clock: DeskClock, noticeTemplates: URL, training: TrainingContext?,
                printCommands: any PrintCommandRunner = SystemPrintCommands(), form: FormDefinition? = nil) {
        self.form = form
        self.config = config
        self.store = store
        self.clock = clock
        self.noticeTemplates = noticeTemplates
        self.training = training
        printer = OfficePrinter(office: config, commands: printCommands)
        accessLog = AccessLog(dataDirectory: config.dataDirectory)
    }

    /// Records a read or an export before the data leaves (R-SG-4). Throws a message saying the
    /// export or print was not done: a desk export or print is refused when it cannot be recorded.
    func recordBeforeLeaving(_ event: AccessEvent, by op: Operator) throws {
        do {
            try accessLog.record(event, operatorID: op.id, now: try clock.now())
        } catch {
            throw AccessRefusal(reason: "閲覧・書き出しの記録（\(accessLog.url.path)）に書けないため、\(event.kind.label)をしませんでした：\(UserFacing.detail(for: error))")
        }
    }

    /// The operator proven before the desk opened (production: by the OS account or passphrase);
    /// in training any operator of the config signs with the sandbox's key (issue 12, item 8).
    public var proven: ProvenOperator?
    /// The journal's line count when its anchor had to be made again at start-up (recorded at sign-in).
    public var anchorRecreatedAt: Int?

    public func signIn(_ op: Operator) throws {
        var p: ProvenOperator
        if let known = proven, known.op.id == op.id {
            p = known
        } else {
            guard config.isTraining else {
                throw KeyError("職員 \(op.id) として操作するには、その職員の OSアカウントで（またはパスフレーズで）開き直してください（R-SG-1）")
            }
            p = try OfficeTrust.prove(op, config: config) { nil }
        }
        try OfficeTrust.admit(p, store: store, config: config, now: try clock.now())
        proven = p
        if let lines = anchorRecreatedAt {
            // Said on the status line when the desk opened; recorded by the first operator (R-SG-3).
            try store.appendTrustLine(type: EventType.anchorRecreated, data: .object(["lines": .number(Double(lines))]),
                                      operatorID: p.op.id, now: try clock.now())
            anchorRecreatedAt = nil
        }
        // The access log's lines are signed with the same key, checked against the journal's keys.
        accessLog.signing = store.accessSigning(p.key)
    }

    public var cases: [CaseRecord] { store.book.all }
    public var changeCount: Int { store.knownCount }
    public func casesTouched(since count: Int) -> Set<String>? { store.casesTouched(since: count) }

    /// Today's reminders, kept between changes (issue 14, P2), and the journal count they follow.
    private var reminderIndex: ReminderIndex?
    private var remindersCount = 0

    /// Whether the last look at the office's database failed for want of a connection (issue 15).
    private var storeOffline = false

    public func idle(shownToday: LocalDate) -> [DeskMessage] {
        var messages: [DeskMessage] = []
        do {
            let today = try clock.today()
            if today != shownToday {
                // Another terminal moved the training clock: the server delivers what is due.
                _ = try? training?.deliver(store)
                messages.append(.today(today))
            }
        } catch {
            messages.append(.operationFailed("今日の日付を読めません：\(UserFacing.detail(for: error))"))
        }
        do {
            if try store.refresh() { messages.append(.casesChanged(store.book.all)) }
            if storeOffline {
                storeOffline = false
                messages.append(.storeOnline)
            }
        } catch let e as JournalStoreUnavailable {
            // The office's database is out of reach (issue 15): said once, tried again every tick.
            if !storeOffline { messages.append(.storeOffline(e.description)) }
            storeOffline = true
        } catch let e as JournalError {
            // A forged or unsigned line written by another terminal or by hand (R-SG-3): said at once,
            // and every write is refused from now on (the journal will not append past it).
            if case .untrusted = e { messages.append(.operationFailed(e.description)) }
        } catch {}
        return messages
    }

    public func derived(today: LocalDate, for op: Operator) -> [DeskMessage] {
        // Only the cases the journal's new lines touched are worked out again; a new day, another
        // operator or a journal loaded again: every case (`ReminderIndex.update`).
        let basis = ReminderIndex.Basis(today: today, settings: config.reminders, viewer: op, operatorNames: config.operatorNames)
        var index = reminderIndex
        reminderIndex = nil   // the only reference while it is updated: no copy of its arrays
        if index != nil, let touched = store.casesTouched(since: remindersCount) {
            index!.update(store.book, touched: touched, basis: basis)
        } else {
            index = ReminderIndex(store.book, basis: basis)
        }
        reminderIndex = index
        remindersCount = store.knownCount
        var messages: [DeskMessage] = [
            .remindersChanged(index!.due),
            .batchesChanged(store.book.signOffBatches),
        ]
        if let training { messages.append(.trainingChanged(training.panel(store, today: today))) }
        return messages
    }

    /// Runs a batch step and turns its outcome (or its error) into a report for the desk.
    private func report(_ title: String, _ body: () throws -> [String]) -> DeskMessage {
        do {
            let lines = try body()
            return .operationDone(title: title, lines: lines, cases: store.book.all, showReport: true)
        } catch {
            return .operationDone(title: title, lines: ["できませんでした：\(UserFacing.detail(for: error))"], cases: store.book.all, showReport: true)
        }
    }

    /// Training: the upload reaches the simulated server, whose result file arrives at once.
    private func delivered() throws -> [String] {
        guard let training else { return [] }
        return try training.deliver(store).map { "【研修】研修用の中間サーバーから受信フォルダに届きました：\($0.path)（F4 で取り込みます）" }
    }

    public func perform(_ effect: DeskEffect, by op: Operator) -> [DeskMessage] {
        switch effect {
        case .quit, .switchOperator: return []   // the runtime's own
        case .recordAccess(let event): return recordAccess(event, by: op)
        case .reload: return reload()
        case .prepareBatch: return prepareBatch(by: op)
        case .decideBatch(let id, let approve, let comment): return decideBatch(id, approve: approve, comment: comment, by: op)
        case .exportRegistrations:
            return [report("一括登録ファイル（R-RG-1）") {
                try exportRegistrations(batchID: nil, by: op) + (try delivered())
            }]
        case .importFile(let kind, let path, let allowBadRows, let registeredOn):
            return importFile(kind, path: path, allowBadRows: allowBadRows, registeredOn: registeredOn, by: op)
        case .exportPendingCSV(let filter, let sort, let descending): return exportPendingCSV(filter, sort: sort, descending: descending, by: op)
        case .issueNotice(let number, let kind, let pdf, let print): return issueNotice(kind, on: number, pdf: pdf, print: print, by: op)
        case .print(.notice(let id)):
            return [report("通知の印刷") {
                [printNotice(id, number: NoticeLedger.find(id: id, in: store.book)?.caseNumber, by: op, audience: .deskPDFMade)]
            }]
        case .print(.pendingList(let filter, let sort, let descending)): return printPendingList(filter, sort: sort, descending: descending, by: op)
        case .moveTrainingClock(let move): return moveTrainingClock(move, by: op)
        case .showInboxFile(let path): return showInboxFile(path)
        case .gradeTraining: return gradeTraining()
        case .markReminderDone(let id, let note): return markReminderDone(id, note: note, by: op)
        case .record(let number, let event): return record(event, on: number, by: op)
        case .issueTickets(let number, let ticket): return issueTickets(ticket, on: number, by: op)
        case .correct(let request): return [correct(request, by: op)]
        case .save(let application, let tickets): return save(application, tickets: tickets, by: op)
        }
    }

    // MARK: Each effect, performed

    /// A read recorded in the access log (閲覧の記録).
    private func recordAccess(_ event: AccessEvent, by op: Operator) -> [DeskMessage] {
        // A screen already shown (a case opened, a search, a list): the clerk's work goes on, and
        // the status line says the read was not recorded (R-SG-4).
        do {
            try accessLog.record(event, operatorID: op.id, now: try clock.now())
            return []
        } catch {
            return [.operationFailed("閲覧の記録（\(accessLog.url.lastPathComponent)）に書けませんでした：\(UserFacing.detail(for: error))")]
        }
    }

    /// F5: the journal read again.
    private func reload() -> [DeskMessage] {
        do {
            try store.refresh()
            return [.casesChanged(store.book.all)]
        } catch {
            return [.saveFailed(UserFacing.detail(for: error))]
        }
    }

    /// A bulk registration prepared for the supervisor's approval (R-SG-2).
    private func prepareBatch(by op: Operator) -> [DeskMessage] {
        // Every case left out is named with why and how to fix it here (issue 11), batch or not.
        let fix = { (_: ExportRefusal) -> String? in "案件を開き F7 →「被保険者枝番を入力」" }
        return [report("一括登録の準備（承認待ち）") {
            do {
                let b = try store.prepareBatch(office: config, by: op, now: try clock.now())
                return ["一括登録 \(b.id) を準備しました（\(b.cases.count)件）。査察指導員の承認を待ちます。"] + b.cases.map { "  \($0)" }
                    + ExportRefusal.batchLines(RegistrationExport.plan(store.book, office: config).refused, nothingIn: false, fix: fix)
            } catch SignOffError.nothingToSend(let leftOut) where !leftOut.isEmpty {
                return ExportRefusal.batchLines(leftOut, nothingIn: true, fix: fix)
            }
        }]
    }

    /// The supervisor approves (and the file is written) or returns a prepared batch (R-SG-2).
    private func decideBatch(_ id: String, approve: Bool, comment: String, by op: Operator) -> [DeskMessage] {
        return [report(approve ? "一括登録の承認と出力" : "一括登録の差し戻し") {
            let b = try store.decideBatch(id, approve: approve, comment: comment, by: op, now: try clock.now())
            guard approve else { return ["一括登録 \(b.id) を差し戻しました：\(comment)"] }
            return ["一括登録 \(b.id) を承認しました（\(op.name)）。"]
                + (try exportRegistrations(batchID: b.id, by: op))
                + (try delivered())
        }]
    }

    /// F4: a result file or a monthly status file from the 中間サーバー.
    private func importFile(_ kind: FileAction, path: String, allowBadRows: Bool, registeredOn: LocalDate?, by op: Operator) -> [DeskMessage] {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        var offers: [ReportOffer] = []   // R-CF-3: re-registrations on the list, recorded with F7 from the report
        return [report(kind.label + "の取り込み") {
            switch kind {
            case .results:
                return try store.importResults(url, office: config, registeredOn: registeredOn, allowBadRows: allowBadRows,
                                               operatorID: op.id, now: try clock.now()).summaryLines(names: config.displayName(ofOperator:))
            case .status:
                // R-CF-3: a re-registration on the list is recorded with F7 here, or from the case.
                let r = try store.importStatus(url, office: config, allowBadRows: allowBadRows, operatorID: op.id, now: try clock.now())
                offers = r.rowNotes.filter(\.recordReregistration).map {
                    ReportOffer(caseNumber: $0.caseNumber, name: $0.name, row: $0.row, date: $0.reregisteredOn.flatMap(LocalDate.init(iso:)))
                }
                return r.summaryLines(names: config.displayName(ofOperator:)) { _ in "記録：この画面で F7、または案件の F7 →「再登録を記録」" }
            }
        }, .reportOffers(offers)]
    }

    /// F8 e: the pending list as a CSV file of its own, recorded before it is written (R-SG-4).
    private func exportPendingCSV(_ filter: PendingFilter, sort: PendingSort, descending: Bool, by op: Operator) -> [DeskMessage] {
        return [report("未完了一覧の CSV") {
            let now = try clock.now()
            let list = Pending.list(store.book, today: LocalDate(now), filter: filter, sort: sort, descending: descending)
            let data = try Pending.csv(list, encoding: config.reportEncoding, names: config.displayName(ofOperator:))
            // Each export its own file (pending-20261130-101500.csv, -2…), issue 11 item 8; its name is
            // reserved and recorded (R-SG-4) before a byte is written, and released if it cannot be.
            // Inside the office's folders only (R-SG-6).
            let url = try ReportFiles.uniqueURL(in: config.dataDirectory.appendingPathComponent("reports"), within: config.exportRoots,
                                                stem: "pending", ext: "csv", now: now)
            do {
                try recordBeforeLeaving(.pendingList(.exported, via: "desk F8 e", list, filter: filter, file: url.path), by: op)
                try PreparedFile.prepare(data, at: url).commitReplacing()
            } catch {
                unlink(url.path)
                throw error
            }
            let how = config.reportEncoding == .utf8 ? "Excel 向け UTF-8 BOM 付き" : "CP932"
            return ["未完了一覧を CSV に書き出しました（\(how)）：\(url.path)（\(list.rows.count)件）"]
        }]
    }

    /// A notice issued (and its PDF made, and printed when asked; R-NT-1..4).
    private func issueNotice(_ kind: NoticeKind, on number: String, pdf: Bool, print: Bool, by op: Operator) -> [DeskMessage] {
        return [report("通知（\(kind.label)）") {
            let renderer = NoticeRenderer(templates: try NoticeTemplates.load(directory: noticeTemplates))
            let r = try store.issueNotice(kind, caseNumber: number, office: config, clerk: op,
                                          renderer: renderer, pdf: pdf || print, now: try clock.now())
            // The notice is issued (journaled as notice.issued) whatever the access log does: its
            // failure is said on the report, and then nothing is printed (R-SG-4).
            let issued = recordAfterWork(AccessEvent(.exported, via: "desk 通知", cases: [number], filter: "通知 \(r.id)",
                                                     file: ([r.file] + [r.pdfFile].compactMap { $0 }).joined(separator: "・")), by: op)
            guard print else { return r.summaryLines + issued }
            guard issued.isEmpty else { return r.summaryLines + issued + ["印刷しませんでした（記録できないため）"] }
            // The notice is issued whatever the printer does; the last line says how the print went.
            return r.summaryLines + [printNotice(r.id, number: number, by: op, audience: .deskNotice)]
        }]
    }

    /// F8 p: the pending list printed, recorded before it leaves (R-SG-4).
    private func printPendingList(_ filter: PendingFilter, sort: PendingSort, descending: Bool, by op: Operator) -> [DeskMessage] {
        return [report("未完了一覧の印刷") {
            let now = try clock.now()
            let list = Pending.list(store.book, today: LocalDate(now), filter: filter, sort: sort, descending: descending)
            try recordBeforeLeaving(.pendingList(.printed, via: "desk F8 p", list, filter: filter,
                                                 file: "プリンター \(config.printQueue ?? "（未設定、PDF のみ）")"), by: op)
            return try store.printPendingList(filter: filter, sort: sort, descending: descending, today: LocalDate(now),
                                              office: config, printer: printer, by: op, now: now,
                                              audience: .deskPDFMade).lines
        }]
    }

    /// Training: the sandbox's day moved; the simulated server delivers what is due.
    private func moveTrainingClock(_ move: TrainingClockMove, by op: Operator) -> [DeskMessage] {
        guard let training else { return [] }
        do {
            let today = try clock.today()
            let moved = try training.sandbox.moveClock(to: move.target(from: today), book: training.book, operatorID: op.id)
            let arrived = try training.deliver(store)
            _ = try store.refresh()
            let what = arrived.isEmpty ? "新しく届いたファイルはありません"
                : "受信フォルダに\(arrived.count)件届きました：\(arrived.map(\.lastPathComponent).joined(separator: "、"))"
            return [.today(moved),
                    .operationDone(title: "研修の日付", lines: ["研修の今日を\(Wareki.format(moved))にしました。\(what)"],
                                   cases: store.book.all, showReport: false)]
        } catch {
            return [.operationFailed("日付を進められませんでした：\(UserFacing.detail(for: error))")]
        }
    }

    /// Training: a notice file of the sandbox's inbox shown.
    private func showInboxFile(_ path: String) -> [DeskMessage] {
        // Only files of this sandbox's inbox are shown (the path came from its listing).
        guard let training, URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
                .path == training.sandbox.inbox.standardizedFileURL.path,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return [.operationFailed("お知らせを読めませんでした：\(path)")]
        }
        return [.operationDone(title: "お知らせ：\(URL(fileURLWithPath: path).lastPathComponent)",
                               lines: text.components(separatedBy: "\n"), cases: store.book.all, showReport: true)]
    }

    /// Training: the sandbox graded.
    private func gradeTraining() -> [DeskMessage] {
        guard let training else { return [] }
        do {
            let report = TrainingGrader.grade(store.book, server: training.server, today: try clock.today(), sandbox: training.sandbox.name)
            return [.operationDone(title: "研修の採点", lines: report.lines, cases: store.book.all, showReport: true)]
        } catch {
            return [.operationFailed("採点できませんでした：\(UserFacing.detail(for: error))")]
        }
    }

    /// A reminder marked done for its occurrence.
    private func markReminderDone(_ id: String, note: String, by op: Operator) -> [DeskMessage] {
        do {
            let r = try store.markReminderDone(id, note: note, operatorID: op.id, now: try clock.now(), settings: config.reminders)
            return [.operationDone(title: "要対応", lines: ["済みにしました：\(r.message)"], cases: store.book.all, showReport: false)]
        } catch {
            return [.operationFailed("済みにできませんでした：\(UserFacing.detail(for: error))")]
        }
    }

    /// A lifecycle event recorded on a case.
    private func record(_ event: LifecycleEvent, on number: String, by op: Operator) -> [DeskMessage] {
        do {
            let c = try store.record(event, on: number, operatorID: op.id, now: try clock.now())
            return [.operationDone(title: "記録", lines: ["案件 \(c.number)：\(event.label)を記録しました（\(c.status.label)）"],
                                   cases: store.book.all, showReport: false)]
        } catch {
            return [.operationFailed("記録できませんでした：\(UserFacing.detail(for: error))"), .casesChanged(store.book.all)]
        }
    }

    /// Paper tickets issued later (R-PT-2, R-PT-4).
    private func issueTickets(_ ticket: PaperTicket, on number: String, by op: Operator) -> [DeskMessage] {
        // R-PT-2, R-PT-4: on disk (fsync) before the screen says 記録しました.
        do {
            let c = try store.issueTickets(ticket, on: number, operatorID: op.id, now: try clock.now())
            return [.operationDone(title: "記録", lines: ["案件 \(c.number)：\(Wareki.format(ticket.month))分の紙の\(ticket.kind.label)（\(ticket.institution)）の交付を記録しました"],
                                   cases: store.book.all, showReport: false)]
        } catch {
            return [.operationFailed("記録できませんでした：\(UserFacing.detail(for: error))"), .casesChanged(store.book.all)]
        }
    }

    /// A new application saved (with the tickets issued at the counter).
    private func save(_ application: Application, tickets: [PaperTicket], by op: Operator) -> [DeskMessage] {
        do {
            // Returns only after write + fsync: the screen says 保存しました after this.
            let saved = try store.receive(application, ticketsIssuedNow: tickets, operatorID: op.id, now: try clock.now())
            return [.saved(caseNumber: saved.number, cases: store.book.all)]
        } catch {
            return [.saveFailed(UserFacing.detail(for: error))]
        }
    }
}

/// An export or print the desk did not do because the access log could not record it (R-SG-4).
struct AccessRefusal: SetupError, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

extension OfficeDeskServices {
    /// After work the journal already holds (a notice issued): no line when recorded, else the line
    /// that says the access record is missing (the work stays).
    func recordAfterWork(_ event: AccessEvent, by op: Operator) -> [String] {
        do {
            try accessLog.record(event, operatorID: op.id, now: try clock.now())
            return []
        } catch {
            return ["閲覧・書き出しの記録（\(accessLog.url.lastPathComponent)）に書けませんでした：\(UserFacing.detail(for: error))"]
        }
    }

    /// The file to the 中間サーバー (journaled as registration.exported), then its access record
    /// (R-SG-4); a failure of the latter is said under the summary, the file stays.
    func exportRegistrations(batchID: String?, by op: Operator) throws -> [String] {
        let r = try store.exportRegistrations(office: config, directory: config.exportDirectory,
                                              operatorID: op.id, now: try clock.now(), batchID: batchID)
        guard let file = r.file else { return r.summaryLines }
        return r.summaryLines + recordAfterWork(AccessEvent(.exported, via: "desk 一括登録", cases: r.included,
                                                            filter: batchID.map { "一括登録 \($0)" }, file: file), by: op)
    }

    /// A notice to the printer, recorded first (R-SG-4); refused when it cannot be recorded.
    func printNotice(_ id: String, number: String?, by op: Operator, audience: PrintProblem.Audience) -> String {
        do {
            try recordBeforeLeaving(AccessEvent(.printed, via: "desk 印刷", cases: number.map { [$0] } ?? [], filter: "通知 \(id)",
                                                file: "プリンター \(config.printQueue ?? "（未設定、PDF のみ）")"), by: op)
        } catch {
            return "通知 \(id) を印刷しませんでした：\(UserFacing.detail(for: error))"
        }
        return store.printNoticeMessage(id: id, office: config, printer: printer, operatorID: op.id,
                                        now: (try? clock.now()) ?? Date(), audience: audience)
    }

    /// F7 → 訂正 (R-AM-1): answers `.corrected` only after the line is on disk (fsync), with the fields
    /// named; a refusal leaves the journal as it was and the clerk's typing on the screen.
    func correct(_ request: CorrectionRequest, by op: Operator) -> DeskMessage {
        do {
            guard let form else { throw CorrectionError.refused("画面定義（screens/intake.toml）が読み込まれていないため訂正できません") }
            let plan = try store.correct(request, form: form, context: ValidationContext(today: try clock.today(), defaultEra: .reiwa),
                                         operatorID: op.id, now: try clock.now())
            let fields = plan.payload.changes.map { ApplicationFields.label($0.field, form: form) }
                + (plan.payload.tickets == nil ? [] : [ApplicationFields.label(IntakeFieldID.tickets, form: form)])
            return .corrected(caseNumber: request.caseNumber,
                              message: "訂正しました（案件 \(request.caseNumber)：\(fields.joined(separator: "・"))、状態 \(plan.corrected.status.label)）",
                              cases: store.book.all)
        } catch {
            _ = try? store.refresh()
            return .correctionFailed(UserFacing.detail(for: error), cases: store.book.all)
        }
    }
}
