#if PostgreSQL
import Foundation
import MadoguchiCore
import MadoguchiPostgres
import Testing

/// Issue 15 item 5: the city's view of every office's pending list, against a real server (the
/// cluster of .ci/postgres.sh). Two signed offices whose clerks write cases through
/// PostgresJournalStore; a city role reads both, a clerk's role only their own office (RLS); an
/// office changed behind the engine's back is shown broken with its line while the other is listed;
/// the city role cannot write.
@Suite("City view: every office's pending list, read-only, each office verified on its own", .serialized, .tags(.unit, .store))
struct CityViewTests {
    /// An office of the contract harness with `count` cases received by yamada through the store.
    static func office(cases count: Int, namePrefix: String) throws -> PostgresOffice {
        let office = try PostgresOffice()
        let terminal = try office.terminal(as: "yamada")
        let store = CaseStore(journal: terminal.store)
        try store.load()
        for i in 0..<count {
            _ = try store.receive(application(name: "\(namePrefix) \(i + 1)"), ticketsIssuedNow: [], operatorID: "yamada", now: office.now)
        }
        return office
    }

    static func application(name: String) -> Application {
        let body = "12345\(Int.random(in: 0...9))"
        return Application(
            applicant: .init(furigana: "テスト タロウ", name: name, birthDate: LocalDate(year: 1950, month: 4, day: 1),
                             postalCode: "1000013", prefecture: "東京都", municipality: "千代田区", address: "霞が関1-2-2",
                             phone: "03-1234-5678", email: ""),
            recipientNumber: body + String(CheckDigit.compute(body)!), serverIndividualNumber: nil, proxy: nil,
            requestTicked: true, signedFormReceived: true, reason: "本人の希望", applicationDate: LocalDate(year: 2026, month: 11, day: 20)!,
            branch: .assistanceOnly, insurance: nil, holdsValidTickets: false, explained: ["a"], transferredFrom: nil)
    }

    static let today = LocalDate(year: 2026, month: 11, day: 30)!

    @Test("a city role lists both offices' cases, office by office, with their names",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func cityListsEveryOffice() throws {
        let a = try Self.office(cases: 2, namePrefix: "甲")
        defer { a.close() }
        let b = try Self.office(cases: 1, namePrefix: "乙")
        defer { b.close() }
        let city = try a.fixture.staff("city", office: nil, operatorID: "kimura", kind: .city)
        let view = try CityView.read(city.link, label: "PostgreSQL")
        #expect(view.viewer.isCity)
        let mine = view.offices.filter { [a.code, b.code].contains($0.office) }
        #expect(mine.map(\.office) == [a.code, b.code].sorted())
        #expect(mine.allSatisfy { $0.problem == nil })
        #expect(mine.first { $0.office == a.code }?.cases.count == 2)
        #expect(mine.first { $0.office == b.code }?.cases.count == 1)

        let list = Pending.cityList(view.offices, today: Self.today, only: [a.code, b.code])
        #expect(list.rows.count == 3)
        #expect(list.offices.map(\.office) == [a.code, b.code].sorted())
        #expect(list.rows.map(\.office) == ([a.code, a.code, b.code].sorted()))
        #expect(list.rows.first { $0.office == a.code }?.officeName == "契約テスト事務所 \(a.code)")
        #expect(Set(list.rows.map(\.name)) == ["甲 1", "甲 2", "乙 1"])
        // Asked for one office: only its rows are read.
        let one = try CityView.read(city.link, label: "PostgreSQL", only: [b.code])
        #expect(one.offices.map(\.office) == [b.code] && one.offices[0].cases.count == 1)
        // The single office's own list is unchanged: no office in its rows, nor in its JSON.
        let own = Pending.list(cases: mine[0].cases, today: Self.today)
        #expect(own.rows.allSatisfy { $0.office == nil && $0.officeName == nil })
        let json = String(decoding: try JSONEncoder().encode(own), as: UTF8.self)
        #expect(!json.contains("office"))
    }

    @Test("a clerk's role, through the same code, sees only their own office (RLS)",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func clerkSeesOnlyOwnOffice() throws {
        let a = try Self.office(cases: 1, namePrefix: "甲")
        defer { a.close() }
        let b = try Self.office(cases: 1, namePrefix: "乙")
        defer { b.close() }
        let clerk = try a.fixture.link(as: "mdgt_\(a.fixture.tag)_yamada")
        let view = try CityView.read(clerk, label: "PostgreSQL")
        #expect(!view.viewer.isCity && view.viewer.office == a.code)
        #expect(view.offices.map(\.office) == [a.code])
        #expect(view.offices.first?.cases.count == 1 && view.offices.first?.problem == nil)
        // Not even a row of B through a query of its own.
        let rows = try clerk.query("SELECT count(*)::int8 FROM madoguchi.journal WHERE office = $1", [.text(b.code)])
        #expect(rows.first?.first?.int == 0)
    }

    @Test("an office changed behind the engine's back is shown broken with its line; the other is still listed",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func tamperedOfficeShownBroken() throws {
        let a = try Self.office(cases: 2, namePrefix: "甲")
        defer { a.close() }
        let b = try Self.office(cases: 2, namePrefix: "乙")
        defer { b.close() }
        // B's first case line (after the opening and two enrolments), rewritten by a superuser with the
        // triggers off: the name changed, the hash left as it was.
        let line = b.base + 1
        try b.rewrite(line: line) { $0.replacingOccurrences(of: "乙 1", with: "丙 1") }
        let city = try a.fixture.staff("city", office: nil, operatorID: "kimura", kind: .city)
        let view = try CityView.read(city.link, label: "PostgreSQL")
        let broken = try #require(view.offices.first { $0.office == b.code })
        #expect(broken.cases.isEmpty)
        #expect(broken.problem?.line == line)
        #expect(broken.name == "契約テスト事務所 \(b.code)")
        let fine = try #require(view.offices.first { $0.office == a.code })
        #expect(fine.problem == nil && fine.cases.count == 2)

        let list = Pending.cityList(view.offices, today: Self.today, only: [a.code, b.code])
        #expect(list.offices.map(\.state) == (a.code < b.code ? ["ok", "broken"] : ["broken", "ok"]))
        #expect(list.brokenOffices.map(\.office) == [b.code])
        #expect(list.rows.allSatisfy { $0.office == a.code } && list.rows.count == 2)
    }

    @Test("the city role cannot write a row: the engine refuses",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func cityCannotInsert() throws {
        let a = try Self.office(cases: 1, namePrefix: "甲")
        defer { a.close() }
        let city = try a.fixture.staff("city", office: nil, operatorID: "kimura", kind: .city)
        let last = try city.link.query("SELECT max(seq)::int8 FROM madoguchi.journal WHERE office = $1", [.text(a.code)]).first?.first?.int ?? 0
        #expect(last > 0, "the city reads the office's rows")
        let error = linkError {
            try city.link.query("INSERT INTO madoguchi.journal (office, seq, operator_id, line) VALUES ($1, $2, $3, $4)",
                                [.text(a.code), .int(last + 1), .text("kimura"), .text(testLine(seq: last + 1, operatorID: "kimura"))])
        }
        #expect(error?.sqlState == Migrations.sqlStateNotAllowed, "\(String(describing: error))")
        let after = try city.link.query("SELECT max(seq)::int8 FROM madoguchi.journal WHERE office = $1", [.text(a.code)]).first?.first?.int
        #expect(after == last)
    }
}
#endif
