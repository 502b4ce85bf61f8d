import Foundation
import Testing

/// Issue 7: `madoguchi bench` still runs from one command. Tiny sizes only, and no figure is judged:
/// the suite never times anything (the machine is shared and noisy); the real run is by hand.
@Suite("Benchmark runs (issue 7)")
struct BenchEndToEndTests {
    @Test("`madoguchi bench --tiny` prints the table with P1–P5 at each size and the machine")
    func tinyBenchRuns() throws {
        let work = try E2E.makeTempDir("bench")
        defer { E2E.remove(work) }
        let out = try E2E.run(try E2E.requireBinary(),
                              ["bench", "--tiny", "--sizes", "1,2", "--runs", "1", "--keys", "20", "--appends", "3",
                               "--work", work.path, "--json", work.appendingPathComponent("bench.json").path],
                              environment: E2E.environment(dataDir: nil), timeout: 300)
        #expect(out.status == 0, "stderr: \(out.stderr)")
        for metric in ["P1", "P2", "P3", "P4", "P5"] {
            #expect(out.stdout.components(separatedBy: metric).count - 1 == 2, "\(metric) once per size: \(out.stdout)")
        }
        #expect(out.stdout.contains("機械："))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("bench.json"))) as? [String: Any]
        #expect((json?["results"] as? [Any])?.count == 2)
    }
}
