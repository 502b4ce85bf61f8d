import Foundation
import Testing
@testable import MadoguchiUI
import MadoguchiCore

/// The 研修 screen (issue 5), fed a panel as the executable builds it; no file, no clock.
private func panel(inbox: [TrainingPanel.InboxFile] = []) -> TrainingPanel {
    TrainingPanel(
        bookTitle: "利用登録解除の窓口研修",
        sandbox: "trainee01",
        scenarios: [
            .init(id: "01", title: "医療扶助単独の標準的な申請", arrives: LocalDate(year: 2026, month: 11, day: 2)!, caseNumber: "2026-0001",
                  status: "登録済み", situation: "田中正男さん（71歳）が申請書を持って窓口に来ました。\n受給者番号 1001015",
                  happenings: ["本人から電話がありました。"]),
            .init(id: "02", title: "併用の人が福祉事務所にだけ申請した", arrives: LocalDate(year: 2026, month: 12, day: 4)!, caseNumber: nil,
                  status: nil, situation: "佐々木美咲さん", happenings: []),
        ],
        inbox: inbox)
}

private let resultFile = TrainingPanel.InboxFile(name: "result_FI_HIM_0018_D1300019_20261124.csv", path: "/s/inbox/result_FI_HIM_0018_D1300019_20261124.csv",
                                                 kind: .results, imported: false)
private let oldStatus = TrainingPanel.InboxFile(name: "status_202610.csv", path: "/s/inbox/status_202610.csv", kind: .status, imported: true)
private let newStatus = TrainingPanel.InboxFile(name: "status_202611.csv", path: "/s/inbox/status_202611.csv", kind: .status, imported: false)
private let notice = TrainingPanel.InboxFile(name: "notice_20261130.txt", path: "/s/inbox/notice_20261130.txt", kind: nil, imported: false)

private func trainingDesk(inbox: [TrainingPanel.InboxFile] = []) -> DeskState {
    var desk = UIFixture.desk()
    _ = desk.update(.trainingChanged(panel(inbox: inbox)))
    return desk
}

@Suite("Training screen (issue 5)", .tags(.unit))
struct TrainingScreenTests {
    @Test("F11 (and Ctrl-W) opens it: scenarios with their arrival, the situation in prose, what happened since, the inbox")
    func opens() {
        var desk = trainingDesk(inbox: [resultFile, notice])
        desk.press(.function(11))
        #expect(desk.screen == .training)
        Snapshot.check(desk.render(), "training")
        let text = desk.render().text
        #expect(text.contains("[01] 来所 R8.11.2") && text.contains("案件 2026-0001・登録済み"))
        #expect(text.contains("[02] 来所予定 R8.12.4"))
        #expect(text.contains("▶ 本人から電話がありました。"))
        #expect(text.contains("未取込 1件"))
        #expect(text.contains("【研修モード】"))
        desk.press(.escape)
        #expect(desk.screen == .caseList)
        desk.press(.ctrl("w"))
        #expect(desk.screen == .training)
        desk.press(.down)
        #expect(desk.render().text.contains("令和8年12月4日に来所します"))
    }

    @Test("A real office has no training screen")
    func notInProduction() {
        var desk = DeskState(config: UIFixture.config(training: false), today: UIFixture.today, width: 80, height: 24, cases: [])
        desk.press(.function(11))
        #expect(desk.screen == .caseList)
        #expect(desk.status?.kind == .error && desk.status?.text.contains("研修") == true)
    }

    @Test("d moves the clock: next day, month end, next month, or a date (never back), each asked y/n first with the day now → the new day")
    func clock() {
        var desk = trainingDesk()
        desk.press(.function(11))
        let today = UIFixture.today   // 令和8年11月24日
        // Each move asks first (issue 11: it cannot be undone); y moves to the day shown.
        for (keys, day) in [([Key.char("d"), .char("3"), .enter], LocalDate(year: 2026, month: 12, day: 1)!),
                            ([.char("d"), .char("2"), .enter], LocalDate(year: 2026, month: 11, day: 30)!),
                            ([.char("d"), .enter], today.addingDays(1))] {
            #expect(keys.flatMap { desk.press($0) }.isEmpty)
            guard let ask = ConfirmTests.confirmation(desk) else { Issue.record("no confirmation for \(keys)"); return }
            #expect(ask.lines.first == "研修の日付：令和8年11月24日 → \(Wareki.format(day))")
            #expect(desk.press(.char("y")) == [.moveTrainingClock(.to(day))])
            #expect(desk.dialog == nil)
        }
        desk.press(.char("d"), .char("4"), .enter)
        guard case .form(var f)? = desk.dialog else { Issue.record("no date form"); return }
        f.fields[0].value = "R8.11.1"
        desk.dialog = .form(f)
        #expect(desk.press(.enter).isEmpty)
        guard case .form(let refused)? = desk.dialog else { Issue.record("form closed"); return }
        #expect(refused.error?.contains("戻せません") == true)
        f.fields[0].value = "R9.1.4"
        desk.dialog = .form(f)
        #expect(desk.press(.enter).isEmpty)
        #expect(ConfirmTests.confirmation(desk) != nil)
        #expect(desk.press(.char("y")) == [.moveTrainingClock(.to(LocalDate(year: 2027, month: 1, day: 4)!))])
    }

    @Test("g grades; s switches the operator (refused while an application is half typed)")
    func gradeAndSwitch() {
        var desk = trainingDesk()
        desk.press(.function(11))
        #expect(desk.press(.char("g")) == [.gradeTraining])
        #expect(desk.press(.char("s")) == [.switchOperator])
        desk.press(.function(2))
        #expect(desk.screen == .intake)
        desk.paste("ﾀﾅｶ")
        desk.press(.escape, .escape)
        desk.press(.function(11))
        #expect(desk.screen == .training)
        #expect(desk.press(.char("s")).isEmpty)
        #expect(desk.status?.kind == .error)
    }

    @Test("i imports from the inbox: the file's path and kind are filled in; F4 offers the newest file not yet imported (Enter takes it, typing replaces it)")
    func inbox() {
        var empty = trainingDesk()
        empty.press(.function(11), .char("i"))
        #expect(empty.dialog == nil && empty.status?.kind == .error)

        var desk = trainingDesk(inbox: [oldStatus, newStatus, resultFile, notice])
        desk.press(.function(11), .char("i"))
        guard case .menu(let m)? = desk.dialog else { Issue.record("no inbox menu"); return }
        #expect(m.items.count == 4 && m.items[3].contains("お知らせを読む"), "お知らせ are read, not imported")
        desk.press(.char("2"), .enter)
        guard case .form(let f)? = desk.dialog else { Issue.record("no import form"); return }
        #expect(f.purpose == .importFile(.status) && f.fields[0].value == newStatus.path)
        let effects = desk.press(.enter, .enter)
        #expect(effects == [.importFile(.status, path: newStatus.path, allowBadRows: false, registeredOn: UIFixture.today)])

        #expect(desk.screen == .training)
        #expect(desk.press(.char("i"), .char("4"), .enter) == [.showInboxFile(path: notice.path)])
        #expect(desk.dialog == nil)

        desk.screen = .caseList
        desk.press(.function(4), .char("1"), .enter)
        guard case .form(let r)? = desk.dialog else { Issue.record("no F4 form"); return }
        #expect(r.fields[0].value.isEmpty && r.fields[0].placeholder == resultFile.path)
        #expect(desk.render().text.contains("result_FI_HIM"), "the offered file is shown in the box")
        // R-RG-9: the registration date is each case's export day (nil), not the day of import.
        #expect(desk.press(.enter, .enter, .enter) == [.importFile(.results, path: resultFile.path, allowBadRows: false, registeredOn: nil)])
        desk.press(.function(4), .char("1"), .enter)
        desk.paste("/elsewhere/result.csv")
        #expect(desk.press(.enter, .enter, .enter) == [.importFile(.results, path: "/elsewhere/result.csv", allowBadRows: false, registeredOn: nil)])
        desk.press(.function(4), .char("2"), .enter)
        guard case .form(let s)? = desk.dialog else { Issue.record("no F4 form"); return }
        #expect(s.fields[0].placeholder == newStatus.path, "the imported October file is not offered again")
    }

    @Test("The title bar keeps the whole date and the banner for a supervisor on a long date (the role gives way)")
    func titleBar() {
        let config = DeskConfig(officeName: "デモ市福祉事務所", isTraining: true, operatorID: "sato", operatorName: "佐藤 一郎",
                                operatorRole: .supervisor, form: UIFixture.form)
        let desk = DeskState(config: config, today: LocalDate(year: 2026, month: 12, day: 31)!, width: 80, height: 24, cases: [])
        let title = desk.render().text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(title.contains("令和8年12月31日") && title.hasSuffix("【研修モード】") && title.contains("佐藤 一郎"), "\(title)")
    }
}
