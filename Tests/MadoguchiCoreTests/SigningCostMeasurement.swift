import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 12: what signing costs where a clerk feels it — an append, a start-up with and without a
/// recent checkpoint, a full `verify`. A measurement printed for the docs (docs/engineering/security.md), not a timed test: it
/// asserts nothing about time. Opt-in: MADOGUCHI_MEASURE_SIGNING=20000 (lines).
@Suite("Signing cost (measurement, opt-in)", .tags(.stress))
struct SigningCostMeasurement {
    @Test("append, start-up and verify of a signed journal", .enabled(if: ProcessInfo.processInfo.environment["MADOGUCHI_MEASURE_SIGNING"] != nil))
    func measure() throws {
        let n = Int(ProcessInfo.processInfo.environment["MADOGUCHI_MEASURE_SIGNING"] ?? "") ?? 20_000
        let o = try RedTeamSigningTests.Office()
        o.asClerk()
        func time(_ body: () throws -> Void) rethrows -> Double {
            let t = Date()
            try body()
            return Date().timeIntervalSince(t)
        }
        // One line per append, as at the counter.
        let single = try time { for i in 1...200 { try o.store.journal.append([jDraft(i, type: "test.note")]) } }
        let batch = 500
        for start in stride(from: 1, through: n, by: batch) {
            try o.store.journal.append((start..<min(n + 1, start + batch)).map { jDraft($0, type: "test.note") })
        }
        var loads: [Double] = []
        for _ in 0..<3 { loads.append(try time { _ = try CaseStore(journalURL: o.url).load() }) }
        let verify = time { #expect(Journal.verify(url: o.url).ok) }
        o.asSupervisor()
        let s = CaseStore(journalURL: o.url)
        try s.load()
        s.journal.signer = o.sato
        try s.appendCheckpoint(key: o.sato, now: Date())
        var after: [Double] = []
        for _ in 0..<3 { after.append(try time { _ = try CaseStore(journalURL: o.url).load() }) }
        print("SIGNING-COST lines=\(n + 203) append(1 line, fsync, sign, self-check) mean=\(String(format: "%.2f", single / 200 * 1000)) ms"
              + " load-no-checkpoint=\(loads.map { String(format: "%.2f", $0) }) s"
              + " verify-all=\(String(format: "%.2f", verify)) s"
              + " load-after-checkpoint=\(after.map { String(format: "%.2f", $0) }) s")
    }
}
