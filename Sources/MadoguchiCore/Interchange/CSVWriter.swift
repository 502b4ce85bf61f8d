/// Writes CSV in CP932 or UTF-8 (R-RG-2's encodings; Excel's UTF-8 with BOM for reports): a field
/// holding `,` `"` CR or LF is quoted with its quotes doubled; a character the encoding cannot hold
/// is refused naming the row and column — never written as `?`.
public enum CSVWriter {
    /// `row` in a refusal counts data rows from 1 (the header, if any, is row nil).
    public static func encode(_ rows: [[String]], header: [String]? = nil, columnNames: [String] = [],
                              encoding: TextEncoding, lineEnding: LineEnding, byteOrderMark: Bool = false) throws -> [UInt8] {
        var out: [UInt8] = byteOrderMark && encoding == .utf8 ? [0xEF, 0xBB, 0xBF] : []
        out.reserveCapacity(rows.count * 64)
        let eol = lineEnding.bytes
        func append(_ fields: [String], row: Int?) throws {
            for (j, field) in fields.enumerated() {
                if j > 0 { out.append(0x2C) }
                let bytes: [UInt8]
                switch TextEncoder.encode(field, as: encoding) {
                case .success(let b): bytes = b
                case .failure(let e):
                    throw FileProblem(row: row, column: j + 1, columnName: j < columnNames.count ? columnNames[j] : nil, message: e.message)
                }
                // In CP932 and UTF-8 alike, `,` `"` CR LF are single bytes that never occur inside a
                // multi-byte character, so quoting can work on the bytes.
                if bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) {
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
}
