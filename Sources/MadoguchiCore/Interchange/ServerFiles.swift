import CSV
import Foundation

/// A file the server returned, read: the good rows, the bad rows' problems and warnings (R-FL-4).
/// `problems` are rows left out of `rows`; the caller refuses the file whole when there are any, or
/// applies `rows` and lists the problems when the clerk asks. `warnings` never stop an import.
public struct ParsedFile<Row: Sendable>: Sendable {
    public let rows: [Row]
    public let problems: [FileProblem]
    public let warnings: [String]
    /// Item key → 1-based column in the file, for problems found after parsing (issue 12 item 7).
    public var columns: [String: Int] = [:]
    /// Status files: each row's 被保険者証番号 (the 受給者番号 for a welfare office, R-RG-2) by row,
    /// when the file has it. Never a key (R-ID-2): only to say why a row matched no case (R-CF-3).
    public var cardNumbers: [Int: String] = [:]

    public init(rows: [Row], problems: [FileProblem], warnings: [String]) {
        self.rows = rows
        self.problems = problems
        self.warnings = warnings
    }
}

/// One row of the 初回登録解除情報登録結果ファイル (R-RG-4, R-FL-1). `row` is the line in the file.
public struct ResultRow: Sendable, Hashable {
    public let row: Int
    public let insurerNumber: String
    public let serverIndividualNumber: String
    /// 処理結果区分 `1` 正常終了 → true, `2` 異常終了 → false.
    public let accepted: Bool
    /// 処理結果メッセージ (may be empty).
    public let message: String

    public init(row: Int, insurerNumber: String, serverIndividualNumber: String, accepted: Bool, message: String) {
        self.row = row
        self.insurerNumber = insurerNumber
        self.serverIndividualNumber = serverIndividualNumber
        self.accepted = accepted
        self.message = message
    }
}

/// One row of the 初回登録・有効期限状況一覧ファイル (R-CF-1, R-FL-2). `row` is the line in the file.
public struct StatusRow: Sendable, Hashable {
    public let row: Int
    public let insurerNumber: String
    public let serverIndividualNumber: String
    /// 初回登録状態 `1` (registered) → true, `0` (利用登録なし) → false.
    public let registered: Bool
    public let registeredOn: LocalDate?
    public let cancelledOn: LocalDate?
    /// 初回登録解除区分: `1` 解除申請, or empty; another half-width code is passed through as read
    /// (the real code list is not public; R-CF-1 confirms only on `1`).
    public let cancelKind: String
    public let certificateExpiry: LocalDate?

    public init(row: Int, insurerNumber: String, serverIndividualNumber: String, registered: Bool,
                registeredOn: LocalDate?, cancelledOn: LocalDate?, cancelKind: String, certificateExpiry: LocalDate?) {
        self.row = row
        self.insurerNumber = insurerNumber
        self.serverIndividualNumber = serverIndividualNumber
        self.registered = registered
        self.registeredOn = registeredOn
        self.cancelledOn = cancelledOn
        self.cancelKind = cancelKind
        self.certificateExpiry = certificateExpiry
    }
}

/// 初回登録解除情報登録結果ファイル (R-RG-4..6, R-FL-1).
public enum ResultFile {
    /// Reads the file with `config.encoding`, `config.result` and `config.resultHasHeader`. Throws a
    /// `FileProblem` for a problem of the whole file (empty, undecodable, a header column missing);
    /// bad rows are returned as `problems`: a number not 8/16 half-width digits, 処理結果区分 other
    /// than 1/2, too few columns, the same person twice (the second is the problem).
    public static func parse(_ data: Data, config: InterchangeConfig) throws -> ParsedFile<ResultRow> {
        let table = try ServerTable.read(data, config: config, layout: config.result, items: ColumnLayout.resultItems,
                                         hasHeader: config.resultHasHeader)
        let cInsurer = table.column("insurer_number"), cServer = table.column("server_individual_number")
        let cResult = table.column("result"), cMessage = table.column("message")
        return table.rows { r in
            let insurer = r.digits(cInsurer, count: 8)
            let server = r.digits(cServer, count: 16)
            var accepted: Bool?
            let code = r.value(cResult)
            switch code {
            case "1": accepted = true
            case "2": accepted = false
            case "": r.problem(cResult, "空です。1（正常終了）か 2（異常終了）のはずです（R-RG-4）")
            default:
                r.problem(cResult, FieldRules.hasFullWidthDigit(code)
                          ? "全角の「\(FieldRules.shown(code))」です。半角の 1（正常終了）か 2（異常終了）のはずです（R-RG-4）"
                          : "1（正常終了）か 2（異常終了）のはずですが「\(FieldRules.shown(code))」です（R-RG-4）")
            }
            let message = r.value(cMessage)
            guard let insurer, let server, let accepted else { return nil }
            return ResultRow(row: r.line, insurerNumber: insurer, serverIndividualNumber: server,
                             accepted: accepted, message: message)
        }
    }
}

/// 初回登録・有効期限状況一覧ファイル (R-CF-1, R-FL-2, R-RL-2).
public enum StatusFile {
    /// Decoding and CSV reading alone, without header handling or row checks: the part of `parse`
    /// that Python's csv module does (issue 14, P3's split). Returns the number of records.
    public static func recordCount(_ data: Data, config: InterchangeConfig) throws -> Int {
        try data.withUnsafeBytes { raw in
            try TextDecoding.withUTF8(raw, expected: config.encoding) { utf8, _, _ in CSVRecords.read(utf8).count }
        }
    }

    /// Reads the file with `config.encoding`, `config.status` and `config.statusHasHeader`. Throws a
    /// `FileProblem` for a problem of the whole file; bad rows are `problems`: numbers not 8/16
    /// half-width digits, 初回登録状態 not 0/1, a date not YYYYMMDD, YYYY-MM-DD or YYYY/MM/DD or not a
    /// real day, 初回登録解除区分 not empty or half-width digits, too few columns, a duplicate person.
    /// Dates may be empty. With `today` (the office's), dates that cannot be true are bad rows too
    /// (issue 12 item 7): a 初回登録日 or 初回登録解除日 after today, a 初回登録解除日 before the 初回登録日.
    public static func parse(_ data: Data, config: InterchangeConfig, today: LocalDate? = nil) throws -> ParsedFile<StatusRow> {
        var layout = config.status
        if layout.columns["card_number"] == nil && !layout.columns.values.contains(.position(3)) {
            layout.columns["card_number"] = .position(3)   // R-FL-2's default place of 被保険者証番号
        }
        let table = try ServerTable.read(data, config: config, layout: layout, items: ColumnLayout.statusItems,
                                         hasHeader: config.statusHasHeader, optional: ColumnLayout.statusOptionalItems)
        let cCard = table.column("card_number")
        var cardNumbers: [Int: String] = [:]
        if cCard.index != nil { cardNumbers.reserveCapacity(table.records.count) }
        let cInsurer = table.column("insurer_number"), cServer = table.column("server_individual_number")
        let cState = table.column("registration_state"), cRegistered = table.column("registered_on")
        let cCancelled = table.column("cancelled_on"), cKind = table.column("cancel_kind")
        let cExpiry = table.column("certificate_expiry")
        var parsed = table.rows { r -> StatusRow? in
            let insurer = r.digits(cInsurer, count: 8)
            let server = r.digits(cServer, count: 16)
            var registered: Bool?
            let state = r.value(cState)
            switch state {
            case "0": registered = false
            case "1": registered = true
            case "": r.problem(cState, "空です。0（利用登録なし）か 1（登録あり）のはずです（R-FL-2）")
            default: r.problem(cState, "0（利用登録なし）か 1（登録あり）のはずですが「\(FieldRules.shown(state))」です（R-FL-2）")
            }
            let registeredOn = r.date(cRegistered)
            let cancelledOn = r.date(cCancelled)
            let kind = r.value(cKind)
            if !kind.isEmpty && !(kind.utf8.count <= 2 && kind.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })) {
                r.problem(cKind, "空か半角数字（1 は解除申請）のはずですが「\(FieldRules.shown(kind))」です（R-CF-1）")
            }
            let expiry = r.date(cExpiry)
            if let today {
                // Two columns, without an array a row (issue 14, P3: 100,000 rows).
                func notAfterToday(_ column: ServerTable.Column, _ date: LocalDate??) {
                    if let d = date ?? nil, d > today {
                        r.problem(column, "\(Wareki.format(d))は今日（\(Wareki.format(today))）より後の日付です。まだ来ていない日はありえません")
                    }
                }
                notAfterToday(cRegistered, registeredOn)
                notAfterToday(cCancelled, cancelledOn)
            }
            // Only for 状態 0: a person registered again after a cancellation (状態 1) keeps the old 解除日
            // with the new 初回登録日 — a re-registration the import lists (R-CF-3), not an impossible row.
            if registered == false, let from = registeredOn ?? nil, let to = cancelledOn ?? nil, to < from {
                r.problem(cCancelled, "\(Wareki.format(to))は初回登録日（\(Wareki.format(from))）より前です。登録より前に解除されることはありません")
            }
            guard let insurer, let server, let registered, !r.failed else { return nil }
            if cCard.index != nil {
                let card = r.value(cCard)
                if !card.isEmpty { cardNumbers[r.line] = card }
            }
            return StatusRow(row: r.line, insurerNumber: insurer, serverIndividualNumber: server, registered: registered,
                             registeredOn: registeredOn ?? nil, cancelledOn: cancelledOn ?? nil, cancelKind: kind,
                             certificateExpiry: expiry ?? nil)
        }
        parsed.cardNumbers = cardNumbers
        return parsed
    }
}

// MARK: - Reading a server file

/// The records of a server file after decoding, header handling and column resolution.
struct ServerTable {
    struct Record {
        let line: Int
        let fields: [String]
    }

    let records: [Record]
    /// Item key → 0-based column.
    let index: [String: Int]
    let labels: [String: String]
    let needed: Int
    var warnings: [String]
    /// Columns of the header row, when the file has one: a data row with more is malformed (issue 6).
    var headerWidth: Int? = nil

    /// An item's column, resolved once per file (0-based index) with its Japanese name.
    struct Column {
        let index: Int?
        let label: String?
    }

    func column(_ key: String) -> Column { Column(index: index[key], label: labels[key]) }

    /// One row being read: values by column, problems collected with the column named.
    /// One reader serves every row of a file in turn (issue 14, P3: not an object a row).
    final class RowReader {
        private(set) var line: Int
        private(set) var fields: [String]
        let table: ServerTable
        var problems: [FileProblem] = []
        var failed: Bool { !problems.isEmpty }

        init(line: Int, fields: [String], table: ServerTable) {
            self.line = line
            self.fields = fields
            self.table = table
        }

        /// The next row, with no problems yet.
        func start(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
            problems.removeAll(keepingCapacity: true)
        }

        func value(_ key: Column) -> String {
            guard let i = key.index, i < fields.count else { return "" }
            return fields[i]
        }

        func problem(_ key: Column, _ message: String) {
            problems.append(FileProblem(row: line, column: key.index.map { $0 + 1 }, columnName: key.label, message: message))
        }

        func digits(_ key: Column, count: Int) -> String? {
            let v = value(key)
            if let m = FieldRules.digitsProblem(v, count: count) {
                problem(key, m)
                return nil
            }
            return v
        }

        /// nil: a problem (recorded); .some(nil): empty; .some(date).
        func date(_ key: Column) -> LocalDate?? {
            switch FieldRules.date(value(key)) {
            case .success(let d): return .some(d)
            case .failure(let e):
                problem(key, e.message)
                return nil
            }
        }
    }

    /// Makes rows; a row with problems (or a duplicate person) is left out and its problems listed.
    func rows<Row>(_ make: (RowReader) -> Row?) -> ParsedFile<Row> {
        var rows: [Row] = []
        rows.reserveCapacity(records.count)
        var problems: [FileProblem] = []
        // The same person twice: keyed by the numbers as integers (their checks passed: 8 and 16
        // half-width digits); by the text only if a row type ever let anything else through.
        var seen: [DigitsMatchKey: Int] = [:]
        seen.reserveCapacity(records.count)
        var seenText: [MatchKey: Int] = [:]
        let reader = RowReader(line: 0, fields: [], table: self)
        let ins = index["insurer_number"]!
        let srv = index["server_individual_number"]!
        for rec in records {
            if let w = headerWidth, rec.fields.count > max(w, needed), rec.fields[max(w, needed)...].contains(where: { !$0.isEmpty }) {
                // An unquoted comma in a value (a 処理結果メッセージ) shifts nothing we read but cuts the
                // value: refused like any malformed row (R-FL-4), never read half. Empty extra fields (a
                // trailing comma) are harmless and read.
                problems.append(FileProblem(row: rec.line, message: "列が多すぎます（\(rec.fields.count)列あります。見出しは\(w)列なので\(w)列のはずです）。カンマを含む値は引用符（\"）で囲んでください"))
                continue
            }
            if rec.fields.count < needed {
                var m = "列が足りません（\(rec.fields.count)列あります。\(needed)列必要です）"
                if rec.fields.contains(where: { $0.contains(where: \.isNewline) }) {
                    m += "。列の中に改行があります: 引用符（\"）の閉じ忘れかもしれません"
                }
                problems.append(FileProblem(row: rec.line, message: m))
                continue
            }
            reader.start(line: rec.line, fields: rec.fields)
            let row = make(reader)
            if !reader.problems.isEmpty || row == nil {
                problems += reader.problems
                continue
            }
            let text = MatchKey(insurerNumber: rec.fields[ins], serverIndividualNumber: rec.fields[srv])
            let key = DigitsMatchKey(text)
            if let first = key.map({ seen[$0] }) ?? seenText[text] {
                problems.append(FileProblem(row: rec.line, message: "保険者番号 \(FieldRules.shown(rec.fields[ins]))・被保険者枝番 \(FieldRules.shown(rec.fields[srv])) の行が \(first)行目にもあります（重複）。重複した行は読みません"))
                continue
            }
            if let key { seen[key] = rec.line } else { seenText[text] = rec.line }
            rows.append(row!)
        }
        var parsed = ParsedFile(rows: rows, problems: problems, warnings: warnings)
        parsed.columns = index.mapValues { $0 + 1 }
        return parsed
    }

    static func read(_ data: Data, config: InterchangeConfig, layout: ColumnLayout,
                     items: [(key: String, label: String)], hasHeader: Bool,
                     optional: [(key: String, label: String)] = []) throws -> ServerTable {
        // Decoded and read as CSV on bytes (issue 14, P3): no `String` of the whole file.
        var (records, warnings) = try data.withUnsafeBytes { raw in
            try TextDecoding.withUTF8(raw, expected: config.encoding) { utf8, decodeWarnings, scan in
                (CSVRecords.read(utf8), decodeWarnings + TextDecoding.lineEndingWarnings(scan, expected: config.lineEnding))
            }
        }

        // Blank lines: skipped; warned about only when they are not just at the end.
        let lastData = records.lastIndex { !$0.isBlank }
        guard let lastData else { throw FileProblem(message: "ファイルが空です（データの行がありません）") }
        let innerBlank = records[...lastData].filter(\.isBlank).map(\.line)
        if !innerBlank.isEmpty {
            let list = innerBlank.prefix(5).map { "\($0)行目" }.joined(separator: "、")
            warnings.append("空の行を読み飛ばしました（\(list)\(innerBlank.count > 5 ? " ほか" : "")）")
        }
        records.removeAll(where: \.isBlank)   // in place: no copy of 100,000 records

        var labels: [String: String] = [:]
        for (k, l) in items + optional { labels[k] = l }
        var index: [String: Int] = [:]
        var headerWidth: Int?

        if layout.usesHeaderNames {
            // Header names need the header row (the config refuses has_header = false with names).
            let h = records.removeFirst()
            headerWidth = h.fields.count
            for (key, label) in items + optional {
                switch layout.columns[key] {
                case .position(let n)?: index[key] = n - 1
                case .header(let name)?:
                    let matches = h.fields.indices.filter { h.fields[$0] == name }
                    if matches.isEmpty {
                        throw FileProblem(row: h.line, message: "見出しに「\(name)」（\(label)）の列がありません（見出し: \(h.fields.map { "「\(FieldRules.shown($0))」" }.joined(separator: " "))）。設定の [files] か、ファイルの種類を確かめてください")
                    }
                    if matches.count > 1 {
                        throw FileProblem(row: h.line, message: "見出し「\(name)」（\(label)）が \(matches.map { "\($0 + 1)列目" }.joined(separator: "と")) にあります。どちらか決められません")
                    }
                    index[key] = matches[0]
                case nil: break
                }
            }
        } else {
            for (key, _) in items + optional {
                if case .position(let n)? = layout.columns[key] { index[key] = n - 1 }
            }
            // Check the first row against has_header (see InterchangeConfig): never drop a person.
            if let first = records.first {
                let keys = [index["insurer_number"], index["server_individual_number"]].compactMap { $0 }
                let values = keys.map { $0 < first.fields.count ? first.fields[$0] : "" }
                let looksLikeData = values.contains { !$0.isEmpty && $0.unicodeScalars.allSatisfy(TextNormalizer.isASCIIDigit) }
                let looksLikeHeader = values.contains { !$0.isEmpty }
                    && !values.contains { $0.unicodeScalars.contains { TextNormalizer.isASCIIDigit($0) || (0xFF10...0xFF19).contains($0.value) } }
                if hasHeader {
                    if looksLikeData {
                        warnings.append("\(first.line)行目は見出しではなくデータのようなので、データとして読みました（設定は has_header = true）")
                    } else {
                        headerWidth = records.removeFirst().fields.count
                    }
                } else if looksLikeHeader {
                    headerWidth = records.removeFirst().fields.count
                    warnings.append("\(first.line)行目は見出しのようなので読み飛ばしました（設定は has_header = false）")
                }
            }
        }
        if records.isEmpty {
            warnings.append("見出しの行だけで、データの行がありません")
        }
        for (key, _) in items where index[key] == nil {
            // A layout always names every item (defaults fill the rest); kept safe for hand-built layouts.
            throw FileProblem(message: "設定で \(key)（\(labels[key] ?? key)）の列が決まっていません")
        }
        // Optional items (R-CF-3's 被保険者証番号) never make a row too short: read when there.
        let needed = (items.compactMap { index[$0.key] }.max() ?? 0) + 1
        return ServerTable(records: records, index: index, labels: labels, needed: needed, warnings: warnings, headerWidth: headerWidth)
    }
}

extension ServerTable.Record {
    var isBlank: Bool { fields.allSatisfy(\.isEmpty) }
}

/// CSV text → records, with the file line where each starts. Reading is CSV.swift's rules (RFC 4180:
/// quoted fields, doubled quotes, CRLF/LF/CR line ends) applied to bytes by `CSVBytes`; fields are
/// then trimmed of spaces.
enum CSVRecords {
    static func read(_ text: String) -> [ServerTable.Record] {
        var t = text
        return t.withUTF8 { read(UnsafeRawBufferPointer($0)) }
    }

    /// Records of UTF-8 bytes.
    static func read(_ utf8: UnsafeRawBufferPointer) -> [ServerTable.Record] {
        var out: [ServerTable.Record] = []
        var line = 1
        CSVBytes.forEachRecord(utf8) { fields, breaks in
            out.append(ServerTable.Record(line: line, fields: fields))
            line += 1 + breaks
        }
        return out
    }

    /// The reading before issue 14, through CSV.swift's `CSVReader` on the text's scalars: kept as
    /// the reference `CSVBytes` is tested against (CSVBytesTests), not used to read files.
    static func readWithCSVSwift(_ text: String) -> [ServerTable.Record] {
        var out: [ServerTable.Record] = []
        // `CSVReader(string:)` only throws when asked for a header row.
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false, trimFields: false) else { return [] }
        var line = 1
        while let row = reader.next() {
            var fields = row
            var breaks = 0
            for i in fields.indices {
                let f = fields[i]
                guard let first = f.utf8.first, let last = f.utf8.last else { continue }
                if first == 0x20 || last == 0x20 || first == 0x09 || last == 0x09 || first >= 0x80 || last >= 0x80 {
                    fields[i] = trimSpaces(f)
                }
                breaks += lineBreaks(f)
            }
            out.append(ServerTable.Record(line: line, fields: fields))
            line += 1 + breaks
        }
        return out
    }

    /// Trims ASCII spaces, tabs and the ideographic space (全角スペース) at both ends.
    static func trimSpaces(_ s: String) -> String {
        let scalars = s.unicodeScalars
        func isSpace(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" || u == "\u{3000}" }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    /// Line breaks inside a quoted field (CRLF counts once).
    static func lineBreaks(_ s: String) -> Int {
        var t = s
        return t.withUTF8 { CSVBytes.lineBreaks($0) }
    }
}

/// Value rules shared by the writer and the readers.
enum FieldRules {
    /// A value as quoted in a message: at most 30 characters, a 個人番号-like number masked (R-ID-4)
    /// and control characters shown as `<U+001B>` (R-FL-5: the message reaches a terminal).
    static func shown(_ s: String) -> String {
        let t = TextNormalizer.importedText(s)
        return t.count <= 30 ? t : String(t.prefix(30)) + "…"
    }

    static func hasFullWidthDigit(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0xFF10...0xFF19).contains($0.value) }
    }

    /// Why `s` is not exactly `count` half-width digits, or nil. Names the Excel mistakes: a number
    /// turned into 1.23457E+15, leading zeros dropped.
    static func digitsProblem(_ s: String, count: Int) -> String? {
        if s.isEmpty { return "空です。半角数字\(count)桁が必要です" }
        if s.utf8.count == count && s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return nil }
        if hasFullWidthDigit(s) {
            return "全角の数字が含まれています（「\(shown(s))」）。半角数字\(count)桁のはずです"
        }
        if s.range(of: #"^[0-9](\.[0-9]+)?[Ee]\+?[0-9]+$"#, options: .regularExpression) != nil {
            return "「\(shown(s))」は Excel で数値に変わった形です。Excel で保存する前のファイルを使ってください（半角数字\(count)桁のはずです）"
        }
        if s.unicodeScalars.allSatisfy(TextNormalizer.isASCIIDigit) {
            let hint = s.count < count ? "。Excel で開いて保存すると先頭の 0 が消えます" : ""
            return "\(s.count)桁です（半角数字\(count)桁のはずです）\(hint)"
        }
        return "半角数字\(count)桁ではありません（「\(shown(s))」）"
    }

    /// A date of a server file: `YYYYMMDD`, `YYYY-MM-DD` or `YYYY/MM/DD` (month and day may be one
    /// digit with `-` or `/`, as Excel writes them); empty → nil; an impossible day is an error.
    static func date(_ s: String) -> Result<LocalDate?, ValueError> {
        if s.isEmpty { return .success(nil) }
        func format() -> Result<LocalDate?, ValueError> {
            if hasFullWidthDigit(s) {
                return .failure(ValueError("日付「\(shown(s))」に全角の数字が含まれています（半角の YYYYMMDD、YYYY-MM-DD、YYYY/MM/DD のどれか）"))
            }
            return .failure(ValueError("日付「\(shown(s))」の形が違います（YYYYMMDD、YYYY-MM-DD、YYYY/MM/DD のどれか）"))
        }
        // Byte by byte, no allocation: a status file has three dates a row and 100,000 rows.
        var parts = (0, 0, 0), digits = (0, 0, 0)
        var n = 0                     // separators seen
        var separator: UInt8 = 0
        for b in s.utf8 {
            if b >= 0x30 && b <= 0x39 {
                let v = Int(b - 0x30)
                switch n {
                case 0: parts.0 = parts.0 * 10 + v; digits.0 += 1
                case 1: parts.1 = parts.1 * 10 + v; digits.1 += 1
                default: parts.2 = parts.2 * 10 + v; digits.2 += 1
                }
                if digits.0 > 8 || digits.1 > 2 || digits.2 > 2 { return format() }
            } else if (b == 0x2D || b == 0x2F) && (separator == 0 || separator == b) && n < 2 {
                separator = b
                n += 1
            } else {
                return format()
            }
        }
        let y: Int, m: Int, d: Int
        if n == 0 && digits.0 == 8 {
            (y, m, d) = (parts.0 / 10000, parts.0 / 100 % 100, parts.0 % 100)
        } else if n == 2 && digits.0 == 4 && digits.1 >= 1 && digits.2 >= 1 {
            (y, m, d) = parts
        } else {
            return format()
        }
        guard let date = LocalDate(year: y, month: m, day: d) else {
            return .failure(ValueError("日付「\(shown(s))」は存在しない日です"))
        }
        return .success(date)
    }
}
