import Foundation
import Testing
@testable import MadoguchiCore

@Suite("Journal verify finds every single-byte and line change", .tags(.unit))
struct JournalVerifyTests {
    /// A small 3-line journal with multi-byte text, and the 1-based line of each byte (a newline belongs
    /// to the line it ends).
    static func sample() throws -> (bytes: [UInt8], lineOf: [Int]) {
        let dir = journalTestDirectory("verifySample")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append([
            jDraft(1, data: .object(["氏名": .string("山田 太郎"), "n": .number(1)])),
            jDraft(2, op: "佐藤", type: "case.note", data: .object(["memo": .string("a\"b\\c/d")])),
            jDraft(3, case: "2026-0002", data: .array([.bool(true), .null, .number(-2.5)])),
        ])
        let bytes = try jFileBytes(url)
        var lineOf: [Int] = []
        var line = 1
        for b in bytes {
            lineOf.append(line)
            if b == 0x0A { line += 1 }
        }
        return (bytes, lineOf)
    }

    @Test("flipping any one byte (every position, through the file) is reported at that byte's line")
    func flipEveryByteThroughFiles() throws {
        let (bytes, lineOf) = try Self.sample()
        #expect(Journal.verify(bytes: bytes).ok)
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("journal.jsonl")
        for i in bytes.indices {
            var changed = bytes
            changed[i] ^= 0x01
            try jWriteBytes(changed, to: url)
            let report = Journal.verify(url: url)
            #expect(report.problem?.line == lineOf[i], "byte \(i) (\(bytes[i])) → \(String(describing: report.problem))")
        }
    }

    @Test("other single-byte changes, deletions and insertions at every position are found at the right line")
    func everyPositionInMemory() throws {
        let (bytes, lineOf) = try Self.sample()
        for i in bytes.indices {
            for replacement: UInt8 in [bytes[i] ^ 0x80, bytes[i] ^ 0x20, 0x0A, 0x20, 0x00] where replacement != bytes[i] {
                var changed = bytes
                changed[i] = replacement
                let p = Journal.verify(bytes: changed).problem
                #expect(p?.line == lineOf[i], "replace byte \(i) with \(replacement) → \(String(describing: p))")
            }
            var deleted = bytes
            deleted.remove(at: i)
            let pd = Journal.verify(bytes: deleted).problem
            #expect(pd?.line == lineOf[i], "delete byte \(i) → \(String(describing: pd))")

            for inserted: UInt8 in [0x20, 0x0A, UInt8(ascii: "0")] {
                var more = bytes
                more.insert(inserted, at: i)
                let pi = Journal.verify(bytes: more).problem
                // A newline inserted right before a line's own newline leaves that line intact and adds an
                // empty line after it.
                let expected = inserted == 0x0A && bytes[i] == 0x0A ? lineOf[i] + 1 : lineOf[i]
                #expect(pi?.line == expected, "insert \(inserted) before byte \(i) → \(String(describing: pi))")
            }
        }
        // Bytes added after the last newline form a 4th (bad) line.
        #expect(Journal.verify(bytes: bytes + [0x0A]).problem?.line == 4)
        #expect(Journal.verify(bytes: bytes + [0x7B]).problem?.line == 4)
    }

    @Test("deleted, duplicated, swapped lines are found with their line numbers")
    func lineChanges() throws {
        let (bytes, _) = try Self.sample()
        let lines = jSplitLines(bytes)
        func check(_ candidate: [[UInt8]], line: Int, _ what: String) {
            let report = Journal.verify(bytes: candidate.flatMap { $0 })
            #expect(report.problem?.line == line, "\(what): \(String(describing: report.problem))")
        }
        check([lines[1], lines[2]], line: 1, "delete line 1")
        check([lines[0], lines[2]], line: 2, "delete line 2")
        check([lines[0], lines[0], lines[1], lines[2]], line: 2, "duplicate line 1")
        check([lines[0], lines[1], lines[1], lines[2]], line: 3, "duplicate line 2")
        check([lines[0], lines[1], lines[2], lines[2]], line: 4, "duplicate line 3 at the end")
        check([lines[0], lines[2], lines[1]], line: 2, "swap lines 2 and 3")
        check([lines[0], [0x0A], lines[1], lines[2]], line: 2, "insert an empty line")

        let deleted = Journal.verify(bytes: (lines[0] + lines[2]))
        #expect(deleted.problem?.reason.contains("連鎖") == true)
        #expect(deleted.lineCount == 2)
        let duplicate = Journal.verify(bytes: (lines[0] + lines[0] + lines[1]))
        #expect(duplicate.problem?.reason.contains("連鎖") == true)

        // A line lifted from another journal: its own hash, seq and layout are fine, only the chain is wrong.
        let dir = journalTestDirectory("foreignLine")
        defer { try? FileManager.default.removeItem(at: dir) }
        let otherURL = dir.appendingPathComponent("other.jsonl")
        try Journal(url: otherURL).append([jDraft(100), jDraft(2, op: "佐藤")])
        let foreign = jSplitLines(try jFileBytes(otherURL))[1]
        let substituted = Journal.verify(bytes: lines[0] + foreign + lines[2])
        #expect(substituted.problem?.line == 2)
        #expect(substituted.problem?.reason.contains("連鎖") == true)

        // Known limit of a bare hash chain: removing whole lines at the END leaves a valid shorter journal.
        // The journal's anchor (<journal>.anchor) closes it: see JournalTamperTests.
        #expect(Journal.verify(bytes: lines[0] + lines[1]).ok)
    }

    @Test("random multi-byte damage never crashes and is never accepted")
    func randomDamage() throws {
        let (bytes, _) = try Self.sample()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<2000 {
            var damaged = bytes
            for _ in 0..<(1 + next() % 8) {
                switch next() % 3 {
                case 0: damaged[next() % damaged.count] = UInt8(truncatingIfNeeded: next())
                case 1: damaged.remove(at: next() % damaged.count)
                default: damaged.insert(UInt8(truncatingIfNeeded: next()), at: next() % damaged.count)
                }
            }
            if damaged == bytes { continue }
            let report = Journal.verify(bytes: damaged)
            #expect(!report.ok)
            #expect((1...max(1, report.lineCount)).contains(report.problem?.line ?? -1))
        }
    }

    @Test("missing, empty and unterminated files")
    func specialFiles() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("journal.jsonl")
        let missing = Journal.verify(url: url)
        #expect(missing.problem?.line == 0)
        #expect(missing.problem?.reason.contains("journal.jsonl") == true)
        #expect(!missing.ok)

        try jWriteBytes([], to: url)
        let empty = Journal.verify(url: url)
        #expect(empty.ok && empty.lineCount == 0)

        let (bytes, _) = try Self.sample()
        try jWriteBytes(Array(bytes.dropLast()), to: url)
        let unterminated = Journal.verify(url: url)
        #expect(unterminated.problem?.line == 3)
        #expect(unterminated.problem?.reason.contains("改行") == true)
        #expect(unterminated.lineCount == 3)
    }
}
