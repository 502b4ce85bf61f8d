import Testing
@testable import MadoguchiCore

private func valDay(_ y: Int, _ m: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: m, day: d)! }

private func valParsed(_ s: String, _ era: Era? = nil) -> LocalDate? {
    try? Wareki.parseDate(s, defaultEra: era).get()
}

private func valRefusal(_ s: String, _ era: Era? = nil) -> String? {
    if case .failure(let e) = Wareki.parseDate(s, defaultEra: era) { return e.message }
    return nil
}

private func valParsedMonth(_ s: String, defaultEra: Era? = nil) -> YearMonth? {
    try? Wareki.parseMonth(s, defaultEra: defaultEra).get()
}

private func valMonthRefusal(_ s: String, _ era: Era? = nil) -> String? {
    if case .failure(let e) = Wareki.parseMonth(s, defaultEra: era) { return e.message }
    return nil
}

@Suite("Validation: 和暦 dates (R-ID-5)", .tags(.unit))
struct ValidationWarekiTests {

    // MARK: Era table

    @Test("R-ID-5 era boundaries, letters and names")
    func eraTable() {
        #expect(Era.taisho.firstDay == valDay(1912, 7, 30))
        #expect(Era.taisho.lastDay == valDay(1926, 12, 24))
        #expect(Era.showa.firstDay == valDay(1926, 12, 25))
        #expect(Era.showa.lastDay == valDay(1989, 1, 7))
        #expect(Era.heisei.firstDay == valDay(1989, 1, 8))
        #expect(Era.heisei.lastDay == valDay(2019, 4, 30))
        #expect(Era.reiwa.firstDay == valDay(2019, 5, 1))
        #expect(Era.reiwa.lastDay == nil)
        #expect(Era.allCases.map(\.letter) == ["T", "S", "H", "R"])
        #expect(Era.allCases.map(\.rawValue) == ["大正", "昭和", "平成", "令和"])
        #expect(Era(letter: "h") == .heisei)
        #expect(Era(letter: "M") == nil)
        // Consecutive eras touch: each starts the valDay after the previous ends.
        for (a, b) in zip(Era.allCases, Era.allCases.dropFirst()) {
            #expect(a.lastDay!.addingDays(1) == b.firstDay)
        }
    }

    @Test("R-ID-5 era(of:) on both sides of every boundary")
    func eraOfBoundaries() {
        #expect(Wareki.era(of: valDay(1912, 7, 29)) == nil)
        #expect(Wareki.era(of: valDay(1912, 7, 30)) == .taisho)
        #expect(Wareki.era(of: valDay(1926, 12, 24)) == .taisho)
        #expect(Wareki.era(of: valDay(1926, 12, 25)) == .showa)
        #expect(Wareki.era(of: valDay(1989, 1, 7)) == .showa)
        #expect(Wareki.era(of: valDay(1989, 1, 8)) == .heisei)
        #expect(Wareki.era(of: valDay(2019, 4, 30)) == .heisei)
        #expect(Wareki.era(of: valDay(2019, 5, 1)) == .reiwa)
        #expect(Wareki.era(of: valDay(2026, 11, 24)) == .reiwa)
    }

    // MARK: Boundaries in parsing

    @Test("R-ID-5 昭和64年1月7日 accepted, 昭和64年1月8日 refused")
    func showaEnd() {
        #expect(valParsed("昭和64年1月7日") == valDay(1989, 1, 7))
        #expect(valParsed("S64.1.7") == valDay(1989, 1, 7))
        let m = valRefusal("昭和64年1月8日")
        #expect(m?.contains("昭和64年1月8日は存在しません") == true)
        #expect(m?.contains("昭和は64年1月7日まで（1989年1月7日）") == true)
        #expect(valRefusal("S64.1.8") != nil)
    }

    @Test("R-ID-5 平成元年1月8日 accepted, 平成元年1月7日 refused")
    func heiseiStart() {
        #expect(valParsed("平成元年1月8日") == valDay(1989, 1, 8))
        #expect(valParsed("H1.1.8") == valDay(1989, 1, 8))
        let m = valRefusal("平成元年1月7日")
        #expect(m?.contains("平成は元年1月8日から（1989年1月8日）") == true)
    }

    @Test("R-ID-5 平成31年4月30日 accepted, 平成31年5月1日 refused saying until when")
    func heiseiEnd() {
        #expect(valParsed("平成31年4月30日") == valDay(2019, 4, 30))
        #expect(valParsed("H31.4.30") == valDay(2019, 4, 30))
        let m = valRefusal("平成31年5月1日")
        #expect(m?.contains("平成31年5月1日は存在しません") == true)
        #expect(m?.contains("平成は31年4月30日まで（2019年4月30日）") == true)
        #expect(valRefusal("H31.5.1")?.contains("平成は31年4月30日まで（2019年4月30日）") == true)
        #expect(valRefusal("平成32年1月1日") != nil)
    }

    @Test("R-ID-5 令和元年5月1日 accepted, 令和元年4月30日 refused")
    func reiwaStart() {
        #expect(valParsed("令和元年5月1日") == valDay(2019, 5, 1))
        #expect(valParsed("R1.5.1") == valDay(2019, 5, 1))
        #expect(valParsed("R元.5.1") == valDay(2019, 5, 1))
        #expect(valRefusal("令和元年4月30日")?.contains("令和は元年5月1日から（2019年5月1日）") == true)
    }

    @Test("R-ID-5 大正: 元年7月30日 accepted, 元年7月29日 refused; 15年12月24日 last, 25日 refused; 昭和元年12月25日 first")
    func taisho() {
        #expect(valParsed("大正元年7月30日") == valDay(1912, 7, 30))
        #expect(valRefusal("大正元年7月29日")?.contains("大正は元年7月30日から（1912年7月30日）") == true)
        #expect(valParsed("T15.12.24") == valDay(1926, 12, 24))
        #expect(valRefusal("T15.12.25")?.contains("大正は15年12月24日まで（1926年12月24日）") == true)
        #expect(valParsed("昭和元年12月25日") == valDay(1926, 12, 25))
        #expect(valRefusal("昭和元年12月24日") != nil)
    }

    @Test("R-ID-5 元年 equals year 1")
    func gannen() {
        #expect(valParsed("令和元年6月1日") == valParsed("令和1年6月1日"))
        #expect(valParsed("平成元年2月1日") == valDay(1989, 2, 1))
        #expect(valParsed("元年6月1日", .reiwa) == valDay(2019, 6, 1))
        #expect(valParsed("元.6.1", .reiwa) == valDay(2019, 6, 1))
    }

    @Test("R-ID-5 平成0年 and 令和0年 refused")
    func yearZero() {
        #expect(valRefusal("平成0年5月1日")?.contains("平成0年はありません") == true)
        #expect(valRefusal("R0.5.1")?.contains("令和0年はありません") == true)
    }

    // MARK: Impossible days

    @Test("R-ID-5 leap day: 令和2年2月29日 accepted, 令和3年2月29日 refused")
    func leapDay() {
        #expect(valParsed("令和2年2月29日") == valDay(2020, 2, 29))
        let m = valRefusal("令和3年2月29日")
        #expect(m?.contains("令和3年2月29日はありません") == true)
        #expect(m?.contains("2月は28日まで") == true)
        #expect(valParsed("2000-02-29") == valDay(2000, 2, 29))
        #expect(valRefusal("1900-02-29") != nil)
        #expect(valParsed("平成12年2月29日") == valDay(2000, 2, 29))
    }

    @Test("R-ID-5 2月30日, 4月31日, 13月, 0月, 0日 refused with the reason")
    func impossibleDays() {
        #expect(valRefusal("令和8年2月30日")?.contains("2月は28日まで") == true)
        #expect(valRefusal("R8.4.31")?.contains("4月は30日まで") == true)
        #expect(valRefusal("令和8年13月1日")?.contains("13月はありません") == true)
        #expect(valRefusal("R8.0.1")?.contains("0月はありません") == true)
        #expect(valRefusal("R8.1.0") != nil)
        #expect(valRefusal("2026-02-30")?.contains("2026年2月30日はありません") == true)
    }

    // MARK: Input forms

    @Test("R-ID-5 every accepted input form gives 2026-11-23")
    func inputForms() {
        let expected = valDay(2026, 11, 23)
        let forms = [
            "令和8年11月23日", "R8.11.23", "r8/11/23", "R08.11.23", "R8-11-23", "令和8年11月23",
            "令和 8年 11月 23日", "㋿8.11.23", "令和08年11月23日",
            "2026-11-23", "2026/11/23", "2026.11.23", "2026年11月23日",
            // full width digits, letters, punctuation
            "令和８年１１月２３日", "Ｒ８．１１．２３", "ｒ８／１１／２３", "２０２６－１１－２３", "２０２６年１１月２３日",
            // hyphen-like characters and surrounding spaces
            "2026−11−23", "  R8.11.23　",
        ]
        for f in forms {
            #expect(valParsed(f) == expected, "\(f)")
        }
        #expect(valParsed("2026-1-5") == valDay(2026, 1, 5))
    }

    @Test("R-ID-5 a date without era needs ctx.defaultEra, else says to add the era")
    func defaultEra() {
        #expect(valParsed("8.11.23", .reiwa) == valDay(2026, 11, 23))
        #expect(valParsed("8年11月23日", .reiwa) == valDay(2026, 11, 23))
        #expect(valParsed("８．１１．２３", .reiwa) == valDay(2026, 11, 23))
        #expect(valParsed("63.5.1", .showa) == valDay(1988, 5, 1))
        #expect(valRefusal("8.11.23")?.contains("元号を付けてください") == true)
        #expect(valRefusal("8年11月23日")?.contains("元号を付けてください") == true)
        // An explicit era wins over the default.
        #expect(valParsed("H8.11.23", .reiwa) == valDay(1996, 11, 23))
        // A 4-digit year is Western even with a default era.
        #expect(valParsed("2026.11.23", .heisei) == valDay(2026, 11, 23))
    }

    @Test("R-ID-5 unknown era letters and 明治 refused")
    func unknownEra() {
        #expect(valRefusal("M45.7.29")?.contains("「M」という元号はありません") == true)
        #expect(valRefusal("X8.11.23")?.contains("「X」という元号はありません") == true)
        #expect(valRefusal("Ｑ８．１１．２３")?.contains("「Q」という元号はありません") == true)
        #expect(valRefusal("明治45年7月29日")?.contains("明治") == true)
    }

    @Test("R-ID-5 shapes that cannot be read are refused")
    func badShapes() {
        for s in ["", "令和", "R8", "R8.11", "R8.11.23.1", "R8.11/23", "令和8年11.23", "R8..23", "2026-11",
                  "令和8年11月23日月曜", "123.11.23", "令和100年1月1日", "R8年", "20261123", "元8.1.1", "8元.1.1"] {
            #expect(valRefusal(s, .reiwa) != nil, "\(s)")
        }
        #expect(valRefusal("令和8年11月23日(月)")?.contains("「(」は日付に使えません") == true)
    }

    // MARK: Months

    @Test("R-ID-5 months: 令和8年12月, R8.12, 8年12月 with default era, 2026-12, 2026/12")
    func months() {
        let dec = YearMonth(year: 2026, month: 12)!
        for s in ["令和8年12月", "R8.12", "r8/12", "R08-12", "２０２６－１２", "2026-12", "2026/12", "2026年12月", "Ｒ８．１２"] {
            #expect(valParsedMonth(s) == dec, "\(s)")
        }
        #expect(valParsedMonth("8年12月", defaultEra: .reiwa) == dec)
        #expect(valParsedMonth("8.12", defaultEra: .reiwa) == dec)
        #expect(valMonthRefusal("8年12月")?.contains("元号を付けてください") == true)
        #expect(valMonthRefusal("令和8年13月")?.contains("13月はありません") == true)
        #expect(valMonthRefusal("R8.12.1") != nil)
    }

    @Test("R-ID-5 months at era boundaries: a month is valid if the era was in force on some valDay of it")
    func monthBoundaries() {
        #expect(valParsedMonth("平成31年4月") == YearMonth(year: 2019, month: 4))
        #expect(valParsedMonth("令和元年5月") == YearMonth(year: 2019, month: 5))
        #expect(valParsedMonth("昭和64年1月") == YearMonth(year: 1989, month: 1))
        #expect(valParsedMonth("平成元年1月") == YearMonth(year: 1989, month: 1))
        #expect(valMonthRefusal("平成31年5月")?.contains("平成は31年4月30日まで（2019年4月30日）") == true)
        #expect(valMonthRefusal("令和元年4月")?.contains("令和は元年5月1日から（2019年5月1日）") == true)
        #expect(valMonthRefusal("昭和64年2月") != nil)
        #expect(valMonthRefusal("平成0年1月") != nil)
    }

    // MARK: Formatting

    @Test("R-ID-5 format: 令和8年11月24日, 令和元年5月1日, R8.11.24, months")
    func formatting() {
        #expect(Wareki.format(valDay(2026, 11, 24)) == "令和8年11月24日")
        #expect(Wareki.format(valDay(2019, 5, 1)) == "令和元年5月1日")
        #expect(Wareki.format(valDay(2019, 4, 30)) == "平成31年4月30日")
        #expect(Wareki.format(valDay(1989, 1, 7)) == "昭和64年1月7日")
        #expect(Wareki.format(valDay(1989, 1, 8)) == "平成元年1月8日")
        #expect(Wareki.format(valDay(1912, 7, 30)) == "大正元年7月30日")
        #expect(Wareki.format(valDay(1905, 3, 1)) == "1905年3月1日")
        #expect(Wareki.formatShort(valDay(2026, 11, 24)) == "R8.11.24")
        #expect(Wareki.formatShort(valDay(2019, 5, 1)) == "R1.5.1")
        #expect(Wareki.formatShort(valDay(1989, 1, 7)) == "S64.1.7")
        #expect(Wareki.format(YearMonth(year: 2026, month: 12)!) == "令和8年12月")
        #expect(Wareki.format(YearMonth(year: 2019, month: 5)!) == "令和元年5月")
        #expect(Wareki.format(YearMonth(year: 2019, month: 4)!) == "平成31年4月")
        #expect(Wareki.format(YearMonth(year: 1989, month: 1)!) == "昭和64年1月")
        #expect(Wareki.format(YearMonth(year: 1912, month: 7)!) == "大正元年7月")
        #expect(Wareki.format(YearMonth(year: 1900, month: 1)!) == "1900年1月")
    }

    @Test("R-ID-5 format and formatShort round-trip every valDay from 1912-07-30 to 2040-12-31")
    func roundTripEveryDay() {
        let start = valDay(1912, 7, 30).dayNumber, end = valDay(2040, 12, 31).dayNumber
        var failures: [String] = []
        for n in start...end {
            let d = LocalDate(dayNumber: n)
            let long = Wareki.format(d), short = Wareki.formatShort(d)
            if valParsed(long) != d { failures.append(long) }
            if valParsed(short) != d { failures.append(short) }
            if n % 97 == 0, valParsed(d.iso) != d { failures.append(d.iso) }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
    }

    @Test("R-ID-5 month format round-trips every month from 1912-07 to 2040-12")
    func roundTripEveryMonth() {
        var m = YearMonth(year: 1912, month: 7)!
        while m <= YearMonth(year: 2040, month: 12)! {
            #expect(valParsedMonth(Wareki.format(m)) == m, "\(Wareki.format(m))")
            m = m.adding(months: 1)
        }
    }
}
