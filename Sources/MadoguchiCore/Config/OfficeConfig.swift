import Foundation
import TOMLKit

/// 職員 an operator of the desk: a clerk (ケースワーカー・医療担当) or a supervisor (査察指導員・係長).
public struct Operator: Hashable, Sendable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        case clerk
        case supervisor

        public var label: String { self == .clerk ? "担当者" : "査察指導員" }
    }

    /// How the operator proves who they are (R-SG-1, issue 12).
    public enum Authentication: String, Sendable, CaseIterable {
        /// Their own OS account (the usual set-up: each clerk logs in to the office server).
        case account
        /// Their own passphrase, where an account is shared.
        case passphrase
    }

    public let id: String
    public let name: String
    public let role: Role
    /// The OS account bound to the operator (`account = "yamada"`).
    public let account: String?
    /// nil: not set up to prove who they are — refused in a production office.
    public let authentication: Authentication?

    enum CodingKeys: String, CodingKey { case id, name, role }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
                  role: try c.decode(Role.self, forKey: .role))
    }

    public init(id: String, name: String, role: Role, account: String? = nil, authentication: Authentication? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.account = account
        self.authentication = authentication ?? (account != nil ? .account : nil)
    }
}

/// The office's configuration (`config/…/office.toml`).
public struct OfficeConfig: Sendable {
    /// Real office or training/demo data. They never share a data directory (issue 5).
    public enum Mode: String, Sendable { case production, training }

    /// 福祉事務所名 (宛先 of 別添2).
    public let officeName: String
    /// 公費負担者番号 of the office (R-ID-1), 8 digits, 法別番号 12.
    public let publicPayerNumber: String
    /// 保険者コード: the office's code on the 中間サーバー (R-RG-2 column 1).
    public let serverCode: String
    public let mode: Mode
    /// Where the journal lives (created 0700).
    public let dataDirectory: URL
    public let operators: [Operator]
    /// Layouts, encoding and line endings of the files exchanged with the 中間サーバー ([files]).
    public let interchange: InterchangeConfig
    /// [reminders]: when an export without a result file becomes a reminder (issue 4).
    public let reminders: ReminderSettings
    /// [reports] csv_encoding: the pending list's CSV, UTF-8 with BOM for Excel (default) or CP932.
    public let reportEncoding: TextEncoding
    /// [printing] queue: the CUPS queue notices and lists are printed on (`lp -d`); nil when the
    /// office has not named one (the desk then only writes PDFs).
    public let printQueue: String?
    /// The file this came from, for messages.
    public let source: URL
    /// [training] book: the scenario book's folder (training offices only; issue 5).
    public let trainingBook: URL?
    /// `[store]`: the local journal file (default, always in training) or PostgreSQL (issue 15).
    public let store: StoreConfig

    /// Where bulk registration files are written (R-RG-1).
    public var exportDirectory: URL {
        OfficeConfig.resolve(path: interchange.exportDirectory, relativeTo: dataDirectory, environment: ProcessInfo.processInfo.environment)
    }

    public var isTraining: Bool { mode == .training }

    public var journalURL: URL { dataDirectory.appendingPathComponent("journal.jsonl") }

    public func operatorNamed(_ id: String) -> Operator? { operators.first { $0.id == id } }

    /// The name a person reads for an operator id (山田 花子 for yamada); the id itself if the
    /// config no longer lists it (issue 11, item 8: names, not ids, where a person reads).
    public func displayName(ofOperator id: String) -> String { operatorNamed(id)?.name ?? id }
    /// Every operator's name by id, for screens and messages a person reads (issue 11).
    public var operatorNames: [String: String] { operators.namesByID }
    /// Every operator's role by id: the roles of an older journal's unsigned lines (issue 12).
    public var rolesByID: [String: Operator.Role] {
        Dictionary(operators.map { ($0.id, $0.role) }, uniquingKeysWith: { a, _ in a })
    }

    /// Loads and checks a config file. Every problem names the file and, where it can, the line.
    /// `environment` supplies `HOME`, `XDG_DATA_HOME` and `MADOGUCHI_DATA_DIR` (which overrides the
    /// data directory, for tests and training sandboxes). `contents`: the file's bytes when the caller
    /// already has them (fuzzing, issue 6); `url` still names the file in messages and anchors paths.
    public static func load(from url: URL, contents: Data? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OfficeConfig {
        let fileLabel = url.path
        let text = try readText(from: url, contents: contents)
        let table = try SafeTOML.parse(text, fileLabel: fileLabel)   // toml++ asserts on some input (issue 6)

        func fail(_ key: String, _ message: String, section: String = "office") -> ConfigError {
            ConfigError(file: fileLabel, line: SourceLines.line(ofKey: key, inTable: section, in: text), message: message)
        }
        func string(_ t: TOMLTable?, _ key: String, _ label: String, section: String) throws -> String {
            guard let t else { throw ConfigError(file: fileLabel, message: "[\(section)] の表がありません") }
            guard let v = t[key] else { throw ConfigError(file: fileLabel, message: "[\(section)] に \(key)（\(label)）がありません") }
            guard let s = v.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(key, "\(key)（\(label)）は空でない文字列で書いてください", section: section)
            }
            return s.trimmingCharacters(in: .whitespaces)
        }

        let office = table["office"]?.table
        let name = try string(office, "name", "福祉事務所名", section: "office")
        let payer = try string(office, "public_payer_number", "公費負担者番号", section: "office")
        if case .failure(let e) = Validators.publicPayerNumber.validate(payer, ValidationContext(today: LocalDate(Date()))) {
            throw fail("public_payer_number", "公費負担者番号 \(payer)：\(e.message)（R-ID-1）")
        }
        let serverCode = try string(office, "server_code", "中間サーバー上の保険者コード", section: "office")
        guard serverCode.count == 8, serverCode.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw fail("server_code", "中間サーバー上の保険者コード \(serverCode) は半角英数字8桁で書いてください（R-RG-2）")
        }
        if let v = office?["mode"], v.string == nil {
            throw fail("mode", "mode は文字列 \"production\"（本番）か \"training\"（研修・デモ）で書いてください")
        }
        let modeText = (office?["mode"]?.string ?? "production")
        guard let mode = Mode(rawValue: modeText) else {
            throw fail("mode", "mode は \"production\"（本番）か \"training\"（研修・デモ）です（\"\(modeText)\" は使えません）")
        }

        let dataTable = table["data"]?.table
        let dirText = try string(dataTable, "directory", "データの保存先", section: "data")
        let dataDirectory = dataDirectory(dirText, config: url, environment: environment)

        let operators = try Self.operators(table, text: text, fileLabel: fileLabel)
        let interchange = try InterchangeConfig.parse(table["files"]?.table, text: text, fileLabel: fileLabel)
        let reminders = try ReminderSettings.parse(table["reminders"]?.table, text: text, fileLabel: fileLabel)
        let reportEncoding = try Self.reportEncoding(table, text: text, fileLabel: fileLabel)
        let printQueue = try Self.printQueue(table, text: text, fileLabel: fileLabel)
        let trainingBook = try Self.trainingBook(table, mode: mode, config: url, environment: environment, text: text, fileLabel: fileLabel)
        let store = try StoreConfig.parse(table, operators: operators, mode: mode, text: text, fileLabel: fileLabel)
        return OfficeConfig(officeName: name, publicPayerNumber: payer, serverCode: serverCode, mode: mode,
                            dataDirectory: dataDirectory, operators: operators, interchange: interchange,
                            reminders: reminders, reportEncoding: reportEncoding, printQueue: printQueue, source: url,
                            trainingBook: trainingBook, store: store)
    }

    /// `[[operators]]`: at least one, each with its id, name, role and how it is proven.
    private static func operators(_ table: TOMLTable, text: String, fileLabel: String) throws -> [Operator] {
        guard let opArray = table["operators"]?.array, !opArray.isEmpty else {
            throw ConfigError(file: fileLabel, message: "[[operators]]（職員）が一人もいません")
        }
        var operators: [Operator] = []
        for (i, item) in opArray.enumerated() {
            let line = SourceLines.line(ofHeader: "[[operators]]", occurrence: i, in: text)
            guard let t = item.table else {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(i + 1) 人目が表ではありません")
            }
            operators.append(try self.operator(t, occurrence: i, line: line, after: operators, fileLabel: fileLabel))
        }
        return operators
    }

    /// One `[[operators]]` table (the `i`-th, at `line`), after the `earlier` ones.
    private static func `operator`(_ t: TOMLTable, occurrence i: Int, line: Int?, after earlier: [Operator],
                                   fileLabel: String) throws -> Operator {
        guard let id = t["id"]?.string, !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
            throw ConfigError(file: fileLabel, line: line, message: "operators の \(i + 1) 人目: id は半角英数字（- _ . も可）で書いてください")
        }
        guard let opName = t["name"]?.string, !opName.isEmpty else {
            throw ConfigError(file: fileLabel, line: line, message: "operators の \(id): name（氏名）がありません")
        }
        let roleText = t["role"]?.string ?? ""
        guard let role = Operator.Role(rawValue: roleText) else {
            throw ConfigError(file: fileLabel, line: line, message: "operators の \(id): role は \"clerk\"（担当者）か \"supervisor\"（査察指導員）です（\"\(roleText)\" は使えません）")
        }
        if earlier.contains(where: { $0.id == id }) {
            throw ConfigError(file: fileLabel, line: line, message: "operators: id \(id) が二度出てきます")
        }
        var account: String?
        if let a = t["account"] {
            guard let text = a.string, !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(id): account（OSのアカウント名）は半角英数字（- _ . も可）で書いてください")
            }
            account = text
        }
        var authentication: Operator.Authentication?
        if let a = t["auth"] {
            guard let text = a.string, let v = Operator.Authentication(rawValue: text) else {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(id): auth は \"account\"（OSのアカウントで確認）か \"passphrase\"（本人のパスフレーズで確認）です")
            }
            if v == .account && account == nil {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(id): auth = \"account\" には account（OSのアカウント名）が必要です")
            }
            authentication = v
        }
        return Operator(id: id, name: opName, role: role, account: account, authentication: authentication)
    }

    /// `[reports] csv_encoding`: UTF-8 with a BOM (for Excel) unless written.
    private static func reportEncoding(_ table: TOMLTable, text: String, fileLabel: String) throws -> TextEncoding {
        guard let name = table["reports"]?.table?["csv_encoding"] else { return .utf8 }
        guard let s = name.string, let e = TextEncoding(configName: s) else {
            throw ConfigError(file: fileLabel, line: SourceLines.line(ofKey: "csv_encoding", inTable: "reports", in: text),
                              message: "[reports] csv_encoding は \"utf-8\"（BOM 付き、Excel 向け）か \"cp932\" です")
        }
        return e
    }

    /// `[printing] queue`: the CUPS queue, nil when not written (PDF only).
    private static func printQueue(_ table: TOMLTable, text: String, fileLabel: String) throws -> String? {
        guard let printing = table["printing"] else { return nil }
        let line = SourceLines.line(ofHeader: "[printing]", occurrence: 0, in: text)
        guard let t = printing.table else {
            throw ConfigError(file: fileLabel, line: line, message: "[printing] は表で書いてください（[printing] の下に queue = \"プリンター名\"）")
        }
        guard let v = t["queue"] else { return nil }
        let keyLine = SourceLines.line(ofKey: "queue", inTable: "printing", in: text)
        guard let q = v.string else {
            throw ConfigError(file: fileLabel, line: keyLine, message: "[printing] queue（プリンター名）は文字列で書いてください（例 queue = \"OfficePrinter\"）")
        }
        if let why = printQueueProblem(q) {
            throw ConfigError(file: fileLabel, line: keyLine, message: "[printing] queue（プリンター名）\"\(q)\"：\(why)（CUPS の印刷キューの名前を書いてください）")
        }
        return q
    }

    /// `[training] book`: only in a training office; relative to the config's folder.
    private static func trainingBook(_ table: TOMLTable, mode: Mode, config url: URL, environment: [String: String],
                                     text: String, fileLabel: String) throws -> URL? {
        guard let t = table["training"]?.table else { return nil }
        guard mode == .training else {
            throw ConfigError(file: fileLabel, line: SourceLines.line(ofHeader: "[training]", occurrence: 0, in: text),
                              message: "[training] は研修用の事務所（mode = \"training\"）にだけ書けます")
        }
        guard let b = t["book"]?.string, !b.isEmpty else {
            throw ConfigError(file: fileLabel, line: SourceLines.line(ofHeader: "[training]", occurrence: 0, in: text),
                              message: "[training] に book（研修シナリオ集のフォルダ）がありません")
        }
        return resolve(path: b, relativeTo: url.deletingLastPathComponent(), environment: environment)
    }

    /// A config file's text (UTF-8), or a `ConfigError` naming the file as a clerk would say it. An
    /// office config and a city config (`CityConfig`) read theirs this way.
    static func readText(from url: URL, contents: Data?) throws -> String {
        do {
            let data = try contents ?? Data(contentsOf: url)
            guard let s = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: url.path, message: "UTF-8 として読めません。文字コードを UTF-8 にして保存してください")
            }
            return s
        } catch let e as ConfigError {
            throw e
        } catch {
            // Foundation's own text is English ("The file doesn't exist."): say it as a clerk would (issue 6).
            let why = FileManager.default.fileExists(atPath: url.path) ? "読み取る権限がないか、フォルダです" : "ファイルがありません"
            throw ConfigError(file: url.path, message: "読み込めません（\(why)）")
        }
    }

    public init(officeName: String, publicPayerNumber: String, serverCode: String, mode: Mode,
                dataDirectory: URL, operators: [Operator], interchange: InterchangeConfig = .default,
                reminders: ReminderSettings = .default, reportEncoding: TextEncoding = .utf8, printQueue: String? = nil,
                source: URL, trainingBook: URL? = nil, store: StoreConfig = .jsonl) {
        self.officeName = officeName
        self.publicPayerNumber = publicPayerNumber
        self.serverCode = serverCode
        self.mode = mode
        self.dataDirectory = dataDirectory
        self.operators = operators
        self.interchange = interchange
        self.reminders = reminders
        self.reportEncoding = reportEncoding
        self.printQueue = printQueue
        self.source = source
        self.trainingBook = trainingBook
        self.store = store
    }

    /// The same office working in another folder: a trainee's sandbox (issue 5). The export folder,
    /// being relative to the data directory, follows it.
    public func withDataDirectory(_ directory: URL) -> OfficeConfig {
        OfficeConfig(officeName: officeName, publicPayerNumber: publicPayerNumber, serverCode: serverCode, mode: mode,
                     dataDirectory: directory, operators: operators, interchange: interchange, reminders: reminders,
                     reportEncoding: reportEncoding, printQueue: printQueue, source: source, trainingBook: trainingBook,
                     store: store)
    }

    /// `[data] directory` as written in the config at `url`, or `MADOGUCHI_DATA_DIR` when set (tests,
    /// training sandboxes). Shared with `CityConfig`.
    static func dataDirectory(_ written: String, config url: URL, environment: [String: String]) -> URL {
        // The override is typed on a command line, so a relative one is relative to the current folder.
        if let override = environment["MADOGUCHI_DATA_DIR"], !override.isEmpty {
            return resolve(path: override, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), environment: environment)
        }
        return resolve(path: written, relativeTo: url.deletingLastPathComponent(), environment: environment)
    }

    /// `~/…` and `$XDG_DATA_HOME/…` expand; a relative path is relative to the config file's folder.
    static func resolve(path: String, relativeTo base: URL, environment: [String: String]) -> URL {
        var p = path
        let home = environment["HOME"] ?? NSHomeDirectory()
        if p.hasPrefix("$XDG_DATA_HOME") {
            let xdg = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
            p = xdg + p.dropFirst("$XDG_DATA_HOME".count)
        } else if p == "~" || p.hasPrefix("~/") {
            p = home + p.dropFirst(1)
        }
        if p.hasPrefix("/") { return URL(fileURLWithPath: p).standardizedFileURL }
        return base.appendingPathComponent(p).standardizedFileURL
    }
}

extension Array where Element == Operator {
    /// Each operator's name by id (the first wins if an id repeats), so people read names, not ids.
    public var namesByID: [String: String] {
        Dictionary(map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
