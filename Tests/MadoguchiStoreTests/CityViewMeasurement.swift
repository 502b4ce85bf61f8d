#if PostgreSQL
import Foundation
import MadoguchiBench
import MadoguchiCore
import MadoguchiPostgres
import Testing

/// Issue 15 items 5 and 9: the city's list over many signed offices, measured against the test
/// cluster. Not a timed assertion: it prints what it measured and checks only that every office was
/// read, verified and folded whole. Run on demand (it writes tens of thousands of rows per office):
///   MADOGUCHI_MEASURE_CITY=1 swift test --traits PostgreSQL --filter CityViewMeasurement
/// MADOGUCHI_MEASURE_CITY_OFFICES (20), _CASES (5000) and _EVENTS (events per office, 8 a case)
/// change the size.
@Suite("City view measurement", .tags(.stress), .serialized)
struct CityViewMeasurement {
    static let env = ProcessInfo.processInfo.environment
    static let wanted = env["MADOGUCHI_MEASURE_CITY"] == "1"

    @Test("every office of a city read, verified and folded; time and peak memory printed",
          .enabled(if: wanted && (PG.ready || PG.inCI),
                   "測定は MADOGUCHI_MEASURE_CITY=1 と .ci/postgres.sh のクラスタがあるときだけ行います（事務所ごとに数万行を書き込むため）"))
    func measure() throws {
        let offices = Int(Self.env["MADOGUCHI_MEASURE_CITY_OFFICES"] ?? "") ?? 20
        let cases = Int(Self.env["MADOGUCHI_MEASURE_CITY_CASES"] ?? "") ?? 5_000
        let events = Int(Self.env["MADOGUCHI_MEASURE_CITY_EVENTS"] ?? "") ?? cases * 8
        let fixture = try PGFixture()
        defer { fixture.close() }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-city-measure-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }

        var codes: [String] = []
        var lines = 0
        var bytes = 0
        let generating = ContinuousClock.now
        for i in 0..<offices {
            let code = try fixture.office()
            codes.append(code)
            let office = try SyntheticOffice.generateProduction(
                into: work.appendingPathComponent(code), size: .init(cases: cases, events: events, statusRows: 10),
                seed: UInt64(i + 1), publicPayerNumber: code)
            let text = try String(contentsOf: office.output.journal, encoding: .utf8)
            lines += office.output.lines
            bytes += text.utf8.count
            // As a restore would: the superuser, triggers off, one statement per office.
            try fixture.admin.transaction {
                try fixture.admin.query("SET LOCAL session_replication_role = replica")
                try fixture.admin.query("""
                    INSERT INTO madoguchi.journal (office, seq, operator_id, line)
                    SELECT $1, t.ord, t.l::jsonb ->> 'operator', t.l
                    FROM regexp_split_to_table(rtrim($2, E'\\n'), E'\\n') WITH ORDINALITY AS t(l, ord)
                    """, [.text(code), .text(text)])
            }
            try? FileManager.default.removeItem(at: work.appendingPathComponent(code))
        }
        let generated = ContinuousClock.now - generating

        let city = try fixture.staff("city", office: nil, operatorID: "measure", kind: .city)
        var times: [Duration] = []
        var view: CityView?
        for _ in 0..<3 {
            let start = ContinuousClock.now
            view = try CityView.read(city.link, label: "PostgreSQL")
            times.append(ContinuousClock.now - start)
        }
        let read = try #require(view)
        let mine = read.offices.filter { codes.contains($0.office) }
        #expect(mine.count == offices)
        for o in mine { #expect(o.problem == nil && o.cases.count == cases, "\(o.office): \(o.problem?.text ?? "\(o.cases.count) cases")") }
        let listing = ContinuousClock.now
        let list = Pending.cityList(read.offices, today: LocalDate(year: 2026, month: 11, day: 30)!, only: Set(codes))
        let listed = ContinuousClock.now - listing
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("""
            city view: \(offices) offices × \(cases) cases, \(lines) lines, \(bytes / 1_048_576) MiB of journal text (generated and loaded in \(generated))
              read + verify + fold (one query, offices on \(ProcessInfo.processInfo.activeProcessorCount) cores): \(times.map { "\($0)" }.joined(separator: ", "))
              pending rows \(list.rows.count), listed in \(listed); peak RSS of the test process \(usage.ru_maxrss / 1024) MiB
            """)
    }
}
#endif
