import MadoguchiCore

/// What does not change while the desk runs: the office, the operator, the intake form.
public struct DeskConfig: Sendable {
    public let officeName: String
    /// 研修・デモ: shown on every screen (issue 2, issue 5).
    public let isTraining: Bool
    public let operatorID: String
    public let operatorName: String
    public let operatorRole: Operator.Role
    public let form: FormDefinition
    /// Every operator's name by id, so people read names, not ids (issue 11: 「佐藤 花子」, not `sato`).
    public let operatorNames: [String: String]
    /// 研修: the sandbox (作業場所) the trainee works in, named in the banner (issue 11: two
    /// trainees' desks side by side must not look the same). nil outside training.
    public let trainingSandbox: String?

    public init(officeName: String, isTraining: Bool, operatorID: String, operatorName: String,
                operatorRole: Operator.Role, form: FormDefinition, operatorNames: [String: String] = [:],
                trainingSandbox: String? = nil) {
        self.officeName = officeName
        self.isTraining = isTraining
        self.trainingSandbox = isTraining ? trainingSandbox : nil
        self.operatorID = operatorID
        self.operatorName = operatorName
        self.operatorRole = operatorRole
        self.form = form
        self.operatorNames = operatorNames.merging([operatorID: operatorName]) { _, own in own }
    }

    /// 【研修モード】, or 【研修モード t1】 in a named sandbox; empty outside training.
    public var trainingBanner: String { isTraining ? Self.trainingBanner(sandbox: trainingSandbox) : "" }

    /// The banner of a training desk, the sandbox's name cut with … past 16 columns (the 研修
    /// screen, F11, shows it whole).
    public static func trainingBanner(sandbox: String?) -> String {
        guard let name = sandbox, !name.isEmpty else { return "【研修モード】" }
        return "【研修モード \(DisplayWidth.truncate(name, to: 16))】"
    }

    /// The name of an operator, or the id when the office no longer lists them.
    public func name(of operatorID: String) -> String { operatorNames[operatorID] ?? operatorID }
}

public enum Screen: Equatable, Sendable {
    case caseList
    case caseDetail(String)
    case intake
    case help
    /// The outcome of an export or import, to read and scroll (Esc returns to the list).
    case report
    /// The supervisor's pending list (issue 4).
    case pending
    /// Today's reminders in full, to mark done (issue 4).
    case reminders
    /// 研修: scenarios, the simulated clock, the inbox, grading (issue 5; training offices only).
    case training
    /// 訂正 of a saved application (R-AM-1): the intake's pages prefilled, then the changes and the reason.
    case correction(String)
}

/// The line above the key help: what just happened, or what is wrong.
public struct StatusLine: Equatable, Sendable {
    public enum Kind: Sendable { case info, success, error }
    public let text: String
    public let kind: Kind

    public init(_ text: String, _ kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

public enum Dialog: Equatable, Sendable {
    /// Quitting would lose an unsaved application.
    case confirmQuit
    /// Pick one of several actions (F4 取込, F7 記録).
    case menu(ActionMenu)
    /// A few fields for an action (a notice's reason and date, a file to import, …).
    case form(ActionForm)
    /// y/n before something that cannot be undone: what will change, old beside new (issue 11 item 5).
    case confirm(ConfirmRequest)
}

/// Something the desk asks the outside world to do; the result comes back as a `DeskMessage`.
public enum DeskEffect: Equatable, Sendable {
    /// Append the application (and the paper tickets issued now) to the journal; answer with
    /// `.saved` only once it is on disk, or `.saveFailed`.
    case save(Application, tickets: [PaperTicket])
    /// Re-read the journal (another terminal may have written).
    case reload
    /// Write the approved batch as the bulk registration file (R-RG-1..3).
    case exportRegistrations
    /// Put the cases ready to send into a batch for a supervisor's approval (issue 4).
    case prepareBatch
    /// A supervisor approves (then the file is written) or returns a batch with a comment.
    case decideBatch(id: String, approve: Bool, comment: String)
    /// Import a result or status file (R-FL-1, R-FL-2, R-FL-4).
    /// `registeredOn` nil: each case's export day (R-RG-9).
    case importFile(FileAction, path: String, allowBadRows: Bool, registeredOn: LocalDate?)
    /// Record a lifecycle event on a case (R-HC-1..3, transfers, withdrawals, 被保険者枝番).
    case record(caseNumber: String, LifecycleEvent)
    /// Record paper tickets issued after intake (紙の医療券・調剤券の交付, R-PT-2, R-PT-4); checked again
    /// against the case on disk, nothing written on refusal.
    case issueTickets(caseNumber: String, PaperTicket)
    /// Render a notice from its template, write it (and a PDF) and journal it (R-NT-1..4); with
    /// `print`, also print the PDF on the office's printer (`[printing] queue`) and journal that
    /// (issue 11). `.issueNotice(caseNumber: n, .pending, pdf: true, print: true)` is the one-key
    /// 受付控え.
    case issueNotice(caseNumber: String, NoticeKind, pdf: Bool, print: Bool = false)
    /// Print on the office's printer and journal who printed what (issue 11).
    case print(PrintRequest)
    /// Journal that the clerk did what a reminder asked (issue 4).
    case markReminderDone(id: String, note: String)
    /// Write the pending list as CSV for Excel (issue 4).
    case exportPendingCSV(PendingFilter, PendingSort, descending: Bool)
    /// Training: move the sandbox's simulated clock; the simulated server delivers what is due (issue 5).
    case moveTrainingClock(TrainingClockMove)
    /// Training: grade the sandbox against the scenario book (issue 5).
    case gradeTraining
    /// Training: back to the login screen to work as another operator (a supervisor's sign-off).
    case switchOperator
    /// Training: show an お知らせ from the inbox on the report screen, to read before recording it.
    case showInboxFile(path: String)
    /// Record a correction (R-AM-1); answer with `.corrected` only once it is on disk, or `.correctionFailed`.
    case correct(CorrectionRequest)
    /// Add a line to the access log (閲覧・書き出しの記録, R-SG-4): a case opened, a search, a list
    /// shown. Answered with nothing, or `.operationFailed` (a status warning) when it cannot be written.
    case recordAccess(AccessEvent)
    case quit
}

extension DeskMessage {
    /// Whether the message hands the desk the cases as they now are.
    public var carriesCases: Bool {
        switch self {
        case .saved, .casesChanged, .operationDone, .corrected, .correctionFailed: return true
        default: return false
        }
    }
}

/// What `.print` prints (issue 11).
public enum PrintRequest: Equatable, Sendable {
    /// A notice already issued, by its id (`2026-0001-pending-1`); its PDF is made if missing.
    case notice(id: String)
    /// The pending list with the screen's filters and order.
    case pendingList(PendingFilter, PendingSort, descending: Bool)
}

public enum DeskMessage: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case saved(caseNumber: String, cases: [CaseRecord])
    case saveFailed(String)
    case casesChanged([CaseRecord])
    /// The next cases this desk is given (by `.saved`, `.casesChanged`, `.operationDone`, `.corrected`
    /// or `.correctionFailed`) differ from the ones it holds only in these cases and in cases opened
    /// since (added at the end): the list's order, counts and search index are patched for them
    /// instead of being built again (issue 14, P2). A claim the runtime makes from the journal.
    case casesTouched(Set<String>)
    case today(LocalDate)
    /// A batch step or a recorded event finished: what to show, and the cases as they now are.
    case operationDone(title: String, lines: [String], cases: [CaseRecord], showReport: Bool)
    case operationFailed(String)
    /// Today's reminders (要対応, issue 4), recomputed after every change and at midnight.
    case remindersChanged([Reminder])
    /// The bulk registration batches and their sign-off (issue 4).
    case batchesChanged([SignOffBatch])
    /// Training: the scenarios, what the trainee learnt and the inbox, as they now are (issue 5).
    case trainingChanged(TrainingPanel)
    /// A correction is on disk (R-AM-1): what to say, and the cases as they now are.
    case corrected(caseNumber: String, message: String, cases: [CaseRecord])
    case correctionFailed(String, cases: [CaseRecord])
    /// What the report just shown lets the clerk record from it (R-CF-3: re-registrations the status
    /// file shows), offered with F7 on the report screen.
    case reportOffers([ReportOffer])
    /// The office's database cannot be reached (issue 15): said on the status line until it can be
    /// again; nothing typed is lost (a save fails and the form stays).
    case storeOffline(String)
    /// The database can be reached again after `storeOffline`.
    case storeOnline
    /// The city's desk: every office's cases read again (F5).
    case cityChanged([CityOfficeCases])
}

/// The whole desk as a value. `update` changes it; `render` draws it. Neither touches a file,
/// the clock or the terminal.
public struct DeskState: Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public let config: DeskConfig
    public var today: LocalDate
    public var width: Int
    public var height: Int
    public var screen: Screen = .caseList
    /// Where Esc from the help screen returns.
    public var helpReturn: Screen = .caseList
    /// Where Esc (or F9 again) from the reminders returns: the screen F9 was pressed on.
    public var remindersReturn: Screen = .caseList
    /// The first help row shown (help scrolls: issue 11, item 6).
    public var helpScroll = 0
    public var cases: [CaseRecord] { didSet { casesReplaced(oldValue) } }
    /// Changes whenever `cases` does; keys the case list's cache (issue 7, P2).
    private(set) var casesVersion = DeskVersion.next()
    /// Said by `.casesTouched` for the next cases given: only these cases changed (issue 14, P2).
    var pendingTouched: Set<String>?
    /// The case list's sorted order and counts, kept between keys (see `CaseListCache`).
    let listCache = CaseListCache()
    public var list = CaseListState()
    public var detailScroll = 0
    /// The application being typed; kept when the clerk steps back to the list (Esc never loses it).
    public var intake: IntakeState?
    /// The correction being typed (R-AM-1); kept when the clerk steps back to the case.
    public var correction: CorrectionState?
    public var status: StatusLine?
    /// Why the office's database cannot be reached now (issue 15); nil while it can.
    public var storeOffline: String?
    public var dialog: Dialog?
    /// The last export or import outcome, shown on the report screen.
    public var report: (title: String, lines: [String])?
    public var reportScroll = 0
    /// Moves the report offers to record (R-CF-3), F7 on the report screen; emptied with a new report.
    public var reportOffers: [ReportOffer] = []
    /// Where Esc from the report returns: the screen it was opened from (the pending list with its
    /// filters after F8 → e, issue 11).
    public var reportReturn: Screen = .caseList
    public var pending = PendingScreenState()
    /// Today's reminders, shown on the home screen (issue 4).
    public var reminders: [Reminder] = [] { didSet { remindersVersion = DeskVersion.next() } }
    private(set) var remindersVersion = DeskVersion.next()
    public var reminderSelected = 0
    /// Bulk registration batches: waiting for approval, approved, returned, written (issue 4).
    public var batches: [SignOffBatch] = []
    /// The case just saved whose 受付控え one key writes (issue 11 item 6); only right after 保存しました,
    /// so no stray key on an older case writes a notice.
    public var receiptOffer: String?
    /// Where Esc from a case detail returns (the list, or the pending list it was opened from).
    public var detailReturn: Screen = .caseList
    /// Training offices: the 研修 screen's content (issue 5).
    public var training: TrainingPanel?
    public var trainingSelected = 0
    public var trainingScroll = 0
    /// Reads to record (R-SG-4), noted where they happen and returned by `update` as `.recordAccess`
    /// effects ahead of the others, so that the screens stay pure.
    var accessNotes: [AccessEvent] = []
    /// The city's read-only desk (issue 15 item 5): every office's cases; nil at an office's desk.
    public internal(set) var city: CityDeskData?

    public init(config: DeskConfig, today: LocalDate, width: Int, height: Int, cases: [CaseRecord], status: StatusLine? = nil) {
        self.config = config
        self.today = today
        self.width = width
        self.height = height
        self.cases = cases
        self.status = status
    }

    /// A new `cases`: a new version for the list's cache, carried over from the old one when
    /// `.casesTouched` said which cases changed.
    mutating func casesReplaced(_ old: [CaseRecord]) {
        let version = DeskVersion.next()
        if let touched = pendingTouched, cases.count >= old.count {
            let index = listCache.caseIndex(old, version: casesVersion)
            var positions = touched.compactMap { n in index[n].flatMap { $0 < cases.count && cases[$0].number == n ? $0 : nil } }
            positions += old.count..<cases.count
            listCache.carry(from: casesVersion, to: version, old: old, new: cases, positions: positions)
        }
        pendingTouched = nil
        casesVersion = version
    }

    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    public var validationContext: ValidationContext { ValidationContext(today: today, defaultEra: .reiwa) }
}
