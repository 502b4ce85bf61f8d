import Foundation
import Testing
@testable import MadoguchiCore
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12 item 6 (R-SG-6), as an insider would try it: every path the office writes is swapped for
/// a symlink to a file of the attacker's choosing, or a name is planted between the check and the
/// rename. Each refusal names the path, and nothing is written through the link.
///
/// These tests use only API that existed before the change (errors are read as text), so each one
/// compiles and fails on the code before it.
@Suite("Red team: files are what they claim (R-SG-6)", .tags(.unit))
struct RedTeamFilesTests {
    /// A fresh folder with `data/` (the office's) and `elsewhere/` (the attacker's target).
    struct Place {
        let root: URL
        var data: URL { root.appendingPathComponent("data") }
        var elsewhere: URL { root.appendingPathComponent("elsewhere") }
        var journal: URL { data.appendingPathComponent("journal.jsonl") }
        var anchor: URL { URL(fileURLWithPath: journal.path + ".anchor") }

        init(_ label: String = #function) throws {
            root = FileManager.default.temporaryDirectory
                .appendingPathComponent("madoguchi-redteam-files-\(label.filter(\.isLetter))-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try FileManager.default.createDirectory(at: root.appendingPathComponent("elsewhere"), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }

        func remove() { try? FileManager.default.removeItem(at: root) }

        func link(_ at: URL, to target: URL) throws {
            try FileManager.default.createSymbolicLink(atPath: at.path, withDestinationPath: target.path)
        }

        func bytes(_ url: URL) -> Data? { FileManager.default.contents(atPath: url.path) }

        func listing(_ url: URL) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
    }

    static func draft(_ n: Int) -> EventDraft {
        EventDraft(caseNumber: "2026-000\(n)", type: "test.event", data: .object(["n": .number(Double(n))]),
                   operatorID: "yamada", time: Date(timeIntervalSince1970: 1_795_000_000))
    }

    /// One case in a batch a supervisor approved (令和8年11月25日), ready to export; the journal's bytes.
    static func approvedBatch(_ env: BatchEnv) throws -> Data {
        _ = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let b = try env.store.prepareBatch(office: env.office, by: Operator(id: "yamada", name: "山田", role: .clerk), now: batchJST(2026, 11, 25))
        try env.store.decideBatch(b.id, approve: true, comment: "", by: Operator(id: "sato", name: "佐藤", role: .supervisor), now: batchJST(2026, 11, 25))
        return env.journalBytes()
    }

    /// The error's text (whatever its type), for checking that the path is named.
    static func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    @Test("A symlinked journal is refused with its path; the file it points to is not written")
    func symlinkedJournal() throws {
        let p = try Place()
        defer { p.remove() }
        // The attacker's journal elsewhere (a valid one, so following the link would work).
        let target = p.elsewhere.appendingPathComponent("journal.jsonl")
        try Journal(url: target).append([Self.draft(1)])
        let before = p.bytes(target)
        try p.link(p.journal, to: target)

        let load = Self.message { _ = try Journal(url: p.journal).load() }
        #expect(load?.contains(p.journal.path) == true, "\(load ?? "loaded through the link")")
        #expect(load?.contains("シンボリックリンク") == true, "\(load ?? "")")
        let append = Self.message { try Journal(url: p.journal).append([Self.draft(2)]) }
        #expect(append?.contains(p.journal.path) == true, "\(append ?? "appended through the link")")
        #expect(p.bytes(target) == before, "the journal behind the link was written")
        let verify = Journal.verify(url: p.journal)
        #expect(!verify.ok && verify.problem?.reason.contains(p.journal.path) == true, "\(String(describing: verify.problem))")
    }

    @Test("A symlinked anchor is refused with its path; the file it points to is not rewritten")
    func symlinkedAnchor() throws {
        let p = try Place()
        defer { p.remove() }
        let journal = Journal(url: p.journal)
        try journal.append([Self.draft(1)])
        // The anchor moved elsewhere and linked back: an append would pwrite the new record through it.
        let target = p.elsewhere.appendingPathComponent("anchor")
        try FileManager.default.moveItem(at: p.anchor, to: target)
        try p.link(p.anchor, to: target)
        let before = p.bytes(target)

        // Start-up (every command and the desk load first) refuses, naming the anchor's path.
        let load = Self.message { _ = try Journal(url: p.journal).load() }
        #expect(load?.contains(p.anchor.path) == true, "\(load ?? "loaded with the linked anchor")")
        #expect(load?.contains("シンボリックリンク") == true, "\(load ?? "")")
        // An append checks the anchor as it reads the journal: refused too, nothing written through the link.
        let journalBytes = p.bytes(p.journal)
        let append = Self.message { try Journal(url: p.journal).append([Self.draft(2)]) }
        #expect(append?.contains(p.anchor.path) == true, "\(append ?? "appended")")
        #expect(p.bytes(target) == before, "the anchor behind the link was rewritten")
        #expect(p.bytes(p.journal) == journalBytes)
    }

    @Test("A planted anchor.tmp symlink is not written through when the anchor is recreated")
    func plantedAnchorTemporary() throws {
        let p = try Place()
        defer { p.remove() }
        try Journal(url: p.journal).append([Self.draft(1)])
        try FileManager.default.removeItem(at: p.anchor)   // the next load recreates it via <anchor>.tmp
        let victim = p.elsewhere.appendingPathComponent("victim.txt")
        try Data("大事な書類\n".utf8).write(to: victim)
        try p.link(URL(fileURLWithPath: p.anchor.path + ".tmp"), to: victim)

        let loaded = try Journal(url: p.journal).load()
        #expect(p.bytes(victim) == Data("大事な書類\n".utf8), "the anchor's record was written into the file behind the link")
        // The anchor could not be written: said, naming the temporary path.
        #expect(loaded.warnings.contains { $0.contains(p.anchor.path + ".tmp") }, "\(loaded.warnings)")
    }

    @Test("A symlinked export folder is refused with the path; nothing is written outside, nothing journaled")
    func symlinkedExportFolder() throws {
        let env = try batchEnv()
        let outside = env.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: env.office.dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: env.exportDirectory.path, withDestinationPath: outside.path)
        let journal = try Self.approvedBatch(env)
        let refused = Self.message {
            _ = try env.store.exportRegistrations(office: env.office, directory: env.exportDirectory, operatorID: "yamada", now: batchJST(2026, 11, 25))
        }
        #expect(refused?.contains(env.exportDirectory.path) == true, "\(refused ?? "exported through the link")")
        #expect(refused?.contains("シンボリックリンク") == true, "\(refused ?? "")")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: outside.path))?.isEmpty == true, "a file was written outside")
        #expect(env.journalBytes() == journal, "the journal changed")
    }

    @Test("A symlink at the export file's name is refused with the path, not stepped around nor replaced")
    func symlinkedExportFile() throws {
        let env = try batchEnv()
        try FileManager.default.createDirectory(at: env.exportDirectory, withIntermediateDirectories: true)
        let victim = env.root.appendingPathComponent("victim.csv")
        let name = env.exportDirectory.appendingPathComponent("FI_HIM_0018_D1300019_20261125.csv")
        try FileManager.default.createSymbolicLink(atPath: name.path, withDestinationPath: victim.path)   // dangling: the victim does not exist yet
        let journal = try Self.approvedBatch(env)
        let refused = Self.message {
            _ = try env.store.exportRegistrations(office: env.office, directory: env.exportDirectory, operatorID: "yamada", now: batchJST(2026, 11, 25))
        }
        #expect(refused?.contains(name.path) == true, "\(refused ?? "exported")")
        #expect(!FileManager.default.fileExists(atPath: victim.path))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: name.path)) == victim.path, "the link was replaced")
        #expect(env.journalBytes() == journal)
    }

    @Test("A symlinked notices folder is refused with the path; the notice is not written elsewhere nor journaled")
    func symlinkedNoticeFolder() throws {
        let office = noticeOffice(training: true)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly))
        let outside = office.dataDirectory.deletingLastPathComponent().appendingPathComponent("outside-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let notices = office.dataDirectory.appendingPathComponent("notices")
        try FileManager.default.createSymbolicLink(atPath: notices.path, withDestinationPath: outside.path)
        let journal = FileManager.default.contents(atPath: office.journalURL.path)

        let refused = Self.message {
            _ = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk, renderer: noticeRenderer(),
                                      pdf: false, now: noticeInstant(noticeDate(2026, 11, 24)))
        }
        #expect(refused?.contains(notices.path) == true, "\(refused ?? "issued through the link")")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: outside.path))?.isEmpty == true)
        #expect(FileManager.default.contents(atPath: office.journalURL.path) == journal)
    }

    @Test("A notice's recorded file swapped for a symlink is refused on reprint, with the path")
    func symlinkedNoticeFileOnReprint() throws {
        let office = noticeOffice(training: true)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly))
        let r = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk, renderer: noticeRenderer(),
                                      pdf: false, now: noticeInstant(noticeDate(2026, 11, 24)))
        // The same bytes elsewhere, linked in its place: the hash still matches, the file is not the office's.
        let copy = office.dataDirectory.deletingLastPathComponent().appendingPathComponent("copy-\(UUID().uuidString).txt")
        try FileManager.default.moveItem(atPath: r.file, toPath: copy.path)
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.createSymbolicLink(atPath: r.file, withDestinationPath: copy.path)
        let refused = Self.message { _ = try store.reprintNotice(id: r.id, office: office, pdf: false) }
        #expect(refused?.contains(r.file) == true, "\(refused ?? "reprinted through the link")")
    }

    @Test("A name planted at the destination after prepare — even a dangling symlink — is never replaced by commit")
    func plantedBetweenPrepareAndCommit() throws {
        let p = try Place()
        defer { p.remove() }
        let dest = p.data.appendingPathComponent("FI_HIM_0018_D1300019_20261125.csv")
        let prepared = try PreparedFile.prepare(Data("ours\n".utf8), at: dest)
        // Between the check and the rename, someone plants a link (it points nowhere yet).
        let victim = p.elsewhere.appendingPathComponent("victim.csv")
        try p.link(dest, to: victim)
        #expect(throws: (any Error).self) { try prepared.commit() }
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dest.path)) == victim.path, "the planted name was replaced")
        #expect(!FileManager.default.fileExists(atPath: victim.path))
        #expect(p.listing(p.data) == [dest.lastPathComponent], "the temporary file was left: \(p.listing(p.data))")
    }

    @Test("commitReplacing refuses a symlink at the destination with the path (the training clock, a report)")
    func replacingRefusesSymlink() throws {
        let p = try Place()
        defer { p.remove() }
        let victim = p.elsewhere.appendingPathComponent("clock-elsewhere.json")
        try Data("{}".utf8).write(to: victim)
        let dest = p.data.appendingPathComponent("clock.json")
        try p.link(dest, to: victim)
        let refused = Self.message { try PreparedFile.prepare(Data("{\"date\":\"2099-01-01\"}".utf8), at: dest).commitReplacing() }
        #expect(refused?.contains(dest.path) == true, "\(refused ?? "replaced the link")")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dest.path)) == victim.path)
        #expect(p.bytes(victim) == Data("{}".utf8))
        #expect(p.listing(p.data) == ["clock.json"], "\(p.listing(p.data))")
    }

    @Test("The pending list's PDF or CSV outside the office's folders, or through a symlinked folder, is refused with the path")
    func exportOutsideTheOfficeFolders() throws {
        let env = try batchEnv()
        try FileManager.default.createDirectory(at: env.office.dataDirectory, withIntermediateDirectories: true)
        let outside = env.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        // `..` out of the data folder, and a folder inside it that links out.
        let escaping = env.office.dataDirectory.appendingPathComponent("reports/../../outside/list.pdf")
        let linked = env.office.dataDirectory.appendingPathComponent("linked")
        try FileManager.default.createSymbolicLink(atPath: linked.path, withDestinationPath: outside.path)
        for destination in [escaping, linked.appendingPathComponent("list.pdf"), outside.appendingPathComponent("list.pdf")] {
            let refused = Self.message {
                _ = try env.store.printPendingList(filter: PendingFilter(), sort: .number, descending: false, today: batchDate(2026, 11, 25),
                                                   office: env.office, printer: nil, by: Operator(id: "yamada", name: "山田", role: .clerk),
                                                   now: batchJST(2026, 11, 25), to: destination)
            }
            #expect(refused?.contains("list.pdf") == true && refused?.contains("PDF を作れません") != true,
                    "\(destination.path): \(refused ?? "written")")
        }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: outside.path))?.isEmpty == true)
    }
}
