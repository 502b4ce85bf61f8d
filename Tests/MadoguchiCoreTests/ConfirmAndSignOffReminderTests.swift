import Foundation
import Testing
@testable import MadoguchiCore

private let clerk = Operator(id: "yamada", name: "山田 花子", role: .clerk)
private let supervisor = Operator(id: "sato", name: "佐藤 一郎", role: .supervisor)
private let names = ["yamada": "山田 花子", "sato": "佐藤 一郎"]

@Suite("What a move will change, before it is recorded (issue 11 item 5)")
struct ChangePreviewTests {
    @Test("withdraw: the case, the person, 状態 old → new and the reason; nothing is written")
    func withdraw() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let size = env.journalBytes().count
        let p = try ChangePreview.of(.withdrawn(reason: "本人の申し出", on: batchDate(2026, 11, 25)), on: a)
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
        let p = try ChangePreview.of(.serverNumberSet("5678567856785678"), on: a)
        #expect(p.lines.contains("被保険者枝番　現在：1234567890123456 → 新：5678567856785678"))
        #expect(p.lines.contains("状態　現在：登録待ち → 新：登録待ち（変わりません）"))
        #expect(p.warnings.contains { $0.contains("上書き") && $0.contains("1234567890123456") })
        let blank = try batchReceive(env, batchApplication(recipient: batchRecipient("234567"), server: nil))
        let q = try ChangePreview.of(.serverNumberSet("5678567856785678"), on: blank)
        #expect(q.lines.contains("被保険者枝番　現在：（空欄） → 新：5678567856785678"))
        #expect(!q.warnings.contains { $0.contains("上書き") })
    }

    @Test("R-IN-7 a transfer out before registration warns that the request will not be registered; after export it does not")
    func transferBeforeRegistration() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        let p = try ChangePreview.of(.transferredOut(office: "隣市福祉事務所", on: batchDate(2026, 11, 25)), on: a)
        #expect(p.warnings.contains { $0.contains("R-IN-7") })
        #expect(p.lines.contains("転出先　現在：（空欄） → 新：隣市福祉事務所"))
        var exported = a
        try CaseLifecycle.apply(.exported(file: "FI_HIM_0018_x.csv"), to: &exported)
        let q = try ChangePreview.of(.transferredOut(office: "隣市福祉事務所", on: batchDate(2026, 11, 25)), on: exported)
        #expect(!q.warnings.contains { $0.contains("R-IN-7") })
    }

    @Test("R-HC-1 an illegal move and a blank cancel action are refused by the preview as the write would refuse them")
    func refusals() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication())
        #expect(throws: CaseError.self) { try ChangePreview.of(.held(reason: .misEntrySuspected, noticeDate: batchDate(2026, 11, 25)), on: a) }
        var registered = a
        try CaseLifecycle.apply(.exported(file: "f.csv"), to: &registered)
        try CaseLifecycle.apply(.registrationAccepted(registeredOn: batchDate(2026, 11, 26), file: nil), to: &registered)
        #expect(throws: FieldProblem.self) { try ChangePreview.of(.cancelledByServer(noticeDate: batchDate(2026, 11, 30), action: " "), on: registered) }
        let held = try ChangePreview.of(.held(reason: .codeBeingObtained, noticeDate: batchDate(2026, 11, 30)), on: registered)
        #expect(held.lines.contains("状態　現在：\(CaseStatus.registered.label) → 新：\(CaseStatus.held.label)"))
        // The expected cancellation moves one month later (R-HC-2) and is shown.
        #expect(held.changes.contains { $0.label == "解除予定日" && $0.old != $0.new })
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

@Suite("Sign-off reminders: maker-checker in sight (issue 11 item 7, R-SG-2)")
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
}
