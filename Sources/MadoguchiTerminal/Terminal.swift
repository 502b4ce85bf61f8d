import CNcursesw
import Foundation
import MadoguchiUI

/// The ncursesw backend: the only code that talks to the terminal. It starts and always restores
/// the terminal (also on SIGINT, SIGTERM, SIGHUP and on a crash), reads keys as wide characters
/// with `get_wch` (so text from an IME arrives whole), and paints only what changed between two
/// canvases.
public final class Terminal: TerminalIO {
    private var previous: Canvas?
    private var colorPairs: [Int: Int16] = [:]
    private var useColor = false
    public private(set) var width = 80
    public private(set) var height = 24

    public init() {}

    /// Why the desk cannot use this terminal (TERM unknown to terminfo), in words a clerk reads;
    /// nil when it can. `start` would otherwise end the process with ncurses' English message.
    public static func unusableTerminalType() -> String? {
        guard mg_terminal_known() == 0 else { return nil }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        return term.isEmpty
            ? "端末の種類（TERM）が設定されていないため、デスクを開けません。TERM=xterm-256color などを設定してください。"
            : "端末の種類 TERM=\(term) が分からないため、デスクを開けません。TERM=xterm-256color などにするか、ncurses-term を入れてください。"
    }

    /// Takes over the terminal. `noColor` follows the NO_COLOR convention (no-color.org).
    public func start(noColor: Bool) {
        Terminal.ensureUTF8Locale()
        setenv("ESCDELAY", "25", 0)   // Esc alone must not wait a second
        installSignalHandlers()
        _ = tcgetattr(1, &modesBeforeCurses)   // the tty as the shell left it, for a signal handler
        initscr()
        raw()            // Ctrl-C, Ctrl-S, Ctrl-Q reach the desk as keys (Ctrl twins of F-keys)
        noecho()
        nonl()
        keypad(mg_stdscr(), true)
        intrflush(mg_stdscr(), false)
        set_escdelay(25)
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            useColor = true
        }
        prepareSignalRestore()
        terminalActive = 1
        width = Int(mg_cols())
        height = Int(mg_lines())
        clear()
    }

    /// Gives the terminal back as it was. Safe to call twice.
    public func stop() {
        guard terminalActive == 1 else { return }
        terminalActive = 0
        curs_set(1)
        endwin()
    }

    /// CI runs without LANG: without a UTF-8 locale, wide characters print as bytes.
    static func ensureUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: mg_codeset())
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            if setlocale(LC_ALL, "C.UTF-8") == nil { setlocale(LC_ALL, "C.utf8") }
        }
    }

    /// Waits up to `timeoutMs` for a key (nil on timeout). Characters already waiting — a paste,
    /// or an IME commit — are gathered into one `.text` key.
    public func read(timeoutMs: Int32) -> TerminalEvent? {
        timeout(timeoutMs)
        var ch: wint_t = 0
        let r = mg_get_wch(&ch)
        if r == ERR { return nil }
        if r == mg_key_code_yes() {
            if Int32(ch) == KEY_RESIZE {
                width = Int(mg_cols())
                height = Int(mg_lines())
                previous = nil
                return .resize(width: width, height: height)
            }
            return Terminal.functionKey(Int32(ch)).map { .key($0) }
        }
        guard let first = Terminal.plainKey(UInt32(ch)) else { return nil }
        guard case .char(let c) = first else { return .key(first) }
        // Gather what is already waiting, as long as it is plain text.
        var text = String(c)
        timeout(0)
        while text.unicodeScalars.count < 65_536 {
            var next: wint_t = 0
            let r2 = mg_get_wch(&next)
            if r2 == ERR { break }
            if r2 == mg_key_code_yes() {
                ungetch(Int32(next))    // a function key: leave it for the next read
                break
            }
            guard case .char(let c2)? = Terminal.plainKey(UInt32(next)) else {
                unget_wch(wchar_t(bitPattern: UInt32(next)))   // Enter, Tab, Esc…: not part of the text
                break
            }
            text.append(c2)
        }
        return .key(text.count == 1 ? .char(c) : .text(text))
    }

    static func plainKey(_ v: UInt32) -> Key? {
        switch v {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return nil
        case 1...26: return .ctrl(Character(Unicode.Scalar(v + 96)!))
        case 28...31: return nil
        default:
            guard let s = Unicode.Scalar(v) else { return nil }
            return .char(Character(s))
        }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        default:
            for n in 1...12 where code == mg_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// Paints what differs from the last frame, then places the cursor.
    public func draw(_ canvas: Canvas) {
        let full = previous == nil || previous!.width != canvas.width || previous!.height != canvas.height
        if full { erase() }
        for y in 0..<min(canvas.height, height) {
            for x in 0..<min(canvas.width, width) {
                let cell = canvas[x, y]
                if cell.isContinuation { continue }
                if !full, let p = previous, p[x, y] == cell,
                   x + 1 >= canvas.width || p[x + 1, y] == canvas[x + 1, y] { continue }
                let (attrs, pair) = attributes(cell.style)
                // A cell holds one grapheme; ncurses wants one spacing character per call, so a
                // cluster such as ﾀﾞ (two spacing scalars) is drawn column by column.
                var column = x
                var pending: [wchar_t] = []
                func flush() {
                    guard !pending.isEmpty else { return }
                    _ = mg_put_cell(Int32(y), Int32(column), pending + [0], attrs, pair)
                    column += max(1, DisplayWidth.of(scalar: Unicode.Scalar(UInt32(bitPattern: pending[0]))!))
                    pending = []
                }
                for scalar in cell.text.unicodeScalars {
                    if DisplayWidth.of(scalar: scalar) > 0 { flush() }
                    if pending.count < 4 { pending.append(wchar_t(bitPattern: scalar.value)) }
                }
                flush()
            }
        }
        if let cur = canvas.cursor {
            curs_set(1)
            move(Int32(cur.y), Int32(cur.x))
        } else {
            curs_set(0)
            move(Int32(canvas.height - 1), Int32(max(0, canvas.width - 1)))
        }
        refresh()
        previous = canvas
    }

    private func attributes(_ s: Style) -> (attr_t, Int16) {
        var a = mg_a_normal()
        if s.bold { a |= mg_a_bold() }
        if s.reverse { a |= mg_a_reverse() }
        if s.underline { a |= mg_a_underline() }
        guard useColor else {
            // Monochrome: colour roles become attributes so errors and the training banner still stand out.
            if s.bg != .none { a |= mg_a_reverse() | mg_a_bold() }
            if s.fg == .red || s.fg == .yellow || s.fg == .green { a |= mg_a_bold() }
            return (a, 0)
        }
        if s.fg == .none && s.bg == .none { return (a, 0) }
        let key = Int(s.fg.rawValue) * 16 + Int(s.bg.rawValue)
        if let p = colorPairs[key] { return (a, p) }
        let p = Int16(colorPairs.count + 1)
        init_pair(p, Terminal.curses(s.fg), Terminal.curses(s.bg))
        colorPairs[key] = p
        return (a, p)
    }

    private static func curses(_ c: MadoguchiUI.Color) -> Int16 {
        switch c {
        case .none: return -1
        case .black: return Int16(COLOR_BLACK)
        case .red: return Int16(COLOR_RED)
        case .green: return Int16(COLOR_GREEN)
        case .yellow: return Int16(COLOR_YELLOW)
        case .blue: return Int16(COLOR_BLUE)
        case .magenta: return Int16(COLOR_MAGENTA)
        case .cyan: return Int16(COLOR_CYAN)
        case .white: return Int16(COLOR_WHITE)
        }
    }
}

// MARK: - Always restore the terminal

/// 1 while curses owns the terminal. A plain global: signal handlers may only touch such things.
nonisolated(unsafe) private var terminalActive: Int32 = 0

/// What a signal handler gives the terminal back with, prepared while curses starts: the tty's modes
/// as the shell left them, and the terminfo strings that leave curses' screen (attributes off, cursor
/// shown, the alternate screen left). The handler then calls only write(2) and tcsetattr(3), which
/// are async-signal-safe; endwin() is not (it allocates and writes through stdio).
nonisolated(unsafe) private var modesBeforeCurses = termios()
nonisolated(unsafe) private var restoreBytes: UnsafeMutablePointer<UInt8>?
nonisolated(unsafe) private var restoreCount = 0

private func prepareSignalRestore() {
    guard restoreBytes == nil else { return }
    var bytes: [UInt8] = []
    for capability in ["sgr0", "cnorm", "rmcup"] {
        let value: UnsafeMutablePointer<CChar>? = capability.withCString { tigetstr(UnsafeMutablePointer(mutating: $0)) }
        // tigetstr gives NULL for an absent capability and (char *)-1 for one that is not a string.
        guard let value, Int(bitPattern: value) != -1 else { continue }
        bytes += Array(String(cString: value).utf8)
    }
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
    buffer.initialize(from: bytes, count: bytes.count)
    restoreCount = bytes.count
    restoreBytes = buffer
}

/// From a signal handler: the screen and the tty's modes back as they were (async-signal-safe calls only).
private func restoreFromSignal() {
    guard terminalActive == 1 else { return }
    terminalActive = 0
    if let bytes = restoreBytes, restoreCount > 0 { _ = write(1, bytes, restoreCount) }
    _ = tcsetattr(1, TCSANOW, &modesBeforeCurses)
}

/// SIGINT/SIGTERM/SIGHUP: restore the terminal and exit. A crash (SIGSEGV, SIGILL — Swift's traps —,
/// SIGABRT, SIGBUS, SIGFPE, SIGTRAP): restore, then let the default action run (core dump, exit code).
private func installSignalHandlers() {
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        signal(sig) { s in
            restoreFromSignal()
            _exit(128 + s)
        }
    }
    for sig in [SIGSEGV, SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGTRAP] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { s in
            restoreFromSignal()
            signal(s, SIG_DFL)
            raise(s)
        }
        action.sa_flags = Int32(bitPattern: UInt32(truncatingIfNeeded: SA_RESETHAND))
        sigaction(sig, &action, nil)
    }
}
