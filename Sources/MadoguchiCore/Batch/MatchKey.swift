/// How a row of a server file is matched to a case: 保険者番号 together with 被保険者枝番 — never
/// the 受給者番号 alone (DOMAIN.md §9, R-ID-2).
public struct MatchKey: Hashable, Sendable, CustomStringConvertible {
    public let insurerNumber: String
    public let serverIndividualNumber: String

    public init(insurerNumber: String, serverIndividualNumber: String) {
        self.insurerNumber = insurerNumber
        self.serverIndividualNumber = serverIndividualNumber
    }

    public var description: String { "保険者番号 \(insurerNumber)・被保険者枝番 \(serverIndividualNumber)" }

    /// The key a case is sent under: the 保険者番号 column of the export mapping (the office's
    /// 公費負担者番号 by default) and the case's 被保険者枝番. Nil while the 枝番 is missing.
    public static func of(_ c: CaseRecord, office: OfficeConfig) -> MatchKey? {
        guard let server = c.application.serverIndividualNumber else { return nil }
        return MatchKey(insurerNumber: insurer(of: c, office: office), serverIndividualNumber: server)
    }

    /// The 保険者番号 a case is sent under (the export mapping's third column).
    static func insurer(of c: CaseRecord, office: OfficeConfig) -> String {
        let columns = office.interchange.exportColumns
        return columns.count > 2 ? RegistrationExport.value(columns[2], for: c, office: office) : office.publicPayerNumber
    }
}

extension CaseBook {
    /// Cases by match key. When one person has several cases (a new application after an ended
    /// one), the newest open case wins, else the newest. `include` narrows the cases considered.
    func byMatchKey(office: OfficeConfig, where include: (CaseRecord) -> Bool = { _ in true }) -> [MatchKey: CaseRecord] {
        var out: [MatchKey: CaseRecord] = [:]
        for c in all where include(c) {
            guard let k = MatchKey.of(c, office: office) else { continue }
            if let existing = out[k], !Self.replaces(c, existing) { continue }
            out[k] = c
        }
        return out
    }

    /// Whether `later` (a later case of the same person) takes the key from `earlier` in `byMatchKey`:
    /// unless `earlier` is open and `later` is not.
    static func replaces(_ later: CaseRecord, _ earlier: CaseRecord) -> Bool {
        !(earlier.status.isOpen && !later.status.isOpen)
    }

    /// The case `byMatchKey` picks among one person's cases in book order: the newest open case,
    /// else the newest.
    static func matchWinner(_ cases: [CaseRecord]) -> CaseRecord? {
        var winner: CaseRecord?
        for c in cases where winner.map({ replaces(c, $0) }) ?? true { winner = c }
        return winner
    }
}
