import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

@Suite("Supervisor's pending list screen (issue 4)", .tags(.unit))
struct PendingScreenTests {
    @Test("F8 opens the pending list; one-key filters narrow it; x clears; Esc returns")
    func filters() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8))
        #expect(desk.screen == .pending)
        #expect(desk.pendingList.rows.count == 3)
        desk.press(.char("b"))                             // 医療扶助単独
        #expect(desk.pendingList.rows.map(\.number) == ["2026-0001", "2026-0003"])
        desk.press(.char("b"))                             // 併用
        #expect(desk.pendingList.rows.map(\.number) == ["2026-0002"])
        #expect(desk.render().text.contains("絞り込み：医療保険・医療扶助併用"))
        desk.press(.char("x"))
        #expect(desk.pendingList.rows.count == 3)
        desk.press(.char("h"))                             // nobody is held
        #expect(desk.pendingList.rows.isEmpty)
        #expect(desk.render().text.contains("該当する案件はありません"))
        desk.press(.escape)
        #expect(desk.screen == .caseList)
    }

    @Test("Enter opens the selected case; Esc from it returns to the pending list")
    func openCase() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.ctrl("v"), .down, .enter)
        #expect(desk.screen == .caseDetail("2026-0002"))
        desk.press(.escape)
        #expect(desk.screen == .pending)
    }

    @Test("e asks for the CSV of exactly the list on screen (filters and order)")
    func csvEffect() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8), .char("b"), .function(6))
        var expected = PendingFilter()
        expected.branch = .assistanceOnly
        #expect(desk.press(.char("e")) == [.exportPendingCSV(expected, .number, descending: true)])
    }

    @Test("p asks to print exactly the list on screen (filters and order); the status line says so; F1 and a wide footer name the key")
    func printEffect() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8), .char("b"), .char("b"), .function(6))
        var expected = PendingFilter()
        expected.branch = .insured
        #expect(desk.press(.char("p")) == [.print(.pendingList(expected, .number, descending: true))])
        #expect(desk.status?.text == "一覧を印刷しています…")
        #expect(desk.screen == .pending)
        var wide = UIFixture.desk(cases: try UIFixture.threeCases())
        _ = wide.update(.resize(width: 120, height: 40))
        wide.press(.function(8))
        // The footer takes two rows when one cannot name every key (issue 11, item 6).
        #expect(wide.render().footerText.contains("p 印刷"))
        #expect(desk.render().footerText.contains("p 印刷"), "named at 80 columns too")
        wide.press(.function(1))
        #expect(wide.render().text.contains("p 絞り込んだ一覧を印刷"))
    }

    @Test("Pending list at 80×24: counts per status, the table and the chart by month")
    func snapshot() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(8))
        Snapshot.check(desk.render(), "pending-list")
    }
}

@Suite("Today's reminders on the home screen (issue 4)", .tags(.unit))
struct ReminderPanelTests {
    @Test("R-PT-2 R-RG-2 the list shows today's reminders under the table, and counts them per case")
    func panel() throws {
        let url = UIFixture.temporaryJournalURL()
        let store = CaseStore(journalURL: url)
        let ctx = ValidationContext(today: UIFixture.today, defaultEra: .reiwa)
        let check = IntakeForm.check(UIFixture.form, values: UIFixture.values(furigana: "アオキ ジロウ", name: "青木　次郎", birth: "S30.5.6",
                                                                              branch: .assistanceOnly, holdsTickets: true, recipientBody: "345678"),
                                     context: ctx)
        let app = try #require(check.application)
        _ = try store.receive(app, ticketsIssuedNow: check.tickets, operatorID: "yamada", now: UIFixture.jst(2026, 11, 24, 10))
        var desk = UIFixture.desk(cases: store.book.all)
        let due = Reminders.due(in: store.book, today: UIFixture.today)
        #expect(!due.isEmpty)
        _ = desk.update(.remindersChanged(due))
        let text = desk.render().text
        #expect(text.contains("今日の要対応 \(due.count)件"))
        #expect(text.contains("！\(due.count)"))
        #expect(text.contains(due[0].rule))
    }

    @Test("F9 lists every reminder; Enter on one asks for a note and returns one done effect with its id")
    func markDone() throws {
        var desk = UIFixture.desk()
        let reminders = [
            Reminder(id: "registration_to_send:2026-0001", kind: .registrationToSend, caseNumber: "2026-0001", name: "山田　太郎",
                     message: "中間サーバーに登録してください — R-RG-1", due: nil),
            Reminder(id: "paper_tickets_monthly:2026-0002:2026-11:1", kind: .paperTicketsMonthly, caseNumber: "2026-0002", name: "鈴木　花子",
                     message: "令和8年11月分の紙の医療券を交付してください — R-PT-2", due: nil),
        ]
        _ = desk.update(.remindersChanged(reminders))
        desk.press(.function(9))
        #expect(desk.screen == .reminders)
        let text = desk.render().text
        #expect(text.contains("今日の要対応 2件"))
        #expect(text.contains("2026-0002 鈴木　花子：令和8年11月分の紙の医療券"))
        desk.press(.down, .enter)
        guard case .form? = desk.dialog else { Issue.record("no note form"); return }
        desk.paste("窓口で交付")
        #expect(desk.press(.enter) == [.markReminderDone(id: "paper_tickets_monthly:2026-0002:2026-11:1", note: "窓口で交付")])
        desk.press(.escape)
        #expect(desk.screen == .caseList)
    }
}
