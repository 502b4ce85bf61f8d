import MadoguchiCore

/// 今日の要対応 in full (issue 4): every reminder grouped by kind; Enter marks the selected one done
/// (journaled, with an optional note), Esc returns to the list.
extension DeskState {
    mutating func updateReminders(_ command: Command) -> [DeskEffect] {
        switch command {
        case .back: screen = remindersReturn
        case .up: reminderSelected = max(0, reminderSelected - 1)
        case .down: reminderSelected = min(max(0, reminders.count - 1), reminderSelected + 1)
        case .activate:
            guard reminders.indices.contains(reminderSelected) else { break }
            let r = reminders[reminderSelected]
            // A sign-off reminder goes away by deciding or re-preparing the batch, not by a mark.
            switch r.kind {
            case .batchAwaitingApproval:
                // That batch's approval (the reminder is only a supervisor's who did not prepare it).
                let id = String(r.id.dropFirst(Reminder.Kind.batchAwaitingApproval.rawValue.count + 1))
                if batchesAwaitingMyApproval.contains(where: { $0.id == id }) {
                    dialog = .form(form(for: .signOff(batchID: id)))
                } else {
                    status = StatusLine("一括登録 \(id) はもう承認待ちではありません。")
                }
                return []
            case .batchReturned:
                status = StatusLine("差し戻された案件を直してから、一覧で F3 を押して準備し直してください（R-SG-2）。")
                return []
            default: break
            }
            var f = form(for: .reminderDone(id: r.id))
            f.title = "済みにする：\(r.caseNumber.map { "\($0) " } ?? "")\(r.message)"
            dialog = .form(f)
        default: break
        }
        return []
    }

    func renderReminders(_ c: inout Canvas, top: Int, bottom: Int) {
        c.put(DisplayWidth.truncate("今日の要対応 \(reminders.count)件（\(Wareki.format(today))）　Enter で済みにする", to: width - 2), x: 1, y: top, style: .heading)
        if reminders.isEmpty {
            c.put("いま要対応はありません。", x: 2, y: top + 2, style: .dim)
            return
        }
        // Every reminder whole, wrapped over as many rows as it needs (issue 11: nothing cut). Only
        // the reminders that can reach the screen are wrapped: a screen's height of them on each side
        // of the selected one (issue 14: wrapping thousands of reminders took 1.7 s at 25,000 cases).
        let height = bottom - top - 1
        let around = min(max(0, reminderSelected), reminders.count - 1)
        let lo = max(0, around - height), hi = min(reminders.count, around + height + 1)
        var lines: [(text: String, style: Style, index: Int?)] = []
        var lastKind: Reminder.Kind? = lo > 0 ? reminders[lo - 1].kind : nil
        for i in lo..<hi {
            let r = reminders[i]
            if r.kind != lastKind {
                lines.append(("■ \(r.kind.heading)", .heading, nil))
                lastKind = r.kind
            }
            let who = r.caseNumber.map { "\($0) \(r.name ?? "")：" } ?? ""
            for row in TextWrap.rows("  \(who)\(r.message)", width: textColumns, indent: 4) {
                lines.append((row, .normal, i))
            }
        }
        let first = lines.firstIndex { $0.index == reminderSelected } ?? 0
        let last = lines.lastIndex { $0.index == reminderSelected } ?? 0
        // The selected reminder in view, whole when it fits, centred when there is room.
        var offset = max(0, min(first - height / 2, lines.count - height))
        if last >= offset + height { offset = last - height + 1 }
        if first < offset { offset = first }
        for (row, line) in lines.dropFirst(offset).prefix(height).enumerated() {
            let y = top + 1 + row
            let selected = line.index == reminderSelected
            if selected { c.fill(y: y, from: 0, to: width - 2, style: .selected) }
            c.put(line.text, x: 1, y: y, style: selected ? .selected : line.style)
        }
        // Reminders left out before or after the window are rows above or below the screen.
        if offset > 0 || lo > 0 { c.put("↑", x: width - 2, y: top + 1, style: .warning) }
        if lines.count - offset > height || hi < reminders.count { c.put("↓", x: width - 2, y: bottom - 1, style: .warning) }
    }
}
