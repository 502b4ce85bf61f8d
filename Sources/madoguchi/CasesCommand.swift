import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi cases --json`: the case list for scripts.
struct Cases: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "案件の一覧を表示します（--json で機械可読）。"
    )

    @OptionGroup var office: OfficeOptions

    @Option(name: .long, help: ArgumentHelp("操作する職員の id（省略時は MADOGUCHI_OPERATOR、OS のユーザー名の順）。見たことが閲覧の記録に残ります（R-SG-4）。", valueName: "ID"))
    var `operator`: String?

    @Flag(name: .customLong("passphrase-stdin"), help: "パスフレーズを標準入力の1行目から読みます（auth = \"passphrase\" の職員）。")
    var passphraseStdin = false

    @Flag(name: .long, help: "JSON で出力します（案件ごとに申請の全項目と交付した券を含みます）。")
    var json = false

    @Option(name: .long, help: ArgumentHelp("番号・氏名・フリガナ・受給者番号の一部で探します（ひらがな・カタカナ・半角ｶﾅは同じ、空白は無視。画面の / と同じ）。", valueName: "TEXT"))
    var search: String?

    func run() throws {
        // Who reads, proven (R-SG-1): every list, search and JSON export is recorded with them (R-SG-4).
        let session = try openOfficeSession(try office.open(), operator: self.operator, passphraseStdin: passphraseStdin)
        let (opened, store, config) = (session.opened, session.store, session.config)
        var cases = store.book.all
        if let search {
            // The same matching as the desk's `/` (CaseSearch, issue 11).
            guard !CaseSearch.key(search).isEmpty else {
                throw FieldProblem(field: "search", label: "--search", message: "探す文字を入力してください（空白だけでは探せません）")
            }
            cases = CaseSearch.filter(cases, search)
        }
        // Recorded before anything is printed; refused when it cannot be (see recordAccess).
        let via = "cases" + (json ? " --json" : "") + (search == nil ? "" : " --search")
        try recordAccess(AccessEvent(json ? .exported : (search == nil ? .listed : .searched), via: via,
                                     cases: cases.map(\.number), count: cases.count, query: search, wholeList: search == nil),
                         session: session, now: try opened.now())
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let out = cases.map(CaseJSON.init)
            var data = try encoder.encode(out)
            data.append(0x0A)
            writeJSON(data)
        } else {
            let found = search.map { "（「\($0)」の検索）" } ?? ""
            print("\(config.officeName)　案件 \(cases.count)件\(found)\(config.isTraining ? "　【研修モード】" : "")")
            if let search, cases.isEmpty { print("該当なし：\(search)") }
            for c in cases {
                print("\(c.number)\t\(c.application.applicant.name)\t\(c.application.branch.label)\t\(c.status.label)\t\(Wareki.format(c.application.applicationDate))\t解除予定 \(CaseLifecycle.expectedCancellation(c).label)")
            }
        }
    }
}

/// The JSON shape of one case for `cases --json` (documented in docs/engineering/desk.md).
struct CaseJSON: Encodable {
    let number: String
    let status: String
    let statusLabel: String
    let branch: String
    let receivedAt: String
    let receivedBy: String
    let application: Application
    let ticketsIssued: [PaperTicket]
    let reminders: [String]
    let events: Int
    /// R-DT-1..3, R-HC-2: ISO date when known, else null with the reason in `expectedCancellationLabel`.
    let expectedCancellation: String?
    let expectedCancellationLabel: String
    let registeredOn: String?
    let exportFile: String?
    let failureMessage: String?
    let holds: [Hold]
    let confirmedCancelledOn: String?
    let transferredTo: String?
    /// 訂正 (R-AM-1), oldest first; `application` already holds the corrected values.
    let corrections: [CorrectionJSON]

    struct CorrectionJSON: Encodable {
        /// One field: its id and label, and its values as stored (ISO dates, option values).
        struct Change: Encodable {
            let field: String
            let label: String
            let old: String
            let new: String

            init(_ c: FieldChange, form: FormDefinition?) {
                field = c.field
                label = ApplicationFields.label(c.field, form: form)
                old = c.old
                new = c.new
            }
        }
        let time: String
        let `operator`: String
        let reason: String
        let changes: [Change]
        let tickets: TicketCorrection?
    }

    init(_ c: CaseRecord) {
        number = c.number
        status = c.status.rawValue
        statusLabel = c.status.label
        branch = c.application.branch.rawValue
        receivedAt = c.receivedAt
        receivedBy = c.receivedBy
        application = c.application
        ticketsIssued = c.ticketsIssued
        reminders = c.reminders
        events = c.history.count
        let expected = CaseLifecycle.expectedCancellation(c)
        switch expected {
        case .expected(let d), .cancelledOn(let d): expectedCancellation = d.iso
        default: expectedCancellation = nil
        }
        expectedCancellationLabel = expected.label
        registeredOn = c.lifecycle.registeredOn?.iso
        exportFile = c.lifecycle.exportFile
        failureMessage = c.lifecycle.failureMessage
        holds = c.lifecycle.holds
        confirmedCancelledOn = c.lifecycle.confirmedCancelledOn?.iso
        transferredTo = c.lifecycle.transferredTo
        corrections = Correction.history(c).map { r, p in
            CorrectionJSON(time: r.time, operator: r.operatorID, reason: p.reason,
                           changes: p.changes.map { .init($0, form: nil) },
                           tickets: p.tickets)
        }
    }
}

/// `madoguchi verify`: checks the journal's chain, every signature, roles and approvals (R-SG-2,
/// R-SG-3), and with --checkpoint that nothing was cut below a checkpoint kept outside; exit 1 and
/// the first bad line if not.
struct Verify: ParsableCommand {
    /// The line `verify` prints for a journal found good: lines, chain, anchor, checkpoint, signatures,
    /// and where it is (the file, or the database and office).
    static func summary(_ report: VerifyReport, anchorName: String, place: String) -> String {
        // The anchor is what shows that no line was deleted at the end.
        let anchor = report.anchorChecked ? "、アンカーと一致" : "。【注意】アンカー（\(anchorName)）がないため、最後の行が削除されていないかは確かめていません（チェックポイントで確かめてください）"
        let checked = report.checkpointChecked ? "、チェックポイントと一致" : ""
        var signed = "。署名はありません（署名が始まる前の記録です）"
        if let t = report.trust, t.isSigning {
            signed = "。署名：\(t.signaturesChecked) 行すべて登録された鍵と一致、役割と承認も正しい"
            if t.unsignedLines > 0 { signed += "（署名が始まる前の \(t.unsignedLines) 行はハッシュの連鎖だけで確かめました）" }
        }
        return "記録は正常です（\(report.lineCount)行、ハッシュの連鎖に切れ目なし\(anchor)\(checked)\(signed)）：\(place)"
    }

    /// R-SG-4: the office's journal read whole, recorded when the operator can be proven without asking.
    func recordVerified(_ opened: OpenedOffice, lines: Int, place: String) {
        if let session = try? openOfficeSession(opened, operator: self.operator, passphraseStdin: false, interactive: false) {
            _ = recordAccessAfterWork(AccessEvent(.verified, via: "verify", count: lines, file: place),
                                      session: session, now: (try? opened.now()) ?? Date())
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "記録（ジャーナル）のハッシュの連鎖、すべての署名、役割と承認を確かめます。問題があれば最初の行を示し、終了コード 1 を返します。"
    )

    @OptionGroup var office: OfficeOptions

    @Option(name: .long, help: ArgumentHelp("確かめるジャーナルのファイル（省略時は事務所の記録）。", valueName: "FILE"))
    var journal: String?

    @Option(name: .long, help: ArgumentHelp("事務所の外に保管したチェックポイント（madoguchi checkpoint の出力）。記録がその行まであり、一致することも確かめます。", valueName: "FILE"))
    var checkpoint: String?

    @Option(name: .long, help: ArgumentHelp("操作する職員の id（省略時は MADOGUCHI_OPERATOR、OS のユーザー名の順）。確かめたことが閲覧の記録に残ります。", valueName: "ID"))
    var `operator`: String?

    func run() throws {
        let url: URL
        var roles: [String: Operator.Role] = [:]
        var opened: OpenedOffice?
        if let journal { url = URL(fileURLWithPath: journal) } else {
            opened = try office.open()
            // A PostgreSQL office (issue 15): its rows, checked the same way (VerifyStore.swift).
            if opened!.config.store.isPostgres { return try verifyStore(opened!) }
            url = opened!.config.journalURL
            roles = opened!.config.rolesByID
        }
        // The office's own records: say if others can read them (a copy named with --journal is not checked).
        if journal == nil { JournalPermissions.warnings(journal: url).forEach(printError) }
        // The access log is signed with the office journal's keys (R-SG-4): read them from there.
        var keys: [EnrolledKey]?
        if let journal, URL(fileURLWithPath: journal).lastPathComponent == AccessLog.fileName {
            let config = try office.loadOffice().0
            if config.store.isPostgres {
                // The office's keys from its rows in the database, as this operator's role reads them (issue 15).
                let store = try openJournalStore(config, as: try resolveOperator(config, explicit: self.operator))
                var ledger = JournalLedger(name: store.name, unsignedEraRoles: config.rolesByID)
                keys = (try? ledger.verify(try store.exactLines())).map { _ in ledger.trust.keys } ?? []
            } else {
                keys = Journal.verify(url: config.journalURL, unsignedEraRoles: config.rolesByID).trust?.keys ?? []
            }
        }
        let report: VerifyReport
        if let keys {
            report = AccessLog(url: url).verify(keys: keys)
        } else if let checkpoint {
            let text: String
            do { text = try String(contentsOfFile: checkpoint, encoding: .utf8) } catch {
                throw StartupError("--checkpoint: \(checkpoint) を読めません")
            }
            let c: Checkpoint
            do { c = try Checkpoint.parse(text) } catch let e as KeyError { throw StartupError("--checkpoint: \(checkpoint): \(e.description)") }
            report = Journal.verify(url: url, checkpoint: c, unsignedEraRoles: roles)
        } else {
            report = Journal.verify(url: url, unsignedEraRoles: roles)
        }
        if let problem = report.problem {
            // Line 0: no line of the journal is at fault (the file is missing, or its anchor is corrupt).
            let at = problem.line > 0 ? " \(problem.line)行目" : ""
            writeStandardError("\(url.path)\(at): \(problem.reason)\n")
            throw ExitCode(1)
        }
        // R-SG-4: the office's journal read whole, recorded when the operator is known. The
        // output holds no personal data, so neither an unknown operator nor a failed record stops it.
        // Proven without asking (an auditor may verify with no key of their own): a passphrase
        // operator's verify is not recorded.
        if let opened { recordVerified(opened, lines: report.lineCount, place: url.path) }
        print(Self.summary(report, anchorName: url.lastPathComponent + ".anchor", place: url.path))
    }
}
