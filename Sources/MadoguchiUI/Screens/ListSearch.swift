import MadoguchiCore

/// `/` on the case list and the pending list (検索, issue 11), as in less and tig: a search line at
/// the bottom; each key typed moves the selection to the first match (case number, 氏名, フリガナ,
/// 受給者番号; see `CaseSearch`) and says 「3件中1件目」; Enter keeps the position and closes the line;
/// n / N then go to the next / previous match; Esc clears the search.
public struct ListSearch: Equatable, Sendable {
    /// Longer than any name, フリガナ or number; a 10 KB paste is cut here (it made every frame slow).
    public static let maximumQueryLength = 64
    public var query = ""
    public var cursor = 0
    /// The search line is open (typing goes into it).
    public var editing = true
    /// The row selected when the search opened: where Esc while typing goes back to.
    public var origin: Int

    public init(origin: Int) { self.origin = origin }
}

extension DeskState {
    /// Matching rows are marked so that the clerk sees all of them, not only the selected one.
    static let searchMatchStyle = Style(bold: true, underline: true)

    /// Whether the case at `cases[index]` matches the query (cached per cases version and query).
    func searchMatched(_ query: String) -> [Bool] {
        listCache.searchMatched(cases, version: casesVersion, query: query)
    }

    /// The search of the screen in front, if it has one.
    var activeSearch: ListSearch? {
        switch screen {
        case .caseList: return list.search
        case .pending: return pending.search
        default: return nil
        }
    }

    /// The rows (display order) of the current list that match, given the case index of each row.
    func matchingRows(_ rowCases: [Int], query: String) -> [Int] {
        let matched = searchMatched(query)
        return rowCases.indices.filter { rowCases[$0] >= 0 && matched[rowCases[$0]] }
    }

    /// For each row of the pending list as shown, the index of its case in `cases`.
    func pendingRowCases() -> [Int] {
        if let city { return cityRowCases(city) }
        let byNumber = listCache.caseIndex(cases, version: casesVersion)
        return pendingList.rows.map { byNumber[$0.number] ?? -1 }
    }

    func rowCases(_ onPending: Bool) -> [Int] { onPending ? pendingRowCases() : sortedOrder }

    /// The search keys of the case list (`onPending` false) or the pending list. True when the key
    /// was the search's.
    mutating func searchKey(_ command: Command, onPending: Bool) -> Bool {
        let me = self
        var search = onPending ? pending.search : list.search
        var selected = onPending ? pending.selected : list.selected
        var line = status
        let handled = Self.updateSearch(&search, selected: &selected,
                                        rowCases: { onPending ? me.pendingRowCases() : me.sortedOrder },
                                        matching: { me.matchingRows($0, query: $1) }, status: &line, command)
        status = line
        // R-SG-4: a search is recorded once, when its line closes (Enter, Esc or another key) with
        // something typed — never per key typed — with the cases it matched.
        if var was = onPending ? pending.search : list.search, was.editing, search?.editing != true,
           !CaseSearch.key(was.query).isEmpty {
            was.query = String(was.query.prefix(ListSearch.maximumQueryLength))
            let rows = matchingRows(rowCases(onPending), query: was.query)
            let order = rowCases(onPending)
            // On the city's desk each case as `office/case` (numbers repeat from office to office),
            // as the city's list is recorded (`AccessEvent.cityPendingList`).
            let name: (Int) -> String = { i in
                guard let city = me.city, i < city.caseOffices.count else { return me.cases[i].number }
                return "\(city.caseOffices[i])/\(me.cases[i].number)"
            }
            noteAccess(AccessEvent(.searched, via: city != nil ? "desk --city /" : onPending ? "desk F8 /" : "desk /",
                                   cases: rows.map { name(order[$0]) }, query: was.query))
        }
        // The index is built (once per change of the cases: about 80 ms at 25,000 cases in a release
        // build) when the line opens, so that the keys typed next take only the scan.
        if handled, command == .insert("/"), search?.query.isEmpty == true { _ = searchMatched("") }
        if onPending {
            pending.search = search
            pending.selected = selected
        } else {
            list.search = search
            list.selected = selected
        }
        return handled
    }

    /// Keys while a search exists on a list. Returns true when the key was the search's; false lets
    /// the list handle it (the search stays, and its matches stay marked).
    /// - Parameters:
    ///   - rowCases: for each row of the list as shown, the index of its case in `cases` (-1: none).
    static func updateSearch(_ search: inout ListSearch?, selected: inout Int, rowCases: () -> [Int],
                             matching: ([Int], String) -> [Int], status: inout StatusLine?, _ command: Command) -> Bool {
        guard var s = search else {
            if command == .insert("/") {
                search = ListSearch(origin: selected)
                status = nil
                return true
            }
            if command == .insert("n") || command == .insert("N") {
                status = StatusLine("検索していません。/ で検索します（番号・氏名・フリガナ・受給者番号）。")
                return true
            }
            return false
        }
        func jump(_ step: Int) {
            let rows = matching(rowCases(), s.query)
            guard !rows.isEmpty else { status = StatusLine("該当なし：\(s.query)", .error); return }
            let target: Int
            var wrapped = false
            if step > 0 {
                if let next = rows.first(where: { $0 > selected }) { target = next } else { target = rows[0]; wrapped = true }
            } else {
                if let prev = rows.last(where: { $0 < selected }) { target = prev } else { target = rows[rows.count - 1]; wrapped = true }
            }
            selected = target
            if !s.editing {
                let at = rows.firstIndex(of: target)! + 1
                status = StatusLine("「\(s.query)」\(rows.count)件中\(at)件目" + (wrapped ? (step > 0 ? "（最後から先頭に戻りました）" : "（先頭から最後に戻りました）") : ""))
            }
        }
        if s.editing {
            switch command {
            case .back:
                selected = s.origin
                search = nil
                return true
            case .activate:
                s.editing = false
                search = CaseSearch.key(s.query).isEmpty ? nil : s
                return true
            case .down, .next: jump(1); search = s; return true
            case .up, .previous: jump(-1); search = s; return true
            case .backspace where s.query.isEmpty:
                selected = s.origin
                search = nil
                return true
            default:
                guard let (text, cursor) = LineEditor.apply(command, to: s.query, cursor: s.cursor) else {
                    // Any other key (an F-key, PgDn…) closes the line, keeps the search and acts.
                    s.editing = false
                    search = CaseSearch.key(s.query).isEmpty ? nil : s
                    return false
                }
                // A paste longer than any name or number is cut to what a search can use; the line says so.
                let capped = text.count > ListSearch.maximumQueryLength
                let kept = capped ? String(text.prefix(ListSearch.maximumQueryLength)) : text
                let changed = kept != s.query
                s.query = kept
                s.cursor = min(cursor, kept.count)
                if capped { status = StatusLine("検索の文字は\(ListSearch.maximumQueryLength)文字までです（それより後は入れていません）", .error) }
                if changed, let first = matching(rowCases(), text).first { selected = first }
                search = s
                return true
            }
        }
        switch command {
        case .insert("n"): jump(1)
        case .insert("N"): jump(-1)
        case .back:
            search = nil
            status = StatusLine("検索を解除しました。")
        case .insert("/"):
            search = ListSearch(origin: selected)
            status = nil
            return true
        default: return false
        }
        if search != nil { search = s }
        return true
    }

    /// The search line (bottom, above the keys): what is typed, and how many rows match.
    func renderSearchLine(_ c: inout Canvas, _ s: ListSearch, rowCases: [Int], selected: Int) {
        let y = statusRow   // the status line's row, above the key help (one or two rows)
        let rows = CaseSearch.key(s.query).isEmpty ? [] : matchingRows(rowCases, query: s.query)
        c.fill(y: y, style: .normal)
        if s.editing {
            // A query wider than its room shows its end, marked …, never cut silently (issue 11).
            var shownQuery = s.query
            let room = width - 24
            if DisplayWidth.of("/" + shownQuery) > room {
                // The end that fits after "/…", found in one pass from the end.
                var tail: [Character] = []
                var used = DisplayWidth.of("/…")
                for ch in shownQuery.reversed() {
                    let w = DisplayWidth.drawn(ch)
                    if used + w > room { break }
                    used += w
                    tail.append(ch)
                }
                shownQuery = "…" + String(tail.reversed())
            }
            let end = c.put("/" + shownQuery, x: 1, y: y, style: .heading)
            let prefix = String(s.query.prefix(s.cursor))
            c.cursor = (min(end, 2 + DisplayWidth.of(prefix)), y)
            var info: String
            var style = Style.dim
            if CaseSearch.key(s.query).isEmpty {
                info = "番号・氏名・フリガナ・受給者番号"
            } else if rows.isEmpty {
                info = "該当なし：\(s.query)"
                style = .error
            } else {
                info = rows.firstIndex(of: selected).map { "\(rows.count)件中\($0 + 1)件目" } ?? "\(rows.count)件"
            }
            if s.query.count >= ListSearch.maximumQueryLength { info = "\(ListSearch.maximumQueryLength)文字まで　" + info }
            let shown = DisplayWidth.truncate(info, to: max(0, width - end - 3))
            c.put(shown, x: max(end + 2, width - DisplayWidth.of(shown) - 1), y: y, style: style)
        } else {
            let info = rows.isEmpty ? "該当なし：\(s.query)"
                : (rows.firstIndex(of: selected).map { "\(rows.count)件中\($0 + 1)件目" } ?? "\(rows.count)件")
            c.put(DisplayWidth.truncate("検索「\(s.query)」\(info)　n 次・N 前・Esc 解除", to: width - 2), x: 1, y: y,
                  style: rows.isEmpty ? .error : .dim)
        }
    }
}

extension CaseListCache {
    /// The search index is built once per cases version; the last query's answer is kept, so that
    /// drawing and moving do not search again.
    func searchMatched(_ cases: [CaseRecord], version: UInt64, query: String) -> [Bool] {
        lock.lock()
        defer { lock.unlock() }
        if searchIndex?.version != version {
            searchIndex = (version, CaseSearch(cases))
            lastSearch = nil
        }
        if let last = lastSearch, last.version == version, last.query == query { return last.matched }
        var matched = [Bool](repeating: false, count: cases.count)
        for i in searchIndex!.index.matches(query) { matched[i] = true }
        lastSearch = (version, query, matched)
        return matched
    }

    /// Case number → index into `cases`, for lists whose rows are not `CaseRecord`s (the pending list).
    func caseIndex(_ cases: [CaseRecord], version: UInt64) -> [String: Int] {
        lock.lock()
        defer { lock.unlock() }
        if let m = numberIndex, m.version == version { return m.byNumber }
        var byNumber: [String: Int] = [:]
        byNumber.reserveCapacity(cases.count)
        for (i, c) in cases.enumerated() { byNumber[c.number] = i }
        numberIndex = (version, byNumber)
        return byNumber
    }
}
