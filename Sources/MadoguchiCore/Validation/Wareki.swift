/// 元号 era of the Japanese calendar (R-ID-5). The eras a recipient's dates can fall in.
public enum Era: String, CaseIterable, Codable, Sendable {
    case taisho = "大正", showa = "昭和", heisei = "平成", reiwa = "令和"

    /// The era's initial as written in short dates (R8.11.24): T S H R.
    public var letter: Character {
        switch self {
        case .taisho: "T"
        case .showa: "S"
        case .heisei: "H"
        case .reiwa: "R"
        }
    }

    /// R-ID-5 boundaries: 大正 1912-07-30–1926-12-24, 昭和 1926-12-25–1989-01-07,
    /// 平成 1989-01-08–2019-04-30, 令和 2019-05-01–.
    public var firstDay: LocalDate {
        switch self {
        case .taisho: LocalDate(year: 1912, month: 7, day: 30)!
        case .showa: LocalDate(year: 1926, month: 12, day: 25)!
        case .heisei: LocalDate(year: 1989, month: 1, day: 8)!
        case .reiwa: LocalDate(year: 2019, month: 5, day: 1)!
        }
    }

    /// The era's last day; nil for the current era.
    public var lastDay: LocalDate? {
        switch self {
        case .taisho: LocalDate(year: 1926, month: 12, day: 24)!
        case .showa: LocalDate(year: 1989, month: 1, day: 7)!
        case .heisei: LocalDate(year: 2019, month: 4, day: 30)!
        case .reiwa: nil
        }
    }

    /// 令和, 平成, …
    public var name: String { rawValue }

    /// The era of an initial (T S H R, either case).
    public init?(letter: Character) {
        guard let e = Era.allCases.first(where: { String($0.letter) == letter.uppercased() }) else { return nil }
        self = e
    }

    public func contains(_ date: LocalDate) -> Bool {
        date >= firstDay && (lastDay.map { date <= $0 } ?? true)
    }

    /// The era year (1 = 元年) of a Western year, counted from the era's first year.
    public func eraYear(ofWesternYear year: Int) -> Int { year - firstDay.year + 1 }

    /// The Western year of an era year (元年 = 1).
    public func westernYear(ofEraYear year: Int) -> Int { firstDay.year + year - 1 }
}

/// 和暦 dates: parsing what a clerk types and writing dates as people read them (R-ID-5).
///
/// Era arithmetic is done on the boundaries above, not with `Calendar(identifier: .japanese)`.
public enum Wareki {

    // MARK: Formatting

    /// The era in force on that date; nil before 大正 (1912-07-30).
    public static func era(of date: LocalDate) -> Era? {
        Era.allCases.last { $0.contains(date) }
    }

    /// 元 for year 1, else the number.
    static func yearText(_ eraYear: Int) -> String { eraYear == 1 ? "元" : String(eraYear) }

    /// `令和8年11月24日`, `令和元年5月1日`. Before 大正: `1905年3月1日` (Western).
    public static func format(_ date: LocalDate) -> String {
        guard let era = era(of: date) else { return "\(date.year)年\(date.month)月\(date.day)日" }
        return "\(era.rawValue)\(yearText(era.eraYear(ofWesternYear: date.year)))年\(date.month)月\(date.day)日"
    }

    /// `令和8年12月`: the era in force on the month's first day (2019-05 → 令和元年5月, 1989-01 → 昭和64年1月);
    /// if none (1912-07), the era of its last day (大正元年7月); before that Western (`1900年1月`).
    public static func format(_ month: YearMonth) -> String {
        guard let era = era(of: month.firstDay) ?? era(of: month.lastDay) else {
            return "\(month.year)年\(month.month)月"
        }
        return "\(era.rawValue)\(yearText(era.eraYear(ofWesternYear: month.year)))年\(month.month)月"
    }

    /// `R8.11.24` (year 1 is written 1: `R1.5.1`). Before 大正: `1905.3.1`.
    public static func formatShort(_ date: LocalDate) -> String {
        guard let era = era(of: date) else { return "\(date.year).\(date.month).\(date.day)" }
        return "\(era.letter)\(era.eraYear(ofWesternYear: date.year)).\(date.month).\(date.day)"
    }

    /// `R8.11` for a month (a chart's label), the era as `format(_: YearMonth)` chooses it; before
    /// 大正 `1900.1`.
    public static func formatShort(_ month: YearMonth) -> String {
        guard let era = era(of: month.firstDay) ?? era(of: month.lastDay) else { return "\(month.year).\(month.month)" }
        return "\(era.letter)\(era.eraYear(ofWesternYear: month.year)).\(month.month)"
    }

    /// `令和8年11月24日 21:30` for a journal time `2026-11-24T21:30:05+09:00` (the office's own
    /// clock, written in Japan time); the text unchanged if it is not such a time.
    public static func formatTime(_ iso8601: String) -> String {
        guard iso8601.count >= 16, let day = LocalDate(iso: String(iso8601.prefix(10))) else { return iso8601 }
        let i = iso8601.index(iso8601.startIndex, offsetBy: 10)
        guard iso8601[i] == "T" else { return iso8601 }
        let hm = iso8601[iso8601.index(after: i)...].prefix(5)
        guard hm.count == 5, hm[hm.index(hm.startIndex, offsetBy: 2)] == ":" else { return iso8601 }
        return "\(format(day)) \(hm)"
    }

    // MARK: Parsing

    static let dateExample = "例：令和8年11月23日、R8.11.23"
    static let monthExample = "例：令和8年12月、R8.12"

    /// Reads a date typed as 和暦 or Western (R-ID-5):
    /// 令和8年11月23日, 令和元年5月1日, R8.11.23, r8/11/23, R08.11.23, R8-11-23, ㋿8.11.23,
    /// 8.11.23 or 8年11月23日 (only with `defaultEra`), 2026-11-23, 2026/11/23, 2026.11.23,
    /// 2026年11月23日. Full-width digits, letters and punctuation and spaces anywhere are accepted.
    /// Refuses, saying why: an unknown era, 平成0年, 13月, 2月30日, a date outside its era
    /// (昭和64年1月8日, 平成31年5月1日, 大正元年7月29日).
    public static func parseDate(_ input: String, defaultEra: Era? = nil) -> Result<LocalDate, ValueError> {
        let written: Written
        switch read(input, parts: 3, example: dateExample, what: "日付") {
        case .failure(let e): return .failure(e)
        case .success(let w): written = w
        }
        let (era, year): (Era?, Int)
        switch resolveYear(written, defaultEra: defaultEra, example: dateExample) {
        case .failure(let e): return .failure(e)
        case .success(let r): (era, year) = r
        }
        guard let month = number(written.numbers[1], maxDigits: 2),
              let day = number(written.numbers[2], maxDigits: 2) else {
            return .failure(ValueError("日付の形が読み取れません（\(dateExample)）"))
        }
        let writtenYear = era.map { "\($0.rawValue)\(yearText($0.eraYear(ofWesternYear: year)))年" } ?? "\(year)年"
        guard (1...12).contains(month) else {
            return .failure(ValueError("\(month)月はありません（月は1〜12です）"))
        }
        let monthDays = LocalDate.daysIn(month: month, year: year)
        guard (1...monthDays).contains(day), let date = LocalDate(year: year, month: month, day: day) else {
            return .failure(ValueError(
                "\(writtenYear)\(month)月\(day)日はありません（\(writtenYear)の\(month)月は\(monthDays)日まで）"))
        }
        if let era {
            if date < era.firstDay {
                return .failure(ValueError(
                    "\(writtenYear)\(month)月\(day)日は存在しません。\(era.rawValue)は\(startText(era))です"))
            }
            if let last = era.lastDay, date > last {
                return .failure(ValueError(
                    "\(writtenYear)\(month)月\(day)日は存在しません。\(era.rawValue)は\(endText(era, last))です"))
            }
        }
        return .success(date)
    }

    /// Reads a month (医療券 are monthly): 令和8年12月, 令和元年5月, R8.12, r8/12, 8年12月 or 8.12 with
    /// `defaultEra`, 2026-12, 2026/12, 2026年12月. Refuses a month in which the era was not in force
    /// (平成31年5月, 令和元年4月); 平成31年4月 and 昭和64年1月 are accepted.
    public static func parseMonth(_ input: String, defaultEra: Era? = nil) -> Result<YearMonth, ValueError> {
        let written: Written
        switch read(input, parts: 2, example: monthExample, what: "年月") {
        case .failure(let e): return .failure(e)
        case .success(let w): written = w
        }
        let (era, year): (Era?, Int)
        switch resolveYear(written, defaultEra: defaultEra, example: monthExample) {
        case .failure(let e): return .failure(e)
        case .success(let r): (era, year) = r
        }
        guard let month = number(written.numbers[1], maxDigits: 2) else {
            return .failure(ValueError("年月の形が読み取れません（\(monthExample)）"))
        }
        guard (1...12).contains(month), let ym = YearMonth(year: year, month: month) else {
            return .failure(ValueError("\(month)月はありません（月は1〜12です）"))
        }
        if let era {
            let writtenMonth = "\(era.rawValue)\(yearText(era.eraYear(ofWesternYear: year)))年\(month)月"
            if ym.lastDay < era.firstDay {
                return .failure(ValueError("\(writtenMonth)は存在しません。\(era.rawValue)は\(startText(era))です"))
            }
            if let last = era.lastDay, ym.firstDay > last {
                return .failure(ValueError("\(writtenMonth)は存在しません。\(era.rawValue)は\(endText(era, last))です"))
            }
        }
        return .success(ym)
    }

    /// 平成は元年1月8日から（1989年1月8日）
    private static func startText(_ era: Era) -> String {
        let d = era.firstDay
        return "元年\(d.month)月\(d.day)日から（\(d.year)年\(d.month)月\(d.day)日）"
    }

    /// 31年4月30日まで（2019年4月30日）
    private static func endText(_ era: Era, _ last: LocalDate) -> String {
        "\(yearText(era.eraYear(ofWesternYear: last.year)))年\(last.month)月\(last.day)日まで（\(last.year)年\(last.month)月\(last.day)日）"
    }

    /// What was typed, split up: the era if written, then the numbers (`元` or digits).
    private struct Written {
        var era: Era?
        var numbers: [String]
    }

    private static let kanjiEras: [(String, Era)] = Era.allCases.map { ($0.rawValue, $0) }
    /// Squared era ligatures: ㍽ 大正, ㍼ 昭和, ㍻ 平成, ㋿ 令和.
    private static let eraLigatures: [UInt32: Era] = [0x337D: .taisho, 0x337C: .showa, 0x337B: .heisei, 0x32FF: .reiwa]

    private static func read(_ input: String, parts: Int, example: String, what: String) -> Result<Written, ValueError> {
        // Width, hyphens, and no spaces at all.
        let normal = TextNormalizer.asciiHyphens(TextNormalizer.halfWidthASCII(input))
        let s = String(String.UnicodeScalarView(normal.unicodeScalars.filter { !$0.properties.isWhitespace }))
        guard !s.isEmpty else { return .failure(ValueError("\(what)が空です（\(example)）")) }

        var rest = Substring(s)
        var era: Era? = nil
        if let (name, e) = kanjiEras.first(where: { rest.hasPrefix($0.0) }) {
            era = e
            rest = rest.dropFirst(name.count)
        } else if let u = rest.unicodeScalars.first, let e = eraLigatures[u.value] {
            era = e
            rest = rest.dropFirst()
        } else if rest.hasPrefix("明治") || rest.unicodeScalars.first?.value == 0x337E {
            return .failure(ValueError("明治の\(what)は扱えません（大正・昭和・平成・令和で入力してください）"))
        } else if let c = rest.first, c.isASCII, c.isLetter {
            guard let e = Era(letter: c) else {
                return .failure(ValueError(
                    "「\(c)」という元号はありません。R（令和）・H（平成）・S（昭和）・T（大正）のどれかで入力してください（\(example)）"))
            }
            era = e
            rest = rest.dropFirst()
        }

        var numbers: [String] = []
        var separators: [Character] = []
        var current = ""
        let separatorSet: Set<Character> = ["年", "月", "日", ".", "/", "-"]
        let badShape = ValueError("\(what)の形が読み取れません（\(example)）")
        for c in rest {
            if TextNormalizer.isASCIIDigit(c) {
                if current == "元" { return .failure(badShape) }
                current.append(c)
            } else if c == "元" {
                guard current.isEmpty, numbers.isEmpty else { return .failure(badShape) }
                current = "元"
            } else if separatorSet.contains(c) {
                guard !current.isEmpty else { return .failure(badShape) }
                numbers.append(current)
                current = ""
                separators.append(c)
            } else {
                return .failure(ValueError("\(TextNormalizer.quoted(c))は\(what)に使えません（\(example)）"))
            }
        }
        if !current.isEmpty { numbers.append(current) }

        // One style throughout: 年月(日) with kanji, or one punctuation mark between all parts.
        let kanji: [[Character]] = parts == 3 ? [["年", "月"], ["年", "月", "日"]] : [["年", "月"]]
        let punctuated = separators.count == parts - 1 && Set(separators).count == 1
            && ["." as Character, "/", "-"].contains(separators[0])
        guard numbers.count == parts, kanji.contains(separators) || punctuated else { return .failure(badShape) }
        return .success(Written(era: era, numbers: numbers))
    }

    /// The Western year, and the era when one was written or defaulted.
    private static func resolveYear(_ w: Written, defaultEra: Era?, example: String) -> Result<(Era?, Int), ValueError> {
        let y = w.numbers[0]
        let isWestern = w.era == nil && y.count == 4 && y != "元"
        if isWestern {
            guard let year = Int(y), year >= 1 else { return .failure(ValueError("\(y)年はありません")) }
            return .success((nil, year))
        }
        guard let era = w.era ?? defaultEra else {
            if y.count == 3 || y.count > 4 {
                return .failure(ValueError("年の形が読み取れません（\(example)、西暦は4桁）"))
            }
            return .failure(ValueError("元号を付けてください（\(example)）"))
        }
        let eraYear: Int
        if y == "元" {
            eraYear = 1
        } else {
            guard let n = number(y, maxDigits: 2) else {
                return .failure(ValueError("\(era.rawValue)\(y)年は読み取れません。元号の年は2桁までで入力してください（\(example)）"))
            }
            eraYear = n
        }
        guard eraYear >= 1 else {
            return .failure(ValueError("\(era.rawValue)0年はありません（最初の年は元年です）"))
        }
        return .success((era, era.westernYear(ofEraYear: eraYear)))
    }

    private static func number(_ s: String, maxDigits: Int) -> Int? {
        guard s.count <= maxDigits, TextNormalizer.isAllASCIIDigits(s) else { return nil }
        return Int(s)
    }
}
