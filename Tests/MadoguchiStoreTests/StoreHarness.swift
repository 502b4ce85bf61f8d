import Foundation
import MadoguchiCore
import Testing
#if PostgreSQL
import MadoguchiPostgres
#endif

/// The stores the contract runs on. PostgreSQL only when built with the trait and a cluster is given
/// (or under CI, where a missing cluster fails the suite: see `PG`).
enum StoreKind: String, CustomStringConvertible, Sendable {
    case file, postgres
    var description: String { rawValue }

    static var all: [StoreKind] {
        #if PostgreSQL
        return PG.ready || PG.inCI ? [.file, .postgres] : [.file]
        #else
        return [.file]
        #endif
    }

    /// A new office of this kind: signed from its first line, a supervisor (sato) and two clerks.
    func office() throws -> ContractOffice {
        switch self {
        case .file: return try FileOffice()
        case .postgres:
            #if PostgreSQL
            return try PostgresOffice()
            #else
            throw ContractSetupError("PostgreSQL のない版では作れません")
            #endif
        }
    }
}

struct ContractSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// One terminal of the office: a store of its own, signing as one operator.
struct ContractTerminal: @unchecked Sendable {
    let store: any JournalStore
    let operatorID: String
}

/// An office for the contract, opened and signed: `office.opened` by sato, yamada and suzuki enrolled.
class ContractOffice {
    let code = String(UInt32.random(in: 10_000_000...99_999_999))
    let now = Date(timeIntervalSince1970: 1_796_000_000)   // 2026-11-30 (Japan)
    let keys: [String: OperatorSigningKey]
    let roles: [String: Operator.Role] = ["sato": .supervisor, "yamada": .clerk, "suzuki": .clerk]
    /// Lines before the tests' own: the office's opening and the enrolments.
    private(set) var base = 0

    init() throws {
        var k: [String: OperatorSigningKey] = [:]
        for id in ["sato", "yamada", "suzuki"] { k[id] = try OperatorSigningKey.generate(operatorID: id) }
        keys = k
    }

    /// Subclasses: a new store for `operatorID` (a new terminal, nothing cached).
    func makeStore(as operatorID: String) throws -> any JournalStore { fatalError("subclass") }
    /// Subclasses: change the `line`-th line (1-based, over the whole journal) behind the store's back.
    func rewrite(line: Int, _ change: (String) -> String) throws { fatalError("subclass") }
    /// Subclasses: add `line` (no newline) at the end behind the store's back.
    func appendBehindTheStore(_ line: String) throws { fatalError("subclass") }
    func close() {}

    func terminal(as operatorID: String) throws -> ContractTerminal {
        let store = try makeStore(as: operatorID)
        store.signer = keys[operatorID]
        return ContractTerminal(store: store, operatorID: operatorID)
    }

    /// The office's first lines, written by its supervisor.
    func open() throws {
        let sato = try terminal(as: "sato")
        _ = try sato.store.load()
        let office = JournalOffice(name: "契約テスト事務所", publicPayerNumber: code, mode: "production")
        var drafts = [EventDraft(caseNumber: "", type: EventType.officeOpened,
                                 data: try JSONValue(encoding: KeyEnrolment(operatorID: "sato", name: "佐藤", role: .supervisor,
                                                                            publicKey: keys["sato"]!.publicKey, office: office)),
                                 operatorID: "sato", time: now)]
        for id in ["yamada", "suzuki"] {
            drafts.append(EventDraft(caseNumber: "", type: EventType.keyEnrolled,
                                     data: try JSONValue(encoding: KeyEnrolment(operatorID: id, name: id, role: .clerk, publicKey: keys[id]!.publicKey)),
                                     operatorID: "sato", time: now))
        }
        base = try sato.store.append(knownCount: 0) { _ in drafts }.appended.count
    }

    /// A line of the tests' own.
    func note(_ text: String, by operatorID: String) -> EventDraft {
        EventDraft(caseNumber: "", type: "test.note", data: .object(["note": .string(text)]), operatorID: operatorID, time: now)
    }

    /// The tests' own lines (the office's opening left out).
    func ownLines(_ records: [JournalRecord]) -> [JournalRecord] {
        records.filter { !EventType.trust.contains($0.eventType) }
    }
}

/// The local JSON Lines journal in a fresh folder.
final class FileOffice: ContractOffice {
    let folder: URL
    var url: URL { folder.appendingPathComponent("journal.jsonl") }

    override init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-contract-\(UUID().uuidString)")
        try super.init()
        try open()
    }

    override func makeStore(as operatorID: String) throws -> any JournalStore { Journal(url: url) }

    override func rewrite(line: Int, _ change: (String) -> String) throws {
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[line - 1] = change(lines[line - 1])
        try lines.joined(separator: "\n").write(to: url, atomically: false, encoding: .utf8)
    }

    override func appendBehindTheStore(_ line: String) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.close()
    }

    override func close() { try? FileManager.default.removeItem(at: folder) }
}

#if PostgreSQL
/// The office in the test cluster's database: one role per operator (SCRAM over 127.0.0.1, as the
/// schema tests do), this machine's witness in a fresh folder.
final class PostgresOffice: ContractOffice {
    let fixture: PGFixture
    let folder: URL
    private var settings: [String: PostgresSettings] = [:]
    /// How long a store's append waits for the office's lock (a desk: 10 s).
    var lockTimeoutSeconds = 10

    override init() throws {
        fixture = try PGFixture()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-contract-pg-\(UUID().uuidString)")
        try super.init()
        _ = try DatabaseAdmin(link: fixture.admin).addOffice(office: code, name: "契約テスト事務所 \(code)")
        for (id, role) in roles {
            let (dbRole, link) = try fixture.staff(id, office: code, operatorID: id, kind: role == .supervisor ? .supervisor : .clerk)
            link.close()
            let password = PG.randomHex(16)
            try fixture.admin.query("ALTER ROLE \(DatabaseNames.quote(dbRole)) PASSWORD '\(password)'")
            settings[id] = try PG.tcpSettings(role: dbRole, password: password)
        }
        try open()
    }

    override func makeStore(as operatorID: String) throws -> any JournalStore {
        let s = try #require(settings[operatorID])
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lockTimeout = lockTimeoutSeconds
        // Connected as a desk is (OfficeDatabase.desk: its lock and response timeouts).
        return PostgresJournalStore(office: code, label: "PostgreSQL", witness: folder.appendingPathComponent("witness-\(operatorID)-\(UUID().uuidString)")) {
            try OfficeDatabase.desk(PostgresLink.connect(s), lockTimeoutSeconds: lockTimeout)
        }
    }

    /// The server ends every connection of `operatorID`'s role (as an administrator's
    /// pg_terminate_backend, a restart or a network cut would).
    func cutConnections(of operatorID: String) throws {
        let role = try #require(settings[operatorID]?.role)
        try fixture.admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", [.text(role)])
        usleep(100_000)
    }

    /// As a superuser who switches the triggers off for the session: the attack the chain is kept for.
    override func rewrite(line: Int, _ change: (String) -> String) throws {
        try fixture.rewrite(office: code, seq: line, change)
    }

    /// As the administrator (the insert trigger's path that keeps the line's own operator).
    override func appendBehindTheStore(_ line: String) throws {
        let admin = fixture.admin
        try admin.transaction {
            let last = try admin.query("SELECT coalesce(max(seq), 0)::int8 FROM madoguchi.journal WHERE office = $1", [.text(code)]).first?.first?.int ?? 0
            try admin.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, $2, $3::jsonb ->> 'operator', $3)",
                            [.text(code), .int(last + 1), .text(line)])
        }
    }

    override func close() {
        fixture.close()
        try? FileManager.default.removeItem(at: folder)
    }
}

#endif
