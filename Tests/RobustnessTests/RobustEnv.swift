import Foundation
@testable import MadoguchiCore

/// A throw-away office with a journal, for the robustness tests (issue 6).
struct RobustEnv {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let payer = "12130019"
    static let serverCode = "D1300019"

    let root: URL
    let office: OfficeConfig
    let store: CaseStore
    /// 2026-11-24 10:00 in Japan.
    let now = Date(timeIntervalSince1970: TimeInterval(LocalDate(year: 2026, month: 11, day: 24)!.dayNumber * 86_400 + 3600))

    init(root: URL, interchange: InterchangeConfig = .default) throws {
        self.root = root
        office = OfficeConfig(officeName: "デモ市福祉事務所", publicPayerNumber: Self.payer, serverCode: Self.serverCode,
                              mode: .training, dataDirectory: root.appendingPathComponent("data"),
                              operators: [Operator(id: "yamada", name: "山田 花子", role: .clerk)],
                              interchange: interchange, source: root.appendingPathComponent("office.toml"))
        store = CaseStore(journalURL: office.journalURL)
        try store.load()
    }

    var journalBytes: Data { (try? Data(contentsOf: office.journalURL)) ?? Data() }

    func file(_ name: String, _ bytes: Data) throws -> URL {
        let dir = root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try bytes.write(to: url)
        return url
    }

    static func recipient(_ base: String) -> String { base + String(CheckDigit.compute(base)!) }

    static func application(server: String, recipient base: String, branch: Branch = .assistanceOnly) -> Application {
        Application(
            applicant: Application.Person(
                furigana: "ヤマダ\u{3000}タロウ", name: "山田\u{3000}太郎", birthDate: LocalDate(year: 1970, month: 1, day: 2),
                postalCode: "1234567", prefecture: "東京都", municipality: "千代田区", address: "霞が関１－２－２",
                phone: "03-1234-5678", email: ""),
            recipientNumber: recipient(base), serverIndividualNumber: server, proxy: nil,
            requestTicked: true, signedFormReceived: true, reason: "カードの管理に不安があるため",
            applicationDate: LocalDate(year: 2026, month: 11, day: 24)!, branch: branch,
            insurance: branch == .insured
                ? Application.Insurance(insurerName: "全国健康保険協会", insurerNumber: "06130012",
                                        appliedToInsurer: .applied, verifiedBy: .eligibilityCertificate)
                : nil,
            holdsValidTickets: false,
            explained: branch == .insured ? ["a", "b", "c", "d", "e", "f", "g"] : ["a", "b", "c", "d", "e", "f"])
    }

    @discardableResult
    func receive(_ app: Application, tickets: Bool) throws -> CaseRecord {
        var a = app
        a.holdsValidTickets = tickets
        let t = tickets ? [PaperTicket(kind: .medical, institution: "デモ内科クリニック", month: YearMonth(year: 2026, month: 12)!)] : []
        return try store.receive(a, ticketsIssuedNow: t, operatorID: "yamada", now: now)
    }

    /// A complete, valid assistance-only application as typed on the shipped intake screen.
    static let goodIntake: [String: String] = [
        "furigana": "ﾔﾏﾀﾞ ﾀﾛｳ", "name": "山田 太郎", "birth_date": "S45.1.2", "postal_code": "123-4567",
        "prefecture": "東京", "municipality": "千代田区", "address": "霞が関1-2-2", "phone": "03-1234-5678", "email": "",
        "recipient_number": "1234566", "server_individual_number": "1234567890123456", "has_proxy": "none",
        "request_ticked": "1", "signed_form": "1", "reason": "カードの管理に不安があるため", "application_date": "R8.11.24",
        "branch": "assistance_only", "holds_valid_tickets": "no",
        "explained_a": "1", "explained_b": "1", "explained_c": "1", "explained_d": "1", "explained_e": "1", "explained_f": "1",
    ]
}
