import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A signed checkpoint (チェックポイント, R-SG-3): the journal's line `seq` had hash `hash`, attested
/// by a supervisor's signature. Kept outside the data folder — printed on the supervisor's report,
/// or saved as this short text by another system — it shows a journal cut at the end even when the
/// anchor was deleted with it, and a journal replaced whole (the key is not in the new one).
public struct Checkpoint: Sendable, Equatable, Codable {
    public var publicPayerNumber: String
    public var officeName: String
    public var seq: Int
    public var hash: String
    public var time: String
    public var operatorID: String
    public var publicKey: OperatorPublicKey
    public var signature: [UInt8]

    static let header = "窓口 チェックポイント v1"

    var message: [UInt8] {
        Array("madoguchi-checkpoint-v1\n\(publicPayerNumber)\n\(seq)\n\(hash)\n\(time)\n\(operatorID)\n\(publicKey.hex)".utf8)
    }

    /// Signed by `key`'s supervisor for the journal's line `record` (the last one before the checkpoint).
    static func make(record: JournalRecord, office: JournalOffice, key: OperatorSigningKey, time: String) throws -> Checkpoint {
        var c = Checkpoint(publicPayerNumber: office.publicPayerNumber, officeName: office.name, seq: record.seq, hash: record.hash,
                           time: time, operatorID: key.operatorID, publicKey: key.publicKey, signature: [])
        c.signature = try key.sign(c.message)
        return c
    }

    /// The text to print or keep: one field a line, Japanese labels, ASCII values.
    public var text: String {
        [Checkpoint.header,
         "事務所: \(publicPayerNumber) \(officeName)",
         "行: \(seq)",
         "ハッシュ: \(hash)",
         "日時: \(time)",
         "署名者: \(operatorID)",
         "公開鍵: \(publicKey.hex)",
         "署名: \(JournalLine.hex(signature))"].joined(separator: "\n") + "\n"
    }

    /// Reads the text back (surrounding lines, e.g. of a report, are ignored).
    public static func parse(_ text: String) throws -> Checkpoint {
        var fields: [String: String] = [:]
        var seen = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == header { seen = true; fields = [:]; continue }
            guard seen, let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard seen else { throw KeyError("チェックポイントの見出し「\(header)」がありません") }
        func field(_ k: String) throws -> String {
            guard let v = fields[k], !v.isEmpty else { throw KeyError("チェックポイントの「\(k)」がありません") }
            return v
        }
        let office = try field("事務所")
        let payer = String(office.prefix { $0 != " " })
        guard let seq = Int(try field("行")), seq > 0 else { throw KeyError("チェックポイントの「行」が数ではありません") }
        let hash = try field("ハッシュ")
        guard hash.utf8.count == 64, hash.utf8.allSatisfy(JournalLine.isLowerHex) else { throw KeyError("チェックポイントの「ハッシュ」が16進数64桁ではありません") }
        guard let key = OperatorPublicKey(hex: try field("公開鍵")) else { throw KeyError("チェックポイントの「公開鍵」が16進数64桁ではありません") }
        guard let sig = OperatorPublicKey.bytes(hex: try field("署名")), sig.count == 64 else { throw KeyError("チェックポイントの「署名」が16進数128桁ではありません") }
        let c = Checkpoint(publicPayerNumber: payer, officeName: String(office.dropFirst(payer.count)).trimmingCharacters(in: .whitespaces),
                           seq: seq, hash: hash, time: try field("日時"), operatorID: try field("署名者"), publicKey: key, signature: sig)
        guard key.isValidSignature(sig, for: c.message) else {
            throw KeyError("チェックポイントの署名が正しくありません（書き換えられています）")
        }
        return c
    }

    /// Why the journal (verified: `report`, its bytes' line hashes via `hashOfLine`) does not hold
    /// what this checkpoint attests, nil when it does.
    public func problem(lineCount: Int, trust: JournalTrust?, hashOfLine: (Int) -> String?) -> String? {
        guard let trust, let k = trust.wasEnrolled(publicKey, for: operatorID) else {
            return "チェックポイントの署名者 \(operatorID) の鍵（指紋 \(publicKey.fingerprint)）はこの記録に登録されていません。記録がまるごと差し替えられたおそれがあります"
        }
        guard k.role == .supervisor else { return "チェックポイントの署名者 \(operatorID) は査察指導員ではありません" }
        if let office = trust.office, office.publicPayerNumber != publicPayerNumber {
            return "チェックポイントは別の事務所（\(publicPayerNumber)）のものです"
        }
        guard lineCount >= seq else {
            return "記録が短くなっています：チェックポイント（\(time)、\(operatorID)）では \(seq) 行目まであるはずが \(lineCount) 行しかありません（最後の \(seq - lineCount) 行が削除されたおそれがあります）"
        }
        guard hashOfLine(seq) == hash else {
            return "\(seq) 行目がチェックポイント（\(time)、\(operatorID)）と一致しません（記録が差し替えられたおそれがあります）"
        }
        return nil
    }
}

extension Journal {
    /// `verify` plus a checkpoint kept outside (R-SG-3): the journal must reach its line with its hash.
    public static func verify(url: URL, checkpoint: Checkpoint, unsignedEraRoles: [String: Operator.Role] = [:]) -> VerifyReport {
        var report = verify(url: url, unsignedEraRoles: unsignedEraRoles)
        // Read without following a link, like the journal itself (R-SG-6).
        var bytes: [UInt8] = []
        if let fd = try? JournalFile.openNoFollow(url.path, O_RDONLY | O_CLOEXEC), fd >= 0 {
            defer { close(fd) }
            bytes = (try? JournalFile(name: url.lastPathComponent).read(fd, from: 0)) ?? []
        }
        let lines = bytes.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        if let p = checkpoint.problem(lineCount: lines, trust: report.trust,
                                      hashOfLine: { JournalAnchor.hashOfLine($0, in: bytes[...]) }) {
            // A cut below the checkpoint is the finding even where the anchor was deleted with it.
            if report.problem == nil || report.problem!.line >= lines {
                let trust = report.trust
                report = VerifyReport(lineCount: report.lineCount, problem: (min(lines + 1, checkpoint.seq), p))
                report.trust = trust
            }
        }
        report.checkpointChecked = true
        return report
    }
}

extension CaseStore {
    /// A supervisor's checkpoint (R-SG-3) over every line so far: written as `checkpoint.signed`
    /// (signed with the store's signer, which must be a supervisor's key) and returned as its text.
    /// The caller has verified the lines it attests (a load verifies those since the last one).
    @discardableResult
    public func appendCheckpoint(key: OperatorSigningKey, now: Date) throws -> Checkpoint {
        try refresh()
        guard let office = journal.trust?.office else { throw KeyError("記録の署名が始まっていないのでチェックポイントは作れません") }
        guard let last = try journal.records(after: max(0, knownCount - 1)).last else { throw KeyError("記録が空です") }
        let checkpoint = try Checkpoint.make(record: last, office: office, key: key, time: JapanTime.iso8601(now))
        let payload = CheckpointPayload(verifiedThrough: last.seq, hash: last.hash, signature: JournalLine.hex(checkpoint.signature))
        let written = try journal.append(knownCount: knownCount) { others in
            guard others.isEmpty else { throw KeyError("他の端末が書き込みました。もう一度チェックポイントを作ってください") }
            return [EventDraft(caseNumber: "", type: EventType.checkpointSigned, data: try JSONValue(encoding: payload),
                               operatorID: key.operatorID, time: now)]
        }
        try absorb(written.appended)
        return checkpoint
    }
}
