import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// Issue 11, item 1: what a screen shows is what is stored, whole, at 80×24 and at 120×40.
@Suite("The screen never lies: long text whole at 80×24 and 120×40", .tags(.unit))
struct ScreenNeverLiesTests {
    static let reason = "施設に入所しており、本人がマイナンバーカードを管理することが難しいとのこと。家族も遠方に住んでいるため"
    static let path = "/home/madoguchi/office-data/exports/FI_HIM_00019_D20261124093015_registration.csv"
    static let sizes = [(80, 24), (120, 40)]

    /// The rows of the screen's body (title bar, footer and the ↑/↓ marker column left out), back to
    /// back without ASCII spaces (indents, padding): where wrapped text reads as one.
    static func body(_ c: Canvas) -> String {
        var out = ""
        for y in 1..<(c.height - 1) {
            var row = ""
            for x in 0..<(c.width - 2) { row += c[x, y].text }
            out += row
        }
        return Self.squeezed(out)
    }

    static func squeezed(_ s: String) -> String {
        s.replacingOccurrences(of: " ", with: "")
    }

    /// Every screenful met while pressing `key` until the screen stops changing.
    static func screens(_ desk: inout DeskState, scrolling key: Key = .down) -> [Canvas] {
        var seen = [desk.render()]
        for _ in 0..<80 {
            desk.press(key)
            let c = desk.render()
            if c == seen.last { break }
            seen.append(c)
        }
        return seen
    }

    static func caseWithReason(_ reason: String, name: String = "山田　太郎") throws -> [CaseRecord] {
        let store = CaseStore(journalURL: UIFixture.temporaryJournalURL())
        try store.load()
        var v = UIFixture.values(furigana: "ヤマダ タロウ", name: name, birth: "S45.1.2", branch: .assistanceOnly,
                                 serverNumber: "1234567890123456", appDate: "R8.11.20")
        v[IntakeFieldID.reason] = reason
        let check = IntakeForm.check(UIFixture.form, values: v, context: ValidationContext(today: UIFixture.today, defaultEra: .reiwa))
        let app = try #require(check.application, "\(check.problems.map(\.description))")
        _ = try store.receive(app, ticketsIssuedNow: [], operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 20, 9, 15))
        return store.book.all
    }

    @Test("Case screen: the 60-character reason is whole in one screenful, every row within the width", arguments: sizes)
    func caseDetailReason(width: Int, height: Int) throws {
        var desk = UIFixture.desk(width: width, height: height, cases: try Self.caseWithReason(Self.reason))
        desk.press(.enter)
        #expect(desk.screen == .caseDetail("2026-0001"))
        let all = Self.screens(&desk)
        #expect(all.contains { Self.body($0).contains("理由" + Self.reason) }, "\(all.map(\.text))")
        for c in all { Snapshot.checkWidths(c) }
    }

    @Test("Review page: the reason is whole before saving", arguments: sizes)
    func reviewReason(width: Int, height: Int) {
        var desk = UIFixture.desk(width: width, height: height)
        desk.typeWholeAssistanceOnlyApplication(reason: Self.reason)
        #expect(desk.currentPageID == "review")
        let all = Self.screens(&desk)
        #expect(all.contains { Self.body($0).contains("理由" + Self.reason) }, "\(all.map(\.text))")
    }

    @Test("Intake page: the reason field shows all it holds while typed, over more rows", arguments: sizes)
    func intakeField(width: Int, height: Int) throws {
        var desk = UIFixture.desk(width: width, height: height)
        desk.openIntake()
        desk.fillApplicantPage()
        desk.press(.char("1"), .tab, .char(" "), .tab, .char(" "), .tab)
        #expect(desk.focusedFieldID == IntakeFieldID.reason)
        desk.paste(Self.reason)
        let c = desk.render()
        #expect(Self.body(c).contains(Self.reason), "\(c.text)")
        // The cursor sits after the last character typed, on the row that holds it.
        let cursor = try #require(c.cursor)
        #expect(c[cursor.x - 2, cursor.y].text == "め")
        // A paste far longer than the page: the page follows the cursor.
        desk.paste(String(repeating: Self.reason, count: 40))
        let long = desk.render()
        let end = try #require(long.cursor)
        #expect(long[end.x - 2, end.y].text == "め")
        // Home puts it before the first character, on the first row.
        desk.press(.home)
        let home = try #require(desk.render().cursor)
        #expect(desk.render()[home.x, home.y].text == "施")
    }

    @Test("Report screen: a long export path is whole, no digit lost", arguments: sizes)
    func reportPath(width: Int, height: Int) {
        var desk = UIFixture.desk(width: width, height: height)
        let lines = ["一括登録ファイルを書き出しました：\(Self.path)", "件数：3件（医療扶助単独）", "次は登録結果ファイルを F4 で取り込みます。"]
        _ = desk.update(.operationDone(title: "一括登録", lines: lines, cases: [], showReport: true))
        #expect(desk.screen == .report)
        let body = Self.body(desk.render())
        for l in lines { #expect(body.contains(Self.squeezed(l)), "\(desk.render().text)") }
        #expect(body.contains("FI_HIM_00019_D20261124093015"))
    }

    @Test("A report longer than the screen scrolls with PgDn, marked ↓ until its end")
    func reportScrolls() {
        var desk = UIFixture.desk()
        let lines = (1...60).map { "行\($0)：" + Self.reason }
        _ = desk.update(.operationDone(title: "取込", lines: lines, cases: [], showReport: true))
        let first = desk.render()
        #expect(first[78, 21].text == "↓")
        #expect(first.text.contains("頁"))
        let all = Self.screens(&desk, scrolling: .pageDown)
        let read = all.map(Self.body).joined()
        for l in lines { #expect(read.contains(l)) }
        #expect(all.last.map { $0[78, 21].text } != "↓")
    }

    @Test("Case list: a name too long for its column ends in …, and the case screen has it whole")
    func listCellMarked() throws {
        let long = "寿限無寿限無五劫の擦り切れ海砂利水魚"
        var desk = UIFixture.desk(cases: try Self.caseWithReason("理由", name: long))
        let row = desk.render().text.split(separator: "\n")[3]
        #expect(row.contains("…") && !row.contains(long))
        desk.press(.enter)
        #expect(desk.render().text.contains(long))
    }

    @Test("A status message longer than a row is wrapped; one longer than three rows ends in … and F1 shows it whole")
    func statusLine() {
        var desk = UIFixture.desk()
        desk.status = StatusLine("取り込めませんでした：" + Self.path, .error)
        #expect(Self.body(desk.render()).contains(Self.path))
        let long = (1...8).map { "\($0)行目に誤りがあります：" + Self.reason }.joined()
        desk.status = StatusLine(long, .error)
        let c = desk.render()
        #expect(c.text.contains("（F1 で全文）"))
        desk.press(.function(1))
        let help = Self.screens(&desk, scrolling: .down).map(Self.body).joined()
        #expect(help.contains(Self.squeezed(long)))
    }

    @Test("Menus and forms wrap a long title and a long error instead of cutting them")
    func dialogs() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(7))   // 案件 2026-0001 に記録する
        desk.press(.char("5"))     // 取下げを記録
        desk.paste(Self.reason)
        let c = desk.render()
        let body = Self.body(c)
        #expect(body.contains("取下げを記録"))
        Snapshot.checkWidths(c)
    }
}

@Suite("Help scrolls; the footer names every key (issue 11, item 6)", .tags(.unit))
struct HelpAndFooterTests {
    @Test("F1 on the pending list at 80×24: ↓ says there is more, PgDn reaches the end, PgUp goes back")
    func pendingHelpScrolls() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8), .function(1))
        #expect(desk.screen == .help)
        let first = desk.render()
        #expect(first.text.contains("1/"))
        #expect(first[78, 21].text == "↓", "\(first.text)")
        let all = ScreenNeverLiesTests.screens(&desk, scrolling: .pageDown)
        #expect(all.count > 1)
        let read = all.map(ScreenNeverLiesTests.body).joined()
        for line in desk.helpLines() where !line.0.isEmpty { #expect(read.contains(ScreenNeverLiesTests.squeezed(line.0)), "\(line.0)") }
        #expect(all.last.map { $0[78, 21].text } != "↓")
        desk.press(.pageUp, .pageUp, .pageUp, .pageUp)
        #expect(desk.render() == first)
        desk.press(.escape)
        #expect(desk.screen == .pending)
    }

    @Test("Case-list footer at 80 and 120 columns names F1–F10 (F11 on a training office), Enter and ↑↓", arguments: [80, 120])
    func caseListFooter(width: Int) {
        let desk = UIFixture.desk(width: width, height: 24)
        let footer = desk.render().footerText
        for k in ["F1 ", "F2 ", "F3 ", "F4 ", "F5 ", "F6 ", "F7 ", "F8 ", "F9 ", "F10 ", "F11 ", "Enter ", "↑↓ "] {
            #expect(footer.contains(k), "\(k) missing from \(footer)")
        }
    }

    @Test("F11 is named only on a training office")
    func f11OnlyInTraining() {
        let office = DeskConfig(officeName: "本番市福祉事務所", isTraining: false, operatorID: "yamada", operatorName: "山田 花子",
                                operatorRole: .clerk, form: UIFixture.form)
        var desk = DeskState(config: office, today: UIFixture.today, width: 80, height: 24, cases: [])
        #expect(!desk.render().text.contains("F11"))
        desk.press(.function(1))
        #expect(!desk.helpLines().contains { $0.0.contains("F11") })
    }
}

@Suite("Fit the terminal and the reader (issue 11, item 8)", .tags(.unit))
struct FitTheTerminalTests {
    @Test("At 120 columns the list's columns widen and the address shows; at 80 it does not")
    func columnsWiden() throws {
        let narrow = UIFixture.desk(cases: try UIFixture.threeCases()).render().text
        let wide = UIFixture.desk(width: 120, height: 40, cases: try UIFixture.threeCases()).render().text
        #expect(!narrow.contains("住所"))
        #expect(wide.contains("住所") && wide.contains("東京都千代田区霞が関"))
        // No more than a few blank columns at the end of a row of the table.
        let row = wide.split(separator: "\n")[3]
        #expect(DisplayWidth.of(row) >= 110, "\(row)")
        let widths = TableLayout.widths(DeskState.caseListColumns, room: 117)
        #expect(widths.compactMap { $0 }.reduce(0, +) + widths.compactMap { $0 }.count <= 117)
        #expect(widths[1]! > 14)
    }

    @Test("A long institution name: whole in the wider box at 120 columns, ended by … at 80 once the cursor leaves it")
    func ticketBox() {
        let name = "医療法人社団デモ会デモ記念総合病院附属第二診療所"   // 48 columns
        for (width, whole) in [(120, true), (80, false)] {
            var desk = UIFixture.desk(width: width, height: 24)
            desk.openIntake()
            desk.press(.pageDown, .pageDown, .pageDown)
            desk.press(.char("2"), .tab)
            desk.press(.char(" "), .tab); desk.paste(name); desk.press(.tab)
            let text = desk.render().text
            #expect(text.contains(name) == whole, "\(text)")
            if !whole { #expect(text.contains("医療法人社団デモ会デモ記念総合病…")) }
        }
    }

    @Test("Names, not operator ids, in the history, the pending list and its clerk filter")
    func namesNotIDs() throws {
        let config = DeskConfig(officeName: "デモ市福祉事務所", isTraining: true, operatorID: "sato", operatorName: "佐藤 一郎",
                                operatorRole: .supervisor, form: UIFixture.form,
                                operatorNames: ["yamada": "山田 花子", "sato": "佐藤 一郎"])
        var desk = DeskState(config: config, today: UIFixture.today, width: 80, height: 24, cases: try UIFixture.threeCases())
        desk.press(.enter)
        let detail = ScreenNeverLiesTests.screens(&desk).map(\.text).joined()
        #expect(detail.contains("山田 花子") && !detail.contains("yamada"))
        desk.press(.escape, .function(8), .char("c"))
        let pending = desk.render().text
        #expect(pending.contains("受付 山田 花子") && !pending.contains("yamada"))
    }
}

@Suite("Login: every operator can be reached", .tags(.unit))
struct LoginListTests {
    @Test("Thirty operators at 80×24: the list scrolls with the selection, ↓/↑ mark the rest, none is dropped")
    func manyOperators() {
        let ops = (1...30).map { Operator(id: "op\($0)", name: "職員\($0)", role: .clerk) }
        var login = LoginState(officeName: "デモ市福祉事務所", isTraining: false, operators: ops, preselect: nil, width: 80, height: 24)
        var seen = Set<String>()
        let first = login.render()
        #expect(first[78, 4].text != "↑")
        #expect(first.text.contains("↓"))
        for _ in ops {
            let text = login.render().text
            for op in ops where text.contains("\(op.name) ") { seen.insert(op.id) }
            _ = login.update(.down)
        }
        #expect(seen.count == 30)
        #expect(login.render().text.contains("職員30"))
        #expect(login.render()[78, 4].text == "↑")
    }
}

@Suite("The search line and the two-row footer share the bottom without covering each other", .tags(.unit))
struct SearchLineAndFooterTests {
    @Test("/ on the case list at 80×24: the search line sits above the footer, whose keys all still show")
    func searchLineAboveFooter() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.char("/"))
        desk.paste("青木")
        var rows = desk.render().text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows[desk.statusRow].contains("/青木"), "\(rows)")
        #expect(desk.render().footerText.contains("Enter 決定"))
        desk.press(.enter)
        rows = desk.render().text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows[desk.statusRow].contains("検索「青木」"), "\(rows)")
        let footer = desk.render().text.split(separator: "\n", omittingEmptySubsequences: false)[(desk.statusRow + 1)...].joined(separator: " ")
        for k in ["n 次の一致", "N 前の一致", "F1 ", "F8 ", "F9 ", "F11 ", "F10 "] { #expect(footer.contains(k), "\(k): \(footer)") }
    }
}
