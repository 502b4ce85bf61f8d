import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// F7 → 紙の医療券・調剤券を交付 (R-PT-2 amended 2026-11-30, R-PT-4): paper tickets recorded after intake.
@Suite("Ticket form (F7, R-PT-2)", .tags(.unit))
struct TicketFormTests {
    static let label = "紙の医療券・調剤券を交付（R-PT-2）"

    /// The desk with the three fixture cases, F7 on the one of `name`, the tickets item opened by its digit.
    static func opened(_ name: String = "山田　太郎") throws -> (DeskState, String) {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        let i = try #require(desk.sortedCases.firstIndex { $0.application.applicant.name == name })
        desk.press(.down, times: i)
        let number = desk.sortedCases[i].number
        desk.press(.function(7))
        guard case .menu(let m)? = desk.dialog else { throw UIFixture.FixtureError("no menu") }
        let item = try #require(m.items.firstIndex(of: label))
        desk.press(.char(Character(DeskState.menuDigit(item))))
        guard case .menu(let highlighted)? = desk.dialog, highlighted.selected == item else { throw UIFixture.FixtureError("the digit did not only highlight") }
        desk.press(.enter)
        return (desk, number)
    }

    @Test("R-PT-2: F7 lists the item; its form asks 種類, 医療機関・薬局, 月 (this month offered); Enter on the last field records, without y/n")
    func recordsWithoutConfirmation() throws {
        var (desk, number) = try Self.opened()
        guard case .form(let f)? = desk.dialog else { Issue.record("no form"); return }
        #expect(f.title == "案件 \(number)：\(Self.label)")
        #expect(f.fields.map(\.id) == ["kind", "institution", "month"])
        #expect(f.fields.map(\.label) == ["種類", "医療機関・薬局", "月"])
        #expect(f.fields[0].options.map(\.label) == ["医療券", "調剤券"] && f.value("kind") == "medical")
        #expect(f.value("month") == "令和8年11月")             // the desk's today is R8.11.24
        desk.press(.char("2"))                                // 調剤券
        #expect(desk.press(.enter).isEmpty)                   // → 医療機関・薬局
        desk.paste("あおば薬局")
        #expect(desk.press(.enter).isEmpty)                   // → 月
        desk.press(.ctrl("u"))
        desk.paste("R8.12")
        let effects = desk.press(.enter)
        #expect(effects == [.issueTickets(caseNumber: number, PaperTicket(kind: .dispensing, institution: "あおば薬局", month: YearMonth(year: 2026, month: 12)!))])
        #expect(desk.dialog == nil, "not irreversible: no y/n")
        #expect(desk.status?.text == "記録しています…")
    }

    @Test("R-PT-2, R-ID-4: an empty name, a 個人番号, a bad month, a ticket already recorded: the form stays, says why, asks for nothing")
    func refusalsStayInTheForm() throws {
        func attempt(_ name: String, institution: String, month: String?) throws -> String? {
            var (desk, _) = try Self.opened(name)
            desk.press(.tab)
            desk.paste(institution)
            if let month { desk.press(.tab, .ctrl("u")); desk.paste(month) } else { desk.press(.tab) }
            #expect(desk.press(.enter).isEmpty)
            guard case .form(let f)? = desk.dialog else { Issue.record("the form closed"); return nil }
            return f.error
        }
        #expect(try attempt("山田　太郎", institution: "", month: nil) == "紙の医療券・調剤券：医療機関・薬局名を入力してください")
        let myNumber = try attempt("山田　太郎", institution: "眼科123456789012", month: nil) ?? ""
        #expect(myNumber.contains("R-ID-4") && !myNumber.contains("123456789012"), "\(myNumber)")
        #expect(try attempt("山田　太郎", institution: "あおば眼科", month: "13月")?.hasPrefix("紙の医療券・調剤券の月：") == true)
        // 青木 was issued December's 医療券 at デモ診療所 at intake.
        #expect(try attempt("青木　次郎", institution: "デモ診療所", month: "R8.12")
                == "紙の医療券・調剤券：令和8年12月分の医療券（デモ診療所）は交付済みとして記録されています")
    }

    @Test("F7: 0 highlights the tenth (訂正), as ↓×9 does; the menu shows 0 beside it (an eleventh item since R-RG-8 has a)")
    func tenthItemByZero() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(7), .char("0"))
        guard case .menu(let m)? = desk.dialog else { Issue.record("no menu"); return }
        #expect(m.items.count == CaseAction.allCases.count && m.items.count == 11)
        #expect(m.selected == 9 && m.items[9] == CaseAction.correct.label)
        #expect(desk.render().text.contains("> 0 訂正"))
    }

    @Test("R-PT-2: the case screen's history shows the ticket issued after intake, with its institution and month")
    func historyShowsLaterTickets() throws {
        let cases = try UIFixture.threeCases { store in
            let n = store.book.all[0].number
            try store.issueTickets(PaperTicket(kind: .medical, institution: "あおば眼科", month: YearMonth(year: 2026, month: 12)!), on: n,
                                   operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 24, 15))
        }
        var desk = UIFixture.desk(width: 140, height: 70, cases: cases)
        let i = try #require(desk.sortedCases.firstIndex { $0.number == cases[0].number })
        desk.press(.down, times: i)
        desk.press(.enter)
        let text = desk.render().text
        #expect(text.contains("紙の医療券・調剤券を交付（受付後：医療券 あおば眼科 令和8年12月分）"), "\(text)")
        #expect(text.contains("医療券　あおば眼科　令和8年12月分"))   // and in the tickets section
    }
}
