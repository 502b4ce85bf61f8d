import Foundation
import TOMLKit

/// The character encoding of a file exchanged with the 中間サーバー (R-RG-2: CP932 by default, UTF-8
/// selectable). `cp932` is Shift_JIS as Windows writes it (code page 932, Foundation's `.shiftJIS`).
public enum TextEncoding: String, Sendable, CaseIterable {
    case cp932 = "cp932"
    case utf8 = "utf-8"

    /// The config spellings: `cp932`, `shift_jis`, `shift-jis`, `sjis`, `ms932`, `windows-31j` → CP932;
    /// `utf-8`, `utf8` → UTF-8 (any case).
    public init?(configName: String) {
        switch configName.trimmingCharacters(in: .whitespaces).lowercased() {
        case "cp932", "shift_jis", "shift-jis", "shiftjis", "sjis", "ms932", "windows-31j": self = .cp932
        case "utf-8", "utf8": self = .utf8
        default: return nil
        }
    }

    /// How the clerk reads it: `CP932（Shift_JIS）`, `UTF-8`.
    public var label: String { self == .cp932 ? "CP932（Shift_JIS）" : "UTF-8" }

    /// `label` as it stands before Japanese text: a space after an ASCII name, none after `）`.
    var spacedLabel: String { self == .cp932 ? label : label + " " }
}

/// The line ending written to exports and expected in imports (R-RG-2: CRLF by default).
public enum LineEnding: String, Sendable, CaseIterable {
    case crlf
    case lf

    public var bytes: [UInt8] { self == .crlf ? [0x0D, 0x0A] : [0x0A] }
    public var label: String { self == .crlf ? "CRLF" : "LF" }
}

/// Where one column of the bulk registration file (R-RG-2) takes its value from.
public enum ExportSource: Sendable, Hashable, CustomStringConvertible {
    case officeServerCode
    case officePublicPayerNumber
    case serverIndividualNumber
    case recipientNumber
    case empty
    case literal(String)

    /// Config spelling: `office.server_code`, `office.public_payer_number`,
    /// `case.server_individual_number`, `case.recipient_number`, `""` (empty), `=TEXT` (the text itself).
    public init?(configName: String) {
        switch configName {
        case "office.server_code": self = .officeServerCode
        case "office.public_payer_number": self = .officePublicPayerNumber
        case "case.server_individual_number": self = .serverIndividualNumber
        case "case.recipient_number": self = .recipientNumber
        case "": self = .empty
        default:
            guard configName.hasPrefix("=") else { return nil }
            self = .literal(String(configName.dropFirst()))
        }
    }

    /// The config spelling (inverse of `init(configName:)`).
    public var configName: String {
        switch self {
        case .officeServerCode: return "office.server_code"
        case .officePublicPayerNumber: return "office.public_payer_number"
        case .serverIndividualNumber: return "case.server_individual_number"
        case .recipientNumber: return "case.recipient_number"
        case .empty: return ""
        case .literal(let s): return "=" + s
        }
    }

    public var description: String { configName.isEmpty ? "（空）" : configName }

    /// The welfare-office mapping of R-RG-2: 保険者コード ← office's server code, 被保険者枝番 ← the
    /// case's 16-digit number, 保険者番号 ← 公費負担者番号, 記号 ← empty, 番号 ← 受給者番号, 枝番 ← empty.
    public static let defaultMapping: [ExportSource] = [
        .officeServerCode, .serverIndividualNumber, .officePublicPayerNumber, .empty, .recipientNumber, .empty,
    ]
}

/// Where an item is in a file the server returns: a 1-based column position, or a header name (the
/// file must then have a header row).
public enum ColumnRef: Sendable, Hashable, CustomStringConvertible {
    case position(Int)
    case header(String)

    public var description: String {
        switch self {
        case .position(let n): return "\(n)列目"
        case .header(let h): return "見出し「\(h)」"
        }
    }
}

/// Which column holds which item of a server file (DOMAIN.md §9: by header name or by position).
public struct ColumnLayout: Sendable, Hashable {
    /// Item key → column. Keys: see `resultItems` / `statusItems`.
    public var columns: [String: ColumnRef]

    public init(columns: [String: ColumnRef]) { self.columns = columns }

    /// 初回登録解除情報登録結果ファイル items (R-FL-1), in file order, with their Japanese names.
    public static let resultItems: [(key: String, label: String)] = [
        ("insurer_number", "保険者番号"),
        ("server_individual_number", "被保険者枝番"),
        ("result", "処理結果区分"),
        ("message", "処理結果メッセージ"),
    ]

    /// 初回登録・有効期限状況一覧ファイル items (R-FL-2), in the order DOMAIN.md lists the file's
    /// columns, with their Japanese names.
    public static let statusItems: [(key: String, label: String)] = [
        ("insurer_number", "保険者番号"),
        ("server_individual_number", "被保険者枝番"),
        ("registration_state", "初回登録状態"),
        ("registered_on", "初回登録日"),
        ("cancelled_on", "初回登録解除日"),
        ("cancel_kind", "初回登録解除区分"),
        ("certificate_expiry", "電子証明書有効期限"),
    ]

    /// Status-file items read when present but never needed (R-CF-3): 被保険者証番号, which the
    /// welfare office fills with the 受給者番号 (R-RG-2). Never a key (R-ID-2): it only lets the import
    /// say that a row would have matched a case whose 被保険者枝番 is blank. Default: position 3 when
    /// the layout puts no other item there.
    public static let statusOptionalItems: [(key: String, label: String)] = [
        ("card_number", "被保険者証番号"),
    ]

    /// R-FL-1 default: the six columns of R-RG-2, then 処理結果区分 (7), then 処理結果メッセージ (8).
    public static let defaultResult = ColumnLayout(columns: [
        "insurer_number": .position(3),
        "server_individual_number": .position(2),
        "result": .position(7),
        "message": .position(8),
    ])

    /// R-FL-2 default: 保険者番号 1, 被保険者証記号 2, 被保険者証番号 3, 被保険者証枝番 4, 被保険者枝番 5,
    /// 初回登録状態 6, 初回登録日 7, 初回登録解除日 8, 初回登録解除区分 9, 電子証明書有効期限 10.
    public static let defaultStatus = ColumnLayout(columns: [
        "insurer_number": .position(1),
        "server_individual_number": .position(5),
        "registration_state": .position(6),
        "registered_on": .position(7),
        "cancelled_on": .position(8),
        "cancel_kind": .position(9),
        "certificate_expiry": .position(10),
    ])

    var usesHeaderNames: Bool {
        columns.values.contains { if case .header = $0 { return true } else { return false } }
    }
}

/// Interchange settings from the office config's `[files]` table (all optional; defaults per DOMAIN.md
/// R-RG-2, R-FL-1, R-FL-2):
///
/// ```toml
/// [files]
/// encoding = "cp932"            # or "utf-8"
/// line_ending = "crlf"          # or "lf"
/// export_header = false         # FI_HIM_0018 has no header row
/// export_directory = "exports"  # relative to the data directory
/// export_columns = ["office.server_code", "case.server_individual_number", "office.public_payer_number",
///                   "", "case.recipient_number", ""]
///
/// [files.result]                # 初回登録解除情報登録結果ファイル
/// has_header = true
/// insurer_number = 3            # a number: 1-based position; a string: the header name
/// server_individual_number = 2
/// result = 7
/// message = 8
///
/// [files.status]                # 初回登録・有効期限状況一覧ファイル
/// has_header = true
/// insurer_number = 1
/// server_individual_number = 5
/// registration_state = 6
/// registered_on = 7
/// cancelled_on = 8
/// cancel_kind = 9
/// certificate_expiry = 10
/// ```
///
/// `has_header` defaults to true for both server files. When the layout is by position the reader
/// also checks the first row: a first row that holds data where a header was expected is read as data,
/// and a first row of text where data was expected is skipped as a header — each with a warning — so
/// a wrong `has_header` never silently drops a person or fails a whole file.
public struct InterchangeConfig: Sendable, Hashable {
    public var encoding: TextEncoding = .cp932
    public var lineEnding: LineEnding = .crlf
    /// FI_HIM_0018 has no header row by default.
    public var exportHeader: Bool = false
    /// Relative to the data directory.
    public var exportDirectory: String = "exports"
    /// Six entries, R-RG-2 column order.
    public var exportColumns: [ExportSource] = ExportSource.defaultMapping
    public var result: ColumnLayout = .defaultResult
    public var status: ColumnLayout = .defaultStatus
    public var resultHasHeader: Bool = true
    public var statusHasHeader: Bool = true

    public init() {}

    public static let `default` = InterchangeConfig()

    /// Parses the optional `[files]` table of office.toml; errors name the file, line and reason in
    /// Japanese. `text` is the whole config file, for line numbers.
    public static func parse(_ table: TOMLTable?, text: String, fileLabel: String) throws -> InterchangeConfig {
        var config = InterchangeConfig()
        guard let table else { return config }
        let files = FilesTable(table: table, text: text, fileLabel: fileLabel)
        try files.rejectUnknownKeys()
        try files.readTextOptions(into: &config)
        if let columns = try files.exportColumns() { config.exportColumns = columns }
        if let (layout, hasHeader) = try files.layout("result", items: ColumnLayout.resultItems, defaults: ColumnLayout.defaultResult) {
            config.result = layout
            config.resultHasHeader = hasHeader
        }
        if let (layout, hasHeader) = try files.layout("status", items: ColumnLayout.statusItems + ColumnLayout.statusOptionalItems,
                                                      defaults: ColumnLayout.defaultStatus) {
            config.status = layout
            config.statusHasHeader = hasHeader
        }
        return config
    }

    /// The `[files]` table being read, one part a step; problems name the file, the line and the section.
    private struct FilesTable {
        let table: TOMLTable
        let text: String
        let fileLabel: String

        static let known = ["encoding", "line_ending", "export_header", "export_directory", "export_columns", "result", "status"]

        func fail(_ key: String, _ message: String, section: String = "files") -> ConfigError {
            let line = SourceLines.line(ofKey: key, inTable: section, in: text)
                ?? SourceLines.line(ofHeader: "[\(section)]", occurrence: 0, in: text)
            return ConfigError(file: fileLabel, line: line, message: "[\(section)] \(message)")
        }

        func rejectUnknownKeys() throws {
            for key in table.keys where !Self.known.contains(key) {
                throw fail(key, "\(key) は使えない設定です（使えるのは \(Self.known.joined(separator: ", "))）")
            }
        }

        /// The registration file's text: its encoding, line ending, header row and folder.
        func readTextOptions(into config: inout InterchangeConfig) throws {
            if let v = table["encoding"] {
                guard let s = v.string else { throw fail("encoding", "encoding は文字列 \"cp932\" か \"utf-8\" で書いてください") }
                guard let e = TextEncoding(configName: s) else {
                    throw fail("encoding", "encoding \"\(s)\" は使えません（\"cp932\"（Shift_JIS）か \"utf-8\"）")
                }
                config.encoding = e
            }
            if let v = table["line_ending"] {
                guard let s = v.string, let l = LineEnding(rawValue: s.lowercased()) else {
                    throw fail("line_ending", "line_ending は \"crlf\" か \"lf\" です（\(v.debugDescription) は使えません）")
                }
                config.lineEnding = l
            }
            if let v = table["export_header"] {
                guard let b = v.bool else { throw fail("export_header", "export_header は true か false で書いてください") }
                config.exportHeader = b
            }
            if let v = table["export_directory"] {
                guard let s = v.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw fail("export_directory", "export_directory は空でない文字列（フォルダのパス）で書いてください")
                }
                config.exportDirectory = s
            }
        }

        /// `export_columns`: the six columns of R-RG-2, nil when not written.
        func exportColumns() throws -> [ExportSource]? {
            guard let v = table["export_columns"] else { return nil }
            guard let array = v.array else {
                throw fail("export_columns", "export_columns は6つの文字列の配列で書いてください（R-RG-2）")
            }
            guard array.count == RegistrationFile.columnNames.count else {
                throw fail("export_columns", "export_columns は6列（\(RegistrationFile.columnNames.joined(separator: "・"))）ですが、\(array.count)個書かれています（R-RG-2）")
            }
            var sources: [ExportSource] = []
            for (i, item) in array.enumerated() {
                let column = "\(i + 1)列目（\(RegistrationFile.columnNames[i])）"
                guard let s = item.string else { throw fail("export_columns", "export_columns の \(column) が文字列ではありません") }
                guard let source = ExportSource(configName: s) else {
                    throw fail("export_columns", "export_columns の \(column) \"\(s)\" は使えません（使えるのは \"office.server_code\", \"office.public_payer_number\", \"case.server_individual_number\", \"case.recipient_number\", \"\"（空）, \"=文字\"（その文字そのもの））")
                }
                sources.append(source)
            }
            return sources
        }

        /// `[files.<name>]`: where each item is in a server file, and whether it has a header row;
        /// nil when the section is not written.
        func layout(_ name: String, items: [(key: String, label: String)], defaults: ColumnLayout) throws -> (ColumnLayout, Bool)? {
            guard let v = table[name] else { return nil }
            let section = "files.\(name)"
            guard let sub = v.table else {
                throw fail(name, "\(name) は表（[\(section)]）で書いてください")
            }
            var layout = defaults
            var hasHeader = true
            let keys = items.map(\.key)
            for key in sub.keys where key != "has_header" && !keys.contains(key) {
                throw fail(key, "\(key) は使えない項目です（使えるのは has_header, \(keys.joined(separator: ", "))）", section: section)
            }
            if let h = sub["has_header"] {
                guard let b = h.bool else { throw fail("has_header", "has_header は true か false で書いてください", section: section) }
                hasHeader = b
            }
            for (key, label) in items {
                if let ref = try column(sub, key, label, section: section) { layout.columns[key] = ref }
            }
            if layout.usesHeaderNames && !hasHeader {
                let key = items.first { if case .header = layout.columns[$0.key] { return true } else { return false } }!.key
                throw fail(key, "見出し名で列を指定するには見出し行が必要です（has_header = false になっています）", section: section)
            }
            try rejectSharedColumns(layout, items: items, written: sub, section: section)
            return (layout, hasHeader)
        }

        /// One item's column: a 1-based position or a header name; nil when not written.
        func column(_ sub: TOMLTable, _ key: String, _ label: String, section: String) throws -> ColumnRef? {
            guard let ref = sub[key] else { return nil }
            if let n = ref.int {
                guard (1...500).contains(n) else {
                    throw fail(key, "\(key)（\(label)）の列番号 \(n) は 1 以上で書いてください", section: section)
                }
                return .position(n)
            } else if let s = ref.string {
                let trimmed = s.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else {
                    throw fail(key, "\(key)（\(label)）の見出し名が空です", section: section)
                }
                return .header(trimmed)
            } else {
                throw fail(key, "\(key)（\(label)）は列番号（1から数える整数）か見出し名（文字列）で書いてください", section: section)
            }
        }

        /// Two items in one column is always a mistake.
        func rejectSharedColumns(_ layout: ColumnLayout, items: [(key: String, label: String)], written sub: TOMLTable, section: String) throws {
            var seen: [ColumnRef: String] = [:]
            for (key, _) in items {
                guard let ref = layout.columns[key] else { continue }
                if let other = seen[ref] {
                    // Point at the line that was written (the other may be a default).
                    let written = sub[key] != nil ? key : other
                    throw fail(written, "\(other) と \(key) が同じ列（\(ref)）になっています", section: section)
                }
                seen[ref] = key
            }
        }
    }
}
