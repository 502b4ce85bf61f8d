import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

// MARK: - Fixtures

/// Fixed surroundings for every UI test: the demo office, 山田 花子 at the desk, 令和8年11月24日.
enum UIFixture {
    /// Tests/MadoguchiUITests/UITestSupport.swift → the package root.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let snapshotsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// The real screen file the desk ships with.
    static let form: FormDefinition = {
        do {
            return try FormLoader.load(from: packageRoot.appendingPathComponent("screens/intake.toml"))
        } catch {
            fatalError("screens/intake.toml does not load: \(error)")
        }
    }()

    static let today = LocalDate(year: 2026, month: 11, day: 24)!
    static let operatorID = "yamada"

    static func config(training: Bool = true) -> DeskConfig {
        DeskConfig(officeName: "デモ市福祉事務所", isTraining: training, operatorID: operatorID,
                   operatorName: "山田 花子", operatorRole: .clerk, form: form,
                   operatorNames: ["yamada": "山田 花子", "suzuki": "鈴木 健", "sato": "佐藤 一郎"])
    }

    static func desk(width: Int = 80, height: Int = 24, cases: [CaseRecord] = [], today: LocalDate = today) -> DeskState {
        DeskState(config: config(), today: today, width: width, height: height, cases: cases)
    }

    /// A 受給者番号 with a valid check digit (R-ID-2, R-ID-3).
    static func recipientNumber(_ body: String = "123456") -> String {
        body + String(CheckDigit.compute(body)!)
    }

    /// The same body with a wrong check digit.
    static func badRecipientNumber(_ body: String = "123456") -> String {
        body + String((CheckDigit.compute(body)! + 1) % 10)
    }

    /// An instant given as Japan time (UTC+9), whatever the machine's zone.
    static func jst(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        let days = LocalDate(year: year, month: month, day: day)!.dayNumber
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + (hour - 9) * 3600 + minute * 60))
    }

    static func temporaryJournalURL(_ label: String = #function) -> URL {
        let clean = label.filter { $0.isLetter || $0.isNumber }
        return FileManager.default.temporaryDirectory
            .appendingPathComponent("madoguchi-ui-tests")
            .appendingPathComponent("\(clean)-\(UUID().uuidString)")
            .appendingPathComponent("journal.jsonl")
    }

    /// Values of a whole application as the clerk would type them (raw, not normalised), for
    /// building cases through the domain's own check.
    static func values(furigana: String, name: String, birth: String, branch: Branch,
                       holdsTickets: Bool = false, recipientBody: String = "123456",
                       serverNumber: String = "", appDate: String? = nil, proxy: Bool = false) -> IntakeValues {
        var v = IntakeForm.initialValues(form, today: today)
        v[IntakeFieldID.furigana] = furigana
        v[IntakeFieldID.name] = name
        v[IntakeFieldID.birthDate] = birth
        v[IntakeFieldID.postalCode] = "123-4567"
        v[IntakeFieldID.prefecture] = "東京"
        v[IntakeFieldID.municipality] = "千代田区"
        v[IntakeFieldID.address] = "霞が関１－２－２"
        v[IntakeFieldID.phone] = "03-1234-5678"
        v[IntakeFieldID.recipientNumber] = recipientNumber(recipientBody)
        v[IntakeFieldID.serverIndividualNumber] = serverNumber
        v[IntakeFieldID.hasProxy] = proxy ? "proxy" : "none"
        if proxy {
            v[IntakeFieldID.proxyName] = "山田　一郎"
            v[IntakeFieldID.proxyPhone] = "090-1111-2222"
            v[IntakeFieldID.proxyEmail] = "ichiro@example.jp"
            v[IntakeFieldID.proxyRelationship] = "長男"
        }
        v[IntakeFieldID.requestTicked] = "1"
        v[IntakeFieldID.signedForm] = "1"
        v[IntakeFieldID.reason] = "カードの管理に不安があるため"
        if let appDate { v[IntakeFieldID.applicationDate] = appDate }
        v[IntakeFieldID.branch] = branch.rawValue
        if branch == .insured {
            v[IntakeFieldID.insurerName] = "全国健康保険協会"
            v[IntakeFieldID.insurerNumber] = "0613001" + String(CheckDigit.compute("0613001")!)
            v[IntakeFieldID.appliedToInsurer] = Application.InsurerApplication.toldToApply.rawValue
            v[IntakeFieldID.insuranceVerifiedBy] = Application.InsuranceVerification.eligibilityCertificate.rawValue
        }
        v[IntakeFieldID.holdsValidTickets] = holdsTickets ? "yes" : "no"
        if holdsTickets {
            v.tickets = [TicketDraft(kind: "medical", institution: "デモ診療所", month: "R8.12"),
                         TicketDraft(kind: "dispensing", institution: "デモ薬局", month: "R8.12")]
        }
        for p in IntakeFieldID.explainedPoints where p != "g" || branch == .insured {
            v[IntakeFieldID.explained(p)] = "1"
        }
        return v
    }

    /// Three cases written through the real CaseStore into a temporary journal, at fixed times.
    /// `then` runs on the store afterwards (moves on the cases, a batch), before the cases are read.
    static func threeCases(then: (CaseStore) throws -> Void = { _ in }) throws -> [CaseRecord] {
        let store = CaseStore(journalURL: temporaryJournalURL())
        try store.load()
        let ctx = ValidationContext(today: today, defaultEra: .reiwa)
        let inputs: [(IntakeValues, Date)] = [
            (values(furigana: "ﾔﾏﾀﾞ ﾀﾛｳ", name: "山田　太郎", birth: "S45.1.2", branch: .assistanceOnly,
                    serverNumber: "1234567890123456", appDate: "R8.11.20"), jst(2026, 11, 20, 9, 15)),
            (values(furigana: "すずき はなこ", name: "鈴木　花子", birth: "H2.3.4", branch: .insured,
                    recipientBody: "234567", appDate: "R8.11.21", proxy: true), jst(2026, 11, 21, 14, 5)),
            (values(furigana: "アオキ ジロウ", name: "青木　次郎", birth: "昭和30年5月6日", branch: .assistanceOnly,
                    holdsTickets: true, recipientBody: "345678"), jst(2026, 11, 24, 10, 30)),
        ]
        for (v, time) in inputs {
            let check = IntakeForm.check(form, values: v, context: ctx)
            guard let app = check.application else {
                throw FixtureError("fixture application does not check: \(check.problems.map(\.description))")
            }
            _ = try store.receive(app, ticketsIssuedNow: check.tickets, operatorID: operatorID, now: time)
        }
        try then(store)
        return store.book.all
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}

// MARK: - Driving the desk by keys

extension DeskState {
    /// Feeds keys one by one; returns every effect they asked for, in order.
    @discardableResult
    mutating func press(_ keys: Key...) -> [DeskEffect] {
        var out: [DeskEffect] = []
        for k in keys { out += update(.key(k)) }
        return out
    }

    @discardableResult
    mutating func press(_ key: Key, times: Int) -> [DeskEffect] {
        var out: [DeskEffect] = []
        for _ in 0..<times { out += update(.key(key)) }
        return out
    }

    /// Text as an IME commit or paste delivers it: one `.text` key.
    mutating func paste(_ s: String) { _ = update(.key(.text(s))) }

    /// Text as a terminal delivers it key by key: one `.char` per Character.
    mutating func typeChars(_ s: String) { for c in s { _ = update(.key(.char(c))) } }

    /// The id of the field under the cursor on the current intake page.
    var focusedFieldID: String? {
        guard let s = intake, case .field(let id)? = s.focused(config.form) else { return nil }
        return id
    }

    var currentPageID: String? { intake.map { config.form.pages[$0.page].id } }

    /// F7 on the selected case, then the item whose label starts with `prefix` (whatever its
    /// place in the menu); false when there is no such item.
    @discardableResult
    mutating func chooseCaseAction(_ prefix: String) -> Bool {
        press(.function(7))
        guard case .menu(let m)? = dialog, let i = m.items.firstIndex(where: { $0.hasPrefix(prefix) }) else { return false }
        press(.char(Character(DeskState.menuDigit(i))), .enter)   // a digit highlights (0 the tenth), Enter opens (issue 11 item 2)
        return true
    }

    /// Opens a fresh intake from the case list (F2).
    mutating func openIntake() { _ = update(.key(.function(2))) }

    /// Types page 1 of an assistance-only application and Tabs through it to page 2.
    mutating func fillApplicantPage(recipient: String = UIFixture.recipientNumber()) {
        paste("ﾔﾏﾀﾞ ﾀﾛｳ"); press(.tab)            // フリガナ (half-width, normalised on leaving)
        paste("山田　太郎"); press(.tab)            // 氏名
        paste("S45.1.2"); press(.tab)               // 生年月日
        paste("１２３－４５６７"); press(.tab)      // 郵便番号 (full width)
        paste("東京"); press(.tab)                  // 都道府県
        paste("千代田区"); press(.tab)              // 市区町村
        paste("霞が関１－２－２"); press(.tab)      // 町名・番地等
        paste("03-1234-5678"); press(.tab)          // 電話番号
        press(.tab)                                 // メール (blank)
        paste(recipient); press(.tab)               // 受給者番号
        paste("1234567890123456"); press(.tab)      // 被保険者枝番 → page 2
    }

    /// Page 2: 本人, both ticks, a reason, today's date; Tabs to page 3.
    mutating func fillFormPage(reason: String = "カードの管理に不安があるため") {
        press(.char("1"), .tab)                     // 申請者: 本人
        press(.char(" "), .tab)                     // 申請の意思
        press(.char(" "), .tab)                     // 署名
        paste(reason); press(.tab)
        press(.tab)                                 // 申請日 (default today)
        press(.tab)                                 // 転入前の事務所 (blank) → page 3
    }

    /// Types a whole assistance-only application by keys and ends on the review page.
    mutating func typeWholeAssistanceOnlyApplication(reason: String = "カードの管理に不安があるため") {
        openIntake()
        fillApplicantPage()
        fillFormPage(reason: reason)
        press(.char("1"), .tab)                     // 区分: 医療扶助単独 → page 4
        press(.char("1"), .tab)                     // 有効な券: なし → page 5
        for _ in 0..<6 { press(.char(" "), .tab) }  // a–f → review
    }
}

extension Canvas {
    /// The key help at the bottom: one row, or two when one cannot name every key (issue 11, item 6).
    var footerText: String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(2).joined(separator: " ")
    }
}

// MARK: - Snapshots

enum Snapshot {
    static var isRecording: Bool { ProcessInfo.processInfo.environment["MADOGUCHI_RECORD_SNAPSHOTS"] == "1" }

    /// Compares the canvas as text with Snapshots/<name>.txt. With MADOGUCHI_RECORD_SNAPSHOTS=1 the
    /// file is (re)written instead. A missing file fails: CI never records on its own.
    /// Whatever the screen, no row may be wider than it.
    static func checkWidths(_ canvas: Canvas, _ name: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, line) in canvas.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where DisplayWidth.of(line) > canvas.width {
            Issue.record("\(name): row \(i) is \(DisplayWidth.of(line)) columns wide on a \(canvas.width)-column canvas", sourceLocation: sourceLocation)
        }
    }

    static func check(_ canvas: Canvas, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = canvas.text + "\n"
        checkWidths(canvas, name, sourceLocation: sourceLocation)
        let url = UIFixture.snapshotsDirectory.appendingPathComponent("\(name).txt")
        if isRecording {
            do {
                try FileManager.default.createDirectory(at: UIFixture.snapshotsDirectory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
                print("note: recorded snapshot \(url.path)")
            } catch {
                Issue.record("could not record \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("""
                snapshot \(name).txt is missing (\(url.path)).
                Record it with MADOGUCHI_RECORD_SNAPSHOTS=1 swift test --filter MadoguchiUITests, then read it and check it in.
                Rendered:
                \(actual)
                """, sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let d = diff(expected: expected, actual: actual)
            Issue.record("snapshot \(name).txt differs:\n\(d)", sourceLocation: sourceLocation)
        }
    }

    /// Line-by-line: every differing row with both versions.
    static func diff(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<no line>"
            let al = i < a.count ? String(a[i]) : "<no line>"
            if el != al {
                out.append("row \(i) expected |\(el)|")
                out.append("row \(i) actual   |\(al)|")
            }
        }
        return out.joined(separator: "\n")
    }
}
