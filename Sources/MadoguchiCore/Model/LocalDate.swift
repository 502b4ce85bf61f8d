import Foundation

/// A calendar date without time or zone, as the rules speak of dates (R-ID-5: stored as ISO dates).
///
/// All arithmetic here is proleptic Gregorian and independent of the machine's locale and zone,
/// so the date rules (R-DT-1, R-HC-2) behave the same on every machine and under a training clock.
public struct LocalDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil for an impossible date (2月30日, month 13, …).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` exactly.
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// `2026-11-24`
    public var iso: String {
        // By hand rather than String(format:) (issue 7: reminders and payloads format many dates).
        LocalDate.digits(year, 4) + "-" + LocalDate.digits(month, 2) + "-" + LocalDate.digits(day, 2)
    }

    public var description: String { iso }

    public var yearMonth: YearMonth { YearMonth(year: year, month: month)! }

    /// `n` (0 ≤ n) in decimal, zero-padded to `width` digits, as `%0<width>d`.
    static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The same day n months later, clamped to the month's last day (1月31日 + 1 → 2月28日).
    public func addingMonths(_ n: Int) -> LocalDate {
        let ym = yearMonth.adding(months: n)
        return LocalDate(year: ym.year, month: ym.month, day: min(day, LocalDate.daysIn(month: ym.month, year: ym.year)))!
    }

    /// Days since 1970-01-01 (negative before); for differences and adding days.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func addingDays(_ n: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + n) }

    /// The date of an instant in Japan (Asia/Tokyo, UTC+9, no daylight saving).
    public init(_ instant: Date) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + JapanTime.offsetSeconds
        self.init(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
    }

    // Codable as the ISO string.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = LocalDate(iso: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "日付 \(s) は YYYY-MM-DD ではありません")
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}

/// A month (医療券 are issued per month and institution, R-PT-2).
public struct YearMonth: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    public var iso: String { LocalDate.digits(year, 4) + "-" + LocalDate.digits(month, 2) }
    public var description: String { iso }

    public func adding(months n: Int) -> YearMonth {
        let index = year * 12 + (month - 1) + n
        return YearMonth(year: index / 12, month: index % 12 + 1)!
    }

    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var lastDay: LocalDate { LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))! }

    public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let v = YearMonth(iso: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "年月 \(s) は YYYY-MM ではありません")
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(iso)
    }
}

/// Japan Standard Time. Offices are in Japan; times are written with +09:00 (ARCHITECTURE.md, journal).
public enum JapanTime {
    public static let offsetSeconds = 9 * 3600

    /// `2026-11-24T21:30:05+09:00`
    public static func iso8601(_ instant: Date) -> String {
        let total = Int(instant.timeIntervalSince1970.rounded(.down)) + offsetSeconds
        let days = Int((Double(total) / 86_400).rounded(.down))
        let secs = total - days * 86_400
        let d = LocalDate(dayNumber: days)
        return String(format: "%@T%02d:%02d:%02d+09:00", d.iso, secs / 3600, secs % 3600 / 60, secs % 60)
    }
}
