import Foundation

/// The supervisor's pending list (査察指導員の未完了一覧, issue 4): every open case — and, on request,
/// the ended ones — with what is late or held, filterable, sortable, counted by status and month.
public struct PendingFilter: Sendable, Hashable {
    public var statuses: Set<CaseStatus>?
    public var branch: Branch?
    /// The operator who took the application.
    public var clerk: String?
    /// Expected cancellation date passed and not confirmed (R-CF-1).
    public var overdueOnly = false
    /// On hold (R-HC-1, R-HC-2).
    public var heldOnly = false
    /// Month of the application.
    public var month: YearMonth?
    /// Ended cases too (confirmed, cancelled, transferred out, withdrawn).
    public var includeEnded = false

    public init() {}
}

public struct PendingRow: Sendable, Hashable, Encodable {
    public let number: String
    public let name: String
    public let branch: String
    public let branchLabel: String
    public let status: String
    public let statusLabel: String
    public let clerk: String
    public let applicationDate: String
    /// ISO date when known.
    public let expectedCancellation: String?
    public let expectedCancellationLabel: String
    /// For a table cell (R8.12.31, 未定, 登録後).
    public let expectedCancellationShort: String
    public let overdue: Bool
    public let held: Bool
    public let persistentHold: Bool
    public let reminders: [String]
    /// The city's list (issue 15 item 5): the office's code (公費負担者番号) and name; nil — and left
    /// out of the JSON — in one office's own list.
    public var office: String?
    public var officeName: String?
}

public struct PendingList: Sendable, Encodable {
    public struct MonthCount: Sendable, Encodable, Hashable {
        /// `YYYY-MM` of the application.
        public let month: String
        /// Status raw value → number of cases.
        public let counts: [String: Int]
    }

    public let asOf: String
    public let rows: [PendingRow]
    /// Status raw value → number of listed cases.
    public let countsByStatus: [String: Int]
    public let byMonth: [MonthCount]
}

public enum PendingSort: String, Sendable, CaseIterable {
    case number, applicationDate = "application_date", expected, status, clerk
}

public enum Pending {
    /// Expected date passed without confirmation (R-CF-1 "should have been cancelled by now").
    public static func isOverdue(_ c: CaseRecord, today: LocalDate) -> Bool {
        guard c.status.isOpen, case .expected(let d) = CaseLifecycle.expectedCancellation(c) else { return false }
        return d < today
    }

    public static func list(_ book: CaseBook, today: LocalDate, filter: PendingFilter = PendingFilter(),
                            sort: PendingSort = .number, descending: Bool = false) -> PendingList {
        list(cases: book.all, today: today, filter: filter, sort: sort, descending: descending)
    }

    public static func list(cases: [CaseRecord], today: LocalDate, filter: PendingFilter = PendingFilter(),
                            sort: PendingSort = .number, descending: Bool = false) -> PendingList {
        let selected = cases.filter { c in
            if !filter.includeEnded && !c.status.isOpen && filter.statuses == nil { return false }
            if let s = filter.statuses, !s.contains(c.status) { return false }
            if let b = filter.branch, c.application.branch != b { return false }
            if let clerk = filter.clerk, c.receivedBy != clerk { return false }
            if filter.overdueOnly && !isOverdue(c, today: today) { return false }
            if filter.heldOnly && c.status != .held { return false }
            if let m = filter.month, c.application.applicationDate.yearMonth != m { return false }
            return true
        }
        let sorted = selected.sorted { a, b in
            func key(_ c: CaseRecord) -> String {
                switch sort {
                case .number: return c.number
                case .applicationDate: return c.application.applicationDate.iso + c.number
                case .expected:
                    switch CaseLifecycle.expectedCancellation(c) {
                    case .expected(let d), .cancelledOn(let d): return d.iso + c.number
                    default: return "9999" + c.number   // unknown dates last
                    }
                case .status: return String(format: "%02d", CaseStatus.allCases.firstIndex(of: c.status)!) + c.number
                case .clerk: return c.receivedBy + c.number
                }
            }
            return descending ? key(a) > key(b) : key(a) < key(b)
        }
        let rows = sorted.map { c -> PendingRow in
            let expected = CaseLifecycle.expectedCancellation(c)
            var iso: String?
            if case .expected(let d) = expected { iso = d.iso }
            if case .cancelledOn(let d) = expected { iso = d.iso }
            return PendingRow(number: c.number, name: c.application.applicant.name, branch: c.application.branch.rawValue,
                              branchLabel: c.application.branch.label, status: c.status.rawValue, statusLabel: c.status.label,
                              clerk: c.receivedBy, applicationDate: c.application.applicationDate.iso,
                              expectedCancellation: iso, expectedCancellationLabel: expected.label,
                              expectedCancellationShort: expected.shortLabel,
                              overdue: isOverdue(c, today: today), held: c.status == .held,
                              persistentHold: CaseLifecycle.isPersistentHold(c), reminders: c.reminders)
        }
        var counts: [String: Int] = [:]
        var months: [String: [String: Int]] = [:]
        for c in selected {
            counts[c.status.rawValue, default: 0] += 1
            months[c.application.applicationDate.yearMonth.iso, default: [:]][c.status.rawValue, default: 0] += 1
        }
        return PendingList(asOf: today.iso, rows: rows, countsByStatus: counts,
                           byMonth: months.keys.sorted().map { PendingList.MonthCount(month: $0, counts: months[$0]!) })
    }

    /// The list as CSV for Excel: UTF-8 with BOM, or CP932 (R-RG-2's encodings), CRLF, a header row.
    /// The 受付者 column holds what `names` gives for the operator id (the office's names).
    public static func csv(_ list: PendingList, encoding: TextEncoding, names: (String) -> String = { $0 }) throws -> Data {
        try csv(rows: list.rows, officeColumns: false, encoding: encoding, names: names)
    }

    /// The city's list (issue 15 item 5): the same columns after the office's code and name.
    public static func csv(_ list: CityPendingList, encoding: TextEncoding, names: (String) -> String = { $0 }) throws -> Data {
        try csv(rows: list.rows, officeColumns: true, encoding: encoding, names: names)
    }

    static func csv(rows pending: [PendingRow], officeColumns: Bool, encoding: TextEncoding, names: (String) -> String) throws -> Data {
        let header = (officeColumns ? ["事務所番号", "事務所"] : []) + ["案件番号", "氏名", "区分", "状態", "受付者", "申請日", "解除予定日", "予定日超過", "保留", "要対応"]
        let rows = pending.map { r in
            (officeColumns ? [r.office ?? "", r.officeName ?? ""] : [])
            + [r.number, r.name, r.branchLabel, r.statusLabel, names(r.clerk),
               LocalDate(iso: r.applicationDate).map(Wareki.format) ?? r.applicationDate,
               r.expectedCancellationLabel, r.overdue ? "超過" : "", r.persistentHold ? "継続" : (r.held ? "保留" : ""),
               r.reminders.joined(separator: "／")]
        }
        return Data(try CSVWriter.encode(rows, header: header, columnNames: header, encoding: encoding,
                                         lineEnding: .crlf, byteOrderMark: encoding == .utf8, forPeople: true))
    }
}
