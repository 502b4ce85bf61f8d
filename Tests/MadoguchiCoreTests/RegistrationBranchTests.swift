import Foundation
import Testing
@testable import MadoguchiCore

// Issue 13 item 5 and part of 6: the rarer branches of registration (R-RG-6, R-RG-8, R-RG-9) and of
// intake (R-IN-6, R-IN-7). Helpers from BatchExportTests.swift.

private let alreadyMessage = "既に初回登録解除の申請が登録されています"

/// A case exported on `exportedAt` and answered `2` with `message` by a result file imported then.
private func failed(_ env: BatchEnv, message: String, recipient: String = batchRecipient("100001"),
                    server: String = "1000000000000001") throws -> (CaseRecord, ImportReport) {
    let c = try batchReceive(env, batchApplication(recipient: recipient, server: server))
    let rows = try batchRows(ofExport: try #require(try batchExport(env, at: batchJST(2026, 11, 25)).file))
    let url = try env.inbox("result-\(server).csv", batchResultFile([rows[0] + ["2", message]]))
    let r = try env.store.importResults(url, office: env.office, registeredOn: nil, allowBadRows: false,
                                        operatorID: "yamada", now: batchJST(2026, 11, 26))
    return (try #require(env.store.book[c.number]), r)
}

@Suite("R-RG-6 already registered: not 'fix and register again'", .tags(.unit))
struct AlreadyRegisteredAdviceTests {
    @Test("R-RG-6 the server's wordings of 'already registered' are recognised, full and half width; other errors are R-RG-5")
    func classifier() {
        for m in [alreadyMessage, "既に初回登録が解除されています", "解除申請は登録済みです", "すでに 解除の申請 があります", "E0102 " + alreadyMessage + "。"] {
            #expect(RegistrationFailure.of(m) == .alreadyRegistered, "\(m)")
        }
        for m in ["被保険者枝番が中間サーバーに存在しません", "保険者番号に誤りがあります", "", "既に"] {
            #expect(RegistrationFailure.of(m) == .fixAndResend, "\(m)")
        }
        #expect(RegistrationFailure.of(nil) == .fixAndResend)
    }

    @Test("R-RG-6 the import report, the case's reminders and the expected date say: do not register again; confirm in the status file")
    func adviceEverywhere() throws {
        let env = try batchEnv()
        let (c, report) = try failed(env, message: alreadyMessage)
        #expect(c.status == .registrationFailed)
        let change = try #require(report.changes.first)
        #expect(change.advice?.contains("登録し直さないでください") == true && change.advice?.contains("R-RG-6") == true, "\(change)")
        #expect(report.summaryLines.contains { $0.contains("登録し直さないでください") && $0.contains("R-RG-6") }, "\(report.summaryLines)")
        #expect(!report.summaryLines.contains { $0.contains("R-RG-5") })
        #expect(c.reminders.contains { $0.contains("R-RG-6") } && !c.reminders.contains { $0.contains("登録し直してください（R-RG-5）") }, "\(c.reminders)")
        let due = Reminders.due(in: env.store.book, today: batchDate(2026, 11, 26)).filter { $0.caseNumber == c.number && $0.kind == .registrationFailed }
        #expect(due.count == 1 && due[0].message.contains("R-RG-6") && due[0].message.contains("登録し直さないでください"), "\(due)")
        #expect(due.first?.rule == "R-RG-6")
        // Registered elsewhere on a day unknown here: the status file decides (R-DT-3 alike).
        #expect(CaseLifecycle.expectedCancellation(c) == .unknownUntilConfirmed)
    }

    @Test("R-RG-5 another error keeps 'fix and register again'")
    func otherErrorUnchanged() throws {
        let env = try batchEnv()
        let (c, report) = try failed(env, message: "被保険者枝番が中間サーバーに存在しません")
        #expect(report.changes.first?.advice?.contains("R-RG-5") == true)
        #expect(c.reminders.contains { $0.contains("原因を直して登録し直してください（R-RG-5）") })
        #expect(CaseLifecycle.expectedCancellation(c) == .afterRegistration)
    }

    @Test("R-RG-6 sending it again (requeue, or a registration by hand) asks first and says why not")
    func requeueAsks() throws {
        let env = try batchEnv()
        let (c, _) = try failed(env, message: alreadyMessage)
        #expect(LifecycleEvent.requeued(note: "直した").asksConfirmation(on: c))
        let p = try ChangePreview.of(.requeued(note: "直した"), on: c, today: batchDate(2026, 11, 30))
        #expect(p.warnings.contains { $0.contains("R-RG-6") && $0.contains(alreadyMessage) }, "\(p.warnings)")
        let env2 = try batchEnv("other")
        let (d, _) = try failed(env2, message: "被保険者枝番が中間サーバーに存在しません")
        #expect(!LifecycleEvent.requeued(note: "直した").asksConfirmation(on: d))
    }
}

@Suite("R-RG-8 a registration made one by one on the 統合専用端末", .tags(.unit))
struct ManualRegistrationTests {
    @Test("R-RG-8 R-DT-1 a waiting assistance-only case is registered by hand: 登録済み, expected the end of the next month, journaled")
    func waitingCase() throws {
        let env = try batchEnv()
        let c = try batchReceive(env, batchApplication())
        let p = try ChangePreview.of(.registeredOnTerminal(on: batchDate(2026, 11, 27)), on: c, today: batchDate(2026, 11, 30))
        #expect(p.lines.contains("状態　現在：登録待ち → 新：登録済み"), "\(p.lines)")
        #expect(p.lines.contains("解除予定日　現在：登録後に決まる（登録月の翌月末） → 新：令和8年12月31日"), "\(p.lines)")
        #expect(p.date?.label == "登録日")
        #expect(LifecycleEvent.registeredOnTerminal(on: batchDate(2026, 11, 27)).asksConfirmation)
        let r = try env.store.record(.registeredOnTerminal(on: batchDate(2026, 11, 27)), on: c.number, operatorID: "yamada", now: batchJST(2026, 11, 30))
        #expect(r.status == .registered && r.lifecycle.registeredOn == batchDate(2026, 11, 27))
        #expect(CaseLifecycle.expectedCancellation(r) == .expected(batchDate(2026, 12, 31)))
        #expect(batchJournalLines(env).last?.contains("\"registration.manual\"") == true)
        // Replayed the same from the journal.
        let again = CaseStore(journalURL: env.office.journalURL)
        _ = try again.load()
        #expect(again.book[c.number]?.status == .registered && again.book[c.number]?.lifecycle.registeredOn == batchDate(2026, 11, 27))
        #expect(again.book[c.number]?.history.last.map { $0.type } == "registration.manual")
    }

    @Test("R-RG-8 a failed case may be registered by hand; exported, registered and insured cases are refused naming the state")
    func whichCases() throws {
        let env = try batchEnv()
        let (failedCase, _) = try failed(env, message: "被保険者枝番が中間サーバーに存在しません")
        let r = try env.store.record(.registeredOnTerminal(on: batchDate(2026, 11, 27)), on: failedCase.number, operatorID: "yamada", now: batchJST(2026, 11, 30))
        #expect(r.status == .registered && r.lifecycle.failureMessage == nil)

        let insured = try batchReceive(env, batchApplication(recipient: batchRecipient("200002"), server: "2000000000000002", branch: .insured))
        let waiting = try batchReceive(env, batchApplication(recipient: batchRecipient("300003"), server: "3000000000000003"))
        _ = try batchExport(env, at: batchJST(2026, 11, 27))
        let size = env.journalBytes().count
        for (c, state) in [(insured, "保険者の登録待ち"), (try #require(env.store.book[waiting.number]), "登録結果待ち"), (r, "登録済み")] {
            do {
                _ = try env.store.record(.registeredOnTerminal(on: batchDate(2026, 11, 28)), on: c.number, operatorID: "yamada", now: batchJST(2026, 11, 30))
                Issue.record("\(c.number) (\(state)) was registered by hand")
            } catch let e as CaseError {
                #expect(e.description.contains("「\(state)」") && e.description.contains("R-RG-8"), "\(e.description)")
            }
        }
        #expect(env.journalBytes().count == size)
    }

    @Test("R-RG-9 a registration by hand before the application or after today is refused, naming 登録日 and the rule")
    func dates() throws {
        let env = try batchEnv()
        let c = try batchReceive(env, batchApplication())
        let today = batchDate(2026, 11, 30)
        for (d, what) in [(batchDate(2026, 12, 1), "今日"), (batchDate(2026, 1, 5), "申請日")] {
            do {
                _ = try ChangePreview.of(.registeredOnTerminal(on: d), on: c, today: today)
                Issue.record("\(d.iso) accepted")
            } catch let p as FieldProblem {
                #expect(p.label == "登録日" && p.message.contains(what) && p.message.contains("R-RG-9"), "\(p.message)")
            }
        }
    }
}

@Suite("R-RG-9 the registration date offered from the export, not the day of import", .tags(.unit))
struct RegistrationDateOfferedTests {
    @Test("R-RG-9 R-DT-1 a result imported in the next month without a date takes the export day: the expected date does not move")
    func exportDayByDefault() throws {
        let env = try batchEnv()
        let c = try batchReceive(env, batchApplication())
        let rows = try batchRows(ofExport: try #require(try batchExport(env, at: batchJST(2026, 11, 27)).file))
        let url = try env.inbox("result.csv", batchResultFile([rows[0] + ["1", "正常終了"]]))
        let r = try env.store.importResults(url, office: env.office, registeredOn: nil, allowBadRows: false,
                                            operatorID: "yamada", now: batchJST(2026, 12, 3))
        let after = try #require(env.store.book[c.number])
        #expect(after.lifecycle.registeredOn == batchDate(2026, 11, 27))
        #expect(CaseLifecycle.expectedCancellation(after) == .expected(batchDate(2026, 12, 31)))
        #expect(r.warnings.isEmpty, "\(r.warnings)")
        #expect(r.summaryLines.contains { $0.contains("令和8年11月27日") && $0.contains("R-RG-9") }, "\(r.summaryLines)")
    }
}

@Suite("R-IN-6 one open application per person; R-IN-7 a transfer before registration", .tags(.unit))
struct OpenApplicationTests {
    @Test("R-IN-6 the same 受給者番号 with an open case is found and named; an ended one is not")
    func sameRecipient() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(recipient: batchRecipient("100001")))
        let other = try #require(OpenApplication.same(recipientNumber: batchRecipient("100001"), in: env.store.book.all))
        #expect(other.number == a.number)
        #expect(OpenApplication.warning(other).contains(a.number) && OpenApplication.warning(other).contains("R-IN-6"))
        #expect(OpenApplication.same(recipientNumber: batchRecipient("100001"), in: env.store.book.all, excluding: a.number) == nil)
        _ = try env.store.record(.withdrawn(reason: "本人の申し出", on: batchDate(2026, 11, 24)), on: a.number, operatorID: "yamada", now: batchJST(2026, 11, 25))
        #expect(OpenApplication.same(recipientNumber: batchRecipient("100001"), in: env.store.book.all) == nil)
    }

    @Test("R-IN-7 a transfer after a refused registration warns too; after 'already registered' it does not")
    func transferAfterFailure() throws {
        let env = try batchEnv()
        let (c, _) = try failed(env, message: "被保険者枝番が中間サーバーに存在しません")
        let move = LifecycleEvent.transferredOut(office: "隣市福祉事務所", on: batchDate(2026, 11, 28))
        #expect(try ChangePreview.of(move, on: c, today: batchDate(2026, 11, 30)).warnings.contains { $0.contains("登録されません") && $0.contains("R-IN-7") })
        let env2 = try batchEnv("already")
        let (d, _) = try failed(env2, message: alreadyMessage)
        #expect(!(try ChangePreview.of(move, on: d, today: batchDate(2026, 11, 30)).warnings.contains { $0.contains("R-IN-7") }))
    }
}
