import Foundation
import MadoguchiCore
import Testing

/// Issue 6 item 2: several PROCESSES (terminals) writing one journal. `JournalConcurrencyTests` covers
/// threads in one process, each with its own `Journal`; these start the real writer (`madoguchi-bench stress-append`, then `madoguchi`) several times.
/// (A running desk picking up another terminal's events is `LifecycleTerminalEndToEndTests`: the
/// clerk's desk shows the batch the supervisor approved in a second tmux terminal, without F5.)
@Suite("Several terminals writing one journal", .tags(.stress), .serialized)
struct ConcurrentWritersStressTests {
    static let writers = 2
    static let eventsEach = Robust.long ? 10_000 : 1_000

    @Test("2 processes × 1,000 appends (10,000 with MADOGUCHI_LONG=1): no line lost or interleaved, one valid chain, each writer's events all there in its order",
          .timeLimit(.minutes(Robust.long ? 30 : 3)))
    func processesAppendTogether() async throws {
        let binary = try E2E.requireBenchBinary()   // its stress-append
        let root = try E2E.makeTempDir("writers")
        defer { E2E.remove(root) }
        let journal = root.appendingPathComponent("data/journal.jsonl")
        let env = E2E.environment(dataDir: nil)
        let started = Date()
        // Alternate padding sizes so that lines of very different lengths race (a 3 KB line is several
        // pwrite pages: an interleaving would show).
        let children = try (0..<Self.writers).map { w in
            try ChildProcess(binary, ["stress-append", "--journal", journal.path, "--events", "\(Self.eventsEach)",
                                      "--writer", "w\(w)", "--pad", w % 2 == 0 ? "40" : "3000"], environment: env, lowPriority: !Robust.long)
        }
        for (w, c) in children.enumerated() {
            let status = try await c.wait(timeout: Robust.long ? 1500 : 150)
            #expect(status == 0, "writer w\(w) exited \(status): \(c.stderr) \(c.stdout.suffix(300))")
            #expect(c.stdout.hasSuffix("done\n"), "writer w\(w) did not finish")
        }
        let seconds = Date().timeIntervalSince(started)

        let verify = try await Robust.madoguchi(["verify", "--journal", journal.path], dataDir: nil)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("\(Self.writers * Self.eventsEach)行") && verify.stdout.contains("アンカーと一致"), "\(verify.stdout)")

        let records = try Journal(url: journal).load().records
        #expect(records.count == Self.writers * Self.eventsEach)
        #expect(records.map(\.seq) == Array(1...(Self.writers * Self.eventsEach)))
        var switches = 0
        for (a, b) in zip(records, records.dropFirst()) where a.operatorID != b.operatorID { switches += 1 }
        for (w, c) in children.enumerated() {
            let mine = records.filter { $0.operatorID == "w\(w)" }
            #expect(mine.map { $0.data["i"] } == (0..<Self.eventsEach).map { JSONValue.number(Double($0)) }, "w\(w)'s events, in order")
            // Every acknowledgement names the line that is in the file.
            let acks = Robust.completeLines(c.stdout).filter { $0.hasPrefix("ack ") }.map { $0.split(separator: " ") }
            #expect(acks.count == Self.eventsEach)
            for a in acks {
                let seq = Int(a[1])!
                #expect(records[seq - 1].hash == String(a[2]) && records[seq - 1].operatorID == "w\(w)", "ack \(a.joined(separator: " "))")
            }
        }
        print("concurrent writers: \(Self.writers) processes × \(Self.eventsEach) appends = \(records.count) lines, "
              + "\(switches) switches between writers, chain and anchor valid, 0 lost, \(String(format: "%.1f", seconds)) s "
              + "(\(String(format: "%.0f", Double(records.count) / seconds)) appends/s)")
        #expect(switches > 1, "the writers never overlapped: nothing was tested")
    }

    @Test("two clerks' processes make the same move on the same case at once: exactly one is applied, the other refused (stale view, exit 1), nothing written twice")
    func staleEditRefusedAcrossProcesses() async throws {
        let binary = try E2E.requireBinary()
        let root = try E2E.makeTempDir("stale")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let cases = try SeededOffice.seed(data, count: 6)
        let journal = data.appendingPathComponent("journal.jsonl")
        let before = try Journal(url: journal).load().records.count
        for (n, number) in cases.enumerated() {
            // Both terminals saw the case open; each clerk records a different ending at the same moment.
            let a = try ChildProcess(binary, ["withdraw", number, "--reason", "本人から取下げの申し出", "--operator", "yamada", "--yes"],
                                     environment: E2E.environment(dataDir: data))
            let b = try ChildProcess(binary, n % 2 == 0
                                     ? ["withdraw", number, "--reason", "電話で取下げ", "--operator", "suzuki", "--yes"]
                                     : ["transfer-out", number, "--to", "隣市福祉事務所", "--operator", "suzuki", "--yes"],
                                     environment: E2E.environment(dataDir: data))
            let sa = try await a.wait(timeout: 30), sb = try await b.wait(timeout: 30)
            #expect([sa, sb].sorted() == [0, 1], "case \(number): exits \(sa), \(sb): \(a.stderr) \(b.stderr)")
            let refused = sa == 1 ? a : b
            #expect(refused.stderr.contains(number), "the refusal names the case: \(refused.stderr)")
        }
        let records = try Journal(url: journal).load().records
        // Plus the sandbox's opening lines (issue 12), written once with the first move, by whichever
        // process wrote first.
        #expect(records.filter { EventType.trust.contains($0.eventType) }.count == 3)
        #expect(records.count == before + 3 + cases.count, "one move per case, never two")
        for number in cases {
            let moves = records.filter { $0.caseNumber == number && ($0.eventType == .caseWithdrawn || $0.eventType == .caseTransferredOut) }
            #expect(moves.count == 1, "\(number): \(moves.map(\.type))")
        }
        #expect(Journal.verify(url: journal).ok)
    }
}
