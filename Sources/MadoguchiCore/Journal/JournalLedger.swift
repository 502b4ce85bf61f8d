import Foundation

/// A verified position in a journal — the hash chain and the trust (keys, roles, office) after its
/// last line — and the two things every journal store does from there (issue 15): check lines read
/// back, and turn drafts into signed lines. The local file (`Journal`) and the PostgreSQL store both
/// go through it, so a line is checked and written the same way wherever it is kept, and the exact
/// bytes are what the hash and the signature cover.
public struct JournalLedger: Sendable {
    /// How many signatures a read checks: every one (lines another terminal wrote, `verify`), or
    /// those from the last supervisor checkpoint on (a start: the checkpoint's signature covers,
    /// through `prev`, every line before it).
    public enum SignatureChecks: Sendable { case all, afterLastCheckpoint }

    /// What the messages call the journal (its file name, or the database and office).
    public let name: String
    var chain: Journal.Chain
    public private(set) var trust: JournalTrust

    public var lineCount: Int { chain.count }
    public var lastSeq: Int { chain.lastSeq }
    public var lastHash: String { chain.lastHash }

    /// Before the first line.
    public init(name: String, unsignedEraRoles: [String: Operator.Role] = [:], inheritedKeys: [EnrolledKey]? = nil) {
        self.init(name: name, chain: Journal.Chain(), trust: JournalTrust(unsignedEraRoles: unsignedEraRoles, inheritedKeys: inheritedKeys))
    }

    init(name: String, chain: Journal.Chain, trust: JournalTrust) {
        self.name = name
        self.chain = chain
        self.trust = trust
    }

    /// `bytes` — whole lines, each ending in `\n` — as the lines after this position: layout, hash,
    /// `seq` + 1, the `prev` chain, signatures, roles, maker-checker and office (R-SG-1..3). Throws
    /// the first bad line, numbered from the journal's first line; the position moves only when every
    /// line is good.
    public mutating func verify(_ bytes: [UInt8], signatures: SignatureChecks = .all) throws -> [JournalRecord] {
        let start = chain
        let name = self.name
        let (scan, trust) = try bytes.withUnsafeBytes { buf -> (Journal.Scan, JournalTrust) in
            let scan = start.count == 0 ? Journal.scanFromStart(buf, collect: true) : Journal.scan(buf, from: start, collect: true)
            if let p = scan.problem { throw JournalError.badLine(file: name, line: p.line, reason: p.reason) }
            let trust = try Journal.replayTrust(buf, records: scan.records[...], from: self.trust,
                                                checkSignatures: signatures, name: name)
            return (scan, trust)
        }
        chain = scan.chain
        self.trust = trust
        return scan.records
    }

    /// Whether `line` (without its newline) is still exactly the last line this position verified: its
    /// layout and hash check, and it is the same `seq` with the same hash. A store that reads only
    /// what is new checks the line it chains onto this way, so a last line changed in place is found.
    public func isLastLine(_ line: [UInt8]) -> Bool {
        guard chain.count > 0 else { return line.isEmpty }
        let record = line.withUnsafeBytes { try? JournalLine.decode($0, lineNumber: chain.count) }
        return record?.seq == chain.lastSeq && record?.hash == chain.lastHash
    }

    /// Drafts → the lines that follow this position, and their records. Once the journal is signed
    /// every line is signed with `signer` — only as that operator — or, in a training sandbox, the
    /// keyring's key of the draft's operator; each line is checked by the rules a read applies
    /// before anything is written, so a line the journal would refuse when read back (an unenrolled
    /// key, a clerk's approval…) is never written. The position moves only when every draft is good.
    public mutating func write(_ drafts: [EventDraft], signer signingKey: OperatorSigningKey?,
                               keyring: [String: OperatorSigningKey] = [:]) throws -> (bytes: [UInt8], records: [JournalRecord]) {
        var chain = self.chain
        var trust = self.trust
        var buffer: [UInt8] = []
        var appended: [JournalRecord] = []
        for d in drafts {
            guard !d.operatorID.isEmpty else { throw JournalError.invalidDraft(file: name, reason: "担当者（operator）が空です") }
            guard !d.type.isEmpty else { throw JournalError.invalidDraft(file: name, reason: "イベントの種類（type）が空です") }
            // Signed once the journal is (R-SG-1): only as the operator whose key this process holds.
            let signs = trust.isSigning || d.eventType == .officeOpened || (trust.signsWithInheritedKeys && signingKey != nil)
            var sign: ((String) throws -> [UInt8])?
            var signedWith: OperatorPublicKey?
            if signs {
                guard let key = signingKey.flatMap({ $0.operatorID == d.operatorID ? $0 : nil }) ?? keyring[d.operatorID] ?? signingKey else {
                    throw JournalError.unsigned(file: name, reason: "この記録は署名された行だけを受け付けますが、署名の鍵がありません（職員の確認ができていません）")
                }
                guard key.operatorID == d.operatorID else {
                    throw JournalError.unsigned(file: name, reason: "職員 \(key.operatorID) として確認された端末から職員 \(d.operatorID) の名前では書けません")
                }
                sign = { try key.signLine(hash: $0) }
                signedWith = key.publicKey
            }
            let time = JapanTime.iso8601(d.time)
            let seq = chain.lastSeq + 1
            let line: (bytes: [UInt8], hash: String)
            do {
                line = try JournalLine.encode(seq: seq, time: time, operatorID: d.operatorID,
                                              caseNumber: d.caseNumber, type: d.type, data: d.data,
                                              prev: chain.lastHash, sign: sign)
            } catch {
                throw JournalError.invalidDraft(file: name, reason: "data を JSON にできません（\(UserFacing.detail(for: error))）")
            }
            chain.count += 1
            let record = JournalRecord(seq: seq, time: time, operatorID: d.operatorID, caseNumber: d.caseNumber,
                                       type: d.type, data: d.data, prev: chain.lastHash, hash: line.hash,
                                       lineNumber: chain.count)
            do {
                let signature = line.bytes.withUnsafeBytes { JournalLine.signature(UnsafeRawBufferPointer(rebasing: $0[0..<($0.count - 1)])) }
                try trust.advance(record, signature: signature, checkSignature: true, signedWith: signedWith)
            } catch {
                throw JournalError.unsigned(file: name, reason: error.reason)
            }
            buffer += line.bytes
            appended.append(record)
            chain.lastSeq = seq
            chain.lastHash = line.hash
        }
        self.chain = chain
        self.trust = trust
        return (buffer, appended)
    }
}
