import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 14: the access log grows with every desk and command all year; a process's first write
/// verified every signature in it. It now resumes from the operator's saved, authenticated prefix,
/// and a change inside that prefix is still found (R-SG-4).
@Suite("Access log: the first write resumes from a verified prefix (issue 14, R-SG-4)", .tags(.unit))
struct AccessLogPrefixTests {
    @Test("a later process resumes from the saved prefix; a line rewritten inside it still stops the write")
    func resumesAndStillFindsARewrite() throws {
        let o = try RedTeamSigningTests.Office()
        o.asClerk()
        func log() -> AccessLog {
            let l = AccessLog(dataDirectory: o.dir)
            l.signing = o.store.accessSigning(o.yamada)
            return l
        }
        let first = log()
        let n = AccessLog.savePrefixAfter + 2
        for _ in 0..<n { try first.record(AccessEvent(.listed, via: "cases", count: 0), operatorID: "yamada", now: Date()) }
        #expect(!first.resumedFromPrefix, "nothing saved yet when the first process began")

        let second = log()
        try second.record(AccessEvent(.exported, via: "cases --json", cases: ["2026-0001"], count: 1), operatorID: "yamada", now: Date())
        #expect(second.resumedFromPrefix)
        let keys = try #require(o.store.journal.trust?.keys)
        let read = second.read(keys: keys)
        #expect(read.ok && read.entries.count == n + 1)

        // The insider rewrites line 3 (inside the saved prefix) and recomputes the chain and anchor.
        let t = RedTeamSigningTests()
        var lines = String(decoding: try jFileBytes(first.url), as: UTF8.self).split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: "\"via\":\"cases\"", with: "\"via\":\"desk\"")
        let fixed = t.rehash(lines)
        try Data(fixed.utf8).write(to: first.url)
        try t.rewriteAnchor(first.url, lines: fixed)
        let third = log()
        #expect(throws: JournalError.self) {
            try third.record(AccessEvent(.listed, via: "cases", count: 0), operatorID: "yamada", now: Date())
        }
        #expect(!third.resumedFromPrefix)
    }
}
