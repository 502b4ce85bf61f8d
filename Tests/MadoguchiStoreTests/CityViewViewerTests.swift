#if PostgreSQL
import Foundation
import MadoguchiCore
import MadoguchiPostgres
import Testing

/// The city view's viewer (issue 16 review): its kind read as a staff kind, handed to `read` when the
/// caller already asked, and an office code that is not 8 digits refused before any query (it was
/// silently dropped, so a list could look complete without that office).
@Suite("City view: the viewer's kind, a given viewer, codes of 8 digits", .serialized, .tags(.unit, .store))
struct CityViewViewerTests {
    @Test("viewer(_:) reads the staff kind; read(viewer:) keeps it; a code not of 8 digits is refused",
          .enabled(if: PG.ready || PG.inCI, PG.skipReason))
    func viewerAndCodes() throws {
        let a = try CityViewTests.office(cases: 1, namePrefix: "丙")
        defer { a.close() }
        let city = try a.fixture.staff("city", office: nil, operatorID: "kimura", kind: .city)
        let viewer = try CityView.viewer(city.link)
        #expect(viewer.kind == .city && viewer.office == nil && viewer.isCity)
        let view = try CityView.read(city.link, label: "PostgreSQL", only: [a.code], viewer: viewer)
        #expect(view.viewer == viewer)
        #expect(view.offices.map(\.office) == [a.code])
        #expect(view.offices.first?.cases.count == 1)

        for bad in ["1213001", "１２１３００１９", "12130019 "] {
            let e = #expect(throws: PostgresLinkError.self) { try CityView.read(city.link, label: "PostgreSQL", only: [a.code, bad]) }
            #expect(e?.description == "事務所の番号 \"\(bad)\" は 8 桁の数字ではありません", "\(String(describing: e))")
        }
    }
}
#endif
