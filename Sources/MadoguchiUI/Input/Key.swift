/// A key as the terminal backend reports it. Text typed through an IME arrives as a run of
/// `.char` keys (or one `.text` for a paste), never as bytes.
public enum Key: Hashable, Sendable {
    case char(Character)
    /// Several characters at once (a paste, or an IME commit delivered together).
    case text(String)
    case enter, tab, backTab, escape, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    /// Ctrl + a letter, lower case (`ctrl("s")` is Ctrl-S).
    case ctrl(Character)
}

/// What a key means to the desk, whatever the screen. Every F-key has a Ctrl twin, because
/// terminals and remote sessions eat F-keys (issue 2). The table is shown in the help screen.
public enum Command: Hashable, Sendable {
    case help, primary, sort, reload, quit
    /// F3: the bulk registration file; F4: import a server file; F7: record on a case (issue 3).
    case export, importFile, record
    /// F8: the supervisor's pending list (issue 4).
    case pendingList
    /// F9: today's reminders in full (issue 4).
    case reminderList
    /// F11: the 研修 screen (issue 5; training offices only).
    case training
    case back, next, previous, nextPage, previousPage, activate, toggle
    case up, down, left, right, home, end, backspace, delete
    case clearLine, killToEnd
    case insert(String)
    case none

    /// F-key ↔ Ctrl twin, with what each does. (`primary` is 新規受付 on the list, 保存 in the wizard.)
    public static let functionKeys: [(fkey: Int, ctrl: Character, command: Command, label: String)] = [
        (1, "g", .help, "ヘルプ"),
        (2, "s", .primary, "新規受付／保存"),
        (3, "b", .export, "一括登録ファイルを作る"),
        (4, "f", .importFile, "結果・状況ファイルを取り込む"),
        (5, "r", .reload, "再読込"),
        (6, "o", .sort, "並べ替え"),
        (7, "t", .record, "案件にお知らせ・転出などを記録"),
        (8, "v", .pendingList, "未完了一覧（査察指導員）"),
        (9, "y", .reminderList, "今日の要対応（済みにする）"),
        (10, "x", .quit, "終了"),
        (11, "w", .training, "研修（シナリオ・日付・採点、研修モードのみ）"),
    ]

    public static func from(_ key: Key) -> Command {
        switch key {
        case .function(let n):
            return functionKeys.first { $0.fkey == n }?.command ?? .none
        case .ctrl(let c):
            if let f = functionKeys.first(where: { $0.ctrl == c }) { return f.command }
            switch c {
            case "c", "q": return .quit
            case "a": return .home
            case "e": return .end
            case "u": return .clearLine
            case "k": return .killToEnd
            case "n": return .nextPage
            case "p": return .previousPage
            default: return .none
            }
        case .char(" "): return .toggle
        case .char(let c): return .insert(String(c))
        case .text(let s): return .insert(s)
        case .enter: return .activate
        case .tab: return .next
        case .backTab: return .previous
        case .escape: return .back
        case .backspace: return .backspace
        case .delete: return .delete
        case .up: return .up
        case .down: return .down
        case .left: return .left
        case .right: return .right
        case .home: return .home
        case .end: return .end
        case .pageUp: return .previousPage
        case .pageDown: return .nextPage
        }
    }
}

extension Command {
    /// Text typed or pasted (an IME commit arrives as one `insert`).
    var isTyping: Bool {
        if case .insert = self { return true }
        return false
    }
}
