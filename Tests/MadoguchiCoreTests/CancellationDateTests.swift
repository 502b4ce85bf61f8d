import Testing
@testable import MadoguchiCore

/// `2026-01-31` → LocalDate (the test fails loudly on a typo in the table).
private func cdDate(_ iso: String) -> LocalDate {
    guard let d = LocalDate(iso: iso) else { fatalError("bad test date \(iso)") }
    return d
}

@Suite("CancellationDate (R-DT-1, R-DT-3)", .tags(.unit))
struct CancellationDateTests {

    // MARK: R-DT-1 examples of DOMAIN.md

    @Test("R-DT-1 registered 2026-01-31 → 2026-02-28")
    func januaryEndToFebruaryEnd() {
        #expect(CancellationDate.expected(registeredOn: cdDate("2026-01-31")) == cdDate("2026-02-28"))
    }

    @Test("R-DT-1 registered 2024-01-15 → 2024-02-29 (leap year)")
    func leapFebruary() {
        #expect(CancellationDate.expected(registeredOn: cdDate("2024-01-15")) == cdDate("2024-02-29"))
    }

    @Test("R-DT-1 registered 2026-12-10 → 2027-01-31 (across the year end)")
    func acrossYearEnd() {
        #expect(CancellationDate.expected(registeredOn: cdDate("2026-12-10")) == cdDate("2027-01-31"))
    }

    @Test("R-DT-1 the registration date counts: accepted 2026-11-30 → 2026-12-31, registered 2026-12-01 → 2027-01-31")
    func registrationDateCounts() {
        #expect(CancellationDate.expected(registeredOn: cdDate("2026-11-30")) == cdDate("2026-12-31"))
        #expect(CancellationDate.expected(registeredOn: cdDate("2026-12-01")) == cdDate("2027-01-31"))
    }

    // MARK: Leap years and month ends

    @Test("R-DT-1 2100 is not a leap year: registered 2100-01-15 → 2100-02-28")
    func year2100() {
        #expect(CancellationDate.expected(registeredOn: cdDate("2100-01-15")) == cdDate("2100-02-28"))
    }

    @Test("R-DT-1 2000 is a leap year: registered 2000-01-15 → 2000-02-29")
    func year2000() {
        #expect(CancellationDate.expected(registeredOn: cdDate("2000-01-15")) == cdDate("2000-02-29"))
    }

    @Test("R-DT-1 year end: registered 2026-12-31 → 2027-01-31; 2026-11-01 → 2026-12-31")
    func yearEnds() {
        #expect(CancellationDate.expected(registeredOn: cdDate("2026-12-31")) == cdDate("2027-01-31"))
        #expect(CancellationDate.expected(registeredOn: cdDate("2026-11-01")) == cdDate("2026-12-31"))
        #expect(CancellationDate.expected(registeredOn: cdDate("2027-01-01")) == cdDate("2027-02-28"))
    }

    @Test("R-DT-1 every day of a month gives the same date (the last day of the next month)",
          arguments: [(2026, 1, "2026-02-28"), (2026, 2, "2026-03-31"), (2026, 3, "2026-04-30"),
                      (2028, 1, "2028-02-29"), (2026, 8, "2026-09-30"), (2026, 9, "2026-10-31")])
    func wholeMonth(year: Int, month: Int, expected: String) {
        let days = LocalDate.daysIn(month: month, year: year)
        for day in 1...days {
            let d = LocalDate(year: year, month: month, day: day)!
            #expect(CancellationDate.expected(registeredOn: d) == cdDate(expected), "\(d)")
        }
    }

    // MARK: What the clerk explains (R-IN-4 c)

    @Test("R-DT-1 explanation for assistance-only names today and the expected date in 和暦")
    func explanationAssistanceOnly() {
        let text = CancellationDate.explanation(for: .assistanceOnly, today: cdDate("2026-11-24"))
        #expect(text.contains("令和8年11月24日"))
        #expect(text.contains("令和8年12月31日"))
        #expect(text.contains("翌月末"))
        #expect(text.contains("R-DT-1"))
        #expect(!text.contains("未定"))
    }

    @Test("R-DT-1 explanation follows the date across the year end (2026-12-10 → 令和9年1月31日)")
    func explanationAcrossYearEnd() {
        let text = CancellationDate.explanation(for: .assistanceOnly, today: cdDate("2026-12-10"))
        #expect(text.contains("令和8年12月10日"))
        #expect(text.contains("令和9年1月31日"))
    }

    @Test("R-DT-3 explanation for insured says the date is 未定 until the monthly file confirms it")
    func explanationInsured() {
        let text = CancellationDate.explanation(for: .insured, today: cdDate("2026-11-24"))
        #expect(text.contains("未定"))
        #expect(text.contains("保険者"))
        #expect(text.contains("R-DT-3"))
        // The office does not know the insurer's registration date: no concrete date is promised.
        #expect(!text.contains("令和8年12月31日"))
        #expect(!text.contains("R-DT-1"))
    }

    @Test("R-DT-1 R-BR-1 explanation before the branch is chosen asks for the branch")
    func explanationNoBranch() {
        let text = CancellationDate.explanation(for: nil, today: cdDate("2026-11-24"))
        #expect(text.contains("R-BR-1"))
        #expect(!text.contains("令和8年12月31日"))
        #expect(!text.contains("未定"))
    }
}
