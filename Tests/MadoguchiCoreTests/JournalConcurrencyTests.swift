import Foundation
import Testing
@testable import MadoguchiCore

/// Collects results from threads.
final class JournalTestCollector<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func add(_ t: T) { lock.lock(); items.append(t); lock.unlock() }
    var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite("Journal with several writers", .tags(.unit))
struct JournalConcurrencyTests {
    @Test("two instances appending alternately see each other's records via fromOthers")
    func twoInstancesAlternate() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let a = Journal(url: url), b = Journal(url: url)
        var knownA = try a.load().records.count
        var knownB = try b.load().records.count
        #expect(knownA == 0 && knownB == 0)

        let r1 = try a.append(knownCount: knownA) { others in
            #expect(others.isEmpty)
            return [jDraft(1, op: "a")]
        }
        knownA += r1.fromOthers.count + r1.appended.count

        let r2 = try b.append(knownCount: knownB) { others in
            #expect(others.map(\.operatorID) == ["a"])
            return [jDraft(2, op: "b"), jDraft(3, op: "b")]
        }
        #expect(r2.fromOthers == r1.appended)
        #expect(r2.appended.map(\.seq) == [2, 3])
        #expect(r2.appended[0].prev == r1.appended[0].hash)
        knownB += r2.fromOthers.count + r2.appended.count

        let r3 = try a.append(knownCount: knownA) { others in [jDraft(4, op: "a")] }
        #expect(r3.fromOthers == r2.appended)
        #expect(r3.appended.map(\.seq) == [4])
        #expect(r3.appended[0].prev == r2.appended[1].hash)
        knownA += r3.fromOthers.count + r3.appended.count

        // Picking up without writing.
        #expect(try b.records(after: knownB) == r3.appended)
        let r4 = try b.append(knownCount: knownB) { _ in [] }
        #expect(r4.fromOthers == r3.appended && r4.appended.isEmpty)

        // A caller that knows fewer records than the instance cached still gets all it missed.
        let r5 = try b.append(knownCount: 1) { _ in [] }
        #expect(r5.fromOthers.map(\.seq) == [2, 3, 4])
        #expect(throws: JournalError.self) { try b.append(knownCount: 99) { _ in [] } }

        #expect(try Journal(url: url).load().records.map(\.operatorID) == ["a", "b", "b", "a"])
        #expect(Journal.verify(url: url).ok)
    }

    @Test("4 threads × 200 appends into one file: 800 lines, a valid chain, every writer saw every line")
    func concurrentAppends() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let perThread = 200
        let errors = JournalTestCollector<String>()
        let views = JournalTestCollector<(Int, [JournalRecord])>()
        let group = DispatchGroup()
        for t in 0..<4 {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                let journal = Journal(url: url)  // its own instance and file descriptor
                var seen: [JournalRecord] = []
                do {
                    for i in 0..<perThread {
                        let r = try journal.append(knownCount: seen.count) { _ in
                            [jDraft(i, op: "worker\(t)", data: .object(["t": .number(Double(t)), "i": .number(Double(i))]))]
                        }
                        seen += r.fromOthers + r.appended
                    }
                } catch {
                    errors.add("thread \(t): \(error)")
                }
                views.add((t, seen))
            }
            thread.start()
        }
        group.wait()
        #expect(errors.all.isEmpty, "\(errors.all)")

        let report = Journal.verify(url: url)
        #expect(report.ok, "\(String(describing: report.problem))")
        #expect(report.lineCount == 4 * perThread)
        let records = try Journal(url: url).load().records
        #expect(records.map(\.seq) == Array(1...(4 * perThread)))
        for t in 0..<4 {
            let mine = records.filter { $0.operatorID == "worker\(t)" }
            #expect(mine.count == perThread)
            #expect(mine.map { $0.data["i"] } == (0..<perThread).map { JSONValue.number(Double($0)) })
        }
        // Each writer's running view (fromOthers + appended) is exactly a prefix of the journal.
        for (t, seen) in views.all {
            #expect(seen == Array(records.prefix(seen.count)), "thread \(t)")
            #expect(seen.last?.operatorID == "worker\(t)")
        }
    }

    @Test("append latency (informational)")
    func appendLatency() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let journal = Journal(url: url)
        try journal.append((1...1000).map { jDraft($0) })
        let clock = ContinuousClock()
        var samples: [Duration] = []
        for i in 0..<100 {
            samples.append(try clock.measure { try journal.append([jDraft(i)]) })
        }
        samples.sort()
        print("journal append latency: p50 \(samples[50]) p90 \(samples[90]) max \(samples[99])")
        #expect(samples[50] < .seconds(1))
    }
}
