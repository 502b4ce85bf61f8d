#if PostgreSQL
import Foundation
import MadoguchiCore

/// Every office's cases as the city sees them (issue 15 item 5), read-only: one query for every
/// journal row the connected role may see (row-level security decides: a city role sees every
/// office's, a clerk only their own), each office's lines verified on their own — chain, layout and
/// signatures from the office's last checkpoint, exactly as an office's start does — and folded into
/// its cases, offices in parallel on every core. An office whose journal does not verify is kept,
/// with its bad line, and the others are still listed.
public struct CityView: Sendable {
    /// Who the session's role is in `madoguchi.staff` (nil fields: not staff at all).
    public struct Viewer: Sendable, Equatable {
        /// The staff row's kind; nil: not staff.
        public let kind: DatabaseAdmin.StaffKind?
        /// A clerk's or supervisor's office; nil for the city.
        public let office: String?

        public var isCity: Bool { kind == .city }
    }

    public let viewer: Viewer
    /// Every office the role may see, in code order.
    public let offices: [CityOfficeCases]

    /// Who the link's role is.
    public static func viewer(_ link: PostgresLink) throws -> Viewer {
        let me = try link.query("SELECT office, kind FROM madoguchi.whoami()").first
        return Viewer(kind: me?[1].text.flatMap(DatabaseAdmin.StaffKind.init(rawValue:)), office: me?[0].text)
    }

    /// Reads and folds. `label` names the database in messages (`PostgresLocation.label`); `only`
    /// keeps the query to those offices (nil: every office the role may see); a code that is not
    /// 8 digits is refused before any query. `viewer`: the link's role when the caller already asked
    /// (`viewer(_:)`); nil asks here.
    public static func read(_ link: PostgresLink, label: String, only: Set<String>? = nil, viewer known: Viewer? = nil) throws -> CityView {
        if let bad = only?.sorted().first(where: { !DatabaseNames.isOffice($0) }) {
            throw PostgresLinkError("事務所の番号 \"\(bad)\" は 8 桁の数字ではありません")
        }
        let viewer = try known ?? Self.viewer(link)
        var names: [String: String] = [:]
        for row in try link.query("SELECT office, name FROM madoguchi.offices ORDER BY office") {
            guard let code = row.first?.text else { continue }
            names[code] = row.count > 1 ? row[1].text ?? code : code
        }
        // Row-level security keeps a clerk to their office's rows; the list keeps them to its name too.
        if !viewer.isCity { names = names.filter { $0.key == viewer.office } }
        let wanted = only.map { $0.sorted() }
        if let wanted { names = names.filter { wanted.contains($0.key) } }

        // The one query: every visible row, office by office, in seq order.
        var readers: [String: JournalRows] = [:]
        var problems: [String: CityOfficeProblem] = [:]
        let journalName: @Sendable (String) -> String = { code in "\(label) 事務所 \(code)" }
        let (sql, binds): (String, [SQLValue]) = wanted.map {
            ("SELECT office, seq, line FROM madoguchi.journal WHERE office = ANY (string_to_array($1, ',')) ORDER BY office, seq",
             [.text($0.joined(separator: ","))])
        } ?? ("SELECT office, seq, line FROM madoguchi.journal ORDER BY office, seq", [])
        try link.forEachRow(sql, binds) { row in
            guard row.count == 3, let code = row[0].text else {
                throw PostgresLinkError("データベースの記録の行が読めません（office・seq・line の列がありません）")
            }
            if names[code] == nil { names[code] = code }   // rows of an office the list does not name: still shown
            guard problems[code] == nil else { return }
            do {
                try readers[code, default: JournalRows(name: journalName(code))].add(seq: row[1], line: row[2])
            } catch let JournalError.badLine(_, line, reason) {
                problems[code] = CityOfficeProblem(line: line, reason: reason)
                readers[code] = nil
            }
        }

        let codes = names.keys.sorted()
        let (officeNames, broken) = (names, problems)
        let work = FoldWork(codes.map { code in problems[code] == nil ? (readers.removeValue(forKey: code)?.bytes ?? []) : [] })
        readers = [:]
        DispatchQueue.concurrentPerform(iterations: codes.count) { i in
            let code = codes[i]
            let name = officeNames[code] ?? code
            if let problem = broken[code] {
                work.finish(i, CityOfficeCases(office: code, name: name, cases: [], problem: problem))
                return
            }
            let bytes = work.take(i)
            work.finish(i, CityOfficeCases.verifyAndFold(office: code, name: name, journalName: journalName(code), bytes: bytes))
        }
        return CityView(viewer: viewer, offices: work.results.compactMap { $0 })
    }
}

/// Each office's bytes, handed to one worker (and released by it), and the results.
private final class FoldWork: @unchecked Sendable {
    private let lock = NSLock()
    private var inputs: [[UInt8]]
    private(set) var results: [CityOfficeCases?]

    init(_ inputs: [[UInt8]]) {
        self.inputs = inputs
        results = Array(repeating: nil, count: inputs.count)
    }

    func take(_ i: Int) -> [UInt8] {
        lock.lock(); defer { lock.unlock() }
        let bytes = inputs[i]
        inputs[i] = []
        return bytes
    }

    func finish(_ i: Int, _ result: CityOfficeCases) {
        lock.lock(); results[i] = result; lock.unlock()
    }
}

/// The city's connection: as the proven city supervisor's own role (peer or SCRAM), which must be a
/// city role (`madoguchi db add-staff --kind city`).
public enum CityDatabase {
    public static func connect(_ config: CityConfig, as op: CityOperator) throws -> PostgresLink {
        let settings = try OfficeDatabase.settings(config.location, as: op.asOperator)
        return try PostgresLink.connect(settings)
    }

    /// The list as `op`, refused unless the role is the city's: a clerk's role would see only their
    /// office (RLS) and the list would look complete.
    public static func view(_ config: CityConfig, as op: CityOperator, only: Set<String>? = nil) throws -> CityView {
        let link = try connect(config, as: op)
        defer { link.close() }
        let viewer = try CityView.viewer(link)
        guard viewer.isCity else {
            throw PostgresLinkError("ロール \(op.dbRole) は市の閲覧用（madoguchi db add-staff --kind city）ではありません"
                + (viewer.kind.map { "（\($0.rawValue)、事務所 \(viewer.office ?? "なし")）" } ?? "（madoguchi.staff に行がありません）")
                + "。市の一覧は市の閲覧用のロールで開いてください")
        }
        return try CityView.read(link, label: config.location.label, only: only, viewer: viewer)
    }
}
#endif
