import Foundation

/// The application's fields as the journal names them in a correction (R-AM-1): each field of the
/// intake form (`screens/intake.toml`, ids of `IntakeFieldID`) with its value as the application
/// stores it — normalised by the intake validators (ISO dates, 7-digit 郵便番号, 氏名 with a
/// full-width space), option values for choices, "1" or "" for ticks. The paper tickets issued at
/// intake are corrected as a list of their own (`TicketCorrection`).
public enum ApplicationFields {
    /// Every correctable field except the tickets, in the form's order: the order a correction lists them.
    public static let order: [String] = [
        IntakeFieldID.furigana, IntakeFieldID.name, IntakeFieldID.birthDate, IntakeFieldID.postalCode, IntakeFieldID.prefecture,
        IntakeFieldID.municipality, IntakeFieldID.address, IntakeFieldID.phone, IntakeFieldID.email,
        IntakeFieldID.recipientNumber, IntakeFieldID.serverIndividualNumber,
        IntakeFieldID.hasProxy, IntakeFieldID.proxyName, IntakeFieldID.proxyFurigana, IntakeFieldID.proxyPhone,
        IntakeFieldID.proxyEmail, IntakeFieldID.proxyRelationship, IntakeFieldID.requestTicked, IntakeFieldID.signedForm, IntakeFieldID.reason,
        IntakeFieldID.applicationDate, IntakeFieldID.transferredFrom,
        IntakeFieldID.branch, IntakeFieldID.insurerName, IntakeFieldID.insurerNumber, IntakeFieldID.appliedToInsurer,
        IntakeFieldID.insuranceVerifiedBy, IntakeFieldID.holdsValidTickets,
    ] + IntakeFieldID.explainedPoints.map(IntakeFieldID.explained)

    /// Every key `madoguchi correct --field` accepts: the fields and `tickets`.
    public static var keys: [String] { order + [IntakeFieldID.tickets] }

    /// Labels used when the screen file does not name a field (the CLI's help, `cases --json`).
    public static let defaultLabels: [String: String] = [
        IntakeFieldID.furigana: "フリガナ", IntakeFieldID.name: "氏名", IntakeFieldID.birthDate: "生年月日",
        IntakeFieldID.postalCode: "郵便番号", IntakeFieldID.prefecture: "都道府県", IntakeFieldID.municipality: "市区町村",
        IntakeFieldID.address: "町名・番地等", IntakeFieldID.phone: "電話番号", IntakeFieldID.email: "メール",
        IntakeFieldID.recipientNumber: "受給者番号", IntakeFieldID.serverIndividualNumber: "被保険者枝番",
        IntakeFieldID.hasProxy: "本人・代理人の別", IntakeFieldID.proxyName: "代理人氏名", IntakeFieldID.proxyFurigana: "代理人フリガナ",
        IntakeFieldID.proxyPhone: "代理人連絡先", IntakeFieldID.proxyEmail: "代理人メール", IntakeFieldID.proxyRelationship: "本人との関係",
        IntakeFieldID.requestTicked: "申請欄の印", IntakeFieldID.signedForm: "署名のある申請書",
        IntakeFieldID.reason: "解除を希望する理由", IntakeFieldID.applicationDate: "申請日", IntakeFieldID.transferredFrom: "転入前の事務所",
        IntakeFieldID.branch: "区分", IntakeFieldID.insurerName: "保険者名", IntakeFieldID.insurerNumber: "保険者番号",
        IntakeFieldID.appliedToInsurer: "保険者への申請", IntakeFieldID.insuranceVerifiedBy: "保険の確認方法",
        IntakeFieldID.holdsValidTickets: "有効な医療券・調剤券", IntakeFieldID.tickets: "受付時に交付した紙の券",
    ].merging(IntakeFieldID.explainedPoints.map { (IntakeFieldID.explained($0), "説明 \($0)") }) { a, _ in a }

    /// The label of a field: the screen file's, else the default.
    public static func label(_ id: String, form: FormDefinition?) -> String {
        // The screen calls the ticket table what is issued "now"; a correction speaks of intake.
        if id == IntakeFieldID.tickets { return defaultLabels[id]! }
        return form?.field(id)?.label ?? defaultLabels[id] ?? id
    }

    /// The stored value of every field of an application.
    public static func stored(_ a: Application) -> [String: String] {
        let p = a.applicant
        var v: [String: String] = [
            IntakeFieldID.furigana: p.furigana, IntakeFieldID.name: p.name, IntakeFieldID.birthDate: p.birthDate?.iso ?? "",
            IntakeFieldID.postalCode: p.postalCode, IntakeFieldID.prefecture: p.prefecture, IntakeFieldID.municipality: p.municipality,
            IntakeFieldID.address: p.address, IntakeFieldID.phone: p.phone, IntakeFieldID.email: p.email,
            IntakeFieldID.recipientNumber: a.recipientNumber, IntakeFieldID.serverIndividualNumber: a.serverIndividualNumber ?? "",
            IntakeFieldID.hasProxy: a.proxy == nil ? "none" : "proxy",
            IntakeFieldID.proxyName: a.proxy?.name ?? "", IntakeFieldID.proxyFurigana: a.proxy?.furigana ?? "",
            IntakeFieldID.proxyPhone: a.proxy?.phone ?? "", IntakeFieldID.proxyEmail: a.proxy?.email ?? "",
            IntakeFieldID.proxyRelationship: a.proxy?.relationship ?? "",
            IntakeFieldID.requestTicked: FormField.checkValue(a.requestTicked), IntakeFieldID.signedForm: FormField.checkValue(a.signedFormReceived),
            IntakeFieldID.reason: a.reason, IntakeFieldID.applicationDate: a.applicationDate.iso,
            IntakeFieldID.transferredFrom: a.transferredFrom ?? "", IntakeFieldID.branch: a.branch.rawValue,
            IntakeFieldID.insurerName: a.insurance?.insurerName ?? "", IntakeFieldID.insurerNumber: a.insurance?.insurerNumber ?? "",
            IntakeFieldID.appliedToInsurer: a.insurance?.appliedToInsurer.rawValue ?? "",
            IntakeFieldID.insuranceVerifiedBy: a.insurance?.verifiedBy.rawValue ?? "",
            IntakeFieldID.holdsValidTickets: a.holdsValidTickets ? "yes" : "no",
        ]
        for point in IntakeFieldID.explainedPoints { v[IntakeFieldID.explained(point)] = FormField.checkValue(a.explained.contains(point)) }
        return v
    }

    /// The application the stored values describe; nil when a choice holds a value the domain does
    /// not know or a date is not a date (a journal line that was not written by the desk).
    public static func application(_ v: [String: String]) -> Application? {
        func s(_ id: String) -> String { v[id] ?? "" }
        func optional(_ id: String) -> String? { s(id).isEmpty ? nil : s(id) }
        guard let branch = Branch(rawValue: s(IntakeFieldID.branch)),
              let applicationDate = LocalDate(iso: s(IntakeFieldID.applicationDate)) else { return nil }
        var birth: LocalDate?
        if let b = optional(IntakeFieldID.birthDate) {
            guard let d = LocalDate(iso: b) else { return nil }
            birth = d
        }
        let person = Application.Person(
            furigana: s(IntakeFieldID.furigana), name: s(IntakeFieldID.name), birthDate: birth, postalCode: s(IntakeFieldID.postalCode),
            prefecture: s(IntakeFieldID.prefecture), municipality: s(IntakeFieldID.municipality), address: s(IntakeFieldID.address),
            phone: s(IntakeFieldID.phone), email: s(IntakeFieldID.email))
        var proxy: Application.Proxy?
        switch s(IntakeFieldID.hasProxy) {
        case "none": proxy = nil
        case "proxy":
            proxy = Application.Proxy(name: s(IntakeFieldID.proxyName), furigana: s(IntakeFieldID.proxyFurigana),
                                      phone: s(IntakeFieldID.proxyPhone), relationship: s(IntakeFieldID.proxyRelationship),
                                      email: optional(IntakeFieldID.proxyEmail))
        default: return nil
        }
        var insurance: Application.Insurance?
        if branch == .insured {
            guard let applied = Application.InsurerApplication(rawValue: s(IntakeFieldID.appliedToInsurer)),
                  let verified = Application.InsuranceVerification(rawValue: s(IntakeFieldID.insuranceVerifiedBy)) else { return nil }
            insurance = Application.Insurance(insurerName: s(IntakeFieldID.insurerName), insurerNumber: s(IntakeFieldID.insurerNumber),
                                              appliedToInsurer: applied, verifiedBy: verified)
        }
        let holds: Bool
        switch s(IntakeFieldID.holdsValidTickets) {
        case "yes": holds = true
        case "no": holds = false
        default: return nil
        }
        return Application(
            applicant: person, recipientNumber: s(IntakeFieldID.recipientNumber),
            serverIndividualNumber: optional(IntakeFieldID.serverIndividualNumber), proxy: proxy,
            requestTicked: FormField.isTicked(s(IntakeFieldID.requestTicked)), signedFormReceived: FormField.isTicked(s(IntakeFieldID.signedForm)),
            reason: s(IntakeFieldID.reason), applicationDate: applicationDate, branch: branch, insurance: insurance,
            holdsValidTickets: holds,
            explained: IntakeFieldID.explainedPoints.filter { FormField.isTicked(s(IntakeFieldID.explained($0))) },
            transferredFrom: optional(IntakeFieldID.transferredFrom))
    }

    /// The form's values for an application as saved, as the intake screen would show them (dates in
    /// 和暦, 郵便番号 123-4567): what the correction screen opens with. Checking them again gives back
    /// the same application.
    public static func intakeValues(_ a: Application, intakeTickets: [PaperTicket], form: FormDefinition) -> IntakeValues {
        var values = IntakeValues()
        for (id, stored) in stored(a) {
            if let f = form.field(id), f.kind == .text, !stored.isEmpty, let v = f.validator.flatMap(Validators.named) {
                values[id] = v.display(stored)
            } else {
                values[id] = stored
            }
        }
        values.tickets = intakeTickets.map { TicketDraft(kind: $0.kind.rawValue, institution: $0.institution, month: Wareki.format($0.month)) }
        values.tickets.append(TicketDraft())
        return values
    }

    /// A stored value as the clerk reads it: 和暦 dates, option labels, 済/未; "（空欄）" when empty.
    public static func display(_ id: String, _ stored: String, form: FormDefinition?) -> String {
        if let f = form?.field(id) {
            switch f.kind {
            case .check: return FormField.isTicked(stored) ? "済" : "未"
            case .choice: return f.optionLabel(stored) ?? (stored.isEmpty ? "（空欄）" : stored)
            default: break
            }
        }
        if stored.isEmpty { return "（空欄）" }
        if id.hasPrefix("explained_") || id == IntakeFieldID.requestTicked || id == IntakeFieldID.signedForm {
            return FormField.isTicked(stored) ? "済" : "未"
        }
        switch id {
        case IntakeFieldID.branch: return Branch(rawValue: stored)?.label ?? stored
        case IntakeFieldID.hasProxy: return stored == "proxy" ? "代理人" : stored == "none" ? "本人" : stored
        case IntakeFieldID.holdsValidTickets: return stored == "yes" ? "あり" : stored == "no" ? "なし" : stored
        default: break
        }
        let validator = form?.field(id)?.validator ?? defaultValidators[id]
        return validator.flatMap(Validators.named)?.display(stored) ?? stored
    }

    /// Validators of the fields whose display differs from the stored text (used without a screen file).
    static let defaultValidators: [String: String] = [
        IntakeFieldID.birthDate: "birth_date", IntakeFieldID.applicationDate: "date", IntakeFieldID.postalCode: "postal_code",
    ]

    /// Tickets as the clerk reads them: 医療券 山田医院 令和8年12月分、… or （なし）.
    public static func display(_ tickets: [PaperTicket]) -> String {
        tickets.isEmpty ? "（なし）" : tickets.map { "\($0.kind.label) \($0.institution) \(Wareki.format($0.month))分" }.joined(separator: "、")
    }
}
