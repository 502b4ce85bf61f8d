import Foundation
import Testing
@testable import MadoguchiCore

// Issue 13 items 2 and 3: rows of the monthly status file that do not confirm their case (R-CF-3),
// and the month-end run a hold notice reports (R-HC-2 amended 2026-11-30). Helpers prefixed `cf3`;
// the batch helpers are in BatchExportTests.swift.

/// An assistance-only case registered on `registeredOn` (exported the day before), through the store.
@discardableResult
private func cf3Registered(_ env: BatchEnv, server: String?, recipient: String, name: String = "山田\u{3000}太郎",
                           registeredOn: LocalDate) throws -> CaseRecord {
    let c = try batchReceive(env, batchApplication(name: name, recipient: recipient, server: server), at: batchJST(2026, 9, 1))
    try env.store.record(.exported(file: "FI_HIM_0018_D1300019_20260901.csv"), on: c.number, operatorID: "yamada", now: batchJST(2026, 9, 1, 11))
    return try env.store.record(.registrationAccepted(registeredOn: registeredOn, file: nil), on: c.number,
                                operatorID: "yamada", now: batchJST(registeredOn.year, registeredOn.month, registeredOn.day))
}

private func cf3Import(_ env: BatchEnv, _ rows: [[String]], name: String = "status.csv", on now: Date) throws -> ImportReport {
    try env.store.importStatus(try env.inbox(name, batchStatusFile(rows)), office: env.office, allowBadRows: false,
                               operatorID: "yamada", now: now)
}

@Suite("R-CF-3: status rows that do not confirm their case are listed with the row and what to do", .tags(.unit))
struct StatusRowNotesTests {

    @Test("R-CF-3 状態 0 with a 解除日 but 区分 2 (another route): listed with the row, the case unchanged")
    func rCF3_otherRouteListed() throws {
        let env = try batchEnv()
        let c = try cf3Registered(env, server: "4100000000000001", recipient: batchRecipient("410001"), registeredOn: batchDate(2026, 11, 5))
        let report = try cf3Import(env, [
            batchStatusRow(server: "4100000000000009", state: "1", registeredOn: "20200401"),   // someone else of the office
            batchStatusRow(server: "4100000000000001", state: "0", registeredOn: "20200401", cancelledOn: "20261130", kind: "2"),
        ], on: batchJST(2026, 12, 5))
        #expect(report.outcome == .applied)
        #expect(report.changes.isEmpty)
        #expect(env.store.book[c.number]?.status == .registered)
        let note = try #require(report.rowNotes.first)
        #expect(report.rowNotes.count == 1)
        #expect(note.kind == .otherRoute && note.row == 3 && note.caseNumber == c.number)
        #expect(note.detail.contains("解除区分 「2」") && note.todo.contains("R-PT-4"))
        let text = report.summaryLines.joined(separator: "\n")
        #expect(text.contains(ImportReport.RowNote.Kind.otherRoute.heading))
        #expect(text.contains("3行目 \(c.number)"))
    }

    @Test("R-CF-3 R-HC-3 a confirming row for a case the server cancelled (#5) records the confirmation; tickets and the cancel notice stay")
    func rCF3_cancelledCaseConfirmed() throws {
        let env = try batchEnv()
        let c = try cf3Registered(env, server: "4200000000000001", recipient: batchRecipient("420001"), registeredOn: batchDate(2026, 11, 5))
        try env.store.record(.cancelledByServer(noticeDate: batchDate(2026, 12, 31), action: "本人に連絡した（保険者に解除申請済み）"),
                             on: c.number, operatorID: "yamada", now: batchJST(2027, 1, 4))
        let report = try cf3Import(env, [
            batchStatusRow(server: "4200000000000001", state: "0", registeredOn: "20200401", cancelledOn: "20270131", kind: "1"),
        ], on: batchJST(2027, 2, 3))
        #expect(report.changes.map(\.caseNumber) == [c.number])
        #expect(report.changes.first?.what.contains("取消 #5") == true)
        let after = try #require(env.store.book[c.number])
        #expect(after.status == .confirmed)
        #expect(after.lifecycle.confirmedCancelledOn == batchDate(2027, 1, 31))
        #expect(after.lifecycle.cancelNotice == .cancelled)
        // The cancel notice can still be made for it (R-NT-3).
        let context = try NoticeRenderer.context(.cancel, for: after, office: env.office,
                                                 clerk: Operator(id: "yamada", name: "山田", role: .clerk), today: batchDate(2027, 2, 3))
        #expect((context["cancel"] as? [String: Any])?["noticeDate"] as? String == "令和8年12月31日")
        // R-PT-4: paper tickets are asked for in the confirmed month too (the card was unusable since #5).
        let reminders = Reminders.due(in: env.store.book, today: batchDate(2027, 1, 31), month: YearMonth(year: 2027, month: 1))
        #expect(reminders.contains { $0.kind == .paperTicketsMonthly && $0.caseNumber == c.number })
    }

    @Test("R-CF-3 R-PT-2 状態 1 for a confirmed person is flagged as a re-registration with the date, and can be recorded from the list")
    func rCF3_reregistrationFlagged() throws {
        let env = try batchEnv()
        let c = try cf3Registered(env, server: "4300000000000001", recipient: batchRecipient("430001"), registeredOn: batchDate(2026, 10, 5))
        try env.store.record(.confirmed(cancelledOn: batchDate(2026, 11, 30), file: "s.csv"), on: c.number, operatorID: "yamada", now: batchJST(2026, 12, 2))
        let report = try cf3Import(env, [
            batchStatusRow(server: "4300000000000001", state: "1", registeredOn: "20270110", cancelledOn: "20261130", kind: "1"),
        ], on: batchJST(2027, 2, 2))
        let note = try #require(report.rowNotes.first { $0.kind == .reregistered })
        #expect(note.caseNumber == c.number && note.row == 2)
        #expect(note.recordReregistration && note.reregisteredOn == "2027-01-10")
        let cli = report.summaryLines(names: { $0 }) { "madoguchi record-reregistration \($0.caseNumber) --date \($0.reregisteredOn!)" }
        #expect(cli.contains { $0.contains("madoguchi record-reregistration \(c.number) --date 2027-01-10") })
        // Recorded from the list: the flag is gone from the next file.
        try env.store.record(.reregistered(on: batchDate(2027, 1, 10)), on: c.number, operatorID: "yamada", now: batchJST(2027, 2, 2, 11))
        let next = try cf3Import(env, [
            batchStatusRow(server: "4300000000000001", state: "1", registeredOn: "20270110", cancelledOn: "20261130", kind: "1", expiry: "20300101"),
        ], name: "status2.csv", on: batchJST(2027, 3, 2))
        #expect(next.rowNotes.isEmpty)
    }

    @Test("R-CF-3 R-ID-2 a row whose 被保険者証番号 is the 受給者番号 of a case without 被保険者枝番 is named, never matched")
    func rCF3_recipientNumberOnlyNamed() throws {
        let env = try batchEnv()
        let recipient = batchRecipient("440001")
        let c = try batchReceive(env, batchApplication(recipient: recipient, server: nil))
        let report = try cf3Import(env, [
            batchStatusRow(server: "4400000000000001", recipient: recipient, state: "0", registeredOn: "20200401", cancelledOn: "20261130", kind: "1"),
        ], on: batchJST(2026, 12, 5))
        #expect(report.changes.isEmpty)
        #expect(env.store.book[c.number]?.status == c.status)
        #expect(env.store.book[c.number]?.lifecycle.confirmedCancelledOn == nil)
        let note = try #require(report.rowNotes.first)
        #expect(note.kind == .recipientNumberOnly && note.caseNumber == c.number && note.row == 2)
        #expect(note.detail.contains("4400000000000001") && note.todo.contains("R-ID-2"))
    }

    @Test("R-CF-3 R-HC-2 a confirmation a month later than the holds recorded is flagged (a hold never recorded); earlier than a recorded hold too")
    func rCF3_holdMismatchFlagged() throws {
        let env = try batchEnv()
        let unrecorded = try cf3Registered(env, server: "4500000000000001", recipient: batchRecipient("450001"), registeredOn: batchDate(2026, 10, 5))
        let phantom = try cf3Registered(env, server: "4500000000000002", recipient: batchRecipient("450002"), registeredOn: batchDate(2026, 10, 6))
        try env.store.record(.held(reason: .misEntrySuspected, noticeDate: batchDate(2026, 11, 30)), on: phantom.number, operatorID: "yamada", now: batchJST(2026, 12, 1))
        let onTime = try cf3Registered(env, server: "4500000000000003", recipient: batchRecipient("450003"), registeredOn: batchDate(2026, 10, 7))
        let report = try cf3Import(env, [
            batchStatusRow(server: "4500000000000001", state: "0", registeredOn: "20200401", cancelledOn: "20261231", kind: "1"),
            batchStatusRow(server: "4500000000000002", state: "0", registeredOn: "20200401", cancelledOn: "20261130", kind: "1"),
            batchStatusRow(server: "4500000000000003", state: "0", registeredOn: "20200401", cancelledOn: "20261130", kind: "1"),
        ], on: batchJST(2027, 1, 5))
        #expect(Set(report.changes.map(\.caseNumber)) == [unrecorded.number, phantom.number, onTime.number])
        let flagged = report.rowNotes.filter { $0.kind == .holdMismatch }
        #expect(flagged.map(\.caseNumber) == [unrecorded.number, phantom.number])
        try #require(flagged.count == 2)
        #expect(flagged[0].detail.contains("1か月あと") && flagged[0].row == 2)
        #expect(flagged[1].detail.contains("前に解除") && flagged[1].row == 3)
    }

    @Test("R-CF-3 状態 1 not yet due and 状態 0 without dates are listed; a due case names its row on the due list")
    func rCF3_waitingNotRegisteredAndDue() throws {
        let env = try batchEnv()
        let waiting = try cf3Registered(env, server: "4600000000000001", recipient: batchRecipient("460001"), registeredOn: batchDate(2026, 11, 20))
        let never = try cf3Registered(env, server: "4600000000000002", recipient: batchRecipient("460002"), registeredOn: batchDate(2026, 11, 21))
        let due = try cf3Registered(env, server: "4600000000000003", recipient: batchRecipient("460003"), registeredOn: batchDate(2026, 10, 5))
        let report = try cf3Import(env, [
            batchStatusRow(server: "4600000000000001", state: "1", registeredOn: "20200401"),
            batchStatusRow(server: "4600000000000002", state: "0"),
            batchStatusRow(server: "4600000000000003", state: "1", registeredOn: "20200401"),
        ], on: batchJST(2026, 12, 5))
        #expect(report.rowNotes.map(\.kind) == [.stillRegistered, .notRegistered])
        #expect(report.rowNotes.map(\.caseNumber) == [waiting.number, never.number])
        #expect(report.rowNotes.last?.todo.contains("R-PC-1") == true)
        #expect(report.dueNotConfirmed.map(\.caseNumber) == [due.number])
        #expect(report.dueNotConfirmed.first?.row == 4)
        #expect(report.summaryLines.contains { $0.contains("4行目は初回登録状態 1 のまま") })
        // The same file again changes nothing and lists the rows again.
        let again = try cf3Import(env, [
            batchStatusRow(server: "4600000000000001", state: "1", registeredOn: "20200401"),
            batchStatusRow(server: "4600000000000002", state: "0"),
            batchStatusRow(server: "4600000000000003", state: "1", registeredOn: "20200401"),
        ], on: batchJST(2026, 12, 5, 11))
        #expect(again.outcome == .alreadyImported)
        #expect(again.rowNotes == report.rowNotes)
    }
}

@Suite("R-HC-2 amended: a hold is re-checked at the run after the one the notice reports, not a month after typing", .tags(.unit))
struct HoldRunTests {

    @Test("R-HC-2 a notice of the 12/31 run recorded on 1/5 is re-checked on 1/31 (was 2/28)")
    func rHC2_noticeReadInJanuaryIsDecemberRun() throws {
        let env = try batchEnv()
        let c = try cf3Registered(env, server: "4700000000000001", recipient: batchRecipient("470001"), registeredOn: batchDate(2026, 11, 25))
        let h = try env.store.record(.held(reason: .misEntrySuspected, noticeDate: batchDate(2027, 1, 5)), on: c.number,
                                     operatorID: "yamada", now: batchJST(2027, 1, 5))
        #expect(h.lifecycle.holds.last?.run == YearMonth(year: 2026, month: 12))
        #expect(h.lifecycle.holds.last?.recheckDate == batchDate(2027, 1, 31))
        #expect(CaseLifecycle.expectedCancellation(h) == .expected(batchDate(2027, 1, 31)))
        // The run is written on the journal line; a fresh read keeps it.
        #expect(h.history.last?.data["run"] == .string("2026-12"))
        let fresh = CaseStore(journalURL: env.journalURL)
        try fresh.load()
        #expect(fresh.book[c.number]?.lifecycle == h.lifecycle)
        // The hold notice says the run it refers to.
        let context = try NoticeRenderer.context(.hold, for: h, office: env.office,
                                                 clerk: Operator(id: "yamada", name: "山田", role: .clerk), today: batchDate(2027, 1, 5))
        #expect((context["hold"] as? [String: Any])?["run"] as? String == "令和8年12月31日")
    }

    @Test("R-HC-2 the run derived: a notice on a month's last day is that month's run; never before the month after registration; after the previous hold's run")
    func rHC2_derivedRule() throws {
        let env = try batchEnv()
        let c = try cf3Registered(env, server: "4800000000000001", recipient: batchRecipient("480001"), registeredOn: batchDate(2026, 11, 25))
        #expect(CaseLifecycle.run(ofNotice: batchDate(2026, 12, 31), on: c) == YearMonth(year: 2026, month: 12))
        #expect(CaseLifecycle.run(ofNotice: batchDate(2027, 1, 30), on: c) == YearMonth(year: 2026, month: 12))
        #expect(CaseLifecycle.run(ofNotice: batchDate(2026, 12, 20), on: c) == YearMonth(year: 2026, month: 12))   // first run after registration
        let h = try env.store.record(.held(reason: .misEntryPending, noticeDate: batchDate(2026, 12, 31)), on: c.number,
                                     operatorID: "yamada", now: batchJST(2027, 1, 2))
        // The next notice, read on 2/1 (before the 1/31 hold was typed), is of the January run.
        #expect(CaseLifecycle.run(ofNotice: batchDate(2027, 1, 29), on: h) == YearMonth(year: 2027, month: 1))
        let again = try env.store.record(.held(reason: .misEntryPending, noticeDate: batchDate(2027, 2, 1)), on: c.number,
                                         operatorID: "yamada", now: batchJST(2027, 2, 1))
        #expect(again.lifecycle.holds.map(\.recheckDate) == [batchDate(2027, 1, 31), batchDate(2027, 2, 28)])
    }

    @Test("R-HC-2 a typed run is used; one before the first run, after the notice's month or in the future is refused by name, journal untouched")
    func rHC2_typedRun() throws {
        let env = try batchEnv()
        let c = try cf3Registered(env, server: "4900000000000001", recipient: batchRecipient("490001"), registeredOn: batchDate(2026, 11, 25))
        let before = env.journalBytes()
        for run in [YearMonth(year: 2026, month: 11)!, YearMonth(year: 2027, month: 2)!] {
            #expect {
                try env.store.record(.held(reason: .misEntrySuspected, noticeDate: batchDate(2027, 1, 20), run: run), on: c.number,
                                     operatorID: "yamada", now: batchJST(2027, 1, 20))
            } throws: { e in (e as? FieldProblem)?.label == "月末処理の月" && (e as? FieldProblem)?.message.contains("R-HC-2") == true }
        }
        #expect(env.journalBytes() == before)
        // A notice typed on 2/10 that the clerk says is of the December run: re-checked 1/31 (already past).
        let h = try env.store.record(.held(reason: .codeBeingObtained, noticeDate: batchDate(2027, 2, 10), run: YearMonth(year: 2026, month: 12)),
                                     on: c.number, operatorID: "yamada", now: batchJST(2027, 2, 10))
        #expect(h.lifecycle.holds.last?.recheckDate == batchDate(2027, 1, 31))
        let preview = try ChangePreview.of(.held(reason: .codeBeingObtained, noticeDate: batchDate(2027, 2, 10)), on: h, today: batchDate(2027, 2, 10))
        #expect(preview.lines.contains { $0.contains("令和9年1月末の月末処理") })
    }
}
