import MadoguchiCore

extension DeskState {
    /// The one place where the desk changes. Pure: effects are returned, never performed.
    public mutating func update(_ message: DeskMessage) -> [DeskEffect] {
        switch message {
        case .resize(let w, let h):
            width = w
            height = h
            return []
        case .today(let d):
            today = d
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
            if let i = sortedCases.firstIndex(where: { $0.number == number }) { list.selected = i }
            status = StatusLine("保存しました（案件番号 \(number)）", .success)
            return []
        case .saveFailed(let reason):
            intake?.saving = false
            status = StatusLine("保存できませんでした：\(reason)　入力内容はそのままです。", .error)
            return []
        case .key(let key):
            return handle(key)
        }
    }

    private mutating func handle(_ key: Key) -> [DeskEffect] {
        let command = Command.from(key)
        if let dialog {
            switch dialog {
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
            }
            return []
        }
        if command == .quit {
            if let s = intake, s.dirty {
                if s.saving { status = StatusLine("保存の途中です。終わるまでお待ちください。"); return [] }
                dialog = .confirmQuit
                return []
            }
            return [.quit]
        }
        // Too small: nothing moves but quitting; what was typed stays (issue 2).
        if isTooSmall { return [] }
        if command == .help {
            if screen == .help { screen = helpReturn } else { helpReturn = screen; screen = .help }
            return []
        }
        // A key pressed after a message clears it, as in nano; an error stays until acted on.
        if status?.kind != .error { status = nil }
        switch screen {
        case .caseList: return updateCaseList(command)
        case .caseDetail: return updateCaseDetail(command)
        case .intake: return updateIntake(command)
        case .help:
            if command == .back || command == .activate { screen = helpReturn }
            return []
        }
    }
}
