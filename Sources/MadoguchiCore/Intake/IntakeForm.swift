import Foundation

/// A row of the paper-ticket table as typed (R-PT-1): kind `medical`/`dispensing`, institution, month.
public struct TicketDraft: Hashable, Sendable, Codable {
    public var kind: String
    public var institution: String
    public var month: String

    public init(kind: String = "", institution: String = "", month: String = "") {
        self.kind = kind
        self.institution = institution
        self.month = month
    }

    public var isBlank: Bool {
        institution.trimmingCharacters(in: .whitespaces).isEmpty && month.trimmingCharacters(in: .whitespaces).isEmpty
    }
}

/// What the clerk has typed so far: raw text per field id (choices hold the option value, checks
/// hold "1" or ""), and the ticket rows.
public struct IntakeValues: Hashable, Sendable {
    public var fields: [String: String]
    public var tickets: [TicketDraft]

    public init(fields: [String: String] = [:], tickets: [TicketDraft] = []) {
        self.fields = fields
        self.tickets = tickets
    }

    public subscript(id: String) -> String {
        get { fields[id] ?? "" }
        set { fields[id] = newValue }
    }

    public func isTicked(_ id: String) -> Bool { FormField.isTicked(self[id]) }

    /// 有効な医療券・調剤券 (R-PT-1): nil when nothing is chosen, true only for `yes` (the screen's
    /// choice offers `yes` and `no`, `IntakeFieldID.requiredOptions`).
    public var holdsValidTickets: Bool? {
        let v = self[IntakeFieldID.holdsValidTickets]
        return v.isEmpty ? nil : v == "yes"
    }

    /// 代理人の申請 (R-IN-2): the `proxy` choice.
    public var hasProxy: Bool { self[IntakeFieldID.hasProxy] == "proxy" }
}

/// A warning or a piece of advice attached to a field; it never blocks saving (R-IN-5, R-BR-5).
public struct FieldNote: Hashable, Sendable {
    public enum Severity: Sendable { case warning, info }
    public let field: String
    public let severity: Severity
    public let message: String

    public init(field: String, severity: Severity, message: String) {
        (self.field, self.severity, self.message) = (field, severity, message)
    }
}

/// The result of checking a whole form.
public struct IntakeCheck: Sendable {
    public let problems: [FieldProblem]
    public let notes: [FieldNote]
    /// Present when there are no problems.
    public let application: Application?
    public let tickets: [PaperTicket]
}

/// The intake rules (R-IN-1..5, R-BR-1..5, R-PT-1, R-ID-1..6) over a form defined in `screens/`.
public enum IntakeForm {
    public static let infoSources: Set<String> = ["expected_timing", "alternatives", "card_benefits"]

    /// A field is shown (and checked) when its condition holds and the field it depends on is shown.
    public static func isVisible(_ field: FormField, in form: FormDefinition, values: IntakeValues) -> Bool {
        guard let c = field.when else { return true }
        guard c.holds(in: values.fields) else { return false }
        guard let parent = form.field(c.field) else { return true }
        return isVisible(parent, in: form, values: values)
    }

    /// Values the form opens with: `default = "today"` fills the application date (R-IN-1).
    public static func initialValues(_ form: FormDefinition, today: LocalDate) -> IntakeValues {
        var v = IntakeValues()
        for f in form.fields {
            guard let d = f.defaultValue else { continue }
            v[f.id] = d == "today" ? Wareki.format(today) : d
        }
        v.tickets = [TicketDraft()]
        return v
    }

    /// Checks one field on its own (as the clerk leaves it). Nil when fine.
    public static func problem(for field: FormField, raw: String, context: ValidationContext) -> FieldProblem? {
        let blank = raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        switch field.kind {
        case .info, .tickets:
            return nil
        case .check:
            if field.required && !FormField.isTicked(raw) { return FieldProblem(field: field.id, label: field.label, message: requiredMessage(field)) }
            return nil
        case .choice:
            if blank {
                return field.required ? FieldProblem(field: field.id, label: field.label, message: "選んでください") : nil
            }
            if field.optionLabel(raw) == nil {
                return FieldProblem(field: field.id, label: field.label, message: "「\(raw)」は選べる値ではありません")
            }
            return nil
        case .text:
            if blank {
                return field.required ? FieldProblem(field: field.id, label: field.label, message: "入力してください") : nil
            }
            guard let v = field.validator.flatMap(Validators.named) else { return nil }
            if case .failure(let e) = v.validate(raw, context) {
                return FieldProblem(field: field.id, label: field.label, message: e.message)
            }
            return nil
        }
    }

    private static func requiredMessage(_ field: FormField) -> String {
        if field.id.hasPrefix("explained_") { return "説明したら印をつけてください（R-IN-4）" }
        if field.id == IntakeFieldID.signedForm { return "自筆の署名がない申請は受け付けられません。署名を確かめて印をつけてください（R-IN-3）" }
        if field.id == IntakeFieldID.requestTicked { return "申請欄の印を確かめてから印をつけてください（R-IN-1）" }
        return "印をつけてください"
    }

    /// The normalised value of a text field as it would be kept ("" when blank or invalid).
    public static func normalizedValue(_ field: FormField?, _ raw: String, _ context: ValidationContext) -> String {
        normalized(field, raw, context)
    }

    /// The normalised value of a visible text field ("" when blank or invalid).
    static func normalized(_ field: FormField?, _ raw: String, _ context: ValidationContext) -> String {
        guard let field, let v = field.validator.flatMap(Validators.named) else {
            return raw.trimmingCharacters(in: .whitespaces)
        }
        if case .success(let s) = v.validate(raw, context) { return s }
        return ""
    }

    /// One row of paper tickets (紙の医療券・調剤券: 種類, 医療機関・薬局, 月), checked the same way at intake
    /// (R-PT-1) and when tickets are recorded later (R-PT-2): the kind chosen, the institution's name
    /// under the "text" rules (no 個人番号, R-ID-4), the month in any form the month validator takes.
    /// Problems are labelled with `label` (e.g. 「紙の医療券・調剤券 1行目」) and filed under the tickets field.
    public static func checkTicket(_ row: TicketDraft, label rowLabel: String, context: ValidationContext) -> (PaperTicket?, [FieldProblem]) {
        var problems: [FieldProblem] = []
        let kind = PaperTicket.Kind(rawValue: row.kind)
        if kind == nil {
            problems.append(FieldProblem(field: IntakeFieldID.tickets, label: rowLabel, message: "種類（医療券・調剤券）を選んでください"))
        }
        var institution = ""
        switch Validators.institution.validate(row.institution, context) {
        case .success(let s) where !s.isEmpty: institution = s
        case .success: problems.append(FieldProblem(field: IntakeFieldID.tickets, label: rowLabel, message: "医療機関・薬局名を入力してください"))
        case .failure(let e): problems.append(FieldProblem(field: IntakeFieldID.tickets, label: rowLabel + "の医療機関・薬局名", message: e.message))
        }
        var month: YearMonth?
        if row.month.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem(field: IntakeFieldID.tickets, label: rowLabel, message: "何月分かを入力してください（例 令和8年12月）"))
        } else {
            switch Validators.month.validate(row.month, context) {
            case .success(let s): month = YearMonth(iso: s)
            case .failure(let e): problems.append(FieldProblem(field: IntakeFieldID.tickets, label: rowLabel + "の月", message: e.message))
            }
        }
        // Issue 12 item 7: 医療券 are monthly; one can be made ahead for next month, never further (令和81年…).
        let latest = context.today.yearMonth.adding(months: 1)
        if let m = month, latest < m {
            problems.append(FieldProblem(field: IntakeFieldID.tickets, label: rowLabel + "の月",
                                         message: "\(Wareki.format(m))分は来月（\(Wareki.format(latest))）より先の月です。まだ来ていない月の券は交付できません（今日は\(Wareki.format(context.today))）"))
            month = nil
        }
        guard let kind, !institution.isEmpty, let month else { return (nil, problems) }
        return (PaperTicket(kind: kind, institution: institution, month: month), problems)
    }

    /// Checks the whole form: every visible field, then the rules that span fields. Builds the
    /// application when nothing is wrong.
    public static func check(_ form: FormDefinition, values: IntakeValues, context: ValidationContext) -> IntakeCheck {
        var check = FormCheck(form: form, values: values, context: context)
        let branch = Branch(rawValue: values[IntakeFieldID.branch])
        check.requireIntakeRules(branch: branch)
        let (appDate, birth) = check.checkDates()
        let tickets = check.checkTickets()
        let notes = self.notes(values: values, today: context.today)
        guard check.problems.isEmpty, let branch, let appDate else {
            return IntakeCheck(problems: check.problems, notes: notes, application: nil, tickets: [])
        }
        return IntakeCheck(problems: [], notes: notes, application: check.application(branch: branch, applicationDate: appDate, birth: birth),
                           tickets: tickets)
    }

    /// The points of R-IN-4 to explain: `g` (the insurer) only to the insured.
    static func explainedPoints(_ branch: Branch?) -> [String] {
        IntakeFieldID.explainedPoints.filter { $0 != "g" || branch == .insured }
    }

    /// One check of a whole form, step by step: every visible field on its own, then the rules that
    /// span fields, each of which replaces the field's generic problem with its own.
    private struct FormCheck {
        let form: FormDefinition
        let values: IntakeValues
        let context: ValidationContext
        let visibleIDs: Set<String>
        private(set) var problems: [FieldProblem] = []

        init(form: FormDefinition, values: IntakeValues, context: ValidationContext) {
            (self.form, self.values, self.context) = (form, values, context)
            let visible = form.fields.filter { IntakeForm.isVisible($0, in: form, values: values) }
            visibleIDs = Set(visible.map(\.id))
            for f in visible {
                if let p = IntakeForm.problem(for: f, raw: values[f.id], context: context) { problems.append(p) }
            }
        }

        func label(_ id: String) -> String { form.field(id)?.label ?? id }

        /// A rule's own message (citing its ID) replaces the screen's generic one for the field.
        mutating func require(_ id: String, _ message: String) {
            let problem = FieldProblem(field: id, label: label(id), message: message)
            if let i = problems.firstIndex(where: { $0.field == id }) { problems[i] = problem } else { problems.append(problem) }
        }

        func text(_ id: String) -> String {
            visibleIDs.contains(id) ? IntakeForm.normalized(form.field(id), values[id], context) : ""
        }

        func isBlank(_ id: String) -> Bool { values[id].trimmingCharacters(in: .whitespaces).isEmpty }

        /// Rules that hold whatever the screen file says is required (R-BR-1, R-IN-1..4, R-BR-3..5).
        mutating func requireIntakeRules(branch: Branch?) {
            if branch == nil { require(IntakeFieldID.branch, "医療扶助単独か医療保険・医療扶助併用かを確認して選んでください（R-BR-1）") }
            if !values.isTicked(IntakeFieldID.signedForm) {
                require(IntakeFieldID.signedForm, "自筆の署名がない申請は受け付けられません。署名を確かめて印をつけてください（R-IN-3）")
            }
            if !values.isTicked(IntakeFieldID.requestTicked) {
                require(IntakeFieldID.requestTicked, "申請欄の印を確かめてから印をつけてください（R-IN-1）")
            }
            for id in [IntakeFieldID.name, IntakeFieldID.furigana, IntakeFieldID.birthDate, IntakeFieldID.recipientNumber, IntakeFieldID.applicationDate]
            where isBlank(id) {
                require(id, "入力してください（R-IN-1）")
            }
            if values[IntakeFieldID.hasProxy].isEmpty { require(IntakeFieldID.hasProxy, "本人の申請か代理人の申請かを選んでください（R-IN-2）") }
            if values.hasProxy {
                for id in [IntakeFieldID.proxyName, IntakeFieldID.proxyPhone, IntakeFieldID.proxyRelationship] where isBlank(id) {
                    require(id, "代理人の申請では入力してください（R-IN-2）")
                }
            }
            if branch == .insured { requireInsurance() }
            for p in IntakeForm.explainedPoints(branch) where !values.isTicked(IntakeFieldID.explained(p)) {
                require(IntakeFieldID.explained(p), "説明したら印をつけてください（R-IN-4 \(p)）")
            }
        }

        /// The insured's insurer, and how it was applied to and checked (R-BR-3..5).
        private mutating func requireInsurance() {
            for id in [IntakeFieldID.insurerName, IntakeFieldID.insurerNumber] where isBlank(id) {
                require(id, "併用の方は入力してください（R-BR-3）")
            }
            if values[IntakeFieldID.appliedToInsurer].isEmpty {
                require(IntakeFieldID.appliedToInsurer, "保険者にも申請したか、申請するよう案内したかを選んでください（R-BR-4）")
            }
            if values[IntakeFieldID.insuranceVerifiedBy].isEmpty {
                require(IntakeFieldID.insuranceVerifiedBy, "医療保険の加入をどう確かめたかを選んでください（R-BR-5）")
            }
        }

        /// Dates that must be in order: the application not after today, the birth not after it.
        mutating func checkDates() -> (applicationDate: LocalDate?, birth: LocalDate?) {
            let appDate = LocalDate(iso: text(IntakeFieldID.applicationDate))
            if let appDate, appDate > context.today {
                require(IntakeFieldID.applicationDate, "申請日が今日（\(Wareki.format(context.today))）より後になっています")
            }
            let birth = LocalDate(iso: text(IntakeFieldID.birthDate))
            if let birth, let appDate, birth > appDate {
                require(IntakeFieldID.birthDate, "生年月日が申請日より後になっています")
            }
            return (appDate, birth)
        }

        /// Paper tickets (R-PT-1): every row typed, and at least one for whoever holds valid tickets.
        mutating func checkTickets() -> [PaperTicket] {
            var tickets: [PaperTicket] = []
            switch values.holdsValidTickets {
            case nil:
                require(IntakeFieldID.holdsValidTickets, "有効な医療券・調剤券があるかを確かめて選んでください（R-PT-1）")
            case true?:
                let ticketLabel = label(IntakeFieldID.tickets)
                for (i, row) in values.tickets.enumerated() where !row.isBlank {
                    let rowLabel = "\(ticketLabel) \(i + 1)行目"
                    let (ticket, rowProblems) = IntakeForm.checkTicket(row, label: rowLabel, context: context)
                    problems += rowProblems
                    if let ticket { tickets.append(ticket) }
                }
                if values.tickets.allSatisfy(\.isBlank) {
                    require(IntakeFieldID.tickets, "有効な医療券・調剤券がある方には、いま交付する紙の医療券・調剤券を記録してください（R-PT-1）")
                }
            case false?:
                break
            }
            return tickets
        }

        /// The application the form holds, once nothing is wrong.
        func application(branch: Branch, applicationDate: LocalDate, birth: LocalDate?) -> Application {
            let person = Application.Person(
                furigana: text(IntakeFieldID.furigana), name: text(IntakeFieldID.name), birthDate: birth,
                postalCode: text(IntakeFieldID.postalCode), prefecture: text(IntakeFieldID.prefecture),
                municipality: text(IntakeFieldID.municipality), address: text(IntakeFieldID.address),
                phone: text(IntakeFieldID.phone), email: text(IntakeFieldID.email))
            let proxy = values.hasProxy ? Application.Proxy(
                name: text(IntakeFieldID.proxyName), furigana: text(IntakeFieldID.proxyFurigana),
                phone: text(IntakeFieldID.proxyPhone), relationship: text(IntakeFieldID.proxyRelationship),
                email: text(IntakeFieldID.proxyEmail).isEmpty ? nil : text(IntakeFieldID.proxyEmail)) : nil
            var insurance: Application.Insurance?
            if branch == .insured,
               let applied = Application.InsurerApplication(rawValue: values[IntakeFieldID.appliedToInsurer]),
               let verified = Application.InsuranceVerification(rawValue: values[IntakeFieldID.insuranceVerifiedBy]) {
                insurance = Application.Insurance(insurerName: text(IntakeFieldID.insurerName), insurerNumber: text(IntakeFieldID.insurerNumber),
                                                  appliedToInsurer: applied, verifiedBy: verified)
            }
            let serverNumber = text(IntakeFieldID.serverIndividualNumber)
            return Application(
                applicant: person, recipientNumber: text(IntakeFieldID.recipientNumber),
                serverIndividualNumber: serverNumber.isEmpty ? nil : serverNumber, proxy: proxy,
                requestTicked: true, signedFormReceived: true, reason: text(IntakeFieldID.reason),
                applicationDate: applicationDate, branch: branch, insurance: insurance, holdsValidTickets: values.holdsValidTickets == true,
                explained: IntakeForm.explainedPoints(branch),
                transferredFrom: text(IntakeFieldID.transferredFrom).isEmpty ? nil : text(IntakeFieldID.transferredFrom))
        }
    }

    /// Warnings and advice that never block saving.
    public static func notes(values: IntakeValues, today: LocalDate) -> [FieldNote] {
        var notes: [FieldNote] = []
        let branch = Branch(rawValue: values[IntakeFieldID.branch])
        if branch == .assistanceOnly && values[IntakeFieldID.serverIndividualNumber].trimmingCharacters(in: .whitespaces).isEmpty {
            notes.append(FieldNote(field: IntakeFieldID.serverIndividualNumber, severity: .warning,
                                   message: "被保険者枝番（16桁）が未入力です。一括登録ファイルを作る前に入力してください（R-RG-2）"))
        }
        if branch == .insured {
            switch Application.InsuranceVerification(rawValue: values[IntakeFieldID.insuranceVerifiedBy]) {
            case .healthInsuranceCard where today > healthInsuranceCardLastDay:
                notes.append(FieldNote(field: IntakeFieldID.insuranceVerifiedBy, severity: .warning,
                                       message: "健康保険証が使えたのは令和7年12月1日までです（経過措置）。資格確認書などで確かめてください（R-BR-5）"))
            case .eligibilityNotice, .mynaPortalPDF:
                notes.append(FieldNote(field: IntakeFieldID.insuranceVerifiedBy, severity: .info,
                                       message: "資格情報のお知らせ・マイナポータルの画面は本人確認書類にはなりません（R-BR-5）"))
            default: break
            }
            if values[IntakeFieldID.appliedToInsurer] == Application.InsurerApplication.toldToApply.rawValue {
                notes.append(FieldNote(field: IntakeFieldID.appliedToInsurer, severity: .info,
                                       message: "保険者にも解除の申請をするよう案内したことを記録します（R-BR-4, R-IN-4 g）"))
            }
        }
        let phone = values[IntakeFieldID.phone].trimmingCharacters(in: .whitespaces)
        let email = values[IntakeFieldID.email].trimmingCharacters(in: .whitespaces)
        if phone.isEmpty && email.isEmpty {
            notes.append(FieldNote(field: IntakeFieldID.phone, severity: .warning, message: "連絡先（電話番号・メール）がありません（R-IN-1）"))
        }
        return notes
    }

    /// The 健康保険証 was usable until 2025-12-01 (経過措置, R-BR-5).
    public static let healthInsuranceCardLastDay = LocalDate(year: 2025, month: 12, day: 1)!

    /// Text of a computed info field.
    public static func infoText(source: String, values: IntakeValues, today: LocalDate) -> String {
        switch source {
        case "expected_timing":
            return CancellationDate.explanation(for: Branch(rawValue: values[IntakeFieldID.branch]), today: today)
        case "alternatives":
            // R-RL-1 (amended 2026-11-30): shown for every applicant; the 資格確認書 is the insurer's, so
            // only for the insured.
            let certificate = values[IntakeFieldID.branch] == Branch.insured.rawValue
                ? "保険者は申請により資格確認書を交付できます（カードを登録したままでも可）。" : ""
            return "解除の代わりに：\(certificate)施設職員などの代理申請もできます。暗証番号のいらない顔認証マイナンバーカードがあります。"
                + "医療機関は目視で本人確認もできます（目視確認モード）。（R-RL-1）"
        case "card_benefits":
            return "カードを使うと、本人の同意のもとで過去の診療・薬の情報に基づく医療を受けられます。利用登録によって安全上の危険が増えることはありません。解除は例外的な取扱いですが、署名のある申請は受け付けます。（R-IN-5）"
        default:
            return ""
        }
    }

    /// How a value is shown on the review page and in the case detail.
    public static func display(_ field: FormField, values: IntakeValues, context: ValidationContext) -> String {
        let raw = values[field.id]
        switch field.kind {
        case .check: return FormField.isTicked(raw) ? "済" : "未"
        case .choice: return field.optionLabel(raw) ?? "（未選択）"
        case .info: return field.source.map { infoText(source: $0, values: values, today: context.today) } ?? field.text
        case .tickets:
            let rows = values.tickets.filter { !$0.isBlank }
            if rows.isEmpty { return "（なし）" }
            return rows.map { r in
                let kind = PaperTicket.Kind(rawValue: r.kind)?.label ?? "種類未選択"
                let month: String
                if case .success(let iso) = Validators.month.validate(r.month, context), let ym = YearMonth(iso: iso) {
                    month = Wareki.format(ym)
                } else {
                    month = r.month
                }
                return "\(kind) \(r.institution) \(month)分"
            }.joined(separator: "、")
        case .text:
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { return "" }
            guard let v = field.validator.flatMap(Validators.named) else { return raw }
            if case .success(let s) = v.validate(raw, context) { return v.display(s) }
            return raw
        }
    }
}
