import Foundation

/// What an import did, for the screen, the CLI (`--json`) and scripts.
public struct ImportReport: Sendable, Encodable {
    public enum Outcome: String, Sendable, Encodable {
        /// Rows applied (maybe none matched).
        case applied
        /// Nothing applied: the file or some rows are malformed and the clerk did not ask to skip them (R-FL-4).
        case refused
        /// The same bytes were imported before: nothing changes (R-FL-4).
        case alreadyImported = "already_imported"
    }

    public struct Change: Sendable, Encodable, Hashable {
        public let caseNumber: String
        public let name: String
        public let what: String
        /// What the clerk does next, for a 異常終了: fix and resend (R-RG-5) or not resend (R-RG-6).
        public var advice: String? = nil
    }

    public struct Due: Sendable, Encodable, Hashable {
        public let caseNumber: String
        public let name: String
        public let expected: String
        public let status: String
        /// The status file's row about the person, which still says 初回登録状態 1 (R-CF-3); nil when
        /// the file has no row about them.
        public var row: Int? = nil
    }

    /// A row of the monthly status file about one of the office's people that did not confirm its
    /// case, or that confirmed it against the record (R-CF-3): listed with the row and what the
    /// clerk should do, never ignored silently.
    public struct RowNote: Sendable, Encodable, Hashable {
        public enum Kind: String, Sendable, Encodable, CaseIterable {
            /// 初回登録状態 0 with a 解除日, 解除区分 other than 1: cancelled by another route.
            case otherRoute = "other_route"
            /// 初回登録状態 0 without a 解除日: nothing registered to cancel (R-PC-1 1), or the date missing.
            case notRegistered = "not_registered"
            /// 初回登録状態 1 for an open case that is not due yet (or not registered yet).
            case stillRegistered = "still_registered"
            /// 初回登録状態 1 after the cancellation was confirmed (or after #5): registered again (R-PT-2).
            case reregistered
            /// 初回登録状態 1 for a case the server cancelled (#5): the other route has not cancelled yet.
            case cancelledStillRegistered = "cancelled_still_registered"
            /// Only the 受給者番号 (被保険者証番号) matches a case whose 被保険者枝番 is blank: not matched (R-ID-2).
            case recipientNumberOnly = "recipient_number_only"
            /// The confirmed 解除日 disagrees with the holds recorded (R-HC-2): later — a hold whose
            /// お知らせ was never recorded; earlier — a recorded hold the server never sent.
            case holdMismatch = "hold_mismatch"

            /// The heading the list gives each kind (CLI and desk alike).
            public var heading: String {
                switch self {
                case .otherRoute: return "別の経路で解除された人（解除区分が 1 以外、R-CF-3）"
                case .notRegistered: return "利用登録がない人（解除日なし、R-CF-3）"
                case .stillRegistered: return "利用登録が残っている人（解除待ち、R-CF-3）"
                case .reregistered: return "解除のあと再登録した人（R-CF-3, R-PT-2）"
                case .cancelledStillRegistered: return "取消（#5）の案件で利用登録が残っている人（R-CF-3, R-HC-3）"
                case .recipientNumberOnly: return "受給者番号だけが一致する行（照合していません、R-ID-2）"
                case .holdMismatch: return "解除日が保留の記録と合わない案件（R-HC-2, R-CF-3）"
                }
            }
        }

        public let row: Int
        public let kind: Kind
        public let caseNumber: String
        public let name: String
        /// What the row says, against the case.
        public let detail: String
        /// What the clerk should do.
        public let todo: String
        /// R-CF-3: a re-registration the clerk can record from the list (`record-reregistration`, F7).
        public var recordReregistration = false
        /// The day the file gives for it (初回登録日 after the 解除日, ISO), when it gives one.
        public var reregisteredOn: String?
    }

    public struct Certificate: Sendable, Encodable, Hashable {
        public let row: Int
        public let serverIndividualNumber: String
        public let expiry: String
        public let expired: Bool
        public let caseNumber: String?
        public let name: String?
    }

    public var outcome: Outcome
    public var file: String
    public var sha256: String
    public var warnings: [String] = []
    /// Malformed rows (row, column, reason); left out only when the clerk asked.
    public var problems: [String] = []
    public var changes: [Change] = []
    /// Rows that match no case.
    public var unmatched: [String] = []
    /// Rows that match a case that cannot take them now (said why).
    public var skipped: [String] = []
    /// Status files: cases whose expected date has passed and that the file did not confirm (R-CF-1).
    public var dueNotConfirmed: [Due] = []
    /// Status files: certificates expired or expiring within two months (R-RL-2).
    public var certificates: [Certificate] = []
    /// Status files: rows about the office's people that did not confirm their case (R-CF-3).
    public var rowNotes: [RowNote] = []
    /// Result files: how the registration date was chosen (R-RG-9), said before the changes.
    public var notes: [String] = []
    /// When already imported: when and by whom (`2026-11-24T10:00:00+09:00 yamada`).
    public var previousImport: String?
    /// The same, apart: the journal time and the operator id.
    public var previousImportTime: String?
    public var previousImportBy: String?
    /// Refused only for malformed rows: the clerk may apply the file without them (R-FL-4).
    public var badRowsCanBeSkipped = false
}

public enum ServerFileImport {
    /// The largest file read (issue 6): a monthly status file of 100,000 people is about 12 MB; a file
    /// far larger is the wrong file, and reading it whole would stall the desk.
    public static let maxBytes = 256 * 1024 * 1024

    /// Reads and parses a server file. Returns the report so far, the file's SHA-256, and the parsed
    /// rows — or nil rows when the file is refused: unreadable, or with bad rows the clerk did not
    /// ask to skip (R-FL-4). Nothing is written here.
    static func read<Row>(_ url: URL, allowBadRows: Bool, parse: (Data) throws -> ParsedFile<Row>) throws
        -> (ImportReport, String, ParsedFile<Row>?) {
        let path = shownPath(url)
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
           size.intValue > maxBytes {
            let mb = { (n: Int) in "\((n + 1024 * 1024 - 1) / (1024 * 1024)) MB" }
            return (ImportReport(outcome: .refused, file: path, sha256: "",
                                 problems: ["ファイル \(path) が大きすぎます（\(mb(size.intValue))。上限は \(mb(maxBytes)) です）。取り込むファイルを確かめてください"]), "", nil)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let why = FileManager.default.fileExists(atPath: url.path) ? "読み取る権限がないか、フォルダです" : "ありません"
            return (ImportReport(outcome: .refused, file: path, sha256: "", problems: ["ファイル \(path) が\(why)"]), "", nil)
        }
        let sha = RegistrationExport.sha256(data)
        var report = ImportReport(outcome: .applied, file: path, sha256: sha)
        let parsed: ParsedFile<Row>
        do {
            parsed = try parse(data)
        } catch let p as FileProblem {
            report.outcome = .refused
            report.problems = [p.description]
            return (report, sha, nil)
        }
        report.warnings = parsed.warnings
        report.problems = parsed.problems.map(\.description)
        if !parsed.problems.isEmpty && !allowBadRows {
            report.outcome = .refused
            report.badRowsCanBeSkipped = !parsed.rows.isEmpty
            return (report, sha, nil)
        }
        if parsed.rows.isEmpty && parsed.problems.isEmpty {
            // Only a header (or only blank lines after it): nothing to apply, and recording the file as
            // imported would hide the real one's absence (issue 6).
            report.outcome = .refused
            report.problems = ["データの行がありません（見出しの行だけです）。取り込むファイルを確かめてください"]
            report.warnings.removeAll { $0.hasPrefix("見出しの行だけ") }
            return (report, sha, nil)
        }
        return (report, sha, parsed)
    }

    /// The file's path as a report shows it: its name is imported text (R-ID-4 masked, R-FL-5
    /// escaped, as the journal keeps it); control characters in the folders are shown too.
    static func shownPath(_ url: URL) -> String {
        let folder = TextNormalizer.terminalSafe(url.deletingLastPathComponent().path)
        return folder + (folder.hasSuffix("/") ? "" : "/") + TextNormalizer.importedText(url.lastPathComponent)
    }

    static func previous(_ book: CaseBook, kind: FileEvent.Kind, sha: String) -> FileEvent? {
        book.fileEvents.last { $0.payload.kind == kind && $0.payload.sha256 == sha }
    }
}

extension CaseStore {
    /// 初回登録解除情報登録結果ファイル (R-RG-4..6, R-FL-1): `1` → registered, `2` → registration
    /// failed with the server's message. All rows in one write or none (R-FL-4). `registeredOn` is the
    /// registration date that starts R-DT-1 (the file carries none by default). Left out (nil), each
    /// case gets the day its bulk file was made (R-RG-9: the upload's day is offered, never the day of
    /// import), and the report says so.
    public func importResults(_ url: URL, office: OfficeConfig, registeredOn typed: LocalDate?, allowBadRows: Bool,
                              operatorID: String, now: Date) throws -> ImportReport {
        let (report, sha, parsedOrNil) = try ServerFileImport.read(url, allowBadRows: allowBadRows) {
            try ResultFile.parse($0, config: office.interchange)
        }
        guard let parsed = parsedOrNil else { return report }
        // R-ID-4: a server message or a file name with a 個人番号-like number is kept masked; R-FL-5:
        // their control characters are kept escaped (`<U+001B>`; why not refused: importedText).
        let fileName = TextNormalizer.importedText(url.lastPathComponent)
        return try commit(operatorID: operatorID, now: now) { book in
            var r = report
            if let prev = ServerFileImport.previous(book, kind: .resultImport, sha: sha) {
                r.outcome = .alreadyImported
                r.previousImport = "\(prev.record.time) \(prev.record.operatorID)"
                (r.previousImportTime, r.previousImportBy) = (prev.record.time, prev.record.operatorID)
                return ([], [], r)
            }
            let index = book.byMatchKey(office: office)
            // A person may also have a newer case that was refused as a duplicate (R-RG-3): the row
            // answers the case that went into the file.
            let inFile = book.byMatchKey(office: office) { $0.status == .exported }
            var moves: [(caseNumber: String, event: LifecycleEvent)] = []
            for row in parsed.rows {
                let key = MatchKey(insurerNumber: row.insurerNumber, serverIndividualNumber: row.serverIndividualNumber)
                guard let c = inFile[key] ?? index[key] else {
                    r.unmatched.append("\(row.row)行目: \(key) に一致する案件がありません")
                    continue
                }
                guard c.status == .exported else {
                    r.skipped.append("\(row.row)行目: 案件 \(c.number) は「\(c.status.label)」なので反映しません（登録ファイルに出力した案件だけが対象です）")
                    continue
                }
                // R-RG-9: the day typed, or else the day this case's file was made (a case exported
                // before issue 12 has no such day in its history: its application date, still checked).
                let registeredOn = typed ?? c.exportedOn ?? c.application.applicationDate
                let event: LifecycleEvent = row.accepted
                    ? .registrationAccepted(registeredOn: registeredOn, file: fileName)
                    : .registrationFailed(message: row.message.isEmpty ? "（メッセージなし）" : TextNormalizer.importedText(row.message),
                                          file: fileName)
                // R-RG-9: the typed registration date is not after today nor before this case's export.
                do {
                    try CaseLifecycle.checkDate(event, on: c, today: LocalDate(now))
                } catch let p as FieldProblem {
                    throw FieldProblem(field: p.field, label: p.label, message: "\(row.row)行目の案件 \(c.number)（\(c.application.applicant.name)）：\(p.message)")
                }
                // R-RG-9: a registration in a later month than the export moves the expected date a month (R-DT-1): said.
                if row.accepted, let out = c.exportedOn, out.yearMonth < registeredOn.yearMonth {
                    r.warnings.append("\(row.row)行目の案件 \(c.number)：登録日 \(Wareki.format(registeredOn)) は一括登録ファイルを出力した月（\(Wareki.format(out)) 出力）より後の月です。解除予定日は \(Wareki.format(registeredOn.yearMonth.adding(months: 1).lastDay)) になります（R-DT-1）。中間サーバーが受け付けた日を確かめてください（R-RG-9）")
                }
                moves.append((c.number, event))
                var change = ImportReport.Change(caseNumber: c.number, name: c.application.applicant.name, what: event.label)
                if case .registrationFailed(let message, _) = event { change.advice = RegistrationFailure.of(message).advice }   // R-RG-5, R-RG-6
                r.changes.append(change)
            }
            if typed == nil, moves.contains(where: { if case .registrationAccepted = $0.event { return true } else { return false } }) {
                let days = Set(moves.compactMap { m -> LocalDate? in
                    if case .registrationAccepted(let d, _) = m.event { return d } else { return nil }
                }).sorted()
                r.notes.append("登録日は指定がないので、一括登録ファイルを出力した日（\(days.map(Wareki.format).joined(separator: "・"))）にしました。"
                               + "中間サーバーが受け付けた日が違うときは、取り込む前に登録日を指定してください（R-RG-9）")
            }
            let record = EventDraft(caseNumber: FileEvent.officeCase, type: EventType.fileRecorded,
                                    data: try JSONValue(encoding: FileEvent.Payload(kind: .resultImport, fileName: fileName, sha256: sha,
                                                                                     cases: moves.map(\.caseNumber), rows: parsed.rows.count)),
                                    operatorID: operatorID, time: now)
            return (moves, [record], r)
        }
    }

    /// 初回登録・有効期限状況一覧ファイル (R-CF-1, R-FL-2, R-RL-2): confirms a case only when
    /// 初回登録状態 is 0, 初回登録解除日 is filled and 初回登録解除区分 is 1; lists cases due but not
    /// confirmed, and certificates expired or expiring within two months. Both branches alike.
    public func importStatus(_ url: URL, office: OfficeConfig, allowBadRows: Bool, operatorID: String, now: Date) throws -> ImportReport {
        let (report, sha, parsedOrNil) = try ServerFileImport.read(url, allowBadRows: allowBadRows) {
            try StatusFile.parse($0, config: office.interchange, today: LocalDate(now))
        }
        guard let parsed = parsedOrNil else { return report }
        let fileName = TextNormalizer.importedText(url.lastPathComponent)   // R-ID-4, R-FL-5
        let today = LocalDate(now)
        return try commit(operatorID: operatorID, now: now) { book in
            var r = report
            let (byKey, blank) = Self.statusIndex(book, office: office)
            // R-RL-2: listed whether or not the file was seen before (the clerk may ask again).
            let horizon = today.addingMonths(2)
            r.certificates += Self.expiringCertificates(parsed.rows, byKey: byKey, today: today, horizon: horizon)
            // Only the rows whose 被保険者証番号 is the 受給者番号 of such a case can be named (R-CF-3): kept
            // apart in one pass, so the rows that match nothing are not looked up one by one (issue 14, P3).
            let blankCards = blank.isEmpty ? [:] : parsed.cardNumbers.filter { blank[$0.value] != nil }
            var notes = StatusNotes(today: today, office: office, cardNumbers: blankCards, blank: blank)
            if let prev = ServerFileImport.previous(book, kind: .statusImport, sha: sha) {
                r.outcome = .alreadyImported
                r.previousImport = "\(prev.record.time) \(prev.record.operatorID)"
                (r.previousImportTime, r.previousImportBy) = (prev.record.time, prev.record.operatorID)
                // R-CF-3: the rows that confirm nothing are listed again (reading them changes nothing).
                for row in parsed.rows where !row.confirms {
                    notes.add(row, Self.cases(of: row, in: byKey))
                }
                r.rowNotes = notes.list
                r.dueNotConfirmed = Self.due(book, today: today).map { notes.withRow($0) }
                return ([], [], r)
            }
            let (moves, impossible) = try Self.confirmations(parsed, byKey: byKey, fileName: fileName, today: today, notes: &notes, report: &r)
            if !impossible.isEmpty {
                // R-FL-4: refused whole unless the clerk asked to leave bad rows out (then listed).
                r.problems += impossible.map(\.description)
                if !allowBadRows {
                    r.outcome = .refused
                    r.badRowsCanBeSkipped = true
                    r.changes = []
                    return ([], [], r)
                }
            }
            let confirmed = Set(moves.map(\.caseNumber))
            r.rowNotes = notes.list
            r.dueNotConfirmed = Self.due(book, today: today).filter { !confirmed.contains($0.caseNumber) }.map { notes.withRow($0) }
            let record = EventDraft(caseNumber: FileEvent.officeCase, type: EventType.fileRecorded,
                                    data: try JSONValue(encoding: {
                                        var p = FileEvent.Payload(kind: .statusImport, fileName: fileName, sha256: sha,
                                                                  cases: moves.map(\.caseNumber), rows: parsed.rows.count)
                                        // R-RL-2: kept so the reminders can ask for paper tickets until the next file.
                                        p.certificates = Dictionary(parsed.rows.compactMap { row in
                                            row.certificateExpiry.flatMap { $0 <= horizon ? (row.serverIndividualNumber, $0.iso) : nil }
                                        }, uniquingKeysWith: { a, _ in a })
                                        return p
                                    }()),
                                    operatorID: operatorID, time: now)
            return (moves, [record], r)
        }
    }

    /// The row is about the person: every case of theirs, oldest first (one may be a newer
    /// application refused as a duplicate while the first was registered). Cases without a
    /// 被保険者枝番 are never matched (R-ID-2), only named when their 受給者番号 is on a row (R-CF-3).
    /// Built in one pass over the book (issue 14, P3), keyed by the numbers as integers: every
    /// row's numbers are 8 and 16 half-width digits (its checks passed), so a case whose key is
    /// anything else matches no row and is left out.
    static func statusIndex(_ book: CaseBook, office: OfficeConfig)
        -> (byKey: [DigitsMatchKey: [CaseRecord]], blank: [String: [CaseRecord]]) {
        var byKey: [DigitsMatchKey: [CaseRecord]] = [:]
        byKey.reserveCapacity(book.count)
        var blank: [String: [CaseRecord]] = [:]
        for c in book.all {
            if let k = MatchKey.of(c, office: office) {
                if let d = DigitsMatchKey(k) { byKey[d, default: []].append(c) }
            } else if c.status.isOpen {
                blank[c.application.recipientNumber, default: []].append(c)
            }
        }
        return (byKey, blank)
    }

    /// R-RL-2: certificates expired or expiring by `horizon`. The case named is the one
    /// `byMatchKey` picks (the newest open case, else the newest).
    static func expiringCertificates(_ rows: [StatusRow], byKey: [DigitsMatchKey: [CaseRecord]], today: LocalDate,
                                     horizon: LocalDate) -> [ImportReport.Certificate] {
        var out: [ImportReport.Certificate] = []
        for row in rows {
            guard let expiry = row.certificateExpiry, expiry <= horizon else { continue }
            let c = Self.cases(of: row, in: byKey).flatMap(CaseBook.matchWinner)
            out.append(.init(row: row.row, serverIndividualNumber: row.serverIndividualNumber, expiry: Wareki.format(expiry),
                             expired: expiry < today, caseNumber: c?.number, name: c?.application.applicant.name))
        }
        return out
    }

    /// R-CF-1: the cases each confirming row confirms (every other row about one of the office's
    /// people is noted, R-CF-3), and the confirmations whose date cannot be (issue 12 item 7).
    static func confirmations(_ parsed: ParsedFile<StatusRow>, byKey: [DigitsMatchKey: [CaseRecord]], fileName: String,
                              today: LocalDate, notes: inout StatusNotes, report r: inout ImportReport) throws
        -> (moves: [(caseNumber: String, event: LifecycleEvent)], impossible: [FileProblem]) {
        var moves: [(caseNumber: String, event: LifecycleEvent)] = []
        var impossible: [FileProblem] = []   // a 初回登録解除日 before the case's registration (issue 12 item 7)
        for row in parsed.rows {
            let cases = Self.cases(of: row, in: byKey)
            // R-CF-1: all three conditions; any other row about one of the office's people is listed (R-CF-3).
            guard row.confirms, let cancelled = row.cancelledOn, let cases else {
                notes.add(row, cases)
                continue
            }
            let event = LifecycleEvent.confirmed(cancelledOn: cancelled, file: fileName)
            // Open cases, and a case the server cancelled (#5) because a cancellation was already
            // visible: its confirmation is recorded too (R-CF-3, R-HC-3).
            for c in cases where c.status.isOpen || c.status == .cancelledByServer {
                guard CaseLifecycle.allowedFrom(event).contains(c.status) else {
                    r.skipped.append("\(row.row)行目: 案件 \(c.number) は「\(c.status.label)」なので解除の確認を記録できません")
                    continue
                }
                do {
                    try CaseLifecycle.checkDate(event, on: c, today: today)
                } catch let p as FieldProblem {
                    impossible.append(FileProblem(row: row.row, column: parsed.columns["cancelled_on"], columnName: p.label,
                                                  message: "案件 \(c.number)（\(c.application.applicant.name)）：\(p.message)"))
                    continue
                }
                moves.append((c.number, event))
                let what = c.status == .cancelledByServer ? event.label + "（取消 #5 の案件：別の申請による解除を確認、R-CF-3）" : event.label
                r.changes.append(.init(caseNumber: c.number, name: c.application.applicant.name, what: what))
                notes.checkHolds(row, c, cancelledOn: cancelled)
            }
        }
        return (moves, impossible)
    }

    /// The cases of the person a status row is about (nil: none; a row's numbers are digits).
    static func cases(of row: StatusRow, in byKey: [DigitsMatchKey: [CaseRecord]]) -> [CaseRecord]? {
        DigitsMatchKey(insurerNumber: row.insurerNumber, serverIndividualNumber: row.serverIndividualNumber).flatMap { byKey[$0] }
    }

    /// Open cases whose expected cancellation date has passed (R-CF-1: "shows the ones that should
    /// have been cancelled by now and are not").
    static func due(_ book: CaseBook, today: LocalDate) -> [ImportReport.Due] {
        book.all.compactMap { c in
            guard c.status.isOpen, case .expected(let d) = CaseLifecycle.expectedCancellation(c), d < today else { return nil }
            return .init(caseNumber: c.number, name: c.application.applicant.name, expected: Wareki.format(d), status: c.status.label)
        }
    }
}

extension ImportReport {
    /// What happened, in lines a clerk reads (the CLI prints them; the desk shows them), operators by id.
    public var summaryLines: [String] { summaryLines(names: { $0 }) }

    /// What happened, in lines a clerk reads: times in 和暦, operators by the name `names` gives;
    /// `reregister` says how to record a re-registration flagged on the list (R-CF-3) — the command
    /// line names its command, the desk its keys.
    public func summaryLines(names: (String) -> String, reregister: (RowNote) -> String? = { _ in nil }) -> [String] {
        var lines: [String] = []
        switch outcome {
        case .refused: lines.append("取り込みませんでした（記録は変えていません）：\(file)")
        case .alreadyImported:
            let when = [previousImportTime.map(Wareki.formatTime), previousImportBy.map(names)].compactMap { $0 }.joined(separator: " ")
            lines.append("このファイルは取り込み済みです（\(when.isEmpty ? previousImport ?? "" : when)）。何も変えていません。")
        case .applied: lines.append("取り込みました：\(file)（反映 \(changes.count)件）")
        }
        lines += notes.map { "  \($0)" }
        lines += warnings.map { "  注意：\($0)" }
        lines += problems.map { "  誤り：\($0)" }
        if outcome == .refused && badRowsCanBeSkipped {
            lines.append("  誤りのある行を除いて取り込むこともできます（--skip-bad-rows、R-FL-4）。")
        }
        lines += changes.flatMap { c in ["  \(c.caseNumber) \(c.name)：\(c.what)"] + (c.advice.map { ["    → \($0)"] } ?? []) }
        lines += unmatched.map { "  一致なし：\($0)" }
        lines += skipped.map { "  反映せず：\($0)" }
        if !dueNotConfirmed.isEmpty {
            lines.append("解除予定日を過ぎても確認できない案件（R-CF-1）：")
            lines += dueNotConfirmed.map { d in
                "  \(d.caseNumber) \(d.name)：予定 \(d.expected)（\(d.status)）"
                    + (d.row.map { "　\($0)行目は初回登録状態 1 のままです。統合専用端末の保留・取消のお知らせを確かめて記録してください（R-HC-1, R-CF-3）" } ?? "")
            }
        }
        // R-CF-3: every row about one of the office's people that did not confirm its case, by kind.
        for kind in RowNote.Kind.allCases {
            let notes = rowNotes.filter { $0.kind == kind }
            guard !notes.isEmpty else { continue }
            lines.append(kind.heading + "：")
            lines += notes.map { n in
                "  \(n.row)行目 \(n.caseNumber) \(n.name)：\(n.detail) → \(n.todo)"
                    + (n.recordReregistration ? reregister(n).map { "（\($0)）" } ?? "" : "")
            }
        }
        if !certificates.isEmpty {
            lines.append("電子証明書が切れた・2か月以内に切れる人（紙の医療券・調剤券が必要、R-RL-2）：")
            lines += certificates.map { c in
                "  \(c.caseNumber.map { "\($0) \(c.name ?? "")" } ?? "案件なし") 被保険者枝番 \(c.serverIndividualNumber)：\(c.expiry)\(c.expired ? " 期限切れ" : "")"
            }
        }
        return lines
    }
}
