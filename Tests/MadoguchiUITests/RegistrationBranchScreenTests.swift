import Foundation
import Testing
@testable import MadoguchiCore
@testable import MadoguchiUI

/// Issue 13 item 5 and part of 6 on the desk: R-RG-8 (F7 a), R-RG-9 (F4's offered date), R-RG-6 (the
/// case screen's advice), R-IN-6 (the intake review).
@Suite("Desk: registration branches (R-RG-6, R-RG-8, R-RG-9) and one open application (R-IN-6)", .tags(.unit))
struct RegistrationBranchScreenTests {
    /// Selects on the list the first case that matches; returns its number.
    static func select(_ desk: inout DeskState, _ matches: (CaseRecord) -> Bool) throws -> String {
        let found = desk.sortedCases.firstIndex(where: matches)
        let i = try #require(found)
        desk.list.selected = i
        return desk.sortedCases[i].number
    }

    @Test("R-RG-8 F7 a highlights the eleventh item, shown with a beside it; the hint, the digits 1–0 and F1 name the keys")
    func eleventhItemByA() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(7), .char("a"))
        guard case .menu(let m)? = desk.dialog else { Issue.record("no menu"); return }
        #expect(m.selected == 10 && m.items[10] == CaseAction.registeredOnTerminal.label)
        let text = desk.render().text
        #expect(text.contains("> a 統合専用端末での登録を記録"), "\(text)")
        #expect(text.contains("数字か ↑↓ で選び、Enter で決定") && text.contains("a は11番目"), "\(text)")
        // Every digit still highlights the item it did (the e2e tests press them).
        for (i, key) in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"].enumerated() {
            desk.press(.char(Character(key)))
            if case .menu(let n)? = desk.dialog { #expect(n.selected == i, "\(key)") }
        }
        desk.press(.char("ａ"))   // full width, as an IME may send it
        if case .menu(let n)? = desk.dialog { #expect(n.selected == 10) }
        desk.press(.escape)
        desk.screen = .caseDetail(desk.sortedCases[0].number)
        desk.press(.function(1))
        #expect(desk.helpLines().contains { $0.0.contains("a は11番目") }, "F1 names the menu's letter key")
    }

    @Test("R-RG-8 R-RG-9 F7 a → the day typed → y/n shows 登録待ち → 登録済み and the expected date; y records; a future day is refused in the form")
    func recordsByHand() throws {
        let cases = try UIFixture.threeCases()
        var desk = UIFixture.desk(cases: cases)
        let number = try Self.select(&desk) { $0.application.applicant.name == "山田　太郎" }
        desk.press(.function(7), .char("a"), .enter)
        guard case .form(let f)? = desk.dialog else { Issue.record("no form"); return }
        #expect(f.fields.map(\.id) == ["date"] && f.fields[0].value.isEmpty, "the day is typed, not offered")
        desk.paste("R8.11.22")
        desk.press(.enter)
        #expect(desk.press(.enter).isEmpty)   // nothing recorded before y
        guard case .confirm(let c)? = desk.dialog else {
            // The first Enter may already ask.
            Issue.record("no confirmation: \(String(describing: desk.dialog))"); return
        }
        #expect(c.lines.contains("状態　現在：登録待ち → 新：登録済み"), "\(c.lines)")
        #expect(c.lines.contains { $0.hasPrefix("解除予定日") && $0.contains("令和8年12月31日") }, "\(c.lines)")
        #expect(desk.press(.char("y")) == [.record(caseNumber: number, .registeredOnTerminal(on: LocalDate(year: 2026, month: 11, day: 22)!))])

        var later = UIFixture.desk(cases: cases)
        later.list.selected = desk.list.selected
        later.press(.function(7), .char("a"), .enter)
        later.paste("R8.12.1")
        #expect(later.press(.enter).isEmpty)
        guard case .form(let g)? = later.dialog else { Issue.record("the form closed"); return }
        #expect(g.error?.contains("今日") == true && g.error?.contains("R-RG-9") == true, "\(String(describing: g.error))")
    }

    @Test("R-RG-8 an insured case is refused in the form, naming its state")
    func insuredRefused() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        _ = try Self.select(&desk) { $0.application.branch == .insured }
        desk.press(.function(7), .char("a"), .enter)
        desk.paste("R8.11.22")
        #expect(desk.press(.enter).isEmpty)
        guard case .form(let f)? = desk.dialog else { Issue.record("the form closed"); return }
        #expect(f.error?.contains("保険者の登録待ち") == true && f.error?.contains("R-RG-8") == true, "\(String(describing: f.error))")
    }

    @Test("R-RG-9 F4 → 1 offers the day the waiting cases were exported, not today")
    func offersExportDay() throws {
        let cases = try UIFixture.threeCases { store in
            let n = store.book.all[0].number
            try store.record(.exported(file: "FI_HIM_0018_x.csv"), on: n, operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 21, 16))
        }
        var desk = UIFixture.desk(cases: cases)
        desk.press(.function(4), .char("1"), .enter)
        guard case .form(let f)? = desk.dialog else { Issue.record("no form"); return }
        #expect(f.fields[1].value == "令和8年11月21日", "\(f.fields[1])")
        desk.paste("/tmp/result.csv")
        #expect(desk.press(.enter, .enter, .enter) == [.importFile(.results, path: "/tmp/result.csv", allowBadRows: false,
                                                                    registeredOn: LocalDate(year: 2026, month: 11, day: 21)!)])
    }

    @Test("R-RG-6 the case screen says not to register again after 'already registered'")
    func caseScreenAdvice() throws {
        let cases = try UIFixture.threeCases { store in
            let n = store.book.all[0].number
            try store.record(.exported(file: "FI_HIM_0018_x.csv"), on: n, operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 21, 16))
            try store.record(.registrationFailed(message: "既に初回登録解除の申請が登録されています", file: "result.csv"), on: n,
                             operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 22, 10))
        }
        var desk = UIFixture.desk(width: 120, height: 40, cases: cases)
        desk.screen = .caseDetail(cases[0].number)
        let text = desk.render().text
        #expect(text.contains("登録し直さないでください") && text.contains("R-RG-6"), "\(text)")
    }

    @Test("R-IN-6 the intake review warns of the open case with the same 受給者番号, naming it; without one it does not")
    func reviewWarns() throws {
        let cases = try UIFixture.threeCases()
        let open = try #require(cases.first { $0.application.recipientNumber == UIFixture.recipientNumber() })
        var desk = UIFixture.desk(width: 120, height: 40, cases: cases)
        desk.typeWholeAssistanceOnlyApplication()
        let text = desk.render().text
        #expect(text.contains("同じ受給者番号の案件 \(open.number)") && text.contains("R-IN-6"), "\(text)")
        var other = UIFixture.desk(width: 120, height: 40, cases: [])
        other.typeWholeAssistanceOnlyApplication()
        #expect(!other.render().text.contains("R-IN-6"))
    }
}

extension RegistrationBranchScreenTests {
    @Test("R-RG-8 snapshot: the F7 menu with its eleven items at 80×24 (every item whole, the letter key shown)")
    func menuSnapshot() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(7), .char("a"))
        Snapshot.check(desk.render(), "f7-menu-eleven-80x24")
    }
}

extension RegistrationBranchScreenTests {
    @Test("R-RG-8 snapshot: the form and the y/n of a registration by hand at 80×24")
    func formSnapshots() throws {
        var desk = UIFixture.desk(cases: try UIFixture.threeCases())
        desk.press(.function(7), .char("a"), .enter)
        Snapshot.check(desk.render(), "manual-registration-form-80x24")
        desk.paste("R8.11.22")
        desk.press(.enter)
        Snapshot.check(desk.render(), "manual-registration-confirm-80x24")
    }
}

extension RegistrationBranchScreenTests {
    @Test("R-RG-6 F7 → 登録し直す on an 'already registered' case asks y/n first, saying not to; another error goes straight through (R-RG-5)")
    func requeueAsksAfterAlreadyRegistered() throws {
        for (message, asks) in [("既に初回登録解除の申請が登録されています", true), ("被保険者枝番が中間サーバーに存在しません", false)] {
            let cases = try UIFixture.threeCases { store in
                let n = store.book.all[0].number
                try store.record(.exported(file: "FI_HIM_0018_x.csv"), on: n, operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 21, 16))
                try store.record(.registrationFailed(message: message, file: "result.csv"), on: n,
                                 operatorID: UIFixture.operatorID, now: UIFixture.jst(2026, 11, 22, 10))
            }
            var desk = UIFixture.desk(width: 100, height: 30, cases: cases)
            let chosen = desk.chooseCaseAction("登録エラーを直して")
            #expect(chosen)
            desk.paste("番号を確かめた")
            let effects = desk.press(.enter)
            if asks {
                #expect(effects.isEmpty)
                guard case .confirm(let c)? = desk.dialog else { Issue.record("no y/n: \(String(describing: desk.dialog))"); continue }
                #expect(c.lines.contains { $0.contains("登録し直さないでください") && $0.contains("R-RG-6") }, "\(c.lines)")
            } else {
                #expect(effects == [.record(caseNumber: cases[0].number, .requeued(note: "番号を確かめた"))])
            }
        }
    }
}
