import Foundation
@testable import MadoguchiBench
import MadoguchiCore
import Testing

/// The benchmark's `[store]` table (issue 16 review): `--postgres-socket-dir` and `--postgres-database`
/// are written as TOML strings, so a quote or a backslash in them reads back as itself rather than
/// breaking the office's config or changing its meaning.
@Suite("Bench: the PostgreSQL [store] table quotes its values", .tags(.unit))
struct BenchStoreTableTests {
    @Test("a socket folder with a quote and a backslash reads back exactly; a database with them reaches the config's own refusal, named as given")
    func quotedValues() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let office = SyntheticOffice.office(dataDirectory: dir, account: "bench")
        func load(_ target: PostgresBenchTarget) throws -> OfficeConfig {
            let text = SyntheticOffice.configText(office, account: "bench", store: target.storeTable)
            return try OfficeConfig.load(from: dir.appendingPathComponent("office.toml"), contents: Data(text.utf8),
                                         environment: ["HOME": dir.path])
        }
        let config = try load(PostgresBenchTarget(socketDirectory: #"/tmp/pg "a" \b"#, port: 5433, database: "madoguchi"))
        guard case .postgres(let location) = config.store else { Issue.record("not postgres: \(config.store)"); return }
        #expect(location.endpoint == .socket(directory: #"/tmp/pg "a" \b"#, port: 5433))
        #expect(location.database == "madoguchi")

        // Not a TOML syntax error: the value arrives whole, and the database name's own rule refuses it.
        let e = #expect(throws: ConfigError.self) { try load(PostgresBenchTarget(socketDirectory: "/tmp/pg", port: 5433, database: #"mado"gu\chi"#)) }
        #expect(e?.description.contains(#"database（データベース名）"mado"gu\chi""#) == true, "\(String(describing: e))")
    }
}
