import MadoguchiCore

/// Which server file an import reads.
public enum FileAction: String, Equatable, Sendable, CaseIterable {
    /// 初回登録解除情報登録結果ファイル (R-FL-1)
    case results
    /// 初回登録・有効期限状況一覧ファイル (R-FL-2)
    case status

    public var label: String { self == .results ? "登録結果ファイル（処理結果）" : "状況一覧ファイル（月次）" }
}

/// What the clerk can record on one case from its detail screen (F7).
public enum CaseAction: String, Equatable, Sendable, CaseIterable {
    case notice, holdCleared, requeue, transferOut, withdraw, serverNumber, printNotice, reregistered
    /// 紙の医療券・調剤券の交付 after intake, any month and institution (R-PT-2 amended, R-PT-4).
    case tickets
    /// 訂正 (R-AM-1): opens the correction screen, not a small form.
    case correct
    /// 統合専用端末で一件ずつ登録した (R-RG-8). The eleventh item: key `a` (see `menuDigit`).
    case registeredOnTerminal

    public var label: String {
        switch self {
        case .notice: return "保留・取消のお知らせを記録（R-HC-1）"
        case .holdCleared: return "保留の解消を記録（R-HC-2）"
        case .requeue: return "登録エラーを直して登録し直す（R-RG-5）"
        case .transferOut: return "転出を記録（R-IN-4 f）"
        case .withdraw: return "取下げを記録"
        case .serverNumber: return "被保険者枝番を入力（R-RG-2）"
        case .printNotice: return "通知を作る（受付控え・保留・取消、R-NT-1..4）"
        case .reregistered: return "再登録を記録（紙の券が不要に、R-PT-2）"
        case .tickets: return "紙の医療券・調剤券を交付（R-PT-2）"
        case .correct: return "訂正（申請の内容を直す、R-AM-1）"
        case .registeredOnTerminal: return "統合専用端末での登録を記録（一件ずつ、R-RG-8）"
        }
    }
}

/// A move the report screen offers to record (R-CF-3): a re-registration the monthly status file
/// shows, with the date it gives. F7 on the report lists them; choosing one opens the case's form.
public struct ReportOffer: Equatable, Sendable {
    public let caseNumber: String
    public let name: String
    public let row: Int
    public let date: LocalDate?

    public init(caseNumber: String, name: String, row: Int, date: LocalDate?) {
        self.caseNumber = caseNumber
        self.name = name
        self.row = row
        self.date = date
    }

    /// The menu's line: 「3行目 2026-0001 山田 太郎：再登録 令和9年2月10日」.
    var label: String { "\(row)行目 \(caseNumber) \(name)：再登録\(date.map { " \(Wareki.format($0))" } ?? "（日付は本人に確認）")" }
}

public struct ActionMenu: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case importFile, caseAction(String)
        /// The report's offers (R-CF-3), by case number.
        case reportOffers([String])
        /// Training: how far to move the simulated clock (issue 5).
        case trainingClock
        /// Training: the inbox's files, by path (issue 5).
        case inbox([String])
    }
    public var title: String
    public var purpose: Purpose
    public var items: [String]
    public var selected = 0
}

/// A small form in a dialog. Text fields are checked with the domain's validators on submit.
public struct ActionForm: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case importFile(FileAction)
        case caseAction(CaseAction, caseNumber: String)
        case reminderDone(id: String)
        case signOff(batchID: String)
        /// Training: the day to move the simulated clock to (issue 5).
        case trainingDate
    }

    public struct Field: Equatable, Sendable {
        public var id: String
        public var label: String
        /// Empty: a text field; else the choices.
        public var options: [FormField.Option] = []
        public var value = ""
        /// Shown in an empty text box; for the import path it is also what an empty box means.
        public var placeholder = ""
        /// Shown (and focusable, and read on submit) only while another field holds one of these
        /// values, like a `when` of the intake form: 取消後の対応 only for a cancellation (#5).
        public var shownWhen: (field: String, values: [String])? = nil
        /// The value is one the form offered (today's date), not typed: the first character typed
        /// replaces it, as in a selected field. A cursor key or Backspace starts editing it instead.
        public var offered = false

        public static func == (a: Field, b: Field) -> Bool {
            a.id == b.id && a.label == b.label && a.options == b.options && a.value == b.value
                && a.placeholder == b.placeholder && a.shownWhen?.field == b.shownWhen?.field
                && a.shownWhen?.values == b.shownWhen?.values
        }
    }

    public var title: String
    public var purpose: Purpose
    public var fields: [Field]
    public var focus = 0
    public var cursor = 0
    public var error: String?
    /// Text was typed into a choice: the rest of that typing is refused too (a date typed into
    /// 理由 must not pick reasons by its digits), until the clerk moves or chooses with a key.
    var refusingTyping = false
    /// Lines to read above the fields (the cases of a batch to approve); PgUp/PgDn scroll them.
    public var notes: [String] = []
    public var notesScroll = 0

    /// A hidden field's value is never read (it is also cleared when it hides).
    func value(_ id: String) -> String {
        fields.first { $0.id == id && isShown($0) }?.value ?? ""
    }

    func isShown(_ field: Field) -> Bool {
        guard let w = field.shownWhen else { return true }
        return w.values.contains(fields.first { $0.id == w.field }?.value ?? "")
    }

    /// The fields the clerk sees, in order, with their index in `fields`.
    var visible: [Int] { fields.indices.filter { isShown(fields[$0]) } }

    /// The visible field after (or before) the focused one, nil at the end (start).
    func neighbour(_ step: Int) -> Int? {
        let v = visible
        guard let at = v.firstIndex(of: focus) else { return v.first }
        let next = at + step
        return v.indices.contains(next) ? v[next] : nil
    }

    var focusIsLast: Bool { neighbour(1) == nil }

    /// What Enter on the last field does, as the hint names it.
    var verb: String {
        switch purpose {
        case .importFile: return "取り込む"
        case .caseAction(.printNotice, _): return value("pdf") == DeskState.reprintChoice ? "もう一度印刷" : "作る"
        case .caseAction: return "記録"
        case .reminderDone: return "済みにする"
        case .signOff: return "決定"
        case .trainingDate: return "日付を進める"
        }
    }

    /// After a choice changed: a field that hides loses its value, and the focus never rests on one.
    mutating func settle() {
        for i in fields.indices where !isShown(fields[i]) { fields[i].value = "" }
        if !isShown(fields[focus]) {
            let v = visible
            focus = v.last { $0 < focus } ?? v.first ?? 0
            cursor = fields[focus].value.count
        }
    }
}

extension DeskState {
    // MARK: Opening

    /// F3, the bulk registration file with maker-checker (issue 4): an approved batch is written; a
    /// batch waiting for approval is opened for a supervisor who did not prepare it; otherwise the
    /// cases ready to send are put into a new batch for approval.
    mutating func startExport() -> [DeskEffect] {
        if batches.contains(where: { $0.state == .approved }) {
            status = StatusLine("一括登録ファイルを作っています…")
            return [.exportRegistrations]
        }
        if let waiting = batches.first(where: { $0.state == .prepared }) {
            guard config.operatorRole == .supervisor, waiting.preparedBy != config.operatorID else {
                status = StatusLine("一括登録 \(waiting.id)（\(waiting.cases.count)件、準備 \(config.name(of: waiting.preparedBy))）は承認待ちです。"
                                    + (waiting.preparedBy == config.operatorID ? "自分で準備したものは" : "") + "別の査察指導員が承認します。", .error)
                return []
            }
            dialog = .form(form(for: .signOff(batchID: waiting.id)))
            return []
        }
        status = StatusLine("一括登録を準備しています…")
        return [.prepareBatch]
    }

    mutating func openImportMenu() {
        dialog = .menu(ActionMenu(title: "取り込むファイル", purpose: .importFile, items: FileAction.allCases.map(\.label)))
    }

    mutating func openCaseMenu(_ number: String) {
        dialog = .menu(ActionMenu(title: "案件 \(number) に記録する", purpose: .caseAction(number), items: CaseAction.allCases.map(\.label)))
    }

    /// The approval screen's list (issue 11 item 7): each case's number, name, branch and state.
    func signOffLines(_ b: SignOffBatch?) -> [String] {
        guard let b else { return [] }
        return b.cases.map { n in
            guard let r = cases.first(where: { $0.number == n }) else { return "\(n)　（この端末にない案件）" }
            return Self.signOffRow(n, r.application.applicant.name, r.application.branch.shortLabel, r.status.label)
        }
    }

    static func signOffRow(_ number: String, _ name: String, _ branch: String, _ state: String) -> String {
        "\(DisplayWidth.pad(number, to: 9))  \(DisplayWidth.pad(DisplayWidth.truncate(name, to: 16), to: 16))  \(DisplayWidth.pad(branch, to: 4))  \(state)"
    }

    static let signOffHeading = signOffRow("案件番号", "氏名", "区分", "状態")

    /// A form as it opens: the focus on its first shown field, the cursor at the end of its value
    /// (typing adds to a date offered, it does not go in front of it).
    func form(for purpose: ActionForm.Purpose) -> ActionForm {
        var f = blankForm(for: purpose)
        for i in f.fields.indices where f.fields[i].options.isEmpty && !f.fields[i].value.isEmpty { f.fields[i].offered = true }
        f.settle()
        f.cursor = f.fields[f.focus].value.count
        return f
    }

    private func blankForm(for purpose: ActionForm.Purpose) -> ActionForm {
        let today = Wareki.format(self.today)
        switch purpose {
        case .signOff(let id):
            let b = batches.first { $0.id == id }
            var f = ActionForm(title: "一括登録 \(id) の承認（\(b?.cases.count ?? 0)件、準備 \(b.map { config.name(of: $0.preparedBy) } ?? "")）",
                               purpose: purpose, fields: [
                .init(id: "decision", label: "判断", options: [.init(value: "approve", label: "承認して出力"), .init(value: "return", label: "差し戻す")], value: "approve"),
                .init(id: "comment", label: "コメント"),
            ])
            f.notes = signOffLines(b)
            return f
        case .reminderDone:
            return ActionForm(title: "要対応を済みにする", purpose: purpose, fields: [.init(id: "note", label: "メモ（任意）")])
        case .trainingDate:
            return ActionForm(title: "研修の日付を指定する（進めるだけで、戻せません）", purpose: purpose,
                              fields: [.init(id: "date", label: "日付", value: today)])
        case .importFile(let kind):
            // Training: the newest file the simulated server delivered and not imported yet is offered
            // in the empty box; Enter takes it, typing a path replaces it (nothing to clear first).
            var fields = [ActionForm.Field(id: "path", label: "ファイル（パス）", placeholder: inboxDefault(kind))]
            // R-RG-9: the day the cases waiting for a result were exported, never the day of import;
            // left blank (files of several days) it means each case's own export day.
            if kind == .results {
                fields.append(.init(id: "date", label: "登録日（R-DT-1）", value: offeredRegistrationDate.map(Wareki.format) ?? "",
                                    placeholder: Self.perCaseExportDay))
            }
            fields.append(.init(id: "skip", label: "誤りのある行", options: [.init(value: "no", label: "あれば取り込まない"), .init(value: "yes", label: "除いて取り込む")], value: "no"))
            return ActionForm(title: kind.label + "を取り込む", purpose: purpose, fields: fields)
        case .caseAction(let action, let number):
            let fields: [ActionForm.Field]
            switch action {
            case .notice:
                fields = [
                    .init(id: "reason", label: "理由（R-HC-1）", options: NoticeReason.allCases.map { .init(value: "\($0.rawValue)", label: $0.label) }, value: "1"),
                    .init(id: "date", label: "お知らせの日付", value: today),
                    // R-HC-2: the run the お知らせ reports (its next run re-checks it); blank: the stated rule.
                    .init(id: "run", label: "月末処理の月（空欄可）",
                          shownWhen: ("reason", NoticeReason.allCases.filter(\.isHold).map { "\($0.rawValue)" })),
                    .init(id: "action", label: "取消後の対応（#5）",
                          shownWhen: ("reason", NoticeReason.allCases.filter { !$0.isHold }.map { "\($0.rawValue)" })),
                ]
            case .holdCleared: fields = [.init(id: "date", label: "解消した日", value: today)]
            case .requeue: fields = [.init(id: "note", label: "直したこと")]
            case .transferOut: fields = [.init(id: "office", label: "転出先の事務所"), .init(id: "date", label: "転出日", value: today)]
            case .withdraw: fields = [.init(id: "reason", label: "理由"), .init(id: "date", label: "取下げ日", value: today)]
            case .serverNumber: fields = [.init(id: "number", label: "被保険者枝番（16桁）")]
            case .reregistered: fields = [.init(id: "date", label: "再登録した日", value: today)]
            // R-RG-8, R-RG-9: the day it was registered on the terminal, typed (not offered).
            case .registeredOnTerminal: fields = [.init(id: "date", label: "端末で登録した日")]
            case .tickets:
                fields = [
                    .init(id: "kind", label: "種類", options: PaperTicket.Kind.allCases.map { .init(value: $0.rawValue, label: $0.label) },
                          value: PaperTicket.Kind.medical.rawValue),
                    .init(id: "institution", label: "医療機関・薬局"),
                    .init(id: "month", label: "月", value: Wareki.format(self.today.yearMonth)),
                ]
            case .correct: fields = []   // its own screen (CorrectionScreen.swift)
            case .printNotice:
                // A print that failed is tried again on the notice already issued, not a new one
                // (issue 11: three tries made -2, -3, -4): offered once the case has a notice.
                let issued = !(cases.first { $0.number == number }?.notices.isEmpty ?? true)
                fields = [
                    .init(id: "kind", label: "通知", options: NoticeKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, value: NoticeKind.pending.rawValue),
                    .init(id: "pdf", label: "印刷用 PDF", options: [.init(value: "yes", label: "PDF だけ作る"), .init(value: "print", label: "プリンターで印刷"),
                                                                  .init(value: "no", label: "作らない")]
                          + (issued ? [.init(value: Self.reprintChoice, label: "前回の通知をもう一度印刷（新しい通知は作らない）")] : []), value: "yes"),
                ]
            }
            return ActionForm(title: "案件 \(number)：\(action.label)", purpose: purpose, fields: fields)
        }
    }

    // MARK: Keys in a menu or form

    mutating func updateMenu(_ menu: ActionMenu, _ command: Command) -> [DeskEffect] {
        var m = menu
        switch command {
        case .up, .previous: m.selected = max(0, m.selected - 1)
        case .down, .next: m.selected = min(m.items.count - 1, m.selected + 1)
        case .back: dialog = nil; return []
        case .home: m.selected = 0
        case .end: m.selected = m.items.count - 1
        case .insert(let t):
            // A digit only moves the highlight, as ↑↓ do; Enter opens what is highlighted. One rule
            // for every menu, so "1 Enter" and "↓… Enter" choose the same item and the Enter the
            // hint asks for never reaches the form behind (issue 11).
            // 0 is the tenth item (F7 has ten), as on a keypad's row of digits.
            // After the tenth, a, b, … (F7 has eleven since R-RG-8): shown beside each item.
            if let n = Self.menuIndex(t), n < m.items.count { m.selected = n }
        case .activate:
            switch m.purpose {
            case .importFile: dialog = .form(form(for: .importFile(FileAction.allCases[m.selected])))
            case .caseAction(let number) where CaseAction.allCases[m.selected] == .correct: openCorrection(number)
            case .caseAction(let number): dialog = .form(form(for: .caseAction(CaseAction.allCases[m.selected], caseNumber: number)))
            case .trainingClock:
                guard let move = TrainingClockMove.menu[m.selected].move else {
                    dialog = .form(form(for: .trainingDate))
                    return []
                }
                // Irreversible: asked first, old → new (issue 11).
                dialog = .confirm(confirmTrainingClock(move, menu: m))
                return []
            case .reportOffers(let numbers):
                // R-CF-3: the case's own 再登録を記録 form, the file's date offered.
                let number = numbers[m.selected]
                var f = form(for: .caseAction(.reregistered, caseNumber: number))
                if let d = reportOffers.first(where: { $0.caseNumber == number })?.date, let i = f.fields.firstIndex(where: { $0.id == "date" }) {
                    f.fields[i].value = Wareki.format(d)
                    f.cursor = f.fields[i].value.count
                }
                dialog = .form(f)
            case .inbox(let paths):
                let path = paths[m.selected]
                guard let kind = training?.inbox.first(where: { $0.path == path })?.kind else {
                    dialog = nil
                    return [.showInboxFile(path: path)]
                }
                var f = form(for: .importFile(kind))
                f.fields[0].value = path
                f.cursor = path.count
                dialog = .form(f)
            }
            return []
        default: break
        }
        dialog = .menu(m)
        return []
    }

    /// Keys in a form. Only visible fields take the focus (Tab, ↑↓, Enter move among them); what is
    /// typed goes to the field drawn as focused; Enter moves to the next field and, on the last one,
    /// submits, as the hint under the form says (issue 11).
    mutating func updateForm(_ form: ActionForm, _ command: Command) -> [DeskEffect] {
        var f = form
        f.settle()
        let field = f.fields[f.focus]
        if case .insert = command {} else { f.refusingTyping = false }
        switch command {
        case .back:
            dialog = nil
            return []
        case .next, .down:
            if let n = f.neighbour(1) { f.focus = n; f.cursor = f.fields[n].value.count }
            f.error = nil
        case .previous, .up:
            if let n = f.neighbour(-1) { f.focus = n; f.cursor = f.fields[n].value.count }
            f.error = nil
        case .nextPage where !f.notes.isEmpty:
            let shown = notesRoom(f) - 1
            f.notesScroll = min(f.notesScroll + shown, max(0, f.notes.count - shown))
        case .previousPage where !f.notes.isEmpty:
            f.notesScroll = max(0, f.notesScroll - (notesRoom(f) - 1))
        case .activate where !f.focusIsLast:
            if let n = f.neighbour(1) { f.focus = n; f.cursor = f.fields[n].value.count }
            f.error = nil
        case .activate, .primary:
            switch submit(f) {
            case .success(let effect):
                // Think before the irreversible (issue 11 item 5): old → new, then y/n.
                if case .moveTrainingClock(let move) = effect {
                    dialog = .confirm(confirmTrainingClock(move, form: f))
                    return []
                }
                switch confirmation(for: effect, from: f) {
                case .success(let ask?):
                    dialog = .confirm(ask)
                    return []
                case .success(nil):
                    dialog = nil
                    status = StatusLine("記録しています…")
                    return [effect]
                case .failure(let refused):
                    f.error = refused.message
                }
            case .failure(let message):
                f.error = message.message
            }
        default:
            if field.options.isEmpty {
                // Typing over an offered value replaces it (「令和8年11月20日R8.11.10」 was the old trap).
                let (base, at) = field.offered && command.isTyping ? ("", 0) : (field.value, f.cursor)
                if let (text, cursor) = LineEditor.apply(command, to: base, cursor: at) {
                    f.fields[f.focus].value = text
                    f.fields[f.focus].offered = false
                    f.cursor = cursor
                }
            } else {
                let values = field.options.map(\.value)
                let i = values.firstIndex(of: field.value) ?? 0
                switch command {
                case .right, .toggle: f.fields[f.focus].value = values[(i + 1) % values.count]
                case .left: f.fields[f.focus].value = values[(i + values.count - 1) % values.count]
                case .insert(let t):
                    if !f.refusingTyping, let n = Int(t), (1...values.count).contains(n) {
                        f.fields[f.focus].value = values[n - 1]
                    } else {
                        // Text typed into a choice lands nowhere, and says so.
                        f.refusingTyping = true
                        f.error = "「\(field.label)」は選ぶ欄です。←→ で選んでください（文字は入りません）"
                        dialog = .form(f)
                        return []
                    }
                default: break
                }
                f.settle()
            }
            f.error = nil
        }
        dialog = .form(f)
        return []
    }

    /// Turns a filled form into an effect, or says which field is wrong (with the domain's words).
    func submit(_ f: ActionForm) -> Result<DeskEffect, ValueError> {
        let form = FilledForm(f: f, ctx: validationContext)
        do {
            switch f.purpose {
            case .signOff(let id):
                let approve = f.value("decision") == "approve"
                let comment = try form.text("comment", "コメント", required: !approve)
                return .success(.decideBatch(id: id, approve: approve, comment: comment))
            case .trainingDate:
                let d = try form.date("date", "日付")
                guard d >= today else { return .failure(ValueError("日付：戻せません（研修の今日は\(Wareki.format(today))）")) }
                return .success(.moveTrainingClock(.to(d)))
            case .reminderDone(let id):
                return .success(.markReminderDone(id: id, note: try form.text("note", "メモ", required: false)))
            case .importFile(let kind):
                let typed = f.value("path").trimmingCharacters(in: .whitespaces)
                let path = typed.isEmpty ? (f.fields.first { $0.id == "path" }?.placeholder ?? "") : typed
                guard !path.isEmpty else { return .failure(ValueError("ファイル：取り込むファイルのパスを入力してください")) }
                // R-RG-9: blank → each case's export day (nil); a date typed is checked at the import.
                let registered: LocalDate? = kind == .status ? today
                    : f.value("date").trimmingCharacters(in: .whitespaces).isEmpty ? nil : try form.date("date", "登録日")
                return .success(.importFile(kind, path: path, allowBadRows: f.value("skip") == "yes", registeredOn: registered))
            case .caseAction(.printNotice, let number):
                return .success(try noticeEffect(f, caseNumber: number))
            case .caseAction(.tickets, let number):
                // The intake's own row check (R-PT-1, R-ID-4), then the case's (R-PT-2, R-PT-4).
                let draft = TicketDraft(kind: f.value("kind"), institution: f.value("institution"), month: f.value("month"))
                let (ticket, problems) = cases.first(where: { $0.number == number }).map { LaterTickets.check(draft, on: $0, context: form.ctx) }
                    ?? IntakeForm.checkTicket(draft, label: "紙の医療券・調剤券", context: form.ctx)
                guard let ticket, problems.isEmpty else {
                    return .failure(ValueError(problems.map { "\($0.label)：\($0.message)" }.joined(separator: "　")))
                }
                return .success(.issueTickets(caseNumber: number, ticket))
            case .caseAction(let action, let number):
                return .success(.record(caseNumber: number, try Self.lifecycleEvent(action, form)))
            }
        } catch {
            return .failure(error)   // every step throws only ValueError
        }
    }

    /// A submitted form's fields read with the domain's validators; each problem names the field.
    struct FilledForm {
        let f: ActionForm
        let ctx: ValidationContext

        func date(_ id: String, _ label: String) throws(ValueError) -> LocalDate {
            switch Validators.date.validate(f.value(id), ctx) {
            case .success(let iso) where !iso.isEmpty: return LocalDate(iso: iso)!
            case .success: throw ValueError("\(label)：入力してください")
            case .failure(let e): throw ValueError("\(label)：\(e.message)")
            }
        }

        func text(_ id: String, _ label: String, required: Bool = true) throws(ValueError) -> String {
            switch Validators.text.validate(f.value(id), ctx) {
            case .success(let s) where s.isEmpty && required: throw ValueError("\(label)：入力してください")
            case .success(let s): return s
            case .failure(let e): throw ValueError("\(label)：\(e.message)")
            }
        }
    }

    /// F7 →「通知を作る」: a new notice, or the last one of the kind printed again.
    func noticeEffect(_ f: ActionForm, caseNumber number: String) throws(ValueError) -> DeskEffect {
        // The choice's values are the kinds' own: anything else is refused, never taken as 受付控え.
        guard let kind = NoticeKind(rawValue: f.value("kind")) else { throw ValueError("通知の種類を選んでください") }
        let output = f.value("pdf")
        if output == Self.reprintChoice {
            guard let last = cases.first(where: { $0.number == number })?.notices.last(where: { $0.kind == kind }) else {
                throw ValueError("通知：この案件の「\(kind.label)」はまだ作っていません。「プリンターで印刷」で作ってください")
            }
            return .print(.notice(id: last.id))
        }
        return .issueNotice(caseNumber: number, kind, pdf: output != "no", print: output == "print")
    }

    /// F7's moves of the case's state machine, from the form's fields.
    static func lifecycleEvent(_ action: CaseAction, _ form: FilledForm) throws(ValueError) -> LifecycleEvent {
        let f = form.f
        switch action {
        case .printNotice: throw ValueError("通知の種類を選んでください")
        case .correct: throw ValueError("訂正は訂正の画面で記録します")
        case .tickets: throw ValueError("紙の医療券・調剤券の交付を入力してください")
        case .reregistered: return .reregistered(on: try form.date("date", "再登録した日"))
        case .registeredOnTerminal: return .registeredOnTerminal(on: try form.date("date", "端末で登録した日"))
        case .notice: return try serverNotice(form)
        case .holdCleared: return .holdCleared(on: try form.date("date", "解消した日"))
        case .requeue: return .requeued(note: try form.text("note", "直したこと"))
        case .transferOut: return .transferredOut(office: try form.text("office", "転出先の事務所"), on: try form.date("date", "転出日"))
        case .withdraw: return .withdrawn(reason: try form.text("reason", "理由"), on: try form.date("date", "取下げ日"))
        case .serverNumber:
            switch Validators.serverIndividualNumber.validate(f.value("number"), form.ctx) {
            case .success(let n) where !n.isEmpty: return .serverNumberSet(n)
            case .success: throw ValueError("被保険者枝番：入力してください")
            case .failure(let e): throw ValueError("被保険者枝番：\(e.message)")
            }
        }
    }

    /// A hold (#1–#4, with the month-end run when typed) or a cancel (#5, with what was done) notice.
    static func serverNotice(_ form: FilledForm) throws(ValueError) -> LifecycleEvent {
        let f = form.f
        guard let reason = Int(f.value("reason")).flatMap(NoticeReason.init(rawValue:)) else {
            throw ValueError("理由（R-HC-1）：#1〜#5 から選んでください")
        }
        let d = try form.date("date", "お知らせの日付")
        guard reason.isHold else {
            return .cancelledByServer(noticeDate: d, action: try form.text("action", "取消後の対応（R-HC-3）"))
        }
        var run: YearMonth?
        let typed = f.value("run").trimmingCharacters(in: .whitespaces)
        if !typed.isEmpty {
            switch Validators.month.validate(typed, form.ctx) {
            case .success(let iso): run = YearMonth(iso: iso)
            case .failure(let e): throw ValueError("月末処理の月：\(e.message)")
            }
        }
        return .held(reason: reason, noticeDate: d, run: run)
    }

    // MARK: Drawing

    /// The notice form's output choice that prints the last notice of the kind again (no new notice).
    static let reprintChoice = "reprint"

    /// The key that highlights item `i` (0-based): 1…9, then 0 for the tenth, then a, b, … (F7's
    /// eleventh, R-RG-8); none after z.
    static func menuDigit(_ i: Int) -> String {
        i < 9 ? "\(i + 1)" : i == 9 ? "0" : i < 36 ? String(UnicodeScalar(UInt8(ascii: "a") + UInt8(i - 10))) : " "
    }

    /// The item a key highlights (0-based), the inverse of `menuDigit`; full-width digits and letters too.
    static func menuIndex(_ typed: String) -> Int? {
        let t = typed.precomposedStringWithCompatibilityMapping.lowercased()
        return (0..<36).first { menuDigit($0) == t }
    }

    /// The one rule of every menu: a digit or ↑↓ highlights, Enter decides.
    static let menuHint = "数字か ↑↓ で選び、Enter で決定　Esc で閉じる"
    /// The hint of a menu longer than ten items: the keys after 9 named too.
    static let menuLetterHint = "数字か ↑↓ で選び、Enter で決定（0 は10番目、a は11番目）　Esc で閉じる"

    /// The F4 result form's blank date: each case's export day (R-RG-9).
    static let perCaseExportDay = "空欄：案件ごとの一括登録ファイルの出力日"

    /// R-RG-9: the day the cases now waiting for a result went into their bulk file, when they share
    /// one (the day the file was made and, as a rule, uploaded); nil when none waits or days differ.
    var offeredRegistrationDate: LocalDate? {
        let days = Set(cases.lazy.filter { $0.status == .exported }.compactMap(\.exportedOn))
        return days.count == 1 ? days.first : nil
    }

    func renderMenu(_ c: inout Canvas, _ m: ActionMenu) {
        let w = dialogWidth
        // Each item whole, over more rows when long (a file name in the inbox, issue 11).
        let items = m.items.enumerated().map { i, item in
            TextWrap.rows("\(i == m.selected ? ">" : " ") \(Self.menuDigit(i)) \(item)", width: w - 4, indent: 4)
        }
        let hint = TextWrap.rows(m.items.count > 10 ? Self.menuLetterHint : Self.menuHint, width: w - 4, indent: 0)
        let box = dialogBox(&c, title: m.title, rows: items.reduce(0) { $0 + $1.count } + 1 + hint.count)
        var y = box.top
        for (i, rows) in items.enumerated() {
            for row in rows {
                let style: Style = i == m.selected ? Style(bold: true, reverse: false) : .bar
                if i == m.selected { c.fill(y: y, from: box.x + 1, to: box.x + box.w - 1, style: .normal) }
                c.put(row, x: box.x + 2, y: y, style: style)
                y += 1
            }
        }
        for row in hint {
            y += 1
            c.put(row, x: box.x + 2, y: y, style: .bar)
        }
    }

    /// How many note lines fit above a form's fields.
    func notesRoom(_ f: ActionForm) -> Int {
        f.notes.isEmpty ? 0 : max(1, min(f.notes.count + 1, height - 8 - f.visible.count))
    }

    func renderForm(_ c: inout Canvas, _ f: ActionForm) {
        let w = dialogWidth
        let shown = f.visible
        let message: (String, Style)
        if let e = f.error {
            message = ("✗ " + e, Style(fg: .red, bold: true, reverse: true))
        } else if f.fields[f.focus].value.isEmpty && !f.fields[f.focus].placeholder.isEmpty && f.fields[f.focus].options.isEmpty {
            message = (f.fields[f.focus].id == "path" ? "空欄で Enter：示したファイル（受信フォルダの最新）／入力したらそのファイル"
                       : "空欄のまま：案件ごとに一括登録ファイルを出力した日を登録日にします（R-RG-9）／入力したらその日", .bar)
        } else {
            message = (Self.formHint(f), .bar)
        }
        // The message (an error naming the field) whole, over as many rows as it needs.
        let messageRows = TextWrap.rows(message.0, width: w - 4, indent: 2)
        let noteRows = notesRoom(f)
        let box = dialogBox(&c, title: f.title, rows: shown.count + 1 + messageRows.count + 1 + noteRows)
        if noteRows > 0 {
            // One row is the heading with the position, so a long batch is never cut silently.
            let room = noteRows - 1
            let offset = min(f.notesScroll, max(0, f.notes.count - room))
            let more = f.notes.count > room ? "　\(offset + 1)〜\(min(f.notes.count, offset + room))件目／\(f.notes.count)件（PgUp・PgDn）" : ""
            c.put(DisplayWidth.truncate(Self.signOffHeading + more, to: box.w - 4), x: box.x + 2, y: box.top, style: Style(bold: true, reverse: true))
            for (i, l) in f.notes.dropFirst(offset).prefix(room).enumerated() {
                c.put(DisplayWidth.truncate(l, to: box.w - 4), x: box.x + 2, y: box.top + 1 + i, style: .bar)
            }
        }
        let labelW = 20
        for (row, i) in shown.enumerated() {
            let field = f.fields[i]
            let y = box.top + noteRows + row
            c.put(DisplayWidth.truncate(field.label, to: labelW - 1), x: box.x + 2, y: y, style: .bar)
            let inputX = box.x + 2 + labelW
            let w = box.w - labelW - 4
            if field.options.isEmpty && field.value.isEmpty && !field.placeholder.isEmpty {
                // An offered value (the inbox's newest file): its end is what tells files apart.
                c.fill(y: y, from: inputX, to: inputX + w, style: i == f.focus ? .focus : .input)
                var shown = field.placeholder
                while DisplayWidth.of(shown) > w - 2 { shown.removeFirst() }
                if shown != field.placeholder { shown = "…" + shown.dropFirst() }
                c.put(shown, x: inputX, y: y, style: Style(fg: .cyan, underline: true), maxWidth: w)
                if i == f.focus { c.cursor = (inputX, y) }
            } else if field.options.isEmpty {
                Self.drawTextBox(&c, field.value, x: inputX, y: y, width: w, focused: i == f.focus, cursor: f.cursor, placeholder: field.placeholder)
            } else {
                c.fill(y: y, from: inputX, to: inputX + w, style: .normal)
                Self.drawChoice(&c, field.options, selected: field.value, x: inputX, y: y, width: w, focused: i == f.focus)
            }
        }
        for (i, row) in messageRows.enumerated() {
            c.put(row, x: box.x + 2, y: box.top + noteRows + shown.count + 1 + i, style: message.1)
        }
    }

    /// What Enter does here, said as it is: the next field, or (on the last) the form's action.
    static func formHint(_ f: ActionForm) -> String {
        let choose = f.fields[f.focus].options.isEmpty ? "" : "←→・数字で選ぶ　"
        let enter = f.focusIsLast ? "Enter で\(f.verb)" : "Enter で次の欄へ"
        return choose + enter + "　Tab・↑↓で移動　Esc でやめる"
    }

    /// A dialog's width: 74 columns on an 80-column terminal, wider on a wider one.
    var dialogWidth: Int { min(width - 4, max(74, width * 3 / 4)) }

    /// Draws the box and its title (whole, over more rows when long); `top` is the first row under it.
    private func dialogBox(_ c: inout Canvas, title: String, rows: Int) -> (x: Int, top: Int, w: Int) {
        let w = dialogWidth
        let x = (width - w) / 2
        let titleRows = TextWrap.rows(title, width: w - 6, indent: 2)
        let y = max(1, (height - rows - titleRows.count - 1) / 2)
        c.box(x: x, y: y, width: w, rows: titleRows.count + rows, style: .bar)
        for (i, row) in titleRows.enumerated() {
            c.put(" \(row) ", x: x + 2, y: y + i, style: Style(bold: true, reverse: true))
        }
        return (x, y + titleRows.count, w)
    }

    // MARK: Report screen

    mutating func updateReport(_ command: Command) -> [DeskEffect] {
        if let moved = Self.scroll(reportScroll, command, rows: reportRows().count, visible: reportVisibleRows) {
            reportScroll = moved
            return []
        }
        switch command {
        case .back: screen = reportReturn
        case .record where !openOffers.isEmpty:
            // R-CF-3: record a re-registration the status file showed, from the list.
            dialog = .menu(ActionMenu(title: "再登録を記録する（R-CF-3, R-PT-2）", purpose: .reportOffers(openOffers.map(\.caseNumber)),
                                      items: openOffers.map(\.label)))
        case .activate:
            // An Enter typed ahead for the form that produced this report must not close it unread
            // (issue 11): only Esc closes, and Enter says so.
            status = StatusLine("報告を閉じるには Esc を押します（↑↓・PgUp・PgDn で読めます）。")
        default: break
        }
        return []
    }

    /// The report's offers not recorded yet (a case recorded since drops out).
    var openOffers: [ReportOffer] {
        reportOffers.filter { o in cases.first { $0.number == o.caseNumber }?.lifecycle.reregisteredOn == nil }
    }

    /// Rows of the report under its title.
    var reportVisibleRows: Int { max(1, statusRow - 2) }

    /// The report's lines, each whole (a long path wraps, never loses a digit: issue 11).
    func reportRows() -> [(String, Style)] {
        guard let report else { return [] }
        // A title too long for its row (with the page marker) is repeated whole as the first lines.
        let title = reportTitleFits ? [] : [Paragraph(report.title, .heading, indent: 2)]
        return layout(title + report.lines.map { l in
            let style: Style = l.contains("誤り") || l.contains("取り込みませんでした") ? .error : (l.contains("注意") ? .warning : .normal)
            return Paragraph(l, style, indent: 4)
        })
    }

    var reportTitleFits: Bool {
        DisplayWidth.of(report?.title ?? "") + DisplayWidth.of(Self.pageMarker(offset: 0, rows: 999, visible: 99)) <= textColumns
    }

    func renderReport(_ c: inout Canvas, top: Int, bottom: Int) {
        guard let report else { return }
        let rows = reportRows()
        let visible = bottom - top - 1
        let marker = Self.pageMarker(offset: reportScroll, rows: rows.count, visible: visible)
        c.put(DisplayWidth.truncate(report.title + (reportTitleFits ? marker : ""), to: textColumns), x: 1, y: top, style: .heading)
        drawScrolling(&c, rows, top: top + 1, bottom: bottom, offset: reportScroll)
    }
}
