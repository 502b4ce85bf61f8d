import Foundation
import MadoguchiCore
#if PostgreSQL
import MadoguchiPostgres
#endif

/// Where the benchmark finds a PostgreSQL cluster (issue 15): `--postgres-socket-dir`, `--postgres-port`,
/// `--postgres-database`, or the MADOGUCHI_TEST_PG_* variables `.ci/postgres.sh` writes. The benchmark
/// connects by peer as the OS account running it (an administrator: superuser or madoguchi_owner).
public struct PostgresBenchTarget: Sendable, Equatable {
    public var socketDirectory: String
    public var port: Int
    public var database: String

    public init(socketDirectory: String, port: Int, database: String) {
        self.socketDirectory = socketDirectory
        self.port = port
        self.database = database
    }

    /// From `.ci/postgres.sh`'s env (MADOGUCHI_TEST_PG_SOCKET_DIR, _PORT, _DATABASE); nil without a socket folder.
    public static func fromEnvironment(_ env: [String: String]) -> PostgresBenchTarget? {
        guard let dir = env["MADOGUCHI_TEST_PG_SOCKET_DIR"], !dir.isEmpty else { return nil }
        return PostgresBenchTarget(socketDirectory: dir, port: env["MADOGUCHI_TEST_PG_PORT"].flatMap { Int($0) } ?? 5432,
                                   database: env["MADOGUCHI_TEST_PG_DATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? "madoguchi")
    }

    /// The office config's `[store]` table for a desk on this cluster (peer over the socket).
    var storeTable: String {
        """
        [store]
        kind = "postgres"
        database = \(SyntheticOffice.quoted(database))
        socket_directory = \(SyntheticOffice.quoted(socketDirectory))
        port = \(port)
        """
    }

    /// What the PostgreSQL rows say when there is no cluster to measure.
    public static let notGiven = "PostgreSQL なし（--postgres-socket-dir で指定）"
    public static let notBuilt = "PostgreSQL なしで作られたプログラムです（swift build -c release --traits PostgreSQL で作り直してください）"
}

#if PostgreSQL
/// The benchmark's work on the database: the administrator's link (peer, the account running the
/// benchmark), fresh office codes, an office's journal carried over, and the desk's clerk role.
final class PostgresBench {
    let target: PostgresBenchTarget
    /// The OS account running the benchmark, and its database role (peer maps it to its own name).
    let account: String
    let admin: PostgresLink

    init(target: PostgresBenchTarget, account: String) throws {
        self.target = target
        self.account = account
        admin = try PostgresLink.connect(Self.settings(target, role: account))
        try DatabaseAdmin(link: admin).migrate()
    }

    deinit { admin.close() }

    static func settings(_ target: PostgresBenchTarget, role: String) -> PostgresSettings {
        PostgresSettings(endpoint: .socket(directory: target.socketDirectory, port: target.port), database: target.database, role: role)
    }

    var location: PostgresLocation {
        PostgresLocation(endpoint: .socket(directory: target.socketDirectory, port: target.port), database: target.database)
    }

    /// `n` valid 公費負担者番号 (12, a prefecture, 3 digits, the check digit) no office in the database has:
    /// the journal is append-only, so every run of the benchmark makes new offices (from 1247000x down).
    func freshOffices(_ n: Int) throws -> [String] {
        let taken = Set(try admin.query("SELECT office FROM madoguchi.offices").compactMap { $0.first?.text })
        var codes: [String] = []
        for prefecture in stride(from: 47, through: 1, by: -1) {
            for institution in 0..<1000 {
                let body = String(format: "12%02d%03d", prefecture, institution)
                let code = body + String(CheckDigit.compute(body)!)
                if !taken.contains(code) { codes.append(code) }
                if codes.count == n { return codes }
            }
        }
        throw PseudoTerminalDesk.Failure("データベースに新しい事務所の番号が残っていません")
    }

    /// Carries the office's journal into the database as `madoguchi migrate` does
    /// (`OfficeMigration.intoDatabase`): every line verified first (chain, signatures, the office), then
    /// its exact lines in one transaction under the office's lock, through the insert trigger's
    /// administrator path (which keeps each line's own operator). The account running the benchmark is
    /// a superuser or madoguchi_owner, so the trigger takes that path even though the same role is also
    /// the desk's clerk (its staff row). Returns the seconds it took (verification included) and the rows.
    func migrate(_ office: SyntheticOffice.ProductionOffice) throws -> (seconds: Double, rows: Int) {
        let code = office.office.publicPayerNumber
        try DatabaseAdmin(link: admin).addOffice(office: code, name: office.office.officeName)
        let t0 = PseudoTerminalDesk.now()
        let carried = try OfficeMigration.intoDatabase(journal: office.output.journal, office: code,
                                                       unsignedEraRoles: office.office.rolesByID,
                                                       link: admin, database: target.database)
        let seconds = PseudoTerminalDesk.now() - t0
        // The file's lines, counted apart from the migration: the database must hold every one, all new.
        let lines = try Data(contentsOf: office.output.journal).split(separator: 0x0A, omittingEmptySubsequences: true).count
        let rows = try rowCount(code)
        guard rows == lines, carried.inserted == lines else {
            throw PseudoTerminalDesk.Failure("事務所 \(code) の記録を移しましたが、データベースの行は \(rows) 行です（\(lines) 行のはず）")
        }
        return (seconds, rows)
    }

    func rowCount(_ office: String) throws -> Int {
        Int(try admin.query("SELECT count(*)::int8 FROM madoguchi.journal WHERE office = $1", [.text(office)]).first?.first?.int ?? -1)
    }

    /// The running account becomes the office's clerk yamada (its staff row moves here from an earlier
    /// bench office): the desk proves itself by the OS account, as with the bench's file office.
    func bindClerk(office: String) throws {
        try DatabaseAdmin(link: admin).addStaff(dbRole: account, office: office, operatorID: "yamada", kind: .clerk)
    }

    /// The office's journal in the database as the clerk yamada (peer), signing with yamada's key, loaded.
    /// No witness file: the benchmark's store leaves nothing on this machine. Each link is set up as a
    /// desk's (`OfficeDatabase.desk`: the lock and response timeouts).
    func clerkStore(_ office: SyntheticOffice.ProductionOffice) throws -> CaseStore {
        let settings = Self.settings(target, role: account)
        let pg = PostgresJournalStore(office: office.office.publicPayerNumber, label: location.label, witness: nil) {
            try OfficeDatabase.desk(PostgresLink.connect(settings))
        }
        let store = CaseStore(journal: pg)
        try store.load()
        store.journal.signer = office.signers["yamada"]
        return store
    }

    /// The city's read-only role of the benchmark (`madoguchi db add-staff --kind city`).
    static let cityRole = "madoguchi_bench_city"

    func addCityRole() throws {
        try DatabaseAdmin(link: admin).addStaff(dbRole: Self.cityRole, office: nil, operatorID: "bench-city", kind: .city)
    }

    /// `body` on a new link whose session is the city's role: the account running the benchmark (peer,
    /// a superuser) connects and becomes that role (SET SESSION AUTHORIZATION), so row-level security
    /// and `whoami()` answer as for the city supervisor's own login.
    func asCity<T>(_ body: (PostgresLink) throws -> T) throws -> T {
        let link = try PostgresLink.connect(Self.settings(target, role: account))
        defer { link.close() }
        try link.query("SET SESSION AUTHORIZATION \(DatabaseNames.quote(Self.cityRole))")
        return try body(link)
    }

    /// `office.toml` for the desk on the database (`[store] kind = "postgres"`, peer), its own data
    /// folder (for the witness) beside the file office's, the same keys.
    func deskConfig(_ office: SyntheticOffice.ProductionOffice) throws -> (config: URL, data: URL) {
        let work = office.config.deletingLastPathComponent()
        let data = work.appendingPathComponent("pgdata")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let config = work.appendingPathComponent("office-postgres.toml")
        try SyntheticOffice.configText(office.office, account: account, dataDirectory: "pgdata", store: target.storeTable)
            .write(to: config, atomically: true, encoding: .utf8)
        return (config, data)
    }
}
#endif
