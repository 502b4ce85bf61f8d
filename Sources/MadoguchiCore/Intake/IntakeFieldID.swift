/// The field ids the intake understands. A screen file may order, label and explain them as the office
/// likes, but it can only use these ids, and must contain the ones the rules depend on.
public enum IntakeFieldID {
    // 申請者 (R-IN-1)
    public static let furigana = "furigana"
    public static let name = "name"
    public static let birthDate = "birth_date"
    public static let postalCode = "postal_code"
    public static let prefecture = "prefecture"
    public static let municipality = "municipality"
    public static let address = "address"
    public static let phone = "phone"
    public static let email = "email"
    public static let recipientNumber = "recipient_number"
    public static let serverIndividualNumber = "server_individual_number"
    // 代理人 (R-IN-2)
    public static let hasProxy = "has_proxy"
    public static let proxyName = "proxy_name"
    public static let proxyFurigana = "proxy_furigana"
    public static let proxyPhone = "proxy_phone"
    /// 代理人のメールアドレス (別添2 備考: name and contact for the proxy too), optional.
    public static let proxyEmail = "proxy_email"
    public static let proxyRelationship = "proxy_relationship"
    // 申請書 (R-IN-1, R-IN-3)
    public static let requestTicked = "request_ticked"
    public static let signedForm = "signed_form"
    public static let reason = "reason"
    public static let applicationDate = "application_date"
    public static let transferredFrom = "transferred_from"
    // 区分 (R-BR-1..5, R-RL-1)
    public static let branch = "branch"
    public static let insurerName = "insurer_name"
    public static let insurerNumber = "insurer_number"
    public static let appliedToInsurer = "applied_to_insurer"
    public static let insuranceVerifiedBy = "insurance_verified_by"
    // 医療券・調剤券 (R-PT-1)
    public static let holdsValidTickets = "holds_valid_tickets"
    public static let tickets = "tickets"
    // 説明 (R-IN-4 a–g, R-IN-5)
    public static let explainedPoints = ["a", "b", "c", "d", "e", "f", "g"]
    public static func explained(_ point: String) -> String { "explained_\(point)" }

    /// Read-only info fields may have any id starting with `info_`.
    public static func isInfo(_ id: String) -> Bool { id.hasPrefix("info_") }

    public static let dataFields: Set<String> = Set([
        furigana, name, birthDate, postalCode, prefecture, municipality, address, phone, email,
        recipientNumber, serverIndividualNumber, hasProxy, proxyName, proxyFurigana, proxyPhone,
        proxyEmail, proxyRelationship, requestTicked, signedForm, reason, applicationDate, transferredFrom, branch, insurerName,
        insurerNumber, appliedToInsurer, insuranceVerifiedBy, holdsValidTickets, tickets,
    ]).union(explainedPoints.map(explained))

    /// Every id a screen may use (info ids are free-form `info_…`, checked by prefix).
    public static var all: Set<String> { dataFields }

    public static func isKnown(_ id: String) -> Bool { dataFields.contains(id) || isInfo(id) }

    /// Fields the domain needs whatever the screen says, with the rule that needs them.
    public static let mandatory: [String: String] = [
        name: "R-IN-1 氏名", furigana: "R-IN-1 フリガナ", birthDate: "R-IN-1 生年月日",
        recipientNumber: "R-IN-1 受給者番号", requestTicked: "R-IN-1 申請の意思",
        applicationDate: "R-IN-1 申請日", hasProxy: "R-IN-2 代理人", signedForm: "R-IN-3 署名",
        branch: "R-BR-1 区分", insurerNumber: "R-BR-3 保険者番号", appliedToInsurer: "R-BR-4 保険者への申請",
        insuranceVerifiedBy: "R-BR-5 保険の確認方法", holdsValidTickets: "R-PT-1 有効な医療券・調剤券",
        tickets: "R-PT-1 紙の医療券・調剤券の交付",
    ].merging(Dictionary(uniqueKeysWithValues: explainedPoints.map { (explained($0), "R-IN-4 \($0)") })) { a, _ in a }

    /// Fields that must be of one kind because the domain reads them so.
    public static let kinds: [String: FormField.Kind] = [
        hasProxy: .choice, branch: .choice, appliedToInsurer: .choice, insuranceVerifiedBy: .choice,
        holdsValidTickets: .choice, requestTicked: .check, signedForm: .check, tickets: .tickets,
    ].merging(Dictionary(uniqueKeysWithValues: explainedPoints.map { (explained($0), FormField.Kind.check) })) { a, _ in a }

    /// Choice values the domain reads; a screen must offer them (it may relabel them).
    public static let requiredOptions: [String: [String]] = [
        hasProxy: ["none", "proxy"],
        branch: Branch.allCases.map(\.rawValue),
        appliedToInsurer: Application.InsurerApplication.allCases.map(\.rawValue),
        insuranceVerifiedBy: Application.InsuranceVerification.allCases.map(\.rawValue),
        holdsValidTickets: ["yes", "no"],
    ]
}
