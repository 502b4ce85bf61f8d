/// Editing one line of text at a cursor, as every text box of the desk does it (the intake's fields,
/// the ticket table, the action forms): insert, delete, move, Ctrl-U, Ctrl-K.
enum LineEditor {
    /// The new text and cursor, or nil when the command is not an editing command.
    static func apply(_ command: Command, to text: String, cursor: Int) -> (text: String, cursor: Int)? {
        var chars = Array(text)
        var cur = min(max(0, cursor), chars.count)
        switch command {
        case .insert(let t):
            // Control characters never enter a field (a paste may carry them).
            let clean = t.filter { c in !c.unicodeScalars.allSatisfy { $0.value < 0x20 || $0.value == 0x7F } }
            chars.insert(contentsOf: clean, at: cur)
            cur += clean.count
        case .toggle:
            chars.insert(" ", at: cur)
            cur += 1
        case .backspace:
            if cur > 0 { chars.remove(at: cur - 1); cur -= 1 }
        case .delete:
            if cur < chars.count { chars.remove(at: cur) }
        case .left: cur = max(0, cur - 1)
        case .right: cur = min(chars.count, cur + 1)
        case .home: cur = 0
        case .end: cur = chars.count
        case .clearLine: chars = []; cur = 0
        case .killToEnd: chars.removeSubrange(cur...)
        default: return nil
        }
        return (String(chars), cur)
    }
}
