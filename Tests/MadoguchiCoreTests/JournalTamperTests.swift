import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 6 item 4: every single-byte and single-line change of a small journal is found by `verify`
/// with the right line number, including lines deleted at the END, which only the anchor
/// (`<journal>.anchor`, the last acknowledged line) can reveal.
@Suite("Journal tamper evidence: every byte, every line, and the anchor", .tags(.unit))
struct JournalTamperTests {
    struct Sample {
        let bytes: [UInt8]
        /// 1-based line of each byte (a newline belongs to the line it ends).
        let lineOf: [Int]
        let lines: [[UInt8]]
        let anchor: JournalAnchor
        var stored: JournalAnchor.Stored { .present(anchor) }
    }

    /// Seven events as a desk writes them: Japanese text, escapes, nested data, an office-level line.
    static func sample() throws -> Sample {
        let dir = journalTestDirectory("tamperSample")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append([
            jDraft(1, data: .object(["applicant": .object(["name": .string("山田　太郎"), "furigana": .string("ヤマダ　タロウ")]),
                                     "status": .string("awaiting_registration")])),
            jDraft(2, type: "tickets.issued", data: .object(["tickets": .array([.object(["kind": .string("medical"), "month": .string("2026-12")])])])),
            jDraft(3, op: "suzuki", case: "2026-0002", data: .object(["reason": .string("a\"b\\c/d\n改行")])),
            jDraft(4, op: "sato", type: "file.recorded", case: "-", data: .object(["cases": .array([.string("2026-0001")]), "n": .number(-2.5)])),
            jDraft(5, type: "registration.accepted", data: .object(["date": .string("2026-11-25"), "ok": .bool(true), "x": .null])),
            jDraft(6, type: "server.held", data: .object(["reason": .number(1)])),
            jDraft(7, type: "case.withdrawn", case: "2026-0002", data: .object(["reason": .string("本人の申し出")])),
        ])
        let bytes = try jFileBytes(url)
        guard case .present(let anchor) = JournalAnchor.read(journal: url) else {
            throw JournalError.invalidDraft(file: "sample", reason: "no anchor written")
        }
        var lineOf: [Int] = []
        var line = 1
        for b in bytes {
            lineOf.append(line)
            if b == 0x0A { line += 1 }
        }
        return Sample(bytes: bytes, lineOf: lineOf, lines: jSplitLines(bytes), anchor: anchor)
    }

    /// Deterministic values (seeded), so a failure names a reproducible case.
    typealias SplitMix = SeededRandom

    @Test("the anchor is written with every append: last seq and hash, 0600, one line")
    func anchorWritten() throws {
        let s = try Self.sample()
        #expect(s.anchor.seq == 7)
        #expect(s.anchor.hash == JournalAnchor.hashOfLine(7, in: s.bytes[...]))
        #expect(Journal.verify(bytes: s.bytes, anchor: s.stored).ok)
        #expect(Journal.verify(bytes: s.bytes, anchor: s.stored).anchorChecked)
    }

    @Test("every byte position replaced by 5 other values (low and high bit flipped, newline, NUL, a seeded random byte) is reported at that byte's line")
    func everyByteReplaced() async throws {
        let s = try Self.sample()
        var rng = SplitMix(state: 0x6D61_646F_6775_6368)   // "madoguch"
        var checked = 0
        for i in s.bytes.indices {
            if i % 64 == 0 { await Task.yield() }   // seconds of CPU: let the tmux tests' polling run between
            // Low and high bit flips, newline and NUL (they change where lines end), a seeded random byte.
            var values: [UInt8] = [s.bytes[i] ^ 0x01, s.bytes[i] ^ 0x80, 0x0A, 0x00]
            var r = UInt8(truncatingIfNeeded: rng.next())
            while r == s.bytes[i] { r = UInt8(truncatingIfNeeded: rng.next()) }
            values.append(r)
            for v in Set(values) where v != s.bytes[i] {
                var changed = s.bytes
                changed[i] = v
                let p = Journal.verify(bytes: changed, anchor: s.stored).problem
                #expect(p?.line == s.lineOf[i], "byte \(i) (0x\(String(s.bytes[i], radix: 16))) → 0x\(String(v, radix: 16)): \(String(describing: p))")
                checked += 1
            }
        }
        #expect(checked > 4 * s.bytes.count)
    }

    @Test("every byte deleted, and a byte inserted before every position (and at the end), is reported at the right line")
    func everyByteDeletedOrInserted() async throws {
        let s = try Self.sample()
        var rng = SplitMix(state: 42)
        for i in s.bytes.indices {
            if i % 64 == 0 { await Task.yield() }
            var deleted = s.bytes
            deleted.remove(at: i)
            let pd = Journal.verify(bytes: deleted, anchor: s.stored).problem
            #expect(pd?.line == s.lineOf[i], "delete byte \(i) → \(String(describing: pd))")

            for v: UInt8 in [0x0A, UInt8(ascii: "0"), UInt8(truncatingIfNeeded: rng.next())] {
                var more = s.bytes
                more.insert(v, at: i)
                let p = Journal.verify(bytes: more, anchor: s.stored).problem
                // A newline right before a line's own newline leaves that line whole and adds an empty one.
                let expected = v == 0x0A && s.bytes[i] == 0x0A ? s.lineOf[i] + 1 : s.lineOf[i]
                #expect(p?.line == expected, "insert 0x\(String(v, radix: 16)) before byte \(i) → \(String(describing: p))")
            }
        }
        for v: UInt8 in [0x0A, 0x20, 0x7B] {
            #expect(Journal.verify(bytes: s.bytes + [v], anchor: s.stored).problem?.line == 8)
        }
    }

    @Test("every line deleted, duplicated, replaced by a foreign line, every pair swapped, a line inserted at every position; the last k lines deleted")
    func everyLineChange() throws {
        let s = try Self.sample()
        let n = s.lines.count
        func check(_ candidate: [[UInt8]], line: Int, _ what: String) {
            let report = Journal.verify(bytes: candidate.flatMap { $0 }, anchor: s.stored)
            #expect(report.problem?.line == line, "\(what): \(String(describing: report.problem))")
        }
        // A valid line from another journal (its own hash and layout fine, only the chain is wrong).
        let dir = journalTestDirectory("tamperForeign")
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = dir.appendingPathComponent("other.jsonl")
        try Journal(url: other).append((1...8).map { jDraft($0, op: "他人") })
        let foreign = jSplitLines(try jFileBytes(other))

        for i in 0..<n {
            var deleted = s.lines
            deleted.remove(at: i)
            check(deleted, line: i + 1, "delete line \(i + 1)")

            var duplicated = s.lines
            duplicated.insert(s.lines[i], at: i + 1)
            check(duplicated, line: i + 2, "duplicate line \(i + 1)")

            var replaced = s.lines
            replaced[i] = foreign[i]
            // Another journal's FIRST line is a valid first line (seq 1, prev zeros): the chain first
            // breaks at line 2, whose prev names the line that was there. Any other line: at itself.
            check(replaced, line: i == 0 ? 2 : i + 1, "line \(i + 1) replaced by the other journal's line \(i + 1)")

            for j in (i + 1)..<n {
                var swapped = s.lines
                swapped.swapAt(i, j)
                check(swapped, line: i + 1, "swap lines \(i + 1) and \(j + 1)")
            }
        }
        for i in 0...n {
            for extra in [[UInt8(0x0A)], foreign[min(i, foreign.count - 1)], Array("{}\n".utf8)] {
                var inserted = s.lines
                inserted.insert(extra, at: i)
                check(inserted, line: i == 0 && extra == foreign[0] ? 2 : i + 1, "insert a line before line \(i + 1)")
            }
        }
        // Lines deleted at the END: the chain alone cannot see it (the known gap) — the anchor does.
        for k in 1...n {
            let shorter = Array(s.lines.prefix(n - k))
            #expect(Journal.verify(bytes: shorter.flatMap { $0 }).ok, "without an anchor the shorter journal is still a valid chain")
            let report = Journal.verify(bytes: shorter.flatMap { $0 }, anchor: s.stored)
            #expect(report.problem?.line == n - k + 1, "delete the last \(k) lines: \(String(describing: report.problem))")
            #expect(report.problem?.reason.contains("最後の \(k) 行が失われています") == true)
            #expect(report.problem?.reason.contains("journal.jsonl.anchor") == true)
        }
    }

    @Test("a whole journal replaced by another valid one is found at the anchor's line")
    func replacedJournal() throws {
        let s = try Self.sample()
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = dir.appendingPathComponent("other.jsonl")
        try Journal(url: other).append((1...9).map { jDraft($0) })
        let report = Journal.verify(bytes: try jFileBytes(other), anchor: s.stored)
        #expect(report.problem?.line == 7)
        #expect(report.problem?.reason.contains("差し替え") == true)
    }

    @Test("load(): truncation is refused with the missing lines counted and nothing changed; a deleted journal with an anchor too")
    func loadRefusesTruncation() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append((1...5).map { jDraft($0) })
        let lines = jSplitLines(try jFileBytes(url))
        let anchorBytes = try jFileBytes(JournalAnchor.url(for: url))
        let cut = Array(lines.prefix(3).joined())
        try jWriteBytes(cut, to: url)
        do {
            _ = try Journal(url: url).load()
            Issue.record("load should refuse a journal shorter than its anchor")
        } catch let e as JournalError {
            #expect(e == .badLine(file: "journal.jsonl", line: 4,
                                  reason: "記録が短くなっています：journal.jsonl.anchor では 5 行あるはずが 3 行しかありません（最後の 2 行が失われています。削除または古い写しで置き換えられたおそれがあります）"))
        }
        #expect(try jFileBytes(url) == cut)
        #expect(try jFileBytes(JournalAnchor.url(for: url)) == anchorBytes, "the anchor is never lowered")
        #expect(throws: JournalError.self) { try CaseStore(journalURL: url).load() }
        #expect(Journal.verify(url: url).problem?.line == 4)

        try FileManager.default.removeItem(at: url)
        #expect(throws: JournalError.self) { try Journal(url: url).load() }
        #expect(!FileManager.default.fileExists(atPath: url.path), "nothing created")
    }

    @Test("load(): a bad last line the anchor covers is damage (not set aside); one above the anchor is a torn write (set aside)")
    func tornOnlyAboveTheAnchor() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append((1...3).map { jDraft($0) })
        let good = try jFileBytes(url)
        var lines = jSplitLines(good)
        lines[2] = Array(lines[2].prefix(lines[2].count / 2))     // the acknowledged 3rd line cut short
        try jWriteBytes(lines.flatMap { $0 }, to: url)
        #expect(throws: JournalError.self) { try Journal(url: url).load() }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["journal.jsonl", "journal.jsonl.anchor"])
        #expect(throws: JournalError.self) { try Journal(url: url).append([jDraft(9)]) }   // not "torn" either

        // Half of an unacknowledged 4th line: set aside, the anchor stays at 3 and verifies.
        try jWriteBytes(good + Array("{\"seq\":4,\"ti".utf8), to: url)
        let load = try Journal(url: url).load()
        #expect(load.records.count == 3)
        #expect(load.tornTail?.lineNumber == 4)
        #expect(try jFileBytes(url) == good)
        #expect(JournalAnchor.read(journal: url) == .present(JournalAnchor(seq: 3, hash: JournalAnchor.hashOfLine(3, in: good[...])!)))
        #expect(Journal.verify(url: url).ok)
    }

    @Test("a missing anchor is created from the verified journal (0600); a lagging one is brought forward; a corrupt one stops load naming the file")
    func missingLaggingCorrupt() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let anchorURL = JournalAnchor.url(for: url)
        try Journal(url: url).append((1...4).map { jDraft($0) })
        let bytes = try jFileBytes(url)
        let last = JournalAnchor(seq: 4, hash: JournalAnchor.hashOfLine(4, in: bytes[...])!)

        // Missing (a journal from before anchors): verify checks the chain only and says so; load creates it.
        try FileManager.default.removeItem(at: anchorURL)
        let unanchored = Journal.verify(url: url)
        #expect(unanchored.ok && !unanchored.anchorChecked)
        #expect(try Journal(url: url).load().records.count == 4)
        #expect(JournalAnchor.read(journal: url) == .present(last))
        #expect(try jPermissions(anchorURL) == 0o600)
        #expect(Journal.verify(url: url).anchorChecked)

        // Lagging (killed between the journal's fsync and the anchor's rename): brought forward.
        try JournalAnchor.write(JournalAnchor(seq: 2, hash: JournalAnchor.hashOfLine(2, in: bytes[...])!), journal: url)
        #expect(Journal.verify(url: url).ok)
        _ = try Journal(url: url).load()
        #expect(JournalAnchor.read(journal: url) == .present(last))

        // Corrupt: never rewritten silently; load and verify name the anchor file.
        for garbage in [Array("{\"seq\":4,\"hash\":\"xyz\"}\n".utf8), Array("not an anchor".utf8), [0, 0, 0x7B],
                        Array("{\"seq\":0,\"hash\":\"\(last.hash)\"}\n".utf8)] {
            try jWriteBytes(garbage, to: anchorURL)
            do {
                _ = try Journal(url: url).load()
                Issue.record("load should stop on a corrupt anchor \(garbage)")
            } catch let e as JournalError {
                guard case .badLine(let file, _, let reason) = e else { Issue.record("\(e)"); continue }
                #expect(file == "journal.jsonl.anchor")
                #expect(reason.contains("削除すると、次の起動で作り直されます"))
            }
            #expect(try jFileBytes(anchorURL) == garbage)
            let v = Journal.verify(url: url)
            #expect(v.problem?.line == 0 && v.problem?.reason.contains("journal.jsonl.anchor") == true)
        }
        // Deleting it (as the message says, once the journal is known good) starts afresh.
        try FileManager.default.removeItem(at: anchorURL)
        _ = try Journal(url: url).load()
        #expect(JournalAnchor.read(journal: url) == .present(last))

        // Blank (empty or zero-filled: a power cut before the unsynced anchor reached the disk): taken
        // as lost, recreated from the verified journal, and said; verify checks the chain only.
        for blank in [[UInt8](), [UInt8](repeating: 0, count: 91)] {
            try jWriteBytes(blank, to: anchorURL)
            #expect(JournalAnchor.read(journal: url) == .blank)
            let v = Journal.verify(url: url)
            #expect(v.ok && !v.anchorChecked)
            let loaded = try Journal(url: url).load()
            #expect(loaded.warnings.contains { $0.contains("空でした") }, "\(loaded.warnings)")
            #expect(JournalAnchor.read(journal: url) == .present(last))
        }
    }

    @Test("an anchor that cannot be written does not stop the office: load warns, appends are still saved")
    func anchorUnwritable() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append((1...2).map { jDraft($0) })
        try FileManager.default.removeItem(at: JournalAnchor.url(for: url))
        // The temporary file's name taken by a folder: the anchor cannot be written (even as root).
        let blocker = URL(fileURLWithPath: JournalAnchor.url(for: url).path + ".tmp")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        let j = Journal(url: url)
        let load = try j.load()
        #expect(load.records.count == 2)
        #expect(load.warnings.contains { $0.contains("アンカー journal.jsonl.anchor を書けませんでした") }, "\(load.warnings)")
        #expect(try j.append([jDraft(3)]).map(\.seq) == [3])
        #expect(JournalAnchor.read(journal: url) == .missing)
        try FileManager.default.removeItem(at: blocker)
        // Issue 12 (R-SG-3): making the anchor again is never silent, whatever the cause.
        let again = try Journal(url: url).load()
        #expect(again.anchorRecreated)
        #expect(again.warnings.count == 1 && again.warnings[0].contains("作り直しました"), "\(again.warnings)")
        guard case .present(let a) = JournalAnchor.read(journal: url) else { Issue.record("no anchor"); return }
        #expect(a.seq == 3)
    }

    @Test("an append rewrites the anchor in place (same file, 100 bytes); an unpadded anchor is replaced whole at the next append")
    func anchorInPlace() throws {
        let dir = journalTestDirectory("anchorInPlace")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let anchorURL = JournalAnchor.url(for: url)
        func inode() throws -> UInt64 { (try FileManager.default.attributesOfItem(atPath: anchorURL.path)[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0 }
        try Journal(url: url).append([jDraft(1)])
        let first = try inode()
        try Journal(url: url).append([jDraft(2, type: "case.withdrawn", data: .object(["reason": .string("本人の申し出")]))])
        let second = try inode()
        #expect(second == first, "rewritten in place, not renamed")
        #expect(try jFileBytes(anchorURL).count == JournalAnchor.recordSize)
        guard case .present(let a) = JournalAnchor.read(journal: url) else { Issue.record("no anchor"); return }
        let journalBytes = try jFileBytes(url)
        #expect(a.seq == 2 && a.hash == JournalAnchor.hashOfLine(2, in: journalBytes[...]))
        // An anchor of the unpadded form (as first written): read, then replaced whole.
        try jWriteBytes(Array("{\"seq\":2,\"hash\":\"\(a.hash)\"}\n".utf8), to: anchorURL)
        #expect(Journal.verify(url: url).ok && Journal.verify(url: url).anchorChecked)
        try Journal(url: url).append([jDraft(3, type: "case.withdrawn", data: .object(["reason": .string("再")]))])
        #expect(try jFileBytes(anchorURL).count == JournalAnchor.recordSize)
        #expect(Journal.verify(url: url).ok)
    }

    @Test("the anchor's format: exact, strict; padded to 100 bytes, the unpadded form read too")
    func anchorFormat() {
        let a = JournalAnchor(seq: 12, hash: String(repeating: "ab", count: 32))
        let line = "{\"seq\":12,\"hash\":\"\(a.hash)\"}"
        #expect(String(decoding: a.bytes, as: UTF8.self) == line + String(repeating: " ", count: 100 - 1 - line.utf8.count) + "\n")
        #expect(a.bytes.count == JournalAnchor.recordSize)
        #expect(JournalAnchor(seq: 999_999_999_999_999, hash: a.hash).bytes.count == JournalAnchor.recordSize)
        #expect(JournalAnchor.decode(a.bytes) == a)
        #expect(JournalAnchor.decode(Array((line + "\n").utf8)) == a, "an anchor written before the padding")
        #expect(JournalAnchor.decode(Array((line + "  x\n").utf8)) == nil)
        #expect(JournalAnchor.decode(Array(a.bytes.dropLast())) == nil)
        #expect(JournalAnchor.decode(Array("{\"seq\":012,\"hash\":\"\(a.hash)\"}\n".utf8)) == nil)
        #expect(JournalAnchor.decode(Array("{\"seq\":12,\"hash\":\"\(a.hash.uppercased())\"}\n".utf8)) == nil)
        #expect(JournalAnchor.decode(Array("{\"seq\":0,\"hash\":\"\(JournalLine.zeroHash)\"}\n".utf8)) == JournalAnchor(seq: 0, hash: JournalLine.zeroHash))
    }
}
