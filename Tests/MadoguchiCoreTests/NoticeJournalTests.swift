import Foundation
import Testing
@testable import MadoguchiCore

/// Issuing a notice writes the text (0600) and records `notice.issued` on the case (R-NT-4); a
/// reprint finds it in the journal and checks the text is the one recorded.
@Suite(.tags(.unit))
struct NoticeJournalTests {
    @Test("issuing records the event on the case and the file; reprint finds it")
    func issueAndReprint() throws {
        let office = noticeOffice(training: true)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly))
        let now = noticeInstant(noticeDate(2026, 11, 24))
        let r = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk,
                                      renderer: noticeRenderer(), pdf: false, now: now)
        #expect(r.id == "\(n)-pending-1")
        #expect(r.file == office.dataDirectory.appendingPathComponent("notices/\(n)-pending-1.txt").path)
        #expect(r.pdfFile == nil && r.pdfProblem == nil)

        // The file: as rendered, 0600, in a 0700 folder, hash as recorded.
        let data = try #require(FileManager.default.contents(atPath: r.file))
        let expected = try noticeRenderer().render(.pending, for: store.book[n]!, office: office, clerk: noticeClerk, today: noticeDate(2026, 11, 24))
        #expect(String(decoding: data, as: UTF8.self) == expected)
        let mode = try FileManager.default.attributesOfItem(atPath: r.file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let dirMode = try FileManager.default.attributesOfItem(atPath: office.dataDirectory.appendingPathComponent("notices").path)[.posixPermissions] as? Int
        #expect(dirMode == 0o700)

        // The journal line.
        let line = try #require(store.book[n]!.history.last)
        #expect(line.eventType == .noticeIssued)
        #expect(line.operatorID == "yamada")
        #expect(line.caseNumber == n)
        let p = try line.data.decode(as: NoticeIssuedPayload.self)
        #expect(p == NoticeIssuedPayload(id: "\(n)-pending-1", kind: .pending, file: "notices/\(n)-pending-1.txt",
                                         sha256: RegistrationExport.sha256(data), pdf: false))
        #expect(line.data["file"]?.stringValue == "notices/\(n)-pending-1.txt")

        // A fresh load (another terminal, the next day) knows it, and a reprint finds it.
        let again = CaseStore(journalURL: office.journalURL)
        try again.load()
        #expect(NoticeLedger.notices(of: again.book[n]!).map(\.id) == ["\(n)-pending-1"])
        let rp = try again.reprintNotice(id: "\(n)-pending-1", office: office, pdf: false)
        #expect(rp.reprint && rp.file == r.file && rp.sha256 == p.sha256)
        #expect(rp.issuedBy == "yamada" && rp.issuedAt == JapanTime.iso8601(now))
        #expect(rp.summaryLines.first?.contains("記録と一致") == true)

        // The second notice of the same kind gets the next number; a hold notice its own.
        let r2 = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk,
                                       renderer: noticeRenderer(), pdf: false, now: now)
        #expect(r2.id == "\(n)-pending-2")
        #expect(NoticeLedger.notices(of: store.book[n]!).count == 2)
    }

    @Test("a reprint refuses a text that was changed or lost, and an unknown id")
    func reprintRefusals() throws {
        let office = noticeOffice(training: false)
        let (store, n) = try noticeStore(office: office, noticeApplication(.insured))
        let r = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk,
                                      renderer: noticeRenderer(), pdf: false, now: noticeInstant(noticeDate(2026, 11, 24)))
        #expect(throws: NoticeError.noSuchNotice("2026-9999-pending-1")) {
            try store.reprintNotice(id: "2026-9999-pending-1", office: office, pdf: false)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: r.file)
        try Data("書き換えた\n".utf8).write(to: URL(fileURLWithPath: r.file))
        #expect(throws: NoticeError.fileChanged(id: r.id, path: r.file)) {
            try store.reprintNotice(id: r.id, office: office, pdf: false)
        }
        try FileManager.default.removeItem(atPath: r.file)
        #expect(throws: NoticeError.fileMissing(id: r.id, path: r.file)) {
            try store.reprintNotice(id: r.id, office: office, pdf: false)
        }
    }

    @Test("a refused notice writes neither a file nor a journal line")
    func refusedWritesNothing() throws {
        let office = noticeOffice(training: false)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly))
        let before = store.knownCount
        #expect(throws: NoticeError.self) {
            try store.issueNotice(.hold, caseNumber: n, office: office, clerk: noticeClerk,
                                  renderer: noticeRenderer(), pdf: false, now: noticeInstant(noticeDate(2026, 12, 1)))
        }
        #expect(store.knownCount == before)
        let notices = office.dataDirectory.appendingPathComponent("notices")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: notices.path)) ?? []
        #expect(left.isEmpty)
    }

    @Test("without the PDF tools the text is still written and recorded, and the message says what to install")
    func pdfToolMissing() throws {
        let office = noticeOffice(training: true)
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly),
                                         moves: noticeRegistered + [(noticeDate(2026, 12, 31), .held(reason: .codeBeingObtained, noticeDate: noticeDate(2026, 12, 31)))])
        let r = try store.issueNotice(.hold, caseNumber: n, office: office, clerk: noticeClerk, renderer: noticeRenderer(),
                                      pdf: true, now: noticeInstant(noticeDate(2027, 1, 5)), environment: ["PATH": "/nonexistent"])
        #expect(r.id == "\(n)-hold-1")
        #expect(FileManager.default.fileExists(atPath: r.file))
        #expect(r.pdfFile == nil)
        let problem = try #require(r.pdfProblem)
        #expect(problem.contains("apt-get install pango1.0-tools poppler-utils fonts-ipafont-gothic"))
        #expect(problem.hasPrefix("PDF を作るには pango1.0-tools と poppler-utils と fonts-ipafont-gothic が必要です"))
        let p = try store.book[n]!.history.last!.data.decode(as: NoticeIssuedPayload.self)
        #expect(p.pdf == false)
    }
}
