import MadoguchiCore

/// y/n before something that cannot be undone (issue 11 item 5): the case, the person, each value
/// now and after. Nothing is journaled until y; n or Esc goes back to the form with its values kept.
public struct ConfirmRequest: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        /// Perform this effect on y (a lifecycle move on a case).
        case effect(DeskEffect)
        /// Drop the application being typed (issue 11 item 6).
        case discardDraft
    }

    public var title: String
    public var lines: [String]
    public var question: String
    public var action: Action
    /// The form the clerk came from; n and Esc return to it as it was.
    public var form: ActionForm?
    /// Or the menu (the training clock's 翌日へ…), with its item highlighted.
    public var menu: ActionMenu? = nil
    public var scroll = 0

    /// Where n and Esc go: the form or menu the clerk came from, as it was.
    var back: Dialog? { form.map(Dialog.form) ?? menu.map(Dialog.menu) }
}

extension DeskState {
    /// The key that writes the 受付控え on a case screen (issue 11 item 6), named in the status line
    /// after 保存しました and in the footer.
    static let receiptKey: Character = "p"
    static let receiptHint = "P：受付控えを印刷"
    /// The key on the case list that discards the application being typed.
    static let discardKey: Character = "d"

    /// A filled case-action form: a move that ends a case, holds it or overwrites a value is first
    /// shown old → new and asked (R-IN-7 for a transfer before registration); an illegal move is
    /// refused in the form, before anyone is asked. Other effects pass straight through.
    func confirmation(for effect: DeskEffect, from form: ActionForm) -> Result<ConfirmRequest?, ValueError> {
        guard case .record(let number, let event) = effect,
              let c = cases.first(where: { $0.number == number }), event.asksConfirmation(on: c) else { return .success(nil) }
        do {
            let preview = try ChangePreview.of(event, on: c, today: today)
            return .success(ConfirmRequest(title: "確認：\(preview.action)", lines: preview.lines,
                                         question: "記録しますか？　y：記録する　n：戻る（入力はそのまま）",
                                         action: .effect(effect), form: form))
        } catch let e as CaseError {
            return .failure(ValueError(e.description))
        } catch let e as ValueError {
            return .failure(e)
        } catch {
            return .failure(ValueError(UserFacing.detail(for: error)))
        }
    }

    /// The training clock only moves forward (R-DT-1's month end, the server's files): asked with
    /// the day now and the day after, like every move that cannot be undone (issue 11).
    func confirmTrainingClock(_ move: TrainingClockMove, form: ActionForm? = nil, menu: ActionMenu? = nil) -> ConfirmRequest {
        let target = move.target(from: today)
        return ConfirmRequest(
            title: "確認：研修の日付を進める",
            lines: ["研修の日付：\(Wareki.format(today)) → \(Wareki.format(target))",
                    "注意：日付は進めるだけで、戻せません（やり直すときは作業場所を初期化します）。",
                    "進めた日までに届くファイルは、研修用の中間サーバーが受信フォルダに置きます。"],
            question: "進めますか？　y：進める　n：戻る（入力はそのまま）",
            // The day shown is the day moved to, whatever the clock reads by the time y is pressed.
            action: .effect(.moveTrainingClock(.to(target))), form: form, menu: menu)
    }

    /// d on the list: ask before the application being typed is dropped (Esc never loses it).
    mutating func askDiscardDraft() {
        guard let s = intake else {
            status = StatusLine("入力中の申請はありません。")
            return
        }
        if s.saving { status = StatusLine("保存の途中です。終わるまでお待ちください。"); return }
        // What was typed, not what the form opened with (the application date, defaults): the
        // name, else the フリガナ, else the first item typed, and how many (issue 11).
        let typed = s.typedItems(config.form)
        let form = config.form
        let who = [IntakeFieldID.name, IntakeFieldID.furigana].compactMap { id -> String? in
            let v = s.values[id].trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : "\(form.field(id)?.label ?? id)：\(v)"
        }.first ?? typed.first ?? "（何も入力していません）"
        dialog = .confirm(ConfirmRequest(
            title: "入力中の申請を破棄しますか（y/n）",
            lines: ["\(who)　入力した項目 \(typed.count)",
                    "破棄すると、入力した内容は失われます（保存していないので記録には残りません）。"],
            question: "y：破棄する　n：残す", action: .discardDraft, form: nil))
    }

    mutating func updateConfirm(_ c: ConfirmRequest, _ key: Key) -> [DeskEffect] {
        var c = c
        switch key {
        case .char("y"), .char("Y"), .char("ｙ"), .char("Ｙ"):
            // A question the clerk cannot see (the window too small) is not answered by a stray key.
            if isTooSmall { return [] }
            dialog = nil
            switch c.action {
            case .effect(let e):
                if case .moveTrainingClock = e {
                    status = StatusLine("研修の日付を進めています…")
                } else {
                    status = StatusLine("記録しています…")
                }
                return [e]
            case .discardDraft:
                intake = nil
                status = StatusLine("入力中の申請を破棄しました。", .success)
                return []
            }
        case .char("n"), .char("N"), .char("ｎ"), .char("Ｎ"), .escape:
            dialog = c.back
            return []
        case .up: c.scroll = max(0, c.scroll - 1)
        case .down: c.scroll += 1
        default:
            if Command.from(key) == .quit { dialog = c.back; return [] }
        }
        dialog = .confirm(c)
        return []
    }

    func renderConfirm(_ c: inout Canvas, _ conf: ConfirmRequest) {
        let w = min(width - 4, 74)
        let inner = w - 4
        // Wrapped whole (never clipped); a warning keeps its colour on every line it takes.
        let body = conf.lines.flatMap { l in TextWrap.rows(l, width: inner, indent: 2).map { ($0, l.hasPrefix("注意")) } }
        // Title, body, a blank line and the question inside the box; the body scrolls if it must.
        let room = max(1, height - 6)
        let shown = min(body.count, room)
        let offset = min(conf.scroll, max(0, body.count - shown))
        let x = (width - w) / 2
        let y = max(1, (height - shown - 4) / 2)
        c.box(x: x, y: y, width: w, rows: shown + 4, style: .bar)
        c.put(" \(DisplayWidth.truncate(conf.title, to: w - 6)) ", x: x + 2, y: y, style: Style(bold: true, reverse: true))
        for (i, (l, warning)) in body.dropFirst(offset).prefix(shown).enumerated() {
            c.put(l, x: x + 2, y: y + 1 + i, style: warning ? Style(fg: .red, bold: true, reverse: true) : .bar)
        }
        if offset > 0 { c.put("↑", x: x + w - 2, y: y + 1, style: .bar) }
        if body.count - offset > shown { c.put("↓", x: x + w - 2, y: y + shown, style: .bar) }
        c.put(DisplayWidth.truncate(conf.question, to: inner), x: x + 2, y: y + shown + 2, style: Style(bold: true, reverse: true))
    }
}
