import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 16 item 2: one `EventType` for every journal line the desk writes.
@Suite("Event types (issue 16)", .tags(.unit))
struct EventTypeTests {
    /// The journal's spelling, written out by hand: a renamed case must not change a journal's bytes.
    static let spelled: [String] = [
        "case.received", "tickets.issued", "application.corrected",
        "registration.exported", "registration.accepted", "registration.manual", "registration.failed",
        "registration.requeued", "server.held", "server.hold_cleared", "server.cancelled", "cancellation.confirmed",
        "case.transferred_out", "case.withdrawn", "case.server_number_set", "case.reregistered",
        "notice.issued", "notice.printed", "list.printed", "reminder.done", "file.recorded",
        "batch.prepared", "batch.approved", "batch.returned",
        "office.opened", "key.enrolled", "key.revoked", "checkpoint.signed", "anchor.recreated",
        "access.listed", "access.searched", "access.opened", "access.exported", "access.printed",
        "access.verified", "access.audited",
    ]

    @Test("every type is spelled as the journal spells it, and read back from that text")
    func spelling() {
        #expect(EventType.allCases.map(\.rawValue) == Self.spelled)
        for t in EventType.allCases { #expect(EventType(line: t.rawValue) == t) }
        #expect(EventType(line: "case.future") == nil)
        #expect(EventType(line: "Case.Received") == nil, "the spelling is exact")
    }

    @Test("the groups: the lifecycle's moves, the sign-off, the safeguards, and the access log's kinds")
    func groups() {
        #expect(EventType.lifecycle.count == 13)
        #expect(EventType.lifecycle.isDisjoint(with: EventType.signOff) && EventType.lifecycle.isDisjoint(with: EventType.trust))
        #expect(EventType.trust.contains(nil as EventType?) == false)
        #expect(AccessEvent.Kind.allCases.map(\.eventType.rawValue) == AccessEvent.Kind.allCases.map { "access." + $0.rawValue })
        // Every move's type is a lifecycle type, and decodes back to the same kind of move.
        let moves: [LifecycleEvent] = [.exported(file: "a.csv"), .requeued(note: ""), .serverNumberSet("1")]
        for m in moves { #expect(EventType.lifecycle.contains(m.type)) }
    }

    @Test("a line of a type this version does not know is an error naming the file, the line and the type")
    func unknownTypeIsAnError() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let journal = Journal(url: dir.appendingPathComponent("journal.jsonl"))
        let time = Date(timeIntervalSince1970: 1_795_523_405)
        try journal.append([EventDraft(caseNumber: "-", type: .listPrinted, data: .object([:]), operatorID: "yamada", time: time),
                            EventDraft(caseNumber: "-", type: "case.future", data: .object([:]), operatorID: "yamada", time: time)])
        let records = try Journal(url: journal.url).load().records
        #expect(try EventType(of: records[0], in: "journal.jsonl") == .listPrinted)
        #expect(records[1].eventType == nil && records[1].type == "case.future")
        #expect(throws: JournalError.unknownEventType(file: "journal.jsonl", line: 2, type: "case.future")) {
            try EventType(of: records[1], in: "journal.jsonl")
        }
        let message = JournalError.unknownEventType(file: "journal.jsonl", line: 2, type: "case.future").description
        #expect(message == "journal.jsonl 2行目: 記録の種類「case.future」はこの版では読めません（新しい版で書かれたか、記録が壊れています）")
    }

    @Test("the office's store keeps a line of an unknown type, acts on none, and says so on every load, naming the line")
    func unknownTypeIsSaidOnLoad() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let time = Date(timeIntervalSince1970: 1_795_523_405)
        try Journal(url: url).append([EventDraft(caseNumber: "-", type: .listPrinted, data: .object([:]), operatorID: "yamada", time: time),
                                      EventDraft(caseNumber: "-", type: "case.future", data: .object([:]), operatorID: "yamada", time: time),
                                      EventDraft(caseNumber: "-", type: "case.future2", data: .object([:]), operatorID: "yamada", time: time)])
        let store = CaseStore(journalURL: url)
        let loaded = try store.load()
        #expect(loaded.warnings == ["journal.jsonl 2行目: 記録の種類「case.future」はこの版では読めません（新しい版で書かれたか、記録が壊れています）。この行は消さずに残し、案件には反映していません（ほかに 1 行）"])
        #expect(store.book.unknownEvents.count == 2 && store.book.cases.isEmpty)
        #expect(try Journal(url: url).load().records.count == 3)
        #expect(try CaseStore(journalURL: url).load().warnings == loaded.warnings)   // said again, not once
    }

    @Test("a typed draft writes the same bytes as the text it stands for")
    func typedDraftWritesTheSameBytes() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let time = Date(timeIntervalSince1970: 1_795_523_405)
        let typed = dir.appendingPathComponent("typed.jsonl"), text = dir.appendingPathComponent("text.jsonl")
        // The journal refuses sign-off and safeguard lines without their data: the other kinds say it.
        for t in EventType.allCases where !EventType.signOff.contains(t) && !EventType.trust.contains(t) {
            try Journal(url: typed).append([EventDraft(caseNumber: "-", type: t, data: .object([:]), operatorID: "o", time: time)])
            try Journal(url: text).append([EventDraft(caseNumber: "-", type: t.rawValue, data: .object([:]), operatorID: "o", time: time)])
        }
        #expect(try Data(contentsOf: typed) == Data(contentsOf: text))
    }

    @Test("the access log names a line of an unknown type as such")
    func accessLogUnknownType() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = AccessLog(dataDirectory: dir)
        try log.record(AccessEvent(.opened, via: "desk", cases: ["2026-0001"]), operatorID: "yamada", now: Date())
        try log.journal.append([EventDraft(caseNumber: "-", type: "access.peeked", data: .object([:]), operatorID: "yamada", time: Date())])
        let read = log.read()
        #expect(read.entries.count == 1)
        #expect(read.problem?.line == 2)
        #expect(read.problem?.reason == "記録の種類「access.peeked」はこの版では読めません（新しい版で書かれたか、記録が壊れています）")
    }
}
