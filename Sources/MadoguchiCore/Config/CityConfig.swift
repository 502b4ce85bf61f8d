import Foundation
import TOMLKit

/// A city supervisor of every office (市の査察指導員, issue 15 item 5): proven by their OS account and
/// connected as a database role of kind `city`, which row-level security lets read every office's
/// journal and write none.
public struct CityOperator: Sendable, Equatable {
    public let id: String
    public let name: String
    /// The OS account that proves it is them (R-SG-1).
    public let account: String
    /// The database role they connect as (peer maps the account to it; SCRAM from elsewhere).
    public let dbRole: String

    public init(id: String, name: String, account: String, dbRole: String) {
        self.id = id
        self.name = name
        self.account = account
        self.dbRole = dbRole
    }

    /// As an `Operator`, for the connection settings (`PostgresLocation.role(of:)`) and the access
    /// log's operator field. Never written to an office's journal.
    public var asOperator: Operator {
        Operator(id: id, name: name, role: .supervisor, account: account, authentication: .account)
    }
}

/// The city's configuration (`city.toml`, see `config/city.example.toml`): the city's name, the
/// database every PostgreSQL office keeps its journal in (`[store]`, read exactly as an office's),
/// the folder of the city supervisors' own access log, and the supervisors.
///
/// ```toml
/// [city]
/// name = "○○市"
///
/// [store]
/// kind = "postgres"
/// database = "madoguchi"
/// socket_directory = "/var/run/postgresql"
///
/// [data]
/// directory = "$XDG_DATA_HOME/madoguchi/city"
///
/// [[operators]]
/// id = "kimura"
/// name = "木村 一郎"
/// account = "kimura"
/// db_role = "city_kimura"
/// ```
public struct CityConfig: Sendable {
    public let name: String
    public let location: PostgresLocation
    /// The city supervisors' own access log (`access.jsonl`, R-SG-4), created 0700.
    public let dataDirectory: URL
    public let operators: [CityOperator]
    public let source: URL

    /// The supervisor the OS account is bound to, if any.
    public func operatorForAccount(_ account: String?) -> CityOperator? {
        guard let account else { return nil }
        return operators.first { $0.account == account }
    }

    public init(name: String, location: PostgresLocation, dataDirectory: URL, operators: [CityOperator], source: URL) {
        self.name = name
        self.location = location
        self.dataDirectory = dataDirectory
        self.operators = operators
        self.source = source
    }

    /// Loads and checks a city config. Every problem names the file and, where it can, the line.
    public static func load(from url: URL, contents: Data? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CityConfig {
        let fileLabel = url.path
        let text = try OfficeConfig.readText(from: url, contents: contents)
        let table = try SafeTOML.parse(text, fileLabel: fileLabel)
        if table["office"] != nil {
            throw ConfigError(file: fileLabel, line: SourceLines.line(ofHeader: "[office]", occurrence: 0, in: text),
                              message: "[office] は事務所の設定（office.toml）の項目です。市の設定には [city] を書きます（事務所の設定なら --city を付けずに使ってください）")
        }
        guard let city = table["city"]?.table else {
            throw ConfigError(file: fileLabel, message: "[city] の表がありません（[city] の下に name = \"市の名前\"）")
        }
        guard let name = city["name"]?.string?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw ConfigError(file: fileLabel, line: SourceLines.line(ofKey: "name", inTable: "city", in: text)
                                ?? SourceLines.line(ofHeader: "[city]", occurrence: 0, in: text),
                              message: "[city] に name（市の名前）を空でない文字列で書いてください")
        }
        guard let dirText = table["data"]?.table?["directory"]?.string, !dirText.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigError(file: fileLabel, line: SourceLines.line(ofHeader: "[data]", occurrence: 0, in: text),
                              message: "[data] に directory（市の閲覧の記録を置くフォルダ）を空でない文字列で書いてください")
        }
        let dataDirectory = OfficeConfig.dataDirectory(dirText.trimmingCharacters(in: .whitespaces), config: url, environment: environment)

        guard let opArray = table["operators"]?.array, !opArray.isEmpty else {
            throw ConfigError(file: fileLabel, message: "[[operators]]（市の査察指導員）が一人もいません")
        }
        var operators: [CityOperator] = []
        for (i, item) in opArray.enumerated() {
            let line = SourceLines.line(ofHeader: "[[operators]]", occurrence: i, in: text)
            guard let t = item.table else {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(i + 1) 人目が表ではありません")
            }
            guard let account = t["account"]?.string, !account.isEmpty,
                  account.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(i + 1) 人目: account（本人を確かめる OSのアカウント名）を半角英数字（- _ . も可）で書いてください")
            }
            // Absent: the account. Present but not text: refused below like any bad id, never taken as the account.
            let id = t["id"] == nil ? account : t["id"]?.string ?? ""
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(i + 1) 人目: id は半角英数字（- _ . も可）で書いてください")
            }
            if let r = t["role"]?.string, r != "city" {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(id): 市の設定の職員は市の閲覧用です（role は書かないか \"city\"）")
            }
            if t["auth"] != nil {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(id): 市の閲覧は OS のアカウントだけで確かめます（auth は書けません）")
            }
            guard let dbRole = try StoreConfig.dbRole(of: t, id: id, occurrence: i, text: text, fileLabel: fileLabel) else {
                throw ConfigError(file: fileLabel, line: line, message: "operators の \(id): db_role（市の閲覧用のデータベースのロール、madoguchi db add-staff --kind city で作ったもの）がありません")
            }
            if operators.contains(where: { $0.id == id || $0.account == account }) {
                throw ConfigError(file: fileLabel, line: line, message: "operators: id \(id) か account \(account) が二度出てきます")
            }
            let opName = t["name"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? id
            operators.append(CityOperator(id: id, name: opName, account: account, dbRole: dbRole))
        }
        let roles = Dictionary(uniqueKeysWithValues: operators.map { ($0.id, $0.dbRole) })
        guard case .postgres(let location) = try StoreConfig.parseSection(table, roles: roles, mode: .production, text: text, fileLabel: fileLabel) else {
            throw ConfigError(file: fileLabel, line: SourceLines.line(ofHeader: "[store]", occurrence: 0, in: text),
                              message: "市の一覧は PostgreSQL の記録だけを読みます。[store] に kind = \"postgres\" とデータベースの接続を書いてください")
        }
        return CityConfig(name: name, location: location, dataDirectory: dataDirectory, operators: operators, source: url)
    }
}
