#if PostgreSQL
import Foundation
import MadoguchiCore

/// Moving an office's journal between its local file and the database (issue 15, `madoguchi migrate`),
/// both ways, the exact lines unchanged — so the hash chain and every signature carry over and are
/// verified by the same `JournalLedger` before anything is written. The commands stay thin; the logic
/// is here.
public enum OfficeMigration {
    /// Why nothing was written, as the administrator reads it (the file and line, or the seq).
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    // MARK: File → database

    public struct Carried: Sendable, Equatable {
        public let office: String
        /// Lines inserted now (0: the database already held the whole file).
        public let inserted: Int
        /// Lines the database held before (a prefix of the file).
        public let alreadyThere: Int
        public let lastSeq: Int
        public let lastHash: String
        /// Whether the journal names its office (`office.opened`, checked against `office`); an older
        /// unsigned journal does not.
        public let officeChecked: Bool
    }

    /// Carries the journal file at `url` into `office`'s rows, on the administrator's `link` (a
    /// superuser or a member of madoguchi_owner: the insert trigger's path that keeps each line's own
    /// operator). First every line is verified — the file's anchor when there is one, the chain and
    /// every signature — and the office in `office.opened` must be `office`. Then, in ONE transaction
    /// under the office's lock: the rows the database holds must be the file's first lines, byte for
    /// byte (a different line is named by its seq), and only the lines after them are inserted — so a
    /// second run, or one after an interruption, writes nothing again or only the rest.
    public static func intoDatabase(journal url: URL, office: String, unsignedEraRoles: [String: Operator.Role] = [:],
                                    link: PostgresLink, database: String, batch: Int = 500) throws -> Carried {
        let path = url.path
        let nothing = "（データベースには何も書いていません）"
        let report = Journal.verify(url: url, unsignedEraRoles: unsignedEraRoles)
        if let p = report.problem {
            throw Refused((p.line > 0 ? "\(path) \(p.line)行目: " : "\(path): ") + p.reason + nothing)
        }
        // Read again as the lines that are carried, and verified as such (the file could have grown).
        let bytes = try Journal(url: url).exactLines()
        var ledger = JournalLedger(name: path, unsignedEraRoles: unsignedEraRoles)
        let records: [JournalRecord]
        do { records = try ledger.verify(bytes, signatures: .all) } catch { throw Refused("\(UserFacing.detail(for: error))\(nothing)") }
        guard !records.isEmpty else { throw Refused("\(path) に記録が 1 行もありません\(nothing)") }
        if let o = ledger.trust.office {
            guard o.publicPayerNumber == office else {
                throw Refused("\(path) の office.opened の事務所番号 \(o.publicPayerNumber) が設定の public_payer_number \(office) と違います（別の事務所の記録です）\(nothing)")
            }
            guard o.mode != "training" else { throw Refused("\(path) は研修の記録です。研修の記録はデータベースに移せません\(nothing)") }
        }
        let lines = try textLines(bytes, name: path)
        precondition(lines.count == records.count)

        return try link.transaction {
            let me = try link.query("SELECT session_user::text, madoguchi.is_admin()").first
            guard me?[1] == .text("t") else {
                throw Refused("ロール \(me?[0].text ?? "?") はデータベースの管理者（スーパーユーザーか madoguchi_owner）ではありません。管理者の OS アカウントで実行してください（例：sudo -u postgres madoguchi migrate …）\(nothing)")
            }
            guard !(try link.query("SELECT 1 FROM madoguchi.offices WHERE office = $1", [.text(office)])).isEmpty else {
                throw Refused("事務所 \(office) は \(database) に登録されていません。先に madoguchi db add-office --office \(office) --name … を実行してください\(nothing)")
            }
            try link.query("SELECT madoguchi.lock_office($1)", [.text(office)])
            let held = try rows(link, office: office, database: database)
            guard held.count <= lines.count else {
                throw Refused("\(database) の事務所 \(office) には \(held.count) 行あり、\(path)（\(lines.count) 行）より多くあります：seq \(lines.count + 1) からの行はこのファイルにありません。別の記録です\(nothing)")
            }
            for (i, line) in held.enumerated() where !line.utf8.elementsEqual(lines[i].utf8) {
                throw Refused("\(database) の事務所 \(office) の seq \(i + 1) の行が \(path) の \(i + 1)行目と違います。データベースの記録はこのファイルの続きではありません\(nothing)")
            }
            var next = held.count
            while next < lines.count {
                let end = min(next + max(1, batch), lines.count)
                var sql = "INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES "
                var binds: [SQLValue] = [.text(office)]
                for k in next..<end {
                    let n = binds.count
                    sql += (k > next ? ", " : "") + "($1, $\(n + 1), $\(n + 2), $\(n + 3))"
                    binds += [.int(Int64(records[k].seq)), .text(records[k].operatorID), .text(lines[k])]
                }
                try link.query(sql, binds)
                next = end
            }
            return Carried(office: office, inserted: lines.count - held.count, alreadyThere: held.count,
                           lastSeq: ledger.lastSeq, lastHash: ledger.lastHash, officeChecked: ledger.trust.office != nil)
        }
    }

    // MARK: Database → file

    public struct Exported: Sendable, Equatable {
        public let file: URL
        public let lines: Int
        public let lastSeq: Int
        public let lastHash: String
    }

    /// Writes `office`'s rows, as the role of `link` sees them (the administrator, or a staff role of
    /// that office: row-level security shows nothing of another office), to the NEW journal file `out`
    /// with its anchor (`JournalCopy.writeNew`: never over a file; 0600 in a 0700 folder; fsynced).
    /// Every row is verified first — the chain, every signature, the office — and a bad one is named
    /// by its seq; no row at all is refused with the reason, never an empty file.
    public static func toFile(office: String, link: PostgresLink, database: String, out: URL,
                              unsignedEraRoles: [String: Operator.Role] = [:]) throws -> Exported {
        let nothing = "（ファイルは作っていません）"
        for p in [out.path, out.path + ".anchor"] where FileManager.default.fileExists(atPath: p) {
            throw Refused("\(p) は既にあります。上書きはしません（新しいファイル名を --out に指定してください）")
        }
        let held = try rows(link, office: office, database: database)
        guard !held.isEmpty else { throw Refused(try whyNoRows(link, office: office, database: database) + nothing) }
        var bytes: [UInt8] = []
        for line in held {
            bytes += line.utf8
            bytes.append(0x0A)
        }
        let place = "\(database) の事務所 \(office)"
        var ledger = JournalLedger(name: place, unsignedEraRoles: unsignedEraRoles)
        do {
            _ = try ledger.verify(bytes, signatures: .all)
        } catch let JournalError.badLine(_, line, reason), let JournalError.untrusted(_, line, reason) {
            throw Refused("\(place) の seq \(line) の行: \(reason)\(nothing)")
        }
        if let o = ledger.trust.office, o.publicPayerNumber != office {
            throw Refused("\(place) の記録の office.opened が事務所 \(o.publicPayerNumber) となっています（別の事務所の記録です）\(nothing)")
        }
        try JournalCopy.writeNew(bytes, to: out, ledger: ledger)
        return Exported(file: out, lines: held.count, lastSeq: ledger.lastSeq, lastHash: ledger.lastHash)
    }

    // MARK: Inside

    /// The office's lines in seq order, each checked to be at its place (1, 2, …).
    public static func rows(_ link: PostgresLink, office: String, database: String) throws -> [String] {
        let rows = try link.query("SELECT seq, line FROM madoguchi.journal WHERE office = $1 ORDER BY seq", [.text(office)])
        var lines: [String] = []
        lines.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            guard row.count == 2, let seq = row[0].int, let line = row[1].text else {
                throw Refused("\(database) の事務所 \(office) の seq \(i + 1) の行が読めません（seq と line の列がありません）")
            }
            guard seq == Int64(i + 1) else {
                throw Refused("\(database) の事務所 \(office) に seq \(i + 1) の行がありません（次は seq \(seq)：行が抜けています）")
            }
            lines.append(line)
        }
        return lines
    }

    /// Verified journal bytes → one text per line without its newline, as the database stores it:
    /// valid UTF-8 without NUL (which a text column cannot hold), so the bytes come back the same.
    static func textLines(_ bytes: [UInt8], name: String) throws -> [String] {
        var lines: [String] = []
        var start = 0
        var number = 1
        while start < bytes.count {
            guard let nl = bytes[start...].firstIndex(of: 0x0A) else { break }
            let slice = bytes[start..<nl]
            guard !slice.contains(0), let text = String(validating: slice, as: UTF8.self) else {
                throw Refused("\(name) \(number)行目: UTF-8 の文字として読めないバイトか NUL があり、データベースに同じバイトで入れられません（データベースには何も書いていません）")
            }
            lines.append(text)
            start = nl + 1
            number += 1
        }
        return lines
    }

    /// Why a role reads no row of `office`: not registered, another office's role, or no lines yet.
    static func whyNoRows(_ link: PostgresLink, office: String, database: String) throws -> String {
        let known = !(try link.query("SELECT 1 FROM madoguchi.offices WHERE office = $1", [.text(office)])).isEmpty
        guard known else { return "事務所 \(office) は \(database) に登録されていません" }
        let me = try link.query("SELECT session_user::text, madoguchi.is_admin(), (SELECT w.office FROM madoguchi.whoami() w), (SELECT w.kind FROM madoguchi.whoami() w)").first
        let role = me?[0].text ?? "?"
        if me?[1] != .text("t") {
            if let mine = me?[2].text, mine != office {
                return "ロール \(role) は事務所 \(mine) の職員です。事務所 \(office) の記録は読めません（データベースが見せるのは自分の事務所の行だけです）"
            }
            if me?[3].text == nil {
                return "ロール \(role) は職員として登録されていません（madoguchi.staff に行がありません）。事務所 \(office) の記録は読めません"
            }
        }
        return "\(database) の事務所 \(office) には記録がまだ 1 行もありません"
    }
}
#endif
