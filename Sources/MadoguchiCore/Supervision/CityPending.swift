import Foundation

/// One office as the city's list sees it (issue 15 item 5): its code and name, and its open cases —
/// or, when its journal did not verify, the line that did not (the office is shown as broken, never
/// silently left out).
public struct CityOfficeCases: Sendable {
    /// The office's code: its 公費負担者番号.
    public let office: String
    public let name: String
    /// The cases folded from its verified journal (empty when broken).
    public let cases: [CaseRecord]
    /// Nil when the journal verified; otherwise the first bad line and why.
    public let problem: CityOfficeProblem?

    public init(office: String, name: String, cases: [CaseRecord], problem: CityOfficeProblem? = nil) {
        self.office = office
        self.name = name
        self.cases = cases
        self.problem = problem
    }
}

/// Why an office's journal is not listed: the first bad line (nil: the office as a whole) and the reason.
public struct CityOfficeProblem: Sendable, Hashable, Encodable {
    public let line: Int?
    public let reason: String

    public init(line: Int?, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// 「12 行目：署名が…」 as the lists say it.
    public var text: String { line.map { "\($0) 行目：\(reason)" } ?? reason }
}

/// The city's pending list: every listed office's rows, office by office (in code order), each office's
/// rows in the order asked; the counts over all of them; and every office with its state.
public struct CityPendingList: Sendable, Encodable {
    public struct Office: Sendable, Encodable, Hashable {
        public let office: String
        public let name: String
        /// "ok", or "broken" when its journal did not verify.
        public let state: String
        /// Rows listed for this office.
        public let count: Int
        public let problem: CityOfficeProblem?
    }

    public let asOf: String
    public let offices: [Office]
    public let rows: [PendingRow]
    public let countsByStatus: [String: Int]
    public let byMonth: [PendingList.MonthCount]

    public var brokenOffices: [Office] { offices.filter { $0.problem != nil } }

    /// As one list (the rows keep their office), for the screens that draw an office's.
    public var combined: PendingList { PendingList(asOf: asOf, rows: rows, countsByStatus: countsByStatus, byMonth: byMonth) }
}

extension Pending {
    /// The city's list over `offices`, with the single office's filters and order; `only` keeps the
    /// offices named (nil: all). A broken office is listed with its problem and no rows.
    public static func cityList(_ offices: [CityOfficeCases], today: LocalDate, filter: PendingFilter = PendingFilter(),
                                only: Set<String>? = nil, sort: PendingSort = .number, descending: Bool = false) -> CityPendingList {
        var summaries: [CityPendingList.Office] = []
        var rows: [PendingRow] = []
        var counts: [String: Int] = [:]
        var months: [String: [String: Int]] = [:]
        for o in offices.sorted(by: { $0.office < $1.office }) where only?.contains(o.office) ?? true {
            let list = Pending.list(cases: o.cases, today: today, filter: filter, sort: sort, descending: descending)
            summaries.append(.init(office: o.office, name: o.name, state: o.problem == nil ? "ok" : "broken",
                                   count: list.rows.count, problem: o.problem))
            rows += list.rows.map { r in
                var tagged = r
                tagged.office = o.office
                tagged.officeName = o.name
                return tagged
            }
            counts.merge(list.countsByStatus, uniquingKeysWith: +)
            for m in list.byMonth { months[m.month, default: [:]].merge(m.counts, uniquingKeysWith: +) }
        }
        return CityPendingList(asOf: today.iso, offices: summaries, rows: rows, countsByStatus: counts,
                               byMonth: months.keys.sorted().map { PendingList.MonthCount(month: $0, counts: months[$0]!) })
    }
}

extension AccessEvent {
    /// The city's list read (R-SG-4, the city supervisor's own log): each row as `office/case`, since
    /// case numbers repeat from office to office.
    public static func cityPendingList(_ kind: Kind, via: String, _ list: CityPendingList, filter: PendingFilter,
                                       only: Set<String>?, file: String? = nil) -> AccessEvent {
        let summary = filter.accessSummary
        let offices = only.map { " 事務所=" + $0.sorted().joined(separator: ",") } ?? ""
        return AccessEvent(kind, via: via, cases: list.rows.map { "\($0.office ?? "")/\($0.number)" }, count: list.rows.count,
                           filter: "市の未完了の一覧" + (summary.isEmpty ? "" : " " + summary) + offices, file: file)
    }
}

extension CityOfficeCases {
    /// One office's journal — its exact lines, each ending in `\n`, as its database rows hold them —
    /// verified as a start verifies it (hash chain, layout, seq, roles, and every signature from the
    /// last checkpoint on, `JournalLedger`), checked to be this office's production journal (R-SG-5),
    /// and folded into its cases. Anything wrong makes the office broken, naming the line; nothing
    /// of a broken office is listed. `journalName` is what messages call the journal.
    public static func verifyAndFold(office: String, name: String, journalName: String, bytes: [UInt8]) -> CityOfficeCases {
        do {
            var ledger = JournalLedger(name: journalName)
            let records = try ledger.verify(bytes, signatures: .afterLastCheckpoint)
            if !records.isEmpty {
                guard let opened = ledger.trust.office else {
                    return CityOfficeCases(office: office, name: name, cases: [], problem: CityOfficeProblem(
                        line: nil, reason: "記録がまだ署名されていません（査察指導員が madoguchi keys open-office で記録を開始するまで、事務所でも読めません）"))
                }
                guard opened.publicPayerNumber == office, opened.mode == OfficeConfig.Mode.production.rawValue else {
                    return CityOfficeCases(office: office, name: name, cases: [], problem: CityOfficeProblem(
                        line: ledger.trust.signedFrom,
                        reason: "記録の開始の行が別の事務所か研修のもの（\(opened.name)、公費負担者番号 \(opened.publicPayerNumber)、\(opened.modeLabel)）です（R-SG-5）"))
                }
            }
            let book = try CaseBook(folding: records)
            return CityOfficeCases(office: office, name: name, cases: book.all)
        } catch let e as JournalError {
            switch e {
            case .badLine(_, let line, let reason), .untrusted(_, let line, let reason), .tornTail(_, let line, let reason):
                return CityOfficeCases(office: office, name: name, cases: [], problem: CityOfficeProblem(line: line, reason: reason))
            default:
                return CityOfficeCases(office: office, name: name, cases: [], problem: CityOfficeProblem(line: nil, reason: e.description))
            }
        } catch let e as CaseError {
            if case .inconsistentJournal(let line, let message) = e {
                return CityOfficeCases(office: office, name: name, cases: [], problem: CityOfficeProblem(line: line, reason: message))
            }
            return CityOfficeCases(office: office, name: name, cases: [], problem: CityOfficeProblem(line: nil, reason: e.description))
        } catch {
            return CityOfficeCases(office: office, name: name, cases: [], problem: CityOfficeProblem(line: nil, reason: UserFacing.detail(for: error)))
        }
    }
}

extension CaseBook {
    /// The cases folded from a whole journal's records, in order.
    public init(folding records: [JournalRecord]) throws {
        self.init()
        reserve(for: records)
        for r in records { try apply(r) }
        endFold()
    }
}
