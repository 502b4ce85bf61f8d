/// A paragraph of a scrolling text screen (case detail, review page, help, report, reminders,
/// training): wrapped whole by `TextWrap`, its continuation rows indented by `indent` columns so a
/// value lines up under itself (`住所　　東京都…` / `　　　　　…１－２－２`).
struct Paragraph {
    var text: String
    var style: Style
    var indent: Int

    init(_ text: String, _ style: Style = .normal, indent: Int = 0) {
        self.text = text
        self.style = style
        self.indent = indent
    }
}

extension DeskState {
    /// Columns a text screen writes in: from x = 1 to width - 3; column width - 2 holds ↑/↓.
    var textColumns: Int { max(1, width - 3) }

    /// Paragraphs as screen rows, nothing cut (issue 11: the screen never lies).
    func layout(_ paragraphs: [Paragraph], columns: Int? = nil) -> [(String, Style)] {
        let w = columns ?? textColumns
        return paragraphs.flatMap { p in TextWrap.rows(p.text, width: w, indent: p.indent).map { ($0, p.style) } }
    }

    /// The first row to show: `offset` kept within the rows.
    static func clampScroll(_ offset: Int, rows: Int, visible: Int) -> Int {
        max(0, min(offset, rows - visible))
    }

    /// ↑ ↓ PgUp PgDn Home End on a text that scrolls; nil for any other key.
    static func scroll(_ offset: Int, _ command: Command, rows: Int, visible: Int) -> Int? {
        let page = max(1, visible - 1)
        let moved: Int
        switch command {
        case .up: moved = offset - 1
        case .down: moved = offset + 1
        case .previousPage: moved = offset - page
        case .nextPage: moved = offset + page
        case .home: moved = 0
        case .end: moved = rows
        default: return nil
        }
        return clampScroll(moved, rows: rows, visible: visible)
    }

    /// Draws rows from `offset` into top..<bottom, with ↑ (more above) and ↓ (more below) in the
    /// marker column, so a text that goes on is never mistaken for its end.
    func drawScrolling(_ c: inout Canvas, _ rows: [(String, Style)], top: Int, bottom: Int, offset: Int, x: Int = 1) {
        let visible = max(0, bottom - top)
        let offset = Self.clampScroll(offset, rows: rows.count, visible: visible)
        for (i, (t, st)) in rows.dropFirst(offset).prefix(visible).enumerated() {
            c.put(t, x: x, y: top + i, style: st)
        }
        if offset > 0 { c.put("↑", x: width - 2, y: top, style: .warning) }
        if rows.count - offset > visible { c.put("↓", x: width - 2, y: bottom - 1, style: .warning) }
    }

    /// "（3/5頁）" when the rows do not fit, for a heading; empty when everything shows.
    static func pageMarker(offset: Int, rows: Int, visible: Int) -> String {
        guard rows > visible, visible > 0 else { return "" }
        let pages = (rows + visible - 1) / visible
        let page = min(pages, Self.clampScroll(offset, rows: rows, visible: visible) / visible + 1)
        let last = Self.clampScroll(offset, rows: rows, visible: visible) + visible >= rows
        return "（\(last ? pages : page)/\(pages)頁　↑↓・PgUp/PgDn）"
    }
}

/// A column of a list (案件一覧, 未完了一覧): at least `width` columns; on a wider terminal it takes
/// a share (`grow`) of the room left, up to `limit`; an `optional` column shows only when it fits.
struct TableColumn {
    var title: String
    var width: Int
    var grow = 0
    var limit = Int.max
    var optional = false
}

enum TableLayout {
    /// Each column's width for `room` columns (one space between columns), nil for a column left out.
    static func widths(_ columns: [TableColumn], room: Int) -> [Int?] {
        var shown = columns.map { !$0.optional }
        var used = columns.indices.filter { shown[$0] }.reduce(0) { $0 + columns[$1].width + 1 }
        for i in columns.indices where columns[i].optional && used + columns[i].width + 1 <= room {
            shown[i] = true
            used += columns[i].width + 1
        }
        var widths = columns.indices.map { shown[$0] ? columns[$0].width : 0 }
        var extra = room - used
        // Hand the room out a column at a time by weight, so no blank space is left while a column could grow.
        while extra > 0 {
            let growing = columns.indices.filter { shown[$0] && columns[$0].grow > 0 && widths[$0] < columns[$0].limit }
            guard !growing.isEmpty else { break }
            let weight = growing.reduce(0) { $0 + columns[$1].grow }
            var given = 0
            for i in growing {
                let share = max(1, extra * columns[i].grow / weight)
                let add = min(share, columns[i].limit - widths[i], extra - given)
                widths[i] += add
                given += add
                if given >= extra { break }
            }
            if given == 0 { break }
            extra -= given
        }
        return columns.indices.map { shown[$0] ? widths[$0] : nil }
    }
}
