import MadoguchiCore

/// 訂正 (R-AM-1): the intake's pages prefilled with the application as saved; the clerk edits, then
/// the last page lists only the changed fields (old → new) and asks for the reason. The editing is
/// the intake's own (`IntakeState`, `stepOrEdit`), so every field is typed and checked as at the
/// counter, and the same `IntakeForm.check` decides (through `Correction.plan`).
public struct CorrectionState: Equatable, Sendable {
    public var caseNumber: String
    /// The form being edited: values, page, focus, cursor.
    public var form: IntakeState
    /// The case as the clerk opened it; the journal refuses the correction if it changed since.
    public var seen: Application
    public var seenTickets: [PaperTicket]
    /// 訂正の理由 (typed on the last page).
    public var reason = ""
    public var reasonCursor = 0
    /// R-RG-3: the warning is shown and a y/n is awaited.
    public var confirming = false
    /// The correction was sent to the journal and its answer has not come back yet.
    public var saving = false
    /// Why the last try was refused (shown on the last page).
    public var error: String?

    public var dirty: Bool { form.dirty || !reason.isEmpty }
}

extension DeskState {
    /// F7 → 訂正: opens the correction of a case (a correction of the same case left with Esc resumes).
    mutating func openCorrection(_ number: String) {
        dialog = nil
        guard let c = cases.first(where: { $0.number == number }) else {
            status = StatusLine("案件 \(number) は見つかりません。", .error)
            return
        }
        if correction?.caseNumber != number || correction?.seen != c.application || correction?.seenTickets != c.intakeTickets {
            let request = CorrectionRequest.start(c, form: config.form)
            var s = IntakeState(form: config.form, today: today)
            s.values = request.values
            s.prefilled = request.values   // the saved application is not typed by the clerk
            s.cursor = s.focused(config.form).flatMap { s.text(at: $0, config.form) }?.count ?? 0
            correction = CorrectionState(caseNumber: number, form: s, seen: c.application, seenTickets: c.intakeTickets)
        }
        screen = .correction(number)
        status = StatusLine("訂正する項目を直し、F2（Ctrl-S）で確認の画面へ進みます（R-AM-1）。")
    }

    var correctionFocusIsText: Bool {
        guard let s = correction, !s.confirming else { return false }
        let form = config.form
        if form.pages[s.form.page].isReview { return true }   // the reason
        guard let t = s.form.focused(form) else { return false }
        return s.form.text(at: t, form) != nil
    }

    /// The request the clerk's screen describes.
    func correctionRequest(_ s: CorrectionState, acknowledged: Bool = false) -> CorrectionRequest {
        CorrectionRequest(caseNumber: s.caseNumber, values: s.form.values, seen: s.seen, seenTickets: s.seenTickets,
                          reason: s.reason, acknowledged: acknowledged)
    }

    /// The correction as it stands, checked against the case as this desk knows it (pure, for the
    /// last page); the reason is not required for the preview.
    func correctionPreview(_ s: CorrectionState) -> Result<CorrectionPlan, CorrectionError> {
        guard let c = cases.first(where: { $0.number == s.caseNumber }) else { return .failure(.refused("案件 \(s.caseNumber) は見つかりません")) }
        var request = correctionRequest(s)
        if request.reason.trimmingCharacters(in: .whitespaces).isEmpty { request.reason = "（理由未入力）" }
        do {
            return .success(try Correction.plan(c, request, form: config.form, context: validationContext, others: cases, batches: batches))
        } catch let e as CorrectionError {
            return .failure(e)
        } catch {
            return .failure(.refused(UserFacing.detail(for: error)))
        }
    }

    mutating func updateCorrection(_ command: Command) -> [DeskEffect] {
        guard var s = correction else { screen = .caseList; return [] }
        defer { correction = s }
        if s.saving { return [] }   // nothing moves while the journal is being written
        let form = config.form
        let ctx = validationContext
        let reviewIndex = form.pages.firstIndex(where: \.isReview) ?? form.pages.count - 1

        if s.confirming {
            switch command {
            case .insert("y"), .insert("Y"), .insert("ｙ"):
                s.confirming = false
                return save(&s, acknowledged: true)
            case .insert("n"), .insert("N"), .insert("ｎ"), .back:
                s.confirming = false
                status = StatusLine("記録していません。理由や項目を確かめてください。")
            default: break
            }
            return []
        }

        guard s.form.page == reviewIndex else {
            switch command {
            case .primary:
                s.form.goToPage(reviewIndex, form, context: ctx)
                s.reasonCursor = s.reason.count
            case .back where s.form.page == 0:
                if let t = s.form.focused(form) { s.form.checkLeaving(t, form, context: ctx) }
                screen = .caseDetail(s.caseNumber)
                status = s.dirty ? StatusLine("訂正の入力を残しました。F7 →「訂正」で続きから再開できます。") : nil
            case .back:
                s.form.goToPage(s.form.page - 1, form, context: ctx)
            default:
                stepOrEdit(&s.form, command)
                if s.form.page == reviewIndex { s.reasonCursor = s.reason.count }
            }
            return []
        }

        switch command {
        case .primary, .activate:
            return save(&s, acknowledged: false)
        case .back, .previousPage:
            s.form.goToPage(reviewIndex - 1, form, context: ctx, focusLast: true)
        case .up: s.form.reviewScroll = max(0, s.form.reviewScroll - 1)
        case .down: s.form.reviewScroll += 1
        case .nextPage: s.form.reviewScroll += 10
        default:
            if let (text, cursor) = LineEditor.apply(command, to: s.reason, cursor: s.reasonCursor) {
                // The refusal (「訂正の理由：入力してください」) is being answered: it no longer stays on the status line.
                if s.error != nil, status?.kind == .error { status = nil }
                s.reason = text
                s.reasonCursor = cursor
                s.error = nil
            }
        }
        return []
    }

    /// F2 on the last page: checks everything as the journal will; asks y/n first when R-RG-3 says so.
    private mutating func save(_ s: inout CorrectionState, acknowledged: Bool) -> [DeskEffect] {
        guard let c = cases.first(where: { $0.number == s.caseNumber }) else { return [] }
        let request = correctionRequest(s, acknowledged: acknowledged)
        do {
            let plan = try Correction.plan(c, request, form: config.form, context: validationContext, others: cases, batches: batches)
            if plan.needsAcknowledgement && !acknowledged {
                s.confirming = true
                return []
            }
        } catch {
            let message = (error as? CorrectionError)?.description ?? (error as? FieldProblem)?.description ?? UserFacing.detail(for: error)
            s.error = message
            status = StatusLine(message, .error)
            if case CorrectionError.invalid(let problems)? = error as? CorrectionError, let first = problems.first {
                // Back to the field, as the intake does when a save is refused.
                for p in problems where s.form.problems[p.field] == nil { s.form.problems[p.field] = p.message }
                s.form.jump(toField: first.field, config.form)
            }
            return []
        }
        s.saving = true
        s.error = nil
        status = StatusLine("訂正を記録しています…")
        return [.correct(request)]
    }

    /// The journal has the correction: back to the case, whose history now shows it.
    mutating func correctionSaved(_ number: String, _ message: String, _ new: [CaseRecord]) -> [DeskEffect] {
        cases = new
        if correction?.caseNumber == number { correction = nil }
        screen = .caseDetail(number)
        detailScroll = 0
        status = StatusLine(message, .success)
        return []
    }

    // MARK: View

    var correctionKeyHelp: [(String, String)] {
        if let s = correction, config.form.pages[s.form.page].isReview {
            return [("F2/Enter", "保存"), ("Esc", "戻る"), ("↑↓", "スクロール"), ("F1/^G", "ヘルプ"), ("F10/^X", "終了")]
        }
        return [("F1/^G", "ヘルプ"), ("Tab", "次"), ("Esc", "戻る"), ("PgDn", "次頁"), ("F2/^S", "確認へ"), ("F10/^X", "終了")]
    }

    func renderCorrection(_ c: inout Canvas, number: String, top: Int, bottom: Int) {
        guard let s = correction, s.caseNumber == number else { return }
        let name = cases.first { $0.number == number }?.application.applicant.name ?? ""
        let banner = "訂正：案件 \(number)　\(name)（直す項目を書き換え、F2 で確認へ）"
        if !config.form.pages[s.form.page].isReview {
            renderFormPage(&c, s.form, top: top, bottom: bottom, banner: banner)
            return
        }
        c.put(DisplayWidth.truncate("訂正の確認：案件 \(number)　\(name)", to: width - 2), x: 1, y: top, style: .heading)
        // The reason's box and its hint stay at the bottom; the changes scroll above them, whole.
        drawScrolling(&c, correctionReviewLines(s), top: top + 1, bottom: bottom - 3, offset: s.form.reviewScroll)
        let label = "訂正の理由*"
        c.put(label, x: 1, y: bottom - 2, style: .heading)
        let x = 1 + DisplayWidth.of(label) + 1
        Self.drawTextBox(&c, s.reason, x: x, y: bottom - 2, width: width - x - 2, focused: !s.confirming, cursor: s.reasonCursor,
                         placeholder: "例 申請書の氏名の写し間違い")
        c.put(DisplayWidth.truncate("F2（Ctrl-S）か Enter で記録します。Esc で戻って直します。", to: width - 2), x: 1, y: bottom - 1, style: .dim)
        if s.confirming { renderCorrectionConfirm(&c, s) }
    }

    /// The last page: what will be recorded, field by field, old → new, and every warning.
    func correctionReviewLines(_ s: CorrectionState) -> [(String, Style)] {
        let form = config.form
        var lines: [Paragraph] = []
        switch correctionPreview(s) {
        case .failure(let e):
            lines.append(Paragraph("記録できません（Esc で戻って直します）", .error))
            if case .invalid(let problems) = e {
                for p in problems { lines.append(Paragraph("  ✗ \(p.description)", .error, indent: 4)) }
            } else {
                lines.append(Paragraph("  ✗ \(e.description)", .error, indent: 4))
            }
        case .success(let plan):
            lines.append(Paragraph("訂正する項目（訂正前 → 訂正後）", .heading))
            for d in Correction.described(plan.payload, form: form) { lines.append(Paragraph("  \(d.label)：\(d.change)", indent: 4)) }
            for w in plan.warnings { lines.append(Paragraph("  ！ \(w)", .warning, indent: 4)) }
            for n in plan.notes { lines.append(Paragraph("  ！ \(n.message)", n.severity == .warning ? .warning : .normal, indent: 4)) }
            lines.append(Paragraph("元の受付の記録は変わらず、履歴に訂正として残ります。", .dim))
        }
        if let e = s.error { lines.append(Paragraph("✗ \(e)", .error, indent: 2)) }
        // Every change whole, wrapped with TextWrap (issue 11: the screen never lies).
        return layout(lines)
    }

    /// R-RG-3: the warning in full, and y/n.
    func renderCorrectionConfirm(_ c: inout Canvas, _ s: CorrectionState) {
        let w = min(width - 4, 76)
        var lines: [String] = []
        if case .success(let plan) = correctionPreview(s) {
            for warning in plan.warnings { lines += TextWrap.rows(warning, width: w - 4, indent: 2) }
        }
        lines += TextWrap.rows("それでも事務所の記録を訂正しますか？  y：記録する　n：戻る", width: w - 4, indent: 0)
        let x0 = max(0, (width - w) / 2)
        let y0 = max(1, (height - lines.count - 2) / 2)
        c.box(x: x0, y: y0, width: w, rows: min(height - 1, y0 + lines.count + 2) - y0, style: .bar)
        for (i, l) in lines.enumerated() where y0 + 1 + i < height - 1 {
            c.put(l, x: x0 + 2, y: y0 + 1 + i, style: i == lines.count - 1 ? Style(bold: true, reverse: true) : .bar)
        }
    }
}
