import MadoguchiCore

/// Where the cursor can be on an intake page.
public enum FocusTarget: Hashable, Sendable {
    case field(String)
    /// A cell of the paper-ticket table: column 0 kind, 1 institution, 2 month.
    case ticket(row: Int, column: Int)
}

/// The application being typed, page by page (the 別添2 form, R-IN-1..5).
public struct IntakeState: Equatable, Sendable {
    public var values: IntakeValues
    public var page = 0
    public var focus = 0
    /// Insertion point in the focused text, in characters.
    public var cursor = 0
    /// Problems found when the clerk left a field, by field id; cleared when the field is edited.
    public var problems: [String: String] = [:]
    public var reviewScroll = 0
    /// A save was asked for and its answer has not come back yet.
    public var saving = false
    /// Anything typed since the form opened.
    public var dirty = false

    public static let maxTicketRows = 12
    static let ticketKinds = PaperTicket.Kind.allCases.map(\.rawValue)

    public init(form: FormDefinition, today: LocalDate) {
        values = IntakeForm.initialValues(form, today: today)
    }
}

// MARK: - Focus

extension IntakeState {
    func targets(_ form: FormDefinition) -> [FocusTarget] {
        guard page < form.pages.count else { return [] }
        var out: [FocusTarget] = []
        for f in form.pages[page].fields where f.kind != .info && IntakeForm.isVisible(f, in: form, values: values) {
            if f.kind == .tickets {
                for r in values.tickets.indices { for c in 0..<3 { out.append(.ticket(row: r, column: c)) } }
            } else {
                out.append(.field(f.id))
            }
        }
        return out
    }

    func focused(_ form: FormDefinition) -> FocusTarget? {
        let t = targets(form)
        return t.isEmpty ? nil : t[min(focus, t.count - 1)]
    }

    func focusedField(_ form: FormDefinition) -> FormField? {
        switch focused(form) {
        case .field(let id): return form.field(id)
        case .ticket: return form.field(IntakeFieldID.tickets)
        case nil: return nil
        }
    }

    /// The text under the cursor, when the focus is on something typed.
    func text(at target: FocusTarget, _ form: FormDefinition) -> String? {
        switch target {
        case .field(let id):
            return form.field(id)?.kind == .text ? values[id] : nil
        case .ticket(let row, let column):
            guard row < values.tickets.count else { return nil }
            return column == 1 ? values.tickets[row].institution : column == 2 ? values.tickets[row].month : nil
        }
    }

    mutating func setText(_ s: String, at target: FocusTarget) {
        switch target {
        case .field(let id): values[id] = s
        case .ticket(let row, let column):
            if column == 1 { values.tickets[row].institution = s } else if column == 2 { values.tickets[row].month = s }
        }
        dirty = true
    }

    /// Moves the focus, checking the field that is left (its problem shows until it is edited).
    mutating func moveFocus(to index: Int, _ form: FormDefinition, context: ValidationContext) {
        if let left = focused(form) { checkLeaving(left, form, context: context) }
        let count = targets(form).count
        focus = max(0, min(index, count - 1))
        cursor = focused(form).flatMap { text(at: $0, form) }?.count ?? 0
    }

    mutating func checkLeaving(_ target: FocusTarget, _ form: FormDefinition, context: ValidationContext) {
        if case .ticket(let row, 2) = target, row < values.tickets.count,
           case .success(let iso) = Validators.named("month")!.validate(values.tickets[row].month, context),
           let month = YearMonth(iso: iso) {
            values.tickets[row].month = Wareki.format(month)   // R8.12 → 令和8年12月
        }
        guard case .field(let id) = target, let f = form.field(id) else { return }
        let raw = values[id]
        // An empty required field is not an error while passing through; saving says so.
        if raw.trimmingCharacters(in: .whitespaces).isEmpty { problems[id] = nil; return }
        problems[id] = IntakeForm.problem(for: f, raw: raw, context: context)?.message
        // A good value is shown as it will be kept (ﾔﾏﾀﾞ → ヤマダ, 東京 → 東京都, S45.1.2 → 昭和45年1月2日).
        if problems[id] == nil, f.kind == .text, let v = f.validator.flatMap(Validators.named),
           case .success(let normalized) = v.validate(raw, context) {
            values[id] = v.display(normalized)
        }
    }

    mutating func goToPage(_ p: Int, _ form: FormDefinition, context: ValidationContext, focusLast: Bool = false) {
        if let left = focused(form) { checkLeaving(left, form, context: context) }
        page = max(0, min(p, form.pages.count - 1))
        reviewScroll = 0
        let count = targets(form).count
        focus = focusLast ? max(0, count - 1) : 0
        cursor = focused(form).flatMap { text(at: $0, form) }?.count ?? 0
    }

    /// Puts the cursor on a field (from a problem on the review page or a refused save).
    mutating func jump(toField id: String, _ form: FormDefinition) {
        guard let p = form.pageIndex(ofField: id) else { return }
        page = p
        reviewScroll = 0
        let t = targets(form)
        focus = t.firstIndex { target in
            switch target {
            case .field(let f): return f == id
            case .ticket: return id == IntakeFieldID.tickets
            }
        } ?? 0
        cursor = focused(form).flatMap { text(at: $0, form) }?.count ?? 0
    }

    /// Keeps exactly one blank row at the end of the ticket table, for the next ticket.
    mutating func tidyTickets() {
        if values.tickets.isEmpty || !(values.tickets.last!.isBlank && values.tickets.last!.kind.isEmpty) {
            if values.tickets.count < Self.maxTicketRows { values.tickets.append(TicketDraft()) }
        }
    }
}

// MARK: - Update

extension DeskState {
    mutating func updateIntake(_ command: Command) -> [DeskEffect] {
        guard var s = intake else { return [] }
        defer { intake = s }
        let form = config.form
        let ctx = validationContext
        if s.saving { return [] }   // nothing moves while the journal is being written
        let page = form.pages[s.page]

        if page.isReview {
            switch command {
            case .primary, .activate:
                return submit(&s)
            case .back, .previousPage:
                s.goToPage(s.page - 1, form, context: ctx, focusLast: true)
            case .up: s.reviewScroll = max(0, s.reviewScroll - 1)
            case .down: s.reviewScroll = min(s.reviewScroll + 1, reviewScrollLimit(s))
            case .nextPage: s.reviewScroll = min(s.reviewScroll + 10, reviewScrollLimit(s))
            case .home: s.reviewScroll = 0
            default: break
            }
            return []
        }

        switch command {
        case .primary:
            return submit(&s)
        case .back:
            if s.page == 0 {
                if let t = s.focused(form) { s.checkLeaving(t, form, context: ctx) }
                screen = .caseList
                status = s.dirty ? StatusLine("入力途中の申請を残しました。F2（Ctrl-S）で続きから再開できます。") : nil
            } else {
                s.goToPage(s.page - 1, form, context: ctx)
            }
        default:
            stepOrEdit(&s, command)
        }
        return []
    }

    /// The keys of a page of the form other than saving and leaving: move between fields and pages,
    /// or edit the focused field (shared by the intake and the correction, R-AM-1).
    func stepOrEdit(_ s: inout IntakeState, _ command: Command) {
        let form = config.form
        let ctx = validationContext
        let targets = s.targets(form)
        let target = s.focused(form)
        let lastIndex = targets.count - 1
        switch command {
        case .previousPage:
            if s.page > 0 { s.goToPage(s.page - 1, form, context: ctx) }
        case .nextPage:
            s.goToPage(s.page + 1, form, context: ctx)
        case .next, .down:
            if s.focus < lastIndex { s.moveFocus(to: s.focus + 1, form, context: ctx) }
            else if command == .next { s.goToPage(s.page + 1, form, context: ctx) }
        case .previous, .up:
            if s.focus > 0 { s.moveFocus(to: s.focus - 1, form, context: ctx) }
            else if command == .previous && s.page > 0 { s.goToPage(s.page - 1, form, context: ctx, focusLast: true) }
        case .activate:
            if s.focus < lastIndex { s.moveFocus(to: s.focus + 1, form, context: ctx) } else { s.goToPage(s.page + 1, form, context: ctx) }
        default:
            guard let target else { break }
            edit(&s, target, command, form)
        }
    }

    func reviewScrollLimit(_ s: IntakeState) -> Int {
        max(0, reviewLines(s).count - (height - 5))
    }

    /// Applies an editing command to the focused field.
    func edit(_ s: inout IntakeState, _ target: FocusTarget, _ command: Command, _ form: FormDefinition) {
        if let current = s.text(at: target, form) {
            guard let (new, cursor) = LineEditor.apply(command, to: current, cursor: s.cursor) else { return }
            s.cursor = cursor
            if new != current {
                s.setText(new, at: target)
                if case .field(let id) = target { s.problems[id] = nil }
                if case .ticket = target { s.tidyTickets() }
            }
            return
        }
        switch target {
        case .field(let id):
            guard let f = form.field(id) else { return }
            if f.kind == .check {
                if command == .toggle || command == .insert("x") || command == .insert("X") {
                    s.values[id] = s.values[id] == "1" ? "" : "1"
                    s.dirty = true
                    s.problems[id] = nil
                }
            } else if f.kind == .choice {
                let values = f.options.map(\.value)
                if let v = cycle(values, current: s.values[id], command) {
                    s.values[id] = v
                    s.dirty = true
                    s.problems[id] = nil
                }
            }
        case .ticket(let row, _):
            if let v = cycle(IntakeState.ticketKinds, current: s.values.tickets[row].kind, command) {
                s.values.tickets[row].kind = v
                s.dirty = true
                s.tidyTickets()
            }
        }
    }

    /// Choice keys: ←/→ and Space step through the options; a digit picks one directly.
    private func cycle(_ options: [String], current: String, _ command: Command) -> String? {
        guard !options.isEmpty else { return nil }
        let i = options.firstIndex(of: current)
        switch command {
        case .right, .toggle: return options[i.map { ($0 + 1) % options.count } ?? 0]
        case .left: return options[i.map { ($0 + options.count - 1) % options.count } ?? options.count - 1]
        case .insert(let t):
            if let n = Int(t), (1...options.count).contains(n) { return options[n - 1] }
            return nil
        default: return nil
        }
    }

    /// F2: checks everything; saves only a complete, valid application (R-BR-1, R-IN-3, R-PT-1 …).
    private mutating func submit(_ s: inout IntakeState) -> [DeskEffect] {
        let form = config.form
        let result = IntakeForm.check(form, values: s.values, context: validationContext)
        guard let app = result.application else {
            for p in result.problems where s.problems[p.field] == nil { s.problems[p.field] = p.message }
            if let first = result.problems.first {
                s.jump(toField: first.field, form)
                status = StatusLine("保存できません：\(result.problems.count)件の不備があります。\(first.description)", .error)
            }
            return []
        }
        s.saving = true
        status = StatusLine("保存しています…")
        return [.save(app, tickets: result.tickets)]
    }
}

// MARK: - View

extension DeskState {
    static let labelX = 2
    static let labelWidth = 22
    static var inputX: Int { labelX + labelWidth + 1 }

    func renderIntake(_ c: inout Canvas, top: Int, bottom: Int) {
        guard let s = intake else { return }
        renderFormPage(&c, s, top: top, bottom: bottom)
    }

    /// A page of the intake form (or its review page) for `s`; `banner` replaces the page's help line.
    func renderFormPage(_ c: inout Canvas, _ s: IntakeState, top: Int, bottom: Int, banner: String? = nil) {
        let form = config.form
        let page = form.pages[s.page]

        // Steps: ① 申請者 › ② 代理人・申請書 › …
        var x = 1
        for (i, p) in form.pages.enumerated() {
            let label = "\(i + 1) \(p.title)"
            let style: Style = i == s.page ? .focus : (i < s.page ? .normal : .dim)
            x = c.put(label, x: x, y: top, style: style)
            if i < form.pages.count - 1 { x = c.put(" › ", x: x, y: top, style: .dim) }
        }
        c.put(DisplayWidth.truncate(banner ?? page.help, to: width - 2), x: 1, y: top + 1, style: banner == nil ? .dim : .heading)

        let contentTop = top + 2
        let contentBottom = bottom - 2    // two rows for the focused field's help
        if page.isReview {
            renderReview(&c, s, top: contentTop, bottom: contentBottom + 2)
            return
        }
        let rows = intakeRows(s, form)
        // Scroll so the focused row is visible.
        let height = contentBottom - contentTop
        let focusRow = rows.firstIndex { $0.isFocus } ?? 0
        let offset = max(0, min(focusRow - height / 2, rows.count - height))
        for (i, row) in rows.dropFirst(offset).prefix(height).enumerated() {
            row.draw(&c, contentTop + i)
        }
        if offset > 0 { c.put("↑", x: width - 2, y: contentTop, style: .dim) }
        if rows.count - offset > height { c.put("↓", x: width - 2, y: contentBottom - 1, style: .dim) }

        // The focused field's problem or help, at the bottom.
        if let f = s.focusedField(form) {
            let problem = s.problems[f.id]
            let notes = IntakeForm.notes(values: s.values, today: today).filter { $0.field == f.id }
            var lines: [(String, Style)] = []
            if let problem { lines.append(("✗ \(f.label)：\(problem)", .error)) }
            for n in notes { lines.append(("！ \(n.message)", n.severity == .warning ? .warning : .normal)) }
            if lines.isEmpty { lines.append((f.help, .dim)) }
            var y = contentBottom
            for (text, style) in lines {
                for l in DisplayWidth.wrap(text, columns: width - 2) where y < bottom {
                    c.put(l, x: 1, y: y, style: style)
                    y += 1
                }
            }
        }
    }

    /// One drawable row of a page, so that scrolling is a matter of slicing.
    struct Row {
        var isFocus = false
        var draw: (inout Canvas, Int) -> Void
    }

    func intakeRows(_ s: IntakeState, _ form: FormDefinition) -> [Row] {
        let page = form.pages[s.page]
        let focused = s.focused(form)
        let inputWidth = width - Self.inputX - 2
        var rows: [Row] = []
        for f in page.fields where IntakeForm.isVisible(f, in: form, values: s.values) {
            let isFocus = focused == .field(f.id)
            let marker = isFocus ? ">" : " "
            let problem = s.problems[f.id]
            let labelStyle: Style = problem != nil ? .error : (isFocus ? .heading : .normal)
            let requiredMark = f.required ? "*" : " "
            switch f.kind {
            case .text:
                let value = s.values[f.id]
                let cursor = s.cursor
                let placeholder = f.placeholder
                rows.append(Row(isFocus: isFocus) { c, y in
                    c.put(marker, x: 0, y: y, style: .heading)
                    c.put(DisplayWidth.truncate(f.label, to: Self.labelWidth - 1), x: Self.labelX, y: y, style: labelStyle)
                    c.put(requiredMark, x: Self.labelX + Self.labelWidth - 1, y: y, style: .dim)
                    Self.drawTextBox(&c, value, x: Self.inputX, y: y, width: inputWidth, focused: isFocus, cursor: cursor, placeholder: placeholder)
                })
            case .choice:
                let value = s.values[f.id]
                rows.append(Row(isFocus: isFocus) { c, y in
                    c.put(marker, x: 0, y: y, style: .heading)
                    c.put(DisplayWidth.truncate(f.label, to: Self.labelWidth - 1), x: Self.labelX, y: y, style: labelStyle)
                    c.put(requiredMark, x: Self.labelX + Self.labelWidth - 1, y: y, style: .dim)
                    Self.drawChoice(&c, f.options, selected: value, x: Self.inputX, y: y, width: inputWidth, focused: isFocus)
                })
            case .check:
                let ticked = s.values[f.id] == "1"
                rows.append(Row(isFocus: isFocus) { c, y in
                    c.put(marker, x: 0, y: y, style: .heading)
                    c.put(ticked ? "[x]" : "[ ]", x: Self.labelX, y: y, style: isFocus ? .focus : .normal)
                    c.put(f.label, x: Self.labelX + 4, y: y, style: labelStyle, maxWidth: width - Self.labelX - 5)
                })
            case .info:
                let text = f.source.map { IntakeForm.infoText(source: $0, values: s.values, today: today) } ?? f.text
                rows.append(Row { c, y in c.put("【\(f.label)】", x: Self.labelX, y: y, style: .heading) })
                for line in DisplayWidth.wrap(text, columns: width - Self.labelX - 4) {
                    rows.append(Row { c, y in c.put(line, x: Self.labelX + 2, y: y, style: .dim) })
                }
            case .tickets:
                rows.append(Row { c, y in c.put(f.label, x: Self.labelX, y: y, style: labelStyle) })
                rows.append(Row { c, y in
                    c.put("    種類      医療機関・薬局名                    月分", x: Self.labelX, y: y, style: .dim)
                })
                for (r, t) in s.values.tickets.enumerated() {
                    let fk = focused == .ticket(row: r, column: 0)
                    let fi = focused == .ticket(row: r, column: 1)
                    let fm = focused == .ticket(row: r, column: 2)
                    let kindLabel = PaperTicket.Kind(rawValue: t.kind)?.label ?? "種類"
                    let cursor = s.cursor
                    rows.append(Row(isFocus: fk || fi || fm) { c, y in
                        c.put(fk || fi || fm ? ">" : " ", x: 0, y: y, style: .heading)
                        c.put("\(r + 1)", x: Self.labelX + 1, y: y, style: .dim)
                        c.put("<\(kindLabel)>", x: Self.labelX + 4, y: y, style: fk ? .focus : .normal)
                        Self.drawTextBox(&c, t.institution, x: Self.labelX + 14, y: y, width: 34, focused: fi, cursor: cursor, placeholder: "")
                        Self.drawTextBox(&c, t.month, x: Self.labelX + 50, y: y, width: 18, focused: fm, cursor: cursor, placeholder: r == 0 ? "例 R8.12" : "")
                    })
                }
            }
            if let problem, f.kind != .info {
                // The whole message, over as many rows as it needs: a cut-off reason helps no one.
                for line in DisplayWidth.wrap("✗ \(problem)", columns: width - Self.inputX - 1) {
                    rows.append(Row { c, y in c.put(line, x: Self.inputX, y: y, style: .error) })
                }
            }
        }
        return rows
    }

    /// A one-line text box; the view scrolls so the cursor stays visible.
    static func drawTextBox(_ c: inout Canvas, _ value: String, x: Int, y: Int, width: Int, focused: Bool, cursor: Int, placeholder: String) {
        guard width > 2 else { return }
        let style: Style = focused ? .focus : .input
        c.fill(y: y, from: x, to: x + width, style: style)
        if value.isEmpty && !focused && !placeholder.isEmpty {
            c.put(placeholder, x: x, y: y, style: Style(fg: .cyan, underline: true), maxWidth: width)
            return
        }
        let chars = Array(value)
        let cur = min(cursor, chars.count)
        // Start so that the cursor fits: drop characters from the left while too wide.
        var start = 0
        if focused {
            while DisplayWidth.of(String(chars[start..<cur])) > width - 1 { start += 1 }
        }
        let visible = String(chars[start...])
        c.put(visible, x: x, y: y, style: style, maxWidth: width)
        if focused {
            c.cursor = (x + DisplayWidth.of(String(chars[start..<cur])), y)
        }
    }

    /// Options inline when they fit (`(*) 本人  ( ) 代理人`), else one at a time (`< 資格確認書 > 2/5`).
    static func drawChoice(_ c: inout Canvas, _ options: [FormField.Option], selected: String, x: Int, y: Int, width: Int, focused: Bool) {
        let inline = options.map { "( ) \($0.label)" }.joined(separator: "  ")
        if DisplayWidth.of(inline) <= width {
            var cx = x
            for o in options {
                let on = o.value == selected
                let style: Style = on ? (focused ? .focus : .heading) : .normal
                cx = c.put("(\(on ? "*" : " ")) \(o.label)", x: cx, y: y, style: style)
                cx = c.put("  ", x: cx, y: y)
            }
        } else {
            let i = options.firstIndex { $0.value == selected }
            let label = i.map { options[$0].label } ?? "（選んでください）"
            let cx = c.put("< \(label) >", x: x, y: y, style: focused ? .focus : .heading)
            c.put(" \(i.map { "\($0 + 1)" } ?? "-")/\(options.count)", x: cx, y: y, style: .dim)
        }
    }

    /// The review page's lines, wrapped to the screen: problems first, then every answer.
    func reviewLines(_ s: IntakeState) -> [(String, Style)] {
        let form = config.form
        let check = IntakeForm.check(form, values: s.values, context: validationContext)
        var lines: [(String, Style)] = []
        if check.problems.isEmpty {
            lines.append(("保存できます。内容を確かめて F2（Ctrl-S）か Enter で保存してください。", .success))
        } else {
            lines.append(("保存できません：\(check.problems.count)件の不備があります（Esc で戻って直します）", .error))
            for p in check.problems { lines.append(("  ✗ \(p.description)", .error)) }
        }
        for n in check.notes { lines.append(("  ！ \(n.message)", n.severity == .warning ? .warning : .normal)) }
        for p in form.pages where !p.isReview {
            lines.append(("【\(p.title)】", .heading))
            for f in p.fields where f.kind != .info && IntakeForm.isVisible(f, in: form, values: s.values) {
                let v = IntakeForm.display(f, values: s.values, context: validationContext)
                lines.append(("  \(DisplayWidth.pad(f.label, to: 18)) \(v.isEmpty ? "（空欄）" : v)", .normal))
            }
        }
        var wrapped: [(String, Style)] = []
        for (t, st) in lines {
            for (i, l) in DisplayWidth.wrap(t, columns: width - 3).enumerated() { wrapped.append((i == 0 ? l : "    " + l, st)) }
        }
        return wrapped
    }

    func renderReview(_ c: inout Canvas, _ s: IntakeState, top: Int, bottom: Int) {
        let wrapped = reviewLines(s)
        let height = bottom - top
        let offset = min(s.reviewScroll, max(0, wrapped.count - height))
        for (i, (t, st)) in wrapped.dropFirst(offset).prefix(height).enumerated() {
            c.put(t, x: 1, y: top + i, style: st, maxWidth: width - 2)
        }
        if offset > 0 { c.put("↑", x: width - 2, y: top, style: .dim) }
        if wrapped.count - offset > height { c.put("↓", x: width - 2, y: bottom - 1, style: .dim) }
    }
}
