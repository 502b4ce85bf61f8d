import Foundation

/// FI_HIM_0018 初回登録解除情報一括登録ファイル (CSV), interface IF_HIM_22019 (R-RG-1, R-RG-2).
/// Knows the six columns and their rules; which value goes in which column is the caller's
/// (`InterchangeConfig.exportColumns`).
public enum RegistrationFile {
    /// The six columns of R-RG-2, in file order.
    public static let columnNames: [String] = [
        "保険者コード", "被保険者枝番", "保険者番号", "被保険者証記号", "被保険者証番号", "被保険者証枝番",
    ]

    /// Validates one row of the six columns against the R-RG-2 table (R-RG-3: every field before a
    /// file is written). Problems name the column (`row` is nil); empty when the row is fine.
    ///
    /// 1 保険者コード: 8 half-width letters/digits, required. 2 被保険者枝番: 16 half-width digits,
    /// required. 3 保険者番号: 8 half-width digits, required. 4 被保険者証記号: up to 20 characters
    /// (full or half width), may be empty. 5 被保険者証番号: up to 20 characters, required.
    /// 6 被保険者証枝番: 2 half-width digits or empty. In every column: no control characters, no 外字
    /// (private use), no `,` `"` (a server reading CSV naively would split them), no spaces at either end.
    public static func validate(_ fields: [String]) -> [FileProblem] {
        guard fields.count == columnNames.count else {
            return [FileProblem(message: "列の数が \(fields.count) です（\(columnNames.count)列: \(columnNames.joined(separator: "・"))）（R-RG-2）")]
        }
        var problems: [FileProblem] = []
        func add(_ i: Int, _ message: String) {
            problems.append(FileProblem(column: i + 1, columnName: columnNames[i], message: message + "（R-RG-2）"))
        }
        for (i, value) in fields.enumerated() {
            if let m = commonProblem(value) {
                add(i, m)
                continue
            }
            switch i {
            case 0:
                if value.isEmpty { add(i, "空です。半角英数字8桁が必要です") }
                else if !(value.count == 8 && value.unicodeScalars.allSatisfy(isASCIIAlnum)) {
                    add(i, "半角英数字8桁ではありません（「\(shown(value))」）")
                }
            case 1:
                if let m = FieldRules.digitsProblem(value, count: 16) { add(i, m) }
            case 2:
                if let m = FieldRules.digitsProblem(value, count: 8) { add(i, m) }
            case 3:
                if value.count > 20 { add(i, "\(value.count)文字あります（20文字まで）") }
            case 4:
                if value.isEmpty { add(i, "空です（必須）") }
                else if value.count > 20 { add(i, "\(value.count)文字あります（20文字まで）") }
            default:
                if !value.isEmpty && !(value.count == 2 && value.unicodeScalars.allSatisfy(TextNormalizer.isASCIIDigit)) {
                    add(i, "半角数字2桁か空でなければなりません（「\(shown(value))」）")
                }
            }
        }
        return problems
    }

    /// `validate`, and also that every field can be written in `encoding` (after the CP932 remapping
    /// of `encode`), so an exporter can leave out the one case instead of failing the whole file.
    public static func validate(_ fields: [String], encoding: TextEncoding) -> [FileProblem] {
        var problems = validate(fields)
        guard fields.count == columnNames.count else { return problems }
        for (i, value) in fields.enumerated() {
            if case .failure(let e) = TextEncoder.encode(value, as: encoding),
               !problems.contains(where: { $0.column == i + 1 }) {
                problems.append(FileProblem(column: i + 1, columnName: columnNames[i], message: e.message))
            }
        }
        return problems.sorted { ($0.column ?? 0) < ($1.column ?? 0) }
    }

    /// Encodes rows (already validated) to the file's bytes: CSV (a field holding `,` `"` CR or LF is
    /// quoted, quotes doubled), the config's encoding and line ending, a line ending after the last
    /// row, a header row of `columnNames` only when `exportHeader` is set. CP932: 〜 − ¥ (and ‖ — ¢ £ ¬)
    /// are written as their CP932 forms ～ － ￥ (∥ ― ￠ ￡ ￢); any other character CP932 lacks throws a
    /// `FileProblem` naming the row (1-based index in `rows`) and column — never `?` (R-RG-2).
    ///
    /// Not neutralised against spreadsheet formulas (OWASP CSV injection, as the reports are): the
    /// file is read by the 中間サーバー, whose layout is fixed, and a leading `'` would change the
    /// value it reads. Nothing in it starts a formula anyway: every value comes from the office's
    /// `[files]` mapping (`ExportSource`): the office's codes, the 16-digit 被保険者枝番, the 7-digit
    /// 受給者番号, empty, or a literal the office itself wrote in its config — digits and letters,
    /// checked by `validate` (no control characters; columns 1–3 and 6 half-width digits/letters).
    public static func encode(_ rows: [[String]], config: InterchangeConfig) throws -> Data {
        for (i, row) in rows.enumerated() where row.count != columnNames.count {
            throw FileProblem(row: i + 1, message: "列の数が \(row.count) です（\(columnNames.count)列が必要です）（R-RG-2）")
        }
        return Data(try CSVWriter.encode(rows, header: config.exportHeader ? columnNames : nil, columnNames: columnNames,
                                         encoding: config.encoding, lineEnding: config.lineEnding))
    }

    // MARK: -

    static func commonProblem(_ value: String) -> String? {
        if let c = TextNormalizer.firstControlScalar(value) {
            return "制御文字（\(TextNormalizer.codePoint(c))）が含まれています"
        }
        if let u = value.unicodeScalars.first(where: TextDecoding.isPrivateUse) {
            return "外字（\(TextNormalizer.codePoint(u))）は使えません"
        }
        if value.contains(",") { return "「,」（カンマ）は使えません（CSV の区切りと紛れます）" }
        if value.contains("\"") { return "「\"」（二重引用符）は使えません" }
        if let f = value.unicodeScalars.first, let l = value.unicodeScalars.last,
           f.properties.isWhitespace || l.properties.isWhitespace {
            return "前後に空白があります（「\(shown(value))」）"
        }
        return nil
    }

    static func isASCIIAlnum(_ u: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(u.value) || (0x41...0x5A).contains(u.value) || (0x61...0x7A).contains(u.value)
    }

    static func shown(_ s: String) -> String { FieldRules.shown(s) }
}
