import Foundation
import Testing
@testable import MadoguchiCore

// Shared by the Notice*Tests (prefixed `notice`). Fixed inputs: the same office, people and clock
// every run, so the rendered text can be compared with Fixtures/notices/*.txt.

let noticeRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let noticeTemplatesDir = noticeRoot.appendingPathComponent("config/notices")
let noticeFixturesDir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/notices")

func noticeDate(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

/// 10:00 in Japan on that day.
func noticeInstant(_ d: LocalDate) -> Date {
    Date(timeIntervalSince1970: TimeInterval(d.dayNumber * 86_400 + 3600))
}

let noticeClerk = Operator(id: "yamada", name: "山田 花子", role: .clerk)

func noticeOffice(training: Bool, dataDirectory: URL = noticeTempDir()) -> OfficeConfig {
    OfficeConfig(officeName: training ? "デモ市福祉事務所" : "みどり市福祉事務所", publicPayerNumber: "12130019",
                 serverCode: "D1300019", mode: training ? .training : .production, dataDirectory: dataDirectory,
                 operators: [noticeClerk, Operator(id: "suzuki", name: "鈴木 健", role: .clerk),
                             Operator(id: "sato", name: "佐藤 一郎", role: .supervisor)],
                 source: URL(fileURLWithPath: "/dev/null"))
}

func noticeTempDir() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-notice-tests").appendingPathComponent(UUID().uuidString)
}

func noticeApplication(_ branch: Branch, proxy: Bool = false, tickets: Bool = false) -> Application {
    Application(
        applicant: .init(furigana: "サトウ　ハナ", name: "佐藤　花", birthDate: noticeDate(1950, 3, 3),
                         postalCode: "1000001", prefecture: "東京都", municipality: "千代田区", address: "千代田1-1",
                         phone: "03-0000-0000", email: ""),
        recipientNumber: "1234566", serverIndividualNumber: branch == .assistanceOnly ? "1234567890123456" : nil,
        proxy: proxy ? .init(name: "佐藤　一", furigana: "サトウ　ハジメ", phone: "090-0000-0000", relationship: "長男") : nil,
        requestTicked: true, signedFormReceived: true, reason: "カードの管理が難しいため",
        applicationDate: noticeDate(2026, 11, 24), branch: branch,
        insurance: branch == .insured
            ? .init(insurerName: "全国健康保険協会 東京支部", insurerNumber: "01130012", appliedToInsurer: .toldToApply, verifiedBy: .eligibilityCertificate)
            : nil,
        holdsValidTickets: tickets,
        explained: branch == .insured ? ["a", "b", "c", "d", "e", "f", "g"] : ["a", "b", "c", "d", "e", "f"])
}

/// A store with one case received on 2026-11-24 by yamada, then the given moves (each on its own day).
func noticeStore(office: OfficeConfig, _ application: Application, tickets: [PaperTicket] = [],
                 moves: [(LocalDate, LifecycleEvent)] = []) throws -> (CaseStore, String) {
    let store = CaseStore(journalURL: office.journalURL)
    try store.load()
    let c = try store.receive(application, ticketsIssuedNow: tickets, operatorID: "yamada", now: noticeInstant(noticeDate(2026, 11, 24)))
    for (d, e) in moves { try store.record(e, on: c.number, operatorID: "suzuki", now: noticeInstant(d)) }
    return (store, c.number)
}

let noticeRegistered: [(LocalDate, LifecycleEvent)] = [
    (noticeDate(2026, 11, 25), .exported(file: "FI_HIM_0018_D1300019_20261125.csv")),
    (noticeDate(2026, 11, 26), .registrationAccepted(registeredOn: noticeDate(2026, 11, 26), file: nil)),
]

func noticeRenderer() throws -> NoticeRenderer {
    NoticeRenderer(templates: try NoticeTemplates.load(directory: noticeTemplatesDir))
}

/// The four fixed notices that have checked-in expected text.
enum NoticeFixture: String, CaseIterable, CustomStringConvertible {
    case pendingAssistanceOnly = "pending-assistance-only"
    case pendingInsuredTraining = "pending-insured-training"
    case hold1 = "hold-1"
    case cancel5Training = "cancel-5-training"

    var description: String { rawValue }

    var training: Bool { self == .pendingInsuredTraining || self == .cancel5Training }

    func render() throws -> String {
        let office = noticeOffice(training: training)
        switch self {
        case .pendingAssistanceOnly:
            let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly, proxy: true, tickets: true), tickets: [
                PaperTicket(kind: .medical, institution: "みどり中央病院", month: YearMonth(year: 2026, month: 11)!),
                PaperTicket(kind: .dispensing, institution: "A&B薬局 <駅前店>", month: YearMonth(year: 2026, month: 11)!),
            ])
            return try noticeRenderer().render(.pending, for: store.book[n]!, office: office, clerk: noticeClerk, today: noticeDate(2026, 11, 24))
        case .pendingInsuredTraining:
            let (store, n) = try noticeStore(office: office, noticeApplication(.insured))
            return try noticeRenderer().render(.pending, for: store.book[n]!, office: office, clerk: noticeClerk, today: noticeDate(2026, 11, 24))
        case .hold1:
            let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly),
                                             moves: noticeRegistered + [(noticeDate(2026, 12, 31), .held(reason: .misEntrySuspected, noticeDate: noticeDate(2026, 12, 31)))])
            return try noticeRenderer().render(.hold, for: store.book[n]!, office: office, clerk: noticeClerk, today: noticeDate(2027, 1, 5))
        case .cancel5Training:
            let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly),
                                             moves: noticeRegistered + [(noticeDate(2026, 12, 31), .cancelledByServer(noticeDate: noticeDate(2026, 12, 31), action: "本人に電話で伝えた（カードは返納済み）"))])
            return try noticeRenderer().render(.cancel, for: store.book[n]!, office: office, clerk: noticeClerk, today: noticeDate(2027, 1, 6))
        }
    }
}

// MARK: - Rendered text against the checked-in expected text (R-NT-1..4)

@Suite(.tags(.unit))
struct NoticeFixtureTests {
    /// Set MADOGUCHI_UPDATE_FIXTURES=1 to write the expected files from the current templates (then
    /// read the diff before committing).
    @Test("each template renders exactly the checked-in text for a fixed case", arguments: NoticeFixture.allCases)
    func matchesFixture(_ fixture: NoticeFixture) throws {
        let actual = try fixture.render()
        let url = noticeFixturesDir.appendingPathComponent(fixture.rawValue + ".txt")
        if ProcessInfo.processInfo.environment["MADOGUCHI_UPDATE_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(at: noticeFixturesDir, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if actual != expected {
            let got = FileManager.default.temporaryDirectory.appendingPathComponent("notice-\(fixture.rawValue)-actual.txt")
            try? Data(actual.utf8).write(to: got)
            Issue.record("\(fixture.rawValue): rendered text differs from \(url.path); rendered text written to \(got.path) (diff them)")
        }
    }

    @Test("a training office's notice carries the banner at the top and the bottom; a production office's never")
    func trainingBanner() throws {
        for fixture in NoticeFixture.allCases {
            let text = try fixture.render()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()   // the final newline
            if fixture.training {
                #expect(lines.first.map(String.init) == NoticeRenderer.trainingBanner, "\(fixture)")
                #expect(lines.last.map(String.init) == NoticeRenderer.trainingBanner, "\(fixture)")
                #expect(text.contains("研修モード・実際の通知ではありません"))
            } else {
                #expect(!text.contains("研修用"), "\(fixture)")
            }
        }
        // The banner is added by the code, so a template cannot drop it.
        let office = noticeOffice(training: true)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly))
        let dir = noticeTempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for k in NoticeKind.allCases { try Data("{{caseNumber}}\n".utf8).write(to: dir.appendingPathComponent(k.rawValue + ".mustache")) }
        let text = try NoticeRenderer(templates: NoticeTemplates.load(directory: dir))
            .render(.pending, for: store.book[n]!, office: office, clerk: noticeClerk, today: noticeDate(2026, 11, 24))
        #expect(text == "\(NoticeRenderer.trainingBanner)\n\n\(n)\n\n\(NoticeRenderer.trainingBanner)\n")
    }

    @Test("R-NT-4: office, case number, date in 和暦 and clerk on every notice; R-DT-3 wording for insured")
    func requiredItems() throws {
        for fixture in NoticeFixture.allCases {
            let text = try fixture.render()
            #expect(text.contains(fixture.training ? "デモ市福祉事務所" : "みどり市福祉事務所"), "\(fixture)")
            #expect(text.contains("2026-0001"), "\(fixture)")
            #expect(text.contains("令和"), "\(fixture)")
            #expect(text.contains("山田 花子"), "\(fixture)")
        }
        let insured = try NoticeFixture.pendingInsuredTraining.render()
        #expect(insured.contains("保険者の登録後"))
        #expect(insured.contains("(7)"))   // R-IN-4 g
        let single = try NoticeFixture.pendingAssistanceOnly.render()
        #expect(!single.contains("(7)"))
        #expect(single.contains("令和8年11月中に登録した場合は令和8年12月31日"))   // R-DT-1: the end of the month after registration
        #expect(single.contains("A&B薬局 <駅前店>"))   // plain text: nothing HTML-escaped
    }

    @Test("a hold or cancel notice is refused for a case without one")
    func notApplicable() throws {
        let office = noticeOffice(training: false)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly))
        let r = try noticeRenderer()
        #expect(throws: NoticeError.self) { try r.render(.hold, for: store.book[n]!, office: office, clerk: noticeClerk, today: noticeDate(2026, 12, 1)) }
        #expect(throws: NoticeError.self) { try r.render(.cancel, for: store.book[n]!, office: office, clerk: noticeClerk, today: noticeDate(2026, 12, 1)) }
    }

    @Test("a broken or missing template is named with its line")
    func templateErrors() throws {
        let dir = noticeTempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(throws: NoticeError.templateMissing(path: dir.appendingPathComponent("pending.mustache").path)) {
            try NoticeTemplates.load(directory: dir)
        }
        try Data("一行目\n{{#hold}}\n三行目\n{{/cancel}}\n".utf8).write(to: dir.appendingPathComponent("pending.mustache"))
        do {
            _ = try NoticeTemplates.load(directory: dir)
            Issue.record("a broken template was accepted")
        } catch let NoticeError.templateSyntax(path, line, _, _, _) {
            #expect(path.hasSuffix("pending.mustache"))
            #expect(line == 4)
        }
    }
}
