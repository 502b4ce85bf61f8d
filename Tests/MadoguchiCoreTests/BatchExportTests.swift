import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers shared by the Batch*Tests files (prefixed `batch`)

/// The demo office's numbers (config/demo/office.toml).
let batchPayer = "12130019"
let batchServerCode = "D1300019"

/// An office whose data directory is a fresh temporary folder, so journal and files land there.
struct BatchEnv {
    let root: URL
    let office: OfficeConfig
    let store: CaseStore

    var exportDirectory: URL { office.exportDirectory }
    var journalURL: URL { office.journalURL }

    func journalBytes() -> Data { (try? Data(contentsOf: journalURL)) ?? Data() }

    func exportListing() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: exportDirectory.path)) ?? []).sorted()
    }

    /// Writes bytes to an inbox folder (apart from the export folder) and returns the URL.
    func inbox(_ name: String, _ data: Data) throws -> URL {
        let dir = root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }
}

func batchEnv(_ label: String = #function, interchange: InterchangeConfig = .default) throws -> BatchEnv {
    let clean = label.filter { $0.isLetter || $0.isNumber }
    let root = FileManager.default.temporaryDirectory
        .appendingPathComponent("madoguchi-batch-tests")
        .appendingPathComponent("\(clean)-\(UUID().uuidString)")
    let data = root.appendingPathComponent("data")
    let office = OfficeConfig(officeName: "デモ市福祉事務所", publicPayerNumber: batchPayer, serverCode: batchServerCode,
                              mode: .training, dataDirectory: data,
                              operators: [Operator(id: "yamada", name: "山田 花子", role: .clerk)],
                              interchange: interchange, source: root.appendingPathComponent("office.toml"))
    let store = CaseStore(journalURL: office.journalURL)
    try store.load()
    return BatchEnv(root: root, office: office, store: store)
}

/// An instant given as Japan time (UTC+9), independent of the machine's zone.
func batchJST(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 10, _ minute: Int = 0) -> Date {
    let days = LocalDate(year: year, month: month, day: day)!.dayNumber
    return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + (hour - 9) * 3600 + minute * 60))
}

func batchDate(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

/// A recipient number with a valid check digit.
func batchRecipient(_ base: String) -> String { base + String(CheckDigit.compute(base)!) }

func batchApplication(name: String = "山田\u{3000}太郎", recipient: String = batchRecipient("123456"),
                      server: String? = "1234567890123456", branch: Branch = .assistanceOnly,
                      transferredFrom: String? = nil) -> Application {
    var a = Application(
        applicant: Application.Person(
            furigana: "ヤマダ\u{3000}タロウ", name: name, birthDate: LocalDate(year: 1970, month: 1, day: 2),
            postalCode: "1234567", prefecture: "東京都", municipality: "千代田区", address: "霞が関１－２－２",
            phone: "03-1234-5678", email: ""),
        recipientNumber: recipient,
        serverIndividualNumber: server,
        proxy: nil,
        requestTicked: true, signedFormReceived: true, reason: "",
        applicationDate: LocalDate(year: 2026, month: 11, day: 24)!,
        branch: branch,
        insurance: branch == .insured
            ? Application.Insurance(insurerName: "全国健康保険協会", insurerNumber: "06130012",
                                    appliedToInsurer: .applied, verifiedBy: .eligibilityCertificate)
            : nil,
        holdsValidTickets: false,
        explained: branch == .insured ? ["a", "b", "c", "d", "e", "f", "g"] : ["a", "b", "c", "d", "e", "f"])
    a.transferredFrom = transferredFrom
    return a
}

@discardableResult
func batchReceive(_ env: BatchEnv, _ app: Application, at now: Date = batchJST(2026, 11, 24)) throws -> CaseRecord {
    try env.store.receive(app, ticketsIssuedNow: [], operatorID: "yamada", now: now)
}

func batchCP932(_ s: String) -> Data { s.data(using: .shiftJIS, allowLossyConversion: false)! }

/// The exported file's rows, read back independently of the exporter (CP932, CRLF, no header).
func batchRows(ofExport path: String) throws -> [[String]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let text = try #require(String(data: data, encoding: .shiftJIS))
    #expect(text.hasSuffix("\r\n"))
    return text.components(separatedBy: "\r\n").dropLast().map { $0.components(separatedBy: ",") }
}

/// A result file (R-FL-1 default layout) as the server would send it: header row, the six columns
/// and 処理結果区分 + 処理結果メッセージ, CP932 CRLF.
func batchResultFile(_ rows: [[String]]) -> Data {
    let header = RegistrationFile.columnNames + ["処理結果区分", "処理結果メッセージ"]
    return batchCP932(([header] + rows).map { $0.joined(separator: ",") + "\r\n" }.joined())
}

/// One status-file row (R-FL-2 default layout, ten columns) for a person of the demo office.
func batchStatusRow(server: String, recipient: String = "", state: String, registeredOn: String = "",
                    cancelledOn: String = "", kind: String = "", expiry: String = "") -> [String] {
    [batchPayer, "", recipient, "", server, state, registeredOn, cancelledOn, kind, expiry]
}

func batchStatusFile(_ rows: [[String]]) -> Data {
    let header = ["保険者番号", "被保険者証記号", "被保険者証番号", "被保険者証枝番", "被保険者枝番",
                  "初回登録状態", "初回登録日", "初回登録解除日", "初回登録解除区分", "電子証明書有効期限"]
    return batchCP932(([header] + rows).map { $0.joined(separator: ",") + "\r\n" }.joined())
}

/// Export as the office does it (issue 4 maker-checker): a clerk prepares, a supervisor approves,
/// then the approved batch is written. A dry run needs no approval. Nothing ready → an empty result.
func batchExport(_ env: BatchEnv, at now: Date = batchJST(2026, 11, 25), dryRun: Bool = false) throws -> RegistrationExportResult {
    if !dryRun {
        do {
            let b = try env.store.prepareBatch(office: env.office, by: Operator(id: "yamada", name: "山田", role: .clerk), now: now)
            try env.store.decideBatch(b.id, approve: true, comment: "", by: Operator(id: "sato", name: "佐藤", role: .supervisor), now: now)
        } catch SignOffError.nothingToSend {
            return RegistrationExportResult(file: nil, included: [], refused: RegistrationExport.plan(env.store.book, office: env.office).refused, dryRun: false)
        }
    }
    return try env.store.exportRegistrations(office: env.office, directory: env.exportDirectory, operatorID: "yamada",
                                             now: now, dryRun: dryRun)
}

func batchJournalLines(_ env: BatchEnv) -> [String] {
    String(decoding: env.journalBytes(), as: UTF8.self).split(separator: "\n").map(String.init)
}

// MARK: - Export

@Suite("Batch: bulk registration export (R-RG-1..3, R-RG-7, R-BR-3)", .tags(.unit))
struct BatchExportTests {

    @Test("R-RG-1 R-BR-2 R-BR-3 only assistance-only cases awaiting registration go in; insured, transferred-in and ended never")
    func rRG1_onlyAssistanceOnlyAwaiting() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(name: "一\u{3000}太郎", recipient: batchRecipient("100001"), server: "1000000000000001"))
        let insured = try batchReceive(env, batchApplication(name: "二\u{3000}次郎", recipient: batchRecipient("100002"),
                                                             server: "1000000000000002", branch: .insured))
        let c = try batchReceive(env, batchApplication(name: "三\u{3000}三郎", recipient: batchRecipient("100003"), server: "1000000000000003"))
        let withdrawn = try batchReceive(env, batchApplication(name: "四\u{3000}四郎", recipient: batchRecipient("100004"), server: "1000000000000004"))
        try env.store.record(.withdrawn(reason: "本人の希望", on: batchDate(2026, 11, 24)), on: withdrawn.number,
                             operatorID: "yamada", now: batchJST(2026, 11, 24, 11))
        let transferred = try batchReceive(env, batchApplication(name: "五\u{3000}五郎", recipient: batchRecipient("100005"),
                                                                 server: "1000000000000005", transferredFrom: "隣市福祉事務所"))
        #expect(insured.status == .waitingForInsurer)
        #expect(transferred.status == .transferredIn)

        let result = try batchExport(env)
        #expect(result.included == [a.number, c.number])
        #expect(result.refused.isEmpty)
        #expect(!result.dryRun)
        let file = try #require(result.file)
        let rows = try batchRows(ofExport: file)
        #expect(rows.map { $0[1] } == ["1000000000000001", "1000000000000003"])
        #expect(env.store.book[insured.number]?.status == .waitingForInsurer)
        #expect(env.store.book[transferred.number]?.status == .transferredIn)
        #expect(env.store.book[withdrawn.number]?.status == .withdrawn)
        #expect(env.store.book[a.number]?.status == .exported)
        #expect(env.store.book[c.number]?.status == .exported)
    }

    @Test("R-RG-3 a case without 被保険者枝番 is refused with the reason, left out, and goes in once the number is entered")
    func rRG3_missingServerNumberRefused() throws {
        let env = try batchEnv()
        let ok = try batchReceive(env, batchApplication(name: "一\u{3000}太郎", recipient: batchRecipient("100001"), server: "1000000000000001"))
        let missing = try batchReceive(env, batchApplication(name: "枝番\u{3000}なし", recipient: batchRecipient("100002"), server: nil))

        let first = try batchExport(env)
        #expect(first.included == [ok.number])
        #expect(first.refused.count == 1)
        let refusal = try #require(first.refused.first)
        #expect(refusal.caseNumber == missing.number)
        #expect(refusal.name == "枝番\u{3000}なし")
        #expect(refusal.reasons.contains { $0.contains("被保険者枝番") && $0.contains("R-RG-2") })
        #expect(first.summaryLines.contains { $0.contains("除外 \(missing.number)") && $0.contains("被保険者枝番") })
        #expect(env.store.book[missing.number]?.status == .awaitingRegistration)
        #expect(try batchRows(ofExport: try #require(first.file)).count == 1)
        // The refused case is not recorded in the file event either.
        #expect(env.store.book.fileEvents.last?.payload.cases == [ok.number])

        try env.store.record(.serverNumberSet("2000000000000002"), on: missing.number, operatorID: "yamada", now: batchJST(2026, 11, 25, 11))
        let second = try batchExport(env, at: batchJST(2026, 11, 25, 12))
        #expect(second.included == [missing.number])
        #expect(second.refused.isEmpty)
        #expect(try batchRows(ofExport: try #require(second.file)).map { $0[1] } == ["2000000000000002"])
    }

    @Test("R-RG-3 a field that fails validation (a 受給者番号 over 20 characters) refuses that case only, naming the column")
    func rRG3_invalidFieldRefused() throws {
        let env = try batchEnv()
        let bad = try batchReceive(env, batchApplication(name: "長い\u{3000}番号", recipient: String(repeating: "1", count: 21), server: "1000000000000009"))
        let ok = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let result = try batchExport(env)
        #expect(result.included == [ok.number])
        #expect(result.refused.map(\.caseNumber) == [bad.number])
        #expect(result.refused.first?.reasons.contains { $0.contains("被保険者証番号") } == true)
        #expect(env.store.book[bad.number]?.status == .awaitingRegistration)
    }

    @Test("R-RG-3 R-PC-1 two cases of the same person (same match key): the second is refused")
    func rRG3_samePersonTwiceRefused() throws {
        let env = try batchEnv()
        let first = try batchReceive(env, batchApplication(name: "同じ\u{3000}人", recipient: batchRecipient("100001"), server: "1000000000000001"))
        let other = try batchReceive(env, batchApplication(name: "別の\u{3000}人", recipient: batchRecipient("100002"), server: "1000000000000002"))
        let second = try batchReceive(env, batchApplication(name: "同じ\u{3000}人", recipient: batchRecipient("100001"), server: "1000000000000001"))
        let result = try batchExport(env)
        #expect(result.included == [first.number, other.number])
        #expect(result.refused.map(\.caseNumber) == [second.number])
        #expect(result.refused.first?.reasons.contains { $0.contains(first.number) && $0.contains("1000000000000001") } == true)
        #expect(env.store.book[second.number]?.status == .awaitingRegistration)
        #expect(try batchRows(ofExport: try #require(result.file)).map { $0[1] } == ["1000000000000001", "1000000000000002"])
    }

    @Test("R-RG-3 R-PC-1 a person whose request is already with the server (an earlier file) is refused in a later file")
    func rRG3_samePersonAcrossFilesRefused() throws {
        let env = try batchEnv()
        let first = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        #expect(try batchExport(env).included == [first.number])
        let second = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"),
                                      at: batchJST(2026, 11, 26))
        let journal = env.journalBytes()
        let result = try batchExport(env, at: batchJST(2026, 11, 26, 11))
        #expect(result.included.isEmpty)
        #expect(result.file == nil)
        #expect(result.refused.map(\.caseNumber) == [second.number])
        #expect(result.refused.first?.reasons.contains { $0.contains(first.number) } == true)
        #expect(env.journalBytes() == journal)
    }

    @Test("R-RG-2 R-RG-7 file name FI_HIM_0018_<code>_<yyyymmdd>.csv by the Japan date, _2 for a second file the same day")
    func rRG2_fileNames() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        // 2026-12-01 00:30 in Japan is still 2026-11-30 in UTC: the Japan date names the file.
        let first = try batchExport(env, at: batchJST(2026, 12, 1, 0, 30))
        #expect(first.file == env.exportDirectory.appendingPathComponent("FI_HIM_0018_D1300019_20261201.csv").path)

        // A second file the same day (R-RG-7: any day, as often as needed).
        try env.store.record(.registrationFailed(message: "エラー", file: nil), on: a.number, operatorID: "yamada", now: batchJST(2026, 12, 1, 9))
        try env.store.record(.requeued(note: "直した"), on: a.number, operatorID: "yamada", now: batchJST(2026, 12, 1, 9, 5))
        let second = try batchExport(env, at: batchJST(2026, 12, 1, 15))
        #expect(second.file == env.exportDirectory.appendingPathComponent("FI_HIM_0018_D1300019_20261201_2.csv").path)
        #expect(env.store.book[a.number]?.lifecycle.exportFile == "FI_HIM_0018_D1300019_20261201_2.csv")
        #expect(env.exportListing() == ["FI_HIM_0018_D1300019_20261201.csv", "FI_HIM_0018_D1300019_20261201_2.csv"])
    }

    @Test("R-RG-2 R-RG-3 bytes are the expected CP932 CRLF CSV; mode 0600; no temp file; cases exported and the file journaled in one write")
    func rRG2_bytesModeAndJournal() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(name: "一\u{3000}太郎", recipient: "1234566", server: "1234567890123456"))
        let b = try batchReceive(env, batchApplication(name: "二\u{3000}花子", recipient: "7654321", server: "6543210987654321"))
        let linesBefore = batchJournalLines(env).count

        let result = try batchExport(env)
        let path = try #require(result.file)
        let name = "FI_HIM_0018_D1300019_20261125.csv"
        #expect(path == env.exportDirectory.appendingPathComponent(name).path)
        // By hand: 保険者コード, 被保険者枝番, 保険者番号, 記号 (empty), 番号 = 受給者番号, 枝番 (empty); CRLF after each row.
        let expected: [UInt8] = Array("D1300019,1234567890123456,12130019,,1234566,\r\nD1300019,6543210987654321,12130019,,7654321,\r\n".utf8)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(bytes) == expected)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(env.exportListing() == [name])   // no `.…tmp-…` left behind

        for n in [a.number, b.number] {
            let c = try #require(env.store.book[n])
            #expect(c.status == .exported)
            #expect(c.lifecycle.exportFile == name)
        }
        // The sign-off (prepared by yamada, approved by sato: issue 4), then one write: the two moves
        // and the file record, same time, nothing else.
        let lines = batchJournalLines(env)
        #expect(lines.count == linesBefore + 2 + 3)
        let records = try env.store.journal.load().records
        #expect(records.dropLast(3).suffix(2).map(\.eventType) == [.batchPrepared, .batchApproved])
        let last3 = Array(records.suffix(3))
        #expect(last3.map(\.eventType) == [.registrationExported, .registrationExported, .fileRecorded])
        #expect(last3.map(\.caseNumber) == [a.number, b.number, "-"])
        #expect(Set(last3.map(\.time)).count == 1)
        let event = try #require(env.store.book.fileEvents.last)
        #expect(event.payload.kind == .registrationExport)
        #expect(event.payload.fileName == name)
        #expect(event.payload.sha256 == RegistrationExport.sha256(bytes))
        #expect(event.payload.sha256.count == 64)
        #expect(event.payload.cases == [a.number, b.number])
        #expect(event.payload.rows == 2)
        #expect(event.record.operatorID == "yamada")
        #expect(Journal.verify(url: env.journalURL).ok)
    }

    @Test("R-RG-2 UTF-8 with LF and a header row, when the config says so")
    func rRG2_utf8LFHeaderVariant() throws {
        var ix = InterchangeConfig()
        ix.encoding = .utf8
        ix.lineEnding = .lf
        ix.exportHeader = true
        let env = try batchEnv(interchange: ix)
        try batchReceive(env, batchApplication(recipient: "1234566", server: "1234567890123456"))
        let result = try batchExport(env)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try #require(result.file)))
        let expected = "保険者コード,被保険者枝番,保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番\n"
            + "D1300019,1234567890123456,12130019,,1234566,\n"
        #expect(bytes == Data(expected.utf8))

        // The same with CP932 + CRLF: the header in Shift_JIS bytes.
        var sj = ix
        sj.encoding = .cp932
        sj.lineEnding = .crlf
        let env2 = try batchEnv(interchange: sj)
        try batchReceive(env2, batchApplication(recipient: "1234566", server: "1234567890123456"))
        let bytes2 = try Data(contentsOf: URL(fileURLWithPath: try #require(try batchExport(env2).file)))
        #expect(bytes2 == batchCP932(expected.replacingOccurrences(of: "\n", with: "\r\n")))
        #expect(Array(bytes2.prefix(4)) == [0x95, 0xDB, 0x8C, 0xAF])   // 保険 in CP932
    }

    @Test("R-RG-3 R-RG-5 never exported twice: a second export includes nothing until registrationFailed → requeued")
    func rRG3_neverTwiceUntilRequeued() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let b = try batchReceive(env, batchApplication(recipient: batchRecipient("100002"), server: "1000000000000002"))
        let first = try batchExport(env)
        #expect(first.included == [a.number, b.number])

        let journal = env.journalBytes()
        let listing = env.exportListing()
        let again = try batchExport(env, at: batchJST(2026, 11, 25, 14))
        #expect(again.included.isEmpty)
        #expect(again.file == nil)
        #expect(env.journalBytes() == journal)
        #expect(env.exportListing() == listing)

        // A 異常終了 alone does not put it back; the clerk's requeue does.
        try env.store.record(.registrationFailed(message: "被保険者枝番誤り", file: nil), on: a.number, operatorID: "yamada", now: batchJST(2026, 11, 26))
        #expect(try batchExport(env, at: batchJST(2026, 11, 26, 11)).included.isEmpty)
        try env.store.record(.requeued(note: "枝番を確認した"), on: a.number, operatorID: "yamada", now: batchJST(2026, 11, 26, 12))
        #expect(env.store.book[a.number]?.status == .awaitingRegistration)
        #expect(env.store.book[a.number]?.lifecycle.exportFile == nil)
        let third = try batchExport(env, at: batchJST(2026, 11, 26, 13))
        #expect(third.included == [a.number])
        #expect(try batchRows(ofExport: try #require(third.file)).map { $0[1] } == ["1000000000000001"])
        #expect(env.store.book[b.number]?.status == .exported)
        #expect(env.store.book.fileEvents.map(\.payload.cases) == [[a.number, b.number], [a.number]])
    }

    @Test("R-RG-3 a dry run writes nothing: journal and folder unchanged, the plan is shown")
    func rRG3_dryRunWritesNothing() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let missing = try batchReceive(env, batchApplication(recipient: batchRecipient("100002"), server: nil))
        let journal = env.journalBytes()
        let result = try batchExport(env, dryRun: true)
        #expect(result.dryRun)
        #expect(result.file == nil)
        #expect(result.included == [a.number])
        #expect(result.refused.map(\.caseNumber) == [missing.number])
        #expect(env.journalBytes() == journal)
        #expect(!FileManager.default.fileExists(atPath: env.exportDirectory.path) || env.exportListing().isEmpty)
        #expect(env.store.book[a.number]?.status == .awaitingRegistration)
        #expect(env.store.book.fileEvents.isEmpty)
    }

    @Test("R-RG-3 nothing ready: no file and no journal line")
    func rRG3_nothingReady() throws {
        let env = try batchEnv()
        try batchReceive(env, batchApplication(server: "1000000000000001", branch: .insured))
        let noNumber = try batchReceive(env, batchApplication(recipient: batchRecipient("100002"), server: nil))
        let journal = env.journalBytes()
        let result = try batchExport(env)
        #expect(result.file == nil)
        #expect(result.included.isEmpty)
        #expect(result.refused.map(\.caseNumber) == [noNumber.number])
        #expect(result.summaryLines.first?.contains("ありません") == true)
        #expect(env.journalBytes() == journal)
        #expect(env.exportListing().isEmpty)
        #expect(env.store.book.fileEvents.isEmpty)
    }

    @Test("office-level records (case `-`) replay: fileEvents filled, `all` and numbering ignore `-`")
    func officeLevelRecordsReplay() throws {
        let env = try batchEnv()
        try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        try batchReceive(env, batchApplication(recipient: batchRecipient("100002"), server: "1000000000000002"))
        _ = try batchExport(env)

        let fresh = CaseStore(journalURL: env.journalURL)
        try fresh.load()
        #expect(fresh.book.fileEvents.count == 1)
        #expect(fresh.book.fileEvents.first?.payload.kind == .registrationExport)
        #expect(fresh.book.all.map(\.number) == ["2026-0001", "2026-0002"])
        #expect(!fresh.book.order.contains(FileEvent.officeCase))
        #expect(fresh.book[FileEvent.officeCase] == nil)
        #expect(fresh.book.unknownEvents.isEmpty)
        #expect(fresh.book.all.allSatisfy { $0.status == .exported })
        #expect(fresh.book.nextNumber(year: 2026) == "2026-0003")
        let next = try fresh.receive(batchApplication(recipient: batchRecipient("100003"), server: "1000000000000003"),
                                     ticketsIssuedNow: [], operatorID: "yamada", now: batchJST(2026, 11, 26))
        #expect(next.number == "2026-0003")
        // The first store catches up with the other terminal's line.
        #expect(try env.store.refresh())
        #expect(env.store.book.all.count == 3)
        #expect(env.store.book.fileEvents.count == 1)
    }
}
