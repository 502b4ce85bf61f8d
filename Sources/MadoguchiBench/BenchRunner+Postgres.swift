import Foundation
import MadoguchiCore
#if PostgreSQL
import MadoguchiPostgres
#endif

/// The PostgreSQL rows of `madoguchi-bench` (issue 15): the same generated office carried into the
/// database, its durable append and the desk's first frame beside the local journal's.
extension BenchRunner {
    enum PostgresMetric {
        static let migrate = "PG 移行（madoguchi migrate と同じ：全行の確認と1トランザクション）"
        static let firstFrameSnapshot = "PG P1 最初の画面：PostgreSQL ／ 記録ファイル（畳み込みの保存あり）"
        static let firstFrameWhole = "PG P1 最初の画面：PostgreSQL ／ 記録ファイル（保存なし）"
        static func append(_ n: Int) -> String { "PG P4 署名つき追記 p99：PostgreSQL ／ 記録ファイル（各回 \(n) 回）" }
    }

    /// Connects to `options.postgres` as the administrator (peer) and applies the schema.
    mutating func openDatabase() throws {
        guard let target = options.postgres else {
            log(PostgresBenchTarget.notGiven)
            return
        }
        #if PostgreSQL
        do {
            database = try PostgresBench(target: target, account: OfficeTrust.osAccount() ?? "root")
        } catch let e as PostgresLinkError {
            throw PseudoTerminalDesk.Failure("PostgreSQL（\(target.socketDirectory) ポート \(target.port)、データベース \(target.database)）に"
                                             + "この OS アカウントの管理者として接続できません：\(e.description)")
        }
        #else
        log(PostgresBenchTarget.notBuilt)
        #endif
    }

    /// A code no office in the database has, when there is a database.
    func freshOfficeCode() throws -> String? {
        #if PostgreSQL
        return try database?.freshOffices(1).first
        #else
        return nil
        #endif
    }

    /// The PostgreSQL rows at this size, or rows saying why there are none.
    mutating func postgresFigures(office: SyntheticOffice.ProductionOffice, dir: URL, scale: String, pristine: URL,
                                  registered: String) throws -> [String: Any] {
        #if PostgreSQL
        if let database {
            return try measurePostgres(database, office: office, dir: dir, scale: scale, pristine: pristine, registered: registered)
        }
        #endif
        let why = options.postgres == nil ? PostgresBenchTarget.notGiven : PostgresBenchTarget.notBuilt
        for metric in [PostgresMetric.migrate, PostgresMetric.firstFrameSnapshot, PostgresMetric.firstFrameWhole, PostgresMetric.append(options.appends)] {
            rows.append(Row(metric: metric, scale: scale, ours: why, reference: "—", ratio: "—", goal: "（参考）", verdict: .none))
        }
        return ["measured": false, "why": why]
    }

    /// The data folder put back as the first start left it.
    func restore(_ data: URL, from pristine: URL) throws {
        try FileManager.default.removeItem(at: data)
        try FileManager.default.copyItem(at: pristine, to: data)
    }

    #if PostgreSQL
    mutating func measurePostgres(_ db: PostgresBench, office: SyntheticOffice.ProductionOffice, dir: URL, scale: String,
                                  pristine: URL, registered: String) throws -> [String: Any] {
        let code = office.office.publicPayerNumber
        let server = try db.admin.query("SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')")
            .first?.map { $0.text ?? "?" } ?? []
        let serverText = server.count == 3 ? "PostgreSQL \(server[0])（fsync \(server[1])、synchronous_commit \(server[2])）" : "PostgreSQL"
        let moved = try db.migrate(office)
        try db.bindClerk(office: code)
        log("  PostgreSQL：事務所 \(code) に \(moved.rows) 行を移しました（\(Format.ms(moved.seconds))）。\(serverText)、"
            + "デスクは OS アカウント \(db.account) のロール（担当者 yamada）")
        rows.append(Row(metric: PostgresMetric.migrate, scale: scale, ours: "\(moved.rows) 行 \(Format.ms(moved.seconds))",
                        reference: serverText, ratio: "—", goal: "（参考）", verdict: .none))

        // P1: the desk on the database, and on the local journal with its fold snapshot and without,
        // in alternating runs (first frame only).
        func target(config: URL, data: URL) -> DeskScript.Target {
            .init(executable: options.executable, config: config, journal: data.appendingPathComponent("journal.jsonl"),
                  keys: office.keys, projectRoot: options.projectRoot, screens: options.screens, registeredCase: registered,
                  smallStatusFile: data.appendingPathComponent("status-small.csv"))
        }
        func firstFrame(_ t: DeskScript.Target) throws -> Double {
            var script = DeskScript(target: t, settle: options.settle, timeout: 60)
            script.firstFrameOnly = true
            return try script.run().firstFrame
        }
        let desk = try db.deskConfig(office)
        let pgTarget = target(config: desk.config, data: desk.data)
        let fileTarget = target(config: office.config, data: office.data)
        let snapshot = FoldSnapshotKey(signingKey: office.signers["yamada"]!, journal: office.output.journal).file
        let cold = try firstFrame(pgTarget)
        var pg = Samples(), withSnapshot = Samples(), whole = Samples()
        for i in 0..<options.runs {
            pg.append(try firstFrame(pgTarget))
            try restore(office.data, from: pristine)
            withSnapshot.append(try firstFrame(fileTarget))
            try restore(office.data, from: pristine)
            try FileManager.default.removeItem(at: snapshot)
            whole.append(try firstFrame(fileTarget))
            log("  \(scale) PG \(i + 1)/\(options.runs)：最初の画面 PostgreSQL \(Format.ms(pg.values.last!))、記録ファイル \(Format.ms(withSnapshot.values.last!))"
                + "（保存なし \(Format.ms(whole.values.last!))）")
        }
        try restore(office.data, from: pristine)
        rows.append(Row(metric: PostgresMetric.firstFrameSnapshot, scale: scale,
                        ours: "PostgreSQL " + Format.spread(pg, Format.ms) + "（初回 \(Format.ms(cold))）",
                        reference: "記録ファイル " + Format.spread(withSnapshot, Format.ms),
                        ratio: Format.ratio(pg.median / max(1e-9, withSnapshot.median)), goal: "（参考）", verdict: .none))
        rows.append(Row(metric: PostgresMetric.firstFrameWhole, scale: scale,
                        ours: "PostgreSQL " + Format.spread(pg, Format.ms),
                        reference: "記録ファイル（保存なし）" + Format.spread(whole, Format.ms),
                        ratio: Format.ratio(pg.median / max(1e-9, whole.median)), goal: "（参考）", verdict: .none))

        let p4 = try postgresAppends(db, office: office, dir: dir, scale: scale)
        return ["measured": true, "office": code, "server": serverText, "account": db.account,
                "migratedRows": moved.rows, "migrateSeconds": moved.seconds,
                "p1": ["postgres": pg.json, "postgresCold": cold, "fileWithSnapshot": withSnapshot.json, "fileWithoutSnapshot": whole.json],
                "p4": p4]
    }

    /// P4 on the database: the clerk's durable append of one signed line (the office's lock, catch-up,
    /// INSERT, COMMIT) against the local journal's append of the same line and a bare write+fdatasync,
    /// one after another in every round.
    mutating func postgresAppends(_ db: PostgresBench, office: SyntheticOffice.ProductionOffice, dir: URL, scale: String) throws -> [String: Any] {
        let code = office.office.publicPayerNumber
        let pgStore = try db.clerkStore(office)
        let copy = dir.appendingPathComponent("append-postgres")
        let fileStore = try storeCopy(office, in: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let caseNumber = office.output.appendableCase
        let rowsBefore = try db.rowCount(code)
        // One append on each to learn the line size and warm both up.
        let journal = fileStore.journalFile!.url
        let size = { (try? FileManager.default.attributesOfItem(atPath: journal.path)[.size] as? Int) ?? 0 }
        let before = size()
        try pgStore.record(.serverNumberSet("2000000000000000"), on: caseNumber, operatorID: "yamada", now: Date())
        try fileStore.record(.serverNumberSet("2000000000000000"), on: caseNumber, operatorID: "yamada", now: Date())
        let lineBytes = max(1, size() - before)
        let bare = try BareAppend(copy.appendingPathComponent("bare.log"), lineBytes: lineBytes)
        var pgP99 = Samples(), fileP99 = Samples(), bareP99 = Samples(), pgP50 = Samples(), fileP50 = Samples(), bareP50 = Samples()
        var serial = 0
        for _ in 0..<options.runs {
            var p: [Double] = [], f: [Double] = [], b: [Double] = []
            for _ in 0..<options.appends {
                serial += 1
                let event = LifecycleEvent.serverNumberSet(String(2_000_000_000_000_000 + serial))
                let t0 = PseudoTerminalDesk.now()
                try pgStore.record(event, on: caseNumber, operatorID: "yamada", now: Date())
                let t1 = PseudoTerminalDesk.now()
                try fileStore.record(event, on: caseNumber, operatorID: "yamada", now: Date())
                let t2 = PseudoTerminalDesk.now()
                p.append(t1 - t0)
                f.append(t2 - t1)
                b.append(try bare.time())
            }
            pgP99.append(Samples.percentile(p, 0.99)); fileP99.append(Samples.percentile(f, 0.99)); bareP99.append(Samples.percentile(b, 0.99))
            pgP50.append(Samples.percentile(p, 0.5)); fileP50.append(Samples.percentile(f, 0.5)); bareP50.append(Samples.percentile(b, 0.5))
        }
        // Every append is a row in the database, signed by yamada, from this account's role. That role is
        // an administrator (superuser or madoguchi_owner), so the insert trigger took the administrator's
        // path: the clerk's checks (a staff row, its own office) were skipped; the line's operator is kept.
        let appended = 1 + options.runs * options.appends
        let landed = try db.rowCount(code) - rowsBefore
        let byClerk = Int(try db.admin.query("SELECT count(*)::int8 FROM madoguchi.journal WHERE office = $1 AND seq > $2 AND operator_id = 'yamada' AND db_role = $3",
                                             [.text(code), .int(Int64(rowsBefore)), .text(db.account)]).first?.first?.int ?? -1)
        guard landed == appended, byClerk == appended else {
            throw PseudoTerminalDesk.Failure("PostgreSQL への追記 \(appended) 回のうち、データベースにある行は \(landed) 行（担当者 yamada として \(byClerk) 行）です")
        }
        rows.append(Row(metric: PostgresMetric.append(options.appends), scale: scale,
                        ours: "PostgreSQL " + Format.spread(pgP99, Format.us) + "（p50 中央 \(Format.us(pgP50.median))）",
                        reference: "記録ファイル " + Format.spread(fileP99, Format.us) + "（p50 中央 \(Format.us(fileP50.median))）・write+fdatasync "
                            + Format.spread(bareP99, Format.us) + "（\(lineBytes) B）",
                        ratio: Format.ratio(pgP99.median / max(1e-9, fileP99.median)), goal: "（参考）", verdict: .none))
        return ["p99": pgP99.json, "p50": pgP50.json, "fileP99": fileP99.json, "fileP50": fileP50.json, "bareP99": bareP99.json,
                "bareP50": bareP50.json, "lineBytes": lineBytes, "appendsPerRun": options.appends, "appended": appended, "landed": landed]
    }
    #endif
}
