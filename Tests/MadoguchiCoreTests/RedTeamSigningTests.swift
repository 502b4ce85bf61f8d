import Foundation
import Testing
@testable import MadoguchiCore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12, "Done when": an insider with a shell against the signed journal (R-SG-1, R-SG-2, R-SG-3,
/// R-SG-5). Each case is an attack that succeeded before signing; each must now be refused or named.
@Suite("Red team: signatures, roles, checkpoints (R-SG-1..5)", .tags(.unit))
struct RedTeamSigningTests {
    static let clerk = Operator(id: "yamada", name: "山田 花子", role: .clerk, account: "yamada")
    static let supervisor = Operator(id: "sato", name: "佐藤 一郎", role: .supervisor, account: "sato")

    /// A production office whose journal is opened by sato and where yamada is enrolled; keys kept
    /// in memory (the key files' own checks are tested below).
    struct Office {
        let dir: URL
        let config: OfficeConfig
        let store: CaseStore
        let sato: OperatorSigningKey
        let yamada: OperatorSigningKey
        var url: URL { config.journalURL }

        init(mode: OfficeConfig.Mode = .production, _ label: String = #function) throws {
            dir = journalTestDirectory(label)
            config = OfficeConfig(officeName: "みどり市福祉事務所", publicPayerNumber: "12130019", serverCode: "D1300019",
                                  mode: mode, dataDirectory: dir, operators: [RedTeamSigningTests.clerk, RedTeamSigningTests.supervisor],
                                  source: dir.appendingPathComponent("office.toml"))
            store = CaseStore(journalURL: config.journalURL)
            try store.load()
            sato = try OperatorSigningKey.generate(operatorID: "sato")
            yamada = try OperatorSigningKey.generate(operatorID: "yamada")
            let now = Date(timeIntervalSince1970: 1_795_523_405)
            try OfficeTrust.openOffice(store: store, config: config, supervisor: ProvenOperator(op: supervisor, key: sato, proof: "test"), now: now)
            try OfficeTrust.enrol(clerk, publicKey: yamada.publicKey, store: store, by: supervisor, now: now)
        }

        var supervisor: Operator { RedTeamSigningTests.supervisor }
        var clerk: Operator { RedTeamSigningTests.clerk }

        func asClerk() { store.journal.signer = yamada }
        func asSupervisor() { store.journal.signer = sato }

        func write(_ n: Int, by op: String = "yamada") throws {
            // A type the case fold keeps aside as unknown: the test is about lines, not cases.
            try store.journal.append((1...n).map { jDraft($0, op: op, type: "test.note", case: "2026-\(String(format: "%04d", $0))") })
            try store.load()
        }

        func lines() throws -> [String] {
            String(decoding: try jFileBytes(url), as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }

    @Test("a clerk's key cannot write a line in the supervisor's name, nor enrol a key, nor sign a checkpoint")
    func clerkActingAsSupervisorIsRefused() throws {
        let o = try Office()
        o.asClerk()
        let size = try jFileBytes(o.url).count
        #expect(throws: JournalError.self) { try o.store.journal.append([jDraft(1, op: "sato")]) }
        let mallory = try OperatorSigningKey.generate(operatorID: "yamada")
        #expect(throws: JournalError.self) {
            try OfficeTrust.enrol(o.clerk, publicKey: mallory.publicKey, store: o.store, by: o.clerk, now: Date())
        }
        #expect(throws: JournalError.self) { try o.store.appendCheckpoint(key: o.yamada, now: Date()) }
        #expect(try jFileBytes(o.url).count == size, "nothing was written")
        // Without any key, nothing at all can be written to a signed journal.
        o.store.journal.signer = nil
        #expect(throws: JournalError.self) { try o.store.journal.append([jDraft(1)]) }
    }

    @Test("a rewritten line with every hash and the anchor recomputed is named by verify and stops loading")
    func rehashedForgeryIsNamed() throws {
        let o = try Office()
        o.asClerk()
        try o.write(5)
        // The insider's script: rename a person on line 4, recompute every hash and the anchor.
        var lines = try o.lines()
        lines[3] = lines[3].replacingOccurrences(of: "山田 太郎 2", with: "山田 次郎 2")
        let rewritten = rehash(lines)
        try Data(rewritten.utf8).write(to: o.url)
        try rewriteAnchor(o.url, lines: rewritten)
        let report = Journal.verify(url: o.url)
        #expect(report.problem?.line == 4, "\(String(describing: report.problem))")
        #expect(report.problem?.reason.contains("署名") == true)
        #expect(throws: JournalError.self) { try CaseStore(journalURL: o.url).load() }
    }

    @Test("a supervisor's approval of their own batch, hand-written and signed with their own key, is refused by verify and load")
    func supervisorApprovingOwnBatchIsRefused() throws {
        let o = try Office()
        o.asSupervisor()
        try o.store.journal.append([EventDraft(caseNumber: "", type: EventType.batchPrepared,
                                               data: .object(["id": .string("B1"), "cases": .array([])]), operatorID: "sato", time: Date())])
        #expect(throws: JournalError.self) {
            try o.store.journal.append([EventDraft(caseNumber: "", type: EventType.batchApproved,
                                                   data: .object(["id": .string("B1")]), operatorID: "sato", time: Date())])
        }
        var lines = try o.lines()
        lines.append(try signedLine(after: lines.last!, type: EventType.batchApproved.rawValue, data: #"{"id":"B1"}"#, op: "sato", key: o.sato))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: o.url)
        let report = Journal.verify(url: o.url)
        #expect(report.problem?.line == lines.count)
        #expect(report.problem?.reason.contains("自分で承認") == true, "\(String(describing: report.problem))")
        #expect(throws: JournalError.self) { try CaseStore(journalURL: o.url).load() }
    }

    @Test("an approval hand-written by the clerk who prepared the batch — with their own valid key — is refused by verify and load")
    func handWrittenApprovalByPreparerIsRefused() throws {
        let o = try Office()
        o.asClerk()
        try o.store.journal.append([EventDraft(caseNumber: "", type: EventType.batchPrepared,
                                               data: .object(["id": .string("B1"), "cases": .array([])]), operatorID: "yamada", time: Date())])
        // Appending it through the journal is refused before anything is written …
        #expect(throws: JournalError.self) {
            try o.store.journal.append([EventDraft(caseNumber: "", type: EventType.batchApproved,
                                                   data: .object(["id": .string("B1")]), operatorID: "yamada", time: Date())])
        }
        // … and a line written by hand, correctly chained and signed with yamada's own key, is found.
        var lines = try o.lines()
        lines.append(try signedLine(after: lines.last!, type: EventType.batchApproved.rawValue, data: #"{"id":"B1"}"#, op: "yamada", key: o.yamada))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: o.url)
        let report = Journal.verify(url: o.url)
        #expect(report.problem?.line == lines.count, "\(String(describing: report.problem))")
        #expect(report.problem?.reason.contains("査察指導員でない yamada") == true, "\(String(describing: report.problem))")
        #expect(throws: JournalError.self) { try CaseStore(journalURL: o.url).load() }
        // The same line in the supervisor's name but signed with yamada's key: a forged signature.
        lines.removeLast()
        lines.append(try signedLine(after: lines.last!, type: EventType.batchApproved.rawValue, data: #"{"id":"B1"}"#, op: "sato", key: o.yamada))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: o.url)
        #expect(Journal.verify(url: o.url).problem?.reason.contains("署名が職員 sato") == true)
    }

    @Test("an approval by the preparer is refused in an older, unsigned journal too (maker-checker replayed)")
    func handWrittenApprovalInUnsignedJournal() throws {
        let dir = journalTestDirectory()
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append([
            EventDraft(caseNumber: "", type: EventType.batchPrepared, data: .object(["id": .string("B1")]), operatorID: "yamada", time: Date()),
            EventDraft(caseNumber: "", type: EventType.batchApproved, data: .object(["id": .string("B1")]), operatorID: "yamada", time: Date()),
        ].prefix(1).map { $0 })
        var lines = String(decoding: try jFileBytes(url), as: UTF8.self).split(separator: "\n").map(String.init)
        lines.append(lines[0].replacingOccurrences(of: "batch.prepared", with: "batch.approved").replacingOccurrences(of: #""seq":1"#, with: #""seq":2"#))
        let fixed = rehash(lines)
        try Data(fixed.utf8).write(to: url)
        try rewriteAnchor(url, lines: fixed)
        #expect(Journal.verify(url: url).problem?.line == 2)
        // A clerk approving (roles from the config for unsigned lines).
        #expect(Journal.verify(url: url, unsignedEraRoles: ["yamada": .clerk]).problem?.reason.contains("査察指導員でない") == true)
    }

    @Test("anchor deleted and the last lines cut: found against the checkpoint kept outside")
    func cutBelowCheckpointIsFound() throws {
        let o = try Office()
        o.asClerk()
        try o.write(3)
        o.asSupervisor()
        let checkpoint = try o.store.appendCheckpoint(key: o.sato, now: Date())
        // The journal holds it whole: any report can print it again.
        #expect(o.store.journal.trust?.lastCheckpoint == checkpoint)
        let text = checkpoint.text
        #expect(try Checkpoint.parse("月次報告\n" + text + "以上\n") == checkpoint)
        // The supervisor's printed report carries it, and it reads back from the report's text.
        let printed = PendingPrint.text(Pending.list(o.store.book, today: LocalDate(Date())), office: o.config, filter: PendingFilter(),
                                       sort: .number, descending: false, printedBy: o.supervisor, checkpoint: o.store.journal.trust?.lastCheckpoint)
        #expect(try Checkpoint.parse(printed) == checkpoint, "\(printed)")
        o.asClerk()
        try o.write(2)
        #expect(Journal.verify(url: o.url, checkpoint: checkpoint).ok)
        // The insider cuts the journal to before the checkpoint and deletes the anchor.
        let lines = try o.lines()
        try Data((lines.prefix(checkpoint.seq - 1).joined(separator: "\n") + "\n").utf8).write(to: o.url)
        try FileManager.default.removeItem(at: JournalAnchor.url(for: o.url))
        #expect(Journal.verify(url: o.url).ok, "the office's files alone cannot tell")
        let report = Journal.verify(url: o.url, checkpoint: checkpoint)
        #expect(report.problem?.reason.contains("記録が短くなっています") == true, "\(String(describing: report.problem))")
        // Loading again recreates the anchor loudly.
        let loaded = try CaseStore(journalURL: o.url).load()
        #expect(loaded.anchorRecreated && loaded.warnings.contains { $0.contains("作り直しました") })
        // A checkpoint whose text was edited (a lower line number) no longer verifies.
        #expect(throws: KeyError.self) { try Checkpoint.parse(text.replacingOccurrences(of: "行: \(checkpoint.seq)", with: "行: 2")) }
    }

    @Test("a journal replaced whole by one with the insider's own keys does not match the checkpoint")
    func replacedJournalDoesNotMatchCheckpoint() throws {
        let o = try Office()
        o.asSupervisor()
        let cp = try o.store.appendCheckpoint(key: o.sato, now: Date())
        let forged = try Office(#function + "forged")
        forged.asSupervisor()
        try forged.store.appendCheckpoint(key: forged.sato, now: Date())
        let report = Journal.verify(url: forged.url, checkpoint: cp)
        #expect(report.problem?.reason.contains("登録されていません") == true, "\(String(describing: report.problem))")
    }

    @Test("a small-order public key (the identity point) is refused at enrolment and by the replay")
    func smallOrderKeyIsRefused() throws {
        let identity = OperatorPublicKey(hex: "01" + String(repeating: "0", count: 62))!
        #expect(identity.enrolmentProblem != nil)
        // The attack it stops: with the identity as a key, R = identity, S = 0 verifies for any message.
        let forged = identity.raw + [UInt8](repeating: 0, count: 32)
        #expect(identity.isValidSignature(forged, for: Array("any line".utf8)))
        // Every listed encoding really is of small order: the forged signature verifies for some message.
        for y in OperatorPublicKey.smallOrderY {
            let k = OperatorPublicKey(raw: y)
            guard k.enrolmentProblem?.contains("読めません") != true else { continue }
            let hits = (0..<256).filter { k.isValidSignature(identity.raw + [UInt8](repeating: 0, count: 32), for: Array("m\($0)".utf8)) }
            #expect(!hits.isEmpty, "\(k.hex)")
        }
        let o = try Office()
        o.asSupervisor()
        #expect(throws: KeyError.self) { try OfficeTrust.enrol(o.clerk, publicKey: identity, store: o.store, by: o.supervisor, now: Date()) }
        // A real key is fine.
        #expect(try OperatorSigningKey.generate(operatorID: "x").publicKey.enrolmentProblem == nil)
    }

    @Test("a line by an operator with no enrolled key, or unsigned after signing began, stops the replay")
    func unenrolledAndUnsignedLinesAreRefused() throws {
        let o = try Office()
        var lines = try o.lines()
        let stranger = try OperatorSigningKey.generate(operatorID: "tanaka")
        lines.append(try signedLine(after: lines.last!, type: "case.received", data: #"{"i":1}"#, op: "tanaka", key: stranger))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: o.url)
        #expect(Journal.verify(url: o.url).problem?.reason.contains("tanaka の鍵はこの行の時点で登録されていません") == true)
        lines.removeLast()
        lines.append(try unsignedLine(after: lines.last!, type: "case.received", data: #"{"i":1}"#, op: "yamada"))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: o.url)
        #expect(Journal.verify(url: o.url).problem?.reason.contains("署名がありません") == true)
    }

    @Test("a changed signature deep in a long journal is named, also when verified on every core and a later line is broken too")
    func changedSignatureInLongJournal() throws {
        let o = try Office()
        o.asClerk()
        try o.write(700)
        var lines = try o.lines()
        let target = 350
        // The signature is outside the hash: the chain stays whole, only the signature tells.
        let i = lines[target - 1].index(lines[target - 1].endIndex, offsetBy: -10)
        let old = lines[target - 1][i]
        lines[target - 1].replaceSubrange(i...i, with: old == "0" ? "1" : "0")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: o.url)
        let report = Journal.verify(url: o.url)
        #expect(report.problem?.line == target && report.problem?.reason.contains("署名") == true, "\(String(describing: report.problem))")
        // And a later unsigned line: the earlier bad signature is still the first problem.
        lines.append(try unsignedLine(after: lines.last!, type: "test.note", data: #"{"i":1}"#, op: "yamada"))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: o.url)
        #expect(Journal.verify(url: o.url).problem?.line == target)
        #expect(throws: JournalError.self) { try CaseStore(journalURL: o.url).load() }
    }

    @Test("R-SG-5: a training journal is refused by a production office and the reverse, whatever the folder's mark")
    func trainingJournalInProductionIsRefused() throws {
        let training = try Office(mode: .training)
        let production = OfficeConfig(officeName: "みどり市福祉事務所", publicPayerNumber: "12130019", serverCode: "D1300019",
                                      mode: .production, dataDirectory: training.dir, operators: [Self.clerk, Self.supervisor],
                                      source: training.dir.appendingPathComponent("office.toml"))
        let store = CaseStore(journalURL: production.journalURL)
        try store.load()
        #expect(throws: KeyError.self) {
            try OfficeTrust.admit(ProvenOperator(op: Self.supervisor, key: training.sato, proof: "t"), store: store, config: production, now: Date())
        }
        let prod = try Office()
        let asTraining = OfficeConfig(officeName: "みどり市福祉事務所", publicPayerNumber: "12130019", serverCode: "D1300019",
                                      mode: .training, dataDirectory: prod.dir, operators: [Self.clerk, Self.supervisor],
                                      source: prod.dir.appendingPathComponent("office.toml"))
        let store2 = CaseStore(journalURL: asTraining.journalURL)
        try store2.load()
        #expect(throws: KeyError.self) {
            try OfficeTrust.admit(ProvenOperator(op: Self.supervisor, key: prod.sato, proof: "t"), store: store2, config: asTraining, now: Date())
        }
    }

    @Test("R-SG-1: the OS account must be the operator's; a key file others can read, or a wrong passphrase, is refused")
    func proofOfIdentity() throws {
        let o = try Office()
        let keys = OperatorKeyStore(directory: o.dir.appendingPathComponent("keys"))
        _ = try keys.create(o.yamada, office: "12130019", passphrase: nil)
        // Another account claiming yamada.
        #expect(throws: KeyError.self) { try OfficeTrust.prove(o.clerk, config: o.config, keys: keys, account: "suzuki") { nil } }
        let proven = try OfficeTrust.prove(o.clerk, config: o.config, keys: keys, account: "yamada") { nil }
        #expect(proven.key.publicKey == o.yamada.publicKey)
        // No way of proving set in the config: refused in production.
        let bare = Operator(id: "yamada", name: "山田 花子", role: .clerk)
        #expect(throws: KeyError.self) { try OfficeTrust.prove(bare, config: o.config, keys: keys, account: "yamada") { nil } }
        // A key file readable by others.
        let file = keys.url(operatorID: "yamada", office: "12130019")
        chmod(file.path, 0o644)
        #expect(throws: KeyError.self) { try keys.load(operatorID: "yamada", office: "12130019") { nil } }
        chmod(file.path, 0o600)
        // A symlink instead of the file.
        let real = o.dir.appendingPathComponent("elsewhere.key")
        try FileManager.default.moveItem(at: file, to: real)
        try FileManager.default.createSymbolicLink(at: file, withDestinationURL: real)
        #expect(throws: KeyError.self) { try keys.load(operatorID: "yamada", office: "12130019") { nil } }
        // Passphrase: sealed, the right one opens it, a wrong one does not.
        let shared = Operator(id: "sato", name: "佐藤 一郎", role: .supervisor, authentication: .passphrase)
        _ = try keys.create(o.sato, office: "12130019", passphrase: "correct horse")
        #expect(try OfficeTrust.prove(shared, config: o.config, keys: keys, account: nil) { "correct horse" }.key.publicKey == o.sato.publicKey)
        #expect(throws: KeyError.self) { try OfficeTrust.prove(shared, config: o.config, keys: keys, account: nil) { "wrong horse" } }
        #expect(throws: KeyError.self) { try keys.create(o.sato, office: "12130019", passphrase: "short") }
    }

    @Test("an older unsigned journal upgrades: lines before office.opened are chain-checked, every line after is signed")
    func unsignedJournalUpgrades() throws {
        let dir = journalTestDirectory()
        let config = OfficeConfig(officeName: "みどり市福祉事務所", publicPayerNumber: "12130019", serverCode: "D1300019",
                                  mode: .production, dataDirectory: dir, operators: [Self.clerk, Self.supervisor],
                                  source: dir.appendingPathComponent("office.toml"))
        try Journal(url: config.journalURL).append((1...4).map { jDraft($0, type: "test.note") })
        let store = CaseStore(journalURL: config.journalURL)
        try store.load()
        let sato = try OperatorSigningKey.generate(operatorID: "sato")
        #expect(throws: KeyError.self) { try OfficeTrust.admit(ProvenOperator(op: Self.supervisor, key: sato, proof: "t"), store: store, config: config, now: Date()) }
        try OfficeTrust.openOffice(store: store, config: config, supervisor: ProvenOperator(op: Self.supervisor, key: sato, proof: "t"), now: Date())
        let report = Journal.verify(url: config.journalURL)
        #expect(report.ok)
        #expect(report.trust?.unsignedLines == 4 && report.trust?.signedFrom == 5 && report.trust?.signaturesChecked == 1)
    }

    // MARK: The insider's tools

    /// Recomputes seq-chained hashes of unsigned lines (what the 15-line script did); signed lines
    /// keep their old signature.
    func rehash(_ lines: [String]) -> String {
        var prev = JournalLine.zeroHash
        var out = ""
        for var l in lines {
            let sig = l.range(of: #","sig":""#).map { String(l[$0.lowerBound...]).dropLast() }   // `,"sig":"…"` without `}`
            let cut = l.range(of: #","hash":""#)!.lowerBound
            l = String(l[..<cut])
            let p = l.range(of: #","prev":""#)!
            l = String(l[..<p.upperBound]) + prev + "\""
            let h = JournalLine.hashHex(body: Array(l.utf8)[...])
            out += l + #","hash":""# + h + "\"" + (sig.map { String($0) } ?? "") + "}\n"
            prev = h
        }
        return out
    }

    func rewriteAnchor(_ url: URL, lines: String) throws {
        let all = lines.split(separator: "\n")
        let last = String(all.last!)
        let hash = String(last[last.range(of: #","hash":""#)!.upperBound...].prefix(64))
        try JournalAnchor.write(JournalAnchor(seq: all.count, hash: hash), journal: url)
    }

    func signedLine(after previous: String, type: String, data: String, op: String, key: OperatorSigningKey) throws -> String {
        let u = try unsignedLine(after: previous, type: type, data: data, op: op)
        let hash = String(u[u.range(of: #","hash":""#)!.upperBound...].prefix(64))
        return String(u.dropLast()) + #","sig":""# + JournalLine.hex(try key.signLine(hash: hash)) + "\"}"
    }

    func unsignedLine(after previous: String, type: String, data: String, op: String) throws -> String {
        let prevHash = String(previous[previous.range(of: #","hash":""#)!.upperBound...].prefix(64))
        let seq = Int(previous[previous.range(of: #"{"seq":"#)!.upperBound...].prefix { $0.isNumber })! + 1
        let body = #"{"seq":\#(seq),"time":"2026-11-30T10:00:00+09:00","operator":"\#(op)","case":"","type":"\#(type)","data":\#(data),"prev":"\#(prevHash)""#
        return body + #","hash":""# + JournalLine.hashHex(body: Array(body.utf8)[...]) + "\"}"
    }
}

@Suite("Red team: the access log is signed with the journal's keys (R-SG-4)", .tags(.unit))
struct RedTeamAccessLogSigningTests {
    @Test("an access line rewritten with its hash recomputed, or signed by a key the office never enrolled, is named")
    func signedAccessLog() throws {
        let o = try RedTeamSigningTests.Office()
        let keys = try #require(o.store.journal.trust?.keys)
        let log = AccessLog(dataDirectory: o.dir)
        log.sign(with: o.yamada, keys: keys)
        try log.record(AccessEvent(.listed, via: "cases", cases: ["2026-0001"], count: 1), operatorID: "yamada", now: Date())
        try log.record(AccessEvent(.exported, via: "cases --json", cases: ["2026-0001"], count: 1), operatorID: "yamada", now: Date())
        #expect(log.read(keys: keys).ok)
        #expect(log.read(keys: keys).entries.count == 2)
        // Another operator's name with yamada's key is refused on writing.
        #expect(throws: JournalError.self) {
            try log.record(AccessEvent(.listed, via: "cases", count: 0), operatorID: "sato", now: Date())
        }
        // The insider edits line 2 ("exported" → "listed") and recomputes the chain and the anchor.
        let t = RedTeamSigningTests()
        let url = log.url
        var lines = String(decoding: try jFileBytes(url), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[1] = lines[1].replacingOccurrences(of: "access.exported", with: "access.listed")
        let fixed = t.rehash(lines)
        try Data(fixed.utf8).write(to: url)
        try t.rewriteAnchor(url, lines: fixed)
        let read = AccessLog(dataDirectory: o.dir).read(keys: keys)
        #expect(read.problem?.line == 2 && read.problem?.reason.contains("署名") == true, "\(String(describing: read.problem))")
        // A whole log written with a key of the insider's own making.
        try FileManager.default.removeItem(at: url)
        try? FileManager.default.removeItem(at: JournalAnchor.url(for: url))
        let fake = AccessLog(dataDirectory: o.dir)
        let mallory = try OperatorSigningKey.generate(operatorID: "yamada")
        // The insider's copy of the program believes their key is enrolled; the office's journal does not.
        fake.sign(with: mallory, keys: [EnrolledKey(operatorID: "yamada", name: "山田 花子", role: .clerk, publicKey: mallory.publicKey,
                                                    enrolledAt: 1, enrolledBy: "sato", retiredAt: nil, retiredBy: nil)])
        try fake.record(AccessEvent(.listed, via: "cases", count: 0), operatorID: "yamada", now: Date())
        #expect(AccessLog(dataDirectory: o.dir).read(keys: keys).problem?.line == 1)
    }
}

@Suite("Start-up checks signatures only after the last checkpoint (R-SG-3)", .tags(.unit))
struct AutoCheckpointTests {
    @Test("a supervisor's start-up that verified 2,000 new signatures writes a checkpoint; the next start-up checks only what follows")
    func supervisorStartUpCheckpoints() throws {
        let o = try RedTeamSigningTests.Office()
        o.asClerk()
        try o.write(OfficeTrust.autoCheckpointAfter)
        // A clerk's start-up verifies them all and writes nothing.
        let clerk = CaseStore(journalURL: o.url)
        try clerk.load()
        #expect((clerk.journal.trust?.signaturesChecked ?? 0) >= OfficeTrust.autoCheckpointAfter)
        try OfficeTrust.admit(ProvenOperator(op: o.clerk, key: o.yamada, proof: "t"), store: clerk, config: o.config, now: Date())
        #expect(clerk.journal.trust?.lastCheckpoint == nil)
        // The supervisor's does, once.
        let sup = CaseStore(journalURL: o.url)
        try sup.load()
        try OfficeTrust.admit(ProvenOperator(op: o.supervisor, key: o.sato, proof: "t"), store: sup, config: o.config, now: Date())
        let checkpoint = try #require(sup.journal.trust?.lastCheckpoint)
        #expect(checkpoint.operatorID == "sato" && checkpoint.seq == sup.knownCount - 1)
        let next = CaseStore(journalURL: o.url)
        try next.load()
        #expect(next.journal.trust?.signaturesChecked == 1, "only the checkpoint line's own signature")
    }
}
