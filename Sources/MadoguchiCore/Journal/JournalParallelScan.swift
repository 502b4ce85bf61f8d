import Foundation

extension Journal {
    /// `scan` from the start of a journal, on two cores when there are two and the journal is big
    /// (issue 7, P1): the second half is checked from the `prev` and `seq` its first line claims,
    /// and the halves are joined only if the first half ends exactly there. Every line is still
    /// hashed, parsed and chained; anything unusual — a problem in the first half, a junction that
    /// does not meet — is read again in one pass, so the result (records, chain, the first bad line
    /// and its reason) is always the one `scan` gives (JournalParallelScanTests).
    static func scanFromStart(_ buf: UnsafeRawBufferPointer, collect: Bool, threshold: Int = parallelThreshold) -> Scan {
        let n = buf.count
        guard n >= threshold, ProcessInfo.processInfo.activeProcessorCount > 1, let base = buf.baseAddress,
              let hit = memchr(base + n / 2, 0x0A, n - n / 2) else {
            return scan(buf, from: Chain(), collect: collect)
        }
        let split = base.distance(to: UnsafeRawPointer(hit)) + 1
        guard split < n, let nextEnd = memchr(base + split, 0x0A, n - split) else {
            return scan(buf, from: Chain(), collect: collect)
        }
        // The first line of the second half says where the chain must stand before it.
        let firstLines = countNewlines(UnsafeRawBufferPointer(rebasing: buf[0..<split]))
        let junctionEnd = base.distance(to: UnsafeRawPointer(nextEnd))
        guard let junction = try? JournalLine.decode(UnsafeRawBufferPointer(rebasing: buf[split..<junctionEnd]),
                                                     lineNumber: firstLines + 1),
              junction.seq > 1 else {
            return scan(buf, from: Chain(), collect: collect)
        }
        let assumed = Chain(count: firstLines, lastSeq: junction.seq - 1, lastHash: junction.prev)
        let halves = ScanHalves(buf: buf, split: split, assumed: assumed, collect: collect)
        DispatchQueue.concurrentPerform(iterations: 2) { halves.run($0) }
        guard let first = halves.first, let second = halves.second,
              first.problem == nil, first.goodLength == split, first.chain == assumed else {
            return scan(buf, from: Chain(), collect: collect)
        }
        var joined = second
        joined.records = collect ? first.records + second.records : []
        joined.goodLength = split + second.goodLength
        joined.problem = second.problem.map { Problem(line: $0.line, reason: $0.reason, isLast: $0.isLast, start: $0.start + split) }
        return joined
    }

    /// Below this size one core is as quick (the threads cost more than they save).
    static let parallelThreshold = 4 << 20

    static func countNewlines(_ buf: UnsafeRawBufferPointer) -> Int {
        guard var p = buf.baseAddress else { return 0 }
        let end = p + buf.count
        var count = 0
        while p < end, let hit = memchr(p, 0x0A, end - p) {
            count += 1
            p = UnsafeRawPointer(hit) + 1
        }
        return count
    }

    /// The two halves' results, each written by one worker and read after both have finished.
    final class ScanHalves: @unchecked Sendable {
        let buf: UnsafeRawBufferPointer
        let split: Int
        let assumed: Chain
        let collect: Bool
        var first: Scan?
        var second: Scan?

        init(buf: UnsafeRawBufferPointer, split: Int, assumed: Chain, collect: Bool) {
            self.buf = buf
            self.split = split
            self.assumed = assumed
            self.collect = collect
        }

        func run(_ half: Int) {
            if half == 0 {
                first = Journal.scan(UnsafeRawBufferPointer(rebasing: buf[0..<split]), from: Chain(), collect: collect)
            } else {
                second = Journal.scan(UnsafeRawBufferPointer(rebasing: buf[split...]), from: assumed, collect: collect)
            }
        }
    }
}
