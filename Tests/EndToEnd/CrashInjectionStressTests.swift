import Foundation
import MadoguchiCore
import Testing

/// Issue 6 item 1: the real writer (`madoguchi-bench stress-append`, the `Journal.append` path every command
/// and the desk use) is SIGKILLed at random moments, restarted, and after every kill:
/// - every event whose append was acknowledged (printed after write + fsync) is still there, unchanged;
/// - what is on disk is a valid chain, followed at most by one unterminated line above every
///   acknowledged one (a torn write), and the anchor names a line between the last acknowledgement
///   and the end of the valid lines;
/// - the next start sets a torn tail aside, byte for byte, into a 0600 `.torn-*` file and reports it.
/// CI: 100 injections; `MADOGUCHI_LONG=1`: 1,000. `MADOGUCHI_SEED=n` replays a run; a failure names
/// the seed and the injection.
@Suite("Crash injection (SIGKILL the real writer)", .tags(.stress), .serialized)
struct CrashInjectionStressTests {
    static let injections = Robust.long ? 1000 : 100
    /// A fresh journal every so many injections keeps start-up verification short in the long run.
    static let perJournal = 50

    @Test("SIGKILL at random moments during appends: 0 acknowledged events lost, the chain verifies, torn tails set aside and reported",
          .timeLimit(.minutes(Robust.long ? 60 : 5)))
    func killAndRestart() async throws {
        let binary = try E2E.requireBenchBinary()   // its stress-append
        let seed = Robust.seed(default: 0x4D41_444F_0006_0001)
        var rng = Robust.Random(state: seed)
        let root = try E2E.makeTempDir("crash")
        defer { E2E.remove(root) }
        let env = E2E.environment(dataDir: nil)
        let started = Date()
        var totals = (acked: 0, torn: 0, killedBeforeLoad: 0, finished: 0)

        var journal = root.appendingPathComponent("j0/journal.jsonl")
        // Acknowledged events of the current journal: seq → hash, and writer id "r<k>:<i>" → seq.
        var acked: [Int: String] = [:]
        var ackedIDs: [String: Int] = [:]
        // A torn tail seen on disk after a kill that no start has set aside yet (its bytes).
        var pendingTorn: [UInt8]?

        func fail(_ k: Int, _ what: String) -> String {
            "crash injection \(k) of seed \(seed) (MADOGUCHI_SEED=\(seed) to replay): \(what)"
        }
        func tornFiles() -> [URL] {
            let dir = journal.deletingLastPathComponent()
            return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
                .filter { $0.hasPrefix("journal.jsonl.torn-") }.map { dir.appendingPathComponent($0) }
        }

        /// A last, uninterrupted start of the writer on the journal: loads (setting aside any torn tail),
        /// appends, and the real `madoguchi verify` accepts the result against its anchor; every
        /// acknowledged event is there exactly once.
        func finish(_ k: Int) async throws {
            let last = try ChildProcess(binary, ["stress-append", "--journal", journal.path, "--events", "3", "--writer", "final"],
                                                    environment: env, lowPriority: !Robust.long)
            #expect(try await last.wait(timeout: 60) == 0, "\(last.stdout)\(last.stderr)")
            #expect(last.stdout.contains("done"))
            if let torn = pendingTorn {
                #expect(tornFiles().contains { Robust.bytes($0) == torn }, Comment(rawValue: fail(k, "last torn tail not set aside")))
            }
            let verify = try await Robust.madoguchi(["verify", "--journal", journal.path], dataDir: nil)
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("アンカーと一致"), "\(verify.stdout)")
            let records = try Journal(url: journal).load().records
            for (seq, hash) in acked {
                #expect(seq <= records.count && records[seq - 1].hash == hash, Comment(rawValue: fail(k, "seq \(seq) lost")))
            }
            // No acknowledged event is there twice (no replay after a restart).
            var ids: [String: Int] = [:]
            for r in records {
                if case .string(let w)? = r.data["writer"], case .number(let i)? = r.data["i"] { ids["\(w):\(Int(i))", default: 0] += 1 }
            }
            #expect(ids.values.allSatisfy { $0 == 1 })
            for id in ackedIDs.keys { #expect(ids[id] == 1, "acknowledged \(id) present once") }

        }

        for k in 0..<Self.injections {
            if k % Self.perJournal == 0 {
                if k > 0 { try await finish(k) }
                journal = root.appendingPathComponent("j\(k / Self.perJournal)/journal.jsonl")
                acked = [:]
                ackedIDs = [:]
                pendingTorn = nil
            }
            // Half the writers write each line in small pieces (a kill then often lands mid-line).
            let split = rng.pick([0, 0, 0, 16, 64, 256])
            let pad = rng.pick([0, 0, 120, 600, 2500])
            // 1 in 10 killed during start-up, load or repair; the others a random time after the load, or
            // (half of all) after the first acknowledged append, so that a slow machine still kills mid-run.
            let moment = rng.below(10)
            let early = moment == 0
            let afterFirstAck = moment >= 5
            let delayMicros = early ? rng.below(25_000) : rng.below(split > 0 ? 80_000 : 60_000)
            let writer = try ChildProcess(binary, ["stress-append", "--journal", journal.path, "--events", "40",
                                                   "--writer", "r\(k)", "--pad", "\(pad)", "--split-writes", "\(split)"],
                                          environment: env, lowPriority: !Robust.long)
            if !early {
                guard try await writer.waitForOutput(afterFirstAck ? "ack " : "loaded ") else {
                    writer.kill9()
                    Issue.record(Comment(rawValue: fail(k, "the writer did not start: \(writer.stdout) \(writer.stderr)")))
                    return
                }
            }
            try await Task.sleep(nanoseconds: UInt64(delayMicros) * 1_000)
            writer.kill9()

            let out = writer.stdout
            let lines = Robust.completeLines(out)
            if let e = lines.first(where: { $0.hasPrefix("error") }) {
                Issue.record(Comment(rawValue: fail(k, "the writer refused to start or append: \(e)")))
                return
            }
            let loaded = lines.contains { $0.hasPrefix("loaded ") }
            if !loaded { totals.killedBeforeLoad += 1 }
            if lines.contains("done") { totals.finished += 1 }
            let maxAckedBefore = acked.keys.max() ?? 0

            // A torn tail seen after an earlier kill: by the time a start has loaded, it is set aside.
            if let torn = pendingTorn, loaded {
                let saved = tornFiles().filter { Robust.bytes($0) == torn }
                if saved.isEmpty {
                    Issue.record(Comment(rawValue: fail(k, "a torn tail of \(torn.count) bytes was not set aside")))
                    return
                }
                pendingTorn = nil
            }
            for l in lines where l.hasPrefix("torn ") {
                // torn <line> <bytes> <path>: reported, above every acknowledged line, 0600.
                let parts = l.split(separator: " ", maxSplits: 3).map(String.init)
                let line = Int(parts[1]) ?? -1
                #expect(line > maxAckedBefore, Comment(rawValue: fail(k, "torn line \(line) is not above the last acknowledged \(maxAckedBefore)")))
                #expect(parts.count == 4 && FileManager.default.fileExists(atPath: parts[3]), Comment(rawValue: fail(k, "torn file: \(l)")))
                if parts.count == 4 { #expect((try? E2E.mode(URL(fileURLWithPath: parts[3]))) == 0o600) }
                totals.torn += 1
            }
            for l in lines where l.hasPrefix("ack ") {
                let p = l.split(separator: " ").map(String.init)   // ack seq hash writer i
                guard p.count == 5, let seq = Int(p[1]) else { continue }
                if let old = acked[seq], old != p[2] {
                    Issue.record(Comment(rawValue: fail(k, "seq \(seq) acknowledged twice with different lines")))
                    return
                }
                acked[seq] = p[2]
                ackedIDs["\(p[3]):\(p[4])"] = seq
                totals.acked += 1
            }

            // What is on disk right after the kill.
            let bytes = Robust.bytes(journal)
            let onDisk = Robust.journalLines(bytes)
            for (seq, hash) in acked {
                guard seq >= 1, seq <= onDisk.count, onDisk[seq - 1].seq == seq, onDisk[seq - 1].hash == hash else {
                    Issue.record(Comment(rawValue: fail(k, "acknowledged event seq \(seq) is missing or changed (\(onDisk.count) lines on disk)")))
                    return
                }
            }
            let report = Journal.verify(url: journal)
            if let p = report.problem, !bytes.isEmpty || FileManager.default.fileExists(atPath: journal.path) {
                let maxAcked = acked.keys.max() ?? 0
                guard p.line == report.lineCount, p.line > maxAcked, bytes.last != 0x0A else {
                    Issue.record(Comment(rawValue: fail(k, "after the kill the journal is damaged beyond a torn tail: line \(p.line) of \(report.lineCount): \(p.reason)")))
                    return
                }
                let lastNewline = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                pendingTorn = Array(bytes[lastNewline...])
            }
            // The anchor: at or after the last acknowledgement, never past the valid lines.
            if case let anchorText = String(decoding: Robust.bytes(URL(fileURLWithPath: journal.path + ".anchor")), as: UTF8.self),
               !anchorText.isEmpty {
                let seq = anchorText.split(separator: ":")[1].split(separator: ",").first.flatMap { Int($0) } ?? -1
                let hash = anchorText.split(separator: "\"").dropLast().last.map(String.init) ?? ""
                #expect(seq >= (acked.keys.max() ?? 0) && seq <= onDisk.count,
                        Comment(rawValue: fail(k, "anchor \(seq) outside [last acknowledged \(acked.keys.max() ?? 0), \(onDisk.count) lines]")))
                if seq >= 1, seq <= onDisk.count { #expect(onDisk[seq - 1].hash == hash, Comment(rawValue: fail(k, "anchor hash"))) }
            } else {
                #expect(acked.isEmpty, Comment(rawValue: fail(k, "no anchor although events were acknowledged")))
            }
        }

        try await finish(Self.injections)

        let seconds = Date().timeIntervalSince(started)
        print("crash injection: seed \(seed), \(Self.injections) SIGKILLs (\(totals.killedBeforeLoad) before the load had finished), "
              + "\(totals.acked) acknowledged appends, 0 lost, \(totals.torn) torn tails set aside and reported, "
              + "\(totals.finished) writers finished before the kill, \(String(format: "%.1f", seconds)) s")
        #expect(totals.torn > 0, "the kills never landed mid-line: the torn-tail path was not exercised")
        #expect(totals.acked > Self.injections, "too few acknowledged appends to mean anything")
    }
}
