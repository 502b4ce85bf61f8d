import Foundation

/// Which office and mode a journal belongs to (R-SG-5).
public struct JournalOffice: Codable, Sendable, Equatable {
    public var name: String
    public var publicPayerNumber: String
    /// "production" or "training".
    public var mode: String

    public init(name: String, publicPayerNumber: String, mode: String) {
        self.name = name
        self.publicPayerNumber = publicPayerNumber
        self.mode = mode
    }

    public var modeLabel: String { mode == "training" ? "研修" : "本番" }
}

/// `office.opened` and `key.enrolled` data.
public struct KeyEnrolment: Codable, Sendable, Equatable {
    public var operatorID: String
    public var name: String
    public var role: Operator.Role
    public var publicKey: String
    /// `office.opened` only.
    public var office: JournalOffice?
    /// `office.opened` on an older journal: how many unsigned lines come before it.
    public var unsignedLinesBefore: Int?

    enum CodingKeys: String, CodingKey {
        case operatorID = "operator", name, role, publicKey, office, unsignedLinesBefore
    }

    public init(operatorID: String, name: String, role: Operator.Role, publicKey: OperatorPublicKey,
                office: JournalOffice? = nil, unsignedLinesBefore: Int? = nil) {
        self.operatorID = operatorID
        self.name = name
        self.role = role
        self.publicKey = publicKey.hex
        self.office = office
        self.unsignedLinesBefore = unsignedLinesBefore
    }
}

/// `key.revoked` data.
public struct KeyRevocation: Codable, Sendable, Equatable {
    public var operatorID: String
    public var publicKey: String
    public var reason: String

    enum CodingKeys: String, CodingKey { case operatorID = "operator", publicKey, reason }

    public init(operatorID: String, publicKey: OperatorPublicKey, reason: String) {
        self.operatorID = operatorID
        self.publicKey = publicKey.hex
        self.reason = reason
    }
}

/// `checkpoint.signed` data: the line before the checkpoint (its seq and hash, the checkpoint's
/// `prev`) and the supervisor's signature of the checkpoint's text (`Checkpoint.message`), so any
/// report can print the checkpoint again from the journal.
public struct CheckpointPayload: Codable, Sendable, Equatable {
    public var verifiedThrough: Int
    public var hash: String
    public var signature: String
    public init(verifiedThrough: Int, hash: String, signature: String) {
        self.verifiedThrough = verifiedThrough
        self.hash = hash
        self.signature = signature
    }
}

/// One key in the journal's registry (鍵の登録簿), as the journal's lines made it.
public struct EnrolledKey: Sendable, Equatable, Codable {
    public let operatorID: String
    public let name: String
    public let role: Operator.Role
    public let publicKey: OperatorPublicKey
    /// The first line it may sign (the line after its enrolment; `office.opened` signs itself), and
    /// who signed the enrolment.
    public let enrolledAt: Int

    public let enrolledBy: String
    /// The line from which it signs nothing (revoked or replaced), nil while it is in use.
    public internal(set) var retiredAt: Int?
    public internal(set) var retiredBy: String?
    /// The line that enrolled it.
    public internal(set) var enrolmentLine = 0
}

/// What the journal's signatures, roles and office say, replayed line by line (R-SG-1, R-SG-2,
/// R-SG-3, R-SG-5). `Journal` keeps one up to date as it reads and writes; any rule broken stops the
/// read with the line named (`JournalError.untrusted`), so nothing acts on a forged line.
public struct JournalTrust: Sendable, Codable {
    /// The office and mode, from `office.opened` (nil: an older journal not yet signed).
    public private(set) var office: JournalOffice?
    /// The seq of `office.opened`: every line from it on is signed. Lines before it were written
    /// before signing existed and are checked by the hash chain only.
    public private(set) var signedFrom: Int?
    public private(set) var keys: [EnrolledKey] = []
    /// The last checkpoint, as its text says it (R-SG-3).
    public private(set) var lastCheckpoint: Checkpoint?
    /// How many lines had their signature checked while this was built (the rest were attested by a
    /// checkpoint, or unsigned).
    public private(set) var signaturesChecked = 0
    public private(set) var lineCount = 0
    /// Batch → who prepared it, for maker-checker (R-SG-2).
    var preparers: [String: String] = [:]
    /// Roles from the config, for the lines before signing (the registry gives them after).
    var unsignedEraRoles: [String: Operator.Role]

    /// A log signed with another journal's keys (the access log, R-SG-4): every line from its first
    /// signed one must be signed by a key ever enrolled for its operator in the office's journal.
    var inheritedKeys: [EnrolledKey]?

    /// What the fold snapshot keeps (issue 14); `deferred` is only ever set during one replay.
    enum CodingKeys: String, CodingKey {
        case office, signedFrom, keys, lastCheckpoint, signaturesChecked, lineCount, preparers, unsignedEraRoles, inheritedKeys
    }

    public init(unsignedEraRoles: [String: Operator.Role] = [:], inheritedKeys: [EnrolledKey]? = nil) {
        self.unsignedEraRoles = unsignedEraRoles
        self.inheritedKeys = inheritedKeys
    }

    var signsWithInheritedKeys: Bool { inheritedKeys != nil }

    public var isSigning: Bool { signedFrom != nil }
    public var unsignedLines: Int { (signedFrom ?? (lineCount + 1)) - 1 }

    /// The key operator `id` signs with now.
    public func activeKey(of id: String) -> EnrolledKey? {
        keys.last { $0.operatorID == id && $0.retiredAt == nil }
    }

    /// The key that was operator `id`'s at line `seq`.
    func key(of id: String, at seq: Int) -> EnrolledKey? {
        keys.last { $0.operatorID == id && $0.enrolledAt <= seq && ($0.retiredAt.map { seq < $0 } ?? true) }
    }

    /// Whether `key` was ever enrolled for `id` (a checkpoint kept on paper names such a key).
    public func wasEnrolled(_ key: OperatorPublicKey, for id: String) -> EnrolledKey? {
        keys.first { $0.operatorID == id && $0.publicKey == key }
    }

    struct Failure: Error { let reason: String }

    /// A signature to verify later, in parallel with others (`verify` checks every line: ~90 µs each).
    struct PendingSignature: Sendable {
        let line: Int
        let keys: [OperatorPublicKey]
        let signature: [UInt8]
        let message: [UInt8]
        let reason: String

        var isValid: Bool { keys.contains { $0.isValidSignature(signature, for: message) } }
    }

    /// When set, signatures are collected here instead of verified at once (see `Journal.replayTrust`).
    var deferred: [PendingSignature]?

    private mutating func check(_ keys: [OperatorPublicKey], _ signature: [UInt8], _ message: [UInt8], line: Int,
                                counts: Bool, reason: String, signedWith: OperatorPublicKey?) throws(Failure) {
        if counts { signaturesChecked += 1 }
        let pending = PendingSignature(line: line, keys: keys, signature: signature, message: message, reason: reason)
        // A line this process has just signed (issue 14, P4): made with the private key of `signedWith`
        // over this very message, so it verifies exactly when that key is one the rules accept here —
        // a comparison instead of an Ed25519 verification (~90 µs) before every append. Debug builds
        // (the tests) still verify it.
        if let k = signedWith, keys.contains(k) {
            assert(pending.isValid, "a line signed here does not verify")
            return
        }
        if deferred != nil {
            deferred!.append(pending)
            return
        }
        guard pending.isValid else { throw Failure(reason: reason) }
    }

    /// Takes one more line. `signature` is the line's (nil when unsigned); it is checked against the
    /// key enrolled at that point when `checkSignature` (lines attested by a checkpoint need not be).
    ///
    /// `signedWith`: the public key of the private key this process signed the line with (an append),
    /// nil for a line read from the file.
    mutating func advance(_ r: JournalRecord, signature: [UInt8]?, checkSignature: Bool,
                          signedWith: OperatorPublicKey? = nil) throws(Failure) {
        lineCount = r.lineNumber
        if let inherited = inheritedKeys {
            guard let signature else {
                if let s = signedFrom { throw Failure(reason: "署名がありません（\(s) 行目から後の行はすべて署名されています）") }
                return
            }
            let candidates = inherited.filter { $0.operatorID == r.operatorID }
            guard !candidates.isEmpty else { throw Failure(reason: "職員 \(r.operatorID) の鍵は事務所の記録に登録されていません") }
            if checkSignature {
                try check(candidates.map(\.publicKey), signature, JournalSignature.message(lineHash: r.hash), line: r.lineNumber,
                          counts: true, reason: "署名が職員 \(r.operatorID) の登録された鍵と一致しません（改ざんまたは他人による書き込み）",
                          signedWith: signedWith)
            }
            if signedFrom == nil { signedFrom = r.seq }
            return
        }
        let signer: EnrolledKey
        if r.eventType == .officeOpened {
            guard signedFrom == nil else {
                throw Failure(reason: "記録の開始（office.opened）が二度あります（最初は \(signedFrom!) 行目）")
            }
            let e = try decode(KeyEnrolment.self, r)
            guard let office = e.office else { throw Failure(reason: "記録の開始（office.opened）に事務所がありません") }
            guard e.operatorID == r.operatorID, e.role == .supervisor else {
                throw Failure(reason: "記録の開始（office.opened）は査察指導員が自分の鍵で署名します")
            }
            signer = try enrol(e, at: r)
            self.office = office
            signedFrom = r.seq
        } else if let s = signedFrom {
            guard let k = key(of: r.operatorID, at: r.seq) else {
                throw Failure(reason: "職員 \(r.operatorID) の鍵はこの行の時点で登録されていません（\(s) 行目から後の行はすべて登録された鍵の署名が必要です）")
            }
            signer = k
        } else {
            // Before signing (an older journal): the chain is all there is.
            guard signature == nil else {
                throw Failure(reason: "鍵の登録（記録の開始）より前に署名された行があります")
            }
            guard !EventType.trust.contains(r.eventType) || r.eventType == .anchorRecreated else {
                throw Failure(reason: "記録の開始（office.opened）より前に \(r.type) があります")
            }
            try checkBatch(r, role: unsignedEraRoles[r.operatorID])
            return
        }
        guard let signature else {
            throw Failure(reason: "署名がありません（\(signedFrom!) 行目から後の行はすべて署名されています）")
        }
        if checkSignature {
            try check([signer.publicKey], signature, JournalSignature.message(lineHash: r.hash), line: r.lineNumber, counts: true,
                      reason: "署名が職員 \(r.operatorID) の登録された鍵（\(signer.publicKey.fingerprint)）と一致しません（改ざんまたは他人による書き込み）",
                      signedWith: signedWith)
        }
        switch r.eventType {
        case .keyEnrolled:
            try requireSupervisor(signer, r, "鍵の登録")
            _ = try enrol(try decode(KeyEnrolment.self, r), at: r)
        case .keyRevoked:
            try requireSupervisor(signer, r, "鍵の失効")
            let v = try decode(KeyRevocation.self, r)
            guard let i = keys.lastIndex(where: { $0.operatorID == v.operatorID && $0.publicKey.hex == v.publicKey && $0.retiredAt == nil }) else {
                throw Failure(reason: "失効させる鍵（職員 \(v.operatorID)）が登録されていません")
            }
            keys[i].retiredAt = r.seq + 1
            keys[i].retiredBy = r.operatorID
        case .checkpointSigned:
            try requireSupervisor(signer, r, "チェックポイント")
            let c = try decode(CheckpointPayload.self, r)
            guard c.verifiedThrough == r.seq - 1, c.hash == r.prev else {
                throw Failure(reason: "チェックポイントが前の行（\(r.seq - 1) 行目）を指していません")
            }
            guard let sig = OperatorPublicKey.bytes(hex: c.signature), sig.count == 64, let office else {
                throw Failure(reason: "チェックポイントの署名の形式が正しくありません")
            }
            let checkpoint = Checkpoint(publicPayerNumber: office.publicPayerNumber, officeName: office.name, seq: c.verifiedThrough,
                                        hash: c.hash, time: r.time, operatorID: r.operatorID, publicKey: signer.publicKey, signature: sig)
            if checkSignature {
                try check([signer.publicKey], sig, checkpoint.message, line: r.lineNumber, counts: false,
                          reason: "チェックポイントの署名が職員 \(r.operatorID) の鍵と一致しません", signedWith: nil)
            }
            lastCheckpoint = checkpoint
        default:
            try checkBatch(r, role: signer.role)
        }
    }

    private mutating func enrol(_ e: KeyEnrolment, at r: JournalRecord) throws(Failure) -> EnrolledKey {
        guard let key = OperatorPublicKey(hex: e.publicKey) else { throw Failure(reason: "公開鍵が16進数64桁ではありません") }
        if let why = key.enrolmentProblem { throw Failure(reason: "職員 \(e.operatorID) の公開鍵：\(why)") }
        if keys.contains(where: { $0.publicKey == key && $0.operatorID != e.operatorID }) {
            throw Failure(reason: "公開鍵（\(key.fingerprint)）は別の職員に登録済みです")
        }
        // A new key replaces the operator's current one from this line on.
        for i in keys.indices where keys[i].operatorID == e.operatorID && keys[i].retiredAt == nil {
            keys[i].retiredAt = r.seq + 1
            keys[i].retiredBy = r.operatorID
        }
        let k = EnrolledKey(operatorID: e.operatorID, name: e.name, role: e.role, publicKey: key,
                            enrolledAt: r.seq + 1, enrolledBy: r.operatorID, retiredAt: nil, retiredBy: nil)
        keys.append(k)
        keys[keys.count - 1].enrolmentLine = r.seq
        // office.opened is signed by the key it enrols; it is valid from its own line.
        if r.eventType == .officeOpened {
            keys[keys.count - 1] = EnrolledKey(operatorID: e.operatorID, name: e.name, role: e.role, publicKey: key,
                                               enrolledAt: r.seq, enrolledBy: r.operatorID, retiredAt: nil, retiredBy: nil,
                                               enrolmentLine: r.seq)
        }
        return keys[keys.count - 1]
    }

    private func requireSupervisor(_ signer: EnrolledKey, _ r: JournalRecord, _ what: String) throws(Failure) {
        guard signer.role == .supervisor else {
            throw Failure(reason: "\(what)は査察指導員だけができます（\(r.operatorID) は担当者として登録されています）")
        }
    }

    /// Maker-checker replayed (R-SG-2): only a supervisor approves or returns, never their own batch.
    private mutating func checkBatch(_ r: JournalRecord, role: Operator.Role?) throws(Failure) {
        guard let type = r.eventType, EventType.signOff.contains(type) else { return }
        guard let id = r.data["id"]?.stringValue else { throw Failure(reason: "一括登録の行に id がありません") }
        if type == .batchPrepared {
            preparers[id] = r.operatorID
            return
        }
        if let role, role != .supervisor {
            throw Failure(reason: "一括登録 \(id) の承認・差し戻しを査察指導員でない \(r.operatorID) がしています")
        }
        if type == .batchApproved, preparers[id] == r.operatorID {
            throw Failure(reason: "一括登録 \(id) を準備した \(r.operatorID) が自分で承認しています（職員の相互確認に反します）")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ r: JournalRecord) throws(Failure) -> T {
        do { return try r.data.decode(as: type) } catch {
            throw Failure(reason: "\(r.type) の内容が読めません")
        }
    }
}
