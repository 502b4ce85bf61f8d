import Foundation
import MadoguchiCore
#if PostgreSQL
import MadoguchiPostgres
#endif

/// The city's pending list over many offices in the database (issue 15), beside the same offices'
/// single-office pending lists from their local journals, one after another.
extension BenchRunner {
    static let cityMetric = "PG 市の未処理一覧（pending --city と同じ処理、このプロセスの中）"

    /// How many offices and how big: 20 × 5,000 cases (tiny: 20 × 24).
    var cityOffices: (count: Int, size: SyntheticOffice.Size) {
        options.tiny ? (20, SyntheticOffice.Size(cases: 24, events: 160, statusRows: 20))
            : (20, SyntheticOffice.Size(cases: 5_000, events: 40_000, statusRows: 100))
    }

    mutating func cityFigures(root: URL) throws -> [String: Any] {
        let shape = cityOffices
        let scale = "\(shape.count)事務所×\(shape.size.cases)件"
        #if PostgreSQL
        if let database {
            return try measureCity(database, root: root, scale: scale, count: shape.count, size: shape.size)
        }
        #endif
        let why = options.postgres == nil ? PostgresBenchTarget.notGiven : PostgresBenchTarget.notBuilt
        rows.append(Row(metric: Self.cityMetric, scale: scale, ours: why, reference: "—", ratio: "—", goal: "（参考）", verdict: .none))
        return ["measured": false, "why": why]
    }

    #if PostgreSQL
    mutating func measureCity(_ db: PostgresBench, root: URL, scale: String, count: Int, size: SyntheticOffice.Size) throws -> [String: Any] {
        let dir = root.appendingPathComponent("city")
        try? FileManager.default.removeItem(at: dir)
        let g0 = PseudoTerminalDesk.now()
        var offices: [SyntheticOffice.ProductionOffice] = []
        var migrated = 0
        for (i, code) in try db.freshOffices(count).enumerated() {
            let office = try SyntheticOffice.generateProduction(into: dir.appendingPathComponent("office\(i + 1)"), size: size,
                                                                seed: options.seed &+ UInt64(i), publicPayerNumber: code)
            migrated += try db.migrate(office).rows
            offices.append(office)
        }
        let codes = offices.map { $0.office.publicPayerNumber }
        let allRows = Int(try db.admin.query("SELECT count(*)::int8 FROM madoguchi.journal").first?.first?.int ?? -1)
        let allOffices = Int(try db.admin.query("SELECT count(*)::int8 FROM madoguchi.offices").first?.first?.int ?? -1)
        log("市：\(count) 事務所（\(size)）を作ってデータベースに移しました（\(migrated) 行、\(Format.ms(PseudoTerminalDesk.now() - g0))）。"
            + "データベースには全部で \(allOffices) 事務所・\(allRows) 行")
        try db.addCityRole()
        let today = LocalDate(Date())
        var city = Samples(), files = Samples()
        var cityRows = 0, fileRows = 0, broken = 0
        for i in 0..<options.runs {
            let t0 = PseudoTerminalDesk.now()
            let list = try db.asCity { link in
                Pending.cityList(try CityView.read(link, label: db.location.label).offices, today: today, only: Set(codes))
            }
            city.append(PseudoTerminalDesk.now() - t0)
            cityRows = list.rows.count
            broken = list.brokenOffices.count
            let t1 = PseudoTerminalDesk.now()
            var n = 0
            for office in offices {
                let store = CaseStore(journalURL: office.output.journal)
                try store.load()
                n += Pending.list(store.book, today: today).rows.count
            }
            files.append(PseudoTerminalDesk.now() - t1)
            fileRows = n
            log("  市 \(i + 1)/\(options.runs)：市の一覧 \(Format.ms(city.values.last!))（\(cityRows) 行）、事務所ごと \(Format.ms(files.values.last!))（\(fileRows) 行）")
        }
        guard broken == 0, cityRows == fileRows else {
            throw PseudoTerminalDesk.Failure("市の一覧が事務所ごとの一覧と違います（市 \(cityRows) 行・壊れた事務所 \(broken)、事務所ごと \(fileRows) 行）")
        }
        rows.append(Row(metric: Self.cityMetric, scale: scale,
                        ours: "市 " + Format.spread(city, Format.ms) + "（\(cityRows) 行、読んだ行 \(allRows)）",
                        reference: "記録ファイルで事務所ごと順に " + Format.spread(files, Format.ms),
                        ratio: Format.ratio(city.median / max(1e-9, files.median)), goal: "（参考）", verdict: .none))
        if options.work == nil { try? FileManager.default.removeItem(at: dir) }
        return ["measured": true, "offices": codes, "casesPerOffice": size.cases, "linesPerOffice": size.events,
                "databaseRows": allRows, "databaseOffices": allOffices, "city": city.json, "files": files.json,
                "cityRows": cityRows, "fileRows": fileRows]
    }
    #endif
}
