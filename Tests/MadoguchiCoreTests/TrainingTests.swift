import Foundation
import Testing
@testable import MadoguchiCore

// Issue 5: training mode — the scenario book, the movable clock, the simulated 中間サーバー whose files
// the real importers read, grading, and the training/real separation.

private let trainingRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func loadBook() throws -> ScenarioBook {
    try ScenarioBook.load(directory: trainingRoot.appendingPathComponent("config/training"))
}

private func day(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

/// How a trainee handles a scenario. `expert` is the expected handling; each test of a typical mistake
/// turns one thing off.
struct Handling {
    var recordTickets = true
    var rightBranch = true
    var recordProxy = true
    var tellInsurer = true
    var resendAfterFailure = true
    var requeueAfterDuplicate = false
    var recordHolds = true
    var recordCancel = true
    var recordTransfer = true
    var monthlyTickets = true
    var certificates = true
    var notices = true
    var importStatus = true
    /// R-PT-4: paper tickets go on after a cancel #5.
    var ticketsAfterCancel = true
    /// R-CF-3: a 状態 1 row for a confirmed person is recorded as a re-registration.
    var recordReregistration = true
    /// R-RG-9: the result file's registration date is the upload's (false: the day of import).
    var registrationDateFromUpload = true
    /// R-CF-4: the insured follow-up reminder is acted on.
    var followUpInsured = true

    static let expert = Handling()
}

/// A trainee's sandbox in a temporary folder, played through the domain APIs the desk and the CLI
/// call, with the simulated server's files read back by the real importers.
final class TrainingPlay {
    let root: URL
    let office: OfficeConfig
    let sandbox: TrainingSandbox
    let book: ScenarioBook
    let server: TrainingServer
    let store: CaseStore
    let clerk = Operator(id: "yamada", name: "山田 花子", role: .clerk)
    let supervisor = Operator(id: "sato", name: "佐藤 一郎", role: .supervisor)
    private var imported: Set<String> = []

    init(_ label: String = #function, interchange: InterchangeConfig = .default) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-training-tests")
            .appendingPathComponent("\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data")
        office = OfficeConfig(officeName: "デモ市福祉事務所", publicPayerNumber: "12130019", serverCode: "D1300019",
                              mode: .training, dataDirectory: data, operators: [clerk, supervisor],
                              interchange: interchange, source: root.appendingPathComponent("office.toml"))
        try DataDirectoryMark.claim(data, for: office)
        sandbox = try TrainingSandbox(office: data, name: nil)
        book = try loadBook()
        server = TrainingServer(scenarios: book, office: office)
        store = CaseStore(journalURL: sandbox.journalURL)
        try store.load()
    }

    var today: LocalDate { (try? sandbox.clock(book: book).today()) ?? book.start }
    var now: Date { ((try? sandbox.clock(book: book)) ?? OfficeClock.system).now() }

    func advance(to d: LocalDate) throws {
        if d > today { try sandbox.moveClock(to: d, book: book, operatorID: clerk.id) }
        try server.deliver(store.book, today: today, inbox: sandbox.inbox)
    }

    func inbox(_ prefix: String) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sandbox.inbox.path)) ?? []).sorted()
            .filter { $0.hasPrefix(prefix) }.map { sandbox.inbox.appendingPathComponent($0) }
    }

    func application(_ s: TrainingScenario, _ h: Handling) -> Application {
        let p = s.person
        let branch = h.rightBranch ? p.branch : (p.branch == .insured ? .assistanceOnly : .insured)
        var insurance: Application.Insurance?
        if branch == .insured {
            let applied: Application.InsurerApplication
            if s.expectations.contains(.insurerApplied) { applied = .applied } else { applied = h.tellInsurer ? .toldToApply : .applied }
            insurance = Application.Insurance(insurerName: "デモ健康保険組合", insurerNumber: "06130017",
                                              appliedToInsurer: applied, verifiedBy: .eligibilityCertificate)
        }
        let proxy = s.expectations.contains(.proxy) && h.recordProxy
            ? Application.Proxy(name: "加藤　由美", furigana: "カトウ　ユミ", phone: "0399990000", relationship: "施設職員（生活相談員）")
            : nil
        return Application(
            applicant: Application.Person(furigana: p.furigana, name: p.name, birthDate: p.birthDate, postalCode: "1000001",
                                          prefecture: "東京都", municipality: "デモ市", address: "中央１－２－３",
                                          phone: "0312345678", email: ""),
            recipientNumber: p.recipientNumber,
            serverIndividualNumber: p.documentedServerNumber,   // from the ledger, for both branches (status file match)
            proxy: proxy, requestTicked: true, signedFormReceived: true, reason: "カードの利用に不安がある",
            applicationDate: today, branch: branch, insurance: insurance,
            holdsValidTickets: p.holdsValidTickets && h.recordTickets,
            explained: branch == .insured ? ["a", "b", "c", "d", "e", "f", "g"] : ["a", "b", "c", "d", "e", "f"])
    }

    /// Takes the application on the scenario's day (R-IN-1), with paper tickets (R-PT-1).
    @discardableResult
    func receive(_ s: TrainingScenario, _ h: Handling) throws -> CaseRecord {
        try advance(to: s.arrives)
        let app = application(s, h)
        let tickets = app.holdsValidTickets ? [PaperTicket(kind: .medical, institution: "さくら内科医院", month: today.yearMonth)] : []
        return try store.receive(app, ticketsIssuedNow: tickets, operatorID: clerk.id, now: now)
    }

    /// The maker-checker bulk registration (issue 4), then the upload to the simulated server.
    func export() throws {
        guard store.book.all.contains(where: { $0.status == .awaitingRegistration }) else { return }
        let b = try store.prepareBatch(office: office, by: clerk, now: now)
        _ = try store.decideBatch(b.id, approve: true, comment: "", by: supervisor, now: now)
        _ = try store.exportRegistrations(office: office, directory: office.exportDirectory, operatorID: clerk.id, now: now, batchID: b.id)
        try advance(to: today)
    }

    func importNewFiles(status: Bool, registrationDateFromUpload: Bool = true) throws {
        let uploads = server.timeline(store.book).uploads
        for url in inbox("result_") where !imported.contains(url.lastPathComponent) {
            // R-RG-9: the day the server accepted the upload, as the 統合専用端末 shows it.
            let upload = uploads.first { "result_\(($0.fileName as NSString).deletingPathExtension).csv" == url.lastPathComponent }
            let registeredOn = registrationDateFromUpload ? (upload?.date ?? today) : today
            _ = try store.importResults(url, office: office, registeredOn: registeredOn, allowBadRows: false, operatorID: clerk.id, now: now)
            imported.insert(url.lastPathComponent)
        }
        guard status else { return }
        for url in inbox("status_") where !imported.contains(url.lastPathComponent) {
            _ = try store.importStatus(url, office: office, allowBadRows: false, operatorID: clerk.id, now: now)
            imported.insert(url.lastPathComponent)
        }
    }

    /// What a careful clerk does on a given day for one scenario's case.
    func react(_ s: TrainingScenario, _ h: Handling) throws {
        try importNewFiles(status: h.importStatus, registrationDateFromUpload: h.registrationDateFromUpload)
        guard var c = server.scenarios.caseFor(s, in: store.book) else { return }
        // R-CF-3: the newest status file lists 状態 1 for a person already confirmed: a re-registration.
        if h.recordReregistration, c.status == .confirmed, c.lifecycle.reregisteredOn == nil, let latest = inbox("status_").last(where: { imported.contains($0.lastPathComponent) }),
           let row = try StatusFile.parse(try Data(contentsOf: latest), config: office.interchange).rows
               .first(where: { $0.serverIndividualNumber == s.person.serverIndividualNumber && $0.registered }),
           let again = row.registeredOn {
            c = try store.record(.reregistered(on: again), on: c.number, operatorID: clerk.id, now: now)
        }
        let t = server.timeline(store.book)
        // R-RG-5: the happening tells the right number; fix it and send again.
        if c.status == .registrationFailed {
            let duplicate = c.lifecycle.failureMessage?.contains("既に") == true
            if (duplicate && h.requeueAfterDuplicate) || (!duplicate && h.resendAfterFailure) {
                if !duplicate {
                    c = try store.record(.serverNumberSet(s.person.serverIndividualNumber), on: c.number, operatorID: clerk.id, now: now)
                }
                c = try store.record(.requeued(note: "台帳の被保険者枝番を直した"), on: c.number, operatorID: clerk.id, now: now)
                try export()
                try importNewFiles(status: false)
            }
        }
        // R-HC-1/2/3: お知らせ recorded on the case.
        for run in t.runs where run.person == s.person && run.date <= today {
            c = server.scenarios.caseFor(s, in: store.book)!
            switch run.outcome {
            case .held(let reason) where h.recordHolds && !c.lifecycle.holds.contains(where: { $0.noticeDate == run.date }):
                c = try store.record(.held(reason: reason, noticeDate: run.date), on: c.number, operatorID: clerk.id, now: now)
                if h.notices { try notice(.hold, c) }
            case .cancelled where h.recordCancel && c.lifecycle.cancelNotice == nil:
                c = try store.record(.cancelledByServer(noticeDate: run.date, action: "本人に伝えた（カード返納済み）"), on: c.number,
                                     operatorID: clerk.id, now: now)
                if h.notices { try notice(.cancel, c) }
            default: break
            }
        }
        // R-IN-4 f: the move is told on its day.
        c = server.scenarios.caseFor(s, in: store.book)!
        if h.recordTransfer, c.status.isOpen,
           server.happenings(of: s, in: store.book, today: today).contains(where: { $0.on != nil && $0.text.contains("引っ越") }) {
            _ = try store.record(.transferredOut(office: "みなと市福祉事務所", on: today), on: c.number, operatorID: clerk.id, now: now)
        }
        // R-PT-2, R-RL-2: the month's reminders for this case, done.
        let cancelled = c.status == .cancelledByServer
        for r in Reminders.due(in: store.book, today: today, settings: office.reminders) where r.caseNumber == c.number {
            if (r.kind == .paperTicketsMonthly && h.monthlyTickets && (h.ticketsAfterCancel || !cancelled))
                || (r.kind == .certificateExpiry && h.certificates) || (r.kind == .insuredFollowUp && h.followUpInsured) {
                _ = try store.markReminderDone(r.id, note: "交付した", operatorID: clerk.id, now: now, settings: office.reminders)
            }
        }
    }

    func notice(_ kind: NoticeKind, _ c: CaseRecord) throws {
        let renderer = NoticeRenderer(templates: try NoticeTemplates.load(directory: trainingRoot.appendingPathComponent("config/notices")))
        _ = try store.issueNotice(kind, caseNumber: c.number, office: office, clerk: clerk, renderer: renderer, pdf: false, now: now)
    }

    /// Plays one scenario through to the book's end: intake, export, results, three month-ends and
    /// their status files, reacting on each key day.
    func play(_ s: TrainingScenario, _ h: Handling = .expert, until end: LocalDate = LocalDate(year: 2027, month: 2, day: 10)!) throws {
        try receive(s, h)
        try export()
        try react(s, h)
        var days: [LocalDate] = []
        var m = today.yearMonth
        while m.firstDay <= end {
            days += [m.firstDay, m.firstDay.addingDays(2), LocalDate(year: m.year, month: m.month, day: 8)!, m.lastDay]
            m = m.adding(months: 1)
        }
        days += s.happenings.compactMap(\.on)
        for d in days.sorted() where d > today && d <= end {
            try advance(to: d)
            try react(s, h)
        }
        try advance(to: end)
        try react(s, h)
    }

    func grade() -> TrainingReport { TrainingGrader.grade(store.book, server: server, today: today, sandbox: sandbox.name) }

    func grade(_ s: TrainingScenario) -> ScenarioGrade { grade().scenarios.first { $0.scenarioID == s.id }! }
}

func describe(_ g: ScenarioGrade) -> String {
    g.points.map { "\($0.verdict.mark) \($0.label)：\($0.remark)" }.joined(separator: "\n")
}

@Suite("Training mode: scenario book (issue 5)", .tags(.unit))
struct TrainingBookTests {
    @Test("The bundled book loads: at least 8 scenarios covering every situation and server fate the issue names")
    func bookLoads() throws {
        let book = try loadBook()
        #expect(book.scenarios.count >= 8)
        #expect(book.start == day(2026, 11, 2))
        let ex = Set(book.scenarios.flatMap(\.expectations))
        for e: TrainingScenario.Expectation in [.insurerTold, .insurerApplied, .fixedAndResent, .holdRecorded, .cancelRecorded,
                                                .transferRecorded, .proxy, .monthlyTickets, .notResent, .certificateChecked] {
            #expect(ex.contains(e), "no scenario expects \(e)")
        }
        // Fates: accepted, rejected (a wrong number), held then carried out, cancelled, already registered, certificate expiring.
        let fates = book.scenarios.map(\.fate)
        #expect(fates.contains { $0.monthEnds.contains(.held(.misEntrySuspected)) })
        #expect(fates.contains { $0.monthEnds.contains(.cancelled) })
        #expect(fates.contains { if case .alreadyRegistered = $0.registration { return true } else { return false } })
        #expect(book.scenarios.contains { $0.person.documentedServerNumber != $0.person.serverIndividualNumber })
        #expect(book.scenarios.contains { $0.person.certificateExpiry < book.start.addingMonths(3) })
        for s in book.scenarios {
            #expect(!s.situation.isEmpty)
            #expect(s.situation.contains(s.person.recipientNumber), "the prose gives the trainee the 受給者番号 of \(s.id)")
            #expect(s.situation.contains(s.person.documentedServerNumber), "the prose gives the ledger's 被保険者枝番 of \(s.id)")
        }
    }

    @Test("A broken scenario is refused with the file, the line and what is wrong")
    func brokenScenario() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-book-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("scenarios"), withIntermediateDirectories: true)
        try "title = \"t\"\nstart = \"2026-11-02\"\n".write(to: dir.appendingPathComponent("book.toml"), atomically: true, encoding: .utf8)
        let good = try String(contentsOf: trainingRoot.appendingPathComponent("config/training/scenarios/01-standard.toml"), encoding: .utf8)
        let bad = good.replacingOccurrences(of: "month_ends = [\"carried_out\"]", with: "month_ends = [\"hold:7\"]")
        try bad.write(to: dir.appendingPathComponent("scenarios/01-x.toml"), atomically: true, encoding: .utf8)
        let e = try #require(throws: ConfigError.self) { try ScenarioBook.load(directory: dir) }
        #expect(e.file.hasSuffix("01-x.toml"))
        #expect(e.line != nil)
        #expect(e.message.contains("hold:1"))
        let badNumber = good.replacingOccurrences(of: "recipient_number = \"1001015\"", with: "recipient_number = \"1001016\"")
        try badNumber.write(to: dir.appendingPathComponent("scenarios/01-x.toml"), atomically: true, encoding: .utf8)
        let e2 = try #require(throws: ConfigError.self) { try ScenarioBook.load(directory: dir) }
        #expect(e2.message.contains("受給者番号"))
        // Input toml++ would abort on (found by fuzzing the config loader, issue 6) is refused, not a crash.
        try "title = \"x\"\n[\n".write(to: dir.appendingPathComponent("scenarios/01-x.toml"), atomically: true, encoding: .utf8)
        let e3 = try #require(throws: ConfigError.self) { try ScenarioBook.load(directory: dir) }
        #expect(e3.message.contains("書式の誤り") && e3.line == 2)
    }
}

@Suite("Training mode: clock and separation (issue 5)", .tags(.unit))
struct TrainingSeparationTests {
    @Test("The clock starts on the book's first day, moves forward only, and `now` is on the simulated day")
    func clock() throws {
        let play = try TrainingPlay()
        #expect(play.today == day(2026, 11, 2))
        try play.sandbox.moveClock(to: day(2026, 12, 31), book: play.book, operatorID: "yamada")
        #expect(play.today == day(2026, 12, 31))
        #expect(LocalDate(play.now) == day(2026, 12, 31))
        let e = try #require(throws: TrainingError.self) { try play.sandbox.moveClock(to: day(2026, 12, 1), book: play.book, operatorID: "yamada") }
        #expect(e.description.contains("戻せません"))
        #expect(OfficeClock.system.today() == LocalDate(Date()))
    }

    @Test("A real office cannot open a training folder, a training office cannot open a real one (both ways)")
    func separation() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-sep-\(UUID().uuidString)")
        func office(_ mode: OfficeConfig.Mode, export: String = "exports") -> OfficeConfig {
            var files = InterchangeConfig()
            files.exportDirectory = export
            return OfficeConfig(officeName: mode == .training ? "研修" : "本番", publicPayerNumber: "12130019", serverCode: "D1300019",
                                mode: mode, dataDirectory: dir, operators: [], interchange: files,
                                source: URL(fileURLWithPath: "/tmp/\(mode.rawValue).toml"))
        }
        try DataDirectoryMark.claim(dir, for: office(.training))
        let e = try #require(throws: TrainingError.self) { try DataDirectoryMark.claim(dir, for: office(.production)) }
        #expect(e.description.contains("研修用") && e.description.contains("本番の設定"))
        try DataDirectoryMark.claim(dir, for: office(.training))   // the same mode opens again

        let real = dir.appendingPathComponent("real")
        let realOffice = OfficeConfig(officeName: "本番", publicPayerNumber: "12130019", serverCode: "D1300019", mode: .production,
                                      dataDirectory: real, operators: [], source: URL(fileURLWithPath: "/tmp/p.toml"))
        try DataDirectoryMark.claim(real, for: realOffice)
        let trainingThere = realOffice.withDataDirectory(real)
        let t = OfficeConfig(officeName: "研修", publicPayerNumber: "12130019", serverCode: "D1300019", mode: .training,
                             dataDirectory: trainingThere.dataDirectory, operators: [], source: URL(fileURLWithPath: "/tmp/t.toml"))
        let e2 = try #require(throws: TrainingError.self) { try DataDirectoryMark.claim(real, for: t) }
        #expect(e2.description.contains("本番用"))

        // A training office may not write its exports outside its own data folder.
        let outside = dir.appendingPathComponent("elsewhere")
        let e3 = try #require(throws: TrainingError.self) {
            try DataDirectoryMark.claim(outside, for: office(.training, export: "/srv/real-exports").withDataDirectory(outside))
        }
        #expect(e3.description.contains("export_directory"))
    }

    @Test("[training] is refused in a production config; a sandbox name is checked; sandboxes are apart")
    func configAndSandbox() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let text = try String(contentsOf: trainingRoot.appendingPathComponent("config/demo/office.toml"), encoding: .utf8)
            .replacingOccurrences(of: "mode = \"training\"", with: "mode = \"production\"")
        let url = dir.appendingPathComponent("office.toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let e = try #require(throws: ConfigError.self) { try OfficeConfig.load(from: url, environment: ["HOME": dir.path]) }
        #expect(e.message.contains("[training]") && e.line != nil)

        #expect(throws: TrainingError.self) { try TrainingSandbox(office: dir, name: "../escape") }
        let a = try TrainingSandbox(office: dir, name: "trainee01")
        let b = try TrainingSandbox(office: dir, name: "trainee02")
        #expect(a.journalURL != b.journalURL)
        #expect(a.directory.path.hasPrefix(dir.path + "/sandboxes/"))
    }

    @Test("Reset moves a sandbox's journal, clock and inbox aside and starts it again on the first day")
    func reset() throws {
        let play = try TrainingPlay()
        let s = play.book.scenarios[0]
        try play.receive(s, .expert)
        try play.advance(to: day(2026, 12, 2))
        #expect(FileManager.default.fileExists(atPath: play.sandbox.journalURL.path))
        let moved = try #require(try play.sandbox.reset(officeData: play.office.dataDirectory))
        #expect(FileManager.default.fileExists(atPath: moved.appendingPathComponent("journal.jsonl").path))
        #expect(!FileManager.default.fileExists(atPath: play.sandbox.journalURL.path))
        #expect(FileManager.default.fileExists(atPath: play.office.dataDirectory.appendingPathComponent(DataDirectoryMark.fileName).path))
        #expect(try play.sandbox.clock(book: play.book).today() == play.book.start)
    }
}

@Suite("Training mode: the simulated 中間サーバー (issue 5)", .tags(.unit))
struct TrainingServerTests {
    @Test("Its result and status files are read by the real importers (default CP932 CRLF layout)")
    func defaultLayout() throws {
        let play = try TrainingPlay()
        let s = try #require(play.book.scenario("01"))
        try play.receive(s, .expert)
        try play.export()
        let result = try #require(play.inbox("result_").first)
        let bytes = try Data(contentsOf: result)
        #expect(String(data: bytes, encoding: .shiftJIS)?.hasSuffix("\r\n") == true, "CP932 with CRLF as the config says")
        let parsed = try ResultFile.parse(bytes, config: play.office.interchange)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.rows.map(\.accepted) == [true])
        #expect(parsed.rows.first?.serverIndividualNumber == s.person.serverIndividualNumber)
        try play.importNewFiles(status: true)
        #expect(play.store.book.all.first?.status == .registered)

        try play.advance(to: day(2027, 1, 1))
        #expect(play.inbox("status_").map(\.lastPathComponent) == ["status_202611.csv", "status_202612.csv"])
        let dec = try StatusFile.parse(try Data(contentsOf: play.inbox("status_202612")[0]), config: play.office.interchange)
        #expect(dec.problems.isEmpty)
        #expect(dec.rows.count == play.book.scenarios.count, "every person of the office is listed")
        let row = try #require(dec.rows.first { $0.serverIndividualNumber == s.person.serverIndividualNumber })
        #expect(row.registered == false && row.cancelledOn == day(2026, 12, 31) && row.cancelKind == "1")   // R-DT-1, R-CF-1
        let nov = try StatusFile.parse(try Data(contentsOf: play.inbox("status_202611")[0]), config: play.office.interchange)
        #expect(nov.rows.first { $0.serverIndividualNumber == s.person.serverIndividualNumber }?.registered == true)
        try play.importNewFiles(status: true)
        #expect(play.store.book.all.first?.status == .confirmed)
        #expect(play.store.book.all.first?.lifecycle.confirmedCancelledOn == day(2026, 12, 31))
    }

    @Test("An office whose config reads the server files by header name in UTF-8 gets files in that layout")
    func headerLayout() throws {
        var files = InterchangeConfig()
        files.encoding = .utf8
        files.lineEnding = .lf
        files.result = ColumnLayout(columns: ["insurer_number": .header("保険者番号"), "server_individual_number": .header("被保険者枝番"),
                                              "result": .header("処理結果"), "message": .header("メッセージ")])
        files.status = ColumnLayout(columns: ["insurer_number": .header("保険者番号"), "server_individual_number": .header("枝番"),
                                              "registration_state": .header("状態"), "registered_on": .header("登録日"),
                                              "cancelled_on": .header("解除日"), "cancel_kind": .header("区分"),
                                              "certificate_expiry": .header("有効期限")])
        let play = try TrainingPlay(interchange: files)
        let s = try #require(play.book.scenario("05"))
        try play.receive(s, .expert)
        try play.export()
        let result = try #require(play.inbox("result_").first)
        #expect(String(data: try Data(contentsOf: result), encoding: .utf8)?.contains("\r\n") == false)
        #expect(try ResultFile.parse(try Data(contentsOf: result), config: files).rows.first?.accepted == true)
        try play.importNewFiles(status: false)
        try play.advance(to: day(2027, 2, 1))
        let jan = try StatusFile.parse(try Data(contentsOf: play.inbox("status_202701")[0]), config: files)
        #expect(jan.problems.isEmpty)
        #expect(jan.rows.first { $0.serverIndividualNumber == s.person.serverIndividualNumber }?.cancelledOn == day(2027, 1, 31),
                "held once (#1), carried out a month later (R-HC-2)")
        let notice = try #require(play.inbox("notice_").first)
        #expect(notice.lastPathComponent == "notice_20261231.txt")
        let text = try String(contentsOf: notice, encoding: .utf8)
        #expect(text.contains("研修モード") && text.contains(s.person.recipientNumber) && text.contains("#1"))
    }

    @Test("A wrong number is refused, the same person twice is refused, already registered errors out (R-RG-5, R-RG-6)")
    func refusals() throws {
        let play = try TrainingPlay()
        let s04 = try #require(play.book.scenario("04"))
        let s10 = try #require(play.book.scenario("10"))
        try play.receive(s04, .expert)
        try play.receive(s10, .expert)
        try play.export()
        let rows = try ResultFile.parse(try Data(contentsOf: play.inbox("result_")[0]), config: play.office.interchange).rows
        #expect(rows.count == 2 && rows.allSatisfy { !$0.accepted })
        #expect(rows.contains { $0.message.contains("被保険者枝番") })
        #expect(rows.contains { $0.message.contains("既に") })
        // An exported file that is gone cannot reach the server: said, not silently skipped.
        let exported = try FileManager.default.contentsOfDirectory(atPath: play.office.exportDirectory.path).filter { $0.hasPrefix("FI_HIM") }
        let moved = play.root.appendingPathComponent("moved.csv")
        try FileManager.default.moveItem(at: play.office.exportDirectory.appendingPathComponent(exported[0]), to: moved)
        #expect(play.server.timeline(play.store.book).problems.first?.contains(exported[0]) == true)
        try FileManager.default.moveItem(at: moved, to: play.office.exportDirectory.appendingPathComponent(exported[0]))
        // The server's files do not depend on how often it runs.
        let first = try play.server.deliveries(play.store.book, today: play.today)
        #expect(try play.server.deliveries(play.store.book, today: play.today) == first)
    }
}

@Suite("Training mode: grading every scenario (issue 5)", .tags(.unit))
struct TrainingGradingTests {
    static let ids = (try? loadBook().scenarios.map(\.id)) ?? []

    @Test("The expected handling gets full marks", arguments: ids)
    func fullMarks(_ id: String) throws {
        let play = try TrainingPlay("full\(id)")
        let s = try #require(play.book.scenario(id))
        try play.play(s)
        let g = play.grade(s)
        #expect(g.caseNumber != nil)
        #expect(g.isFullMarks, "\(id) \(s.title)\n\(describe(g))")
        #expect(g.right == s.expectations.count)
    }

    /// One typical mistake per scenario and the remark the trainee must get, with its rule.
    static let mistakes: [(id: String, handling: Handling, remark: String, rule: String)] = [
        ("01", { var h = Handling(); h.recordTickets = false; return h }(), "紙の券も交付していません", "R-PT-1"),
        ("02", { var h = Handling(); h.tellInsurer = false; return h }(), "保険者にも申請するよう案内していません", "R-BR-4"),
        ("03", { var h = Handling(); h.rightBranch = false; return h }(), "併用の人を一括登録ファイルに入れました", "R-BR-3"),
        ("04", { var h = Handling(); h.resendAfterFailure = false; return h }(), "原因を直して登録し直していません", "R-RG-5"),
        ("05", { var h = Handling(); h.recordHolds = false; return h }(), "保留のお知らせ（#1", "R-HC-2"),
        ("06", { var h = Handling(); h.recordCancel = false; return h }(), "取消のお知らせ（#5）", "R-HC-3"),
        ("07", { var h = Handling(); h.recordTransfer = false; return h }(), "転出を記録していません", "R-IN-4 f"),
        ("08", { var h = Handling(); h.recordProxy = false; return h }(), "代理人（施設の職員など）を記録していません", "R-IN-2"),
        ("09", { var h = Handling(); h.monthlyTickets = false; return h }(), "分の紙の医療券・調剤券を交付していません", "R-PT-2"),
        ("10", { var h = Handling(); h.requeueAfterDuplicate = true; return h }(), "登録し直しました", "R-RG-6"),
        // Issue 13: the rarer branches.
        ("11", { var h = Handling(); h.ticketsAfterCancel = false; return h }(), "紙の医療券・調剤券は毎月要ります", "R-PT-4"),
        ("12", { var h = Handling(); h.recordReregistration = false; return h }(), "再登録を記録していません", "R-CF-3"),
        ("13", { var h = Handling(); h.registrationDateFromUpload = false; return h }(), "中間サーバーが受け付けたのは", "R-RG-9"),
        ("14", { var h = Handling(); h.followUpInsured = false; return h }(), "本人と保険者に確かめていません", "R-CF-4"),
    ]

    @Test("A typical mistake gets the right remark, citing the rule", arguments: 0..<mistakes.count)
    func mistake(_ i: Int) throws {
        let m = Self.mistakes[i]
        let play = try TrainingPlay("mistake\(m.id)")
        let s = try #require(play.book.scenario(m.id))
        try play.play(s, m.handling)
        let g = play.grade(s)
        let missed = g.points.filter { $0.verdict == .missed }
        #expect(missed.contains { $0.remark.contains(m.remark) && $0.remark.hasSuffix("— \(m.rule)") && $0.rule == m.rule },
                "\(m.id) \(s.title)\n\(describe(g))")
        #expect(!g.isFullMarks)
    }

    @Test("Branching an insured person as assistance-only is named (R-BR-1) besides the export (R-BR-3)")
    func wrongBranch() throws {
        let play = try TrainingPlay()
        let s = try #require(play.book.scenario("02"))
        var h = Handling()
        h.rightBranch = false
        try play.play(s, h)
        let g = play.grade(s)
        #expect(g.points.contains { $0.verdict == .missed && $0.rule == "R-BR-1" && $0.remark.contains("併用") })
        #expect(g.points.contains { $0.verdict == .missed && $0.rule == "R-BR-3" })
    }

    @Test("Consequences show: an insured person sent by the office errors out (R-PC-1 3); one never told to go to the insurer is never cancelled (R-BR-4)")
    func consequences() throws {
        let play = try TrainingPlay()
        let s03 = try #require(play.book.scenario("03"))
        var wrong = Handling()
        wrong.rightBranch = false
        try play.play(s03, wrong)
        let rows = try ResultFile.parse(try Data(contentsOf: play.inbox("result_")[0]), config: play.office.interchange).rows
        #expect(rows.map(\.accepted) == [false] && rows[0].message.contains("既に"))

        let other = try TrainingPlay("consequences02")
        let s02 = try #require(other.book.scenario("02"))
        var untold = Handling()
        untold.tellInsurer = false
        try other.play(s02, untold)
        let g = other.grade(s02)
        #expect(g.points.first { $0.expectation == "confirmed" }.map { $0.verdict == .missed && $0.remark.contains("解除されないまま") } == true,
                "\(describe(g))")
        #expect(other.server.timeline(other.store.book).cancelledOn[s02.person.serverIndividualNumber] == nil)
    }

    @Test("Nothing is a fault before it is due; a scenario not yet taken is named as not received once its day has passed")
    func notYet() throws {
        let play = try TrainingPlay()
        let s = try #require(play.book.scenario("01"))
        try play.receive(s, .expert)
        try play.export()
        try play.importNewFiles(status: false)
        let g = play.grade(s)
        #expect(g.missed == 0)
        #expect(g.points.first { $0.expectation == "confirmed" }?.verdict == .notYet)
        let report = play.grade()
        #expect(report.scenarios.first { $0.scenarioID == "02" }?.missed == 0, "02 arrives later")
        try play.advance(to: day(2026, 11, 20))
        let late = play.grade().scenarios.first { $0.scenarioID == "02" }!
        #expect(late.points.first { $0.expectation == "received" }?.verdict == .missed)
        #expect(late.points.first?.remark.contains("受け付けていません") == true)
    }
}

@Suite("Training: a registration by hand reaches the simulated server (R-RG-8)", .tags(.unit))
struct TrainingManualRegistrationTests {
    @Test("R-RG-8 R-DT-1 a request recorded as registered on the 統合専用端末 is carried out at the next month's end and confirmed by the status file")
    func byHandIsCarriedOut() throws {
        let play = try TrainingPlay()
        let s = try #require(play.book.scenarios.first { s in
            guard s.person.branch == .assistanceOnly, s.fate.monthEnds.allSatisfy({ $0 == .carriedOut }),
                  s.person.documentedServerNumber == s.person.serverIndividualNumber else { return false }
            if case .accepted = s.fate.registration { return true } else { return false }
        }, "a plain assistance-only scenario")
        let c = try play.receive(s, .expert)
        let on = play.today
        try play.store.record(.registeredOnTerminal(on: on), on: c.number, operatorID: play.clerk.id, now: play.now)
        let end = on.yearMonth.adding(months: 1).lastDay
        #expect(play.server.timeline(play.store.book).cancelledOn[s.person.serverIndividualNumber] == end)
        try play.advance(to: end.addingDays(1))
        try play.importNewFiles(status: true)
        let after = try #require(play.store.book[c.number])
        #expect(after.status == .confirmed && after.lifecycle.confirmedCancelledOn == end, "\(after.status)")
        // Graded as a registration: no point says "not registered" or "no result file imported".
        let points = try #require(play.grade().scenarios.first { $0.scenarioID == s.id }).points
        #expect(!points.contains { $0.verdict == .missed }, "\(points.map { "\($0.verdict) \($0.remark)" })")
        #expect(points.contains { $0.remark.contains("統合専用端末") }, "\(points.map(\.remark))")
    }
}
