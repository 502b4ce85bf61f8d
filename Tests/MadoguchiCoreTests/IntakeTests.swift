import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers (prefixed `intake` to keep clear of other test files)

private func intakeRepoRoot() -> URL {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// The real screen file, parsed.
private func intakeForm() throws -> FormDefinition {
    try FormLoader.load(from: intakeRepoRoot().appendingPathComponent("screens/intake.toml"))
}

private let intakeToday = LocalDate(year: 2026, month: 11, day: 24)!
private let intakeContext = ValidationContext(today: intakeToday)

/// 123456 + its check digit (R-ID-3), computed, not copied.
private let intakeRecipientNumber = "123456" + String(CheckDigit.compute("123456")!)
/// An 8-digit 保険者番号 with a valid check digit.
private let intakeInsurerNumber = "0613001" + String(CheckDigit.compute("0613001")!)

/// A complete assistance-only application as a clerk would type it (with the forms people type).
/// Also the corrections' starting point (CorrectionTests).
func intakeAssistanceValues() -> IntakeValues {
    var v = IntakeValues()
    v["furigana"] = "ﾔﾏﾀﾞ ﾀﾛｳ"
    v["name"] = "山田 太郎"
    v["birth_date"] = "昭和45年1月2日"
    v["postal_code"] = "123-4567"
    v["prefecture"] = "東京"
    v["municipality"] = "千代田区"
    v["address"] = "霞が関１－２－２"
    v["phone"] = "０３－１２３４－５６７８"
    v["email"] = "taro@example.jp"
    v["recipient_number"] = intakeRecipientNumber
    v["server_individual_number"] = "1234 5678 9012 3456"
    v["has_proxy"] = "none"
    v["request_ticked"] = "1"
    v["signed_form"] = "1"
    v["reason"] = "カードの管理に不安があるため"
    v["application_date"] = "R8.11.24"
    v["branch"] = "assistance_only"
    v["holds_valid_tickets"] = "no"
    for p in ["a", "b", "c", "d", "e", "f"] { v["explained_\(p)"] = "1" }
    v.tickets = [TicketDraft()]
    return v
}

/// A complete insured application.
private func intakeInsuredValues() -> IntakeValues {
    var v = intakeAssistanceValues()
    v["branch"] = "insured"
    v["insurer_name"] = "全国健康保険協会 東京支部"
    v["insurer_number"] = intakeInsurerNumber
    v["applied_to_insurer"] = "told_to_apply"
    v["insurance_verified_by"] = "eligibility_certificate"
    v["explained_g"] = "1"
    return v
}

private func intakeCheck(_ v: IntakeValues, context: ValidationContext = intakeContext) throws -> IntakeCheck {
    IntakeForm.check(try intakeForm(), values: v, context: context)
}

private func intakeProblemFields(_ c: IntakeCheck) -> Set<String> { Set(c.problems.map(\.field)) }

private func intakeProblem(_ c: IntakeCheck, _ field: String) -> FieldProblem? {
    c.problems.first { $0.field == field }
}

@Suite("IntakeForm with screens/intake.toml", .tags(.unit))
struct IntakeTests {

    // MARK: Complete applications

    @Test("R-IN-1 R-ID-5 R-ID-6 a complete assistance-only application builds with every field normalised")
    func assistanceOnlyComplete() throws {
        let c = try intakeCheck(intakeAssistanceValues())
        #expect(c.problems.isEmpty, "\(c.problems)")
        let app = try #require(c.application)
        #expect(app.applicant.furigana == "ヤマダ\u{3000}タロウ")
        #expect(app.applicant.name == "山田\u{3000}太郎")
        #expect(app.applicant.birthDate == LocalDate(year: 1970, month: 1, day: 2))
        #expect(app.applicant.postalCode == "1234567")
        #expect(app.applicant.prefecture == "東京都")
        #expect(app.applicant.municipality == "千代田区")
        #expect(app.applicant.address == "霞が関１－２－２")
        #expect(app.applicant.phone == "03-1234-5678")
        #expect(app.applicant.email == "taro@example.jp")
        #expect(app.recipientNumber == intakeRecipientNumber)
        #expect(CheckDigit.isValid(app.recipientNumber))
        #expect(app.serverIndividualNumber == "1234567890123456")
        #expect(app.proxy == nil)
        #expect(app.requestTicked)
        #expect(app.signedFormReceived)
        #expect(app.reason == "カードの管理に不安があるため")
        #expect(app.applicationDate == intakeToday)
        #expect(app.branch == .assistanceOnly)
        #expect(app.insurance == nil)
        #expect(!app.holdsValidTickets)
        #expect(app.explained == ["a", "b", "c", "d", "e", "f"])
        #expect(c.tickets.isEmpty)
    }

    @Test("R-BR-3 R-BR-4 R-BR-5 R-IN-4 g a complete insured application builds with insurance and g explained")
    func insuredComplete() throws {
        let c = try intakeCheck(intakeInsuredValues())
        #expect(c.problems.isEmpty, "\(c.problems)")
        let app = try #require(c.application)
        #expect(app.branch == .insured)
        #expect(app.insurance == Application.Insurance(
            insurerName: "全国健康保険協会 東京支部", insurerNumber: intakeInsurerNumber,
            appliedToInsurer: .toldToApply, verifiedBy: .eligibilityCertificate))
        #expect(app.explained == ["a", "b", "c", "d", "e", "f", "g"])
    }

    @Test("R-ID-3 insured application with a wrong 保険者番号 check digit is refused")
    func insuredBadInsurerNumber() throws {
        var v = intakeInsuredValues()
        let last = Int(String(intakeInsurerNumber.last!))!
        v["insurer_number"] = String(intakeInsurerNumber.dropLast()) + String((last + 1) % 10)
        let c = try intakeCheck(v)
        #expect(intakeProblem(c, "insurer_number")?.message.contains("検証番号") == true)
        #expect(c.application == nil)
    }

    @Test("R-ID-7 an insured applicant of a 国民健康保険組合 (6-digit 保険者番号) is saved")
    func insuredSixDigitInsurerNumber() throws {
        var v = intakeInsuredValues()
        v["insurer_name"] = "東京建設業国民健康保険組合"
        v["insurer_number"] = "１３３０３３"
        let c = try intakeCheck(v)
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.application?.insurance?.insurerNumber == "133033")
        // Still refused: a wrong length, a 都道府県番号 out of range, the office's own 公費負担者番号.
        for (bad, says) in [("13303", "8桁または6桁"), ("503033", "都道府県番号"), ("12130019", "公費負担者番号")] {
            v["insurer_number"] = bad
            let refused = try intakeCheck(v)
            #expect(refused.application == nil, "\(bad)")
            #expect(intakeProblem(refused, "insurer_number")?.message.contains(says) == true, "\(bad)")
        }
    }

    @Test("R-BR-3 insured application without insurer fields is refused naming each")
    func insuredMissingInsurer() throws {
        var v = intakeInsuredValues()
        for id in ["insurer_name", "insurer_number", "applied_to_insurer", "insurance_verified_by"] { v[id] = "" }
        let c = try intakeCheck(v)
        #expect(intakeProblemFields(c).isSuperset(of: ["insurer_name", "insurer_number", "applied_to_insurer", "insurance_verified_by"]))
        #expect(c.application == nil)
    }

    @Test("R-BR-2 insurer fields typed then branch switched to assistance-only are not checked nor stored")
    func insurerFieldsHiddenForAssistanceOnly() throws {
        var v = intakeInsuredValues()
        v["branch"] = "assistance_only"
        v["insurer_number"] = "12345678"  // bad check digit, but hidden
        v["explained_g"] = ""
        let c = try intakeCheck(v)
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.application?.insurance == nil)
    }

    // MARK: R-BR-1, R-IN-1, R-IN-3

    @Test("R-BR-1 an application without the branch is refused", arguments: ["", "both"])
    func branchMissing(_ branch: String) throws {
        var v = intakeAssistanceValues()
        v["branch"] = branch
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(intakeProblem(c, "branch") != nil)
        #expect(intakeProblem(c, "branch")?.label == "区分")
    }

    @Test("R-IN-3 signed form not ticked is refused")
    func signedFormUnticked() throws {
        var v = intakeAssistanceValues()
        v["signed_form"] = ""
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        let p = try #require(intakeProblem(c, "signed_form"))
        #expect(p.message.contains("R-IN-3"))
        #expect(p.label == "署名のある申請書を受け取った")
        #expect(c.problems.count == 1)
    }

    @Test("R-IN-1 the request tick box not ticked is refused")
    func requestUnticked() throws {
        var v = intakeAssistanceValues()
        v["request_ticked"] = "0"
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(intakeProblem(c, "request_ticked")?.message.contains("R-IN-1") == true)
        #expect(c.problems.count == 1)
    }

    @Test("R-IN-1 each required applicant field left blank is refused naming it",
          arguments: ["furigana", "name", "birth_date", "postal_code", "prefecture", "municipality", "address",
                      "recipient_number", "application_date", "has_proxy", "holds_valid_tickets"])
    func requiredBlank(_ id: String) throws {
        var v = intakeAssistanceValues()
        v[id] = "  "
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(intakeProblemFields(c) == [id], "\(c.problems)")
    }

    @Test("R-ID-3 a 受給者番号 with a wrong check digit is refused")
    func badRecipientNumber() throws {
        var v = intakeAssistanceValues()
        let last = Int(String(intakeRecipientNumber.last!))!
        v["recipient_number"] = String(intakeRecipientNumber.dropLast()) + String((last + 3) % 10)
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(intakeProblem(c, "recipient_number")?.message.contains("検証番号") == true)
        #expect(intakeProblem(c, "recipient_number")?.description.hasPrefix("受給者番号：") == true)
    }

    // MARK: R-IN-2 proxy

    @Test("R-IN-2 proxy chosen but proxy fields empty is refused naming each field")
    func proxyEmpty() throws {
        var v = intakeAssistanceValues()
        v["has_proxy"] = "proxy"
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(intakeProblemFields(c) == ["proxy_name", "proxy_phone", "proxy_relationship"])
    }

    /// An assistance-only application made by a proxy (the required proxy fields filled).
    static func proxyValues() -> IntakeValues {
        var v = intakeAssistanceValues()
        v["has_proxy"] = "proxy"
        v["proxy_name"] = "山田 花子"
        v["proxy_phone"] = "090-1111-2222"
        v["proxy_relationship"] = "長女"
        return v
    }

    @Test("R-IN-2 proxy chosen and filled builds both the person and the proxy")
    func proxyFilled() throws {
        var v = Self.proxyValues()
        v["proxy_furigana"] = "やまだ はなこ"
        let c = try intakeCheck(v)
        #expect(c.problems.isEmpty, "\(c.problems)")
        let app = try #require(c.application)
        #expect(app.proxy == Application.Proxy(name: "山田\u{3000}花子", furigana: "ヤマダ\u{3000}ハナコ", phone: "090-1111-2222", relationship: "長女"))
        #expect(app.applicant.name == "山田\u{3000}太郎")
    }

    @Test("R-IN-2 別添2 備考 the proxy's e-mail is optional, stored when given, checked as an e-mail")
    func proxyEmail() throws {
        var v = Self.proxyValues()
        #expect(try intakeCheck(v).application?.proxy?.email == nil)
        v["proxy_email"] = " hanako@example.jp "
        let c = try intakeCheck(v)
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.application?.proxy?.email == "hanako@example.jp")
        v["proxy_email"] = "hanako.example.jp"
        let bad = try intakeCheck(v)
        #expect(bad.application == nil)
        #expect(intakeProblem(bad, "proxy_email")?.description.hasPrefix("代理人メール：") == true)
        // Hidden without a proxy: neither checked nor stored.
        v["has_proxy"] = "none"
        #expect(try intakeCheck(v).application?.proxy == nil)
    }

    @Test("R-IN-2 proxy fields are hidden (not checked, not stored) when has_proxy == none")
    func proxyHidden() throws {
        var v = intakeAssistanceValues()
        v["proxy_name"] = "123"
        v["proxy_phone"] = "abc"
        v["proxy_relationship"] = "長女"
        let c = try intakeCheck(v)
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.application?.proxy == nil)
        let form = try intakeForm()
        #expect(!IntakeForm.isVisible(form.field("proxy_name")!, in: form, values: v))
        v["has_proxy"] = "proxy"
        #expect(IntakeForm.isVisible(form.field("proxy_name")!, in: form, values: v))
    }

    // MARK: R-IN-4 explanation checklist

    @Test("R-IN-4 each point a–f unticked is refused", arguments: ["a", "b", "c", "d", "e", "f"])
    func explainedUnticked(_ point: String) throws {
        for base in [intakeAssistanceValues(), intakeInsuredValues()] {
            var v = base
            v["explained_\(point)"] = ""
            let c = try intakeCheck(v)
            #expect(c.application == nil)
            #expect(intakeProblemFields(c) == ["explained_\(point)"])
            #expect(intakeProblem(c, "explained_\(point)")?.message.contains("R-IN-4") == true)
        }
    }

    @Test("R-IN-4 g is required for insured only")
    func explainedG() throws {
        var insured = intakeInsuredValues()
        insured["explained_g"] = ""
        let c = try intakeCheck(insured)
        #expect(c.application == nil)
        #expect(intakeProblemFields(c) == ["explained_g"])
        #expect(intakeProblem(c, "explained_g")?.message.contains("R-IN-4") == true)

        let assistance = intakeAssistanceValues()
        #expect(assistance["explained_g"] == "")
        let a = try intakeCheck(assistance)
        #expect(a.problems.isEmpty)
        #expect(a.application?.explained.contains("g") == false)
    }

    // MARK: R-PT-1 paper tickets

    @Test("R-PT-1 holds valid tickets but no rows is refused", arguments: [[], [TicketDraft()], [TicketDraft(kind: "medical")]])
    func ticketsNoRows(_ rows: [TicketDraft]) throws {
        var v = intakeAssistanceValues()
        v["holds_valid_tickets"] = "yes"
        v.tickets = rows
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        let p = try #require(intakeProblem(c, "tickets"))
        #expect(p.message.contains("R-PT-1"))
    }

    @Test("R-PT-1 a row with a bad month is refused naming the row (2行目)")
    func ticketsBadMonth() throws {
        var v = intakeAssistanceValues()
        v["holds_valid_tickets"] = "yes"
        v.tickets = [TicketDraft(kind: "medical", institution: "デモ診療所", month: "R8.12"),
                     TicketDraft(kind: "dispensing", institution: "デモ薬局", month: "令和8年13月"),
                     TicketDraft()]
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(c.problems.count == 1, "\(c.problems)")
        let p = try #require(c.problems.first)
        #expect(p.field == "tickets")
        #expect(p.label.contains("2行目"))
        #expect(!p.label.contains("1行目"))
    }

    @Test("R-PT-1 a row without kind or institution is refused naming the row")
    func ticketsIncompleteRow() throws {
        var v = intakeAssistanceValues()
        v["holds_valid_tickets"] = "yes"
        v.tickets = [TicketDraft(kind: "", institution: "デモ診療所", month: "R8.12"),
                     TicketDraft(kind: "medical", institution: "", month: "R8.12")]
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(c.problems.contains { $0.label.contains("1行目") && $0.message.contains("種類") })
        #expect(c.problems.contains { $0.label.contains("2行目") && $0.message.contains("医療機関") })
    }

    @Test("R-PT-1 rows build PaperTicket values; blank rows are ignored")
    func ticketsBuild() throws {
        var v = intakeAssistanceValues()
        v["holds_valid_tickets"] = "yes"
        v.tickets = [TicketDraft(kind: "medical", institution: "デモ診療所", month: "R8.12"),
                     TicketDraft(),
                     TicketDraft(kind: "dispensing", institution: " デモ薬局 ", month: "令和８年１２月")]
        let c = try intakeCheck(v)
        #expect(c.problems.isEmpty, "\(c.problems)")
        let dec = YearMonth(year: 2026, month: 12)!
        #expect(c.tickets == [PaperTicket(kind: .medical, institution: "デモ診療所", month: dec),
                              PaperTicket(kind: .dispensing, institution: "デモ薬局", month: dec)])
        #expect(c.application?.holdsValidTickets == true)
    }

    @Test("R-PT-1 ticket rows are ignored when the applicant holds no valid tickets")
    func ticketsIgnoredWhenNo() throws {
        var v = intakeAssistanceValues()
        v.tickets = [TicketDraft(kind: "medical", institution: "デモ診療所", month: "bad")]
        let c = try intakeCheck(v)
        #expect(c.problems.isEmpty, "\(c.problems)")
        #expect(c.tickets.isEmpty)
    }

    // MARK: Dates

    @Test("R-ID-5 application date after today is refused")
    func applicationDateFuture() throws {
        var v = intakeAssistanceValues()
        v["application_date"] = "令和8年11月25日"
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(intakeProblemFields(c) == ["application_date"])
        #expect(intakeProblem(c, "application_date")?.message.contains("令和8年11月24日") == true)
    }

    @Test("R-ID-5 application date today or earlier is accepted")
    func applicationDatePast() throws {
        var v = intakeAssistanceValues()
        v["application_date"] = "令和8年11月1日"
        #expect(try intakeCheck(v).application?.applicationDate == LocalDate(year: 2026, month: 11, day: 1))
    }

    @Test("R-ID-5 birth date after the application date is refused")
    func birthAfterApplication() throws {
        var v = intakeAssistanceValues()
        v["application_date"] = "令和8年11月1日"
        v["birth_date"] = "令和8年11月10日"
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(intakeProblemFields(c) == ["birth_date"])
        #expect(intakeProblem(c, "birth_date")?.message.contains("申請日") == true)
    }

    @Test("R-ID-5 an impossible birth date is refused naming the field")
    func impossibleBirthDate() throws {
        var v = intakeAssistanceValues()
        v["birth_date"] = "平成31年5月1日"
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        #expect(intakeProblemFields(c) == ["birth_date"])
        #expect(intakeProblem(c, "birth_date")?.label == "生年月日")
    }

    // MARK: R-ID-4

    @Test("R-ID-4 a 12-digit number in the reason field is refused and not stored")
    func myNumberInReason() throws {
        var v = intakeAssistanceValues()
        v["reason"] = "番号は123456789012です"
        let c = try intakeCheck(v)
        #expect(c.application == nil)
        let p = try #require(intakeProblem(c, "reason"))
        #expect(p.message.contains("R-ID-4"))
        #expect(p.label == "解除を希望する理由")
    }

    @Test("R-ID-4 no field of a built application holds a 12-digit number")
    func noMyNumberStored() throws {
        let app = try #require(try intakeCheck(intakeInsuredValues()).application)
        let json = String(decoding: try JSONEncoder().encode(app), as: UTF8.self)
        #expect(json.range(of: "(?<![0-9])[0-9]{12}(?![0-9])", options: .regularExpression) == nil)
    }

    // MARK: Notes (never block saving)

    private func intakeNotes(verifiedBy: String, today: LocalDate) -> [FieldNote] {
        var v = intakeInsuredValues()
        v["insurance_verified_by"] = verifiedBy
        v["applied_to_insurer"] = "applied"
        return IntakeForm.notes(values: v, today: today)
    }

    @Test("R-BR-5 health_insurance_card after 2025-12-01 warns, not on 2025-11-30 or 2025-12-01")
    func healthInsuranceCard() throws {
        let card = "health_insurance_card"
        let after = intakeNotes(verifiedBy: card, today: LocalDate(year: 2025, month: 12, day: 2)!)
        #expect(after.contains { $0.field == "insurance_verified_by" && $0.severity == .warning && $0.message.contains("R-BR-5") })
        for day in [LocalDate(year: 2025, month: 11, day: 30)!, LocalDate(year: 2025, month: 12, day: 1)!] {
            let before = intakeNotes(verifiedBy: card, today: day)
            #expect(!before.contains { $0.field == "insurance_verified_by" }, "\(day)")
        }
        // The warning does not block saving.
        var v = intakeInsuredValues()
        v["insurance_verified_by"] = card
        let c = try intakeCheck(v)
        #expect(c.application?.insurance?.verifiedBy == .healthInsuranceCard)
        #expect(c.notes.contains { $0.field == "insurance_verified_by" && $0.severity == .warning })
    }

    @Test("R-BR-5 eligibility_notice and myna_portal_pdf are not identity documents", arguments: ["eligibility_notice", "myna_portal_pdf"])
    func notIdentityDocument(_ by: String) {
        let notes = intakeNotes(verifiedBy: by, today: intakeToday)
        let n = notes.first { $0.field == "insurance_verified_by" }
        #expect(n?.message.contains("本人確認書類にはなりません") == true)
        #expect(n?.message.contains("R-BR-5") == true)
        #expect(n?.severity == .info)
    }

    @Test("R-BR-5 network inquiry and 資格確認書 give no verification note", arguments: ["network_inquiry", "eligibility_certificate"])
    func noVerificationNote(_ by: String) {
        #expect(!intakeNotes(verifiedBy: by, today: intakeToday).contains { $0.field == "insurance_verified_by" })
    }

    @Test("R-BR-4 told_to_apply is noted")
    func toldToApplyNote() {
        let notes = IntakeForm.notes(values: intakeInsuredValues(), today: intakeToday)
        #expect(notes.contains { $0.field == "applied_to_insurer" && $0.message.contains("R-BR-4") })
    }

    @Test("R-RG-2 server number blank gives a reminder for assistance-only only")
    func serverNumberReminder() throws {
        var a = intakeAssistanceValues()
        a["server_individual_number"] = ""
        let notes = IntakeForm.notes(values: a, today: intakeToday)
        #expect(notes.contains { $0.field == "server_individual_number" && $0.message.contains("R-RG-2") })
        // It never blocks saving.
        let c = try intakeCheck(a)
        #expect(c.application != nil)
        #expect(c.application?.serverIndividualNumber == nil)

        var i = intakeInsuredValues()
        i["server_individual_number"] = ""
        #expect(!IntakeForm.notes(values: i, today: intakeToday).contains { $0.field == "server_individual_number" })
        #expect(!IntakeForm.notes(values: intakeAssistanceValues(), today: intakeToday).contains { $0.field == "server_individual_number" })
    }

    @Test("R-IN-1 no phone and no email gives a contact warning")
    func noContact() {
        var v = intakeAssistanceValues()
        v["phone"] = ""
        v["email"] = " "
        #expect(IntakeForm.notes(values: v, today: intakeToday).contains { $0.field == "phone" && $0.message.contains("R-IN-1") })
        #expect(!IntakeForm.notes(values: intakeAssistanceValues(), today: intakeToday).contains { $0.field == "phone" })
    }

    // MARK: Info texts

    @Test("R-DT-1 R-DT-3 infoText expected_timing follows the branch")
    func infoTiming() {
        var v = IntakeValues()
        v["branch"] = "assistance_only"
        #expect(IntakeForm.infoText(source: "expected_timing", values: v, today: intakeToday)
                == CancellationDate.explanation(for: .assistanceOnly, today: intakeToday))
        #expect(IntakeForm.infoText(source: "expected_timing", values: v, today: intakeToday).contains("令和8年12月31日"))
        v["branch"] = "insured"
        #expect(IntakeForm.infoText(source: "expected_timing", values: v, today: intakeToday).contains("未定"))
        v["branch"] = ""
        #expect(IntakeForm.infoText(source: "expected_timing", values: v, today: intakeToday).contains("R-BR-1"))
    }

    @Test("R-RL-1 R-IN-5 infoText alternatives and card_benefits; unknown source is empty")
    func infoOthers() {
        // R-RL-1 (amended): 顔認証マイナンバーカード, 目視確認モード and 代理申請 for everyone; the 資格確認書
        // (the insurer's) for the insured only.
        let alt = IntakeForm.infoText(source: "alternatives", values: intakeInsuredValues(), today: intakeToday)
        #expect(alt.contains("資格確認書"))
        #expect(alt.contains("代理申請"))
        #expect(alt.contains("顔認証"))
        #expect(alt.contains("目視確認モード"))
        #expect(alt.contains("R-RL-1"))
        for values in [intakeAssistanceValues(), IntakeValues()] {
            let others = IntakeForm.infoText(source: "alternatives", values: values, today: intakeToday)
            #expect(others.contains("顔認証マイナンバーカード") && others.contains("目視確認モード") && others.contains("代理申請"))
            #expect(!others.contains("資格確認書"))
        }
        let benefits = IntakeForm.infoText(source: "card_benefits", values: IntakeValues(), today: intakeToday)
        #expect(benefits.contains("R-IN-5"))
        #expect(benefits.contains("安全"))
        #expect(IntakeForm.infoText(source: "nothing", values: IntakeValues(), today: intakeToday) == "")
        #expect(IntakeForm.infoSources == ["expected_timing", "alternatives", "card_benefits"])
    }

    // Amended 2026-11-30: R-RL-1 first read "insured only"; the rule now shows them to every applicant
    // (this test asserted the opposite for assistance-only applicants before).
    @Test("R-RL-1 the alternatives are shown to every applicant, whatever the branch")
    func alternativesVisibility() throws {
        let form = try intakeForm()
        let alt = try #require(form.field("info_alternatives"))
        #expect(IntakeForm.isVisible(alt, in: form, values: intakeInsuredValues()))
        #expect(IntakeForm.isVisible(alt, in: form, values: intakeAssistanceValues()))
        var undecided = intakeAssistanceValues()
        undecided["branch"] = ""
        #expect(IntakeForm.isVisible(alt, in: form, values: undecided))
    }

    @Test("R-RL-1 training scenario 08 (assistance-only, in a care facility): the intake shows 顔認証 and 目視確認モード")
    func alternativesForScenario08() throws {
        let scenario = try TrainingScenario.load(
            from: intakeRepoRoot().appendingPathComponent("config/training/scenarios/08-proxy-facility.toml"))
        #expect(scenario.rules.contains("R-RL-1"))
        #expect(scenario.person.branch == .assistanceOnly)
        var v = intakeAssistanceValues()
        v["branch"] = scenario.person.branch.rawValue
        let form = try intakeForm()
        let alt = try #require(form.field("info_alternatives"))
        #expect(IntakeForm.isVisible(alt, in: form, values: v))
        let text = try #require(alt.source.map { IntakeForm.infoText(source: $0, values: v, today: intakeToday) })
        #expect(text.contains("顔認証マイナンバーカード") && text.contains("目視確認モード"))
    }

    // MARK: Initial values and display

    @Test("R-IN-1 R-ID-5 the application date opens as today in 和暦")
    func initialValues() throws {
        let v = IntakeForm.initialValues(try intakeForm(), today: intakeToday)
        #expect(v["application_date"] == "令和8年11月24日")
        #expect(v.tickets == [TicketDraft()])
        // Typed back unchanged, it is today.
        var full = intakeAssistanceValues()
        full["application_date"] = v["application_date"]
        #expect(try intakeCheck(full).application?.applicationDate == intakeToday)
    }

    @Test("R-ID-5 R-ID-6 display shows normalised values the way people read them")
    func display() throws {
        let form = try intakeForm()
        let v = intakeAssistanceValues()
        #expect(IntakeForm.display(form.field("birth_date")!, values: v, context: intakeContext) == "昭和45年1月2日")
        #expect(IntakeForm.display(form.field("postal_code")!, values: v, context: intakeContext) == "123-4567")
        #expect(IntakeForm.display(form.field("branch")!, values: v, context: intakeContext) == "医療扶助単独")
        #expect(IntakeForm.display(form.field("signed_form")!, values: v, context: intakeContext) == "済")
        var t = v
        t.tickets = [TicketDraft(kind: "medical", institution: "デモ診療所", month: "R8.12")]
        #expect(IntakeForm.display(form.field("tickets")!, values: t, context: intakeContext) == "医療券 デモ診療所 令和8年12月分")
    }

    @Test("R-IN-4 g R-BR-1 the rule's own message, citing its ID, replaces the screen's generic one")
    func ruleMessagesCiteTheRule() throws {
        var v = intakeInsuredValues()
        v[IntakeFieldID.explained("g")] = ""
        let c = try intakeCheck(v)
        #expect(intakeProblem(c, IntakeFieldID.explained("g"))?.message.contains("R-IN-4 g") == true)
        var w = intakeAssistanceValues()
        w[IntakeFieldID.branch] = ""
        let d = try intakeCheck(w)
        #expect(intakeProblem(d, IntakeFieldID.branch)?.message.contains("R-BR-1") == true)
        #expect(d.problems.filter { $0.field == IntakeFieldID.branch }.count == 1)
    }
}
