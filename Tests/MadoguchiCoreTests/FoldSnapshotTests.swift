import Foundation
import Testing
import MadoguchiBench
@testable import MadoguchiCore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14, P1: the fold snapshot (畳み込みの控え). A start that resumes from it must end with
/// exactly the book a whole fold gives, still check the journal's integrity, and never trust a
/// snapshot someone else could have made or changed.
@Suite("Fold snapshot: resume from a verified prefix (issue 14 P1)", .tags(.unit))
struct FoldSnapshotTests {
    static let size = SyntheticOffice.Size(cases: 80, events: 800, statusRows: 100)

    struct Office {
        let dir: URL
        let journal: URL
        let key: OperatorSigningKey
        init(_ label: String = #function) throws {
            dir = journalTestDirectory(label)
            journal = try SyntheticOffice.generate(into: dir, size: FoldSnapshotTests.size, seed: 11).journal
            key = try OperatorSigningKey.generate(operatorID: "yamada")
        }
        func store(key: OperatorSigningKey? = nil) -> CaseStore {
            let s = CaseStore(journalURL: journal)
            s.foldKey = FoldSnapshotKey(signingKey: key ?? self.key, journal: journal)
            return s
        }
        /// The book folded whole, without any snapshot.
        func wholeFold() throws -> CaseBook {
            let s = CaseStore(journalURL: journal)
            try s.load()
            return s.book
        }
        var snapshotFile: URL { FoldSnapshotKey(signingKey: key, journal: journal).file }
    }

    static func same(_ a: CaseBook, _ b: CaseBook) {
        #expect(a.all == b.all)
        #expect(a.order == b.order)
        #expect(a.fileEvents == b.fileEvents)
        #expect(a.officePrints == b.officePrints)
        #expect(a.unknownEvents == b.unknownEvents)
        #expect(a.signOffBatches == b.signOffBatches)
        #expect(a.doneReminders == b.doneReminders)
        #expect(a.nextNumber(year: 2026) == b.nextNumber(year: 2026))
    }

    @Test("a second start resumes from the snapshot and holds the same book as a whole fold; files 0600 in a 0700 folder")
    func resumeGivesTheSameBook() throws {
        let o = try Office()
        let first = o.store()
        try first.load()
        #expect(!first.resumedFromSnapshot, "no snapshot yet: folded whole")
        var st = stat()
        #expect(stat(o.snapshotFile.path, &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(stat(o.snapshotFile.deletingLastPathComponent().path, &st) == 0 && st.st_mode & 0o777 == 0o700)
        let second = o.store()
        let loaded = try second.load()
        #expect(second.resumedFromSnapshot)
        #expect(loaded.records.isEmpty && loaded.lineCount == first.knownCount)
        #expect(second.knownCount == first.knownCount)
        Self.same(second.book, try o.wholeFold())
    }

    @Test("lines written after the snapshot are verified and folded on top of it")
    func linesAfterTheSnapshotAreFolded() throws {
        let o = try Office()
        let writer = o.store()
        try writer.load()
        let open = try #require(writer.book.all.first { $0.status == .awaitingRegistration })
        try writer.record(.serverNumberSet("1234567890123456"), on: open.number, operatorID: "yamada", now: Date())
        try writer.record(.withdrawn(reason: "本人の申出", on: LocalDate(Date())), on: open.number, operatorID: "yamada", now: Date())
        let reader = o.store()
        let loaded = try reader.load()
        #expect(reader.resumedFromSnapshot)
        #expect(loaded.records.count == 2)
        #expect(reader.book[open.number]?.status == .withdrawn)
        Self.same(reader.book, try o.wholeFold())
    }

    @Test("a journal changed under the snapshot is folded whole, and the change is named as without a snapshot (R-SG-3)")
    func changedPrefixIsNotTrusted() throws {
        let o = try Office()
        try o.store().load()
        // An insider edits a name in line 3 (the hash no longer matches).
        var bytes = try jFileBytes(o.journal)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let third = lines[0].count + lines[1].count + 2
        let at = try #require(bytes[third...].firstIndex(of: UInt8(ascii: "a")))
        bytes[at] = UInt8(ascii: "b")
        try Data(bytes).write(to: o.journal)
        #expect(throws: JournalError.self) { try o.store().load() }
    }

    @Test("a snapshot changed by one byte, or made with another operator's key, is not used")
    func forgedSnapshotIsIgnored() throws {
        let o = try Office()
        try o.store().load()
        var snap = try jFileBytes(o.snapshotFile)
        snap[snap.count - 5] ^= 0x01
        try Data(snap).write(to: o.snapshotFile)
        let afterForgery = o.store()
        try afterForgery.load()
        #expect(!afterForgery.resumedFromSnapshot)
        Self.same(afterForgery.book, try o.wholeFold())

        // Another clerk's key: their own snapshot file, never this one.
        let other = o.store(key: try OperatorSigningKey.generate(operatorID: "suzuki"))
        try other.load()
        #expect(!other.resumedFromSnapshot)
        // A copy of yamada's snapshot placed under suzuki's name fails suzuki's MAC.
        let suzuki = try OperatorSigningKey.generate(operatorID: "suzuki")
        let suzukiFile = FoldSnapshotKey(signingKey: suzuki, journal: o.journal).file
        try? FileManager.default.removeItem(at: suzukiFile)
        try FileManager.default.copyItem(at: o.snapshotFile, to: suzukiFile)
        let copied = o.store(key: suzuki)
        try copied.load()
        #expect(!copied.resumedFromSnapshot)
    }

    @Test("the snapshot's file name carries no run of digits a 個人番号 scan would report (R-ID-4), whatever the key")
    func fileNameHasNoDigits() throws {
        // A key whose hex begins with twelve digits named its file journal.jsonl.320274914602bbff.fold.
        #expect(FoldSnapshotKey.fingerprint([0x32, 0x02, 0x74, 0x91, 0x46, 0x02, 0xbb, 0xff, 0x00]) == "dcachejbegacllpp")
        for _ in 0..<50 {
            let name = FoldSnapshotKey(signingKey: try OperatorSigningKey.generate(operatorID: "yamada"),
                                       journal: URL(fileURLWithPath: "/d/journal.jsonl")).file.lastPathComponent
            #expect(name.range(of: #"^journal\.jsonl\.[a-p]{16}\.fold$"#, options: .regularExpression) != nil, "\(name)")
        }
    }

    @Test("the hex-named snapshot an older version left (the whole case book) is removed when the new one is written (R-ID-4)")
    func formerSnapshotIsRemoved() throws {
        let o = try Office()
        let key = FoldSnapshotKey(signingKey: o.key, journal: o.journal)
        try FileManager.default.createDirectory(at: key.formerFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("old".utf8).write(to: key.formerFile)
        #expect(key.formerFile.lastPathComponent == "journal.jsonl.\(o.key.publicKey.hex.prefix(16)).fold")
        try o.store().load()
        #expect(FileManager.default.fileExists(atPath: o.snapshotFile.path))
        #expect(!FileManager.default.fileExists(atPath: key.formerFile.path))
    }

    @Test("lines cut from the end after the snapshot are found by the anchor, as without a snapshot (R-SG-3)")
    func cutAfterSnapshotIsFound() throws {
        let o = try Office()
        let writer = o.store()
        try writer.load()
        let open = try #require(writer.book.all.first { $0.status == .awaitingRegistration })
        try writer.record(.serverNumberSet("1234567890123456"), on: open.number, operatorID: "yamada", now: Date())
        // Cut the last line: the anchor names it.
        var bytes = try jFileBytes(o.journal)
        bytes.removeLast()
        let cut = bytes.lastIndex(of: 0x0A)! + 1
        try Data(bytes[..<cut]).write(to: o.journal)
        #expect(throws: JournalError.self) { try o.store().load() }
    }

    @Test("a resumed book keeps only where each line is; its data is read back and checked against the line's hash (P5)")
    func locatedDataIsReadBackAndChecked() throws {
        let o = try Office()
        try o.store().load()
        let store = o.store()
        try store.load()
        #expect(store.resumedFromSnapshot)
        let whole = try o.wholeFold()
        let c = try #require(store.book.all.first { $0.history.count > 2 })
        let r = c.history[1]
        guard case .located = r.storage else { Issue.record("the history was not left in the journal"); return }
        #expect(r.data == whole[c.number]!.history[1].data)
        #expect(r.data != .null)
        // The line's bytes changed on disk after the start: the data is not shown as if it were verified.
        var bytes = try jFileBytes(o.journal)
        guard case .located(_, let offset, let length) = r.storage else { return }
        let at = try #require(bytes[offset..<(offset + length)].firstIndex(of: UInt8(ascii: "2")))
        bytes[at] = UInt8(ascii: "3")
        try Data(bytes).write(to: o.journal)
        #expect(r.data == .null)
    }
}
