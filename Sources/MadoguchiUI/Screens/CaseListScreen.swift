import MadoguchiCore

/// The case list (案件一覧): sortable, opening a row shows the case.
public struct CaseListState: Equatable, Sendable {
    public enum SortKey: CaseIterable, Sendable {
        case number, name, branch, status, applicationDate

        var label: String {
            switch self {
            case .number: return "番号"
            case .name: return "フリガナ"
            case .branch: return "区分"
            case .status: return "状態"
            case .applicationDate: return "申請日"
            }
        }
    }

    public var selected = 0
    public var sort: SortKey = .number
    public var descending = false
    public var scroll = 0
    /// `/` 検索 (ListSearch.swift).
    public var search: ListSearch?

    public init() {}
}

extension DeskState {
    /// The cases in the order the list shows them.
    public var sortedCases: [CaseRecord] {
        sortedOrder.map { cases[$0] }
    }

    /// Indices into `cases` in the list's order, cached until the cases or the order change (P2).
    var sortedOrder: [Int] {
        listCache.order(cases, version: casesVersion, sort: list.sort, descending: list.descending)
    }

    /// The case on row `row` of the list, if there is one.
    func sortedCase(at row: Int) -> CaseRecord? {
        let order = sortedOrder
        return order.indices.contains(row) ? cases[order[row]] : nil
    }

    /// Today's reminders for a case (issue 4); the case's own facts (R-RG-2, R-PT-1, …) until the
    /// desk has computed them.
    func reminderCount(_ r: CaseRecord) -> Int {
        let today = listCache.reminders(reminders, version: remindersVersion)[r.number] ?? 0
        return today > 0 ? today : r.reminders.count
    }

    /// Rows under the table for today's reminders (none when there are none).
    var reminderPanelRows: Int { reminders.isEmpty ? 0 : min(reminders.count, 5) + 2 }

    var listVisibleRows: Int { max(1, statusRow - 4 - reminderPanelRows - (batchesAwaitingMyApproval.isEmpty ? 0 : 1)) }

    /// Batches this operator may approve: a supervisor's, prepared by someone else (R-SG-2).
    var batchesAwaitingMyApproval: [SignOffBatch] {
        guard config.operatorRole == .supervisor else { return [] }
        return batches.filter { $0.state == .prepared && $0.preparedBy != config.operatorID }
    }

    mutating func updateCaseList(_ command: Command) -> [DeskEffect] {
        let count = cases.count
        if searchKey(command, onPending: false) {
            keepCaseListSelectionInView()
            return []
        }
        switch command {
        case .up: list.selected = max(0, list.selected - 1)
        case .down: list.selected = min(max(0, count - 1), list.selected + 1)
        case .previousPage: list.selected = max(0, list.selected - listVisibleRows)
        case .nextPage: list.selected = min(max(0, count - 1), list.selected + listVisibleRows)
        case .home: list.selected = 0
        case .end: list.selected = max(0, count - 1)
        case .activate:
            if let r = sortedCase(at: list.selected) {
                screen = .caseDetail(r.number)
                detailScroll = 0
                detailReturn = .caseList
                noteAccess(AccessEvent(.opened, via: "desk", cases: [r.number]))
            }
        case .primary:
            if intake == nil {
                intake = IntakeState(form: config.form, today: today)
                status = nil
            } else {
                status = StatusLine("入力途中の申請を再開しました。")
            }
            screen = .intake
        case .sort, .insert("s"):
            // Cycle the key; choosing the same key again reverses the order.
            let all = CaseListState.SortKey.allCases
            if list.descending {
                list.descending = false
                list.sort = all[(all.firstIndex(of: list.sort)! + 1) % all.count]
            } else {
                list.descending = true
            }
            status = StatusLine("並べ替え：\(list.sort.label)\(list.descending ? "（降順）" : "（昇順）")")
        case .reload, .insert("r"):
            return [.reload]
        case .export:
            return startExport()
        case .importFile:
            openImportMenu()
        case .record:
            if let r = sortedCase(at: list.selected) { openCaseMenu(r.number) }
        case .insert(String(Self.discardKey)):
            askDiscardDraft()
        default: break
        }
        keepCaseListSelectionInView()
        return []
    }

    /// Work the list will need, done while nobody types (the runtime's idle tick): the order of each
    /// sort key and the search index, one piece per call, so that the first F6 or / after the desk
    /// opens or after a large import does not sort or index every case then (issue 14: 77 ms at 25,000
    /// cases). Like `render`, it only fills the cache with what would be computed anyway. Returns
    /// whether it computed something.
    public func prepareWhileIdle() -> Bool {
        for key in CaseListState.SortKey.allCases where !listCache.hasOrder(version: casesVersion, sort: key) {
            _ = listCache.order(cases, version: casesVersion, sort: key, descending: false)
            return true
        }
        if !listCache.hasSearchIndex(version: casesVersion) {
            _ = searchMatched("")
            return true
        }
        return false
    }

    mutating func keepCaseListSelectionInView() {
        let visible = listVisibleRows
        if list.selected < list.scroll { list.scroll = list.selected }
        if list.selected >= list.scroll + visible { list.scroll = list.selected - visible + 1 }
    }

    /// 案件一覧　384件（登録待ち 20／…）: the heading; the help screen (F1) repeats it whole.
    var caseListSummary: String {
        let byStatus = listCache.statusCounts(cases, version: casesVersion)
        var summary = "案件一覧　\(cases.count)件"
        let parts = CaseStatus.allCases.compactMap { st in byStatus[st].map { "\(st.label) \($0)" } }
        if !parts.isEmpty { summary += "（" + parts.joined(separator: "／") + "）" }
        return summary
    }

    /// The list's columns; on a wide terminal the name, status and address take the room (issue 11, item 8).
    static let caseListColumns: [TableColumn] = [
        TableColumn(title: "番号", width: 9), TableColumn(title: "氏名", width: 14, grow: 1, limit: 22),
        TableColumn(title: "区分", width: 4), TableColumn(title: "状態", width: 16, grow: 1, limit: 26),
        TableColumn(title: "申請日", width: 9), TableColumn(title: "解除予定", width: 10), TableColumn(title: "要対応", width: 6),
        TableColumn(title: "住所", width: 16, grow: 4, optional: true),
    ]

    func renderCaseList(_ c: inout Canvas, top: Int, bottom: Int) {
        let sortText = "並び：\(list.sort.label)\(list.descending ? "↓" : "↑")"
        let sortX = width - DisplayWidth.of(sortText) - 1
        // Cut with … when the counts do not fit beside the order; F1 shows the line whole.
        c.put(DisplayWidth.truncate(caseListSummary, to: sortX - 2), x: 1, y: top, style: .heading)
        c.put(sortText, x: sortX, y: top, style: .dim)

        let widths = TableLayout.widths(Self.caseListColumns, room: textColumns)
        let columns = zip(Self.caseListColumns, widths).compactMap { col, w in w.map { (col.title, $0) } }
        var x = 1
        c.fill(y: top + 1, style: .heading)
        for (title, w) in columns {
            c.put(title, x: x, y: top + 1, style: .heading)
            x += w + 1
        }
        let order = sortedOrder
        if order.isEmpty {
            c.put("まだ案件はありません。F2（Ctrl-S）で新しい申請を受け付けます。", x: 2, y: top + 3, style: .dim)
            return
        }
        let visible = listVisibleRows
        let matched = list.search.flatMap { CaseSearch.key($0.query).isEmpty ? nil : searchMatched($0.query) }
        for (i, k) in order.indices.dropFirst(list.scroll).prefix(visible).enumerated() {
            let r = cases[order[k]]
            let y = top + 2 + i
            let style: Style = k == list.selected ? .selected : (matched?[order[k]] == true ? Self.searchMatchStyle : .normal)
            if k == list.selected { c.fill(y: y, style: style) }
            let cells = [
                r.number, r.application.applicant.name, r.application.branch.shortLabel, r.status.label,
                Wareki.formatShort(r.application.applicationDate), CaseLifecycle.expectedCancellation(r).shortLabel,
                reminderCount(r) == 0 ? "" : "！\(reminderCount(r))",
                r.application.applicant.prefecture + r.application.applicant.municipality + r.application.applicant.address,
            ]
            var cx = 1
            // A cell cut with … is read whole on the case screen (Enter).
            for (w, text) in zip(widths, cells) {
                guard let w else { continue }
                c.put(DisplayWidth.truncate(text, to: w), x: cx, y: y, style: style)
                cx += w + 1
            }
        }
        if list.scroll > 0 { c.put("↑", x: width - 2, y: top + 2, style: .dim) }
        if order.count - list.scroll > visible { c.put("↓", x: width - 2, y: top + 2 + visible - 1, style: .dim) }
        if let b = batchesAwaitingMyApproval.first {
            let more = batchesAwaitingMyApproval.count > 1 ? "ほか\(batchesAwaitingMyApproval.count - 1)件、" : ""
            c.put(DisplayWidth.truncate("承認待ちの一括登録 \(b.id)（\(b.cases.count)件、準備 \(config.name(of: b.preparedBy))\(more.isEmpty ? "" : "、" + more.dropLast())）　F3 で承認・差し戻し",
                                        to: width - 2), x: 1, y: top + 2 + visible, style: .warning)
        }
        renderReminderPanel(&c, bottom: bottom)
    }

    /// 今日の要対応: the first reminders, each saying what to do and citing its rule.
    func renderReminderPanel(_ c: inout Canvas, bottom: Int) {
        guard reminderPanelRows > 0 else { return }
        let y0 = bottom - reminderPanelRows + 1
        c.put("今日の要対応 \(reminders.count)件（F9 で一覧・済みにする）", x: 1, y: y0, style: .warning)
        // One row each, cut with …; F9 shows every reminder whole.
        for (i, r) in reminders.prefix(5).enumerated() {
            let who = r.caseNumber.map { "\($0) " } ?? ""
            c.put(DisplayWidth.truncate("・\(who)\(r.message)", to: textColumns), x: 1, y: y0 + 1 + i)
        }
    }
}
