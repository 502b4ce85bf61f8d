import MadoguchiCore

/// What the 研修 screen shows (issue 5), computed by the executable from the sandbox, the scenario
/// book and the simulated server, and handed in as a value (the UI reads no file).
public struct TrainingPanel: Equatable, Sendable {
    public struct Scenario: Equatable, Sendable {
        public let id: String
        public let title: String
        public let arrives: LocalDate
        public let caseNumber: String?
        public let status: String?
        public let situation: String
        /// What happened since (a phone call, the right number…), as the trainee now knows it.
        public let happenings: [String]

        public init(id: String, title: String, arrives: LocalDate, caseNumber: String?, status: String?,
                    situation: String, happenings: [String]) {
            self.id = id
            self.title = title
            self.arrives = arrives
            self.caseNumber = caseNumber
            self.status = status
            self.situation = situation
            self.happenings = happenings
        }
    }

    /// A file the simulated 中間サーバー delivered to the sandbox's inbox.
    public struct InboxFile: Equatable, Sendable {
        public let name: String
        public let path: String
        /// nil for お知らせ (read, then recorded on the case with F7).
        public let kind: FileAction?
        public let imported: Bool

        public init(name: String, path: String, kind: FileAction?, imported: Bool) {
            self.name = name
            self.path = path
            self.kind = kind
            self.imported = imported
        }
    }

    public let bookTitle: String
    public let sandbox: String
    public let scenarios: [Scenario]
    public let inbox: [InboxFile]
    /// What the simulated server could not read (an exported file moved away or re-encoded).
    public let problems: [String]

    public init(bookTitle: String, sandbox: String, scenarios: [Scenario], inbox: [InboxFile], problems: [String] = []) {
        self.bookTitle = bookTitle
        self.sandbox = sandbox
        self.scenarios = scenarios
        self.inbox = inbox
        self.problems = problems
    }
}

/// How far the trainee moves the simulated clock.
public enum TrainingClockMove: Equatable, Sendable {
    case nextDay
    /// The last day of this month: the server's month-end run (R-DT-1, R-HC-1).
    case monthEnd
    /// The 1st of next month: the monthly status file arrives (R-CF-1).
    case nextMonth
    case to(LocalDate)

    /// The day this move reaches from `today` (the desk asks with it, the runtime moves to it).
    public func target(from today: LocalDate) -> LocalDate {
        switch self {
        case .nextDay: return today.addingDays(1)
        case .monthEnd: return today.yearMonth.lastDay
        case .nextMonth: return today.yearMonth.adding(months: 1).firstDay
        case .to(let d): return d
        }
    }

    public static let menu: [(move: TrainingClockMove?, label: String)] = [
        (.nextDay, "翌日へ"),
        (.monthEnd, "今月の末日へ（中間サーバーの月末処理）"),
        (.nextMonth, "翌月1日へ（月次の状況一覧が届く）"),
        (nil, "日付を指定する"),
    ]
}

extension DeskState {
    mutating func openTraining() {
        guard config.isTraining else {
            status = StatusLine("研修の画面は研修用の事務所（研修モード）でだけ開けます。", .error)
            return
        }
        screen = screen == .training ? .caseList : .training
    }

    mutating func updateTraining(_ command: Command) -> [DeskEffect] {
        let count = training?.scenarios.count ?? 0
        switch command {
        case .back: screen = .caseList
        case .up: trainingSelected = max(0, trainingSelected - 1); trainingScroll = 0
        case .down: trainingSelected = min(max(0, count - 1), trainingSelected + 1); trainingScroll = 0
        case .nextPage: trainingScroll += 5
        case .previousPage: trainingScroll = max(0, trainingScroll - 5)
        case .primary:
            // F2 from the scenario: take the application.
            if intake == nil { intake = IntakeState(form: config.form, today: today) }
            screen = .intake
        case .insert("d"), .insert("D"):
            dialog = .menu(ActionMenu(title: "研修の日付を進める（いまは\(Wareki.format(today))）", purpose: .trainingClock,
                                      items: TrainingClockMove.menu.map(\.label)))
        case .insert("s"), .insert("S"):
            guard intake?.dirty != true else {
                status = StatusLine("入力途中の申請があります。保存するか取りやめてから職員を切り替えてください。", .error)
                break
            }
            return [.switchOperator]
        case .insert("g"), .insert("G"):
            status = StatusLine("採点しています…")
            return [.gradeTraining]
        case .insert("i"), .insert("I"):
            let files = training?.inbox ?? []
            guard !files.isEmpty else {
                status = StatusLine("受信フォルダはまだ空です。日付を進めると届きます（d）。", .error)
                break
            }
            // Server files are imported; お知らせ are read, then recorded on the case (F7).
            dialog = .menu(ActionMenu(title: "受信フォルダ（取り込む・読む）", purpose: .inbox(files.map(\.path)),
                                      items: files.map { f in
                                          f.kind.map { "\(f.name)（\($0.label)）\(f.imported ? "　取込済み" : "")" } ?? "\(f.name)（お知らせを読む）"
                                      }))
        default: break
        }
        return []
    }

    /// The newest file of a kind the trainee has not imported yet: the F4 form's default path.
    func inboxDefault(_ kind: FileAction) -> String {
        training?.inbox.last { $0.kind == kind && !$0.imported }?.path ?? ""
    }

    func renderTraining(_ c: inout Canvas, top: Int, bottom: Int) {
        guard let t = training else {
            c.put("研修のシナリオ集を読み込めませんでした。", x: 2, y: top + 1, style: .error)
            return
        }
        // The simulated date is on the title bar, as on every screen.
        // Cut with … on a narrow terminal; F1 here shows it whole.
        c.put(DisplayWidth.truncate("研修（作業場所 \(t.sandbox)）：\(t.bookTitle)", to: width - 2), x: 1, y: top, style: .heading)
        let listRows = min(t.scenarios.count, max(3, (bottom - top) / 2 - 1))
        let offset = max(0, min(trainingSelected - listRows / 2, t.scenarios.count - listRows))
        for (row, (i, s)) in t.scenarios.enumerated().dropFirst(offset).prefix(listRows).enumerated() {
            let y = top + 1 + row
            let arrived = s.arrives <= today
            let when = arrived ? "来所 \(Wareki.formatShort(s.arrives))" : "来所予定 \(Wareki.formatShort(s.arrives))"
            let state = s.caseNumber.map { "案件 \($0)・\(s.status ?? "")" } ?? (arrived ? "未受付" : "")
            let text = "[\(s.id)] \(when)　\(s.title)　\(state)"
            let selected = i == trainingSelected
            if selected { c.fill(y: y, style: .selected) }
            c.put((selected ? "▶ " : "  ") + DisplayWidth.truncate(text, to: width - 4), x: 1, y: y,
                  style: selected ? .selected : (arrived ? .normal : .dim))
        }
        let sep = top + 1 + listRows
        c.put(String(repeating: "─", count: width - 2), x: 1, y: sep, style: .dim)
        // The selected scenario: the situation the trainee is given, and what happened since.
        var paragraphs = t.problems.map { Paragraph("✗ " + $0, .error, indent: 2) }
        if t.scenarios.indices.contains(trainingSelected) {
            let s = t.scenarios[trainingSelected]
            // The list row is cut with … on a narrow terminal: the selected one is whole here.
            let state = s.caseNumber.map { "案件 \($0)・\(s.status ?? "")" } ?? ""
            paragraphs.append(Paragraph("[\(s.id)] \(s.title)\(state.isEmpty ? "" : "　" + state)", .heading, indent: 2))
            if s.arrives > today {
                paragraphs.append(Paragraph("\(Wareki.format(s.arrives))に来所します。日付を進めてください（d）。", .dim))
            } else {
                paragraphs.append(Paragraph(s.situation))
                for h in s.happenings { paragraphs.append(Paragraph("▶ " + h, .warning, indent: 2)) }
                if s.caseNumber == nil { paragraphs.append(Paragraph("F2 で申請を受け付けます。", .dim)) }
            }
        }
        let lines = layout(paragraphs)
        let inboxY = bottom - 1
        let room = inboxY - sep - 1
        drawScrolling(&c, lines, top: sep + 1, bottom: inboxY, offset: trainingScroll)
        let waiting = t.inbox.filter { $0.kind != nil && !$0.imported }
        let inboxText = t.inbox.isEmpty ? "受信フォルダ：まだ何も届いていません"
            : "受信フォルダ（i で取込）：\(t.inbox.count)件、未取込 \(waiting.count)件\(waiting.first.map { "　\($0.name)" } ?? "")"
        // Cut with … when long; i lists every file whole.
        c.put(DisplayWidth.truncate(inboxText, to: width - 2), x: 1, y: inboxY, style: waiting.isEmpty ? .dim : .warning)
    }
}
