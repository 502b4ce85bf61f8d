/// What a terminal reports to the desk.
public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
}

/// The terminal as the desk's runtime sees it: events in, frames out. The ncursesw backend
/// (`MadoguchiTerminal.Terminal`) is one; tests script another, so the whole loop runs in-process.
public protocol TerminalIO: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// The next key or resize, or nil after `timeoutMs` without one (the runtime's idle tick).
    func read(timeoutMs: Int32) -> TerminalEvent?
    /// Paints a whole frame (a backend may paint only what changed).
    func draw(_ canvas: Canvas)
}
