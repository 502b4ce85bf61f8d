import Foundation
import MadoguchiCore
import Testing

/// A whole application typed into the real desk through tmux at 80×24, saved, and read back through
/// `madoguchi cases --json`, the journal and `madoguchi verify` (issue 2, "End to end").
@Suite("Intake end to end", .tags(.e2e), .timeLimit(.minutes(1)))
struct IntakeEndToEndTests {

    // MARK: 1. Assistance-only application, typed and saved

    @Test("An assistance-only application typed in the TUI is saved with every field (R-IN-1..4, R-PT-1, R-BR-2)")
    func assistanceOnlyApplicationIsSaved() async throws {
        let saved = try await SavedApplication.assistanceOnly.value
        let number = JapanDate.firstCaseNumber
        #expect(saved.savedScreen.contains("保存しました（案件番号 \(number)）"))
        #expect(saved.exitScreen.contains("EXITED:0"), "F10 after saving quits without asking, exit 0")

        // madoguchi cases --json
        let out = try E2E.madoguchi(["cases", "--json"], dataDir: saved.dataDir)
        #expect(out.status == 0, "cases --json: \(out.stderr)")
        let c = try CaseJSON.find(number, in: out.stdout)
        let next = JapanDate.nextMonth()
        let month = String(format: "%04d-%02d", next.year, next.month)
        #expect(c.string("number") == number)
        #expect(c.string("status") == "awaiting_registration")
        #expect(c.string("branch") == "assistance_only")
        #expect(c.int("events") == 2)
        let app = c.object("application")
        let p = app.object("applicant")
        #expect(p.string("furigana") == "ヤマダ　タロウ", "half-width ﾔﾏﾀﾞ ﾀﾛｳ becomes full-width with a full-width space")
        #expect(p.string("name") == "山田　太郎")
        #expect(p.string("birthDate") == "1970-01-02", "S45.1.2")
        #expect(p.string("postalCode") == "1234567")
        #expect(p.string("prefecture") == "東京都", "東京 is completed to 東京都")
        #expect(p.string("municipality") == "千代田区")
        #expect(p.string("address") == "霞が関1-2-2")
        #expect(p.string("phone") == "03-1234-5678")
        #expect(p.string("email") == "")
        #expect(app.string("recipientNumber") == "1234566")
        #expect(app.string("serverIndividualNumber") == "1234567890123456")
        #expect(app.string("reason") == "カードの管理に不安があるため")
        #expect(app.string("applicationDate") == JapanDate.todayISO, "defaults to today in Japan")
        #expect(app.string("branch") == "assistance_only")
        #expect(app.bool("requestTicked") == true)
        #expect(app.bool("signedFormReceived") == true)
        #expect(app.bool("holdsValidTickets") == true)
        #expect(app.raw["proxy"] == nil || app.raw["proxy"] is NSNull)
        #expect(app.raw["insurance"] == nil || app.raw["insurance"] is NSNull)
        #expect(app.strings("explained") == ["a", "b", "c", "d", "e", "f"])
        let tickets = c.objects("ticketsIssued")
        #expect(tickets.count == 2)
        if tickets.count == 2 {
            #expect(tickets[0].string("kind") == "medical")
            #expect(tickets[0].string("institution") == "デモ内科クリニック")
            #expect(tickets[0].string("month") == month)
            #expect(tickets[1].string("kind") == "dispensing")
            #expect(tickets[1].string("institution") == "デモ薬局")
            #expect(tickets[1].string("month") == month)
        }
        #expect(c.strings("reminders") == [], "nothing left to do: 枝番 given, tickets issued")

        // The journal: the sandbox's opening lines (issue 12: office.opened and the trainees' keys, by
        // its supervisor, written with its first line), then two chained, signed lines — the case and
        // the tickets issued at the counter.
        let journal = saved.dataDir.appendingPathComponent("journal.jsonl")
        let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6 && lines.last == "", "five lines, each ending in a newline")
        let all = try lines.filter { !$0.isEmpty }.map { try JSONObject(line: String($0)) }
        #expect(all.prefix(3).map { $0.string("type") } == ["office.opened", "key.enrolled", "key.enrolled"])
        #expect(all.prefix(3).allSatisfy { $0.string("operator") == "sato" })
        let records = Array(all.dropFirst(3))
        #expect(records.map { $0.string("type") } == ["case.received", "tickets.issued"])
        #expect(records.map { $0.string("case") } == [number, number])
        #expect(records.map { $0.int("seq") } == [4, 5])
        #expect(records.allSatisfy { $0.string("operator") == "yamada" && ($0.string("sig")?.count ?? 0) == 128 })
        #expect(records.count == 2 && records[1].string("prev") == records[0].string("hash"))
        #expect(Journal.verify(url: journal).ok)

        // madoguchi verify
        let verify = try E2E.madoguchi(["verify"], dataDir: saved.dataDir)
        #expect(verify.status == 0, "verify: \(verify.stderr)")
        #expect(verify.stdout.contains("5行") && verify.stdout.contains("署名：5 行すべて"), "\(verify.stdout)")

        // Data files 0600, directories 0700 (the data directory did not exist before the desk made it).
        #expect(try E2E.mode(journal) == 0o600)
        #expect(try E2E.mode(saved.dataDir) == 0o700)
    }

    // MARK: 2. Restart on the same data, without a locale (as on CI)

    @Test("Restarting the desk replays the journal: the list shows the case, Enter opens it (登録待ち); runs with LANG/LC_ALL unset")
    func restartShowsSavedCaseWithoutLocale() async throws {
        let saved = try await SavedApplication.assistanceOnly.value
        let root = try E2E.makeTempDir("restart")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.copyItem(at: saved.dataDir, to: data)
        let number = JapanDate.firstCaseNumber

        let desk = try DeskSession(dataDir: data, locale: false)
        defer { desk.close() }
        let t = desk.tmux
        let list = try await t.waitForAll(["案件一覧　1件", number, "山田　太郎", "登録待ち", "【研修モード】"], timeout: 10)
        // Wide characters at the right columns without LANG: the banner ends exactly at column 80.
        let title = list.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        #expect(title.hasPrefix(" 窓口 │ デモ市福祉事務所"), "title bar: \(title)")
        #expect(title.hasSuffix("【研修モード】"), "title bar: \(title)")
        #expect(E2E.displayWidth(title) == 80, "title bar is 80 columns wide: \(title)")

        try t.keys("Enter")
        // The detail: the heading, 状態 登録待ち on its own line, the branch.
        try await t.waitUntil("the case detail with 状態 登録待ち") { screen in
            screen.contains("案件 \(number)　山田　太郎（ヤマダ　タロウ）") && screen.contains("医療扶助単独")
                && screen.split(separator: "\n").contains { $0.contains("状態") && $0.contains("登録待ち") }
        }

        try t.keys("Escape")
        try await t.waitFor("並び：")
        try t.keys("F10")
        try await t.waitFor("EXITED:0")
    }

    // MARK: 3. Insured application (with a proxy)

    @Test("An insured application (proxy, 保険者番号, applied to insurer, NWS inquiry, g explained) is saved as waiting_for_insurer (R-BR-3..5, R-IN-2)")
    func insuredApplicationIsSaved() async throws {
        let root = try E2E.makeTempDir("insured")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await desk.waitForDesk()

        try t.keys("F2")
        try await t.waitFor(Page.applicant)
        try t.type("すずき はなこ"); try t.keys("Tab")          // hiragana → katakana
        try t.type("鈴木　花子"); try t.keys("Tab")
        try t.type("平成1年1月8日"); try t.keys("Tab")
        try t.type("１２３－４５６７"); try t.keys("Tab")        // full-width digits and hyphen
        try t.type("東京都"); try t.keys("Tab")
        try t.type("千代田区"); try t.keys("Tab")
        try t.type("霞が関1-2-2"); try t.keys("Tab")
        try t.keys("Tab")                                        // no phone
        try t.type("hanako@example.jp"); try t.keys("Tab")
        try t.type("1234566"); try t.keys("Enter")
        try t.keys("Enter")                                      // 枝番 left blank (later)

        try await t.waitFor(Page.form)
        try t.keys("2", "Tab")                                   // 代理人
        try t.type("鈴木　一郎"); try t.keys("Tab")
        try t.type("ｽｽﾞｷ ｲﾁﾛｳ"); try t.keys("Tab")
        try t.type("090-1234-5678"); try t.keys("Tab")
        try t.type("ichiro@example.jp"); try t.keys("Tab")       // 代理人メール (別添2 備考)
        try t.type("長男"); try t.keys("Tab")
        try t.keys("Space", "Tab", "Space", "Tab")
        try t.type("保険証として使いたくないため"); try t.keys("Tab", "Tab", "Enter")

        try await t.waitFor(Page.branch)
        try t.keys("2", "Tab")                                   // 医療保険・医療扶助併用
        try t.type("全国健康保険協会東京支部"); try t.keys("Tab")
        try t.type("06130017"); try t.keys("Tab")
        try t.keys("1", "Tab")                                   // 申請済み
        try t.keys("1")                                          // 情報提供NWSで照会
        try await t.waitFor("< 情報提供NWSで照会 > 1/5")
        try t.keys("Enter")

        try await t.waitFor(Page.tickets)
        try t.keys("1", "Enter")                                 // no valid tickets

        try await t.waitFor(Page.explain)
        try await t.waitFor("g 保険者にも解除の申請が必要")
        for _ in 0..<6 { try t.keys("Space", "Tab") }
        try t.keys("Space", "Enter")

        // The review says it can be saved (no problems listed).
        try await t.waitForAll([Page.review, "保存できます。", "スズキ　ハナコ"])
        try t.keys("F2")
        let number = JapanDate.firstCaseNumber
        try await t.waitForAll(["保存しました（案件番号 \(number)）", "保険者の登録待ち"])
        try t.keys("F10")
        try await t.waitFor("EXITED:0")

        let out = try E2E.madoguchi(["cases", "--json"], dataDir: data)
        #expect(out.status == 0, "cases --json: \(out.stderr)")
        let c = try CaseJSON.find(number, in: out.stdout)
        #expect(c.string("status") == "waiting_for_insurer")
        #expect(c.string("branch") == "insured")
        #expect(c.int("events") == 1)
        let app = c.object("application")
        let p = app.object("applicant")
        #expect(p.string("furigana") == "スズキ　ハナコ")
        #expect(p.string("name") == "鈴木　花子")
        #expect(p.string("birthDate") == "1989-01-08", "平成1年1月8日 (the first day of Heisei)")
        #expect(p.string("postalCode") == "1234567")
        #expect(p.string("phone") == "")
        #expect(p.string("email") == "hanako@example.jp")
        #expect(app.raw["serverIndividualNumber"] == nil || app.raw["serverIndividualNumber"] is NSNull)
        let proxy = app.object("proxy")
        #expect(proxy.string("name") == "鈴木　一郎")
        #expect(proxy.string("furigana") == "スズキ　イチロウ")
        #expect(proxy.string("phone") == "090-1234-5678")
        #expect(proxy.string("email") == "ichiro@example.jp", "\(out.stdout)")
        #expect(proxy.string("relationship") == "長男")
        let ins = app.object("insurance")
        #expect(ins.string("insurerName") == "全国健康保険協会東京支部")
        #expect(ins.string("insurerNumber") == "06130017")
        #expect(ins.string("appliedToInsurer") == "applied")
        #expect(ins.string("verifiedBy") == "network_inquiry")
        #expect(app.bool("holdsValidTickets") == false)
        #expect(app.strings("explained") == ["a", "b", "c", "d", "e", "f", "g"])
        #expect(c.objects("ticketsIssued").isEmpty)
        #expect(app.string("applicationDate") == JapanDate.todayISO)

        let verify = try E2E.madoguchi(["verify"], dataDir: data)
        #expect(verify.status == 0, "verify: \(verify.stderr)")
        let lines = try String(contentsOf: data.appendingPathComponent("journal.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        // The sandbox's three opening lines (issue 12), then the case.
        #expect(lines.count == 4 && lines.filter { $0.contains("\"case.received\"") }.count == 1)
    }

    // MARK: 6. Tampering

    @Test("A flipped byte in the saved journal: verify exits 1 and names the line (行目)")
    func flippedByteIsFoundByVerify() async throws {
        let saved = try await SavedApplication.assistanceOnly.value
        let root = try E2E.makeTempDir("tamper")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.copyItem(at: saved.dataDir, to: data)
        let journal = data.appendingPathComponent("journal.jsonl")

        var bytes = [UInt8](try Data(contentsOf: journal))
        // Flip one bit in the second line, inside `"occasion":"intake"` (i → I): still valid JSON and UTF-8.
        guard let firstNewline = bytes.firstIndex(of: 0x0A),
              let at = E2E.find(Array("\"occasion\":\"intake\"".utf8), in: bytes, from: firstNewline + 1) else {
            throw E2EError("the second journal line has no \"occasion\":\"intake\"")
        }
        bytes[at + 12] ^= 0x20
        try Data(bytes).write(to: journal)
        let line = bytes[..<at].filter { $0 == 0x0A }.count + 1   // the tickets line (after the sandbox's opening lines)

        let out = try E2E.madoguchi(["verify"], dataDir: data)
        #expect(out.status == 1)
        #expect(line == 5 && out.stderr.contains("\(line)行目"), "stderr: \(out.stderr)")
        #expect(out.stderr.contains(journal.path), "stderr names the file: \(out.stderr)")
    }
}

// MARK: - The shared application

/// What tells the wizard's pages apart on screen: the start of each page's help line, read from
/// `screens/intake.toml` (the file the desk draws from), so rewording a help text does not break the tests.
enum Page {
    static let definition: FormDefinition? = try? FormLoader.load(from: E2E.repoRoot.appendingPathComponent("screens/intake.toml"))

    static func marker(_ id: String) -> String {
        guard let help = definition?.pages.first(where: { $0.id == id })?.help, !help.isEmpty else {
            return "【no page \(id) in screens/intake.toml】"
        }
        let sentence = help.split(separator: "。").first.map(String.init) ?? help
        return String(sentence.prefix(12))
    }

    static var applicant: String { marker("applicant") }
    static var form: String { marker("form") }
    static var branch: String { marker("branch") }
    static var tickets: String { marker("tickets") }
    static var explain: String { marker("explain") }
    static var review: String { marker("review") }
}

/// The assistance-only application of the manual walk-through, typed once per test run; the tests
/// that need a saved journal copy its data directory.
struct SavedApplication: Sendable {
    let dataDir: URL
    let savedScreen: String
    let exitScreen: String

    static let assistanceOnly = Task<SavedApplication, any Error> { try await typeAssistanceOnly() }

    /// `<tmp>/madoguchi-e2e-fixture-<pid>`, after removing those of test runs that have ended.
    /// Made once per test process: two fixtures typed at once (this one and `LifecycleCases`) used to
    /// remove each other's folder half-way (found when the sandbox's key files went missing, issue 12).
    static func fixtureRoot() throws -> URL { try sharedRoot.get() }

    private static let sharedRoot: Result<URL, any Error> = Result { try makeFixtureRoot() }

    private static func makeFixtureRoot() throws -> URL {
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory
        let prefix = "madoguchi-e2e-fixture-"
        for name in (try? fm.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH {
                E2E.remove(tmp.appendingPathComponent(name))
            }
        }
        let root = tmp.appendingPathComponent(prefix + "\(getpid())")
        E2E.remove(root)
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    static func typeAssistanceOnly() async throws -> SavedApplication {
        // Several tests copy it, so it outlives them; the next run removes it (see `fixtureRoot`).
        let data = try fixtureRoot().appendingPathComponent("data")
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await desk.waitForDesk()
        try await typeAssistanceOnlyApplication(t, recipient: "1234566", serverNumber: "1234567890123456")

        // The review says it can be saved and shows the values as they will be kept.
        try await t.waitForAll([Page.review, "保存できます。", "ヤマダ　タロウ", "昭和45年1月2日", "東京都"])
        try t.keys("F2")
        let saved = try await t.waitFor("保存しました（案件番号 \(JapanDate.firstCaseNumber)）")
        try t.keys("F10")
        let exit = try await t.waitFor("SHELL-BACK")
        return SavedApplication(dataDir: data, savedScreen: saved, exitScreen: exit)
    }
}

/// Page 1 (申請者) with the address and phone every end-to-end applicant shares; Enter goes to page 2.
func typeApplicantPage(_ t: TmuxSession, furigana: String, name: String, birth: String, prefecture: String,
                       recipient: String, serverNumber: String) throws {
    try t.type(furigana); try t.keys("Tab")
    try t.type(name); try t.keys("Tab")
    try t.type(birth); try t.keys("Tab")
    try t.type("1234567"); try t.keys("Tab")
    try t.type(prefecture); try t.keys("Tab")
    try t.type("千代田区"); try t.keys("Tab")
    try t.type("霞が関1-2-2"); try t.keys("Tab")
    try t.type("03-1234-5678"); try t.keys("Tab", "Tab")   // no email
    try t.type(recipient); try t.keys("Tab")
    try t.type(serverNumber); try t.keys("Enter")
}

/// Types the assistance-only application every end-to-end test starts from, page by page, up to the
/// review page (not saved): ﾔﾏﾀﾞ ﾀﾛｳ, two paper tickets for next month (R-PT-1), a–f explained.
func typeAssistanceOnlyApplication(_ t: TmuxSession, recipient: String, serverNumber: String,
                                   furigana: String = "ﾔﾏﾀﾞ ﾀﾛｳ", name: String = "山田　太郎", birth: String = "S45.1.2",
                                   reason: String = "カードの管理に不安があるため") async throws {
    let next = JapanDate.nextMonth()
    let ry = JapanDate.reiwa(next.year)
    try t.keys("F2")
    try await t.waitFor(Page.applicant)
    try typeApplicantPage(t, furigana: furigana, name: name, birth: birth, prefecture: "東京",
                          recipient: recipient, serverNumber: serverNumber)

    try await t.waitFor(Page.form)
    try t.keys("Space", "Tab", "Space", "Tab", "Space", "Tab")
    // 理由 → 申請日 (today) → 転入前の事務所 (blank) → next page.
    try t.type(reason); try t.keys("Tab", "Tab", "Enter")

    try await t.waitFor(Page.branch)
    try t.keys("Right", "Enter")

    try await t.waitFor(Page.tickets)
    try t.keys("2", "Tab", "Right", "Tab")
    try t.type("デモ内科クリニック"); try t.keys("Tab")
    try t.type("R\(ry).\(next.month)"); try t.keys("Tab", "Right", "Right", "Tab")
    try t.type("デモ薬局"); try t.keys("Tab")
    try t.type("令和\(ry)年\(next.month)月"); try t.keys("NPage")

    try await t.waitFor(Page.explain)
    for _ in 0..<5 { try t.keys("Space", "Tab") }
    try t.keys("Space", "Enter")
}

// MARK: - Reading JSON

/// A JSON object with typed accessors that answer nil instead of crashing.
struct JSONObject {
    let raw: [String: Any]

    init(_ raw: [String: Any]) { self.raw = raw }

    init(line: String) throws {
        guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw E2EError("not a JSON object: \(line)")
        }
        raw = o
    }

    func string(_ k: String) -> String? { raw[k] as? String }
    func int(_ k: String) -> Int? { (raw[k] as? NSNumber)?.intValue }
    func bool(_ k: String) -> Bool? { raw[k] as? Bool }
    func strings(_ k: String) -> [String]? { raw[k] as? [String] }
    func object(_ k: String) -> JSONObject { JSONObject(raw[k] as? [String: Any] ?? [:]) }
    func objects(_ k: String) -> [JSONObject] { (raw[k] as? [[String: Any]] ?? []).map(JSONObject.init) }
}

enum CaseJSON {
    /// The case with `number` from `madoguchi cases --json` output.
    static func find(_ number: String, in stdout: String) throws -> JSONObject {
        guard let all = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]] else {
            throw E2EError("cases --json did not print a JSON array:\n\(stdout)")
        }
        guard let c = all.first(where: { $0["number"] as? String == number }) else {
            throw E2EError("case \(number) is not in cases --json:\n\(stdout)")
        }
        return JSONObject(c)
    }
}

extension E2E {
    static func find(_ needle: [UInt8], in hay: [UInt8], from start: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = start
        while i + needle.count <= hay.count {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    /// Terminal columns of captured text (East Asian wide = 2), enough for the desk's characters.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
                || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v)
            return w + (wide ? 2 : 1)
        }
    }
}
