#if PostgreSQL
import Foundation
import MadoguchiCore

/// An office's journal in PostgreSQL (issue 15): one row per journal line in `madoguchi.journal`, the
/// exact line kept as text, so the hash chain and the signatures are verified exactly as in a file —
/// by the same `JournalLedger` — on every read (R-SG-1..3, R-SG-5). The engine adds what a file could
/// not: each clerk is their own role (peer or SCRAM, R-SG-1), may only INSERT and SELECT, sees only
/// their office's rows, and the row's operator comes from the session's role (see `Migrations`);
/// this machine's witness anchor finds lines cut from the end by someone who bypassed it (R-SG-3).
///
/// An append runs in one transaction: the office's advisory lock (the same the insert trigger takes),
/// the lines other terminals wrote since this one last looked (verified, every signature), the body's
/// drafts made into signed lines, the INSERTs, COMMIT — durable when it returns (synchronous_commit).
/// Another terminal's lines are announced by NOTIFY: while the listening connection is up and nothing
/// was announced, `records(after:)` asks the database nothing (no polling).
public final class PostgresJournalStore: JournalStore, @unchecked Sendable {
    public let office: String
    public let name: String
    private let connect: () throws -> PostgresLink
    /// This machine's note of the last line seen (`JournalWitness`); nil: none kept.
    private let witness: URL?

    private let mutex = NSRecursiveLock()
    private var link: PostgresLink?
    private var listener: PostgresLink?
    /// Set by NOTIFY (another terminal's line) and when the listener is down; cleared when read.
    private let announced = Announced()
    private var ledger: JournalLedger?
    private var signingKey: OperatorSigningKey?
    private var roles: [String: Operator.Role] = [:]

    /// `connect` opens a new link as the operator's role; it is called again after a lost connection.
    public init(office: String, label: String, witness: URL?, connect: @escaping () throws -> PostgresLink) {
        self.office = office
        self.name = "\(label) 事務所 \(office)"
        self.witness = witness
        self.connect = connect
    }

    deinit {
        link?.close()
        listener?.close()
    }

    public var signer: OperatorSigningKey? {
        get { mutex.lock(); defer { mutex.unlock() }; return signingKey }
        set { mutex.lock(); signingKey = newValue; mutex.unlock() }
    }

    public var unsignedEraRoles: [String: Operator.Role] {
        get { mutex.lock(); defer { mutex.unlock() }; return roles }
        set { mutex.lock(); roles = newValue; ledger = nil; mutex.unlock() }
    }

    public var trust: JournalTrust? {
        mutex.lock(); defer { mutex.unlock() }
        return ledger?.trust
    }

    // MARK: Reading

    public func load() throws -> JournalLoad {
        mutex.lock(); defer { mutex.unlock() }
        ledger = nil
        let (bytes, fresh) = try readFromStart()
        var l = fresh
        let records = try l.verify(bytes, signatures: .afterLastCheckpoint)
        var warnings: [String] = []
        if let witness, let w = try JournalWitness.reconcile(witness, bytes: bytes, ledger: l) { warnings.append(w) }
        ledger = l
        return JournalLoad(records: records, tornTail: nil, warnings: warnings, trust: l.trust)
    }

    public func records(after knownCount: Int) throws -> [JournalRecord] {
        mutex.lock(); defer { mutex.unlock() }
        return try withLink { link in try catchUp(link, knownCount: knownCount) }
    }

    public func exactLines() throws -> [UInt8] {
        mutex.lock(); defer { mutex.unlock() }
        return try withLink { link in try lines(link, after: 0).bytes }
    }

    // MARK: Writing

    public func append(knownCount: Int?, _ body: ([JournalRecord]) throws -> [EventDraft]) throws
        -> (fromOthers: [JournalRecord], appended: [JournalRecord]) {
        mutex.lock(); defer { mutex.unlock() }
        return try withLink { link in
            var fromOthers: [JournalRecord] = []
            var written: (bytes: [UInt8], records: [JournalRecord]) = ([], [])
            var moved: JournalLedger?
            var committing = false
            do {
                // BEGIN, the body, COMMIT; ROLLBACK when the body throws.
                try link.transaction {
                    try link.query("SELECT madoguchi.lock_office($1)", [.text(office)])
                    // Under the lock: what others wrote since this terminal last looked, every signature checked.
                    fromOthers = try catchUp(link, knownCount: knownCount, locked: true)
                    let drafts = try body(knownCount == nil ? [] : fromOthers)
                    if !drafts.isEmpty, var l = ledger {
                        written = try l.write(drafts, signer: signingKey)
                        try insert(written, link)
                        moved = l
                    }
                    committing = true
                }
            } catch let e as PostgresLinkError where e.connectionLost && committing && moved != nil {
                // The connection went while the COMMIT was on its way: the lines may or may not be
                // saved. Said as it is; the next look at the database shows which.
                throw JournalStoreUnavailable("\(e.description)。保存の途中で接続が切れたため、保存されたかどうか確かめられませんでした。"
                                              + "再接続したら一覧で確かめてから、必要ならもう一度保存してください")
            }
            // Only after COMMIT does this terminal's position move past its own lines.
            if let l = moved {
                ledger = l
                if let witness { JournalWitness.advance(witness, to: l) }
            }
            return (knownCount == nil ? [] : fromOthers, written.records)
        }
    }

    /// The lines of `written`, one row each, in this transaction.
    private func insert(_ written: (bytes: [UInt8], records: [JournalRecord]), _ link: PostgresLink) throws {
        var start = 0
        for record in written.records {
            let end = written.bytes[start...].firstIndex(of: 0x0A)!
            let line = String(decoding: written.bytes[start..<end], as: UTF8.self)
            try link.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, $2, $3, $4)",
                           [.text(office), .int(Int64(record.seq)), .text(record.operatorID), .text(line)])
            start = end + 1
        }
    }

    // MARK: Inside

    /// Under the mutex: the rows after `knownCount` lines, verified, with the ledger moved past them.
    /// Reads only what is new when the ledger is where the caller is; otherwise everything again.
    private func catchUp(_ link: PostgresLink, knownCount: Int?, locked: Bool = false) throws -> [JournalRecord] {
        if var l = ledger, knownCount == nil || knownCount == l.lineCount {
            // Nothing announced, the listener up, and not under the append lock: nothing new to ask for.
            if !locked, !announced.take(), listener?.isOpen == true { return [] }
            // From the line it chains onto: still the very line verified before (changed in place by
            // someone who can bypass the triggers, it stops this terminal here).
            var new = try lines(link, after: max(0, l.lastSeq - 1))
            if l.lastSeq > 0 {
                let end = new.bytes.firstIndex(of: 0x0A) ?? new.bytes.count
                guard l.isLastLine(Array(new.bytes[..<end])) else {
                    throw JournalError.badLine(file: name, line: l.lineCount, reason: "この端末が確かめた後で行が変えられたか消されています（データベースの行がハッシュと一致しません）")
                }
                new.bytes.removeFirst(min(end + 1, new.bytes.count))
            }
            if new.bytes.isEmpty { return [] }
            let records = try l.verify(new.bytes, signatures: .all)   // another terminal's lines: every signature
            ledger = l
            return records
        }
        let (bytes, fresh) = try readFromStart(link)
        var l = fresh
        let records = try l.verify(bytes, signatures: .afterLastCheckpoint)
        ledger = l
        guard let k = knownCount else { return [] }
        guard k <= records.count else {
            throw JournalError.knownCountTooLarge(file: name, known: k, actual: records.count)
        }
        return Array(records[k...])
    }

    private func readFromStart(_ given: PostgresLink? = nil) throws -> ([UInt8], JournalLedger) {
        let fresh = JournalLedger(name: name, unsignedEraRoles: roles)
        if let given { return (try lines(given, after: 0).bytes, fresh) }
        return (try withLink { try lines($0, after: 0).bytes }, fresh)
    }

    /// The office's lines after `seq`, in order, joined with newlines; a row whose seq is not its
    /// place is named (the line's own seq is checked by the ledger).
    private func lines(_ link: PostgresLink, after seq: Int) throws -> (bytes: [UInt8], count: Int) {
        var rows = JournalRows(name: name, after: Int64(seq))
        try link.forEachRow("SELECT seq, line FROM madoguchi.journal WHERE office = $1 AND seq > $2 ORDER BY seq",
                            [.text(office), .int(Int64(seq))]) { row in
            try rows.add(seq: row.first, line: row.count == 2 ? row[1] : nil)
        }
        return (rows.take(), rows.count)
    }

    /// Runs `body` on the link, connecting (and starting to listen) first when there is none or it was
    /// lost. A lost connection becomes `JournalStoreUnavailable` and the next call connects again:
    /// nothing was written, except when it went during an append's COMMIT — then the lines may or may
    /// not be saved, and `append`'s message says so.
    private func withLink<T>(_ body: (PostgresLink) throws -> T) throws -> T {
        do {
            return try body(try currentLink())
        } catch let e as JournalStoreUnavailable {
            link?.close(); link = nil
            listener?.close(); listener = nil
            throw e
        } catch let e as PostgresLinkError where e.sqlState == "55P03" {
            // lock_timeout (OfficeDatabase.desk): another session holds the office's append lock.
            throw JournalStoreError("ほかの端末が記録の書き込みを長く止めているため、保存できませんでした（待つ時間を過ぎました）。"
                                    + "もう一度保存してください。続くときは管理者に伝えてください")
        } catch let e as PostgresLinkError {
            if e.connectionLost || !(link?.isOpen ?? false) {
                link?.close(); link = nil
                listener?.close(); listener = nil
                throw JournalStoreUnavailable("\(e.description)。再接続を試みています（入力した内容は消えていません）")
            }
            throw JournalStoreError(e.description)
        }
    }

    private func currentLink() throws -> PostgresLink {
        if let l = link, l.isOpen {
            if listener?.isOpen != true { startListening() }
            return l
        }
        link?.close()
        do {
            let l = try connect()
            link = l
            startListening()
            return l
        } catch let e as PostgresLinkError {
            throw JournalStoreUnavailable(e.description)
        }
    }

    /// A second connection LISTENs on the office's channel; until it is up, every look asks.
    private func startListening() {
        listener?.close()
        listener = nil
        announced.set()
        guard let l = try? connect() else { return }
        let flag = announced
        do {
            try l.listen(Migrations.channel(office: office)) { _ in flag.set() }
            listener = l
        } catch {
            l.close()
        }
    }
}

/// A refusal by the database that is not a lost connection (a trigger's, a permission's), as the clerk
/// reads it.
public struct JournalStoreError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Set from the listener's queue, taken by the store.
final class Announced: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = true
    func set() { lock.lock(); flag = true; lock.unlock() }
    /// Whether anything was announced since the last take.
    func take() -> Bool { lock.lock(); defer { lock.unlock() }; let f = flag; flag = false; return f }
}
#endif
