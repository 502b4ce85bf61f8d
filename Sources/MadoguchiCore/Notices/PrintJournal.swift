import Foundation

// Journal events of what was printed on the office's printer (issue 11: `EventType.noticePrinted`,
// `.listPrinted`): who (the line's `operator`) printed what, on which queue, with which CUPS job id,
// so the office's auditor sees every paper copy that left the desk.

/// The `data` of a `notice.printed` or `list.printed` line.
public struct PrintedPayload: Codable, Sendable, Hashable {
    /// The notice's id (`notice.printed`), or the list's name, `pending` (`list.printed`).
    public var what: String
    /// The PDF sent, relative to the data directory.
    public var file: String
    public var queue: String
    public var job: String
    /// `submitted`, or `waiting` when the printer was stopped.
    public var state: PrintReceipt.State
    /// A list: how many rows, and the filters applied (as the screen says them).
    public var rows: Int?
    public var filter: String?

    public init(what: String, file: String, receipt: PrintReceipt, rows: Int? = nil, filter: String? = nil) {
        self.what = what
        self.file = file
        queue = receipt.queue
        job = receipt.job
        state = receipt.state
        self.rows = rows
        self.filter = filter
    }

    /// For a case's history: 「通知を印刷（プリンター PDF、ジョブ PDF-3）」.
    public var label: String {
        let base = "プリンター \(queue)、ジョブ \(job)\(state == .waiting ? "、停止中で待機" : "")"
        return rows == nil ? "通知 \(what) を印刷（\(base)）" : "一覧を印刷（\(rows ?? 0)件、\(base)）"
    }
}

/// The pending list made into a PDF and perhaps printed.
public struct ListPrintResult: Sendable, Encodable {
    public let pdfFile: String
    public let rows: Int
    public var receipt: PrintReceipt?
    /// Why it was not printed (the PDF is there).
    public var problem: String?

    public var lines: [String] {
        ["未完了一覧を PDF にしました：\(pdfFile)（\(rows)件）"] + [receipt?.message, problem].compactMap { $0 }
    }
}

/// What a print did, for the clerk (and `--json`).
public struct PrintResult: Sendable, Encodable {
    public let receipt: PrintReceipt
    /// The PDF sent, absolute path.
    public let pdfFile: String
    public var message: String { receipt.message }
}

extension PendingFilter {
    /// The filters as the pending screen names them (予定日超過・保留・…); empty when none.
    public var labels: [String] { labels(names: { $0 }) }

    /// The same, the clerk by the name `names` gives (a printed page is read by a person).
    public func labels(names: (String) -> String) -> [String] {
        var filters: [String] = []
        if overdueOnly { filters.append("予定日超過") }
        if heldOnly { filters.append("保留") }
        if let b = branch { filters.append(b.label) }
        if let clerk { filters.append("受付 \(names(clerk))") }
        if let m = month { filters.append("\(Wareki.format(m))の申請") }
        if let s = statuses { filters.append(contentsOf: CaseStatus.allCases.filter(s.contains).map(\.label)) }
        if includeEnded { filters.append("終了分も") }
        return filters
    }
}

/// The pending list as a printable page (A4, IPA Gothic 9 pt, with a text layer).
public enum PendingPrint {
    /// Columns of a fixed-width font (IPA Gothic): ASCII and half-width katakana one, the rest two.
    static func columns(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, c in n + ((c.isASCII || (0xFF61...0xFF9F).contains(c.value)) ? 1 : 2) }
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - columns(s)))
    }

    /// The list's text: heading (office, date, count, filters, sort), one row per case with aligned
    /// columns, the counts by status. A training office's list carries the training banner.
    public static func text(_ list: PendingList, office: OfficeConfig, filter: PendingFilter, sort: PendingSort,
                            descending: Bool, printedBy: Operator, checkpoint: Checkpoint? = nil) -> String {
        let sortLabel: String
        switch sort {
        case .number: sortLabel = "案件番号"
        case .applicationDate: sortLabel = "申請日"
        case .expected: sortLabel = "解除予定日"
        case .status: sortLabel = "状態"
        case .clerk: sortLabel = "受付者"
        }
        let asOf = LocalDate(iso: list.asOf).map(Wareki.format) ?? list.asOf
        let filters = filter.labels(names: office.displayName(ofOperator:))
        var lines = ["未完了の案件の一覧　\(office.officeName)",
                     "\(asOf) 現在　\(list.rows.count)件　絞り込み：\(filters.isEmpty ? "なし" : filters.joined(separator: "・"))"
                         + "　並べ替え：\(sortLabel)\(descending ? "（逆順）" : "")",
                     "印刷　\(printedBy.name)", ""]
        let header = ["案件番号", "氏名", "区分", "状態", "受付", "解除予定", "注意"]
        let table = list.rows.map { r -> [String] in
            let flags = [r.overdue ? "予定日超過" : nil, r.persistentHold ? "保留継続" : nil].compactMap { $0 }.joined(separator: "・")
            // R-FL-5, R-ID-4: what the journal holds is shown, never obeyed (an old journal may hold
            // control characters or a number typed before the filter knew its forms).
            return [r.number, r.name, r.branchLabel, r.statusLabel, office.displayName(ofOperator: r.clerk),
                    r.expectedCancellationShort, flags].map(TextNormalizer.importedText)
        }
        let widths = header.indices.map { i in ([header] + table).map { columns($0[i]) }.max() ?? 0 }
        func row(_ cells: [String]) -> String {
            let padded = cells.indices.map { i in i == cells.count - 1 ? cells[i] : pad(cells[i], widths[i]) }
            return padded.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        lines.append(row(header))
        lines += table.map(row)
        lines.append("")
        lines.append("状態ごと：" + CaseStatus.allCases.compactMap { s in list.countsByStatus[s.rawValue].map { "\(s.label) \($0)" } }.joined(separator: "／"))
        // R-SG-3: the supervisor's report carries the last checkpoint, so a cut at the journal's end
        // can be found later with this paper (madoguchi verify --checkpoint).
        if let checkpoint {
            lines += ["", "最新のチェックポイント（この紙は事務所のデータとは別に保管してください。madoguchi verify --checkpoint で照合します）："]
            lines += checkpoint.text.split(separator: "\n").map(String.init)
        }
        let body = lines.joined(separator: "\n") + "\n"
        guard office.isTraining else { return body }
        return NoticeRenderer.trainingBanner + "\n\n" + body + "\n" + NoticeRenderer.trainingBanner + "\n"
    }
}

extension CaseStore {
    /// Prints a notice's PDF (made from the recorded text if there is none yet) on the office's
    /// printer and records `notice.printed` on its case. Nothing is journaled when nothing was
    /// handed to CUPS.
    public func printNotice(id: String, office: OfficeConfig, printer: OfficePrinter, operatorID: String, now: Date,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PrintResult {
        let notice = try reprintNotice(id: id, office: office, pdf: true, environment: environment)
        guard let pdf = notice.pdfFile else {
            throw NoticeError.cannotPrint(id: id, reason: notice.pdfProblem ?? "PDF がありません")
        }
        let receipt = try printer.print(URL(fileURLWithPath: pdf), title: notice.id)
        let rel = "notices/" + URL(fileURLWithPath: pdf).lastPathComponent
        try journalPrint(PrintedPayload(what: notice.id, file: rel, receipt: receipt), type: EventType.noticePrinted,
                         caseNumber: notice.caseNumber, operatorID: operatorID, now: now)
        return PrintResult(receipt: receipt, pdfFile: pdf)
    }

    /// `printNotice`'s outcome as the line a clerk reads: the receipt, or why nothing was printed.
    /// `audience`: whose words say how to get a PDF without a printer (the desk's, or the CLI's).
    public func printNoticeMessage(id: String, office: OfficeConfig, printer: OfficePrinter, operatorID: String, now: Date,
                                   audience: PrintProblem.Audience = .commandLine,
                                   environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        do {
            return try printNotice(id: id, office: office, printer: printer, operatorID: operatorID, now: now, environment: environment).message
        } catch let p as PrintProblem {
            return p.message(for: audience)
        } catch {
            return UserFacing.detail(for: error)
        }
    }

    /// Writes the pending list (with the filters and order given) as a PDF — under
    /// `<data dir>/reports/` unless `destination` says where — and, with a printer, prints it and
    /// records `list.printed` (office-level). A PDF that cannot be made throws; a print that does not
    /// happen is in the result's `problem` (the PDF is there all the same).
    public func printPendingList(filter: PendingFilter, sort: PendingSort, descending: Bool, today: LocalDate,
                                 office: OfficeConfig, printer: OfficePrinter?, by op: Operator, now: Date,
                                 to destination: URL? = nil, audience: PrintProblem.Audience = .commandLine,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ListPrintResult {
        // R-SG-6: a destination outside the office's folders is refused before anything is made.
        let confined = try destination.map { try office.confinedExport($0, what: "一覧の PDF の書き出し先") }
        let list = Pending.list(book, today: today, filter: filter, sort: sort, descending: descending)
        let text = PendingPrint.text(list, office: office, filter: filter, sort: sort, descending: descending, printedBy: op,
                                     checkpoint: journal.trust?.lastCheckpoint)
        let data = try NoticePDF.make(text: text, layout: .list, environment: environment)
        let url: URL
        if let destination = confined {
            url = destination
            try PreparedFile.prepare(data, at: url).commitReplacing()
        } else {
            // Each list its own file (pending-20261130-101500.pdf, -2…), reserved with O_EXCL (issue 11 item 8).
            url = try ReportFiles.write(data, in: office.dataDirectory.appendingPathComponent("reports"), within: office.exportRoots, stem: "pending", ext: "pdf", now: now)
        }
        var result = ListPrintResult(pdfFile: url.path, rows: list.rows.count)
        guard let printer else { return result }
        do {
            let receipt = try printer.print(url, title: "未完了一覧 \(list.asOf)")
            let dataPath = office.dataDirectory.standardizedFileURL.path + "/"
            let full = url.standardizedFileURL.path
            let rel = full.hasPrefix(dataPath) ? String(full.dropFirst(dataPath.count)) : full
            try journalPrint(PrintedPayload(what: "pending", file: rel, receipt: receipt, rows: list.rows.count,
                                            filter: filter.labels.isEmpty ? "なし" : filter.labels.joined(separator: "・")),
                             type: EventType.listPrinted, caseNumber: FileEvent.officeCase, operatorID: op.id, now: now)
            result.receipt = receipt
        } catch let p as PrintProblem {
            result.problem = p.message(for: audience)
        }
        return result
    }

    func journalPrint(_ payload: PrintedPayload, type: EventType, caseNumber: String, operatorID: String, now: Date) throws {
        try commit(operatorID: operatorID, now: now) { _ -> ([(caseNumber: String, event: LifecycleEvent)], [EventDraft], Void) in
            ([], [EventDraft(caseNumber: caseNumber, type: type, data: try JSONValue(encoding: payload), operatorID: operatorID, time: now)], ())
        }
    }
}
