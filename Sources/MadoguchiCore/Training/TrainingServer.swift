import Foundation

/// 研修用の中間サーバー: the simulated intermediate server of a training sandbox (issue 5).
///
/// It is a pure function of what already happened — the bulk files the trainee exported (read back
/// from the export folder with the office's own layout and encoding, as the real server would read
/// the upload), the journal (when each was exported; insured people told to go to their insurer),
/// the scenario book (each person's fate) and the simulated date — so it needs no state of its own
/// and gives the same files however often it runs. `deliver` writes into the sandbox's inbox
/// (受信フォルダ) the files whose day has come, in the office's configured layout and encoding, for
/// the real importers to read:
///
/// - `result_<upload>.csv` 初回登録解除情報登録結果ファイル, on the day of the upload (R-RG-4..6);
/// - `notice_<yyyymmdd>.txt` お知らせ of holds and cancellations, on the month-end run (R-HC-1);
/// - `status_<yyyymm>.csv` 初回登録・有効期限状況一覧ファイル as of a month's end, on the 1st of the
///   next month, listing every person of the book (R-CF-1, R-RL-2).
public struct TrainingServer: Sendable {
    public let scenarios: ScenarioBook
    /// The sandbox's office config (its export folder and file layouts).
    public let office: OfficeConfig

    public init(scenarios: ScenarioBook, office: OfficeConfig) {
        self.scenarios = scenarios
        self.office = office
    }

    /// One uploaded row and what the server answered.
    public struct ResultLine: Sendable, Hashable {
        public let fields: [String]
        public let serverIndividualNumber: String
        public let accepted: Bool
        public let message: String
    }

    public struct Upload: Sendable, Hashable {
        public let fileName: String
        public let date: LocalDate
        public let lines: [ResultLine]
    }

    /// A month-end run's outcome for one person.
    public struct RunOutcome: Sendable, Hashable {
        public let date: LocalDate
        public let person: TrainingScenario.Person
        public let outcome: TrainingScenario.ServerFate.MonthEnd
    }

    /// Everything the server did and will do, from what has been sent so far.
    public struct Timeline: Sendable {
        public var uploads: [Upload] = []
        public var runs: [RunOutcome] = []
        /// 初回登録解除日 per 被保険者枝番 (whoever registered the request).
        public var cancelledOn: [String: LocalDate] = [:]
        /// Upload files that could not be read back, with the reason (shown, never fatal).
        public var problems: [String] = []
    }

    // MARK: The simulation

    public func timeline(_ book: CaseBook) -> Timeline {
        var sim = Simulation(server: self, book: book)
        sim.registerElsewhere()
        for e in book.fileEvents where e.payload.kind == .registrationExport && !e.payload.fileName.isEmpty {
            sim.receive(e)
        }
        sim.registerOnTerminal()
        return sim.t
    }

    /// One run of the simulation over what was sent so far, step by step (see `timeline`).
    private struct Simulation {
        let server: TrainingServer
        let book: CaseBook
        var t = Timeline()
        let people: [String: TrainingScenario]
        /// The office's accepted requests per person: the day each ended, and whether it was carried out.
        var requests: [String: [(end: LocalDate, carriedOut: Bool)]] = [:]
        /// Requests registered by others: before the trainee's (R-RG-6) and by insurers (R-BR-3).
        var registeredElsewhere: [String: LocalDate] = [:]

        init(server: TrainingServer, book: CaseBook) {
            self.server = server
            self.book = book
            people = Dictionary(server.scenarios.scenarios.map { ($0.person.serverIndividualNumber, $0) }, uniquingKeysWith: { a, _ in a })
        }

        /// A request's month-end runs from the end of the month after its registration (R-DT-1).
        mutating func schedule(_ s: TrainingScenario, registeredOn: LocalDate,
                               outcomes: [TrainingScenario.ServerFate.MonthEnd]) -> (ended: LocalDate, carriedOut: Bool) {
            var month = registeredOn.yearMonth.adding(months: 1)   // R-DT-1: the end of the next month
            var k = 0
            while true {
                let outcome = k < outcomes.count ? outcomes[k] : .carriedOut
                let date = month.lastDay
                t.runs.append(RunOutcome(date: date, person: s.person, outcome: outcome))
                switch outcome {
                case .carriedOut:
                    t.cancelledOn[s.person.serverIndividualNumber] = min(t.cancelledOn[s.person.serverIndividualNumber] ?? date, date)
                    return (date, true)
                case .cancelled: return (date, false)
                case .held: month = month.adding(months: 1)   // R-HC-2: re-checked at the next month-end
                }
                k += 1
            }
        }

        /// Requests registered by others: before the trainee's (R-RG-6) and by insurers (R-BR-3).
        mutating func registerElsewhere() {
            let scenarios = server.scenarios
            for s in scenarios.scenarios {
                var on: LocalDate?
                if case .alreadyRegistered(let d) = s.fate.registration { on = d }
                switch s.fate.insurer {
                case .never: break
                case .registersOn(let d): on = min(on ?? d, d)
                case .ifTold(let days):
                    // R-BR-4: the person goes to the insurer only when the clerk told them to.
                    if let c = scenarios.caseFor(s, in: book), c.application.insurance?.appliedToInsurer == .toldToApply,
                       let intake = c.receivedOn {
                        on = min(on ?? intake.addingDays(days), intake.addingDays(days))
                    }
                case .afterFollowUp(let days):
                    // R-CF-4: only the clerk's follow-up sends the person to the insurer.
                    if let c = scenarios.caseFor(s, in: book), let asked = TrainingServer.followedUp(c, in: book) {
                        on = min(on ?? asked.addingDays(days), asked.addingDays(days))
                    }
                }
                if let on {
                    registeredElsewhere[s.person.serverIndividualNumber] = on
                    _ = schedule(s, registeredOn: on, outcomes: [])
                }
            }
        }

        /// One of the office's uploads, in journal order: read back as the server would, each row answered.
        mutating func receive(_ e: FileEvent) {
            let office = server.office
            guard let date = e.record.day else { return }
            let url = office.exportDirectory.appendingPathComponent(e.payload.fileName)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                t.problems.append("出力した一括登録ファイル \(url.path) が見つからないので、研修用の中間サーバーは受け取れませんでした")
                return
            }
            guard let (text, _) = try? TextDecoding.decode(data, expected: office.interchange.encoding) else {
                t.problems.append("一括登録ファイル \(e.payload.fileName) が \(office.interchange.encoding.label) として読めません")
                return
            }
            var records = CSVRecords.read(text).filter { !$0.isBlank }
            if office.interchange.exportHeader, !records.isEmpty { records.removeFirst() }
            let columns = office.interchange.exportColumns
            let cServer = columns.firstIndex(of: .serverIndividualNumber)
            let cPayer = columns.firstIndex(of: .officePublicPayerNumber)
            var lines: [ResultLine] = []
            for r in records {
                let fields = r.fields
                let server = cServer.flatMap { $0 < fields.count ? fields[$0] : nil } ?? ""
                let payer = cPayer.flatMap { $0 < fields.count ? fields[$0] : nil } ?? office.publicPayerNumber
                let (ok, message) = answer(server: server, payer: payer, on: date)
                lines.append(ResultLine(fields: fields, serverIndividualNumber: server, accepted: ok, message: message))
            }
            t.uploads.append(Upload(fileName: e.payload.fileName, date: date, lines: lines))
        }

        /// The server's answer to one uploaded row; an accepted one is scheduled.
        mutating func answer(server: String, payer: String, on date: LocalDate) -> (accepted: Bool, message: String) {
            guard payer == self.server.office.publicPayerNumber else {
                return (false, "保険者番号に誤りがあります")
            }
            // R-PC-1 2: the number must name someone with eligibility data on the server.
            guard let s = people[server] else {
                return (false, "該当する被保険者の資格情報が登録されていません（被保険者枝番を確認してください）")
            }
            switch s.fate.registration {
            case .rejected(let message):
                return (false, message)
            case .alreadyRegistered:
                // R-RG-6, R-PC-1 3
                return (false, "既に初回登録解除の申請が登録されています")
            case .accepted: break
            }
            // R-PC-1 3: the insurer registered first (an insured person sent by the office, R-BR-3).
            if let elsewhere = registeredElsewhere[server], elsewhere <= date {
                return (false, "既に初回登録解除の申請が登録されています")
            }
            // R-PC-1 3: one request at a time; a cancelled (#5) one may be sent again.
            if let prior = requests[server]?.first(where: { $0.carriedOut || $0.end >= date }) {
                return (false, prior.carriedOut && prior.end < date ? "既に初回登録が解除されています"
                                                                     : "既に初回登録解除の申請が登録されています")
            }
            let end = schedule(s, registeredOn: date, outcomes: s.fate.monthEnds)
            requests[server, default: []].append((end.ended, end.carriedOut))
            return (true, "")
        }

        /// R-RG-8: requests the trainee registered one by one on the (simulated) 統合専用端末 and
        /// recorded; the terminal refuses what a file would (a wrong number, a request already there) —
        /// the same answer as an uploaded row's — so only an acceptable one is scheduled.
        mutating func registerOnTerminal() {
            for c in book.all {
                guard let line = c.history.last(where: { $0.eventType == .registrationManual }),
                      case .registeredOnTerminal(let d)? = try? CaseLifecycle.decode(line),
                      let server = c.application.serverIndividualNumber else { continue }
                _ = answer(server: server, payer: self.server.office.publicPayerNumber, on: d)
            }
        }
    }

    // MARK: Files

    /// One file the server delivers to the inbox.
    public struct Delivery: Sendable, Hashable {
        public enum Kind: String, Sendable { case result, status, notice }
        public let kind: Kind
        public let name: String
        /// The day it arrives in the inbox.
        public let date: LocalDate
        public let data: Data
    }

    /// Every file due by `today`, oldest first.
    public func deliveries(_ book: CaseBook, today: LocalDate) throws -> [Delivery] {
        let t = timeline(book)
        var out: [Delivery] = []
        let files = office.interchange
        for u in t.uploads where resultArrives(u) <= today {
            let stem = (u.fileName as NSString).deletingPathExtension
            let rows = u.lines.map { l -> (base: [String], values: [String: String]) in
                (l.fields, ["insurer_number": office.publicPayerNumber, "server_individual_number": l.serverIndividualNumber,
                            "result": l.accepted ? "1" : "2", "message": l.message])
            }
            let data = try TrainingServer.table(layout: files.result, hasHeader: files.resultHasHeader, items: ColumnLayout.resultItems,
                                                baseLabels: RegistrationFile.columnNames + ["処理結果区分", "処理結果メッセージ"],
                                                rows: rows, config: files)
            out.append(Delivery(kind: .result, name: "result_\(stem).csv", date: resultArrives(u), data: data))
        }
        let notices = Dictionary(grouping: t.runs.filter { $0.date <= today && $0.outcome != .carriedOut }, by: \.date)
        for date in notices.keys.sorted() {
            out.append(Delivery(kind: .notice, name: "notice_\(date.iso.filter(\.isNumber)).txt", date: date,
                                data: Data(noticeText(date: date, runs: notices[date]!).utf8)))
        }
        var month = scenarios.start.yearMonth
        while month.adding(months: 1).firstDay <= today {
            let asOf = month.lastDay
            let rows = scenarios.scenarios.map { s -> (base: [String], values: [String: String]) in
                let p = s.person
                var cancelled = t.cancelledOn[p.serverIndividualNumber].flatMap { $0 <= asOf ? $0 : nil }
                var registeredOn = p.cardRegisteredOn
                // R-CF-3: the card registered again after the cancellation: 状態 1 with the new 初回登録日.
                if let c = cancelled, let again = s.fate.reregistersOn, again > c, again <= asOf {
                    cancelled = nil
                    registeredOn = again
                }
                let values = [
                    "insurer_number": office.publicPayerNumber,
                    "server_individual_number": p.serverIndividualNumber,
                    "registration_state": cancelled == nil ? "1" : "0",
                    "registered_on": TrainingServer.compact(registeredOn),
                    "cancelled_on": cancelled.map(TrainingServer.compact) ?? "",
                    "cancel_kind": cancelled == nil ? "" : "1",
                    "certificate_expiry": TrainingServer.compact(p.certificateExpiry),
                ]
                return ([office.publicPayerNumber, "", p.recipientNumber, "", p.serverIndividualNumber], values)
            }
            let data = try TrainingServer.table(layout: files.status, hasHeader: files.statusHasHeader, items: ColumnLayout.statusItems,
                                                baseLabels: TrainingServer.statusLabels, rows: rows, config: files)
            out.append(Delivery(kind: .status, name: "status_\(month.iso.filter(\.isNumber)).csv",
                                date: month.adding(months: 1).firstDay, data: data))
            month = month.adding(months: 1)
        }
        return out.sorted { ($0.date, $0.name) < ($1.date, $1.name) }
    }

    /// Writes into `inbox` the files due by `today` that are not there yet (0600, folder 0700) and
    /// returns them. A file already delivered is never rewritten.
    @discardableResult
    public func deliver(_ book: CaseBook, today: LocalDate, inbox: URL) throws -> [URL] {
        var written: [URL] = []
        for d in try deliveries(book, today: today) {
            let url = inbox.appendingPathComponent(d.name)
            guard !FileManager.default.fileExists(atPath: url.path) else { continue }
            try PreparedFile.prepare(d.data, at: url).commit()
            written.append(url)
        }
        return written
    }

    /// The day an upload's result file reaches the inbox: the upload's day, or later when a person in
    /// it has `result_after_days` (R-RG-9: the file fetched in the month after the upload).
    func resultArrives(_ u: Upload) -> LocalDate {
        let people = Dictionary(scenarios.scenarios.map { ($0.person.serverIndividualNumber, $0.fate.resultAfterDays) },
                                uniquingKeysWith: { a, _ in a })
        return u.date.addingDays(u.lines.map { people[$0.serverIndividualNumber] ?? 0 }.max() ?? 0)
    }

    /// The first day the clerk marked the case's R-CF-4 follow-up reminder done (checked with the
    /// person and the insurer), from the journal.
    static func followedUp(_ c: CaseRecord, in book: CaseBook) -> LocalDate? {
        let prefix = "\(Reminder.Kind.insuredFollowUp.rawValue):\(c.number):"
        return book.doneReminders.filter { $0.key.hasPrefix(prefix) }.compactMap(\.value.day).min()
    }

    static let statusLabels = ["保険者番号", "被保険者証記号", "被保険者証番号", "被保険者証枝番", "被保険者枝番",
                               "初回登録状態", "初回登録日", "初回登録解除日", "初回登録解除区分", "電子証明書有効期限"]

    static func compact(_ d: LocalDate) -> String { d.iso.filter(\.isNumber) }

    /// Lays rows out as the office's config says the server's file looks: items by position go to
    /// their column (the other columns keep the row's own fields), items by header name follow as
    /// named columns; a header row when the config expects one.
    static func table(layout: ColumnLayout, hasHeader: Bool, items: [(key: String, label: String)], baseLabels: [String],
                      rows: [(base: [String], values: [String: String])], config: InterchangeConfig) throws -> Data {
        var width = baseLabels.count
        var named: [(key: String, name: String)] = []
        for (key, _) in items {
            switch layout.columns[key] {
            case .position(let n)?: width = max(width, n)
            case .header(let name)?: named.append((key, name))
            case nil: break
            }
        }
        var header = baseLabels + Array(repeating: "", count: max(0, width - baseLabels.count))
        for (key, label) in items { if case .position(let n)? = layout.columns[key] { header[n - 1] = label } }
        // A named item whose header the file already has goes in that column; others are added.
        var namedAt: [String: Int] = [:]
        for (key, name) in named {
            if let i = header.firstIndex(of: name) { namedAt[key] = i } else { namedAt[key] = header.count; header.append(name) }
        }
        let body = rows.map { r -> [String] in
            var cells = Array(r.base.prefix(width)) + Array(repeating: "", count: max(0, header.count - min(width, r.base.count)))
            for (key, _) in items { if case .position(let n)? = layout.columns[key] { cells[n - 1] = r.values[key] ?? "" } }
            for (key, i) in namedAt { cells[i] = r.values[key] ?? "" }
            return cells
        }
        return Data(try CSVWriter.encode(body, header: hasHeader || !named.isEmpty ? header : nil,
                                         encoding: config.encoding, lineEnding: config.lineEnding))
    }

    /// お知らせ as the 統合専用端末 shows it (R-HC-1, R-FL-3): the clerk records each on the case.
    func noticeText(date: LocalDate, runs: [RunOutcome]) -> String {
        var lines = ["【研修モード】研修用の中間サーバーからのお知らせ", "",
                     "\(Wareki.format(date))の月末処理で、次の初回登録解除の申請を保留または取消にしました。",
                     "保険者番号 \(office.publicPayerNumber)（\(office.officeName)）", ""]
        for (i, r) in runs.enumerated() {
            lines.append("\(i + 1). 被保険者枝番 \(r.person.serverIndividualNumber)　被保険者証番号 \(r.person.recipientNumber)")
            switch r.outcome {
            case .held(let reason):
                let next = date.yearMonth.adding(months: 1).lastDay
                lines.append("   保留（\(reason.label)）。次の月末（\(Wareki.format(next))）に改めて判定します。（R-HC-1, R-HC-2）")
            case .cancelled:
                lines.append("   取消（\(NoticeReason.cancelled.label)）。この申請は解除されずに終わりました。（R-HC-1, R-HC-3）")
            case .carriedOut: break
            }
        }
        lines += ["", "お知らせの日付：\(Wareki.format(date))", "案件ごとに「保留・取消のお知らせ」を記録してください（F7）。"]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension TrainingServer {
    /// What the trainee has learnt of a scenario by `today`: happenings whose day has come, or whose
    /// point the person's request reached (the server's truth; "failed" once the trainee read the
    /// result onto the case, since only the result file tells it).
    public func happenings(of s: TrainingScenario, in book: CaseBook, today: LocalDate, timeline: Timeline? = nil) -> [TrainingScenario.Happening] {
        let t = timeline ?? self.timeline(book)
        let c = scenarios.caseFor(s, in: book)
        let runs = t.runs.filter { $0.person == s.person && $0.date <= today }
        return s.happenings.filter { h in
            if let on = h.on { return on <= today }
            switch h.when! {
            case .failed: return c?.history.contains { $0.eventType == .registrationFailed } ?? false
            case .registered:
                return t.uploads.contains { u in u.date <= today && u.lines.contains { $0.accepted && $0.serverIndividualNumber == s.person.serverIndividualNumber } }
            case .held: return runs.contains { if case .held = $0.outcome { return true } else { return false } }
            case .cancelled: return runs.contains { $0.outcome == .cancelled }
            case .confirmed: return (t.cancelledOn[s.person.serverIndividualNumber].map { $0 <= today }) ?? false
            }
        }
    }
}
