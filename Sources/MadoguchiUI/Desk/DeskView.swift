import MadoguchiCore

extension DeskState {
    /// Draws the whole desk. Pure: the same state always gives the same canvas.
    public func render() -> Canvas {
        var c = Canvas(width: width, height: height)
        if isTooSmall {
            renderTooSmall(&c)
            return c
        }
        renderTitleBar(&c)
        let top = 1
        let bottom = statusRow
        switch screen {
        case .caseList: renderCaseList(&c, top: top, bottom: bottom)
        case .caseDetail(let n): renderCaseDetail(&c, number: n, top: top, bottom: bottom)
        case .intake: renderIntake(&c, top: top, bottom: bottom)
        case .help: renderHelp(&c, top: top, bottom: bottom)
        case .report: renderReport(&c, top: top, bottom: bottom)
        case .pending: renderPending(&c, top: top, bottom: bottom)
        case .reminders: renderReminders(&c, top: top, bottom: bottom)
        case .training: renderTraining(&c, top: top, bottom: bottom)
        case .correction(let n): renderCorrection(&c, number: n, top: top, bottom: bottom)
        }
        // A database out of reach stays said while nothing newer is (issue 15); the city's desk says what it is.
        if let status = status ?? storeOffline.map({ StatusLine($0, .error) }) {
            renderStatus(&c, status)
        } else if city != nil {
            renderStatus(&c, StatusLine(CityDeskData.statusText))
        }
        renderKeyHelp(&c)
        switch dialog {
        case .confirmQuit: renderQuitDialog(&c)
        case .menu(let m): renderMenu(&c, m)
        case .form(let f): renderForm(&c, f)
        case .confirm(let conf): renderConfirm(&c, conf)
        case nil: break
        }
        if case .form = dialog {} else if !isFormScreen || dialog != nil || correction?.confirming == true { c.cursor = nil }
        // `/` 検索: the search line while typing; afterwards while no message is shown.
        if dialog == nil, let s = activeSearch, s.editing || status == nil {
            let onPending = screen == .pending
            renderSearchLine(&c, s, rowCases: onPending ? pendingRowCases() : sortedOrder,
                             selected: onPending ? pending.selected : list.selected)
        }
        return c
    }

    /// The smallest the desk draws in; the message says what is needed and nothing is lost.
    func renderTooSmall(_ c: inout Canvas) {
        let lines = [
            "端末が小さすぎます",
            "いま \(width)×\(height)、\(Self.minimumWidth)×\(Self.minimumHeight) 以上が必要です",
            "ウィンドウを広げてください",
            "（入力中の内容は消えていません）",
            "F10・Ctrl-X で終了",
        ]
        let top = max(0, (height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            let wrapped = DisplayWidth.truncate(l, to: width)
            c.put(wrapped, x: max(0, (width - DisplayWidth.of(wrapped)) / 2), y: top + i, style: i == 0 ? .error : .normal)
        }
        if config.isTraining && height > lines.count + 1 {
            c.put(config.trainingBanner, x: 0, y: 0, style: .training)
        }
    }

    func renderTitleBar(_ c: inout Canvas) {
        c.fill(y: 0, style: .bar)
        let x = c.put(" 窓口 ", x: 0, y: 0, style: Style(bold: true, reverse: true))
        let banner = config.trainingBanner
        let room = width - x - DisplayWidth.of(banner)
        // The date and the training banner always show; when the line is tight the role goes first,
        // then the office name is shortened.
        // A supervisor sees at once that a batch waits for them (R-SG-2, issue 11 item 7).
        let waiting = batchesAwaitingMyApproval.count
        let date = "│ \(Wareki.format(today))" + (waiting > 0 ? " " : "")
        let badge = waiting > 0 ? "承認待ち \(waiting)" : ""
        let fixed = DisplayWidth.of(date + badge)
        let fullOffice = "│ \(config.officeName) "
        var who = "│ \(config.operatorName)（\(config.operatorRole.label)）"
        var office = fullOffice
        func fits(_ o: String, _ w: String) -> Bool { DisplayWidth.of(o + w) + fixed <= room }
        if !fits(office, who) {
            // With the badge, the office name is shortened before the role goes: a supervisor sees who
            // is logged in and what waits for them (the office is known at its own desk).
            let shortest = "│ " + DisplayWidth.truncate(config.officeName, to: 6)
            if !(waiting > 0 && fits(shortest, who)) { who = "│ \(config.operatorName) " }
            // Shortened only as far as the line needs (F1 names the office whole).
            office = DisplayWidth.truncate(fullOffice, to: max(0, room - DisplayWidth.of(who) - fixed))
        }
        let end = c.put(office + who + date, x: x, y: 0, style: .bar)
        if waiting > 0 { c.put(badge, x: end, y: 0, style: Style(fg: .black, bg: .yellow, bold: true, reverse: false)) }
        if config.isTraining { c.put(banner, x: width - DisplayWidth.of(banner), y: 0, style: .training) }
    }

    /// The keys that work on a screen, as the footer shows them and the help screen lists them
    /// (issue 11, item 6: every key of the screen is named; F11 only on a training office).
    func keyItems(for screen: Screen) -> [(key: String, label: String)] {
        switch screen {
        case .caseList:
            var items: [(key: String, label: String)] = [
                ("↑↓", "選ぶ"), ("Enter", "開く"), ("F1", "ヘルプ"), ("F2", intake == nil ? "新規受付" : "受付再開"),
                ("F3", batchesAwaitingMyApproval.isEmpty ? "一括登録" : "承認"), ("F4", "取込"), ("F5", "再読込"), ("F6", "並替"),
                ("F7", "記録"), ("F8", "未完了"), ("F9", "要対応"),
            ]
            if intake != nil { items.append((String(Self.discardKey), "入力中を破棄")) }
            items.append(("/", "検索"))
            if config.isTraining { items.append(("F11", "研修")) }
            items.append(("F10", "終了"))
            return items
        case .caseDetail:
            let receipt: [(key: String, label: String)] = screen == .caseDetail(receiptOffer ?? "") ? [(String(Self.receiptKey).uppercased(), "受付控え")] : []
            return [("F1/^G", "ヘルプ"), ("Esc", "戻る"), ("F7/^T", "記録")] + receipt
                + [("↑↓PgUp/Dn", "スクロール"), ("F5", "再読込"), ("F10/^X", "終了")]
        case .report:
            return [("Esc", reportReturn == .caseList ? "一覧へ" : "戻る"), ("↑↓PgUp/Dn", "スクロール")]
                + (openOffers.isEmpty ? [] : [("F7/^T", "再登録を記録")]) + [("F10/^X", "終了")]
        case .reminders:
            return [("↑↓", "選ぶ"), ("Enter", "済みにする"), ("F1", "ヘルプ"),
                    ("Esc", remindersReturn == .caseList ? "一覧へ" : "戻る"), ("F10/^X", "終了")]
        case .pending where city != nil:
            return cityKeyItems
        case .pending:
            return [("↑↓", "選ぶ"), ("Enter", "開く"), ("o", "超過"), ("h", "保留"), ("b", "区分"), ("c", "受付者"), ("m", "月"),
                    ("s", "状態"), ("a", "終了分"), ("x", "解除"), ("F6", "並替"), ("e", "CSV"), ("p", "印刷"), ("/", "検索"),
                    ("F1", "ヘルプ"), ("F5", "再読込"), ("F9", "要対応"), ("Esc", "戻る"), ("F10", "終了")]
        case .intake:
            if let s = intake, config.form.pages[s.page].isReview {
                return [("F1/^G", "ヘルプ"), ("F2/^S", "保存"), ("Esc", "戻る"), ("↑↓", "スクロール"), ("F10/^X", "終了")]
            }
            return [("F1/^G", "ヘルプ"), ("Tab", "次"), ("Esc", "戻る"), ("PgUp/Dn", "前・次頁"), ("F2/^S", "保存"), ("F10/^X", "終了")]
        case .help:
            return [("↑↓PgUp/Dn", "スクロール"), ("Esc", "戻る"), ("F10/^X", "終了")]
        case .correction:
            return correctionKeyHelp.map { (key: $0.0, label: $0.1) }
        case .training:
            return [("↑↓", "選ぶ"), ("PgUp/Dn", "スクロール"), ("F2", "受付"), ("d", "日付"), ("i", "受信取込"), ("g", "採点"),
                    ("s", "職員切替"), ("Esc", "一覧"), ("F10", "終了")]
        }
    }

    /// The footer's rows: every key of the screen, over two rows (as nano) when one is too narrow,
    /// three while a search adds its keys at 80 columns.
    /// While a list's search exists its keys come first (issue 11, item 4).
    func keyHelpRows() -> [[(key: String, label: String)]] {
        var items = keyItems(for: screen)
        if let s = activeSearch {
            items = s.editing ? [("Enter", "決定"), ("↑↓", "前・次の一致"), ("Esc", "検索をやめる")]
                : [("n", "次の一致"), ("N", "前の一致"), ("Esc", "検索解除"), ("/", "新しく検索")] + items.filter { $0.key != "/" }
        }
        var rows: [[(key: String, label: String)]] = [[]]
        var x = 0
        for item in items {
            let w = DisplayWidth.of(item.key) + 1 + DisplayWidth.of(item.label) + 2
            if x + w - 2 > width && !rows[rows.count - 1].isEmpty {
                rows.append([])
                x = 0
            }
            rows[rows.count - 1].append(item)
            x += w
        }
        return rows
    }

    /// The row of the status line; the screen's content ends above it.
    var statusRow: Int { height - 1 - max(1, min(3, keyHelpRows().count)) }

    /// The bottom rows, like nano and mc: the keys that work here.
    func renderKeyHelp(_ c: inout Canvas) {
        let rows = keyHelpRows().prefix(3)
        for (i, items) in rows.enumerated() {
            let y = height - rows.count + i
            var x = 0
            for (k, label) in items {
                guard x + DisplayWidth.of(k) + DisplayWidth.of(label) + 1 <= width else { break }
                x = c.put(k, x: x, y: y, style: .bar)
                x = c.put(" \(label)  ", x: x, y: y)
            }
        }
    }

    /// What just happened, whole: a message wider than the screen takes up to three rows above the
    /// footer; a longer one ends in … and F1 shows it in full (issue 11: the screen never lies).
    func renderStatus(_ c: inout Canvas, _ status: StatusLine) {
        let style: Style = status.kind == .error ? .error : status.kind == .success ? .success : .normal
        let more = "（F1 で全文）"
        var (rows, cut) = TextWrap.clipped(status.text, width: textColumns, indent: 2, maxRows: 3)
        if cut {
            // Room for the pointer to the whole text: the … stays, the row gets shorter.
            var last = String(rows[rows.count - 1].dropLast())
            while !last.isEmpty && DisplayWidth.of(last) + 1 + DisplayWidth.of(more) > textColumns { last.removeLast() }
            rows[rows.count - 1] = last + "…" + more
        }
        let y0 = statusRow - rows.count + 1
        for (i, row) in rows.enumerated() {
            c.fill(y: y0 + i, style: .normal)
            c.put(row, x: 1, y: y0 + i, style: style)
        }
    }

    func renderQuitDialog(_ c: inout Canvas) {
        let lines = ["入力中の申請は保存されていません。", "終了すると入力した内容は失われます。", "終了しますか？  y：終了する　n：戻る"]
        let w = (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 4
        let x0 = max(0, (width - w) / 2)
        let y0 = max(0, (height - lines.count - 2) / 2)
        c.box(x: x0, y: y0, width: w, rows: lines.count + 2, style: .bar)
        for (i, l) in lines.enumerated() { c.put(l, x: x0 + 2, y: y0 + 1 + i, style: i == 2 ? Style(bold: true, reverse: true) : .bar) }
    }
}
