import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers (prefixed `batch`; the shared ones are in BatchExportTests.swift)

private func batchImportResults(_ env: BatchEnv, _ url: URL, registeredOn: LocalDate = batchDate(2026, 12, 1),
                                allowBadRows: Bool = false, now: Date = batchJST(2026, 12, 1, 10)) throws -> ImportReport {
    try env.store.importResults(url, office: env.office, registeredOn: registeredOn, allowBadRows: allowBadRows,
                                operatorID: "yamada", now: now)
}

private func batchImportStatus(_ env: BatchEnv, _ url: URL, allowBadRows: Bool = false,
                               now: Date = batchJST(2026, 12, 10, 10)) throws -> ImportReport {
    try env.store.importStatus(url, office: env.office, allowBadRows: allowBadRows, operatorID: "yamada", now: now)
}

/// An assistance-only case moved to 登録済み on `registeredOn` through the state machine.
@discardableResult
private func batchRegistered(_ env: BatchEnv, server: String, recipient: String, name: String = "山田\u{3000}太郎",
                             registeredOn: LocalDate) throws -> CaseRecord {
    let c = try batchReceive(env, batchApplication(name: name, recipient: recipient, server: server), at: batchJST(2026, 9, 1))
    try env.store.record(.exported(file: "FI_HIM_0018_D1300019_20260901.csv"), on: c.number, operatorID: "yamada", now: batchJST(2026, 9, 1, 11))
    return try env.store.record(.registrationAccepted(registeredOn: registeredOn, file: nil), on: c.number,
                                operatorID: "yamada", now: batchJST(registeredOn.year, registeredOn.month, registeredOn.day))
}

// MARK: - Result file

@Suite("Batch: result file import (R-RG-4..6, R-FL-1, R-FL-4, R-DT-1)", .tags(.unit))
struct BatchResultImportTests {

    @Test("R-RG-4 R-RG-5 R-FL-1 round trip: export → result file → 1 registered, 2 failed with the message, unmatched and skipped rows listed")
    func rFL1_roundTrip() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(name: "一\u{3000}太郎", recipient: batchRecipient("100001"), server: "1000000000000001"))
        let b = try batchReceive(env, batchApplication(name: "二\u{3000}花子", recipient: batchRecipient("100002"), server: "1000000000000002"))
        let c = try batchReceive(env, batchApplication(name: "三\u{3000}三郎", recipient: batchRecipient("100003"), server: "1000000000000003"))
        let insured = try batchReceive(env, batchApplication(name: "四\u{3000}四郎", recipient: batchRecipient("100004"),
                                                             server: "4000000000000004", branch: .insured))
        let export = try batchExport(env)
        let rows = try batchRows(ofExport: try #require(export.file))
        #expect(rows.count == 3)

        let message = "被保険者枝番が中間サーバーに存在しません"
        let data = batchResultFile([
            rows[0] + ["1", "正常終了"],                                                     // line 2: a
            rows[1] + ["2", message],                                                        // line 3: b
            [batchServerCode, "9999999999999999", batchPayer, "", "9999999", "", "1", ""],   // line 4: nobody
            [batchServerCode, "4000000000000004", batchPayer, "", "1000048", "", "1", ""],   // line 5: insured, never exported
        ])   // c's row is not in the file yet
        let url = try env.inbox("result.csv", data)
        let report = try batchImportResults(env, url)

        #expect(report.outcome == .applied)
        #expect(report.problems.isEmpty)
        #expect(report.sha256 == RegistrationExport.sha256(data))
        #expect(report.changes.map(\.caseNumber) == [a.number, b.number])
        #expect(report.changes[1].name == "二\u{3000}花子")
        #expect(report.changes[1].what.contains(message))
        #expect(report.unmatched.count == 1)
        #expect(report.unmatched.first?.contains("4行目") == true)
        #expect(report.unmatched.first?.contains("9999999999999999") == true)
        #expect(report.skipped.count == 1)
        #expect(report.skipped.first?.contains("5行目") == true)
        #expect(report.skipped.first?.contains(insured.number) == true)
        #expect(report.skipped.first?.contains(CaseStatus.waitingForInsurer.label) == true)
        #expect(report.summaryLines.contains { $0.contains(b.number) && $0.contains(message) })

        let ra = try #require(env.store.book[a.number])
        #expect(ra.status == .registered)
        #expect(ra.lifecycle.registeredOn == batchDate(2026, 12, 1))
        #expect(CaseLifecycle.expectedCancellation(ra) == .expected(batchDate(2027, 1, 31)))   // R-DT-1 over the year end
        let rb = try #require(env.store.book[b.number])
        #expect(rb.status == .registrationFailed)
        #expect(rb.lifecycle.failureMessage == message)
        #expect(rb.reminders.contains { $0.contains(message) })
        #expect(env.store.book[c.number]?.status == .exported)
        #expect(env.store.book[insured.number]?.status == .waitingForInsurer)

        let event = try #require(env.store.book.fileEvents.last)
        #expect(event.payload.kind == .resultImport)
        #expect(event.payload.fileName == "result.csv")
        #expect(event.payload.sha256 == report.sha256)
        #expect(event.payload.cases == [a.number, b.number])
        #expect(event.payload.rows == 4)

        // R-FL-4: the same bytes again — under the same name or another — change nothing.
        let journal = env.journalBytes()
        let again = try batchImportResults(env, url, now: batchJST(2026, 12, 2))
        #expect(again.outcome == .alreadyImported)
        #expect(again.changes.isEmpty)
        #expect(again.previousImport?.contains("yamada") == true)
        // A person reads when (和暦) and who (by name), not the journal's ISO time and the id.
        let said = again.summaryLines(names: { $0 == "yamada" ? "山田 花子" : $0 }).first ?? ""
        #expect(said.contains("山田 花子") && said.contains("令和8年"), "\(said)")
        #expect(!said.contains("yamada") && !said.contains("2026-") && !said.contains("+09:00"), "\(said)")
        #expect(env.journalBytes() == journal)
        let renamed = try env.inbox("result-copy.csv", data)
        #expect(try batchImportResults(env, renamed, now: batchJST(2026, 12, 2)).outcome == .alreadyImported)
        #expect(env.journalBytes() == journal)
        #expect(env.store.book[a.number]?.lifecycle.registeredOn == batchDate(2026, 12, 1))

        // The failed case goes back, is exported again, and a later result file registers it.
        try env.store.record(.requeued(note: "枝番を直した"), on: b.number, operatorID: "yamada", now: batchJST(2026, 12, 3))
        let second = try batchExport(env, at: batchJST(2026, 12, 3, 11))
        #expect(second.included == [b.number])
        let rows2 = try batchRows(ofExport: try #require(second.file))
        let url2 = try env.inbox("result2.csv", batchResultFile([rows2[0] + ["1", ""], rows[2] + ["1", ""]]))
        let report2 = try batchImportResults(env, url2, registeredOn: batchDate(2026, 12, 4), now: batchJST(2026, 12, 4, 10))
        #expect(report2.changes.map(\.caseNumber) == [b.number, c.number])
        #expect(env.store.book[b.number]?.status == .registered)
        #expect(env.store.book[b.number]?.lifecycle.failureMessage == nil)
        #expect(env.store.book[c.number]?.lifecycle.registeredOn == batchDate(2026, 12, 4))
    }

    @Test("R-DT-1 the expected cancellation after a result import is the last day of the month after registration",
          arguments: [("2026-01-31", "2026-02-28"), ("2024-01-15", "2024-02-29"), ("2026-12-10", "2027-01-31"),
                      ("2026-12-01", "2027-01-31"), ("2027-11-30", "2027-12-31")])
    func rDT1_expectedAfterImport(_ registered: String, _ expected: String) throws {
        let env = try batchEnv()
        // Received, exported and imported on the registration day: a registration date is never
        // before the export nor after today (R-RG-9, issue 12 item 7).
        let on = try #require(LocalDate(iso: registered))
        let day = batchJST(on.year, on.month, on.day)
        let a = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"), at: day)
        let rows = try batchRows(ofExport: try #require(try batchExport(env, at: day).file))
        let url = try env.inbox("r.csv", batchResultFile([rows[0] + ["1", "正常終了"]]))
        _ = try batchImportResults(env, url, registeredOn: on, now: batchJST(on.year, on.month, on.day, 18))
        let c = try #require(env.store.book[a.number])
        #expect(c.lifecycle.registeredOn == on)
        #expect(CaseLifecycle.expectedCancellation(c) == .expected(try #require(LocalDate(iso: expected))))
    }

    @Test("R-FL-4 a malformed row refuses the whole file (journal byte-identical, row named); with allowBadRows it is applied without that row")
    func rFL4_malformedRow() throws {
        let env = try batchEnv()
        let a = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let b = try batchReceive(env, batchApplication(recipient: batchRecipient("100002"), server: "1000000000000002"))
        let rows = try batchRows(ofExport: try #require(try batchExport(env).file))
        let url = try env.inbox("bad.csv", batchResultFile([rows[0] + ["1", "正常終了"], rows[1] + ["3", "?"]]))

        let journal = env.journalBytes()
        let refused = try batchImportResults(env, url)
        #expect(refused.outcome == .refused)
        #expect(refused.changes.isEmpty)
        #expect(refused.problems.count == 1)
        #expect(refused.problems.first?.contains("3行目") == true)
        #expect(refused.problems.first?.contains("処理結果区分") == true)
        #expect(refused.summaryLines.contains { $0.contains("誤り：3行目") })
        #expect(env.journalBytes() == journal)
        #expect(env.store.book[a.number]?.status == .exported)
        #expect(env.store.book[b.number]?.status == .exported)
        #expect(env.store.book.fileEvents.count == 1)

        let applied = try batchImportResults(env, url, allowBadRows: true)
        #expect(applied.outcome == .applied)
        #expect(applied.changes.map(\.caseNumber) == [a.number])
        #expect(applied.problems.count == 1 && applied.problems.first?.contains("3行目") == true)
        #expect(env.store.book[a.number]?.status == .registered)
        #expect(env.store.book[b.number]?.status == .exported)
        #expect(env.store.book.fileEvents.last?.payload.cases == [a.number])

        let journal2 = env.journalBytes()
        #expect(try batchImportResults(env, url, allowBadRows: true).outcome == .alreadyImported)
        #expect(env.journalBytes() == journal2)
    }

    @Test("R-FL-4 a file that cannot be read at all (empty) is refused with the reason; journal unchanged")
    func rFL4_emptyFileRefused() throws {
        let env = try batchEnv()
        try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        _ = try batchExport(env)
        let journal = env.journalBytes()
        let report = try batchImportResults(env, try env.inbox("empty.csv", Data()))
        #expect(report.outcome == .refused)
        #expect(report.problems.first?.contains("空") == true)
        #expect(env.journalBytes() == journal)
    }

    @Test("R-RG-3 R-FL-1 two cases of one person: the result row goes to the exported one, not to the newer refused one")
    func rFL1_samePersonResultGoesToExportedCase() throws {
        let env = try batchEnv()
        let first = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let second = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let export = try batchExport(env)
        #expect(export.included == [first.number])
        #expect(export.refused.map(\.caseNumber) == [second.number])
        let rows = try batchRows(ofExport: try #require(export.file))
        let report = try batchImportResults(env, try env.inbox("r.csv", batchResultFile([rows[0] + ["1", "正常終了"]])))
        #expect(report.changes.map(\.caseNumber) == [first.number])
        #expect(report.skipped.isEmpty)
        #expect(env.store.book[first.number]?.status == .registered)
        #expect(env.store.book[second.number]?.status == .awaitingRegistration)
    }
}

// MARK: - Status file

@Suite("Batch: monthly status file import (R-CF-1, R-FL-2, R-RL-2)", .tags(.unit))
struct BatchStatusImportTests {

    @Test("R-CF-1 a cancellation is confirmed only when 初回登録状態 0, 初回登録解除日 filled and 初回登録解除区分 1 all hold",
          arguments: ["all three", "state 1", "no cancel date", "kind 2", "kind empty"])
    func rCF1_allThreeConditions(_ variant: String) throws {
        let env = try batchEnv()
        let c = try batchRegistered(env, server: "1000000000000001", recipient: batchRecipient("100001"),
                                    registeredOn: batchDate(2026, 10, 5))   // expected 2026-11-30, due on 2026-12-10
        var row = batchStatusRow(server: "1000000000000001", recipient: batchRecipient("100001"), state: "0",
                                 registeredOn: "20200401", cancelledOn: "20261130", kind: "1")
        switch variant {
        case "state 1": row[5] = "1"
        case "no cancel date": row[7] = ""
        case "kind 2": row[8] = "2"
        case "kind empty": row[8] = ""
        default: break
        }
        let report = try batchImportStatus(env, try env.inbox("status.csv", batchStatusFile([row])))
        #expect(report.outcome == .applied)
        #expect(report.problems.isEmpty)
        let after = try #require(env.store.book[c.number])
        if variant == "all three" {
            #expect(after.status == .confirmed)
            #expect(after.lifecycle.confirmedCancelledOn == batchDate(2026, 11, 30))
            #expect(CaseLifecycle.expectedCancellation(after) == .cancelledOn(batchDate(2026, 11, 30)))
            #expect(report.changes.map(\.caseNumber) == [c.number])
            #expect(report.dueNotConfirmed.isEmpty)
            #expect(env.store.book.fileEvents.last?.payload.cases == [c.number])
        } else {
            #expect(after.status == .registered)
            #expect(after.lifecycle.confirmedCancelledOn == nil)
            #expect(report.changes.isEmpty)
            #expect(report.dueNotConfirmed.map(\.caseNumber) == [c.number])
        }
        #expect(env.store.book.fileEvents.last?.payload.kind == .statusImport)
    }

    @Test("R-CF-1 R-BR-3 R-RG-6 confirms an insured case waiting for the insurer and a held case alike; an ended case is left alone")
    func rCF1_insuredAndHeld() throws {
        let env = try batchEnv()
        let insured = try batchReceive(env, batchApplication(name: "併用\u{3000}一郎", recipient: batchRecipient("200001"),
                                                             server: "2000000000000001", branch: .insured))
        let held = try batchRegistered(env, server: "2000000000000002", recipient: batchRecipient("200002"), registeredOn: batchDate(2026, 9, 10))
        try env.store.record(.held(reason: .misEntrySuspected, noticeDate: batchDate(2026, 10, 31)), on: held.number,
                             operatorID: "yamada", now: batchJST(2026, 11, 2))
        let failed = try batchReceive(env, batchApplication(recipient: batchRecipient("200003"), server: "2000000000000003"))
        try env.store.record(.exported(file: "f.csv"), on: failed.number, operatorID: "yamada", now: batchJST(2026, 11, 25))
        try env.store.record(.registrationFailed(message: "既に解除申請が登録されています", file: nil), on: failed.number,
                             operatorID: "yamada", now: batchJST(2026, 11, 26))
        let withdrawn = try batchReceive(env, batchApplication(recipient: batchRecipient("200004"), server: "2000000000000004"))
        try env.store.record(.withdrawn(reason: "本人の希望", on: batchDate(2026, 11, 25)), on: withdrawn.number,
                             operatorID: "yamada", now: batchJST(2026, 11, 25))
        #expect(CaseLifecycle.expectedCancellation(env.store.book[insured.number]!) == .unknownUntilConfirmed)

        let rows = ["2000000000000001", "2000000000000002", "2000000000000003", "2000000000000004"].map {
            batchStatusRow(server: $0, state: "0", registeredOn: "2021-04-01", cancelledOn: "2026-11-30", kind: "1")
        }
        let report = try batchImportStatus(env, try env.inbox("status.csv", batchStatusFile(rows)))
        #expect(report.outcome == .applied)
        #expect(report.changes.map(\.caseNumber) == [insured.number, held.number, failed.number])
        for n in [insured.number, held.number, failed.number] {
            #expect(env.store.book[n]?.status == .confirmed)
            #expect(env.store.book[n]?.lifecycle.confirmedCancelledOn == batchDate(2026, 11, 30))
        }
        #expect(env.store.book[withdrawn.number]?.status == .withdrawn)
        #expect(env.store.book[withdrawn.number]?.lifecycle.confirmedCancelledOn == nil)
        #expect(report.skipped.isEmpty)
    }

    @Test("R-CF-1 R-RG-6 a confirming row is about the person: every open case of theirs is confirmed, none left due")
    func rCF1_everyOpenCaseOfThePerson() throws {
        let env = try batchEnv()
        let first = try batchRegistered(env, server: "2100000000000001", recipient: batchRecipient("210001"), registeredOn: batchDate(2026, 10, 5))
        let second = try batchReceive(env, batchApplication(recipient: batchRecipient("210001"), server: "2100000000000001"),
                                      at: batchJST(2026, 11, 20))
        let report = try batchImportStatus(env, try env.inbox("status.csv", batchStatusFile([
            batchStatusRow(server: "2100000000000001", state: "0", registeredOn: "20210401", cancelledOn: "20261130", kind: "1"),
        ])))
        #expect(report.changes.map(\.caseNumber) == [first.number, second.number])
        #expect(env.store.book[first.number]?.status == .confirmed)
        #expect(env.store.book[second.number]?.status == .confirmed)
        #expect(report.dueNotConfirmed.isEmpty)
        #expect(env.store.book.fileEvents.last?.payload.cases == [first.number, second.number])
    }

    @Test("R-CF-1 dueNotConfirmed lists open cases whose expected date is before today and that the file did not confirm")
    func rCF1_dueNotConfirmed() throws {
        let env = try batchEnv()
        let notInFile = try batchRegistered(env, server: "3000000000000001", recipient: batchRecipient("300001"), registeredOn: batchDate(2026, 10, 5))
        let stillRegistered = try batchRegistered(env, server: "3000000000000002", recipient: batchRecipient("300002"), registeredOn: batchDate(2026, 10, 31))
        let notYetDue = try batchRegistered(env, server: "3000000000000003", recipient: batchRecipient("300003"), registeredOn: batchDate(2026, 11, 1))
        let confirmedNow = try batchRegistered(env, server: "3000000000000004", recipient: batchRecipient("300004"), registeredOn: batchDate(2026, 10, 1))
        let insured = try batchReceive(env, batchApplication(recipient: batchRecipient("300005"), server: "3000000000000005", branch: .insured))
        let ended = try batchRegistered(env, server: "3000000000000006", recipient: batchRecipient("300006"), registeredOn: batchDate(2026, 10, 2))
        // Not before the application (batchApplication: 2026-11-24), as the write checks (issue 11).
        try env.store.record(.transferredOut(office: "隣市福祉事務所", on: batchDate(2026, 11, 24)), on: ended.number,
                             operatorID: "yamada", now: batchJST(2026, 11, 24))
        // Held once: expected moved to 2026-12-31, not due on 2026-12-10.
        let heldOnce = try batchRegistered(env, server: "3000000000000007", recipient: batchRecipient("300007"), registeredOn: batchDate(2026, 10, 3))
        try env.store.record(.held(reason: .misEntryPending, noticeDate: batchDate(2026, 11, 30)), on: heldOnce.number,
                             operatorID: "yamada", now: batchJST(2026, 12, 1))

        let file = batchStatusFile([
            batchStatusRow(server: "3000000000000002", state: "1", registeredOn: "20210401"),
            batchStatusRow(server: "3000000000000004", state: "0", registeredOn: "20210401", cancelledOn: "20261130", kind: "1"),
            batchStatusRow(server: "3000000000000005", state: "1", registeredOn: "20210401"),
        ])
        let report = try batchImportStatus(env, try env.inbox("status.csv", file))
        #expect(report.changes.map(\.caseNumber) == [confirmedNow.number])
        #expect(report.dueNotConfirmed.map(\.caseNumber) == [notInFile.number, stillRegistered.number])
        #expect(report.dueNotConfirmed.first?.expected == Wareki.format(batchDate(2026, 11, 30)))
        #expect(report.dueNotConfirmed.first?.status == CaseStatus.registered.label)
        #expect(!report.dueNotConfirmed.contains { [notYetDue.number, insured.number, ended.number, heldOnce.number].contains($0.caseNumber) })
        #expect(report.summaryLines.contains { $0.contains("R-CF-1") })
    }

    @Test("R-RL-2 certificates expired or expiring within two months are listed; three months away is not")
    func rRL2_certificates() throws {
        let env = try batchEnv()
        let c = try batchRegistered(env, server: "4000000000000001", recipient: batchRecipient("400001"), name: "証明\u{3000}切れ",
                                    registeredOn: batchDate(2026, 11, 20))
        let file = batchStatusFile([
            batchStatusRow(server: "4000000000000001", state: "1", registeredOn: "20210401", expiry: "20261201"),   // expired
            batchStatusRow(server: "4000000000000002", state: "1", registeredOn: "20210401", expiry: "2027/01/20"), // within 2 months, no case
            batchStatusRow(server: "4000000000000003", state: "1", registeredOn: "20210401", expiry: "2027-03-10"), // 3 months away
            batchStatusRow(server: "4000000000000004", state: "1", registeredOn: "20210401"),                       // no date
        ])
        let report = try batchImportStatus(env, try env.inbox("status.csv", file), now: batchJST(2026, 12, 10))
        #expect(report.certificates.map(\.serverIndividualNumber) == ["4000000000000001", "4000000000000002"])
        #expect(report.certificates.map(\.expired) == [true, false])
        #expect(report.certificates.map(\.caseNumber) == [c.number, nil])
        #expect(report.certificates.first?.name == "証明\u{3000}切れ")
        #expect(report.certificates.map(\.expiry) == [Wareki.format(batchDate(2026, 12, 1)), Wareki.format(batchDate(2027, 1, 20))])
        #expect(report.certificates.map(\.row) == [2, 3])
        #expect(report.summaryLines.contains { $0.contains("4000000000000001") && $0.contains("期限切れ") })
    }

    @Test("R-FL-4 the same status file twice: already_imported, journal and cases unchanged")
    func rFL4_statusTwice() throws {
        let env = try batchEnv()
        let c = try batchRegistered(env, server: "5000000000000001", recipient: batchRecipient("500001"), registeredOn: batchDate(2026, 10, 5))
        let url = try env.inbox("status.csv", batchStatusFile([
            batchStatusRow(server: "5000000000000001", state: "0", registeredOn: "20210401", cancelledOn: "20261130", kind: "1", expiry: "20261201"),
        ]))
        #expect(try batchImportStatus(env, url).outcome == .applied)
        #expect(env.store.book[c.number]?.status == .confirmed)
        let journal = env.journalBytes()
        let book = env.store.book.all

        let again = try batchImportStatus(env, url, now: batchJST(2026, 12, 11))
        #expect(again.outcome == .alreadyImported)
        #expect(again.changes.isEmpty)
        #expect(again.previousImport?.contains("yamada") == true)
        #expect(env.journalBytes() == journal)
        #expect(env.store.book.all == book)
        #expect(env.store.book.fileEvents.count == 1)
    }

    @Test("R-FL-4 a malformed status row refuses the file with the row named; allowBadRows applies the rest")
    func rFL4_statusMalformed() throws {
        let env = try batchEnv()
        let c = try batchRegistered(env, server: "6000000000000001", recipient: batchRecipient("600001"), registeredOn: batchDate(2026, 10, 5))
        let url = try env.inbox("status.csv", batchStatusFile([
            batchStatusRow(server: "6000000000000001", state: "0", registeredOn: "20210401", cancelledOn: "20261130", kind: "1"),
            batchStatusRow(server: "6000000000000002", state: "0", registeredOn: "20210401", cancelledOn: "20261131", kind: "1"),
        ]))
        let journal = env.journalBytes()
        let refused = try batchImportStatus(env, url)
        #expect(refused.outcome == .refused)
        #expect(refused.problems.count == 1)
        #expect(refused.problems.first?.contains("3行目") == true)
        #expect(refused.problems.first?.contains("初回登録解除日") == true)
        #expect(env.journalBytes() == journal)
        #expect(env.store.book[c.number]?.status == .registered)

        let applied = try batchImportStatus(env, url, allowBadRows: true)
        #expect(applied.outcome == .applied)
        #expect(applied.problems.first?.contains("3行目") == true)
        #expect(env.store.book[c.number]?.status == .confirmed)
    }
}

// MARK: - Holds and cancels

@Suite("Batch: holds and cancels recorded on a case (R-HC-1..3)", .tags(.unit))
struct BatchHoldTests {

    @Test("R-HC-1 R-HC-2 each hold moves the expected date a month and sets the re-check; three in a row are flagged; replay keeps it")
    func rHC2_holdsThroughStore() throws {
        let env = try batchEnv()
        let c = try batchRegistered(env, server: "7000000000000001", recipient: batchRecipient("700001"), registeredOn: batchDate(2026, 11, 25))
        #expect(CaseLifecycle.expectedCancellation(c) == .expected(batchDate(2026, 12, 31)))

        let notices: [(NoticeReason, LocalDate, LocalDate)] = [
            (.misEntrySuspected, batchDate(2026, 12, 31), batchDate(2027, 1, 31)),
            (.misEntryPending, batchDate(2027, 1, 31), batchDate(2027, 2, 28)),
            (.codeLinkError, batchDate(2027, 2, 28), batchDate(2027, 3, 31)),
        ]
        for (i, (reason, notice, moved)) in notices.enumerated() {
            let h = try env.store.record(.held(reason: reason, noticeDate: notice), on: c.number, operatorID: "yamada",
                                         now: batchJST(notice.year, notice.month, notice.day, 17))
            #expect(h.status == .held)
            #expect(h.lifecycle.holds.count == i + 1)
            #expect(h.lifecycle.holds.last?.reason == reason)
            #expect(h.lifecycle.holds.last?.recheckDate == moved)   // the next month-end run
            #expect(CaseLifecycle.expectedCancellation(h) == .expected(moved))
            #expect(CaseLifecycle.expectedCancellation(h).label == Wareki.format(moved))
            #expect(CaseLifecycle.isPersistentHold(h) == (i == 2))
        }
        #expect(env.store.book[c.number]?.reminders.contains { $0.contains("保留が続いています") } == true)

        let fresh = CaseStore(journalURL: env.journalURL)
        try fresh.load()
        #expect(fresh.book[c.number]?.lifecycle == env.store.book[c.number]?.lifecycle)
        #expect(CaseLifecycle.isPersistentHold(try #require(fresh.book[c.number])))

        let cleared = try env.store.record(.holdCleared(on: batchDate(2027, 3, 31)), on: c.number, operatorID: "yamada", now: batchJST(2027, 4, 1))
        #expect(cleared.status == .registered)
        #expect(!CaseLifecycle.isPersistentHold(cleared))
        #expect(CaseLifecycle.expectedCancellation(cleared) == .expected(batchDate(2027, 3, 31)))
    }

    @Test("R-HC-1 R-HC-3 a #5 cancel ends the case with what the clerk did next; nothing more can be recorded on it")
    func rHC3_cancelEndsCase() throws {
        let env = try batchEnv()
        let c = try batchRegistered(env, server: "7000000000000002", recipient: batchRecipient("700002"), registeredOn: batchDate(2026, 11, 25))
        // #5 is not a hold.
        let before = env.journalBytes()
        #expect(throws: CaseError.self) {
            try env.store.record(.held(reason: .cancelled, noticeDate: batchDate(2026, 12, 31)), on: c.number, operatorID: "yamada", now: batchJST(2027, 1, 4))
        }
        #expect(env.journalBytes() == before)

        try env.store.record(.held(reason: .codeBeingObtained, noticeDate: batchDate(2026, 12, 31)), on: c.number, operatorID: "yamada", now: batchJST(2027, 1, 4))
        let action = "本人に連絡し、カード返納済みのため対応不要と記録した"
        let ended = try env.store.record(.cancelledByServer(noticeDate: batchDate(2027, 1, 31), action: action), on: c.number,
                                         operatorID: "yamada", now: batchJST(2027, 2, 1))
        #expect(ended.status == .cancelledByServer)
        #expect(!ended.status.isOpen)
        #expect(ended.lifecycle.cancelNotice == .cancelled)
        #expect(ended.lifecycle.actionAfterCancel == action)
        #expect(CaseLifecycle.expectedCancellation(ended) == ExpectedCancellation.none)
        #expect(ended.history.last?.eventType == .serverCancelled)

        let journal = env.journalBytes()
        #expect(throws: CaseError.self) {
            try env.store.record(.held(reason: .misEntrySuspected, noticeDate: batchDate(2027, 2, 28)), on: c.number, operatorID: "yamada", now: batchJST(2027, 3, 1))
        }
        #expect(env.journalBytes() == journal)

        // R-CF-3, R-HC-3 (amended 2026-11-30): #5 means another cancellation exists; the monthly file
        // that confirms it is recorded on the #5 case (this test said "left alone" before the amendment).
        // It is not "due"; the cancel and what the clerk did stay on the case.
        let report = try env.store.importStatus(
            try env.inbox("status.csv", batchStatusFile([batchStatusRow(server: "7000000000000002", state: "0", registeredOn: "20210401",
                                                                         cancelledOn: "20270228", kind: "1")])),
            office: env.office, allowBadRows: false, operatorID: "yamada", now: batchJST(2027, 3, 10))
        #expect(report.changes.map(\.caseNumber) == [c.number])
        #expect(report.dueNotConfirmed.isEmpty)
        #expect(env.store.book[c.number]?.status == .confirmed)
        #expect(env.store.book[c.number]?.lifecycle.cancelNotice == .cancelled)

        let fresh = CaseStore(journalURL: env.journalURL)
        try fresh.load()
        #expect(fresh.book[c.number]?.lifecycle.actionAfterCancel == action)
    }
}
