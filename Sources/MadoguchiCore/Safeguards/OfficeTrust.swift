import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An operator who proved who they are (R-SG-1), with the key their lines are signed with.
public struct ProvenOperator: Sendable {
    public let op: Operator
    public let key: OperatorSigningKey
    /// How it was proven, for messages: 「OSアカウント yamada」「パスフレーズ」「研修用の鍵」.
    public let proof: String
}

/// Proving who is at the keyboard and opening an office's journal as them (issue 12).
///
/// - Production: an operator is proven by the OS account running the program (`account` in the
///   config, read from the kernel's real uid — never from $USER) or by their own passphrase
///   (`auth = "passphrase"`), which unseals their key. A bare name on a command line or picked from
///   a menu proves nothing. The key must be the one enrolled in the journal for that operator.
/// - Training: one trainee may play every role (item 8). The sandbox holds a key for every operator,
///   made without a passphrase and enrolled automatically, so its lines are signed and verified by
///   the same rules.
public enum OfficeTrust {
    /// The OS account of the real user id, from the password database.
    public static func osAccount() -> String? {
        guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    /// The sandbox's own keys (training only).
    public static func trainingKeys(_ config: OfficeConfig) -> OperatorKeyStore {
        OperatorKeyStore(directory: config.dataDirectory.appendingPathComponent("keys"))
    }

    /// The operator the OS account is bound to, if any.
    public static func operatorForAccount(_ config: OfficeConfig, account: String?) -> Operator? {
        guard let account else { return nil }
        return config.operators.first { $0.authentication == .account && $0.account == account }
    }

    /// Proves `op` is at the keyboard, or says why not. `passphrase` is asked only when needed.
    public static func prove(_ op: Operator, config: OfficeConfig, keys: OperatorKeyStore = .forAccount(),
                             account: String? = osAccount(), passphrase: () throws -> String?) throws -> ProvenOperator {
        if config.isTraining {
            let store = trainingKeys(config)
            let key = try trainingKey(op.id, store: store, payer: config.publicPayerNumber)
            return ProvenOperator(op: op, key: key, proof: "研修用の鍵")
        }
        switch op.authentication {
        case nil:
            throw KeyError("職員 \(op.id)（\(op.name)）は本人の確かめ方が設定されていません。設定の [[operators]] に account = \"OSのアカウント名\" か auth = \"passphrase\" を書いてください（R-SG-1）")
        case .account?:
            let account = try requireAccount(op.account, id: op.id, name: op.name, running: account)
            let key = try keys.load(operatorID: op.id, office: config.publicPayerNumber, passphrase: passphrase)
            return ProvenOperator(op: op, key: key, proof: "OSアカウント \(account)")
        case .passphrase?:
            guard keys.isSealed(operatorID: op.id, office: config.publicPayerNumber) || !keys.exists(operatorID: op.id, office: config.publicPayerNumber) else {
                throw KeyError("職員 \(op.id) の鍵ファイルがパスフレーズで守られていません。auth = \"passphrase\" の職員の鍵は madoguchi keys generate で作り直してください")
            }
            let key = try keys.load(operatorID: op.id, office: config.publicPayerNumber, passphrase: passphrase)
            return ProvenOperator(op: op, key: key, proof: "パスフレーズ")
        }
    }

    /// R-SG-1 by the OS account: the account running the program (the kernel's real uid, never $USER)
    /// must be the one the config binds to the operator `id`. Returns it, or says who may act as them.
    /// The office's operators and the city's supervisors (`CityConfig`) are proven this way.
    public static func requireAccount(_ bound: String?, id: String, name: String, running account: String? = osAccount()) throws -> String {
        guard let account, account == bound else {
            throw KeyError("OSアカウント \(account ?? "（不明）") では職員 \(id)（\(name)）として操作できません。職員 \(id) は OSアカウント \(bound ?? "") でログインして使います（R-SG-1）")
        }
        return account
    }

    static func trainingKey(_ id: String, store: OperatorKeyStore, payer: String) throws -> OperatorSigningKey {
        if !store.exists(operatorID: id, office: payer) {
            let key = try OperatorSigningKey.generate(operatorID: id)
            do { _ = try store.create(key, office: payer, passphrase: nil, durable: false) } catch let e as KeyError where store.exists(operatorID: id, office: payer) {
                _ = e   // another terminal made it first: use theirs
            }
        }
        return try store.load(operatorID: id, office: payer, passphrase: { nil })
    }

    /// After the journal is loaded: it belongs to this office and mode (R-SG-5), and `proven`'s key is
    /// the one enrolled for them with the config's role. In training, an unsigned or new sandbox
    /// journal is opened and every operator enrolled first, signed by the sandbox's supervisor key.
    public static func admit(_ proven: ProvenOperator, store: CaseStore, config: OfficeConfig, now: Date) throws {
        if config.isTraining {
            // Keys missing from the journal (a new sandbox, an operator added to the config) are
            // enrolled with the first line written (Journal.openingLines).
            try prepareTraining(store: store, config: config)
            if let office = store.journal.trust?.office { try checkOffice(office, config: config) }
            store.journal.signer = proven.key
            return
        }
        guard let trust = store.journal.trust, trust.isSigning, let office = trust.office else {
            throw KeyError("この事務所の記録はまだ署名されていません。査察指導員が madoguchi keys open-office で記録を開始してください（それまでは記録を読むことも書くこともできません）")
        }
        try checkOffice(office, config: config)
        guard let enrolled = trust.activeKey(of: proven.op.id) else {
            throw KeyError("職員 \(proven.op.id)（\(proven.op.name)）の鍵は記録に登録されていません。公開鍵 \(proven.key.publicKey.hex)（指紋 \(proven.key.publicKey.fingerprint)）を査察指導員に渡し、madoguchi keys enroll で登録してもらってください")
        }
        guard enrolled.publicKey == proven.key.publicKey else {
            throw KeyError("職員 \(proven.op.id) の鍵（指紋 \(proven.key.publicKey.fingerprint)）は記録に登録された鍵（指紋 \(enrolled.publicKey.fingerprint)）と違います。古い鍵か他人の鍵です")
        }
        guard enrolled.role == proven.op.role else {
            throw KeyError("職員 \(proven.op.id) は設定では\(proven.op.role.label)ですが、記録には\(enrolled.role.label)として登録されています。役割は査察指導員が鍵を登録し直して変えます（設定の書き換えだけでは変わりません）")
        }
        store.journal.signer = proven.key
        // A supervisor's start-up has just verified every signature since the last checkpoint: once
        // there are many, a checkpoint records that, so the next start-ups check only what follows.
        if enrolled.role == .supervisor, trust.signaturesChecked >= autoCheckpointAfter {
            try store.appendCheckpoint(key: proven.key, now: now)
        }
    }

    /// Signed lines verified at a supervisor's start-up before a checkpoint is made automatically:
    /// about 0.1 s of verification on this machine's cores (ARCHITECTURE.md: ~90 µs a signature).
    public static let autoCheckpointAfter = 2_000

    /// R-SG-5: a production office never works on a training journal, nor the reverse, nor another
    /// office's journal — whatever the folder's mark says.
    public static func checkOffice(_ office: JournalOffice, config: OfficeConfig) throws {
        guard office.mode == config.mode.rawValue else {
            throw KeyError("この記録は\(office.modeLabel)用の記録です（最初の行に記録されています）。\(config.isTraining ? "研修" : "本番")の事務所では開けません（R-SG-5）")
        }
        guard office.publicPayerNumber == config.publicPayerNumber else {
            throw KeyError("この記録は別の事務所（\(office.name)、公費負担者番号 \(office.publicPayerNumber)）のものです。\(config.officeName)（\(config.publicPayerNumber)）では開けません（R-SG-5）")
        }
    }

    /// The office as the journal's first signed line names it.
    public static func journalOffice(_ config: OfficeConfig) -> JournalOffice {
        JournalOffice(name: config.officeName, publicPayerNumber: config.publicPayerNumber, mode: config.mode.rawValue)
    }

    /// `office.opened`: the first supervisor starts signing with their own key (self-signed: the
    /// trust of the journal starts here; its fingerprint is printed to be kept on paper).
    public static func openOffice(store: CaseStore, config: OfficeConfig, supervisor: ProvenOperator, now: Date) throws {
        guard supervisor.op.role == .supervisor else {
            throw KeyError("記録の開始は査察指導員がします（\(supervisor.op.id) は担当者です）")
        }
        if let t = store.journal.trust, t.isSigning {
            throw KeyError("この記録は \(t.signedFrom!) 行目からもう署名されています")
        }
        store.journal.signer = supervisor.key
        let enrol = KeyEnrolment(operatorID: supervisor.op.id, name: supervisor.op.name, role: .supervisor,
                                 publicKey: supervisor.key.publicKey, office: journalOffice(config),
                                 unsignedLinesBefore: store.knownCount)
        let written = try store.journal.append(knownCount: store.knownCount) { others in
            guard others.isEmpty else { throw KeyError("他の端末が書き込みました。もう一度実行してください") }
            return [EventDraft(caseNumber: "", type: EventType.officeOpened, data: try JSONValue(encoding: enrol),
                               operatorID: supervisor.op.id, time: now)]
        }
        try store.absorb(written.appended)
    }

    /// `key.enrolled` by a supervisor (the store's signer): `op`'s public key, with the config's role.
    public static func enrol(_ op: Operator, publicKey: OperatorPublicKey, store: CaseStore, by supervisor: Operator, now: Date) throws {
        if let why = publicKey.enrolmentProblem { throw KeyError("公開鍵：\(why)") }
        let e = KeyEnrolment(operatorID: op.id, name: op.name, role: op.role, publicKey: publicKey)
        try store.appendTrustLine(type: EventType.keyEnrolled, data: try JSONValue(encoding: e), operatorID: supervisor.id, now: now)
    }

    /// `key.revoked` by a supervisor.
    public static func revoke(_ operatorID: String, reason: String, store: CaseStore, by supervisor: Operator, now: Date) throws {
        guard let k = store.journal.trust?.activeKey(of: operatorID) else {
            throw KeyError("職員 \(operatorID) には使用中の鍵がありません")
        }
        let v = KeyRevocation(operatorID: operatorID, publicKey: k.publicKey, reason: reason)
        try store.appendTrustLine(type: EventType.keyRevoked, data: try JSONValue(encoding: v), operatorID: supervisor.id, now: now)
    }

    /// Training: every operator of the config gets the sandbox's key; the journal's signing is opened
    /// by the sandbox's supervisor, and operators not enrolled yet are enrolled, in the same write as
    /// the first line the sandbox writes (nothing is written by just looking, item 8).
    static func prepareTraining(store: CaseStore, config: OfficeConfig) throws {
        guard let sup = config.operators.first(where: { $0.role == .supervisor }) else {
            throw KeyError("研修用の事務所の設定に査察指導員（role = \"supervisor\"）がいません。研修には一人必要です")
        }
        // Training is always kept in a local file (issue 15: a training office never uses a database).
        guard let journal = store.journalFile else {
            throw KeyError("研修用の事務所の記録はこの端末のファイルにだけ置けます（[store] kind = \"jsonl\"）")
        }
        let keys = trainingKeys(config)
        let payer = config.publicPayerNumber
        var ring: [String: OperatorSigningKey] = [:]
        for op in config.operators { ring[op.id] = try trainingKey(op.id, store: keys, payer: payer) }
        journal.trainingKeyring = ring
        let office = journalOffice(config)
        journal.openingLines = { trust, time in
            var drafts: [EventDraft] = []
            if !trust.isSigning {
                let e = KeyEnrolment(operatorID: sup.id, name: sup.name, role: .supervisor, publicKey: ring[sup.id]!.publicKey,
                                     office: office, unsignedLinesBefore: trust.lineCount)
                drafts.append(EventDraft(caseNumber: "", type: EventType.officeOpened, data: try JSONValue(encoding: e),
                                         operatorID: sup.id, time: time))
            }
            for op in config.operators where op.id != sup.id || trust.isSigning {
                if let k = trust.activeKey(of: op.id), k.role == op.role, k.publicKey == ring[op.id]!.publicKey { continue }
                let e = KeyEnrolment(operatorID: op.id, name: op.name, role: op.role, publicKey: ring[op.id]!.publicKey)
                drafts.append(EventDraft(caseNumber: "", type: EventType.keyEnrolled, data: try JSONValue(encoding: e),
                                         operatorID: sup.id, time: time))
            }
            return drafts
        }
    }
}

extension CaseStore {
    /// One safeguards line (key enrolment, revocation, checkpoint…) signed by the store's signer.
    public func appendTrustLine(type: EventType, data: JSONValue, operatorID: String, now: Date) throws {
        try appendTrustLine(type: type.rawValue, data: data, operatorID: operatorID, now: now)
    }

    /// The same for any type the line format takes (tests of the signing rules write their own).
    package func appendTrustLine(type: String, data: JSONValue, operatorID: String, now: Date) throws {
        let written = try journal.append(knownCount: knownCount) { _ in
            [EventDraft(caseNumber: "", type: type, data: data, operatorID: operatorID, time: now)]
        }
        try absorb(written.fromOthers + written.appended)
    }
}
