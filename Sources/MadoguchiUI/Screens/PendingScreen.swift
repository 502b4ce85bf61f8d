import MadoguchiCore

/// The supervisor's desk (issue 4): every open case with what is late or held, filters on single
/// keys (as in tig and hledger-ui), counts per status and a bar chart of cases by month.
public struct PendingScreenState: Equatable, Sendable {
    public var filter = PendingFilter()
    public var sort: PendingSort = .number
    public var descending = false
    public var selected = 0
    public var scroll = 0
    /// `/` 検索 (ListSearch.swift).
    public var search: ListSearch?
    /// The city's desk (issue 15 item 5): the one office shown (its code), nil for every office.
    public var office: String?

    public init() {}
}

extension DeskState {
    var pendingList: PendingList { pendingList(pending) }

    /// The list a screen state shows: this office's, or on the city's desk every office's (or the
    /// one chosen with `f`), the office's rows together.
    func pendingList(_ p: PendingScreenState) -> PendingList {
        if let city {
            return Pending.cityList(city.offices, today: today, filter: p.filter, only: p.office.map { [$0] },
                                    sort: p.sort, descending: p.descending).combined
        }
        return Pending.list(cases: cases, today: today, filter: p.filter, sort: p.sort, descending: p.descending)
    }

    /// Rows the table can show: the rest of the screen holds the filters, the counts and the chart.
    var pendingTableRows: Int { max(3, height - 14) }

    /// The city's desk: each office shown whose journal does not verify, named with its line above the
    /// rows (never silently left out); at most all but one of the table's rows.
    var pendingBrokenLines: [String] {
        guard let city else { return [] }
        let lines = city.offices.filter { $0.problem != nil && (pending.office ?? $0.office) == $0.office }
            .map { "【記録を確かめられません】\($0.name)（\($0.office)）\($0.problem?.text ?? "")" }
        return Array(lines.prefix(pendingTableRows - 1))
    }

    /// Case rows the table shows (below the broken offices' lines).
    var pendingRowsShown: Int { pendingTableRows - pendingBrokenLines.count }

    mutating func updatePending(_ command: Command) -> [DeskEffect] {
        if searchKey(command, onPending: true) {
            if pending.selected < pending.scroll { pending.scroll = pending.selected }
            if pending.selected >= pending.scroll + pendingRowsShown { pending.scroll = pending.selected - pendingRowsShown + 1 }
            return []
        }
        let list = pendingList
        var p = pending
        func cycle<T: Equatable>(_ current: T?, _ all: [T]) -> T? {
            guard let current, let i = all.firstIndex(of: current) else { return all.first }
            return i + 1 < all.count ? all[i + 1] : nil
        }
        switch command {
        case .back: screen = .caseList
        case .up: p.selected = max(0, p.selected - 1)
        case .down: p.selected = min(max(0, list.rows.count - 1), p.selected + 1)
        case .previousPage: p.selected = max(0, p.selected - pendingRowsShown)
        case .nextPage: p.selected = min(max(0, list.rows.count - 1), p.selected + pendingRowsShown)
        case .activate where city != nil, .insert("e") where city != nil, .insert("p") where city != nil:
            status = StatusLine("市の一覧は閲覧のみです（案件は各事務所の端末で開き、CSV は madoguchi pending --city --csv で書き出します）")
        case .insert("f") where city != nil:
            p.office = cycle(p.office, city?.offices.map(\.office) ?? [])
        case .activate:
            if list.rows.indices.contains(p.selected) {
                screen = .caseDetail(list.rows[p.selected].number)
                detailScroll = 0
                detailReturn = .pending
                noteAccess(AccessEvent(.opened, via: "desk F8", cases: [list.rows[p.selected].number]))
            }
        case .insert("o"): p.filter.overdueOnly.toggle()
        case .insert("h"): p.filter.heldOnly.toggle()
        case .insert("a"): p.filter.includeEnded.toggle()
        case .insert("b"): p.filter.branch = cycle(p.filter.branch, Branch.allCases)
        case .insert("c"): p.filter.clerk = cycle(p.filter.clerk, Array(Set(cases.map(\.receivedBy))).sorted())
        case .insert("m"):
            let months = Array(Set(cases.map { $0.application.applicationDate.yearMonth })).sorted()
            p.filter.month = cycle(p.filter.month, months)
        case .insert("s"):
            let open = CaseStatus.allCases.filter { s in cases.contains { $0.status == s } }
            let current = p.filter.statuses.flatMap { $0.count == 1 ? $0.first : nil }
            p.filter.statuses = cycle(current, open).map { [$0] }
        case .insert("x"): p.filter = PendingFilter()
        case .sort:
            if p.descending {
                p.descending = false
                p.sort = PendingSort.allCases[(PendingSort.allCases.firstIndex(of: p.sort)! + 1) % PendingSort.allCases.count]
            } else {
                p.descending = true
            }
        case .insert("e"):
            pending = p
            status = StatusLine("一覧を CSV に書き出しています…")
            return [.exportPendingCSV(p.filter, p.sort, descending: p.descending)]
        case .insert("p"):
            pending = p
            status = StatusLine("一覧を印刷しています…")
            return [.print(.pendingList(p.filter, p.sort, descending: p.descending))]
        default: break
        }
        let count = pendingList(p).rows.count
        p.selected = min(p.selected, max(0, count - 1))
        if p.selected < p.scroll { p.scroll = p.selected }
        if p.selected >= p.scroll + pendingRowsShown { p.scroll = p.selected - pendingRowsShown + 1 }
        pending = p
        return []
    }

    static func sortLabel(_ s: PendingSort) -> String {
        switch s {
        case .number: return "番号"
        case .applicationDate: return "申請日"
        case .expected: return "解除予定"
        case .status: return "状態"
        case .clerk: return "受付者"
        }
    }

    /// The table's columns; on a wide terminal the name, status and clerk take the room (issue 11, item 8).
    static let pendingColumns: [TableColumn] = [
        TableColumn(title: "番号", width: 9), TableColumn(title: "氏名", width: 12, grow: 3, limit: 24),
        TableColumn(title: "区分", width: 4), TableColumn(title: "状態", width: 16, grow: 2, limit: 26),
        TableColumn(title: "受付者", width: 10, grow: 1, limit: 14), TableColumn(title: "解除予定", width: 10),
        TableColumn(title: "注意", width: 8, grow: 1),
    ]

    /// On the city's desk, an office column first (its name).
    static let cityPendingColumns: [TableColumn] = [TableColumn(title: "事務所", width: 8, grow: 2, limit: 20)] + pendingColumns

    /// 未完了一覧　12件　絞り込み：…
    func pendingHeading(_ list: PendingList) -> String {
        let f = pending.filter
        // The filters as the printed page names them, with the clerk's name instead of the id.
        var filters = f.labels.map { label in f.clerk.map { label == "受付 \($0)" ? "受付 \(config.name(of: $0))" : label } ?? label }
        if let city {
            if let code = pending.office { filters.insert("事務所 \(city.offices.first { $0.office == code }?.name ?? code)", at: 0) }
            let broken = city.offices.filter { $0.problem != nil && (pending.office ?? $0.office) == $0.office }.count
            let heading = "市の未完了一覧　\(list.rows.count)件　絞り込み：\(filters.isEmpty ? "なし" : filters.joined(separator: "・"))"
            return broken > 0 ? heading + "　読めない事務所 \(broken)" : heading
        }
        return "未完了一覧　\(list.rows.count)件　絞り込み：\(filters.isEmpty ? "なし" : filters.joined(separator: "・"))"
    }

    /// 状態ごと：登録待ち 3／…
    func pendingCounts(_ list: PendingList) -> String {
        let counts = CaseStatus.allCases.compactMap { s in list.countsByStatus[s.rawValue].map { "\(s.label) \($0)" } }.joined(separator: "／")
        return "状態ごと：" + (counts.isEmpty ? "なし" : counts)
    }

    func renderPending(_ c: inout Canvas, top: Int, bottom: Int) {
        let list = pendingList
        let sortText = "並び：\(Self.sortLabel(pending.sort))\(pending.descending ? "↓" : "↑")"
        let sortX = width - DisplayWidth.of(sortText) - 1
        // Heading and counts cut with … when too long; F1 on this screen repeats both whole.
        c.put(DisplayWidth.truncate(pendingHeading(list), to: sortX - 2), x: 1, y: top, style: .heading)
        c.put(sortText, x: sortX, y: top, style: .dim)
        c.put(DisplayWidth.truncate(pendingCounts(list), to: width - 2), x: 1, y: top + 1)

        let columns = city == nil ? Self.pendingColumns : Self.cityPendingColumns
        let widths = TableLayout.widths(columns, room: textColumns)
        var x = 1
        c.fill(y: top + 2, style: .heading)
        for (col, w) in zip(columns, widths) {
            guard let w else { continue }
            c.put(col.title, x: x, y: top + 2, style: .heading)
            x += w + 1
        }
        let tableTop = top + 3
        let brokenLines = pendingBrokenLines
        for (i, line) in brokenLines.enumerated() {
            c.put(DisplayWidth.truncate(line, to: width - 2), x: 1, y: tableTop + i, style: .error)
        }
        let rowsTop = tableTop + brokenLines.count
        let rowsShown = pendingRowsShown
        if list.rows.isEmpty {
            c.put("該当する案件はありません。", x: 2, y: rowsTop, style: .dim)
        }
        let matchedRows = pending.search.flatMap { s in
            CaseSearch.key(s.query).isEmpty ? nil : Set(matchingRows(pendingRowCases(), query: s.query))
        }
        for (i, k) in list.rows.indices.dropFirst(pending.scroll).prefix(rowsShown).enumerated() {
            let r = list.rows[k]
            let y = rowsTop + i
            let style: Style = k == pending.selected ? .selected
                : (matchedRows?.contains(k) == true ? Self.searchMatchStyle : (r.overdue || r.persistentHold ? .warning : .normal))
            if k == pending.selected { c.fill(y: y, style: style) }
            var flags: [String] = []
            if r.overdue { flags.append("超過") }
            if r.persistentHold { flags.append("保留継続") } else if r.held { flags.append("保留") }
            let expected = r.expectedCancellationShort
            let cells = (city == nil ? [] : [r.officeName ?? r.office ?? ""]) + [r.number, r.name, r.branch == Branch.insured.rawValue ? "併用" : "単独", r.statusLabel,
                         config.name(of: r.clerk), expected, flags.joined(separator: "・")]
            var cx = 1
            // A cell cut with … is read whole on the case screen (Enter).
            for (w, text) in zip(widths, cells) {
                guard let w else { continue }
                c.put(DisplayWidth.truncate(text, to: w), x: cx, y: y, style: style)
                cx += w + 1
            }
        }
        // Bar chart: cases by month of application, one row a month (the last few), split by status.
        let chartTop = tableTop + pendingTableRows + 1
        guard chartTop < bottom else { return }
        c.put("申請の月ごと（█ 進行中　▒ 保留・超過　░ 終了）", x: 1, y: chartTop, style: .heading)
        let months = list.byMonth.suffix(max(0, bottom - chartTop - 1))
        let maxCount = months.map { $0.counts.values.reduce(0, +) }.max() ?? 1
        let barWidth = width - 16
        for (i, m) in months.enumerated() {
            let y = chartTop + 1 + i
            let ended = m.counts.filter { key, _ in CaseStatus(rawValue: key).map { !$0.isOpen } ?? false }.values.reduce(0, +)
            // A held case past its date is one case, not two: the bar never outgrows the row and
            // its count stays on screen.
            let troubled = min(max(0, m.counts.values.reduce(0, +) - ended), (m.counts[CaseStatus.held.rawValue] ?? 0)
                + list.rows.filter { $0.overdue && $0.applicationDate.hasPrefix(m.month) }.count)
            let total = m.counts.values.reduce(0, +)
            let scale = { (n: Int) in n * barWidth / max(1, maxCount) }
            let bar = String(repeating: "█", count: scale(max(0, total - ended - troubled)))
                + String(repeating: "▒", count: scale(troubled)) + String(repeating: "░", count: scale(ended))
            // 和暦 like the rest of the desk (R8.11, not 2026-11: issue 11).
            c.put(YearMonth(iso: m.month).map(Wareki.formatShort) ?? m.month, x: 1, y: y, style: .dim)
            let end = c.put(bar.isEmpty ? "▏" : bar, x: 9, y: y)
            c.put(" \(total)", x: end, y: y)
        }
    }
}
