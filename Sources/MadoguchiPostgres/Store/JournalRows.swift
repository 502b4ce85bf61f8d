#if PostgreSQL
import MadoguchiCore

/// One office's journal rows (`seq`, `line`), read in seq order, joined into the exact lines a
/// journal file would hold — each ending in `\n` — for `JournalLedger` to verify. A row whose seq is
/// not its place (a row missing) is named here; the line's own seq is checked by the ledger. The
/// office's store and the city's list read rows this way.
struct JournalRows {
    /// What messages call the journal.
    let name: String
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    private var expected: Int64

    /// Rows after `seq`.
    init(name: String, after seq: Int64 = 0) {
        self.name = name
        expected = seq + 1
    }

    mutating func add(seq: SQLValue?, line: SQLValue?) throws {
        guard let s = seq?.int, let text = line?.text else {
            throw JournalError.badLine(file: name, line: Int(expected), reason: "データベースの行が読めません（seq と line の列がありません）")
        }
        guard s == expected else {
            throw JournalError.badLine(file: name, line: Int(expected), reason: "データベースの行の seq が \(expected) であるべきところ \(s) です（行が抜けています）")
        }
        bytes += text.utf8
        bytes.append(0x0A)
        expected += 1
        count += 1
    }

    /// Gives the bytes away (the reader keeps nothing).
    mutating func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
}
#endif
