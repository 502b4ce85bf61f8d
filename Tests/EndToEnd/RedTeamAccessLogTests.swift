import Foundation
import Testing

/// Issue 12 "Done when": the access log holds a CSV export and a `cases --json` (R-SG-4), with who
/// and when; `madoguchi access-log` shows them to the supervisor and refuses a clerk. Run against
/// the built binary, in a production office (the demo office's config made real).
@Suite("Red team: access records (R-SG-4)", .tags(.e2e))
struct RedTeamAccessLogTests {
    /// The access log's lines as JSON objects.
    static func lines(_ data: URL) throws -> [[String: Any]] {
        let text = try String(contentsOf: data.appendingPathComponent("access.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("a CSV export and a cases --json are in the access log with operator and time; access-log shows them to the supervisor, refuses a clerk")
    func csvAndJSONAreRecorded() async throws {
        let root = try E2E.makeTempDir("redteam-access")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let numbers = try SeededOffice.seed(data, count: 2)
        let office = try SignedOffice(root, data: data)
        try office.setUp()
        let out = data.appendingPathComponent("out", isDirectory: true)   // inside the office's folders (R-SG-6)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)

        let before = Date().addingTimeInterval(-1)
        let json = try office.run(["cases", "--json"], as: "yamada")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(numbers.allSatisfy(json.stdout.contains))
        let csv = try office.run(["pending", "--csv", out.path + "/"], as: "suzuki")
        #expect(csv.status == 0, "\(csv.stderr)")
        let after = Date().addingTimeInterval(1)
        let written = try FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: nil)
        #expect(written.count == 1, "\(written)")

        // The lines themselves: who, when, what.
        let lines = try Self.lines(data)
        let iso = ISO8601DateFormatter()
        func at(_ line: [String: Any]) -> Date? { (line["time"] as? String).flatMap(iso.date(from:)) }
        let jsonLine = try #require(lines.first { ($0["data"] as? [String: Any])?["via"] as? String == "cases --json" }, "\(lines)")
        #expect(jsonLine["type"] as? String == "access.exported" && jsonLine["operator"] as? String == "yamada")
        #expect(at(jsonLine).map { $0 >= before && $0 <= after } == true, "\(jsonLine)")
        #expect(((jsonLine["data"] as? [String: Any])?["cases"] as? [String]).map(Set.init) == Set(numbers), "\(jsonLine)")
        let csvLine = try #require(lines.first { ($0["data"] as? [String: Any])?["via"] as? String == "pending --csv" }, "\(lines)")
        #expect(csvLine["type"] as? String == "access.exported" && csvLine["operator"] as? String == "suzuki")
        #expect(at(csvLine).map { $0 >= before && $0 <= after } == true, "\(csvLine)")
        #expect((csvLine["data"] as? [String: Any])?["file"] as? String == written.first?.path, "\(csvLine)")
        // Names never: the log holds case numbers.
        let raw = try String(contentsOf: data.appendingPathComponent("access.jsonl"), encoding: .utf8)
        #expect(!raw.contains("山田　太郎"))
        // Chained like the journal: verify reads it.
        let verified = try office.run(["verify", "--journal", data.appendingPathComponent("access.jsonl").path], as: nil)
        #expect(verified.status == 0, "\(verified.stderr)")

        // The supervisor sees both, with names, filtered.
        let shown = try office.run(["access-log"], as: "sato")
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("山田 花子（yamada）") && shown.stdout.contains("cases --json"), "\(shown.stdout)")
        #expect(shown.stdout.contains("鈴木 健（suzuki）") && shown.stdout.contains(written.first?.path ?? "?"), "\(shown.stdout)")
        #expect(shown.stdout.contains("ハッシュの連鎖に切れ目なし"), "\(shown.stdout)")
        let filtered = try office.run(["access-log", "--json", "--by", "suzuki",
                                          "--kind", "exported", "--since", JapanDate.todayISO], as: "sato")
        #expect(filtered.status == 0, "\(filtered.stderr)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(filtered.stdout.utf8)) as? [String: Any])
        let entries = try #require(parsed["entries"] as? [[String: Any]])
        #expect(entries.count == 1 && entries.first?["via"] as? String == "pending --csv", "\(entries)")
        #expect(parsed["verified"] as? Bool == true)

        // A clerk is refused and shown nothing.
        let refused = try office.run(["access-log"], as: "yamada")
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stderr.contains("査察指導員だけ"), "\(refused.stderr)")
        #expect(!refused.stdout.contains("cases --json") && !numbers.contains(where: refused.stdout.contains), "\(refused.stdout)")
    }

    @Test("a forged access log line is named by access-log, exit 1")
    func forgedLineIsNamed() async throws {
        let root = try E2E.makeTempDir("redteam-access-forged")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try SeededOffice.seed(data, count: 1)
        let office = try SignedOffice(root, data: data)
        try office.setUp()
        for op in ["yamada", "suzuki", "yamada"] {
            #expect(try office.run(["cases"], as: op).status == 0)
        }
        // An insider hides that suzuki listed the cases.
        let url = data.appendingPathComponent("access.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: #""operator":"suzuki""#, with: #""operator":"yamada""#).write(to: url, atomically: false, encoding: .utf8)
        let shown = try office.run(["access-log"], as: "sato")
        #expect(shown.status == 1)
        #expect(shown.stderr.contains("access.jsonl 2行目"), "\(shown.stderr)")
    }
}
