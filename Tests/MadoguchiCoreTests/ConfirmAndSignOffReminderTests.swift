import Foundation
import Testing
@testable import MadoguchiCore

private let clerk = Operator(id: "yamada", name: "山田 花子", role: .clerk)
private let supervisor = Operator(id: "sato", name: "佐藤 一郎", role: .supervisor)
private let names = ["yamada": "山田 花子", "sato": "佐藤 一郎"]
/// The office's today for the previews: after every date they record.
private let previewToday = batchDate(2026, 11, 30)

@Suite("What a move will change, before it is recorded (issue 11 item 5)", .tags(.unit))
struct ChangePreviewTests {
    @Test("withdraw: the case, the person, 状態 old → new and the reason; nothing is written")
    func withdraw() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let size = env.journalBytes().count
        let p = try ChangePreview.of(.withdrawn(reason: "本人の申し出", on: batchDate(2026, 11, 25)), on: a, today: previewToday)
        #expect(p.caseNumber == a.number)
        #expect(p.name == a.application.applicant.name)
        #expect(p.changes.first { $0.label == "状態" } == .init(label: "状態", old: "登録待ち", new: "取下げ"))
        #expect(p.changes.contains { $0.label == "取下げの理由" && $0.old == "（空欄）" && $0.new == "本人の申し出" })
        #expect(p.lines.contains("状態　現在：登録待ち → 新：取下げ"))
        #expect(p.warnings.contains { $0.contains("取り消せません") })
        #expect(env.journalBytes().count == size)
        #expect(env.store.book[a.number]?.status == .awaitingRegistration)
    }

    @Test("R-RG-2 setting a 被保険者枝番 over another shows both numbers and says it overwrites")
    func serverNumberOverwrite() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(server: "1234567890123456"))
        let p = try ChangePreview.of(.serverNumberSet("5678567856785678"), on: a, today: previewToday)
        #expect(p.lines.contains("被保険者枝番　現在：1234567890123456 → 新：5678567856785678"))
        #expect(p.lines.contains("状態　現在：登録待ち → 新：登録待ち（変わりません）"))
        #expect(p.warnings.contains { $0.contains("上書き") && $0.contains("1234567890123456") })
        let blank = try batchReceive(env, batchApplication(recipient: batchRecipient("234567"), server: nil))
        let q = try ChangePreview.of(.serverNumberSet("5678567856785678"), on: blank, today: previewToday)
        #expect(q.lines.contains("被保険者枝番　現在：（空欄） → 新：5678567856785678"))
        #expect(!q.warnings.contains { $0.contains("上書き") })
    }

    @Test("R-IN-7 a transfer out before registration warns that the request will not be registered; after export it does not")
    func transferBeforeRegistration() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let p = try ChangePreview.of(.transferredOut(office: "隣市福祉事務所", on: batchDate(2026, 11, 25)), on: a, today: previewToday)
        #expect(p.warnings.contains { $0.contains("R-IN-7") })
        #expect(p.lines.contains("転出先　現在：（空欄） → 新：隣市福祉事務所"))
        var exported = a
        try CaseLifecycle.apply(.exported(file: "FI_HIM_0018_x.csv"), to: &exported)
        let q = try ChangePreview.of(.transferredOut(office: "隣市福祉事務所", on: batchDate(2026, 11, 25)), on: exported, today: previewToday)
        #expect(!q.warnings.contains { $0.contains("R-IN-7") })
    }

    @Test("R-HC-1 an illegal move and a blank cancel action are refused by the preview as the write would refuse them")
    func refusals() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        #expect(throws: CaseError.self) { try ChangePreview.of(.held(reason: .misEntrySuspected, noticeDate: batchDate(2026, 11, 25)), on: a, today: previewToday) }
        var registered = a
        try CaseLifecycle.apply(.exported(file: "f.csv"), to: &registered)
        try CaseLifecycle.apply(.registrationAccepted(registeredOn: batchDate(2026, 11, 26), file: nil), to: &registered)
        #expect(throws: FieldProblem.self) { try ChangePreview.of(.cancelledByServer(noticeDate: batchDate(2026, 11, 30), action: " "), on: registered, today: previewToday) }
        let held = try ChangePreview.of(.held(reason: .codeBeingObtained, noticeDate: batchDate(2026, 11, 30)), on: registered, today: previewToday)
        #expect(held.lines.contains("状態　現在：\(CaseStatus.registered.label) → 新：\(CaseStatus.held.label)"))
        // The expected cancellation moves one month later (R-HC-2) and is shown.
        #expect(held.changes.contains { $0.label == "解除予定日" && $0.old != $0.new })
    }

    @Test("R-HC-1 R-FL-3 the notice date is shown before y, and one after today or before the registration is refused naming the field")
    func noticeDate() throws {
        let env = try batchEnv()
        var registered = try batchReceive(env, batchApplication())
        try CaseLifecycle.apply(.exported(file: "f.csv"), to: &registered)
        try CaseLifecycle.apply(.registrationAccepted(registeredOn: batchDate(2026, 11, 26), file: nil), to: &registered)
        let today = batchDate(2026, 11, 28)
        let ok = try ChangePreview.of(.held(reason: .misEntryPending, noticeDate: today), on: registered, today: today)
        #expect(ok.lines.contains("お知らせの日付：令和8年11月28日"), "\(ok.lines)")
        #expect(ok.lines.firstIndex(of: "お知らせの日付：令和8年11月28日") == 2)   // right under 記録：…
        // The walkthrough's future date (R8.11.30 typed on R8.11.2) and a date a year ahead.
        for future in [batchDate(2026, 11, 29), batchDate(2027, 3, 1)] {
            for event in [LifecycleEvent.held(reason: .misEntryPending, noticeDate: future),
                          .cancelledByServer(noticeDate: future, action: "本人に連絡した")] {
                do {
                    _ = try ChangePreview.of(event, on: registered, today: today)
                    Issue.record("\(event) was not refused")
                } catch let e as FieldProblem {
                    #expect(e.label == "お知らせの日付" && e.field == "date")
                    #expect(e.message.contains("今日（令和8年11月28日）より後") && e.message.contains("R-HC-1"), "\(e)")
                }
            }
        }
        // Before the server accepted the request (2026-10-01 in the walkthrough).
        do {
            _ = try ChangePreview.of(.held(reason: .misEntryPending, noticeDate: batchDate(2026, 11, 25)), on: registered, today: today)
            Issue.record("a notice before the registration was not refused")
        } catch let e as FieldProblem {
            #expect(e.description.hasPrefix("お知らせの日付："))
            #expect(e.message.contains("中間サーバーへの登録日（令和8年11月26日）より前"), "\(e)")
        }
        // The registration day itself and today are both accepted.
        _ = try ChangePreview.of(.held(reason: .misEntryPending, noticeDate: batchDate(2026, 11, 26)), on: registered, today: today)
        var held = registered
        try CaseLifecycle.apply(.held(reason: .misEntryPending, noticeDate: batchDate(2026, 11, 27)), to: &held)
        #expect(throws: FieldProblem.self) { try ChangePreview.of(.holdCleared(on: batchDate(2026, 11, 25)), on: held, today: today) }
        #expect(throws: FieldProblem.self) { try ChangePreview.of(.holdCleared(on: batchDate(2099, 1, 1)), on: held, today: today) }
        #expect(try ChangePreview.of(.holdCleared(on: today), on: held, today: today).lines.contains("解消した日：令和8年11月28日"))
    }

    @Test("R-RG-9 by analogy: withdraw, transfer out and re-registration dates are not before the application nor after today")
    func otherDates() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())   // applied 2026-11-24
        let today = batchDate(2026, 11, 30)
        let cases: [(LifecycleEvent, String)] = [
            (.withdrawn(reason: "本人の申し出", on: batchDate(1999, 1, 1)), "取下げ日：平成11年1月1日はこの案件の申請日（令和8年11月24日）より前"),
            (.withdrawn(reason: "本人の申し出", on: batchDate(2099, 1, 1)), "取下げ日：令和81年1月1日は今日（令和8年11月30日）より後"),
            (.transferredOut(office: "隣市福祉事務所", on: batchDate(2026, 11, 23)), "転出日：令和8年11月23日はこの案件の申請日"),
            (.transferredOut(office: "隣市福祉事務所", on: batchDate(2099, 1, 1)), "転出日：令和81年1月1日は今日"),
        ]
        for (event, said) in cases {
            do {
                _ = try ChangePreview.of(event, on: a, today: today)
                Issue.record("\(event) was not refused")
            } catch let e as FieldProblem {
                #expect(e.description.hasPrefix(said), "\(e)")
            }
        }
        #expect(try ChangePreview.of(.withdrawn(reason: "本人の申し出", on: batchDate(2026, 11, 24)), on: a, today: today)
            .lines.contains("取下げ日：令和8年11月24日"))
        var confirmed = a
        try CaseLifecycle.apply(.confirmed(cancelledOn: batchDate(2026, 11, 30), file: nil), to: &confirmed)
        #expect(throws: FieldProblem.self) { try CaseLifecycle.checkDate(.reregistered(on: batchDate(2099, 1, 1)), on: confirmed, today: today) }
        #expect(throws: FieldProblem.self) { try CaseLifecycle.checkDate(.reregistered(on: batchDate(2020, 1, 1)), on: confirmed, today: today) }
        try CaseLifecycle.checkDate(.reregistered(on: today), on: confirmed, today: today)
    }

    @Test("the write refuses a date after the office's today too (a script with --yes skips the preview), and writes nothing")
    func writeRefusesFutureDate() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let size = env.journalBytes().count
        #expect(throws: FieldProblem.self) {
            try env.store.record(.withdrawn(reason: "本人の申し出", on: batchDate(2026, 11, 26)), on: a.number, operatorID: "yamada", now: batchJST(2026, 11, 25))
        }
        #expect(env.journalBytes().count == size)
        try env.store.record(.withdrawn(reason: "本人の申し出", on: batchDate(2026, 11, 25)), on: a.number, operatorID: "yamada", now: batchJST(2026, 11, 25))
        #expect(env.store.book[a.number]?.status == .withdrawn)
    }

    @Test("which moves ask: the ones that end, hold or overwrite; not the server's own results")
    func whichAsk() {
        let d = batchDate(2026, 11, 25)
        #expect(LifecycleEvent.withdrawn(reason: "x", on: d).asksConfirmation)
        #expect(LifecycleEvent.transferredOut(office: "x", on: d).asksConfirmation)
        #expect(LifecycleEvent.held(reason: .misEntryPending, noticeDate: d).asksConfirmation)
        #expect(LifecycleEvent.holdCleared(on: d).asksConfirmation)
        #expect(LifecycleEvent.cancelledByServer(noticeDate: d, action: "x").asksConfirmation)
        #expect(LifecycleEvent.serverNumberSet("1234567890123456").asksConfirmation)
        #expect(!LifecycleEvent.exported(file: "f").asksConfirmation)
        #expect(!LifecycleEvent.requeued(note: "x").asksConfirmation)
    }
}

@Suite("Sign-off reminders: maker-checker in sight (issue 11 item 7, R-SG-2)", .tags(.unit))
struct SignOffReminderTests {
    @Test("R-SG-2 a prepared batch is a reminder for a supervisor who did not prepare it, naming the preparer; not for the clerk")
    func awaiting() throws {
        let env = try batchEnv()
        _ = try batchReceive(env, batchApplication())
        let b = try env.store.prepareBatch(office: env.office, by: clerk, now: batchJST(2026, 11, 25))
        let today = batchDate(2026, 11, 25)
        let forSupervisor = Reminders.due(in: env.store.book, today: today, for: supervisor, operatorNames: names)
        let waiting = forSupervisor.filter { $0.kind == .batchAwaitingApproval }
        #expect(waiting.count == 1)
        #expect(waiting.first?.message.contains(b.id) == true)
        #expect(waiting.first?.message.contains("山田 花子") == true)
        #expect(waiting.first?.rule == "R-SG-2")
        #expect(!Reminders.due(in: env.store.book, today: today, for: clerk, operatorNames: names).contains { $0.kind == .batchAwaitingApproval })
        // Without a viewer (the office-wide list) there are no sign-off reminders.
        #expect(!Reminders.due(in: env.store.book, today: today).contains { $0.kind.rule == "R-SG-2" })
        try env.store.decideBatch(b.id, approve: true, comment: "", by: supervisor, now: batchJST(2026, 11, 25, 11))
        #expect(!Reminders.due(in: env.store.book, today: today, for: supervisor).contains { $0.kind == .batchAwaitingApproval })
    }

    @Test("R-SG-2 a returned batch is a reminder for its preparer with the supervisor's name, the day and the comment, until a new batch is prepared")
    func returned() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let b = try env.store.prepareBatch(office: env.office, by: clerk, now: batchJST(2026, 11, 25))
        try env.store.decideBatch(b.id, approve: false, comment: "住所を確かめて", by: supervisor, now: batchJST(2026, 11, 30, 11))
        let today = batchDate(2026, 11, 30)
        #expect(env.store.book.signOffBatches.first?.decidedAt?.hasPrefix("2026-11-30") == true)
        let back = Reminders.due(in: env.store.book, today: today, for: clerk, operatorNames: names).filter { $0.kind == .batchReturned }
        #expect(back.count == 1)
        #expect(back.first?.message.contains("佐藤 一郎、令和8年11月30日）：住所を確かめて") == true, "\(back)")
        #expect(back.first?.caseNumber == a.number)   // one case: the reminder shows on it too
        #expect(!Reminders.due(in: env.store.book, today: today, for: supervisor).contains { $0.kind == .batchReturned })
        // The journal replayed gives the same decision time.
        let reloaded = CaseStore(journalURL: env.journalURL)
        try reloaded.load()
        #expect(reloaded.book.signOffBatches.first?.decidedAt == env.store.book.signOffBatches.first?.decidedAt)
        _ = try env.store.prepareBatch(office: env.office, by: clerk, now: batchJST(2026, 12, 1))
        #expect(!Reminders.due(in: env.store.book, today: batchDate(2026, 12, 1), for: clerk).contains { $0.kind == .batchReturned })
    }

    /// Found in the issue 11 walkthrough: a returned batch whose only case was then transferred out
    /// kept its reminder for ever (nothing left to prepare, and it cannot be marked done).
    @Test("R-SG-2 a returned batch's reminder ends when every case in it has ended; a comment's own 。 is not doubled")
    func returnedEndsWithItsCases() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let b = try env.store.prepareBatch(office: env.office, by: clerk, now: batchJST(2026, 11, 25))
        try env.store.decideBatch(b.id, approve: false, comment: "住所を確かめること。", by: supervisor, now: batchJST(2026, 11, 26, 11))
        let today = batchDate(2026, 11, 30)
        let back = Reminders.due(in: env.store.book, today: today, for: clerk, operatorNames: names).filter { $0.kind == .batchReturned }
        #expect(back.count == 1)
        #expect(back.first?.message.contains("住所を確かめること。直してから") == true, "\(back)")
        _ = try env.store.record(.transferredOut(office: "隣市福祉事務所", on: batchDate(2026, 11, 27)), on: a.number,
                                 operatorID: clerk.id, now: batchJST(2026, 11, 27, 10))
        #expect(!Reminders.due(in: env.store.book, today: today, for: clerk).contains { $0.kind == .batchReturned })
    }
}
