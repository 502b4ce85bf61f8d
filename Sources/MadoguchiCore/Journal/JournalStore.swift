import Foundation

/// Where an office's events are kept (issue 15): the local JSON Lines file (`Journal`, the default,
/// and always for training) or a database (`PostgresJournalStore` in MadoguchiPostgres). Both keep
/// the exact journal lines and verify them with the same `JournalLedger` — hash chain, signatures,
/// roles and office — so the domain cannot tell them apart, and both pass the same contract suite
/// (Tests/MadoguchiStoreTests).
public protocol JournalStore: AnyObject, Sendable {
    /// What the messages call it: the file's name, or the database and office.
    var name: String { get }
    /// The key of the operator this process proved to be (R-SG-1): every line appended is signed
    /// with it once the journal is signed, and a draft naming another operator is refused.
    var signer: OperatorSigningKey? { get set }
    /// The config's roles, for the unsigned lines of an older journal.
    var unsignedEraRoles: [String: Operator.Role] { get set }
    /// Keys, roles and office as of the last line read or written (nil before the first load).
    var trust: JournalTrust? { get }

    /// Reads and verifies every line, from the first.
    func load() throws -> JournalLoad
    /// The records appended (by anyone) after the first `knownCount`, verified, without writing.
    func records(after knownCount: Int) throws -> [JournalRecord]
    /// Appends atomically: under the store's lock, catches up with what others wrote after the first
    /// `knownCount` records (nil: the caller keeps no count, and `body` sees nothing), hands it to
    /// `body`, writes the drafts `body` returns (none, or a throw: nothing is written) durably, and
    /// returns only then.
    func append(knownCount: Int?, _ body: ([JournalRecord]) throws -> [EventDraft]) throws
        -> (fromOthers: [JournalRecord], appended: [JournalRecord])
    /// Every line exactly as stored, each ending in `\n` (for `verify`, `migrate`, export): the bytes
    /// a journal file of the same office would hold.
    func exactLines() throws -> [UInt8]
    /// The local journal file behind this store, if it is one (training sandboxes and the fold
    /// snapshot need the file itself).
    var localJournal: Journal? { get }
}

extension JournalStore {
    public var localJournal: Journal? { nil }

    /// Append without caring about others (still chained correctly under the lock).
    @discardableResult
    public func append(_ drafts: [EventDraft]) throws -> [JournalRecord] {
        try append(knownCount: nil) { _ in drafts }.appended
    }
}

/// The store cannot be reached just now (a database whose connection dropped): what the clerk typed
/// is kept, and the store tries again at the next call. Nothing was written — unless the connection
/// went while a save's COMMIT was on its way, when the lines may or may not be saved and the message
/// says so. The desk says so on its status line rather than as a failed save of this or that case.
public struct JournalStoreUnavailable: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}


/// A journal kept elsewhere (a database) still gets this machine's own anchor (R-SG-3): a note of the
/// last line this machine saw, so lines cut from the end by someone who can bypass the engine's
/// triggers (the owner, a superuser) are found here as they are for a file. `witness` names the
/// anchor's file as if it were a journal: `<witness>.anchor`.
public enum JournalWitness {
    /// After `bytes` (the whole journal, verified, `ledger` at its end) was read: throws when the
    /// journal is shorter than what this machine saw or was replaced; writes the note when it is
    /// missing or behind. Returns a warning for the operator when it could not be written.
    @discardableResult
    public static func reconcile(_ witness: URL, bytes: [UInt8], ledger: JournalLedger) throws -> String? {
        try JournalAnchor.reconcile(journal: witness, bytes: bytes[...], lineCount: ledger.lineCount,
                                    lastSeq: ledger.lastSeq, lastHash: ledger.lastHash, write: true)
    }

    /// After lines were written and committed: the note moves to the new end (not fsynced: behind is
    /// always safe).
    public static func advance(_ witness: URL, to ledger: JournalLedger) {
        try? JournalAnchor.write(JournalAnchor(seq: ledger.lastSeq, hash: ledger.lastHash), journal: witness, durable: false)
    }
}
