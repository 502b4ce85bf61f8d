import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// Issue 11, the desk walkthrough: defects found by driving the desk, each with its test.
@Suite("Desk walkthrough fixes (issue 11)", .tags(.unit))
struct WalkthroughFixTests {
    // MARK: 1. Training date moves ask first

    static func trainingDesk() -> DeskState {
        var desk = UIFixture.desk()
        _ = desk.update(.trainingChanged(TrainingPanel(bookTitle: "研修", sandbox: "t1", scenarios: [], inbox: [])))
        desk.press(.function(11))
        return desk
    }

    @Test("F11 d 2 Enter asks y/n with 令和8年11月24日 → 令和8年11月30日 and moves nothing; n and Esc return to the menu as it was")
    func clockMenuAsks() {
        var desk = Self.trainingDesk()
        #expect(desk.press(.char("d"), .char("2"), .enter).isEmpty)
        guard let ask = ConfirmTests.confirmation(desk) else { Issue.record("no confirmation: \(String(describing: desk.dialog))"); return }
        #expect(ask.lines.first == "研修の日付：令和8年11月24日 → 令和8年11月30日")
        let text = desk.render().text
        #expect(text.contains("令和8年11月24日 → 令和8年11月30日"))
        #expect(text.contains("戻せません"))
        #expect(text.contains("y：進める"))
        for no in [Key.char("n"), .escape, .char("ｎ")] {
            #expect(desk.press(no).isEmpty)
            guard case .menu(let m)? = desk.dialog else { Issue.record("not back at the menu after \(no)"); return }
            #expect(m.purpose == .trainingClock && m.selected == 1)
            desk.press(.enter)
            #expect(ConfirmTests.confirmation(desk) != nil)
        }
        // Any other key answers nothing.
        #expect(desk.press(.enter).isEmpty)
        #expect(desk.press(.char("x")).isEmpty)
        #expect(ConfirmTests.confirmation(desk) != nil)
        #expect(desk.press(.char("y")) == [.moveTrainingClock(.to(LocalDate(year: 2026, month: 11, day: 30)!))])
        #expect(desk.status?.text == "研修の日付を進めています…")
    }

    @Test("4 Enter + a date + Enter asks y/n; n returns to the form with the date as typed")
    func clockDateAsks() {
        var desk = Self.trainingDesk()
        desk.press(.char("d"), .char("4"), .enter, .ctrl("u"))
        desk.paste("R8.12.10")
        #expect(desk.press(.enter).isEmpty)
        guard let ask = ConfirmTests.confirmation(desk) else { Issue.record("no confirmation"); return }
        #expect(ask.lines.first == "研修の日付：令和8年11月24日 → 令和8年12月10日")
        desk.press(.escape)
        guard case .form(let f)? = desk.dialog else { Issue.record("not back at the form"); return }
        #expect(f.purpose == .trainingDate && f.fields[0].value == "R8.12.10")
        desk.press(.enter)
        #expect(desk.press(.char("y")) == [.moveTrainingClock(.to(LocalDate(year: 2026, month: 12, day: 10)!))])
    }

    // MARK: 2. Dialogs leave nothing of the screen beside them

    /// Every wide character has its continuation and every continuation its wide character.
    static func wellFormed(_ c: Canvas) -> [String] {
        var bad: [String] = []
        for y in 0..<c.height {
            for x in 0..<c.width {
                let cell = c[x, y]
                if cell.isContinuation {
                    if x == 0 || c[x - 1, y].isContinuation || DisplayWidth.of(c[x - 1, y].text) != 2 { bad.append("row \(y) col \(x): a lone half") }
                } else if DisplayWidth.of(cell.text) == 2 && (x + 1 >= c.width || !c[x + 1, y].isContinuation) {
                    bad.append("row \(y) col \(x): \(cell.text) without its second half")
                }
            }
        }
        return bad
    }

    /// Rows a dialog changed: nothing but blanks left and right of the box (its reverse cells).
    static func fragmentsBesideBox(under: Canvas, over: Canvas) -> [String] {
        var bad: [String] = []
        for y in 1..<(over.height - 3) {
            let changed = (0..<over.width).contains { over[$0, y] != under[$0, y] }
            let boxCells = (0..<over.width).filter { over[$0, y].style.reverse }
            guard changed, let left = boxCells.first, let right = boxCells.last else { continue }
            let outside = (0..<over.width).filter { $0 < left || $0 > right }.map { over[$0, y].text }.joined()
            if outside.contains(where: { $0 != " " }) { bad.append("row \(y): \(outside)") }
        }
        return bad
    }

    /// A list whose every row is wide characters (long names) and a wide status line.
    static func wideList() throws -> DeskState {
        let store = CaseStore(journalURL: UIFixture.temporaryJournalURL())
        try store.load()
        let ctx = ValidationContext(today: UIFixture.today, defaultEra: .reiwa)
        let names = ["今井　春日部", "西園寺　今日子", "勅使河原　承太郎", "長谷川　今朝美", "小比類巻　承子", "東海林　今日一"]
        for (i, name) in names.enumerated() {
            let v = UIFixture.values(furigana: "イマイ カスカベ", name: name, birth: "S45.1.2", branch: .assistanceOnly,
                                     recipientBody: "\(234560 + i)")
            let check = IntakeForm.check(UIFixture.form, values: v, context: ctx)
            guard let app = check.application else { throw UIFixture.FixtureError("\(check.problems.map(\.description))") }
            _ = try store.receive(app, ticketsIssuedNow: check.tickets, operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 20 + i % 4, 9))
        }
        var desk = UIFixture.desk(cases: store.book.all)
        desk.status = StatusLine("今日の要対応はありません。承認待ちの一括登録もありません。今日も一日おつかれさまです。")
        return desk
    }

    @Test("F7 menu, y/n, a form and the F10 question over a screen of wide characters: every row whole, nothing beside the box")
    func dialogsClearTheirRows() throws {
        var list = try Self.wideList()
        let under = list.render()
        #expect(Self.wellFormed(under).isEmpty)
        var menu = list
        menu.press(.function(7))
        var form = list
        form.press(.function(4), .enter)
        var confirm = list
        confirm.openIntake()
        confirm.paste("ヤマダ")
        confirm.press(.escape)
        let confirmUnder = confirm.render()
        confirm.press(.char("d"))
        for (name, desk, base) in [("menu", menu, under), ("form", form, under), ("confirm", confirm, confirmUnder)] {
            #expect(desk.dialog != nil, "\(name)")
            let over = desk.render()
            #expect(Self.wellFormed(over).isEmpty, "\(name): \(Self.wellFormed(over))")
            #expect(Self.fragmentsBesideBox(under: base, over: over).isEmpty, "\(name): \(Self.fragmentsBesideBox(under: base, over: over))")
        }
        // F10 on the intake: no label is left cut beside the question (町名・番地等 without its *).
        list.openIntake()
        list.paste("ヤマダ")
        let intake = list.render()
        list.press(.function(10))
        #expect(list.dialog == .confirmQuit)
        let quit = list.render()
        #expect(Self.wellFormed(quit).isEmpty)
        #expect(Self.fragmentsBesideBox(under: intake, over: quit).isEmpty, "\(Self.fragmentsBesideBox(under: intake, over: quit))")
    }

    @Test("Canvas.box over wide characters at every offset: no half left, the rows blank beside the box, the rows around untouched")
    func canvasBox() {
        for x in 0..<4 {
            var c = Canvas(width: 30, height: 6)
            for y in 0..<6 { c.put((y % 2 == 0 ? "" : " ") + String(repeating: "今承", count: 10), x: 0, y: y) }
            let before = c
            c.box(x: 5 + x, y: 2, width: 13, rows: 2, style: .bar)
            #expect(Self.wellFormed(c).isEmpty, "\(Self.wellFormed(c))")
            for y in [2, 3] {
                for col in 0..<30 {
                    let inBox = col >= 5 + x && col < 18 + x
                    #expect(c[col, y] == Cell(" ", style: inBox ? .bar : .normal), "offset \(x) row \(y) col \(col)")
                }
            }
            for y in [0, 1, 4, 5] { #expect((0..<30).allSatisfy { c[$0, y] == before[$0, y] }) }
        }
    }

    // MARK: 3. The draft counts what was typed

    @Test("F2 then Esc with nothing typed keeps no draft (no 受付再開, no 入力中を破棄); F10 then quits without asking")
    func untouchedDraftDropped() {
        var desk = UIFixture.desk()
        desk.openIntake()
        #expect(desk.intake?.dirty == false)          // the application date is prefilled, not typed
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        #expect(desk.intake == nil)
        let footer = desk.render().footerText
        #expect(footer.contains("F2 新規受付"))
        #expect(!footer.contains("入力中を破棄"))
        desk.press(.char("d"))
        #expect(desk.dialog == nil)
        #expect(desk.status?.text == "入力中の申請はありません。")
        desk.openIntake()
        #expect(desk.press(.function(10)) == [.quit])
    }

    @Test("Only フリガナ typed: d shows the フリガナ and 入力した項目 1 (the prefilled date not counted); typing it away is nothing typed")
    func draftCountsTyped() {
        var desk = UIFixture.desk()
        desk.openIntake()
        desk.intake?.jump(toField: IntakeFieldID.furigana, desk.config.form)
        desk.paste("ヤマダ")
        desk.press(.escape)
        #expect(desk.intake != nil)
        desk.press(.char("d"))
        guard let ask = ConfirmTests.confirmation(desk) else { Issue.record("no confirmation"); return }
        #expect(ask.lines.first == "フリガナ：ヤマダ　入力した項目 1")
        desk.press(.char("n"))
        // 氏名 typed as well: the name shows, two items.
        desk.press(.function(2))
        desk.intake?.jump(toField: IntakeFieldID.name, desk.config.form)
        desk.paste("山田")
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        desk.press(.char("d"))
        #expect(ConfirmTests.confirmation(desk)?.lines.first == "氏名：山田　入力した項目 2")
        desk.press(.char("n"))
        // Both typed away again: nothing typed, so Esc keeps no draft.
        desk.press(.function(2))
        desk.intake?.jump(toField: IntakeFieldID.furigana, desk.config.form)
        desk.press(.ctrl("u"), .tab, .ctrl("u"))
        #expect(desk.focusedFieldID == IntakeFieldID.name)
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        #expect(desk.intake == nil)
    }

    // MARK: 4. The sandbox in the banner

    @Test("【研修モード t1】 and 【研修モード t2】 on the title bar; no name, 【研修モード】; never outside training")
    func sandboxBanner() {
        func titleRow(_ sandbox: String?, training: Bool = true) -> String {
            let config = DeskConfig(officeName: "デモ市福祉事務所", isTraining: training, operatorID: "yamada", operatorName: "山田 花子",
                                    operatorRole: .clerk, form: UIFixture.form, trainingSandbox: sandbox)
            let desk = DeskState(config: config, today: UIFixture.today, width: 80, height: 24, cases: [])
            return String(desk.render().text.split(separator: "\n")[0])
        }
        #expect(titleRow("t1").hasSuffix("【研修モード t1】"), "\(titleRow("t1"))")
        #expect(titleRow("t2").hasSuffix("【研修モード t2】"))
        #expect(titleRow("t1") != titleRow("t2"))
        #expect(titleRow(nil).hasSuffix("【研修モード】"))
        #expect(!titleRow("t1", training: false).contains("研修"))
        // A long name is cut with …; the date stays.
        let long = titleRow(String(repeating: "trainee", count: 4))
        #expect(long.contains("令和8年11月24日") && long.hasSuffix("…】"), "\(long)")
        let login = LoginState(officeName: "デモ市福祉事務所", isTraining: true, operators: [], preselect: nil, width: 80, height: 24,
                               trainingSandbox: "t1")
        #expect(login.render().text.split(separator: "\n")[0].hasSuffix("【研修モード t1】"))
    }

    // MARK: 5. A report returns where it was opened

    @Test("F8 → h → e: Esc from the CSV report returns to 未完了一覧 with its filter; from the list, to the list")
    func reportReturns() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8), .char("b"))
        let filter = desk.pending.filter
        #expect(filter != PendingFilter())
        let effects = desk.press(.char("e"))
        #expect(!effects.isEmpty)
        _ = desk.update(.operationDone(title: "未完了一覧の CSV", lines: ["未完了一覧を CSV に書き出しました：/x/pending.csv（1件）"],
                                       cases: desk.cases, showReport: true))
        #expect(desk.screen == .report)
        #expect(desk.render().footerText.contains("Esc 戻る"))
        desk.press(.escape)
        #expect(desk.screen == .pending)
        #expect(desk.pending.filter == filter)
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        _ = desk.update(.operationDone(title: "取込", lines: ["取り込みました"], cases: desk.cases, showReport: true))
        #expect(desk.render().footerText.contains("Esc 一覧へ"))
        desk.press(.escape)
        #expect(desk.screen == .caseList)
    }

    // MARK: 6. Desk wording

    @Test("F8's chart labels months in 和暦 (R8.11), not 2026-11")
    func chartMonthsInWareki() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8))
        let text = desk.render().text
        #expect(text.contains("\n R8.11 "), "\(text)")
        #expect(!text.contains("2026-11"))
        #expect(Wareki.formatShort(YearMonth(year: 2019, month: 5)!) == "R1.5")
        #expect(Wareki.formatShort(YearMonth(year: 2019, month: 4)!) == "H31.4")
    }

    @Test("The R-RG-5 correction warning names the F7 item as the menu says it, in Japanese only")
    func correctionWarningWording() throws {
        let store = CaseStore(journalURL: UIFixture.temporaryJournalURL())
        let ctx = ValidationContext(today: UIFixture.today, defaultEra: .reiwa)
        let check = IntakeForm.check(UIFixture.form, values: UIFixture.values(furigana: "ヤマダ タロウ", name: "山田 太郎", birth: "S45.1.2",
                                                                             branch: .assistanceOnly, serverNumber: "1234567890123456"), context: ctx)
        let c = try store.receive(try #require(check.application), ticketsIssuedNow: [], operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 10))
        try store.record([(c.number, .exported(file: "FI_HIM_0018_test.csv")), (c.number, .registrationFailed(message: "枝番の誤り", file: nil))],
                         operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 11))
        let failed = try #require(store.book[c.number])
        #expect(failed.status == .registrationFailed)
        var request = CorrectionRequest.start(failed, form: UIFixture.form)
        request.values[IntakeFieldID.serverIndividualNumber] = "1234567890123457"
        request.reason = "枝番の写し間違い"
        let plan = try Correction.plan(failed, request, form: UIFixture.form, context: ctx)
        let warning = try #require(plan.warnings.first { $0.contains("R-RG-5") })
        #expect(warning.contains("F7 の「\(CaseAction.requeue.label.replacingOccurrences(of: "（R-RG-5）", with: ""))」"), "\(warning)")
        #expect(!warning.contains("requeue"))
    }

    // MARK: 7. The list heading is cut, never overwritten

    @Test("80×24, F6 twice: the counts end with … before 並び：フリガナ↑, with a space between; F1 shows them whole")
    func headingCut() throws {
        let store = CaseStore(journalURL: UIFixture.temporaryJournalURL())
        let ctx = ValidationContext(today: UIFixture.today, defaultEra: .reiwa)
        var numbers: [String] = []
        for (i, branch) in [Branch.assistanceOnly, .insured, .assistanceOnly, .assistanceOnly, .assistanceOnly, .assistanceOnly].enumerated() {
            let v = UIFixture.values(furigana: "ヤマダ タロウ", name: "山田 太郎", birth: "S45.1.2", branch: branch,
                                     recipientBody: "\(345670 + i)", serverNumber: branch == .insured ? "" : "1234567890123456")
            let check = IntakeForm.check(UIFixture.form, values: v, context: ctx)
            numbers.append(try store.receive(try #require(check.application), ticketsIssuedNow: check.tickets, operatorID: "yamada",
                                             now: UIFixture.jst(2026, 11, 20, 9 + i)).number)
        }
        let d = UIFixture.today
        try store.record([(numbers[2], .exported(file: "f.csv")), (numbers[2], .registrationFailed(message: "x", file: nil)),
                          (numbers[3], .withdrawn(reason: "本人の申し出", on: d)), (numbers[4], .transferredOut(office: "隣町", on: d)),
                          (numbers[5], .exported(file: "f.csv"))],
                         operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 12))
        var desk = UIFixture.desk(cases: store.book.all)
        #expect(DisplayWidth.of(desk.caseListSummary) > 62, "\(desk.caseListSummary)")
        desk.press(.function(6), .function(6))
        let heading = String(desk.render().text.split(separator: "\n")[1])
        #expect(heading.hasSuffix(" 並び：フリガナ↑"), "\(heading)")
        let counts = heading.components(separatedBy: "並び：")[0].trimmingCharacters(in: .whitespaces)
        #expect(counts.hasSuffix("…"), "\(heading)")
        #expect(desk.caseListSummary.hasPrefix(String(counts.dropLast())))
        desk.press(.function(1))
        let help = desk.render().text
        #expect(help.contains("【案件一覧】 " + desk.caseListSummary.prefix(20)) && help.contains("取下げ 1）"), "\(help)")
    }
}

/// Issue 11 final walkthrough: F8 → F9 → Esc landed on the case list, losing the pending list.
@Suite("Reminders return where F9 was pressed", .tags(.unit))
struct RemindersReturnTests {
    @Test("F8 → F9 → Esc returns to the pending list; from the case list it returns to the case list")
    func returnsWhereOpened() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8), .function(9))
        #expect(desk.screen == .reminders)
        #expect(desk.render().text.contains("Esc 戻る"))
        desk.press(.escape)
        #expect(desk.screen == .pending)
        desk.press(.function(9), .function(9))
        #expect(desk.screen == .pending, "F9 again also returns")
        desk.press(.escape, .function(9), .escape)
        #expect(desk.screen == .caseList)
    }
}

/// Issue 11 final walkthrough: with a named sandbox and a waiting batch the office name was cut to
/// 「デモ…」 although the role had been dropped and the row had room for it.
@Suite("Title bar uses its room", .tags(.unit))
struct TitleBarRoomTests {
    @Test("the role goes first; the office name is then shortened only as far as the row needs")
    func officeNotCutNeedlessly() throws {
        let cases = try UIFixture.threeCases()
        for sandbox in ["t1", "trainee01", "研修生一郎"] {
            let config = DeskConfig(officeName: "デモ市福祉事務所", isTraining: true, operatorID: "sato", operatorName: "佐藤 一郎",
                                    operatorRole: .supervisor, form: UIFixture.form, operatorNames: MakerCheckerSightTests.names,
                                    trainingSandbox: sandbox)
            var desk = DeskState(config: config, today: UIFixture.today, width: 80, height: 24, cases: cases)
            _ = desk.update(.batchesChanged([MakerCheckerSightTests.batch(.prepared, cases: [cases[0].number])]))
            let title = String(desk.render().text.split(separator: "\n")[0])
            #expect(title.contains("承認待ち 1") && title.contains("【研修モード \(sandbox)】") && title.contains("令和8年11月24日"), "\(title)")
            #expect(DisplayWidth.of(title) <= 80)
            if !title.contains("デモ市福祉事務所") {
                // The office is cut only as far as the row needs: the row is full (the walkthrough saw
                // 「デモ…」 with 9 columns free).
                #expect(DisplayWidth.of(title) >= 79, "\(title)")
            }
        }
    }
}
