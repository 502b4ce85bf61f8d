import ArgumentParser
import Foundation
import MadoguchiCore
#if PostgreSQL
import MadoguchiPostgres
#endif

/// The city's supervisor (issue 15 item 5): their config, proven by the OS account (R-SG-1), and their
/// own access log (R-SG-4) under the city config's `[data] directory`.
struct CitySession {
    let config: CityConfig
    let op: CityOperator

    /// Loads `city.toml` and proves the operator: `--operator` or the one bound to the OS account,
    /// and the running account must be theirs. No signing key: the city writes no journal.
    static func open(configPath: String?, operator explicit: String?) throws -> CitySession {
        guard let configPath else {
            throw StartupError("市の一覧（--city）には --config で市の設定ファイル（city.toml、例は config/city.example.toml）を指定してください")
        }
        let config: CityConfig
        do {
            config = try CityConfig.load(from: URL(fileURLWithPath: configPath))
        } catch let e as ConfigError {
            throw StartupError("設定の誤り：\(e.description)")
        }
        let account = OfficeTrust.osAccount()
        let op: CityOperator
        if let wanted = claimedOperatorID(explicit) {
            guard let found = config.operators.first(where: { $0.id == wanted }) else {
                throw StartupError("職員 \(wanted) は市の設定（\(config.source.path)）にいません。いる職員：\(config.operators.map(\.id).joined(separator: ", "))")
            }
            op = found
        } else if let found = config.operatorForAccount(account) {
            op = found
        } else {
            throw StartupError("OSアカウント \(account ?? "（不明）") に結び付いた職員が市の設定（\(config.source.path)）にいません。市の一覧は設定の [[operators]] account のアカウントで開きます")
        }
        do {
            _ = try OfficeTrust.requireAccount(op.account, id: op.id, name: op.name, running: account)
        } catch let e as KeyError {
            throw StartupError(e.description)
        }
        return CitySession(config: config, op: op)
    }

    /// The city supervisor's own access log. Unsigned: the city has no journal whose keys could sign
    /// it (its lines are chained and anchored like an office's log, not signed).
    var accessLog: AccessLog {
        AccessLog(dataDirectory: config.dataDirectory)
    }

    /// Records a read before anything is shown or written; a failure stops it (R-SG-4).
    func record(_ event: AccessEvent) throws {
        let log = accessLog
        do {
            try FileManager.default.createDirectory(at: config.dataDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try log.record(event, operatorID: op.id, now: Date())
        } catch {
            throw StartupError("閲覧の記録（\(log.url.path)）に書けないため、中止しました（何も出力していません、R-SG-4）：\(UserFacing.detail(for: error))")
        }
    }

    /// Every office's cases (or those of `only`), read as the city role.
    func offices(only: Set<String>? = nil) throws -> [CityOfficeCases] {
        #if PostgreSQL
        return try CityDatabase.view(config, as: op, only: only).offices   // its errors are SetupErrors (exit 2)
        #else
        _ = only
        throw StartupError("市の一覧は PostgreSQL の記録を読みますが、" + rebuildWithPostgres)
        #endif
    }
}

extension PendingCommand {
    /// `pending --city`: every office's rows, the office's name first; read-only.
    func runCity(filter: PendingFilter) throws {
        for (flag, given) in [("--pdf", pdf != nil), ("--print", print), ("--training", batch.office.training), ("--sandbox", batch.office.sandbox != nil)] where given {
            throw ValidationError("市の一覧（--city）では \(flag) は使えません（画面・--csv・--json だけです）")
        }
        let only = try checkedOfficeCodes(office)
        let session = try CitySession.open(configPath: batch.office.config, operator: batch.operator)
        let offices = try session.offices(only: only)   // only those offices' rows are read
        let known = Set(offices.map(\.office))
        if let unknown = office.first(where: { !known.contains($0) }) {
            throw StartupError("事務所 \(unknown) はデータベースにありません（madoguchi db status で登録された事務所が分かります）")
        }
        let list = Pending.cityList(offices, today: LocalDate(Date()), filter: filter, only: only, sort: sort, descending: desc)
        if let csv {
            let encoding = csvEncoding.flatMap(TextEncoding.init(configName:)) ?? .utf8
            try Self.writeCSV(to: csv, within: [session.config.dataDirectory], rows: list.rows.count, now: Date(),
                              data: { try Pending.csv(list, encoding: encoding) }) { url in
                try session.record(.cityPendingList(.exported, via: "pending --city --csv", list, filter: filter, only: only, file: url.path))
            }
        }
        try session.record(.cityPendingList(batch.json ? .exported : .listed, via: batch.json ? "pending --city --json" : "pending --city",
                                            list, filter: filter, only: only))
        try batch.emit(list) { Self.cityText(list, city: session.config.name) }
        let broken = list.brokenOffices
        if !broken.isEmpty {
            for o in broken { printError("【警告】事務所 \(o.office)（\(o.name)）の記録を確かめられないため、一覧に入れていません：\(o.problem?.text ?? "")") }
            throw ExitCode(1)
        }
    }

    /// The city's list as a person reads it: each office's name, its rows, and the broken ones said.
    static func cityText(_ list: CityPendingList, city: String) -> [String] {
        let asOf = LocalDate(iso: list.asOf).map(Wareki.format) ?? list.asOf
        var lines = ["\(city)　未完了の案件 \(list.rows.count)件（\(asOf) 現在、\(list.offices.count)事務所、閲覧のみ）"]
        for o in list.offices {
            if let problem = o.problem {
                lines.append("事務所 \(o.office) \(o.name)：【記録を確かめられません】\(problem.text)")
            } else {
                lines.append("事務所 \(o.office) \(o.name)：\(o.count)件")
            }
        }
        lines += list.rows.map { "\($0.officeName ?? $0.office ?? "")\t" + rowText($0, names: { $0 }) }
        return lines + summary(countsByStatus: list.countsByStatus, byMonth: list.byMonth)
    }
}
