import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// Issue 11, item 2: every menu and form of the desk does what its hint says. One rule for menus: a
/// digit or ↑↓ highlights, Enter decides; so "digit Enter" and "arrows Enter" choose the same item,
/// and the Enter the hint asks for never lands in the form behind. In forms, typing goes to the field
/// drawn as focused, and a field hidden by its condition is never focused or filled.
@Suite("Menus and forms do what their hint says (issue 11)", .tags(.unit))
struct MenuFormTests {
    // MARK: Fixtures

    static func trainingPanel() -> TrainingPanel {
        TrainingPanel(bookTitle: "研修", sandbox: "t", scenarios: [], inbox: [
            .init(name: "result_a.csv", path: "/s/inbox/result_a.csv", kind: .results, imported: false),
            .init(name: "status_202611.csv", path: "/s/inbox/status_202611.csv", kind: .status, imported: false),
            .init(name: "notice_1.txt", path: "/s/inbox/notice_1.txt", kind: nil, imported: false),
        ])
    }

    /// A desk with the three fixture cases, the training panel and the case list in front.
    static func desk() throws -> DeskState {
        // The first case registered, so a hold is a legal move (item 5 refuses it otherwise).
        var desk = UIFixture.desk(cases: try ConfirmTests.firstRegistered())
        _ = desk.update(.trainingChanged(trainingPanel()))
        return desk
    }

    /// Each way of opening a menu, with how many items it has.
    static let menus: [(name: String, open: [Key], count: Int)] = [
        ("F4 取込", [.function(4)], FileAction.allCases.count),
        ("F7 記録（一覧）", [.function(7)], CaseAction.allCases.count),
        ("F7 記録（案件画面）", [.enter, .ctrl("t")], CaseAction.allCases.count),
        ("F11 d 日付", [.function(11), .char("d")], TrainingClockMove.menu.count),
        ("F11 i 受信フォルダ", [.function(11), .char("i")], 3),
    ]

    /// What a key sequence left behind: the dialog, the effects, the screen.
    struct Outcome: Equatable {
        let dialog: Dialog?
        let effects: [DeskEffect]
        let screen: Screen
    }

    static func run(_ keys: [Key]) throws -> Outcome {
        var desk = try desk()
        var effects: [DeskEffect] = []
        for k in keys { effects += desk.update(.key(k)) }
        return Outcome(dialog: desk.dialog, effects: effects, screen: desk.screen)
    }

    // MARK: Menus

    @Test("Every menu: digit + Enter and ↓… + Enter choose the same item; a digit alone only highlights")
    func menusDigitEqualsArrows() throws {
        for menu in Self.menus {
            for item in 0..<menu.count {
                // 1…9, then 0 for the tenth item (F7 has ten since 紙の医療券・調剤券を交付, R-PT-2).
                let digit: [Key] = menu.open + [.char(Character(DeskState.menuDigit(item)))]
                var desk = try Self.desk()
                desk.press(digit)
                guard case .menu(let m)? = desk.dialog else {
                    Issue.record("\(menu.name): the digit \(item + 1) left the menu (\(String(describing: desk.dialog)))")
                    continue
                }
                #expect(m.selected == item, "\(menu.name): digit \(item + 1) highlights item \(item)")
                let byDigit = try Self.run(digit + [.enter])
                let byArrows = try Self.run(menu.open + Array(repeating: Key.down, count: item) + [.enter])
                #expect(byDigit == byArrows, "\(menu.name) item \(item + 1)")
                if case .menu? = byDigit.dialog { Issue.record("\(menu.name) item \(item + 1): Enter did not decide") }
                // Home/End and ↑ reach the same items too.
                if item == menu.count - 1 {
                    #expect(try Self.run(menu.open + [.end, .enter]) == byDigit, "\(menu.name): End")
                }
                if item == 0 {
                    #expect(try Self.run(menu.open + [.down, .up, .enter]) == byDigit, "\(menu.name): ↓↑")
                }
            }
        }
    }

    @Test("Every menu's hint says the rule the keys follow")
    func menuHints() throws {
        for menu in Self.menus {
            var desk = try Self.desk()
            desk.press(menu.open)
            let text = desk.render().text
            #expect(text.contains("数字か ↑↓ で選び、Enter で決定"), "\(menu.name)\n\(text)")
        }
    }

    @Test("The issue's case: F7 → 1 → Enter → a date typed. Nothing lands in 取消後の対応; the hold gets the date typed into its date field")
    func issueCase() throws {
        var desk = try Self.desk()
        // The desk's today after the date typed: a notice dated after today is refused (issue 11).
        _ = desk.update(.today(LocalDate(year: 2026, month: 12, day: 5)!))
        let number = desk.sortedCases[0].number
        desk.press(.function(7), .char("1"), .enter)
        guard case .form(let f)? = desk.dialog else { Issue.record("F7 1 Enter: no form"); return }
        #expect(f.fields[f.focus].id == "reason", "the form opens on its first field")
        #expect(!desk.render().text.contains("取消後の対応"), "a hold has no 取消後の対応")
        // A date typed into 理由 (a choice) is refused, visibly, and picks no reason by its digits.
        desk.typeChars("R8.12.1")
        guard case .form(let g)? = desk.dialog else { Issue.record("the form closed"); return }
        #expect(g.value("reason") == "1" && g.value("action").isEmpty && g.value("date") == "令和8年12月5日")
        #expect(desk.render().text.contains("選ぶ欄です"))
        // As the hint says: Enter to the date, clear it, type, Enter records.
        desk.press(.enter, .ctrl("u"))
        desk.typeChars("R8.12.1")
        // R-HC-2: Enter on to 月末処理の月 (blank: the stated rule), Enter asks.
        #expect(desk.press(.enter, .enter).isEmpty, "item 5: the hold is asked (y/n) before it is recorded")
        let effects = desk.press(.char("y"))
        #expect(effects == [.record(caseNumber: number, .held(reason: .misEntrySuspected, noticeDate: LocalDate(year: 2026, month: 12, day: 1)!))])
    }

    @Test("A hidden field is never focused or filled: 取消後の対応 shows only for #5, and is emptied when the reason goes back to a hold")
    func hiddenField() throws {
        var desk = try Self.desk()
        desk.press(.function(7), .char("1"), .enter)
        desk.press(.tab, .tab, .tab)                       // past the last field: stays on 月末処理の月 (R-HC-2)
        guard case .form(let f)? = desk.dialog else { Issue.record("no form"); return }
        #expect(f.fields[f.focus].id == "run")
        desk.press(.backTab, .backTab, .char("5"), .tab, .tab)
        guard case .form(let g)? = desk.dialog else { Issue.record("no form"); return }
        #expect(g.fields[g.focus].id == "action" && desk.render().text.contains("取消後の対応"))
        desk.typeChars("電話")
        desk.press(.backTab, .backTab, .char("2"))         // back to a hold
        guard case .form(let h)? = desk.dialog else { Issue.record("no form"); return }
        #expect(h.fields[3].value.isEmpty, "the hidden field's text is cleared")
        #expect(h.visible == [0, 1, 2])
        // Focused on 取消後の対応 when the reason changes back: it hides, and the focus is on a shown field.
        desk.press(.char("5"), .tab, .tab)
        desk.typeChars("x")
        desk.press(.backTab, .backTab, .left)              // #5 → #4, a hold
        desk.typeChars("y")                                // refused: 理由 is a choice
        guard case .form(let m)? = desk.dialog else { Issue.record("no form"); return }
        #expect(m.fields[m.focus].id == "reason" && m.fields[2].value.isEmpty && m.value("reason") == "4")
    }

    /// For each F7 form (and the other forms), typing in each text field lands in the field drawn as
    /// focused: the cursor is on that field's row, and only that field changed.
    @Test("Every form: Tab to each text field, type: the text is in the focused field, drawn where the cursor is")
    func typingLandsInFocusedField() throws {
        // 訂正 opens a screen of its own (the intake's pages), not a form: CorrectionScreenTests.
        var openers: [(String, [Key])] = CaseAction.allCases.enumerated().filter { $0.element != .correct }
            .map { i, a in ("F7 \(a.label)", [.function(7), .char(Character(DeskState.menuDigit(i))), .enter]) }
        openers.append(("F7 #5 取消", [.function(7), .char("1"), .enter, .char("5")]))
        openers += FileAction.allCases.enumerated().map { i, a in ("F4 \(a.label)", [.function(4), .char(Character(String(i + 1))), .enter]) }
        openers.append(("F11 日付指定", [.function(11), .char("d"), .char("4"), .enter]))
        for (name, keys) in openers {
            var desk = try Self.desk()
            desk.press(keys)
            guard case .form(let start)? = desk.dialog else { Issue.record("\(name): no form"); continue }
            for step in 0..<start.visible.count {
                var d = desk
                if step > 0 { d.press(.tab, times: step) }
                guard case .form(let before)? = d.dialog else { continue }
                let field = before.fields[before.focus]
                guard field.options.isEmpty else { continue }
                d.typeChars("ｱ1")
                guard case .form(let after)? = d.dialog else { Issue.record("\(name): typing closed the form"); continue }
                for i in after.fields.indices {
                    if i == before.focus {
                        // An offered value (today's date) is replaced by what is typed; a typed one is added to.
                        #expect(after.fields[i].value == (field.offered ? "" : field.value) + "ｱ1", "\(name): \(field.label)")
                    } else {
                        #expect(after.fields[i].value == before.fields[i].value, "\(name): \(after.fields[i].label) changed")
                    }
                }
                let canvas = d.render()
                guard let cursor = canvas.cursor else { Issue.record("\(name): no cursor"); continue }
                let row = canvas.text.split(separator: "\n", omittingEmptySubsequences: false)[cursor.y]
                #expect(row.contains(DisplayWidth.truncate(field.label, to: 19)), "\(name): the cursor's row is \(row)")
            }
        }
    }

    @Test("Form hints say what Enter does: the next field, or on the last the form's action")
    func formHints() throws {
        var desk = try Self.desk()
        desk.press(.function(7), .char("5"), .enter)      // 取下げ: 理由, 取下げ日
        #expect(desk.render().text.contains("Enter で次の欄へ"))
        desk.press(.tab)
        #expect(desk.render().text.contains("Enter で記録"))
        desk.press(.escape, .function(4), .char("2"), .enter, .char("x"), .tab)
        #expect(desk.render().text.contains("Enter で取り込む"))
    }

    @Test("F3 sign-off: 2 + Enter and → + Enter both return; the comment typed lands in コメント")
    func signOff() throws {
        let supervisor = DeskConfig(officeName: "デモ市福祉事務所", isTraining: true, operatorID: "sato",
                                    operatorName: "佐藤 一郎", operatorRole: .supervisor, form: UIFixture.form)
        func desk() throws -> DeskState {
            var d = DeskState(config: supervisor, today: UIFixture.today, width: 80, height: 24, cases: try UIFixture.threeCases())
            _ = d.update(.batchesChanged([SignOffBatch(id: "B1", cases: ["2026-0001"], preparedBy: "yamada",
                                                       preparedAt: "2026-11-24T10:00:00+09:00", state: .prepared)]))
            d.press(.function(3))
            return d
        }
        var byDigit = try desk()
        var byArrow = try desk()
        byDigit.press(.char("2"), .enter)
        byArrow.press(.right, .enter)
        #expect(byDigit.dialog == byArrow.dialog)
        byDigit.paste("住所を確かめて")
        guard case .form(let f)? = byDigit.dialog else { Issue.record("no form"); return }
        #expect(f.value("comment") == "住所を確かめて" && f.value("decision") == "return")
        #expect(byDigit.press(.enter) == [.decideBatch(id: "B1", approve: false, comment: "住所を確かめて")])
        var approve = try desk()
        #expect(approve.press(.char("1"), .enter, .enter) == [.decideBatch(id: "B1", approve: true, comment: "")])
    }

    @Test("F9: ↓ + Enter opens the highlighted reminder; the note typed lands in メモ and goes with that reminder")
    func reminderDone() throws {
        var desk = try Self.desk()
        _ = desk.update(.remindersChanged([
            Reminder(id: "r1", kind: .serverNumberMissing, caseNumber: "2026-0001", name: "山田　太郎", message: "枝番を", due: nil),
            Reminder(id: "r2", kind: .serverNumberMissing, caseNumber: "2026-0002", name: "鈴木　花子", message: "枝番を", due: nil),
        ]))
        desk.press(.function(9), .down, .enter)
        guard case .form(let f)? = desk.dialog, case .reminderDone(let id) = f.purpose else { Issue.record("no form"); return }
        #expect(id == "r2")
        desk.typeChars("電話済み")
        #expect(desk.press(.enter) == [.markReminderDone(id: "r2", note: "電話済み")])
    }

    @Test("Login: a digit + Enter and arrows + Enter choose the same operator")
    func login() {
        let ops = [Operator(id: "yamada", name: "山田 花子", role: .clerk), Operator(id: "suzuki", name: "鈴木 健", role: .clerk),
                   Operator(id: "sato", name: "佐藤 一郎", role: .supervisor)]
        for i in ops.indices {
            var a = LoginState(officeName: "o", isTraining: false, operators: ops, preselect: nil, width: 80, height: 24)
            var b = a
            #expect(a.update(.char(Character(String(i + 1)))) == nil, "a digit only highlights")
            #expect(a.update(.enter) == .chosen(ops[i]))
            for _ in 0..<i { _ = b.update(.down) }
            #expect(b.update(.enter) == .chosen(ops[i]))
        }
        let c = LoginState(officeName: "o", isTraining: false, operators: ops, preselect: nil, width: 80, height: 24).render()
        #expect(c.text.contains("数字・↑↓ 選ぶ"))
    }

    @Test("Pending list: filter keys act at once (no Enter); ↓ + Enter opens the highlighted case")
    func pendingFilters() throws {
        var desk = try Self.desk()
        desk.press(.function(8))
        let rows = desk.pendingList.rows
        desk.press(.down, .enter)
        #expect(desk.screen == .caseDetail(rows[1].number))
        desk.press(.escape)
        #expect(desk.screen == .pending)
        desk.press(.char("b"))
        #expect(desk.pending.filter.branch == Branch.allCases.first)
        #expect(desk.screen == .pending && desk.dialog == nil)
        desk.press(.char("x"))
        #expect(desk.pending.filter == PendingFilter())
    }

    @Test("A report is not closed by an Enter typed ahead: Enter says to press Esc, Esc closes")
    func reportNotClosedByEnter() throws {
        var desk = try Self.desk()
        desk.press(.function(4), .char("1"), .enter)
        desk.paste("/tmp/r.csv")
        let effects = desk.press(.enter, .enter, .enter)
        #expect(effects.count == 1)
        _ = desk.update(.operationDone(title: "取込", lines: ["取り込みました"], cases: desk.cases, showReport: true))
        desk.press(.enter, .enter)
        #expect(desk.screen == .report)
        #expect(desk.render().text.contains("Esc"))
        desk.press(.escape)
        #expect(desk.screen == .caseList)
    }

    /// The walkthrough's trap: F7 → 1 → Enter → Enter → R8.11.10 gave 「令和8年11月20日R8.11.10」.
    @Test("A date the form offers is replaced by the first character typed; after ← or Backspace it is edited instead")
    func offeredDateIsReplaced() throws {
        var desk = try Self.desk()
        _ = desk.update(.today(LocalDate(year: 2026, month: 12, day: 5)!))   // registered 11/24: 11/20… must be after it
        let number = desk.sortedCases[0].number
        desk.press(.function(7), .char("1"), .enter, .enter)          // 理由 → お知らせの日付 (today, offered)
        desk.typeChars("R8.11.30")
        guard case .form(let f)? = desk.dialog else { Issue.record("no form"); return }
        #expect(f.value("date") == "R8.11.30")
        #expect(desk.press(.enter, .enter).isEmpty)                    // past 月末処理の月 (R-HC-2), asked first (item 5)
        #expect(desk.press(.char("y")) == [.record(caseNumber: number, .held(reason: .misEntrySuspected,
                                                                          noticeDate: LocalDate(year: 2026, month: 11, day: 30)!))])
        // Editing rather than replacing: Backspace first keeps the rest of the offered date.
        var edit = try Self.desk()
        edit.press(.function(7), .char("1"), .enter, .enter, .backspace)
        edit.typeChars("3")
        guard case .form(let g)? = edit.dialog else { Issue.record("no form"); return }
        #expect(g.value("date").hasPrefix("令和8年") && g.value("date").hasSuffix("3"), "\(g.value("date"))")
    }
}

extension DeskState {
    @discardableResult
    mutating func press(_ keys: [Key]) -> [DeskEffect] {
        keys.flatMap { update(.key($0)) }
    }
}
