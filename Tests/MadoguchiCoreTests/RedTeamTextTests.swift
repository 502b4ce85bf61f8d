import Foundation
import Testing
@testable import MadoguchiCore

// Issue 12 item 5 — untrusted text stays data (R-FL-5, R-ID-4 amended 2026-11-30), tried as an
// attacker would: a result file whose 処理結果メッセージ clears the screen and sets the clipboard
// (OSC 52), cells a spreadsheet would run, and a 12-digit 個人番号 written so that the old filter
// missed it. The checks below do not use the code under test to decide what is raw or hidden: the
// attack's own characters are looked for, and the number is looked for with every separator removed.

/// The attack: ESC [2J (clear), OSC 52 (set the clipboard) ended by BEL, a C1 CSI (U+009B), a
/// right-to-left override hiding a file type, and an isolate pair.
let redTeamEscapes = "\u{1B}[2J\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}\u{9B}31m\u{202E}txt.exe\u{2066}x\u{2069}終"

/// The raw characters of the attack; none may be left in anything written or shown.
let redTeamRawScalars: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{9B}", "\u{202E}", "\u{2066}", "\u{2069}"]

func redTeamRaw(in s: String) -> [String] {
    redTeamRawScalars.filter { u in s.unicodeScalars.contains(u) }.map { String(format: "U+%04X", $0.value) }
}

/// 123456789012 as the red team wrote it.
let redTeamMyNumbers = ["1234.5678.9012", "1234 5678 9012", "1234_5678_9012", "一二三四五六七八九〇一二",
                        "１２３４－５６７８－９０１２", "1234/5678/9012"]

/// The text with digits of any form made ASCII and every separator-like character dropped, so
/// that `123456789012` is found however it was written.
func redTeamSqueezed(_ s: String) -> String {
    let kanji: [Character: Character] = ["〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                                         "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"]
    var out = ""
    for c in s {
        if let d = kanji[c] { out.append(d); continue }
        if let u = c.unicodeScalars.first, (0xFF10...0xFF19).contains(u.value) {
            out.append(Character(Unicode.Scalar(u.value - 0xFF10 + 0x30)!)); continue
        }
        if " 　.．_＿/／-－‐−–ー".contains(c) { continue }
        out.append(c)
    }
    return out
}

func redTeamHoldsTheNumber(_ s: String) -> Bool { redTeamSqueezed(s).contains("123456789012") }

/// Every string of every journal line (read as JSON).
func redTeamJournalStrings(_ env: BatchEnv) -> [String] {
    func strings(_ v: Any) -> [String] {
        switch v {
        case let s as String: return [s]
        case let a as [Any]: return a.flatMap(strings)
        case let o as [String: Any]: return o.flatMap { [$0.key] + strings($0.value) }
        default: return []
        }
    }
    return env.journalBytes().split(separator: 0x0A).flatMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line))).map(strings) ?? ["<not JSON>"]
    }
}

/// A UTF-8 result file (C1 controls have no CP932 form): header, then rows.
func redTeamUTF8ResultFile(_ rows: [[String]]) -> Data {
    let header = RegistrationFile.columnNames + ["処理結果区分", "処理結果メッセージ"]
    return Data(([header] + rows).map { $0.joined(separator: ",") + "\r\n" }.joined().utf8)
}

/// An office reading UTF-8 server files, with `n` exported cases and the rows of its export.
func redTeamExported(_ label: String = #function, count n: Int) throws -> (BatchEnv, [CaseRecord], [[String]]) {
    var interchange = InterchangeConfig.default
    interchange.encoding = .utf8
    let env = try batchEnv(label, interchange: interchange)
    var cases: [CaseRecord] = []
    for i in 0..<n {
        cases.append(try batchReceive(env, batchApplication(name: "山田\u{3000}太郎", recipient: batchRecipient("10000\(i + 1)"),
                                                            server: "100000000000000\(i + 1)")))
    }
    let export = try batchExport(env)
    let rows = try String(contentsOfFile: try #require(export.file), encoding: .utf8)
        .split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    return (env, cases, rows)
}

/// The pending list as a supervisor exports it (UTF-8 CSV), as text.
func redTeamPendingCSV(_ env: BatchEnv, today: LocalDate = batchDate(2026, 12, 1)) throws -> String {
    let list = Pending.list(env.store.book, today: today, filter: redTeamAllCases)
    return String(decoding: try Pending.csv(list, encoding: .utf8), as: UTF8.self)
}

/// Every case, ended ones too.
let redTeamAllCases: PendingFilter = { var f = PendingFilter(); f.includeEnded = true; return f }()

let redTeamForm: FormDefinition = try! FormLoader.load(from: noticeRoot.appendingPathComponent("screens/intake.toml"))

@Suite("Red team: untrusted text stays data (R-FL-5, R-ID-4)", .tags(.unit))
struct RedTeamTextTests {

    // MARK: R-FL-5 control characters from a file

    @Test("R-FL-5 a result file's message with ESC [2J, OSC 52, C1 and bidi overrides is kept escaped (U+001B visible): not raw in the journal, the report, the reminders or the CSV")
    func resultMessageEscapesAreKeptVisible() throws {
        let (env, cases, rows) = try redTeamExported(count: 1)
        let url = try env.inbox("result.csv", redTeamUTF8ResultFile([rows[0] + ["2", "登録できません" + redTeamEscapes]]))
        let report = try env.store.importResults(url, office: env.office, registeredOn: batchDate(2026, 12, 1), allowBadRows: false,
                                                 operatorID: "yamada", now: batchJST(2026, 12, 1, 10))
        #expect(report.outcome == .applied, "\(report.summaryLines)")
        let c = try #require(env.store.book[cases[0].number])
        #expect(c.status == .registrationFailed)
        let message = try #require(c.lifecycle.failureMessage)
        #expect(redTeamRaw(in: message).isEmpty, "stored raw: \(redTeamRaw(in: message))")
        // Stored escaped: every character still there to read, none of them obeyed.
        #expect(message.contains("<U+001B>[2J") && message.contains("<U+0007>") && message.contains("<U+009B>")
                && message.contains("<U+202E>txt.exe"), "\(message)")
        for s in redTeamJournalStrings(env) { #expect(redTeamRaw(in: s).isEmpty, "journal: \(s.debugDescription)") }
        for line in report.summaryLines { #expect(redTeamRaw(in: line).isEmpty, "report: \(line.debugDescription)") }
        for r in Reminders.due(in: env.store.book, today: batchDate(2026, 12, 2)) {
            #expect(redTeamRaw(in: r.message).isEmpty, "reminder: \(r.message.debugDescription)")
        }
        let csv = try redTeamPendingCSV(env)
        #expect(csv.contains("<U+001B>[2J"), "\(csv)")
        #expect(redTeamRaw(in: csv).isEmpty, "CSV: \(csv.debugDescription)")
    }

    @Test("R-FL-5 a status file's bad value with escapes is named in the refusal with the escapes shown, not raw")
    func statusFileProblemQuotesNoRawControl() throws {
        var interchange = InterchangeConfig.default
        interchange.encoding = .utf8
        let env = try batchEnv(interchange: interchange)
        let header = ["保険者番号", "被保険者証記号", "被保険者証番号", "被保険者証枝番", "被保険者枝番",
                      "初回登録状態", "初回登録日", "初回登録解除日", "初回登録解除区分", "電子証明書有効期限"]
        let row = batchStatusRow(server: "1000000000000001", state: "\u{1B}[2J\u{9B}1", kind: "\u{202E}1")
        let url = try env.inbox("status.csv", Data(([header, row]).map { $0.joined(separator: ",") + "\r\n" }.joined().utf8))
        let report = try env.store.importStatus(url, office: env.office, allowBadRows: false, operatorID: "yamada", now: batchJST(2026, 12, 10))
        #expect(report.outcome == .refused)
        #expect(report.problems.contains { $0.contains("<U+001B>[2J") }, "\(report.problems)")
        for line in report.summaryLines { #expect(redTeamRaw(in: line).isEmpty, "\(line.debugDescription)") }
    }

    @Test("R-FL-5 text already in an old journal (written before the rule) reaches no CSV, printed list or notice raw")
    func oldJournalTextIsNeutralisedOnTheWayOut() throws {
        let (env, cases, _) = try redTeamExported(count: 2)
        // As a journal written before R-FL-5 holds them: recorded without the import's escaping.
        try env.store.record(.registrationFailed(message: redTeamEscapes, file: "x.csv"), on: cases[0].number,
                             operatorID: "yamada", now: batchJST(2026, 12, 1, 10))
        try env.store.record(.registrationAccepted(registeredOn: batchDate(2026, 12, 1), file: nil), on: cases[1].number,
                             operatorID: "yamada", now: batchJST(2026, 12, 1, 10))
        // The clerk's typing is refused today (R-FL-5 for typed text), so the line is written as is.
        try env.store.commit(operatorID: "yamada", now: batchJST(2026, 12, 2, 10)) { _ in
            ([], [try CaseLifecycle.draft(.cancelledByServer(noticeDate: batchDate(2026, 12, 2), action: "本人に連絡" + redTeamEscapes + " 1234.5678.9012"),
                                          caseNumber: cases[1].number, operatorID: "yamada", time: batchJST(2026, 12, 2, 10))], ())
        }
        let csv = try redTeamPendingCSV(env, today: batchDate(2026, 12, 3))
        #expect(csv.contains("<U+001B>"), "\(csv)")
        #expect(redTeamRaw(in: csv).isEmpty, "CSV: \(csv.debugDescription)")
        let list = Pending.list(env.store.book, today: batchDate(2026, 12, 3), filter: redTeamAllCases)
        let printed = PendingPrint.text(list, office: env.office, filter: redTeamAllCases, sort: .number,
                                        descending: false, printedBy: Operator(id: "yamada", name: "山田", role: .clerk))
        #expect(redTeamRaw(in: printed).isEmpty, "printed list: \(printed.debugDescription)")
        let notice = try noticeRenderer().render(.cancel, for: try #require(env.store.book[cases[1].number]), office: env.office,
                                                 clerk: Operator(id: "yamada", name: "山田", role: .clerk), today: batchDate(2026, 12, 3))
        #expect(notice.contains("本人に連絡<U+001B>"), "\(notice)")
        #expect(redTeamRaw(in: notice).isEmpty, "notice: \(notice.debugDescription)")
        // R-ID-4 too: a number an old journal holds is masked on the notice.
        #expect(!redTeamHoldsTheNumber(notice) && notice.contains("****.****.****"), "\(notice)")
    }

    // MARK: CSV formula injection (OWASP)

    @Test("CSV injection: a pending-list cell starting with = + - @ TAB or CR gets a leading ' and is quoted; the server's registration file is left as it is")
    func formulaCellsAreNeutralised() throws {
        let env = try batchEnv()
        let names = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"]
        for (i, name) in names.enumerated() {
            // As an old journal (or a hand-written line) might hold them: the intake refuses these names.
            _ = try batchReceive(env, batchApplication(name: name, recipient: batchRecipient("20000\(i + 1)"),
                                                       server: "200000000000000\(i + 1)"))
        }
        let csv = try redTeamPendingCSV(env)
        let expected = ["\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", "\"'+1+2\"", "\"'-3+4\"", "\"'@SUM(A1)\"", "\"' TAB\"", "\"' CR\""]
        for cell in expected { #expect(csv.contains("," + cell + ","), "\(cell) not in\n\(csv)") }
        // No cell of any row starts as a formula (after the separator or the line start, quoted or not).
        let re = try NSRegularExpression(pattern: "(^|,)\"?[=+\\-@\\t\\r]", options: [.anchorsMatchLines])
        let lines = csv.components(separatedBy: "\r\n")
        for line in lines where !line.isEmpty {
            #expect(re.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) == nil, "\(line.debugDescription)")
        }
        // The registration file's layout is fixed (IF_HIM_22019): written as given, never with a `'`.
        let plain = String(decoding: try CSVWriter.encode([["-1", "=A"]], encoding: .utf8, lineEnding: .crlf), as: UTF8.self)
        #expect(plain == "-1,=A\r\n")
    }

    // MARK: R-ID-4 the detector

    @Test("R-ID-4 the detector finds 123456789012 however it is written", arguments: redTeamMyNumbers + [
        "１２３４５６７８９０１２", "1234ー5678ー9012", "1234−5678−9012", "1234‐5678‐9012", "1234–5678–9012",
        "1234　5678　9012", "１２３４．５６７８．９０１２", "１２３４／５６７８／９０１２", "１２３４＿５６７８＿９０１２",
        "一二三四 五六七八 九〇一二", "一二三四-五六七八-九零一二", "1 2 3 4 5 6 7 8 9 0 1 2", "1234 - 5678 - 9012", "1234    5678    9012",
        "12-3456-7890-12", "1234\u{200B}5678\u{200B}9012", "番号は1234.5678.9012です", "ｺｼﾞﾝﾊﾞﾝｺﾞｳ１２３４ ５６７８ ９０１２",
    ])
    func detectorFindsEveryForm(_ s: String) {
        #expect(TextNormalizer.containsMyNumberLike(s))
        let masked = TextNormalizer.maskingMyNumberLike(s)
        #expect(!redTeamHoldsTheNumber(masked), "\(masked)")
        #expect(!TextNormalizer.containsMyNumberLike(masked), "\(masked)")
    }

    // MARK: R-ID-4 typed: refused naming the field, never echoed

    @Test("R-ID-4 typed: every variant is refused in the reason, the ticket's institution, the correction reason and the record-notice text, naming the field, never echoing the number", arguments: redTeamMyNumbers)
    func typedVariantsAreRefused(_ n: String) throws {
        func refusal(_ body: () throws -> Any) -> FieldProblem? {
            do { _ = try body(); return nil } catch let p as FieldProblem { return p } catch { return nil }
        }
        let d = batchDate(2026, 12, 1)
        // 取下げの理由 (withdraw --reason), 取消後の対応 (record-notice --action), 直したこと, 転出先.
        let typed: [(String, LifecycleEvent)] = [
            ("reason", .withdrawn(reason: "本人の申し出 " + n, on: d)),
            ("action", .cancelledByServer(noticeDate: d, action: n + " に連絡")),
            ("note", .requeued(note: n)),
            ("office", .transferredOut(office: n, on: d)),
        ]
        for (field, event) in typed {
            let p = refusal { try CaseLifecycle.checkTyped(event) }
            #expect(p?.field == field, "\(field) = \(n): \(String(describing: p))")
            #expect(p.map { !redTeamHoldsTheNumber($0.description) } == true, "echoed: \(String(describing: p))")
        }
        // The ticket's institution (madoguchi tickets, the desk's ticket form).
        let env = try batchEnv()
        let c = try batchReceive(env, batchApplication())
        let (ticket, problems) = LaterTickets.check(TicketDraft(kind: "medical", institution: n + "病院", month: "2026-12"), on: c,
                                                    context: ValidationContext(today: d, defaultEra: .reiwa))
        #expect(ticket == nil && problems.contains { $0.message.contains("R-ID-4") }, "\(n): \(problems)")
        #expect(!problems.contains { redTeamHoldsTheNumber($0.description) })
        // 訂正の理由.
        var request = CorrectionRequest.start(c, form: redTeamForm)
        try Correction.set(IntakeFieldID.name, "山田\u{3000}大郎", in: &request.values, form: redTeamForm)
        request.reason = "本人の申し出（" + n + "）"
        let p = refusal { try Correction.plan(c, request, form: redTeamForm, context: ValidationContext(today: d, defaultEra: .reiwa)) }
        #expect(p?.field == "correction_reason", "\(n): \(String(describing: p))")
        // And a free-text field of the intake form (解除を希望する理由).
        #expect(Validators.named("text")!.validate(n, ValidationContext(today: d)) == .failure(ValueError(Validators.myNumberMessage)))
        #expect(Validators.named("address")!.validate("霞が関" + n, ValidationContext(today: d)) == .failure(ValueError(Validators.myNumberMessage)))
        #expect(Validators.named("institution")!.validate(n + "薬局", ValidationContext(today: d)) == .failure(ValueError(Validators.myNumberMessage)))
    }

    // MARK: R-ID-4 imported: masked before anything is kept

    @Test("R-ID-4 imported: every variant in a result message is masked before the journal; absent from the journal, the reminders, the CSV and the printed list")
    func importedVariantsAreMasked() throws {
        let (env, cases, rows) = try redTeamExported(count: redTeamMyNumbers.count)
        let url = try env.inbox("result_1234.5678.9012.csv", redTeamUTF8ResultFile(rows.indices.map { i in
            rows[i] + ["2", "個人番号 \(redTeamMyNumbers[i]) の紐付けに誤りがあります"]
        }))
        let report = try env.store.importResults(url, office: env.office, registeredOn: batchDate(2026, 12, 1), allowBadRows: false,
                                                 operatorID: "yamada", now: batchJST(2026, 12, 1, 10))
        #expect(report.changes.count == redTeamMyNumbers.count, "\(report.summaryLines)")
        for c in cases {
            let m = try #require(env.store.book[c.number]?.lifecycle.failureMessage)
            #expect(m.hasPrefix("個人番号 ") && m.hasSuffix(" の紐付けに誤りがあります") && m.contains("*"), "\(m)")
        }
        let everything = redTeamJournalStrings(env) + report.summaryLines
            + Reminders.due(in: env.store.book, today: batchDate(2026, 12, 2)).map(\.message) + [try redTeamPendingCSV(env)]
            + [PendingPrint.text(Pending.list(env.store.book, today: batchDate(2026, 12, 2), filter: redTeamAllCases), office: env.office,
                                 filter: redTeamAllCases, sort: .number, descending: false,
                                 printedBy: Operator(id: "yamada", name: "山田", role: .clerk))]
        for s in everything { #expect(!redTeamHoldsTheNumber(s), "\(s)") }
    }
}
