/// Writes CSV in CP932 or UTF-8 (R-RG-2's encodings; Excel's UTF-8 with BOM for reports): a field
/// holding `,` `"` CR or LF is quoted with its quotes doubled; a character the encoding cannot hold
/// is refused naming the row and column — never written as `?`.
public enum CSVWriter {
    /// `row` in a refusal counts data rows from 1 (the header, if any, is row nil).
    ///
    /// `forPeople`: a report a person opens in a spreadsheet (the pending list's CSV). Each cell then
    /// goes through `spreadsheetCell` (R-FL-5, OWASP "CSV injection"). Files for another program (the
    /// registration file for the 中間サーバー, the training server's files) are written as given: their
    /// layout is fixed and a `'` would change the value the server reads.
    public static func encode(_ rows: [[String]], header: [String]? = nil, columnNames: [String] = [],
                              encoding: TextEncoding, lineEnding: LineEnding, byteOrderMark: Bool = false,
                              forPeople: Bool = false) throws -> [UInt8] {
        var out: [UInt8] = byteOrderMark && encoding == .utf8 ? [0xEF, 0xBB, 0xBF] : []
        out.reserveCapacity(rows.count * 64)
        let eol = lineEnding.bytes
        func append(_ fields: [String], row: Int?) throws {
            for (j, given) in fields.enumerated() {
                if j > 0 { out.append(0x2C) }
                let (field, mustQuote) = forPeople ? spreadsheetCell(given) : (given, false)
                let bytes: [UInt8]
                switch TextEncoder.encode(field, as: encoding) {
                case .success(let b): bytes = b
                case .failure(let e):
                    throw FileProblem(row: row, column: j + 1, columnName: j < columnNames.count ? columnNames[j] : nil, message: e.message)
                }
                // In CP932 and UTF-8 alike, `,` `"` CR LF are single bytes that never occur inside a
                // multi-byte character, so quoting can work on the bytes.
                if mustQuote || bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) {
                    out.append(0x22)
                    for b in bytes {
                        out.append(b)
                        if b == 0x22 { out.append(0x22) }
                    }
                    out.append(0x22)
                } else {
                    out.append(contentsOf: bytes)
                }
            }
            out.append(contentsOf: eol)
        }
        if let header { try append(header, row: nil) }
        for (i, row) in rows.enumerated() { try append(row, row: i + 1) }
        return out
    }

    /// One cell of a report for people (R-FL-5, R-ID-4): a 個人番号-like number masked and control
    /// characters shown as `<U+001B>` (a journal written before these rules may still hold them), and
    /// — as OWASP advises against CSV injection — a cell that starts with `=` `+` `-` `@`, TAB or CR
    /// (before or after that cleaning) gets a leading `'` and is always quoted, so Excel and
    /// LibreOffice show it as text instead of running it as a formula. The reports hold no negative
    /// numbers (counts, dates and labels only), so no real value loses its sign to the `'`.
    public static func spreadsheetCell(_ s: String) -> (text: String, quoted: Bool) {
        func startsAsFormula(_ t: String) -> Bool {
            guard let u = t.unicodeScalars.first else { return false }
            return u == "=" || u == "+" || u == "-" || u == "@" || u == "\t" || u == "\r"
        }
        let cleaned = TextNormalizer.importedText(s)
        guard startsAsFormula(s) || startsAsFormula(cleaned) else { return (cleaned, false) }
        return ("'" + cleaned, true)
    }
}
