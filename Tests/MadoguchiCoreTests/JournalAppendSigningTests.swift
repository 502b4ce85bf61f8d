import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 14 (P4): the durable append checks its own freshly signed line by comparing keys instead of
/// verifying the signature, and syncs an existing file with fdatasync. What must still hold.
@Suite("Signed append guarantees (issue 14)", .tags(.unit))
struct JournalAppendSigningTests {
    typealias Office = RedTeamSigningTests.Office

    @Test("a key this process holds but the journal never enrolled signs nothing: refused, nothing written")
    func unenrolledKeyRefused() throws {
        let o = try Office()
        let mallory = try OperatorSigningKey.generate(operatorID: "yamada")   // yamada's name, not yamada's key
        o.store.journal.signer = mallory
        let before = try jFileBytes(o.url)
        #expect(throws: JournalError.self) { try o.store.journal.append([jDraft(1)]) }
        #expect(try jFileBytes(o.url) == before, "nothing was written")
        o.asClerk()
        try o.store.journal.append([jDraft(2)])
        #expect(Journal.verify(url: o.url).ok, "the enrolled key still writes, and every signature verifies")
    }

    @Test("another terminal's signed line is caught up and verified; a line with a bad signature stops the next append")
    func otherTerminalCaughtUpAndVerified() throws {
        let o = try Office()
        o.asClerk()
        try o.store.journal.append([jDraft(1)])
        // Another terminal: the supervisor, through its own Journal on the same file.
        let other = Journal(url: o.url)
        _ = try other.load()
        other.signer = o.sato
        try other.append([jDraft(2, op: "sato")])
        let (fromOthers, appended) = try o.store.journal.append(knownCount: try Journal(url: o.url).load().records.count - 1) { _ in
            [jDraft(3)]
        }
        #expect(fromOthers.map(\.operatorID) == ["sato"])
        #expect(appended.count == 1)
        #expect(Journal.verify(url: o.url).ok)
        // A line appended behind the journal's back, chained and hashed correctly but signed with
        // nobody's key: the next append catches it up, refuses it by line, and writes nothing.
        let records = try Journal(url: o.url).load().records
        let last = records.last!
        let forged = try JournalLine.encode(seq: last.seq + 1, time: last.time, operatorID: "yamada", caseNumber: "2026-0001",
                                            type: "case.received", data: .object(["i": .number(9)]), prev: last.hash,
                                            sign: { _ in [UInt8](repeating: 7, count: 64) })
        let handle = try FileHandle(forWritingTo: o.url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(forged.bytes))
        try handle.close()
        let withForged = try jFileBytes(o.url)
        #expect {
            try o.store.journal.append([jDraft(4)])
        } throws: { error in
            guard case JournalError.untrusted(_, let line, _) = error else { return false }
            return line == records.count + 1
        }
        #expect(try jFileBytes(o.url) == withForged, "nothing written after the forged line")
    }

    @Test("after appends that rewrite the anchor in place, a cut at the end is still found")
    func cutAtTheEndFound() throws {
        let o = try Office()
        o.asClerk()
        for i in 1...5 { try o.store.journal.append([jDraft(i)]) }
        let bytes = try jFileBytes(o.url)
        let lastStart = bytes.dropLast().lastIndex(of: 0x0A)! + 1
        try jWriteBytes(Array(bytes[..<lastStart]), to: o.url)
        #expect {
            _ = try Journal(url: o.url).load()
        } throws: { error in
            guard case JournalError.badLine(_, _, let reason) = error else { return false }
            return reason.contains("記録が短くなっています")
        }
        #expect(!Journal.verify(url: o.url).ok)
    }
}
