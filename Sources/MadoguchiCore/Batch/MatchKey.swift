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

/// A match key made only of half-width digits — 8 for the 保険者番号, 16 for the 被保険者枝番, as every
/// row of a server file has once its checks pass — held as two integers, so that 100,000 rows are
/// hashed without walking strings (issue 14, P3). One-to-one with the strings it came from (the
/// length is fixed, so leading zeros are kept apart). A key with anything else is nil: it can never
/// equal a row's key.
struct DigitsMatchKey: Hashable {
    let insurer: UInt64
    let server: UInt64

    init?(insurerNumber: String, serverIndividualNumber: String) {
        guard let i = Self.value(insurerNumber, digits: 8), let s = Self.value(serverIndividualNumber, digits: 16) else { return nil }
        insurer = i
        server = s
    }

    init?(_ key: MatchKey) {
        self.init(insurerNumber: key.insurerNumber, serverIndividualNumber: key.serverIndividualNumber)
    }

    private static func value(_ s: String, digits: Int) -> UInt64? {
        guard s.utf8.count == digits else { return nil }
        var text = s
        return text.withUTF8 { b -> UInt64? in   // contiguous bytes: no per-character iterator
            var v: UInt64 = 0
            for c in b {
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v &* 10 &+ UInt64(c &- 0x30)
            }
            return v
        }
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
