/// Colours are roles more than paint: the terminal backend maps them, or drops them for a
/// monochrome terminal and NO_COLOR (then `bold`/`reverse`/`underline` carry the meaning).
public enum Color: UInt8, Hashable, Sendable {
    case none, black, red, green, yellow, blue, magenta, cyan, white
}

public struct Style: Hashable, Sendable {
    public var fg: Color = .none
    public var bg: Color = .none
    public var bold = false
    public var reverse = false
    public var underline = false

    public init(fg: Color = .none, bg: Color = .none, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let normal = Style()
    /// Title bar and key labels, like nano's.
    public static let bar = Style(reverse: true)
    /// The 研修・デモ marker: never missed.
    public static let training = Style(fg: .black, bg: .yellow, bold: true, reverse: false)
    public static let heading = Style(bold: true)
    public static let focus = Style(reverse: true)
    public static let input = Style(underline: true)
    public static let error = Style(fg: .red, bold: true)
    public static let warning = Style(fg: .yellow, bold: true)
    public static let success = Style(fg: .green, bold: true)
    public static let dim = Style(fg: .cyan)
    public static let selected = Style(reverse: true)
}

/// One terminal cell. A wide character fills its cell and leaves the next one as a continuation
/// (`text == ""`), so cell x always means terminal column x.
public struct Cell: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String = " ", style: Style = .normal) {
        self.text = text
        self.style = style
    }

    public var isContinuation: Bool { text.isEmpty }
    public static let blank = Cell()
}

/// A grid of cells: what the screen should look like. Views draw into it; the terminal backend
/// paints the difference between the last one and this; tests read it as text.
public struct Canvas: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should blink (the insertion point of the focused text field).
    public var cursor: (x: Int, y: Int)? {
        get { cursorX.map { ($0, cursorY) } }
        set { cursorX = newValue?.x; cursorY = newValue?.y ?? 0 }
    }
    private var cursorX: Int?
    private var cursorY = 0

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let i = y * width + x
        // Breaking half of a wide character blanks the other half.
        if cells[i].isContinuation && x > 0 { cells[i - 1] = Cell(" ", style: cells[i - 1].style) }
        if !cells[i].isContinuation && x + 1 < width && cells[i + 1].isContinuation && DisplayWidth.of(Character(cells[i].text)) == 2 {
            cells[i + 1] = Cell(" ", style: cells[i].style)
        }
        cells[i] = cell
    }

    /// Writes text at (x, y), clipped to `maxWidth` columns and the canvas edge. Control characters
    /// are shown as `?`; a wide character that would not fit is replaced by a space.
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return x }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            var c = ch
            var w = DisplayWidth.of(c)
            if w == 0 {
                if DisplayWidth.isControl(ch) {
                    c = "?"
                    w = 1
                } else {
                    continue // a lone combining mark: nothing to draw on its own
                }
            }
            if col + w > limit {
                if w == 2 && col < limit { if col >= 0 { set(col, y, Cell(" ", style: style)) }; col += 1 }
                break
            }
            if col >= 0 {
                set(col, y, Cell(String(c), style: style))
                if w == 2 { set(col + 1, y, Cell("", style: style)) }
            }
            col += w
        }
        return col
    }

    /// Paints a row (or part of it) with a style, e.g. a bar.
    public mutating func fill(y: Int, from x0: Int = 0, to x1: Int? = nil, style: Style) {
        guard y >= 0, y < height else { return }
        for x in max(0, x0)..<min(width, x1 ?? width) { set(x, y, Cell(" ", style: style)) }
    }

    /// A dialog's box over the screen: each of its rows is first blanked across the whole width, so
    /// nothing of the screen behind is left beside the box as a fragment (the first half of a word,
    /// a date's `20`, a field label without its `*`, half of a wide character: issue 11); then the
    /// box is painted. Rows outside the canvas are skipped.
    public mutating func box(x: Int, y: Int, width w: Int, rows: Int, style: Style) {
        for yy in max(0, y)..<min(height, y + max(0, rows)) {
            fill(y: yy, style: .normal)
            fill(y: yy, from: x, to: x + w, style: style)
        }
    }

    /// The screen as plain text, one line a row, trailing spaces trimmed (snapshot tests).
    public var text: String {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    public static func == (a: Canvas, b: Canvas) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursorX == b.cursorX && a.cursorY == b.cursorY
    }

    public func hash(into h: inout Hasher) {
        h.combine(width)
        h.combine(height)
        h.combine(cells)
    }
}
