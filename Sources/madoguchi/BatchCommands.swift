import ArgumentParser
import Foundation
import MadoguchiCore

/// What every batch command shares: the office, the operator, `--json`, and how results are said.
struct BatchOptions: ParsableArguments {
    @OptionGroup var office: OfficeOptions

    @Option(name: .long, help: ArgumentHelp("操作する職員の id（省略時は MADOGUCHI_OPERATOR、OS のユーザー名の順）。", valueName: "ID"))
    var `operator`: String?

    @Flag(name: .long, help: "結果を JSON で出力します。")
    var json = false

    @Flag(name: .customLong("passphrase-stdin"), help: "パスフレーズを標準入力の1行目から読みます（auth = \"passphrase\" の職員。省略時は端末で尋ねます）。")
    var passphraseStdin = false

    /// Loads the office and its journal (a torn last line is set aside and reported on stderr), as
    /// an operator who proved who they are (R-SG-1): their key signs every line written.
    /// `admit: false` only for starting the journal's signing (`keys open-office`).
    func open(admit: Bool = true) throws -> OfficeSession {
        try openOfficeSession(try office.open(), operator: self.operator, passphraseStdin: passphraseStdin, admit: admit)
    }

    func emit<T: Encodable>(_ value: T, text: () -> [String]) throws {
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var data = try e.encode(value)
            data.append(0x0A)
            writeJSON(data)
        } else {
            text().forEach { print($0) }
        }
    }
}

/// The office and its journal for one command, as an operator who proved who they are (R-SG-1): the
/// journal is loaded (a torn last line set aside and reported on stderr), the operator admitted with
/// their enrolled key (which signs every line written), and in training the simulated server
/// delivers what is due. `admit: false` only for starting the journal's signing (`keys open-office`).
func openOfficeSession(_ opened: OpenedOffice, operator explicit: String?, passphraseStdin: Bool, admit: Bool = true,
                       interactive: Bool = true) throws -> OfficeSession {
    let config = opened.config
    let proven = try proveOperator(config, explicit: explicit, passphraseFromStdin: passphraseStdin, interactive: interactive)
    let store = CaseStore(journal: try openJournalStore(config, as: proven.op))
    store.journal.unsignedEraRoles = config.rolesByID
    store.foldKey = FoldSnapshotKey(signingKey: proven.key, journal: config.journalURL)   // issue 14: a start resumes from it
    let loaded = try store.load()
    if let torn = loaded.tornTail {
        printError("\(torn.reason)（\(torn.lineNumber)行目を \(torn.savedTo.path) に移しました）")
    }
    loaded.warnings.forEach(printError)
    if admit {
        do { try OfficeTrust.admit(proven, store: store, config: config, now: try opened.now()) } catch let e as KeyError {
            throw StartupError(e.description)
        }
        if loaded.anchorRecreated { try recordAnchorRecreated(store, loaded: loaded, op: proven.op, now: try opened.now()) }
    }
    // Training: the simulated 中間サーバー delivers whatever the sandbox's date has brought (issue 5).
    if admit, let training = opened.training {
        for url in try training.deliver(store) { printError("【研修】研修用の中間サーバーから届きました：\(url.path)") }
    }
    return OfficeSession(opened: opened, store: store, op: proven.op, proven: proven)
}

/// One command's office, journal, operator and clock, handed to whatever the command does.
struct OfficeSession {
    let opened: OpenedOffice
    let store: CaseStore
    let op: Operator
    let proven: ProvenOperator
    var config: OfficeConfig { opened.config }
    /// Now and today by the office's clock (the sandbox's simulated day in training, issue 5).
    func now() throws -> Date { try opened.now() }
    func today() throws -> LocalDate { try opened.today() }
}

func printError(_ s: String) {
    writeStandardError("madoguchi: \(s)\n")
}

/// Parses a date option typed by a person (和暦 or ISO), or says which option is wrong.
func parseDateOption(_ text: String?, name: String, default value: LocalDate) throws -> LocalDate {
    guard let text else { return value }
    switch Validators.date.validate(text, ValidationContext(today: value, defaultEra: .reiwa)) {
    case .success(let iso) where !iso.isEmpty: return LocalDate(iso: iso)!
    case .success: throw ValidationError("オプション --\(name) に日付を入力してください")
    case .failure(let e): throw badOptionValue("--\(name)", text, e.message)
    }
}

/// Parses a month option (2026-12, R8.12, 令和8年12月), or says which option is wrong.
func parseMonthOption(_ text: String?, name: String, today: LocalDate) throws -> YearMonth? {
    guard let text else { return nil }
    switch Validators.month.validate(text, ValidationContext(today: today, defaultEra: .reiwa)) {
    case .success(let iso) where !iso.isEmpty: return YearMonth(iso: iso)!
    case .success: throw ValidationError("オプション --\(name) に年月を入力してください")
    case .failure(let e): throw badOptionValue("--\(name)", text, e.message)
    }
}

/// 「オプション --date の値 'abc' が正しくありません：…」, the same words as the parser's own errors
/// (JapaneseCommandLine). R-ID-4: a value that looks like a 個人番号 is never echoed.
func badOptionValue(_ option: String, _ value: String, _ reason: String) -> ValidationError {
    ValidationError("オプション \(option) の値 '\(TextNormalizer.maskingMyNumberLike(value))' が正しくありません：\(reason)")
}

/// Exit codes that scripts can trust: 0 done, 1 refused (a bad file, an illegal move), 2 config.
func exitForRefusal(_ refused: Bool) throws {
    if refused { throw ExitCode(1) }
}

struct ExportRegistrations: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-registrations",
        abstract: "登録待ちの医療扶助単独の案件から、中間サーバーへの一括登録ファイル（FI_HIM_0018）を作ります。",
        discussion: "書き出すのは査察指導員が承認した一括登録だけです（prepare-batch → approve-batch）。項目を検査してから書き出し、通らない案件は理由とともに除きます（R-RG-3）。同じ案件は二度出力しません。併用の案件は出力しません（R-BR-3）。")

    @OptionGroup var batch: BatchOptions

    @Flag(name: .long, help: "書き出さずに、入る案件と除く案件だけを示します。")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("書き出す承認済みの一括登録（省略時は最も古い承認済みのもの）。", valueName: "ID"))
    var batchID: String?

    func run() throws {
        let session = try batch.open()
        let (config, store, op) = (session.config, session.store, session.op)
        let r = try store.exportRegistrations(office: config, directory: config.exportDirectory, operatorID: op.id, now: try session.now(),
                                              batchID: batchID, dryRun: dryRun)
        // R-SG-4: the file to the server (journaled as registration.exported) in the access log too.
        let now = try session.now()
        let accessRecorded = r.file == nil || recordAccessAfterWork(
            AccessEvent(.exported, via: "export-registrations", cases: r.included, filter: batchID.map { "一括登録 \($0)" }, file: r.file),
            session: session, now: now)
        // Training: the upload goes to the simulated server, whose result file arrives at once.
        let arrived = try session.opened.training?.deliver(store) ?? []
        try batch.emit(r) { r.summaryLines + arrived.map { "【研修】研修用の中間サーバーから届きました：\($0.path)" } }
        try exitForRefusal(!accessRecorded)
    }
}

/// Shared by the two imports.
struct ImportOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("取り込むファイル。", valueName: "FILE"))
    var file: String

    @Flag(name: .long, help: "誤りのある行を除いて取り込みます（除いた行は表示します、R-FL-4）。省略時は一行でも誤りがあれば何も取り込みません。")
    var skipBadRows = false
}

struct ImportResults: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-results",
        abstract: "登録結果ファイル（初回登録解除情報登録結果ファイル）を取り込みます。1 正常終了 → 登録済み、2 異常終了 → 登録エラー（R-RG-4, R-RG-5）。")

    @OptionGroup var batch: BatchOptions
    @OptionGroup var options: ImportOptions

    @Option(name: .long, help: ArgumentHelp("登録日（中間サーバーが受け付けた日、解除予定日の起点、R-DT-1）。省略時は各案件の一括登録ファイルを出力した日（R-RG-9）。出力日より前・今日より後の日は記録できません。", valueName: "DATE"))
    var registeredOn: String?

    func run() throws {
        let session = try batch.open()
        let (config, store, op) = (session.config, session.store, session.op)
        // R-RG-9: nil → each case's export day (never the day of import).
        let date = try registeredOn.map { try parseDateOption($0, name: "registered-on", default: try session.today()) }
        let r = try store.importResults(URL(fileURLWithPath: options.file), office: config, registeredOn: date,
                                        allowBadRows: options.skipBadRows, operatorID: op.id, now: try session.now())
        try batch.emit(r) { r.summaryLines(names: config.displayName(ofOperator:)) }
        try exitForRefusal(r.outcome == .refused)
    }
}

struct ImportStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-status",
        abstract: "月次の初回登録・有効期限状況一覧ファイルを取り込み、解除を確認します（R-CF-1）。予定日を過ぎて未確認の案件と、電子証明書の期限が近い人も示します（R-RL-2）。")

    @OptionGroup var batch: BatchOptions
    @OptionGroup var options: ImportOptions

    func run() throws {
        let session = try batch.open()
        let (config, store, op) = (session.config, session.store, session.op)
        let r = try store.importStatus(URL(fileURLWithPath: options.file), office: config,
                                       allowBadRows: options.skipBadRows, operatorID: op.id, now: try session.now())
        // R-CF-3: a re-registration on the list is recorded with this command.
        try batch.emit(r) {
            r.summaryLines(names: config.displayName(ofOperator:)) { n in
                "記録：madoguchi record-reregistration \(n.caseNumber)" + (n.reregisteredOn.map { " --date \($0)" } ?? " --date 再登録日")
            }
        }
        try exitForRefusal(r.outcome == .refused)
    }
}

/// One move on one case, from the command line; the same domain code as the desk.
struct CaseMoveResult: Encodable {
    let caseNumber: String
    let status: String
    let statusLabel: String
    let expectedCancellation: String
    let event: String
}

/// `--yes` for the moves that end a case, hold it or overwrite a value (issue 11 item 5).
struct ConfirmOptions: ParsableArguments {
    @Flag(name: .long, help: "変更の確認（y/n）を省きます。スクリプトから実行するときに付けます。")
    var yes = false
}

/// Shows what will change (old → new) and asks y/n on the terminal. Without a terminal on stdin the
/// move is refused (exit 1): a script must say `--yes`. Nothing is written before the answer.
func confirmOnTerminal(_ preview: ChangePreview) throws {
    let text = preview.lines.joined(separator: "\n") + "\n"
    writeStandardError(text)
    guard isatty(STDIN_FILENO) == 1 else {
        throw StepRefused("取り消せない記録なので、確認が必要です。端末から実行して y で確かめるか、--yes を付けてください。何も記録していません。")
    }
    FileHandle.standardError.write(Data("記録しますか？（y/n）: ".utf8))
    let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces)
    guard ["y", "Y", "ｙ", "Ｙ", "yes", "はい"].contains(answer) else {
        throw StepRefused("記録しませんでした。")
    }
}

/// Records one move on a case. `event` is built from the opened office, so a date option left out
/// defaults to the office's today (the sandbox's simulated day in training), not the machine's.
func recordMove(_ batch: BatchOptions, caseNumber: String, confirmed: Bool = false,
                _ event: (OfficeSession) throws -> LifecycleEvent) throws {
    let session = try batch.open()
    let (store, op) = (session.store, session.op)
    let e = try event(session)
    do {
        if !confirmed, let current = store.book[caseNumber], e.asksConfirmation(on: current) {
            try confirmOnTerminal(try ChangePreview.of(e, on: current, today: try session.today()))
        }
        let c = try store.record(e, on: caseNumber, operatorID: op.id, now: try session.now())
        let r = CaseMoveResult(caseNumber: c.number, status: c.status.rawValue, statusLabel: c.status.label,
                               expectedCancellation: CaseLifecycle.expectedCancellation(c).label, event: e.label)
        try batch.emit(r) { ["案件 \(c.number)：\(e.label)を記録しました。状態：\(c.status.label)、解除予定日：\(r.expectedCancellation)"] }
    } catch let err as CaseError {
        throw StepRefused(err)   // refused against the case as it is on disk: exit 1, not the setup's 2
    }
}

struct RecordNotice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-notice",
        abstract: "統合専用端末のお知らせ（保留 #1〜#4・取消 #5）を案件に記録します（R-HC-1..3, R-FL-3）。--cleared で保留の解消を記録します。")

    @OptionGroup var batch: BatchOptions
    @OptionGroup var confirm: ConfirmOptions

    @Argument(help: ArgumentHelp("案件番号（例 2026-0001）。", valueName: "CASE"))
    var caseNumber: String

    @Option(name: .long, help: ArgumentHelp("お知らせの理由の番号 1〜5（R-HC-1）。", valueName: "N"))
    var reason: Int?

    @Option(name: .long, help: ArgumentHelp("お知らせの日付（省略時は今日）。", valueName: "DATE"))
    var date: String?

    @Option(name: .long, help: ArgumentHelp("取消（#5）のあとにしたこと（本人に連絡した、など。R-HC-3）。", valueName: "TEXT"))
    var action: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("保留（#1〜#4）のお知らせがどの月末処理のものか（2026-12、R8.12、令和8年12月）。再確認はその翌月末です（R-HC-2）。省略時はお知らせの日付から決めます：その日までの最後の月末（登録の翌月より前にはしません）。", valueName: "MONTH"))
    var runMonth: String?

    @Flag(name: .long, help: "保留が解消した（次の月末処理で実行された）ことを記録します。")
    var cleared = false

    func validate() throws {
        if cleared && reason != nil { throw ValidationError("--cleared と --reason は一緒に使えません") }
        if runMonth != nil && (cleared || reason == 5) { throw ValidationError("--run は保留（--reason 1〜4）のお知らせに付けます（R-HC-2）") }
        if !cleared {
            guard let reason else { throw ValidationError("--reason（1〜5）を指定してください") }
            guard NoticeReason(rawValue: reason) != nil else { throw badOptionValue("--reason", String(reason), "1〜5 です") }   // R-ID-4: masked
            if reason == 5 && (action ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("取消（#5）では --action に、そのあとにしたことを書いてください（R-HC-3）")
            }
        }
    }

    func run() throws {
        try recordMove(batch, caseNumber: caseNumber, confirmed: confirm.yes) { session in
            let d = try parseDateOption(date, name: "date", default: try session.today())
            if cleared { return .holdCleared(on: d) }
            let r = NoticeReason(rawValue: reason!)!
            return r.isHold ? .held(reason: r, noticeDate: d, run: try parseMonthOption(runMonth, name: "run", today: try session.today()))
                : .cancelledByServer(noticeDate: d, action: action ?? "")
        }
    }
}

struct TransferOut: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer-out",
        abstract: "解除の前に他の福祉事務所へ移ったことを記録します（R-IN-4 f）。")

    @OptionGroup var batch: BatchOptions
    @OptionGroup var confirm: ConfirmOptions
    @Argument(help: ArgumentHelp("案件番号。", valueName: "CASE")) var caseNumber: String
    @Option(name: .long, help: ArgumentHelp("移った先の福祉事務所。", valueName: "OFFICE")) var to: String
    @Option(name: .long, help: ArgumentHelp("移った日（省略時は今日）。", valueName: "DATE")) var date: String?

    func run() throws {
        let office = to.trimmingCharacters(in: .whitespaces)
        guard !office.isEmpty else { throw ValidationError("--to に移った先の福祉事務所を書いてください") }
        try recordMove(batch, caseNumber: caseNumber, confirmed: confirm.yes) { session in
            .transferredOut(office: office, on: try parseDateOption(date, name: "date", default: try session.today()))
        }
    }
}

struct Withdraw: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "申請者が申請を取り下げたことを記録します。")

    @OptionGroup var batch: BatchOptions
    @OptionGroup var confirm: ConfirmOptions
    @Argument(help: ArgumentHelp("案件番号。", valueName: "CASE")) var caseNumber: String
    @Option(name: .long, help: ArgumentHelp("理由。", valueName: "TEXT")) var reason: String
    @Option(name: .long, help: ArgumentHelp("取り下げた日（省略時は今日）。", valueName: "DATE")) var date: String?

    func run() throws {
        try recordMove(batch, caseNumber: caseNumber, confirmed: confirm.yes) { session in
            .withdrawn(reason: reason, on: try parseDateOption(date, name: "date", default: try session.today()))
        }
    }
}

struct SetServerNumber: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-server-number",
        abstract: "受付のときに空欄だった被保険者枝番（16桁）を入力します（R-RG-2）。")

    @OptionGroup var batch: BatchOptions
    @OptionGroup var confirm: ConfirmOptions
    @Argument(help: ArgumentHelp("案件番号。", valueName: "CASE")) var caseNumber: String
    @Argument(help: ArgumentHelp("被保険者枝番（16桁）。", valueName: "NUMBER")) var number: String

    func run() throws {
        let v = Validators.serverIndividualNumber
        // A number has no date in it: the validator's today is not consulted.
        let context = ValidationContext(today: LocalDate(Date()))
        guard case .success(let normalized) = v.validate(number, context), !normalized.isEmpty else {
            if case .failure(let e) = v.validate(number, context) {
                throw ValidationError("被保険者枝番 \(TextNormalizer.maskingMyNumberLike(number))：\(e.message)")   // R-ID-4: never echoed
            }
            throw ValidationError("被保険者枝番を入力してください")
        }
        try recordMove(batch, caseNumber: caseNumber, confirmed: confirm.yes) { _ in .serverNumberSet(normalized) }
    }
}

struct Requeue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "登録エラー（異常終了）の原因を直した案件を、登録待ちに戻します。次の一括登録ファイルに入ります（R-RG-5）。",
        discussion: "「既に登録されています」という異常終了は登録し直しません（R-RG-6）：紙の医療券・調剤券を交付し、状況一覧ファイルで解除を確かめます。それでも戻すときは確認（y/n、または --yes）が要ります。")

    @OptionGroup var batch: BatchOptions
    @OptionGroup var confirm: ConfirmOptions
    @Argument(help: ArgumentHelp("案件番号。", valueName: "CASE")) var caseNumber: String
    @Option(name: .long, help: ArgumentHelp("直したこと（例 被保険者枝番の誤りを直した）。", valueName: "TEXT")) var note: String

    func run() throws {
        let what = note.trimmingCharacters(in: .whitespaces)
        guard !what.isEmpty else { throw ValidationError("--note に直したことを書いてください") }
        try recordMove(batch, caseNumber: caseNumber, confirmed: confirm.yes) { _ in .requeued(note: what) }
    }
}

/// Maker-checker (issue 4): prepare, approve or return a batch.
struct PrepareBatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare-batch",
        abstract: "登録待ちの案件を一括登録にまとめ、査察指導員の承認を待ちます。")

    @OptionGroup var batch: BatchOptions

    func run() throws {
        let session = try batch.open()
        let (config, store, op) = (session.config, session.store, session.op)
        // Every case left out is named with why and the command that fixes a blank 枝番 (issue 11).
        let fix = { (x: ExportRefusal) -> String? in "madoguchi set-server-number \(x.caseNumber) 16桁の番号" }
        let b: SignOffBatch
        do {
            b = try store.prepareBatch(office: config, by: op, now: try session.now())
        } catch SignOffError.nothingToSend(let leftOut) where !leftOut.isEmpty {
            throw FieldProblem(field: "prepare-batch", label: "一括登録の準備",
                               message: ExportRefusal.batchLines(leftOut, nothingIn: true, fix: fix).joined(separator: "\n"))
        }
        let leftOut = RegistrationExport.plan(store.book, office: config).refused
        /// The batch's fields as before, plus `leftOut`.
        struct Out: Encodable {
            let batch: SignOffBatch
            let leftOut: [ExportRefusal]
            enum Key: String, CodingKey { case leftOut }
            func encode(to encoder: any Encoder) throws {
                try batch.encode(to: encoder)
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(leftOut, forKey: .leftOut)
            }
        }
        try batch.emit(Out(batch: b, leftOut: leftOut)) {
            ["一括登録 \(b.id) を準備しました（\(b.cases.count)件：\(b.cases.joined(separator: ", "))）。査察指導員の承認を待ちます。"]
                + ExportRefusal.batchLines(leftOut, nothingIn: false, fix: fix)
        }
    }
}

struct DecideBatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve-batch",
        abstract: "一括登録を承認します（査察指導員、自分で準備したものは不可）。--return で差し戻します。")

    @OptionGroup var batch: BatchOptions
    @Argument(help: ArgumentHelp("一括登録の id（例 B20261124-1）。", valueName: "ID")) var id: String
    @Flag(name: .customLong("return"), help: "承認せずに差し戻します（--comment が必要）。") var giveBack = false
    @Option(name: .long, help: ArgumentHelp("コメント（差し戻しの理由など）。", valueName: "TEXT")) var comment: String = ""

    func run() throws {
        let session = try batch.open()
        let (store, op) = (session.store, session.op)
        let b = try store.decideBatch(id, approve: !giveBack, comment: comment, by: op, now: try session.now())
        try batch.emit(b) { ["一括登録 \(b.id) を\(giveBack ? "差し戻しました" : "承認しました")（\(op.name)）。"] }
    }
}

struct RecordReregistration: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-reregistration",
        abstract: "解除のあとで本人がカードを再登録したことを記録します。翌月から紙の医療券・調剤券の要対応が出なくなります（R-PT-2）。")

    @OptionGroup var batch: BatchOptions
    @Argument(help: ArgumentHelp("案件番号。", valueName: "CASE")) var caseNumber: String
    @Option(name: .long, help: ArgumentHelp("再登録した日（省略時は今日）。", valueName: "DATE")) var date: String?

    func run() throws {
        try recordMove(batch, caseNumber: caseNumber) { session in
            .reregistered(on: try parseDateOption(date, name: "date", default: try session.today()))
        }
    }
}

/// R-RG-8: a request registered one by one on the 統合専用端末 (R-RG-1), recorded with its day.
struct RecordRegistration: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-registration",
        abstract: "統合専用端末で一件ずつ登録した解除の申請を記録します。登録日の翌月末が解除予定日です（R-RG-8, R-DT-1）。",
        discussion: "医療扶助単独で「登録待ち」か「登録エラー」の案件だけです。登録日は統合専用端末で登録した日で、申請日より前・今日より後の日は記録できません（R-RG-9）。記録の前に変更を示して確かめます（y/n、スクリプトでは --yes）。")

    @OptionGroup var batch: BatchOptions
    @OptionGroup var confirm: ConfirmOptions
    @Argument(help: ArgumentHelp("案件番号。", valueName: "CASE")) var caseNumber: String
    @Option(name: .long, help: ArgumentHelp("統合専用端末で登録した日（和暦か 2026-11-02 の形）。", valueName: "DATE")) var date: String

    func run() throws {
        try recordMove(batch, caseNumber: caseNumber, confirmed: confirm.yes) { session in
            .registeredOnTerminal(on: try parseDateOption(date, name: "date", default: try session.today()))
        }
    }
}
