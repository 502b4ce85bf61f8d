import Foundation
import Testing
@testable import MadoguchiCore

@Suite("Journal durability, permissions and torn lines", .tags(.unit))
struct JournalDurabilityTests {
    @Test("a fresh directory tree is created 0700 and the file 0600; load creates nothing")
    func permissionsOnFreshDirectory() throws {
        let root = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appendingPathComponent("a/b/journal.jsonl")
        let journal = Journal(url: url)

        let empty = try journal.load()
        #expect(empty.records.isEmpty && empty.tornTail == nil)
        #expect(!FileManager.default.fileExists(atPath: root.path))

        try journal.append([jDraft(1)])
        #expect(try jPermissions(root) == 0o700)
        #expect(try jPermissions(root.appendingPathComponent("a")) == 0o700)
        #expect(try jPermissions(root.appendingPathComponent("a/b")) == 0o700)
        #expect(try jPermissions(url) == 0o600)
        #expect(try Journal(url: url).load().warnings.isEmpty)
    }

    @Test("wider permissions produce Japanese warnings")
    func permissionWarnings() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append([jDraft(1)])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        let warnings = try Journal(url: url).load().warnings
        #expect(warnings.count == 2)
        #expect(warnings.contains { $0.contains("0644") && $0.contains("0600") && $0.contains("ファイル") })
        #expect(warnings.contains { $0.contains("0755") && $0.contains("0700") && $0.contains("ディレクトリ") })
    }

    @Test("data is on disk when append returns: a new Journal sees it")
    func reopenAfterAppend() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        var written: [JournalRecord] = []
        for i in 1...5 {
            let j = Journal(url: url)  // a new instance (new fd) each time
            written += try j.append([jDraft(i)])
            let seen = try Journal(url: url).load().records
            #expect(seen == written)
        }
        #expect(written.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(Journal.verify(url: url).ok)
    }

    @Test("a torn last line is set aside with its exact bytes; earlier lines untouched; appends continue")
    func tornLastLineWithoutNewline() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let j = Journal(url: url)
        let first = try j.append([jDraft(1), jDraft(2), jDraft(3)])
        let good = try jFileBytes(url)

        // Simulate a crash mid-write: half of a valid 4th line, no newline.
        let other = dir.appendingPathComponent("other.jsonl")
        let lines = jSplitLines(try { try Journal(url: other).append([jDraft(1), jDraft(2), jDraft(3), jDraft(4)]); return try jFileBytes(other) }())
        let half = Array(lines[3].prefix(lines[3].count / 2))
        try jWriteBytes(good + half, to: url)
        #expect(Journal.verify(url: url).problem?.line == 4)

        // A writer that did not load first must not append after the torn bytes.
        #expect(throws: JournalError.tornTail(file: "journal.jsonl", line: 4,
                                              reason: "行が改行で終わっていません（書き込みの途中で切れています）")) {
            try Journal(url: url).append([jDraft(9)])
        }
        #expect(try jFileBytes(url) == good + half)

        let load = try Journal(url: url).load()
        #expect(load.records == first)
        let torn = try #require(load.tornTail)
        #expect(torn.lineNumber == 4)
        #expect(torn.byteCount == half.count)
        #expect(torn.reason.contains("改行"))
        #expect(torn.savedTo.lastPathComponent.hasPrefix("journal.jsonl.torn-"))
        #expect(torn.savedTo.lastPathComponent.count == "journal.jsonl.torn-".count + 14)
        #expect(try jFileBytes(torn.savedTo) == half)
        #expect(try jPermissions(torn.savedTo) == 0o600)
        #expect(try jFileBytes(url) == good)  // earlier lines byte-for-byte untouched

        let next = try j.append([jDraft(4)])
        #expect(next.map(\.seq) == [4])
        #expect(next[0].prev == first[2].hash)
        #expect(Journal.verify(url: url).ok)
        #expect(try Journal(url: url).load().records.count == 4)
    }

    @Test("a complete last line with a bad hash is also set aside; a second torn copy gets its own file")
    func tornLastLineBadHash() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append([jDraft(1), jDraft(2)])
        let bytes = try jFileBytes(url)
        let lines = jSplitLines(bytes)
        var broken = lines[1]
        broken[20] ^= 0x01
        try jWriteBytes(lines[0] + broken, to: url)
        // As a crash leaves it: line 2 written but its append never acknowledged, so the anchor still
        // names line 1 (with the anchor on line 2 it is damage, not a torn write: JournalAnchorTests).
        try JournalAnchor.write(JournalAnchor(seq: 1, hash: JournalAnchor.hashOfLine(1, in: bytes[...])!), journal: url)
        let load1 = try Journal(url: url).load()
        #expect(load1.records.count == 1)
        #expect(load1.tornTail?.lineNumber == 2)
        #expect(load1.tornTail?.reason.contains("ハッシュ") == true)
        #expect(try jFileBytes(load1.tornTail!.savedTo) == broken)
        #expect(try jFileBytes(url) == lines[0])

        // Same second: the name must not collide with the first torn file.
        try jWriteBytes(lines[0] + [0x7B, 0x22], to: url)
        let load2 = try Journal(url: url).load()
        #expect(load2.tornTail?.byteCount == 2)
        #expect(load2.tornTail?.savedTo != load1.tornTail?.savedTo)
        #expect(try jFileBytes(load1.tornTail!.savedTo) == broken)
        #expect(try jFileBytes(url) == lines[0])
    }

    @Test("a bad line that is not the last is not repaired: load throws naming the line")
    func badMiddleLine() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        try Journal(url: url).append((1...4).map { jDraft($0) })
        var lines = jSplitLines(try jFileBytes(url))
        // Change one character of line 2's data (山田 → 山口) keeping the length.
        let text = String(decoding: lines[1], as: UTF8.self).replacingOccurrences(of: "山田", with: "山口")
        lines[1] = Array(text.utf8)
        let tampered = lines.flatMap { $0 }
        try jWriteBytes(tampered, to: url)

        do {
            _ = try Journal(url: url).load()
            Issue.record("load should throw")
        } catch let error as JournalError {
            guard case .badLine(let file, let line, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(file == "journal.jsonl")
            #expect(line == 2)
            #expect(error.description.hasPrefix("journal.jsonl 2行目: "))
        }
        #expect(try jFileBytes(url) == tampered)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers.sorted() == ["journal.jsonl", "journal.jsonl.anchor"])  // no torn file
        #expect(throws: JournalError.self) { try Journal(url: url).append([jDraft(5)]) }
        #expect(try jFileBytes(url) == tampered)
    }

    @Test("a body that throws writes nothing; empty drafts write nothing")
    func bodyThrowsOrEmpty() throws {
        struct Abort: Error {}
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let j = Journal(url: url)
        try j.append([jDraft(1)])
        let before = try jFileBytes(url)
        #expect(throws: Abort.self) { _ = try j.append(knownCount: 1) { _ in throw Abort() } }
        let r = try j.append(knownCount: 1) { _ in [] }
        #expect(r.fromOthers.isEmpty && r.appended.isEmpty)
        #expect(try jFileBytes(url) == before)
    }

    @Test("the cache notices a file changed in place or shortened by someone else")
    func cacheInvalidation() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let j = Journal(url: url)
        try j.append([jDraft(1), jDraft(2), jDraft(3)])
        let lines = jSplitLines(try jFileBytes(url))

        // Shortened at a line boundary behind the anchor's back: refused, nothing written.
        try jWriteBytes(lines[0] + lines[1], to: url)
        #expect(throws: JournalError.self) { try j.append([jDraft(4)]) }
        #expect(try jFileBytes(url) == lines[0] + lines[1])
        // Restored from a backup together with its anchor: chaining continues from line 2.
        try JournalAnchor.write(JournalAnchor(seq: 2, hash: JournalAnchor.hashOfLine(2, in: (lines[0] + lines[1])[...])!), journal: url)
        let r = try j.append([jDraft(4)])
        #expect(r.map(\.seq) == [3])
        #expect(Journal.verify(url: url).ok)

        // Same size, changed in place: detected rather than appended to.
        var bytes = try jFileBytes(url)
        bytes[30] ^= 0x01
        Thread.sleep(forTimeInterval: 0.01)  // make sure the modification time differs
        try jWriteBytes(bytes, to: url)
        #expect(throws: JournalError.badLine(file: "journal.jsonl", line: 1,
                                             reason: "行の内容がハッシュと一致しません（改ざんまたは破損）")) {
            try j.append([jDraft(5)])
        }
        #expect(try jFileBytes(url) == bytes)
    }
}
