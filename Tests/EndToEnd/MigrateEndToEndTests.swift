#if PostgreSQL
import Foundation
import MadoguchiCore
import Testing

/// Issue 15, through the built binary: a production office signed with `madoguchi keys`, its journal
/// carried into the database with `madoguchi migrate --to postgres` (twice: the second writes nothing),
/// `madoguchi verify` of the office once its `[store]` is PostgreSQL, `migrate --to jsonl` back to a
/// new file that is the same bytes and verifies with its anchor, and an existing file refused.
/// Needs the cluster of `.ci/postgres.sh` (the test process's OS account is its administrator by peer);
/// skipped saying why without it, failed under CI.
@Suite("migrate and verify of a PostgreSQL office through the binary", .tags(.e2e))
struct MigrateEndToEndTests {
    static let env = ProcessInfo.processInfo.environment
    static func value(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
    static var ready: Bool { ["MADOGUCHI_TEST_PG_SOCKET_DIR", "MADOGUCHI_TEST_PG_PORT", "MADOGUCHI_TEST_PG_DATABASE"].allSatisfy { value($0) != nil } }
    static let inCI = env["CI"] == "true"

    static func officeCode() -> String { TestCluster.freshOfficeCode() }

    @Test("file → database (twice) → verify → file: the same bytes, the anchor checked, an existing file refused",
          .enabled(if: ready || inCI, "PostgreSQL のテスト用クラスタがないので飛ばします：.ci/postgres.sh start DIR で作り、DIR/env を source してください（CI では失敗にします）"))
    func cycle() throws {
        let socket = try #require(Self.value("MADOGUCHI_TEST_PG_SOCKET_DIR"), "CI: MADOGUCHI_TEST_PG_SOCKET_DIR がありません")
        let port = try #require(Self.value("MADOGUCHI_TEST_PG_PORT"), "CI: MADOGUCHI_TEST_PG_PORT がありません")
        let database = try #require(Self.value("MADOGUCHI_TEST_PG_DATABASE"), "CI: MADOGUCHI_TEST_PG_DATABASE がありません")
        let connection = ["--socket-dir", socket, "--port", port, "--database", database]
        let root = try E2E.makeTempDir("migrate")
        defer { E2E.remove(root) }
        let office = try SignedOffice(root, data: root.appendingPathComponent("data"))
        let code = Self.officeCode()
        let text = try String(contentsOf: office.config, encoding: .utf8)
        try text.replacingOccurrences(of: "public_payer_number = \"12130019\"", with: "public_payer_number = \"\(code)\"")
            .write(to: office.config, atomically: true, encoding: .utf8)
        try office.setUp()
        let journal = office.data.appendingPathComponent("journal.jsonl")
        let original = try Data(contentsOf: journal)
        let lines = original.filter { $0 == 0x0A }.count
        func madoguchi(_ args: [String], config: Bool = true) throws -> E2E.Output {
            try E2E.run(try E2E.requireBinary(), args + (config ? ["--config", office.config.path] : []), environment: office.environment, timeout: 60)
        }

        let added = try madoguchi(["db", "add-office", "--office", code, "--name", "移行の試験"] + connection, config: false)
        #expect(added.status == 0, "\(added.stderr)")
        let first = try madoguchi(["migrate", "--to", "postgres"] + connection)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\(lines) 行を移しました"), "\(first.stdout)")
        let second = try madoguchi(["migrate", "--to", "postgres"] + connection)
        #expect(second.status == 0 && second.stdout.contains("書き込むものはありません"), "\(second.stdout)\(second.stderr)")

        // The office now keeps its journal in the database.
        try (try String(contentsOf: office.config, encoding: .utf8) + """

            [store]
            kind = "postgres"
            database = "\(database)"
            socket_directory = "\(socket)"
            port = \(port)

            """).write(to: office.config, atomically: true, encoding: .utf8)
        let verified = try madoguchi(["verify", "--operator", "sato"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("記録は正常です（\(lines)行") && verified.stdout.contains("事務所 \(code)"), "\(verified.stdout)")

        let out = root.appendingPathComponent("export/journal.jsonl")
        let exported = try madoguchi(["migrate", "--to", "jsonl", "--out", out.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(try Data(contentsOf: out) == original)
        let offline = try madoguchi(["verify", "--journal", out.path])
        #expect(offline.status == 0 && offline.stdout.contains("アンカーと一致"), "\(offline.stdout)\(offline.stderr)")
        let again = try madoguchi(["migrate", "--to", "jsonl", "--out", out.path])
        #expect(again.status == 2 && again.stderr.contains("既にあります"), "\(again.stderr)")
    }
}
#endif
