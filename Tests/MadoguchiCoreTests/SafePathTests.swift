import Foundation
import Testing
@testable import MadoguchiCore
#if canImport(Glibc)
import Glibc
#endif

/// `SafePath` (R-SG-6) on its own: the no-replace rename, the folder rules, confinement.
@Suite("SafePath: no-replace rename, folders, confinement (R-SG-6)", .tags(.unit))
struct SafePathTests {
    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-safepath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return d
    }

    @Test("renameNoReplace moves to a free name and never over an existing one (EEXIST, both files kept)")
    func renameNoReplace() throws {
        let d = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let a = d.appendingPathComponent("a"), b = d.appendingPathComponent("b")
        try Data("a".utf8).write(to: a)
        try Data("b".utf8).write(to: b)
        #expect(SafePath.renameNoReplace(a.path, b.path) == -1 && errno == EEXIST)
        #expect(FileManager.default.contents(atPath: a.path) == Data("a".utf8))
        #expect(FileManager.default.contents(atPath: b.path) == Data("b".utf8))
        let c = d.appendingPathComponent("c")
        #expect(SafePath.renameNoReplace(a.path, c.path) == 0)
        #expect(!FileManager.default.fileExists(atPath: a.path) && FileManager.default.contents(atPath: c.path) == Data("a".utf8))
    }

    @Test("A regular file created after prepare is not replaced by commit; the temporary file is removed")
    func fileCreatedBetweenPrepareAndCommit() throws {
        let d = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let dest = d.appendingPathComponent("report.csv")
        let prepared = try PreparedFile.prepare(Data("ours\n".utf8), at: dest)
        try Data("theirs\n".utf8).write(to: dest)
        let e = try #require(throws: FileWriteError.self) { try prepared.commit() }
        #expect(e.description.contains(dest.path) && e.code == EEXIST)
        #expect(FileManager.default.contents(atPath: dest.path) == Data("theirs\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: d.path) == ["report.csv"])
    }

    @Test("A folder writable by everyone (no sticky bit) is refused; group-writable and sticky are allowed")
    func folderRules() throws {
        let d = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        #expect(SafePath.folderProblem(d.path) == nil)
        chmod(d.path, 0o770)
        #expect(SafePath.folderProblem(d.path) == nil)
        chmod(d.path, 0o777)
        #expect(SafePath.folderProblem(d.path)?.contains("誰でも書き込めます") == true)
        let e = try #require(throws: SafePath.Refused.self) { try PreparedFile.prepare(Data("x".utf8), at: d.appendingPathComponent("f")) }
        #expect(e.description.contains(d.appendingPathComponent("f").path))
        chmod(d.path, 0o1777)
        #expect(SafePath.folderProblem(d.path) == nil)
        chmod(d.path, 0o700)
        // A link to a folder made by this account (an administrator's own link) is fine.
        let link = d.appendingPathComponent("link")
        let real = d.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
        #expect(SafePath.folderProblem(link.path) == nil)
    }

    @Test("confined: inside a root is kept (missing folders too); `..` out, another folder, or a link below the root is refused")
    func confinement() throws {
        let d = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: d) }
        let root = d.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        #expect(try SafePath.confined(root.appendingPathComponent("reports/new/x.csv"), within: [root], what: "CSV").path
                == root.appendingPathComponent("reports/new/x.csv").path)
        #expect(throws: SafePath.Refused.self) { try SafePath.confined(root.appendingPathComponent("../x.csv"), within: [root], what: "CSV") }
        #expect(throws: SafePath.Refused.self) { try SafePath.confined(d.appendingPathComponent("other/x.csv"), within: [root], what: "CSV") }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("out").path, withDestinationPath: d.path)
        let e = try #require(throws: SafePath.Refused.self) { try SafePath.confined(root.appendingPathComponent("out/x.csv"), within: [root], what: "CSV") }
        #expect(e.why.contains(root.appendingPathComponent("out").path))
        // A configured root that is itself a link (the administrator's) is allowed.
        #expect(try SafePath.confined(root.appendingPathComponent("out/x.csv"), within: [root.appendingPathComponent("out")], what: "CSV")
                .lastPathComponent == "x.csv")
    }
}

@Suite("Registration date a month after the export is said (R-RG-9)", .tags(.unit))
struct RegistrationMonthWarningTests {
    @Test("A result imported with a registration date in the month after the export carries a warning naming the new expected date")
    func laterMonthIsSaid() throws {
        let env = try batchEnv()
        let c = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let rows = try batchRows(ofExport: try #require(try batchExport(env, at: batchJST(2026, 11, 30)).file))
        let url = try env.inbox("result.csv", batchResultFile([rows[0] + ["1", "正常終了"]]))
        let r = try env.store.importResults(url, office: env.office, registeredOn: batchDate(2026, 12, 1), allowBadRows: false,
                                            operatorID: "yamada", now: batchJST(2026, 12, 2))
        #expect(r.outcome == .applied)
        #expect(r.warnings.contains { $0.contains(c.number) && $0.contains("令和9年1月31日") && $0.contains("R-RG-9") }, "\(r.warnings)")
        // The same month: nothing to say.
        let env2 = try batchEnv("sameMonth")
        _ = try batchReceive(env2, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let rows2 = try batchRows(ofExport: try #require(try batchExport(env2, at: batchJST(2026, 11, 25)).file))
        let url2 = try env2.inbox("result.csv", batchResultFile([rows2[0] + ["1", "正常終了"]]))
        let r2 = try env2.store.importResults(url2, office: env2.office, registeredOn: batchDate(2026, 11, 30), allowBadRows: false,
                                              operatorID: "yamada", now: batchJST(2026, 12, 2))
        #expect(r2.warnings.isEmpty, "\(r2.warnings)")
    }

    @Test("notice --out: copies only inside the office's folders (R-SG-6)")
    func noticeCopiesStayInside() throws {
        let office = noticeOffice(training: true)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly))
        let r = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk, renderer: noticeRenderer(),
                                      pdf: false, now: noticeInstant(noticeDate(2026, 11, 24)))
        let outside = office.dataDirectory.deletingLastPathComponent().appendingPathComponent("printer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outside) }
        let e = try #require(throws: SafePath.Refused.self) { try r.copying(to: outside, within: office.exportRoots) }
        #expect(e.description.contains(outside.path))
        #expect(!FileManager.default.fileExists(atPath: outside.path))
        let inside = office.dataDirectory.appendingPathComponent("printer")
        let copied = try r.copying(to: inside, within: office.exportRoots)
        #expect(copied.copies == [inside.appendingPathComponent("\(n)-pending-1.txt").path])
    }
}
