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
    /// What the form opened with: the application date, the form's defaults (a correction: the
    /// saved application). Not typed by the clerk, so neither counted nor kept as a draft (issue 11).
    public var prefilled: IntakeValues

    public static let maxTicketRows = 12
    static let ticketKinds = PaperTicket.Kind.allCases.map(\.rawValue)

    public init(form: FormDefinition, today: LocalDate) {
        values = IntakeForm.initialValues(form, today: today)
        prefilled = values
    }

    /// Anything typed or changed since the form opened (typing it back as it was is nothing typed).
    public var dirty: Bool { !changedFieldIDs.isEmpty || ticketsChanged }

    /// The ids of the fields whose value differs from what the form opened with.
    var changedFieldIDs: Set<String> {
        Set(values.fields.keys).union(prefilled.fields.keys).filter { values[$0] != prefilled[$0] }
    }

    /// A ticket row filled in (the blank row kept for the next ticket is not one).
    var ticketsChanged: Bool {
        let filled = { (t: [TicketDraft]) in t.filter { !$0.isBlank || !$0.kind.isEmpty } }
        return filled(values.tickets) != filled(prefilled.tickets)
    }

    /// What the clerk typed, in the form's order, each as 「項目：値」 (a choice by its label), the
    /// ticket table as one item: what the discard question shows and counts.
    func typedItems(_ form: FormDefinition) -> [String] {
        let changed = changedFieldIDs
        var items: [String] = []
        for f in form.fields where changed.contains(f.id) {
            let raw = values[f.id]
            let shown: String
            switch f.kind {
            case .check: shown = FormField.isTicked(raw) ? "✓" : "（外した）"
            case .choice: shown = f.options.first { $0.value == raw }?.label ?? (raw.isEmpty ? "（未選択）" : raw)
            default: shown = raw.trimmingCharacters(in: .whitespaces).isEmpty ? "（消した）" : raw
            }
            items.append("\(f.label)：\(shown)")
        }
        if ticketsChanged { items.append("紙の券 \(values.tickets.filter { !$0.isBlank || !$0.kind.isEmpty }.count)件") }
        return items
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
           case .success(let iso) = Validators.month.validate(values.tickets[row].month, context),
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
        // Left with nothing typed (only what the form opened with): no draft is kept (issue 11).
        var untouchedLeft = false
        defer { intake = untouchedLeft ? nil : s }
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
                // Nothing typed (only what the form opened with): no draft to keep or discard (issue 11).
                untouchedLeft = !s.dirty
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
                    s.values[id] = FormField.checkValue(!FormField.isTicked(s.values[id]))
                    s.problems[id] = nil
                }
            } else if f.kind == .choice {
                let values = f.options.map(\.value)
                if let v = cycle(values, current: s.values[id], command) {
                    s.values[id] = v
                    s.problems[id] = nil
                }
            }
        case .ticket(let row, _):
            if let v = cycle(IntakeState.ticketKinds, current: s.values.tickets[row].kind, command) {
                s.values.tickets[row].kind = v
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
        let lastFocusRow = rows.lastIndex { $0.isFocus } ?? 0
        // Centred on the cursor's row (a long pasted text); a field that fits is shown whole.
        let cursorRow = rows.firstIndex { $0.isCursor } ?? focusRow
        var offset = max(0, min(cursorRow - height / 2, rows.count - height))
        if lastFocusRow - focusRow < height {
            if focusRow < offset { offset = focusRow }
            if lastFocusRow >= offset + height { offset = lastFocusRow - height + 1 }
        }
        for (i, row) in rows.dropFirst(offset).prefix(height).enumerated() {
            row.draw(&c, contentTop + i)
        }
        if offset > 0 { c.put("↑", x: width - 2, y: contentTop, style: .dim) }
        if rows.count - offset > height { c.put("↓", x: width - 2, y: contentBottom - 1, style: .dim) }

        // The focused field's problem or help, at the bottom.
        // Two rows; a longer text ends in …（F1 で全文） and the help screen shows it whole.
        let notes = focusedFieldNotes(s)
        var rows2 = layout(notes, columns: width - 2)
        if rows2.count > bottom - contentBottom, bottom > contentBottom {
            let keep = bottom - contentBottom
            let more = "…（F1 で全文）"
            var last = rows2[keep - 1].0
            while !last.isEmpty && DisplayWidth.of(last) + DisplayWidth.of(more) > width - 2 { last.removeLast() }
            rows2[keep - 1].0 = last + more
            rows2 = Array(rows2.prefix(keep))
        }
        for (i, (l, style)) in rows2.enumerated() where contentBottom + i < bottom {
            c.put(l, x: 1, y: contentBottom + i, style: style)
        }
    }

    /// R-IN-6: the 受給者番号 typed already has an open case here (a correction's own case aside).
    func sameRecipientNotes(_ s: IntakeState) -> [FieldNote] {
        let field = config.form.field(IntakeFieldID.recipientNumber)
        let number = IntakeForm.normalizedValue(field, s.values[IntakeFieldID.recipientNumber], validationContext)
        var own: String? = nil
        if case .correction(let n) = (screen == .help ? helpReturn : screen) { own = n }
        guard let other = OpenApplication.same(recipientNumber: number, in: cases, excluding: own) else { return [] }
        return [FieldNote(field: IntakeFieldID.recipientNumber, severity: .warning, message: OpenApplication.warning(other))]
    }

    /// The focused field's problem and notes, or else its help: shown under the page and on F1.
    func focusedFieldNotes(_ s: IntakeState) -> [Paragraph] {
        guard let f = s.focusedField(config.form) else { return [] }
        let notes = (IntakeForm.notes(values: s.values, today: today) + sameRecipientNotes(s)).filter { $0.field == f.id }
        var lines: [Paragraph] = []
        if let problem = s.problems[f.id] { lines.append(Paragraph("✗ \(f.label)：\(problem)", .error, indent: 2)) }
        for n in notes { lines.append(Paragraph("！ \(n.message)", n.severity == .warning ? .warning : .normal, indent: 2)) }
        if lines.isEmpty { lines.append(Paragraph(f.help, .dim)) }
        return lines
    }

    /// One drawable row of a page, so that scrolling is a matter of slicing.
    struct Row {
        var isFocus = false
        /// The row of a wrapped text field that holds the cursor.
        var isCursor = false
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
                // The whole value, wrapped over as many rows as it needs (a 60-character reason
                // is read whole before saving, issue 11); the cursor moves through the rows.
                let value = s.values[f.id]
                let cursor = s.cursor
                let placeholder = f.placeholder
                let lines = value.isEmpty ? [TextWrap.Line("")] : TextWrap.wrap(value, width: max(2, inputWidth - 1))
                let at = Self.cursorRow(lines, cursor: cursor)
                for (i, line) in lines.enumerated() {
                    rows.append(Row(isFocus: isFocus, isCursor: isFocus && at.row == i) { c, y in
                        if i == 0 {
                            c.put(marker, x: 0, y: y, style: .heading)
                            c.put(DisplayWidth.truncate(f.label, to: Self.labelWidth - 1), x: Self.labelX, y: y, style: labelStyle)
                            c.put(requiredMark, x: Self.labelX + Self.labelWidth - 1, y: y, style: .dim)
                        }
                        if value.isEmpty {
                            Self.drawTextBox(&c, value, x: Self.inputX, y: y, width: inputWidth, focused: isFocus, cursor: cursor, placeholder: placeholder)
                            return
                        }
                        c.fill(y: y, from: Self.inputX, to: Self.inputX + inputWidth, style: isFocus ? .focus : .input)
                        c.put(line.text, x: Self.inputX, y: y, style: isFocus ? .focus : .input)
                        if isFocus && at.row == i {
                            c.cursor = (Self.inputX + DisplayWidth.of(String(line.text.prefix(at.column))), y)
                        }
                    })
                }
            case .choice:
                let value = s.values[f.id]
                rows.append(Row(isFocus: isFocus) { c, y in
                    c.put(marker, x: 0, y: y, style: .heading)
                    c.put(DisplayWidth.truncate(f.label, to: Self.labelWidth - 1), x: Self.labelX, y: y, style: labelStyle)
                    c.put(requiredMark, x: Self.labelX + Self.labelWidth - 1, y: y, style: .dim)
                    Self.drawChoice(&c, f.options, selected: value, x: Self.inputX, y: y, width: inputWidth, focused: isFocus)
                })
            case .check:
                let ticked = FormField.isTicked(s.values[f.id])
                rows.append(Row(isFocus: isFocus) { c, y in
                    c.put(marker, x: 0, y: y, style: .heading)
                    c.put(ticked ? "[x]" : "[ ]", x: Self.labelX, y: y, style: isFocus ? .focus : .normal)
                    c.put(DisplayWidth.truncate(f.label, to: width - Self.labelX - 5), x: Self.labelX + 4, y: y, style: labelStyle)
                })
            case .info:
                let text = f.source.map { IntakeForm.infoText(source: $0, values: s.values, today: today) } ?? f.text
                rows.append(Row { c, y in c.put("【\(f.label)】", x: Self.labelX, y: y, style: .heading) })
                for line in TextWrap.lines(text, width: width - Self.labelX - 4) {
                    rows.append(Row { c, y in c.put(line, x: Self.labelX + 2, y: y, style: .dim) })
                }
            case .tickets:
                rows.append(Row { c, y in c.put(f.label, x: Self.labelX, y: y, style: labelStyle) })
                // The institution's box takes what a wider terminal gives (34 columns at 80).
                let institutionWidth = max(34, width - 46)
                let monthX = Self.labelX + 14 + institutionWidth + 2
                rows.append(Row { c, y in
                    c.put("    種類      医療機関・薬局名", x: Self.labelX, y: y, style: .dim)
                    c.put("月分", x: monthX, y: y, style: .dim)
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
                        Self.drawTextBox(&c, t.institution, x: Self.labelX + 14, y: y, width: institutionWidth, focused: fi, cursor: cursor, placeholder: "")
                        Self.drawTextBox(&c, t.month, x: monthX, y: y, width: 18, focused: fm, cursor: cursor, placeholder: r == 0 ? "例 R8.12" : "")
                    })
                }
            }
            if let problem, f.kind != .info {
                // The whole message, over as many rows as it needs: a cut-off reason helps no one.
                for line in TextWrap.rows("✗ \(problem)", width: width - Self.inputX - 2, indent: 2) {
                    rows.append(Row { c, y in c.put(line, x: Self.inputX, y: y, style: .error) })
                }
            }
        }
        return rows
    }

    /// The row and the column (in characters) of a cursor given in characters into wrapped text.
    /// At the end of a full row the cursor goes to the start of the next, as the next character will.
    static func cursorRow(_ lines: [TextWrap.Line], cursor: Int) -> (row: Int, column: Int) {
        var left = max(0, cursor)
        for (i, l) in lines.enumerated() {
            let n = l.text.count
            if left < n || (left == n && (i == lines.count - 1 || l.newline != nil)) { return (i, left) }
            left -= n + (l.newline == nil ? 0 : 1)
        }
        return (max(0, lines.count - 1), lines.last?.text.count ?? 0)
    }

    /// A one-line text box. Text wider than the box is never cut silently: unfocused it ends in …;
    /// focused it scrolls so the cursor stays visible, with … at a side where text is hidden.
    static func drawTextBox(_ c: inout Canvas, _ value: String, x: Int, y: Int, width: Int, focused: Bool, cursor: Int, placeholder: String) {
        guard width > 2 else { return }
        let style: Style = focused ? .focus : .input
        c.fill(y: y, from: x, to: x + width, style: style)
        if value.isEmpty && !focused && !placeholder.isEmpty {
            c.put(DisplayWidth.truncate(placeholder, to: width), x: x, y: y, style: Style(fg: .cyan, underline: true))
            return
        }
        guard focused else {
            c.put(DisplayWidth.truncate(value, to: width), x: x, y: y, style: style)
            return
        }
        let chars = Array(value)
        let cur = min(cursor, chars.count)
        // Columns left for text when showing from `start`: … on the left when text is hidden there,
        // … on the right when the rest does not fit (the cursor's cell counted at the end).
        func room(_ start: Int) -> Int {
            let left = start > 0 ? 1 : 0
            let rest = DisplayWidth.of(String(chars[start...])) + (cur == chars.count ? 1 : 0)
            return width - left - (rest <= width - left ? 0 : 1)
        }
        let cursorCell = cur < chars.count ? DisplayWidth.drawn(chars[cur]) : 1
        var start = 0
        while start < cur && DisplayWidth.of(String(chars[start..<cur])) + cursorCell > room(start) { start += 1 }
        let room = room(start)
        var tx = x
        if start > 0 { tx = c.put("…", x: x, y: y, style: style) }
        var shown = ""
        var used = 0
        for ch in chars[start...] {
            let w = DisplayWidth.drawn(ch)
            if used + w > room { break }
            shown.append(ch)
            used += w
        }
        c.put(shown, x: tx, y: y, style: style)
        if shown.count < chars.count - start { c.put("…", x: x + width - 1, y: y, style: style) }
        c.cursor = (tx + DisplayWidth.of(String(chars[start..<cur])), y)
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
            // A label too long for the box ends in …; the review page shows it whole.
            let cx = c.put("< \(DisplayWidth.truncate(label, to: max(1, width - 10))) >", x: x, y: y, style: focused ? .focus : .heading)
            c.put(" \(i.map { "\($0 + 1)" } ?? "-")/\(options.count)", x: cx, y: y, style: .dim)
        }
    }

    /// The review page's lines, wrapped to the screen: problems first, then every answer.
    func reviewLines(_ s: IntakeState) -> [(String, Style)] {
        let form = config.form
        let check = IntakeForm.check(form, values: s.values, context: validationContext)
        var lines: [Paragraph] = []
        if check.problems.isEmpty {
            lines.append(Paragraph("保存できます。内容を確かめて F2（Ctrl-S）か Enter で保存してください。", .success))
        } else {
            lines.append(Paragraph("保存できません：\(check.problems.count)件の不備があります（Esc で戻って直します）", .error))
            for p in check.problems { lines.append(Paragraph("  ✗ \(p.description)", .error, indent: 4)) }
        }
        for n in check.notes + sameRecipientNotes(s) {
            lines.append(Paragraph("  ！ \(n.message)", n.severity == .warning ? .warning : .normal, indent: 4))
        }
        for p in form.pages where !p.isReview {
            lines.append(Paragraph("【\(p.title)】", .heading))
            for f in p.fields where f.kind != .info && IntakeForm.isVisible(f, in: form, values: s.values) {
                let v = IntakeForm.display(f, values: s.values, context: validationContext)
                // Every answer whole; continuation rows line up under the value.
                lines.append(Paragraph("  \(DisplayWidth.pad(f.label, to: 18)) \(v.isEmpty ? "（空欄）" : v)", indent: 2 + 18 + 1))
            }
        }
        return layout(lines)
    }

    func renderReview(_ c: inout Canvas, _ s: IntakeState, top: Int, bottom: Int) {
        drawScrolling(&c, reviewLines(s), top: top, bottom: bottom, offset: s.reviewScroll)
    }
}
