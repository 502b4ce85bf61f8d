import Foundation

/// 医療扶助単独 (assistance-only) or 医療保険・医療扶助併用 (insured) — R-BR-1.
public enum Branch: String, Codable, Sendable, CaseIterable {
    case assistanceOnly = "assistance_only"
    case insured

    public var label: String { self == .assistanceOnly ? "医療扶助単独" : "医療保険・医療扶助併用" }
    public var shortLabel: String { self == .assistanceOnly ? "単独" : "併用" }
}

/// 紙の医療券・調剤券 (R-PT-1, R-PT-2).
public struct PaperTicket: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// 医療券 (incl. 初診券) for clinics and hospitals.
        case medical
        /// 調剤券 for pharmacies.
        case dispensing

        public var label: String { self == .medical ? "医療券" : "調剤券" }
    }

    public let kind: Kind
    /// 医療機関・薬局名
    public let institution: String
    /// The month the ticket is for (医療券 are monthly, R-PT-2).
    public let month: YearMonth

    public init(kind: Kind, institution: String, month: YearMonth) {
        self.kind = kind
        self.institution = institution
        self.month = month
    }
}

/// 利用登録解除申請 — one application taken at the counter on the 別添2 form (R-IN-1..5).
/// Never holds a 個人番号 (R-ID-4).
public struct Application: Codable, Hashable, Sendable {
    /// 被保護者 the person concerned.
    public struct Person: Codable, Hashable, Sendable {
        public var furigana: String
        public var name: String
        public var birthDate: LocalDate?
        /// 郵便番号, 7 digits without hyphen.
        public var postalCode: String
        public var prefecture: String
        public var municipality: String
        public var address: String
        public var phone: String
        public var email: String

        public init(furigana: String, name: String, birthDate: LocalDate? = nil, postalCode: String, prefecture: String,
                    municipality: String, address: String, phone: String, email: String) {
            self.furigana = furigana; self.name = name; self.birthDate = birthDate; self.postalCode = postalCode
            self.prefecture = prefecture; self.municipality = municipality; self.address = address
            self.phone = phone; self.email = email
        }
    }

    /// 代理人 (R-IN-2).
    public struct Proxy: Codable, Hashable, Sendable {
        public var name: String
        public var furigana: String
        public var phone: String
        /// 本人との関係 (family, facility staff, …).
        public var relationship: String
        /// 代理人のメールアドレス (別添2 備考), nil when not given (journals before it have none).
        public var email: String? = nil

        public init(name: String, furigana: String, phone: String, relationship: String, email: String? = nil) {
            self.name = name; self.furigana = furigana; self.phone = phone; self.relationship = relationship; self.email = email
        }
    }

    /// How insurance status was verified (R-BR-5).
    public enum InsuranceVerification: String, Codable, Sendable, CaseIterable {
        /// 情報提供ネットワークシステムによる照会
        case networkInquiry = "network_inquiry"
        /// 資格確認書
        case eligibilityCertificate = "eligibility_certificate"
        /// 資格情報のお知らせ (not an identity document)
        case eligibilityNotice = "eligibility_notice"
        /// マイナポータルの資格情報画面（PDF） (not an identity document)
        case mynaPortalPDF = "myna_portal_pdf"
        /// 健康保険証 (only until 2025-12-01)
        case healthInsuranceCard = "health_insurance_card"
    }

    /// Whether the insured applicant also applied to the insurer (R-BR-4).
    public enum InsurerApplication: String, Codable, Sendable, CaseIterable {
        /// 保険者にも申請済み
        case applied
        /// 未申請：保険者にも申請するよう案内した
        case toldToApply = "told_to_apply"
    }

    public struct Insurance: Codable, Hashable, Sendable {
        public var insurerName: String
        /// 保険者番号: 8 digits, or 6 for a 国民健康保険組合 (R-ID-7).
        public var insurerNumber: String
        public var appliedToInsurer: InsurerApplication
        public var verifiedBy: InsuranceVerification

        public init(insurerName: String, insurerNumber: String, appliedToInsurer: InsurerApplication, verifiedBy: InsuranceVerification) {
            self.insurerName = insurerName; self.insurerNumber = insurerNumber
            self.appliedToInsurer = appliedToInsurer; self.verifiedBy = verifiedBy
        }
    }

    public var applicant: Person
    /// 受給者番号 (R-ID-2): recorded, never used as a key.
    public var recipientNumber: String
    /// 被保険者枝番: the recipient's 16-digit number on the 中間サーバー; may be missing at intake.
    public var serverIndividualNumber: String?
    public var proxy: Proxy?
    /// 「マイナンバーカードの利用登録の解除を申請します」に印
    public var requestTicked: Bool
    /// 署名のある申請書を受け取った (R-IN-3)
    public var signedFormReceived: Bool
    /// 解除を希望する理由
    public var reason: String
    public var applicationDate: LocalDate
    public var branch: Branch
    public var insurance: Insurance?
    /// 有効な医療券・調剤券を持っている (R-PT-1)
    public var holdsValidTickets: Bool
    /// Points of R-IN-4 explained, "a" … "g".
    public var explained: [String]
    /// 転入前の事務所: the person applied at another office and moved here before the cancellation
    /// (R-PT-3, R-IN-4 f). This office does not register; it issues paper tickets and follows up.
    public var transferredFrom: String? = nil

    public init(applicant: Person, recipientNumber: String, serverIndividualNumber: String? = nil, proxy: Proxy? = nil,
                requestTicked: Bool, signedFormReceived: Bool, reason: String, applicationDate: LocalDate, branch: Branch,
                insurance: Insurance? = nil, holdsValidTickets: Bool, explained: [String], transferredFrom: String? = nil) {
        self.applicant = applicant; self.recipientNumber = recipientNumber; self.serverIndividualNumber = serverIndividualNumber
        self.proxy = proxy; self.requestTicked = requestTicked; self.signedFormReceived = signedFormReceived
        self.reason = reason; self.applicationDate = applicationDate; self.branch = branch; self.insurance = insurance
        self.holdsValidTickets = holdsValidTickets; self.explained = explained; self.transferredFrom = transferredFrom
    }
}
