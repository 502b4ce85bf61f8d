import MadoguchiCore

extension DeskState {
    /// The one place where the desk changes. Pure: effects are returned, never performed.
    public mutating func update(_ message: DeskMessage) -> [DeskEffect] {
        let effects = apply(message)
        guard !accessNotes.isEmpty else { return effects }
        defer { accessNotes = [] }
        return accessNotes.map(DeskEffect.recordAccess) + effects
    }

    /// R-SG-4: a read the access log must hold (a case opened, a search closed, a list shown).
    mutating func noteAccess(_ event: AccessEvent) { accessNotes.append(event) }

    private mutating func apply(_ message: DeskMessage) -> [DeskEffect] {
        switch message {
        case .resize(let w, let h):
            width = w
            height = h
            return []
        case .today(let d):
            today = d
            return []
        case .casesTouched(let numbers):
            pendingTouched = (pendingTouched ?? []).union(numbers)
            return []
        case .casesChanged(let new):
            cases = new
            list.selected = min(list.selected, max(0, new.count - 1))
            return []
        case .saved(let number, let new):
            cases = new
            intake = nil
            screen = .caseDetail(number)
            detailScroll = 0
            if let i = sortedOrder.firstIndex(where: { cases[$0].number == number }) { list.selected = i }
            receiptOffer = number
            status = StatusLine("保存しました（案件番号 \(number)）　\(Self.receiptHint)", .success)
            return []
        case .operationDone(let title, let lines, let new, let showReport):
            cases = new
            list.selected = min(list.selected, max(0, new.count - 1))
            if showReport {
                report = (title, lines)
                reportScroll = 0
                reportOffers = []
                if screen != .report { reportReturn = screen }
                screen = .report
                status = nil
            } else {
                status = StatusLine(lines.first ?? title, .success)
            }
            return []
        case .batchesChanged(let b):
            batches = b
            return []
        case .trainingChanged(let t):
            training = t
            trainingSelected = min(trainingSelected, max(0, t.scenarios.count - 1))
            return []
        case .remindersChanged(let r):
            reminders = r
            reminderSelected = min(reminderSelected, max(0, r.count - 1))
            return []
        case .operationFailed(let reason):
            status = StatusLine(reason, .error)
            return []
        case .storeOffline(let reason):
            storeOffline = reason
            status = StatusLine(reason, .error)
            return []
        case .storeOnline:
            guard storeOffline != nil else { return [] }
            storeOffline = nil
            status = StatusLine("データベースに再接続しました。ほかの端末の記録も読み込みました。", .success)
            return []
        case .saveFailed(let reason):
            intake?.saving = false
            status = StatusLine("保存できませんでした：\(reason)　入力内容はそのままです。", .error)
            return []
        case .corrected(let number, let message, let new):
            return correctionSaved(number, message, new)
        case .correctionFailed(let reason, let new):
            cases = new
            correction?.saving = false
            correction?.error = reason
            status = StatusLine("訂正できませんでした：\(reason)　入力内容はそのままです。", .error)
            return []
        case .reportOffers(let offers):
            reportOffers = offers
            return []
        case .cityChanged(let offices):
            cityChanged(offices)
            return []
        case .key(let key):
            return handle(key)
        }
    }

    /// Whether the cursor is in a text box, where a run of characters is typed text.
    var focusIsText: Bool {
        if case .form(let f) = dialog { return f.fields[f.focus].options.isEmpty }
        if dialog != nil { return false }
        if case .correction = screen { return correctionFocusIsText }
        if activeSearch?.editing == true { return true }
        guard screen == .intake, let s = intake, !config.form.pages[s.page].isReview,
              let t = s.focused(config.form) else { return false }
        return s.text(at: t, config.form) != nil
    }

    /// A screen being typed into, where the list's one-key shortcuts (F8, F9, F11) do not apply.
    var isFormScreen: Bool {
        if case .correction = screen { return true }
        return screen == .intake
    }

    private mutating func handle(_ key: Key) -> [DeskEffect] {
        // Keys that arrived together (typed faster than read) are a paste only for a text box;
        // anywhere else each character is a key of its own (Space Space Space ticks three times).
        if case .text(let run) = key, !focusIsText {
            return run.flatMap { handle(.char($0)) }
        }
        let command = Command.from(key)
        if let dialog {
            switch dialog {
            case .menu(let m):
                if command == .quit { self.dialog = nil; break }
                return updateMenu(m, command)
            case .form(let f):
                if command == .quit { self.dialog = nil; break }
                return updateForm(f, command)
            case .confirm(let c):
                return updateConfirm(c, key)
            case .confirmQuit:
                switch key {
                case .char("y"), .char("Y"), .char("ｙ"):
                    self.dialog = nil
                    return [.quit]
                case .char("n"), .char("N"), .escape, .char("ｎ"):
                    self.dialog = nil
                    status = nil
                default: break
                }
                return []
            }
        }
        if command == .quit {
            if let s = intake, s.dirty {
                if s.saving { status = StatusLine("保存の途中です。終わるまでお待ちください。"); return [] }
                dialog = .confirmQuit
                return []
            }
            if let s = correction, s.dirty {
                if s.saving { status = StatusLine("訂正を記録している途中です。終わるまでお待ちください。"); return [] }
                dialog = .confirmQuit
                return []
            }
            return [.quit]
        }
        // Too small: nothing moves but quitting; what was typed stays (issue 2).
        if isTooSmall { return [] }
        if city != nil { return updateCity(command) }
        if command == .pendingList && !isFormScreen {
            screen = screen == .pending ? .caseList : .pending
            if screen == .pending {
                noteAccess(.pendingList(.listed, via: "desk F8", pendingList, filter: pending.filter))
            }
            return []
        }
        if command == .reminderList && !isFormScreen {
            if screen == .reminders {
                screen = remindersReturn
            } else {
                // F9 from the pending list (or a case) goes back there, not to the case list.
                remindersReturn = screen == .help || screen == .report ? .caseList : screen
                screen = .reminders
            }
            return []
        }
        if command == .training && !isFormScreen {
            openTraining()
            return []
        }
        if command == .help {
            if screen == .help { screen = helpReturn } else { helpReturn = screen; screen = .help }
            helpScroll = 0
            return []
        }
        // A key pressed after a message clears it, as in nano; an error stays until acted on.
        if status?.kind != .error { status = nil }
        switch screen {
        case .caseList: return updateCaseList(command)
        case .caseDetail: return updateCaseDetail(command)
        case .intake: return updateIntake(command)
        case .help:
            updateHelp(command)
            return []
        case .report: return updateReport(command)
        case .pending: return updatePending(command)
        case .reminders: return updateReminders(command)
        case .training: return updateTraining(command)
        case .correction: return updateCorrection(command)
        }
    }
}
