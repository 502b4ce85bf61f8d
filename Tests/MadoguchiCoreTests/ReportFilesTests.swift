import Foundation
@testable import MadoguchiCore
import Testing

/// Issue 11, item 8: every report export gets its own name, and no `.tmp-` file outlives a failed write.
@Suite("Report files and atomic writes", .tags(.unit))
struct ReportFilesTests {
    /// 2026-11-30 10:15:00 in Japan (01:15:00 UTC).
    static let now = Date(timeIntervalSince1970: 1_796_001_300)

    func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func leftovers(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains(".tmp-") }
    }

    @Test("Names carry the Japan-time second; the second and third export of that second get -2 and -3")
    func namesWithinOneSecond() throws {
        #expect(JapanTime.iso8601(Self.now) == "2026-11-30T10:15:00+09:00", "the fixture instant")
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let urls = try (1...3).map { i in try ReportFiles.write(Data("\(i)".utf8), in: dir, within: [dir], stem: "pending", ext: "csv", now: Self.now) }
        #expect(urls.map(\.lastPathComponent) == ["pending-20261130-101500.csv", "pending-20261130-101500-2.csv", "pending-20261130-101500-3.csv"])
        #expect(try urls.map { try String(contentsOf: $0, encoding: .utf8) } == ["1", "2", "3"], "each file kept its own content")
        let mode = try FileManager.default.attributesOfItem(atPath: urls[0].path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(leftovers(dir).isEmpty)
    }

    @Test("Writers at the same second in parallel each get a different name (O_EXCL), none lost")
    func parallelWritersNeverShareAName() async throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<24 {
                group.addTask { try ReportFiles.write(Data("\(i)".utf8), in: dir, within: [dir], stem: "pending", ext: "csv", now: Self.now).lastPathComponent }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(names).count == 24)
        let contents = try Set(names.map { try String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) })
        #expect(contents == Set((0..<24).map(String.init)))
        #expect(leftovers(dir).isEmpty)
    }

    @Test("A folder in the way of a name is stepped over, not written into")
    func folderInTheWay() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("pending-20261130-101500.csv"), withIntermediateDirectories: false)
        let url = try ReportFiles.write(Data("x".utf8), in: dir, within: [dir], stem: "pending", ext: "csv", now: Self.now)
        #expect(url.lastPathComponent == "pending-20261130-101500-2.csv")
        #expect(leftovers(dir).isEmpty)
    }

    @Test("A failed rename (a non-empty folder at the destination) leaves no temporary file")
    func failedRenameRemovesTemporary() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dest = dir.appendingPathComponent("report.csv")
        try FileManager.default.createDirectory(at: dest, withIntermediateDirectories: false)
        try Data("in the way".utf8).write(to: dest.appendingPathComponent("keep.txt"))
        let prepared = try PreparedFile.prepare(Data("x".utf8), at: dest)
        #expect(FileManager.default.fileExists(atPath: prepared.temporary.path), "the temporary file exists before the rename")
        #expect(throws: FileWriteError.self) { try prepared.commitReplacing() }
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
        // commit() refusing an existing destination also cleans up.
        let again = try PreparedFile.prepare(Data("y".utf8), at: dest)
        #expect(throws: FileWriteError.self) { try again.commit() }
        #expect(leftovers(dir).isEmpty, "\(leftovers(dir))")
    }

    @Test("The failure says what went wrong in Japanese, not strerror's English")
    func failureMessageIsJapanese() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dest = dir.appendingPathComponent("report.csv")
        try FileManager.default.createDirectory(at: dest.appendingPathComponent("full"), withIntermediateDirectories: true)
        do {
            try PreparedFile.prepare(Data("x".utf8), at: dest).commitReplacing()
            Issue.record("the rename onto a non-empty folder succeeded")
        } catch let e as FileWriteError {
            #expect(e.description.contains(dest.path) && e.description.contains("名前の変更"), "\(e)")
            #expect(!e.description.contains("directory") && !e.description.contains("Is a"), "\(e)")
        }
    }

    @Test("A prepared file dropped without commit or discard removes its temporary file")
    func abandonedPreparedFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var path = ""
        do {
            let prepared = try PreparedFile.prepare(Data("x".utf8), at: dir.appendingPathComponent("a.csv"))
            path = prepared.temporary.path
            #expect(FileManager.default.fileExists(atPath: path))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(leftovers(dir).isEmpty)
    }

    @Test("keepTemporary: the bytes of something already journaled stay when the rename fails, and are said where")
    func keptTemporarySurvivesFailure() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dest = dir.appendingPathComponent("FI_HIM_0018.csv")
        try Data("old".utf8).write(to: dest)
        let prepared = try PreparedFile.prepare(Data("new".utf8), at: dest)
        prepared.keepTemporary()
        #expect(throws: FileWriteError.self) { try prepared.commit() }
        #expect(try String(contentsOf: prepared.temporary, encoding: .utf8) == "new")
        #expect(try String(contentsOf: dest, encoding: .utf8) == "old", "never replaced")
    }

    @Test("The journal anchor's temporary file is removed when its rename fails (a folder in the way)")
    func anchorTemporaryRemovedOnFailure() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let journal = dir.appendingPathComponent("journal.jsonl")
        let anchorURL = JournalAnchor.url(for: journal)
        try FileManager.default.createDirectory(at: anchorURL.appendingPathComponent("full"), withIntermediateDirectories: true)
        let anchor = JournalAnchor(seq: 1, hash: String(repeating: "0", count: 64))
        #expect(throws: JournalError.self) { try JournalAnchor.write(anchor, journal: journal) }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains { $0.hasSuffix(".tmp") }, "\(names)")
        // And with nothing in the way it is written, with no temporary file either.
        try FileManager.default.removeItem(at: anchorURL)
        try JournalAnchor.write(anchor, journal: journal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [anchorURL.lastPathComponent])
    }

    @Test("A journal time in 和暦 with hours and minutes; anything else unchanged")
    func warekiTime() {
        #expect(Wareki.formatTime("2026-11-24T21:30:05+09:00") == "令和8年11月24日 21:30")
        #expect(Wareki.formatTime("2019-05-01T00:00:00+09:00") == "令和元年5月1日 00:00")
        #expect(Wareki.formatTime("yesterday") == "yesterday")
        #expect(Wareki.formatTime("2026-11-24") == "2026-11-24")
    }

    @Test("System errors in Japanese with the number")
    func systemErrorText() {
        #expect(SystemErrorText.japanese(ENOENT) == "ファイルかフォルダがありません、errno \(ENOENT)")
        #expect(SystemErrorText.japanese(ENOSPC).hasPrefix("ディスクの空きがありません"))
        #expect(SystemErrorText.japanese(9999) == "システムの誤り、errno 9999")
    }
}
