import Foundation
import Testing
@testable import MadoguchiCore

/// R-SG-4: the access log (`<data>/access.jsonl`) — who listed, searched, opened, exported and
/// printed what, and when — in the journal's chained line format, read back verified.
@Suite("Access log (R-SG-4)", .tags(.unit))
struct AccessLogTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)   // 2026-11-18 in Japan

    static func log(_ label: String = #function) -> (AccessLog, URL) {
        let dir = journalTestDirectory(label)
        return (AccessLog(dataDirectory: dir), dir)
    }

    @Test("an entry is one chained journal line (0600 in a 0700 folder) naming the operator, the time, the kind and case numbers only")
    func recordsOneLine() throws {
        let (log, dir) = Self.log()
        defer { try? FileManager.default.removeItem(at: dir) }
        try log.record(AccessEvent(.opened, via: "desk", cases: ["2026-0001"]), operatorID: "yamada", now: Self.t0)
        try log.record(AccessEvent(.exported, via: "pending --csv", cases: ["2026-0001", "2026-0002"], filter: "未完了の一覧",
                                   file: "/x/pending.csv"), operatorID: "sato", now: Self.t0 + 60)
        #expect(log.url.lastPathComponent == "access.jsonl")
        let attrs = try FileManager.default.attributesOfItem(atPath: log.url.path)
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let dirAttrs = try FileManager.default.attributesOfItem(atPath: dir.path)
        #expect((dirAttrs[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let lines = try String(contentsOf: log.url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        // One case opened: the line's case field names it; an export of two: "-" and the list in data.
        #expect(lines[0].contains(#""operator":"yamada","case":"2026-0001","type":"access.opened""#), "\(lines[0])")
        #expect(lines[1].contains(#""operator":"sato","case":"-","type":"access.exported""#), "\(lines[1])")
        #expect(Journal.verify(url: log.url).ok)
        let read = log.read()
        #expect(read.ok && read.anchorChecked)
        #expect(read.entries.map(\.operatorID) == ["yamada", "sato"])
        #expect(read.entries.map(\.event.kind) == [.opened, .exported])
        #expect(read.entries[1].event.cases == ["2026-0001", "2026-0002"] && read.entries[1].event.file == "/x/pending.csv")
        #expect(read.entries[1].time == JapanTime.iso8601(Self.t0 + 60))
        #expect(read.entries[0].event == AccessEvent(.opened, via: "desk", cases: ["2026-0001"]))
    }

    @Test("a 個人番号 typed as a search is masked; a long paste is cut; a huge list keeps its count and 200 numbers")
    func privacyAndSize() throws {
        let (log, dir) = Self.log()
        defer { try? FileManager.default.removeItem(at: dir) }
        let numbers = (1...1000).map { String(format: "2026-%04d", $0) }
        try log.record(AccessEvent(.searched, via: "desk /", cases: [], query: "1234 5678 9012"), operatorID: "yamada", now: Self.t0)
        try log.record(AccessEvent(.searched, via: "cases --search", query: String(repeating: "や", count: 500)), operatorID: "yamada", now: Self.t0)
        try log.record(AccessEvent(.exported, via: "cases --json", cases: numbers, wholeList: true), operatorID: "yamada", now: Self.t0)
        let text = try String(contentsOf: log.url, encoding: .utf8)
        #expect(!text.contains("1234 5678 9012") && !text.contains("123456789012"), "\(text.prefix(400))")
        let read = log.read()
        #expect(read.ok)
        #expect(read.entries[0].event.query?.contains("****") == true, "\(read.entries[0].event.query ?? "")")
        #expect(read.entries[1].event.query?.count == AccessEvent.maximumQueryLength)
        #expect(read.entries[2].event.count == 1000 && read.entries[2].event.cases.count == AccessEvent.maximumCaseNumbers)
        #expect(read.entries[2].concerns("2026-0999"), "a whole-list read concerns every case")
    }

    @Test("a changed line is named with the entries before it; lines cut at the end are found against the anchor")
    func brokenLogIsReportedWithTheLine() throws {
        let (log, dir) = Self.log()
        defer { try? FileManager.default.removeItem(at: dir) }
        for i in 1...4 {
            try log.record(AccessEvent(.opened, via: "desk", cases: [String(format: "2026-%04d", i)]), operatorID: "yamada", now: Self.t0)
        }
        let original = try Data(contentsOf: log.url)
        // An insider rewrites who opened case 3 (without recomputing the hash).
        let forged = String(decoding: original, as: UTF8.self).replacingOccurrences(of: #""operator":"yamada","case":"2026-0003""#,
                                                                                  with: #""operator":"suzuki","case":"2026-0003""#)
        try Data(forged.utf8).write(to: log.url)
        var read = log.read()
        #expect(read.problem?.line == 3, "\(String(describing: read.problem))")
        #expect(read.entries.count == 2)
        // Appending to a broken log fails (the chain is cut): the caller is told.
        #expect(throws: JournalError.self) {
            try log.record(AccessEvent(.listed, via: "desk"), operatorID: "yamada", now: Self.t0)
        }
        // The last line deleted: only the anchor shows it.
        let lines = original.split(separator: 0x0A, omittingEmptySubsequences: false)
        try Data(lines.prefix(3).joined(separator: [0x0A]) + [0x0A]).write(to: log.url)
        read = log.read()
        #expect(read.problem != nil && read.entries.count == 3, "\(String(describing: read.problem))")
        // The file deleted while its anchor remembers four lines.
        try FileManager.default.removeItem(at: log.url)
        read = log.read()
        #expect(read.problem != nil, "a deleted access log is not an empty one")
    }

    @Test("a missing log with no anchor is empty; a line that is not an access record is named")
    func emptyAndForeign() throws {
        let (log, dir) = Self.log()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(log.read().ok && log.read().entries.isEmpty)
        try log.record(AccessEvent(.listed, via: "desk", count: 3, wholeList: true), operatorID: "yamada", now: Self.t0)
        try Journal(url: log.url).append([EventDraft(caseNumber: "2026-0001", type: "case.received", data: .object([:]),
                                                     operatorID: "yamada", time: Self.t0)])
        let read = log.read()
        #expect(read.problem?.line == 2 && read.entries.count == 1, "\(String(describing: read.problem))")
    }

    @Test("a log that cannot be written throws, naming the file")
    func unwritable() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // access.jsonl is a folder: nothing can be appended.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(AccessLog.fileName), withIntermediateDirectories: true)
        let log = AccessLog(dataDirectory: dir)
        do {
            try log.record(AccessEvent(.opened, via: "desk", cases: ["2026-0001"]), operatorID: "yamada", now: Self.t0)
            Issue.record("recorded into a folder")
        } catch let e as JournalError {
            #expect(e.description.contains("access.jsonl"), "\(e)")
        }
    }

    @Test("filters: operator, days (inclusive), kinds, case (a whole-list read included)")
    func filters() throws {
        let (log, dir) = Self.log()
        defer { try? FileManager.default.removeItem(at: dir) }
        let day = 86_400.0
        try log.record(AccessEvent(.listed, via: "desk", count: 2, wholeList: true), operatorID: "yamada", now: Self.t0)
        try log.record(AccessEvent(.opened, via: "desk", cases: ["2026-0001"]), operatorID: "yamada", now: Self.t0 + day)
        try log.record(AccessEvent(.exported, via: "pending --csv", cases: ["2026-0002"], file: "/x.csv"), operatorID: "sato", now: Self.t0 + 2 * day)
        let entries = log.read().entries
        func pick(_ f: AccessFilter) -> [Int] { entries.filter(f.matches).map(\.lineNumber) }
        let d0 = LocalDate(Self.t0)
        #expect(pick(AccessFilter()) == [1, 2, 3])
        #expect(pick(AccessFilter(operatorID: "sato")) == [3])
        #expect(pick(AccessFilter(since: d0.addingDays(1))) == [2, 3])
        #expect(pick(AccessFilter(until: d0.addingDays(1))) == [1, 2])
        #expect(pick(AccessFilter(since: d0.addingDays(1), until: d0.addingDays(1))) == [2])
        #expect(pick(AccessFilter(kinds: [.exported, .listed])) == [1, 3])
        #expect(pick(AccessFilter(caseNumber: "2026-0001")) == [1, 2])
        #expect(pick(AccessFilter(caseNumber: "2026-0002")) == [1, 3])
    }

    @Test("the pending list's filter in words")
    func pendingSummary() {
        var f = PendingFilter()
        #expect(f.accessSummary.isEmpty)
        f.statuses = [.awaitingRegistration]
        f.overdueOnly = true
        f.month = YearMonth(iso: "2026-11")
        #expect(f.accessSummary == "状態=awaiting_registration 予定日超過 月=2026-11")
    }

    /// One line per case opened: what does it cost? (fsync-bound; the desk writes one per Enter.)
    @Test("measured: the cost of one access record (printed), and the first record in a process on a 20,000-line log")
    func appendCost() throws {
        let (log, dir) = Self.log()
        defer { try? FileManager.default.removeItem(at: dir) }
        let n = 200
        let start = Date()
        for i in 0..<n {
            try log.record(AccessEvent(.opened, via: "desk", cases: [String(format: "2026-%04d", i)]), operatorID: "yamada", now: Self.t0)
        }
        let each = Date().timeIntervalSince(start) / Double(n)
        // Grow the log to 20,000 lines in one append, then time a fresh instance's first record (it
        // reads and verifies the whole chain once, as a CLI command does).
        let drafts = (0..<19_800).map { i in
            EventDraft(caseNumber: "2026-0001", type: "access.opened",
                       data: AccessEvent(.opened, via: "desk", cases: [String(format: "2026-%04d", i % 9999)]).data,
                       operatorID: "yamada", time: Self.t0)
        }
        try log.journal.append(drafts)
        let cold = Date()
        try AccessLog(url: log.url).record(AccessEvent(.listed, via: "cases", count: 1, wholeList: true), operatorID: "yamada", now: Self.t0)
        let first = Date().timeIntervalSince(cold)
        let readStart = Date()
        let read = log.read()
        let readTime = Date().timeIntervalSince(readStart)
        print(String(format: "AccessLog: %.3f ms per record (mean of %d, fsync each); first record on a 20,001-line log %.1f ms; read+verify %.1f ms",
                     each * 1000, n, first * 1000, readTime * 1000))
        #expect(read.ok && read.entries.count == 20_001)
        #expect(each < 0.05, "one record took \(each * 1000) ms")
    }
}
