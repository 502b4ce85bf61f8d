import Foundation
import Testing
@testable import MadoguchiCore
import MadoguchiBench

// MARK: Helpers (prefixed `correction`)

private func correctionRepoRoot() -> URL {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

private let correctionForm: FormDefinition = try! FormLoader.load(from: correctionRepoRoot().appendingPathComponent("screens/intake.toml"))
private let correctionToday = LocalDate(year: 2026, month: 11, day: 30)!
private let correctionContext = ValidationContext(today: correctionToday, defaultEra: .reiwa)
private let correctionNow = Date(timeIntervalSince1970: TimeInterval(correctionToday.dayNumber * 86_400 + 3600))
private let correctionOtherRecipient = "765432" + String(CheckDigit.compute("765432")!)
private let correctionInsurerNumber = "0613001" + String(CheckDigit.compute("0613001")!)

private func correctionJournalURL(_ label: String = #function) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-correction-tests")
        .appendingPathComponent("\(label.filter(\.isLetter))-\(UUID().uuidString)").appendingPathComponent("journal.jsonl")
}

/// An application as a clerk types it at the counter (IntakeTests' own), with the tickets issued now.
private func correctionValues(tickets: [TicketDraft] = []) -> IntakeValues {
    var v = intakeAssistanceValues()
    v["holds_valid_tickets"] = tickets.isEmpty ? "no" : "yes"
    v.tickets = tickets + [TicketDraft()]
    return v
}

/// A store with one case received through the intake's own check.
private func correctionStore(_ values: IntakeValues = correctionValues(), label: String = #function) throws -> (CaseStore, URL, String) {
    let url = correctionJournalURL(label)
    let store = CaseStore(journalURL: url)
    let check = IntakeForm.check(correctionForm, values: values, context: correctionContext)
    let app = try #require(check.application, "\(check.problems)")
    let c = try store.receive(app, ticketsIssuedNow: check.tickets, operatorID: "yamada", now: correctionNow)
    return (store, url, c.number)
}

/// A request for the case as it is, with `edits` typed as on the command line.
private func correctionRequest(_ store: CaseStore, _ number: String, _ edits: [String: String], reason: String = "申請書の写し間違い",
                               acknowledged: Bool = false) throws -> CorrectionRequest {
    var r = CorrectionRequest.start(try #require(store.book[number]), form: correctionForm)
    for (k, v) in edits.sorted(by: { $0.key < $1.key }) { try Correction.set(k, v, in: &r.values, form: correctionForm) }
    r.reason = reason
    r.acknowledged = acknowledged
    return r
}

@discardableResult
private func correctionApply(_ store: CaseStore, _ number: String, _ edits: [String: String], acknowledged: Bool = false) throws -> CorrectionPlan {
    try store.correct(correctionRequest(store, number, edits, acknowledged: acknowledged), form: correctionForm,
                      context: correctionContext, operatorID: "suzuki", now: correctionNow)
}

private func correctionBytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }

@Suite("Corrections (R-AM-1)", .tags(.unit))
struct CorrectionTests {
    @Test("The form prefilled from a saved application checks back to the same application: nothing to correct")
    func roundTrip() throws {
        let (store, url, n) = try correctionStore(correctionValues(tickets: [TicketDraft(kind: "medical", institution: "山田医院", month: "R8.12")]))
        let c = try #require(store.book[n])
        let r = CorrectionRequest.start(c, form: correctionForm)
        let check = IntakeForm.check(correctionForm, values: r.values, context: correctionContext)
        #expect(check.problems.isEmpty)
        #expect(check.application == c.application)
        #expect(check.tickets == c.intakeTickets && c.intakeTickets.count == 1)
        let before = try correctionBytes(url)
        #expect(throws: CorrectionError.nothingChanged) { try correctionApply(store, n, [:]) }
        #expect(try correctionBytes(url) == before)
    }

    @Test("Each kind of field: text (normalised as at intake), date, choice, tick; the line names old and new as stored")
    func eachFieldKind() throws {
        let (store, url, n) = try correctionStore()
        let plan = try correctionApply(store, n, ["name": "山田 大郎", "birth_date": "S45.1.3", "postal_code": "１００－０００１",
                                                  "furigana": "やまだ たろう", "phone": "", "email": "hanako@example.jp"])
        let byField = Dictionary(uniqueKeysWithValues: plan.payload.changes.map { ($0.field, $0) })
        #expect(byField["name"] == FieldChange(field: "name", old: "山田\u{3000}太郎", new: "山田\u{3000}大郎"))
        #expect(byField["birth_date"] == FieldChange(field: "birth_date", old: "1970-01-02", new: "1970-01-03"))
        #expect(byField["postal_code"] == FieldChange(field: "postal_code", old: "1234567", new: "1000001"))
        #expect(byField["phone"]?.new == "" && byField["email"] == FieldChange(field: "email", old: "taro@example.jp", new: "hanako@example.jp"))
        #expect(byField["furigana"] == nil, "ひらがな typed is the same katakana as stored: not a change")
        let c = try #require(store.book[n])
        #expect(c.application.applicant.name == "山田\u{3000}大郎")
        #expect(c.application.applicant.birthDate == LocalDate(year: 1970, month: 1, day: 3))
        // The original intake line is never changed; the correction is a new line naming the operator.
        let lines = try String(decoding: correctionBytes(url), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("\"name\":\"山田\u{3000}太郎\"") && lines[0].contains("case.received"))
        #expect(lines[1].contains("\"type\":\"application.corrected\"") && lines[1].contains("\"operator\":\"suzuki\""))
        #expect(lines[1].contains("申請書の写し間違い"))
        #expect(c.history.map(\.eventType) == [.received, .applicationCorrected])
        #expect(Correction.summary(plan.payload, form: correctionForm).contains("氏名 山田\u{3000}太郎 → 山田\u{3000}大郎"))
        #expect(Correction.summary(plan.payload, form: correctionForm).contains("生年月日 昭和45年1月2日 → 昭和45年1月3日"))

        // Proxy added (R-IN-2), then a choice by its label and ticks.
        try correctionApply(store, n, ["has_proxy": "代理人", "proxy_name": "山田 花子", "proxy_phone": "090-1111-2222",
                                       "proxy_relationship": "長女"])
        #expect(store.book[n]?.application.proxy?.name == "山田\u{3000}花子")
        #expect(store.book[n]?.application.proxy?.email == nil)
        // The proxy's e-mail (別添2 備考) is corrected by its form id like any field.
        let emailPlan = try correctionApply(store, n, ["proxy_email": "hanako@example.jp"])
        #expect(store.book[n]?.application.proxy?.email == "hanako@example.jp")
        let emailSummary = Correction.summary(emailPlan.payload, form: correctionForm)
        #expect(emailSummary.contains("代理人メール") && emailSummary.contains("→ hanako@example.jp"), "\(emailSummary)")
        #expect(throws: (any Error).self) { try correctionApply(store, n, ["proxy_email": "hanako.example.jp"]) }
        #expect(store.book[n]?.application.proxy?.email == "hanako@example.jp")
        try correctionApply(store, n, ["has_proxy": "none"])
        #expect(store.book[n]?.application.proxy == nil)
        #expect(Journal.verify(url: url).ok)
    }

    @Test("An invalid correction is refused with the field and why; the journal stays byte-identical")
    func invalidRefused() throws {
        let (store, url, n) = try correctionStore()
        let before = try correctionBytes(url)
        func refused(_ edits: [String: String], field: String, reason: String = "理由") throws {
            let r = try correctionRequest(store, n, edits, reason: reason)
            do {
                try store.correct(r, form: correctionForm, context: correctionContext, operatorID: "suzuki", now: correctionNow)
                Issue.record("accepted \(edits)")
            } catch CorrectionError.invalid(let problems) {
                #expect(problems.contains { $0.field == field }, "\(problems)")
            } catch let p as FieldProblem {
                #expect(p.field == field, "\(p)")
            }
            #expect(try correctionBytes(url) == before, "journal untouched after \(edits)")
        }
        try refused(["birth_date": "平成31年5月1日"], field: "birth_date")
        try refused(["recipient_number": "1234560"], field: "recipient_number")   // check digit (R-ID-3)
        try refused(["name": ""], field: "name")
        try refused(["branch": "insured"], field: "insurer_name")                 // R-BR-3 needs the insurer
        try refused(["holds_valid_tickets": "yes"], field: "tickets")             // R-PT-1 needs a ticket
        try refused(["address": "霞が関 1234-5678-9012"], field: "address")         // R-ID-4
        try refused(["name": "山田 大郎"], field: "correction_reason", reason: "")    // the reason is required
        try refused(["name": "山田 大郎"], field: "correction_reason", reason: "個人番号 1234 5678 9012")   // R-ID-4 in the reason
        #expect(throws: FieldProblem.self) { var v = IntakeValues(); try Correction.set("nickname", "x", in: &v, form: correctionForm) }
        #expect(throws: FieldProblem.self) { var v = IntakeValues(); try Correction.set("branch", "unknown", in: &v, form: correctionForm) }
    }

    @Test("Branch corrected to insured leaves the export queue; back to assistance-only joins it (R-BR-2, R-BR-3)")
    func branchMovesExportQueue() throws {
        let (store, url, n) = try correctionStore()
        let office = SyntheticOffice.office(dataDirectory: url.deletingLastPathComponent())
        #expect(RegistrationExport.plan(store.book, office: office).rows.map(\.caseNumber) == [n])
        let plan = try correctionApply(store, n, ["branch": "insured", "insurer_name": "協会けんぽ", "insurer_number": correctionInsurerNumber,
                                                  "applied_to_insurer": "applied", "insurance_verified_by": "eligibility_certificate",
                                                  "explained_g": "1"])
        #expect(store.book[n]?.status == .waitingForInsurer)
        #expect(store.book[n]?.application.insurance?.insurerNumber == correctionInsurerNumber)
        #expect(plan.warnings.contains { $0.contains("保険者の登録待ち") })
        #expect(RegistrationExport.plan(store.book, office: office).rows.isEmpty)
        #expect(CaseLifecycle.expectedCancellation(store.book[n]!) == .unknownUntilConfirmed)
        try correctionApply(store, n, ["branch": "assistance_only"])
        #expect(store.book[n]?.status == .awaitingRegistration)
        #expect(store.book[n]?.application.insurance == nil)
        #expect(store.book[n]?.application.explained == ["a", "b", "c", "d", "e", "f"])
        #expect(RegistrationExport.plan(store.book, office: office).rows.map(\.caseNumber) == [n])
    }

    @Test("A ticket forgotten at intake, added by correction, starts its reminders; a mistyped one is fixed (R-PT-1, R-PT-2)")
    func ticketAddedStartsReminders() throws {
        let (store, _, n) = try correctionStore()
        let december = YearMonth(year: 2026, month: 12)!
        #expect(Reminders.due(in: store.book, today: december.firstDay).filter { $0.kind == .paperTicketsMonthly }.isEmpty)
        let plan = try correctionApply(store, n, ["holds_valid_tickets": "yes", "tickets": "医療券,山田医院,R8.11"])
        #expect(plan.payload.tickets == TicketCorrection(old: [], new: [PaperTicket(kind: .medical, institution: "山田医院", month: YearMonth(year: 2026, month: 11)!)]))
        #expect(store.book[n]?.intakeTickets.count == 1)
        let monthly = Reminders.due(in: store.book, today: december.firstDay).filter { $0.kind == .paperTicketsMonthly }
        #expect(monthly.count == 1 && monthly[0].message.contains("山田医院"))
        // Fix the institution's name: the old one no longer reminds.
        try correctionApply(store, n, ["tickets": "medical,山田内科医院,R8.11"])
        #expect(store.book[n]?.ticketsIssued.map(\.institution) == ["山田内科医院"])
        let fixed = Reminders.due(in: store.book, today: december.firstDay).filter { $0.kind == .paperTicketsMonthly }
        #expect(fixed.count == 1 && fixed[0].message.contains("山田内科医院"))
    }

    @Test("受給者番号 corrected after export warns (R-RG-3) and needs an explicit yes; after 異常終了 it is the fix (R-RG-5)")
    func serverFieldsAfterExport() throws {
        let (store, url, n) = try correctionStore()
        try store.record(.exported(file: "FI_HIM_0018_X_20261130.csv"), on: n, operatorID: "yamada", now: correctionNow)
        // 氏名 is not sent: no warning, no question.
        #expect(try correctionApply(store, n, ["name": "山田 大郎"]).warnings.isEmpty)
        let before = try correctionBytes(url)
        do {
            try correctionApply(store, n, ["recipient_number": correctionOtherRecipient])
            Issue.record("recorded without acknowledgement")
        } catch CorrectionError.acknowledgementNeeded(let warnings) {
            #expect(warnings.contains { $0.contains("R-RG-3") && $0.contains("登録結果を待ち") && $0.contains("受給者番号") })
        }
        #expect(try correctionBytes(url) == before)
        let plan = try correctionApply(store, n, ["recipient_number": correctionOtherRecipient], acknowledged: true)
        #expect(plan.needsAcknowledgement)
        #expect(store.book[n]?.application.recipientNumber == correctionOtherRecipient)
        #expect(store.book[n]?.status == .exported, "the state does not move: the server still has the request")
        // Branch cannot change while the request is with the server.
        #expect(throws: CorrectionError.self) {
            try correctionApply(store, n, ["branch": "insured", "insurer_name": "協会けんぽ", "insurer_number": correctionInsurerNumber,
                                           "applied_to_insurer": "applied", "insurance_verified_by": "eligibility_certificate", "explained_g": "1"])
        }
        // 異常終了: correcting is what R-RG-5 asks; no question, and the advice says to register again.
        try store.record(.registrationFailed(message: "被保険者枝番が存在しません", file: nil), on: n, operatorID: "yamada", now: correctionNow)
        let fix = try correctionApply(store, n, ["server_individual_number": "1234567890123457"])
        #expect(!fix.needsAcknowledgement)
        #expect(fix.warnings.contains { $0.contains("R-RG-5") && $0.contains("登録し直す") })
        #expect(store.book[n]?.application.serverIndividualNumber == "1234567890123457")
    }

    @Test("Ended cases can be corrected (the record is put right) but never reopened")
    func closedCases() throws {
        let (store, _, n) = try correctionStore()
        try store.record(.withdrawn(reason: "本人の希望", on: correctionToday), on: n, operatorID: "yamada", now: correctionNow)
        try correctionApply(store, n, ["name": "山田 大郎", "branch": "insured", "insurer_name": "協会けんぽ", "insurer_number": correctionInsurerNumber,
                                       "applied_to_insurer": "applied", "insurance_verified_by": "eligibility_certificate", "explained_g": "1"])
        #expect(store.book[n]?.status == .withdrawn)
        #expect(store.book[n]?.application.branch == .insured)
    }

    @Test("A stale screen cannot apply a correction twice, nor over another desk's")
    func staleRefused() throws {
        let (store, url, n) = try correctionStore()
        let first = try correctionRequest(store, n, ["name": "山田 大郎"])
        let other = CaseStore(journalURL: url)
        try other.load()
        let second = try correctionRequest(other, n, ["name": "山田 太朗"])
        try store.correct(first, form: correctionForm, context: correctionContext, operatorID: "suzuki", now: correctionNow)
        let before = try correctionBytes(url)
        #expect(throws: CorrectionError.stale(n)) {
            try store.correct(first, form: correctionForm, context: correctionContext, operatorID: "suzuki", now: correctionNow)
        }
        #expect(throws: CorrectionError.stale(n)) {
            try other.correct(second, form: correctionForm, context: correctionContext, operatorID: "sato", now: correctionNow)
        }
        #expect(try correctionBytes(url) == before)
        #expect(other.book[n]?.application.applicant.name == "山田\u{3000}大郎", "the refused desk now sees the case as it is")
    }

    @Test("Replaying the journal applies the corrections in order; verify passes; a tampered old value is named")
    func foldReplays() throws {
        let (store, url, n) = try correctionStore()
        try correctionApply(store, n, ["name": "山田 大郎"])
        try correctionApply(store, n, ["name": "山田 太朗", "address": "霞が関１－２－３"])
        try correctionApply(store, n, ["holds_valid_tickets": "yes", "tickets": "調剤券,さくら薬局,R8.11"])
        let reloaded = CaseStore(journalURL: url)
        try reloaded.load()
        #expect(reloaded.book[n] == store.book[n])
        #expect(reloaded.book[n]?.application.applicant.name == "山田\u{3000}太朗")
        #expect(Correction.history(reloaded.book[n]!).count == 3)
        #expect(Journal.verify(url: url).ok)

        // A correction whose old value is not what the case holds is an inconsistent journal, named by line.
        let bad = JournalRecord(seq: 9, time: "2026-11-30T10:00:00+09:00", operatorID: "x", caseNumber: n, type: EventType.applicationCorrected,
                                data: try JSONValue(encoding: CorrectionPayload(changes: [FieldChange(field: "name", old: "別人", new: "誰か")], tickets: nil, reason: "r")),
                                prev: "", hash: "", lineNumber: 9)
        var book = reloaded.book
        #expect(throws: CaseError.self) { try book.apply(bad) }
        let unknownField = JournalRecord(seq: 9, time: "2026-11-30T10:00:00+09:00", operatorID: "x", caseNumber: n, type: EventType.applicationCorrected,
                                         data: try JSONValue(encoding: CorrectionPayload(changes: [FieldChange(field: "my_number", old: "", new: "1")], tickets: nil, reason: "r")),
                                         prev: "", hash: "", lineNumber: 9)
        #expect(throws: CaseError.self) { try book.apply(unknownField) }
    }

    @Test("The correction payload decodes the same through the journal's decoder as through JSONDecoder; odd shapes fail the same")
    func decoderAgreesWithJSONDecoder() throws {
        let (store, url, n) = try correctionStore()
        try correctionApply(store, n, ["address": "霞が関\"1\"番", "holds_valid_tickets": "yes", "tickets": "医療券,\"山田\"医院,R8.11"])
        try correctionApply(store, n, ["reason": "「理由」と\\記号"])
        let records = try Journal(url: url).load().records.filter { $0.eventType == .applicationCorrected }
        #expect(records.count == 2)
        for r in records {
            let viaFoundation = try JSONDecoder().decode(CorrectionPayload.self, from: JSONValue.encoder.encode(r.data))
            #expect(try r.data.decode(as: CorrectionPayload.self) == viaFoundation)
        }
        for odd: JSONValue in [.object(["changes": .string("x"), "reason": .string("r")]), .object(["changes": .array([])]),
                               .object(["changes": .array([.object(["field": .string("name"), "old": .number(1), "new": .string("a")])]), "reason": .string("r")])] {
            #expect(throws: (any Error).self) { try odd.decode(as: CorrectionPayload.self) }
            #expect(throws: (any Error).self) { try JSONDecoder().decode(CorrectionPayload.self, from: JSONValue.encoder.encode(odd)) }
        }
    }
}
