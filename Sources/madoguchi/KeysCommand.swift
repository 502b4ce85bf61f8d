import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi keys …`: operators' signing keys (issue 12, R-SG-1). A clerk makes their key with
/// `generate` and hands the printed public key to a supervisor, who enrols it; the first supervisor
/// starts the journal's signing with `open-office`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "職員の署名の鍵：作成、記録の開始、登録、失効、一覧（R-SG-1）。",
        discussion: """
        1. 各職員が自分のOSアカウント（または共用アカウントでパスフレーズ）で madoguchi keys generate を実行し、表示された公開鍵を査察指導員に渡します。
        2. 最初の査察指導員が madoguchi keys open-office で記録の署名を始めます（既存の記録はそこから先が署名されます）。
        3. 査察指導員が madoguchi keys enroll --for ID --public-key HEX で職員の鍵を登録します。
        鍵をなくしたとき・職員が異動したときは madoguchi keys revoke --for ID --reason 理由 で失効させます。
        """,
        subcommands: [Generate.self, OpenOffice.self, Enroll.self, Revoke.self, List.self],
        defaultSubcommand: List.self)

    /// Makes this account's key for an operator (the claimed operator must be proven as for any
    /// command, except that the key is what is being made: the OS account binding or a new passphrase).
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "generate", abstract: "自分の署名の鍵を作り、公開鍵を表示します。")

        @OptionGroup var batch: BatchOptions

        func run() throws {
            let opened = try batch.office.open()
            let config = opened.config
            let op = try resolveOperator(config, explicit: batch.operator)
            guard !config.isTraining else {
                throw StartupError("研修用の事務所では鍵は作業場所ごとに自動で作られます。作る必要はありません")
            }
            let store = OperatorKeyStore.forAccount()
            var passphrase: String?
            switch op.authentication {
            case nil:
                throw StartupError("職員 \(op.id) は本人の確かめ方が設定されていません。設定に account か auth = \"passphrase\" を書いてください")
            case .account?:
                guard OfficeTrust.osAccount() == op.account else {
                    throw StartupError("職員 \(op.id) の鍵は OSアカウント \(op.account ?? "") で作ります（いまは \(OfficeTrust.osAccount() ?? "不明")）")
                }
            case .passphrase?:
                let first = try PassphrasePrompt.read(prompt: "新しいパスフレーズ（8文字以上）: ", fromStdin: batch.passphraseStdin)
                if !batch.passphraseStdin {
                    let again = try PassphrasePrompt.read(prompt: "もう一度: ", fromStdin: false)
                    guard first == again else { throw StartupError("パスフレーズが一致しません") }
                }
                guard let first else { throw StartupError("パスフレーズを入力してください") }
                passphrase = first
            }
            let key = try OperatorSigningKey.generate(operatorID: op.id)
            let url: URL
            do { url = try store.create(key, office: config.publicPayerNumber, passphrase: passphrase) } catch let e as KeyError {
                throw StartupError(e.description)
            }
            print("職員 \(op.id)（\(op.name)）の鍵を作りました：\(url.path)（0600）")
            print("公開鍵: \(key.publicKey.hex)")
            print("指紋: \(key.publicKey.fingerprint)")
            if op.role == .supervisor {
                print("記録の署名がまだ始まっていなければ、この鍵で始めます：madoguchi keys open-office --operator \(op.id)")
                print("始まっていれば、別の査察指導員が登録します：madoguchi keys enroll --for \(op.id) --public-key \(key.publicKey.hex)")
            } else {
                print("査察指導員が登録します：madoguchi keys enroll --for \(op.id) --public-key \(key.publicKey.hex)")
            }
        }
    }

    struct OpenOffice: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open-office", abstract: "記録の署名を始めます（最初の査察指導員が一度だけ。R-SG-5：事務所と本番・研修の別を記録の最初に残します）。")

        @OptionGroup var batch: BatchOptions

        func run() throws {
            let session = try batch.open(admit: false)
            do {
                try OfficeTrust.openOffice(store: session.store, config: session.config, supervisor: session.proven, now: try session.now())
            } catch let e as KeyError { throw StartupError(e.description) }
            let t = session.store.journal.trust!
            print("記録の署名を始めました（\(t.signedFrom!) 行目から。それより前の \(t.unsignedLines) 行はハッシュの連鎖だけで確かめます）。")
            print("査察指導員 \(session.op.id) の公開鍵の指紋: \(session.proven.key.publicKey.fingerprint) — 紙に控えて保管してください")
        }
    }

    struct Enroll: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enroll", abstract: "職員の公開鍵を登録します（査察指導員）。同じ職員の古い鍵はこの行から使えなくなります。")

        @OptionGroup var batch: BatchOptions

        @Option(name: .customLong("for"), help: ArgumentHelp("鍵を登録する職員の id。", valueName: "ID"))
        var target: String

        @Option(name: .customLong("public-key"), help: ArgumentHelp("職員が keys generate で表示した公開鍵（16進数64桁）。", valueName: "HEX"))
        var publicKey: String

        func run() throws {
            let session = try batch.openAsSupervisor("鍵の登録")
            guard let op = session.config.operatorNamed(target) else { throw StartupError("--for: 職員 \(target) は設定にいません") }
            guard let key = OperatorPublicKey(hex: publicKey) else { throw StartupError("--public-key: 公開鍵は16進数64桁です") }
            do {
                try OfficeTrust.enrol(op, publicKey: key, store: session.store, by: session.op, now: try session.now())
            } catch let e as KeyError { throw StartupError(e.description) }
            print("職員 \(op.id)（\(op.name)、\(op.role.label)）の鍵を登録しました。指紋: \(key.fingerprint)")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "職員の鍵を失効させます（査察指導員）。")

        @OptionGroup var batch: BatchOptions

        @Option(name: .customLong("for"), help: ArgumentHelp("鍵を失効させる職員の id。", valueName: "ID"))
        var target: String

        @Option(name: .long, help: ArgumentHelp("理由（例：鍵の紛失、異動）。", valueName: "TEXT"))
        var reason: String

        func run() throws {
            let session = try batch.openAsSupervisor("鍵の失効")
            let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !why.isEmpty else { throw StartupError("--reason: 理由を入力してください") }
            do {
                try OfficeTrust.revoke(target, reason: why, store: session.store, by: session.op, now: try session.now())
            } catch let e as KeyError { throw StartupError(e.description) }
            print("職員 \(target) の鍵を失効させました。")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "記録に登録された鍵の一覧（既定）。")

        @OptionGroup var batch: BatchOptions

        func run() throws {
            let session = try batch.open()
            guard let t = session.store.journal.trust, t.isSigning else {
                print("記録の署名はまだ始まっていません（研修では最初の書き込みで、本番では madoguchi keys open-office で始まります）。")
                return
            }
            if let o = t.office { print("事務所: \(o.name)（\(o.publicPayerNumber)、\(o.modeLabel)）、署名は \(t.signedFrom!) 行目から") }
            for k in t.keys {
                let state = k.retiredAt.map { "\($0) 行目から失効（\(k.retiredBy ?? "")）" } ?? "使用中"
                print("\(k.operatorID)\t\(k.name)\t\(k.role.label)\t指紋 \(k.publicKey.fingerprint)\t\(k.enrolmentLine) 行目で登録（\(k.enrolledBy)）\t\(state)")
            }
        }
    }
}

/// `madoguchi checkpoint`: a supervisor verifies the whole journal and signs a checkpoint (R-SG-3).
struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "記録全体（すべての署名・役割・承認）を確かめ、査察指導員の署名つきのチェックポイントを記録して表示します。紙に印刷するか --out のファイルを事務所の外に保管してください（R-SG-3）。")

    @OptionGroup var batch: BatchOptions

    @Option(name: .long, help: ArgumentHelp("チェックポイントを書き出すファイル（データのフォルダの外に保管します）。", valueName: "FILE"))
    var out: String?

    func run() throws {
        let session = try batch.openAsSupervisor("チェックポイントの作成")
        // The whole journal, every signature: the file, or the database's rows as this supervisor
        // reads them, against this machine's witness (issue 15).
        let report = try session.store.journalFile.map { Journal.verify(url: $0.url, unsignedEraRoles: session.config.rolesByID) }
            ?? JournalWitness.verify(bytes: try session.store.journal.exactLines(), witness: session.config.databaseWitness,
                                     unsignedEraRoles: session.config.rolesByID)
        if let p = report.problem {
            throw StartupError("記録に問題があるためチェックポイントを作りません：\(p.line) 行目: \(p.reason)")
        }
        let c: Checkpoint
        do { c = try session.store.appendCheckpoint(key: session.proven.key, now: try session.now()) } catch let e as KeyError {
            throw StartupError(e.description)
        }
        if let out {
            let dest = URL(fileURLWithPath: out)
            let prepared = try PreparedFile.prepare(Data(c.text.utf8), at: dest)
            try prepared.commit()
            print("チェックポイントを書き出しました：\(dest.path)")
        }
        print(c.text, terminator: "")
    }
}

extension BatchOptions {
    /// The session of a proven supervisor, or a refusal naming what only a supervisor does.
    func openAsSupervisor(_ what: String) throws -> OfficeSession {
        let session = try open()
        guard session.op.role == .supervisor else { throw StartupError("\(what)は査察指導員がします（\(session.op.id) は担当者です）") }
        return session
    }
}
