import Foundation
import Testing
@testable import MadoguchiCore
import MadoguchiBench

/// Issue 7: the synthetic office is deterministic and real, and every shortcut taken for speed gives
/// the same result as the plain path it replaced.
@Suite("Fast load (issue 7)", .tags(.unit))
struct FastLoadTests {
    static func tempDir(_ label: String = #function) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-fastload-tests")
            .appendingPathComponent("\(label.filter { $0.isLetter })-\(UUID().uuidString)")
    }

    static let small = SyntheticOffice.Size(cases: 60, events: 600, statusRows: 150)

    /// The old way: print the value as JSON and parse it back with Foundation's JSONDecoder.
    static func viaJSONDecoder<T: Decodable>(_ type: T.Type, _ v: JSONValue) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONValue.encoder.encode(v))
    }

    static func json<T: Encodable>(_ v: T) throws -> String {
        String(decoding: try JSONValue.encoder.encode(v), as: UTF8.self)
    }

    @Test("The same seed gives the same bytes; another seed other bytes; the journal verifies and folds, every status present")
    func generatorIsDeterministicAndReal() throws {
        let a = Self.tempDir(), b = Self.tempDir(), c = Self.tempDir()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        let ga = try SyntheticOffice.generate(into: a, size: Self.small, seed: 42)
        let gb = try SyntheticOffice.generate(into: b, size: Self.small, seed: 42)
        let gc = try SyntheticOffice.generate(into: c, size: Self.small, seed: 43)
        #expect(try Data(contentsOf: ga.journal) == Data(contentsOf: gb.journal))
        #expect(try Data(contentsOf: ga.statusFile) == Data(contentsOf: gb.statusFile))
        #expect(try Data(contentsOf: ga.journal) != Data(contentsOf: gc.journal))
        #expect(ga.lines == Self.small.events)
        #expect(Journal.verify(url: ga.journal).ok)
        let store = CaseStore(journalURL: ga.journal)
        try store.load()
        #expect(store.book.count == Self.small.cases)
        #expect(store.book.cases.count == Self.small.cases && store.book.cases.keys.sorted() == store.book.order.sorted())
        for s in CaseStatus.allCases {
            #expect(store.book.all.contains { $0.status == s }, "status \(s) missing")
        }
        var folded: [CaseStatus: Int] = [:]
        for c in store.book.all { folded[c.status, default: 0] += 1 }
        #expect(folded == ga.statusCounts)
        // Japanese text with quotes and a newline went through the real encoder and back.
        #expect(store.book.all.contains { $0.application.reason.contains("\n") })
        #expect(store.book.all.contains { $0.application.reason.contains("\"") })
        let perm = try FileManager.default.attributesOfItem(atPath: ga.journal.path)[.posixPermissions] as? Int
        #expect(perm == 0o600)
    }

    @Test("The status file reads in the configured encoding and layout, and its import confirms cases (R-CF-1)")
    func statusFileImports() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: Self.small)
        let office = SyntheticOffice.office(dataDirectory: dir)
        let bytes = try Data(contentsOf: out.statusFile)
        #expect(!bytes.withUnsafeBytes { TextDecoding.validUTF8($0) }, "CP932, not UTF-8")
        let parsed = try StatusFile.parse(bytes, config: office.interchange)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.rows.count == Self.small.statusRows)
        let store = CaseStore(journalURL: out.journal)
        try store.load()
        let report = try store.importStatus(out.statusFile, office: office, allowBadRows: false, operatorID: "yamada",
                                            now: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(report.outcome == .applied)
        #expect(!report.changes.isEmpty)
        for f in out.monthlyFiles {
            #expect(try StatusFile.parse(Data(contentsOf: f), config: office.interchange).problems.isEmpty)
        }
    }

    @Test("Every payload of a synthetic journal decodes the same straight from the value as through JSONDecoder")
    func directDecodingEqualsJSONDecoder() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: Self.small)
        let records = try Journal(url: out.journal).load().records
        var seen = Set<String>()
        for r in records {
            seen.insert(r.type)
            switch r.eventType {
            case .received:
                let fast = try #require(FastPayload.fastReceived(r.data), "the fast path takes the desk's own lines")
                #expect(fast == (try Self.viaJSONDecoder(ReceivedPayload.self, r.data)))
                #expect(try r.data.decode(as: ReceivedPayload.self) == fast)
            case .ticketsIssued:
                let fast = try #require(FastPayload.fastTickets(r.data), "the fast path takes the desk's own lines")
                #expect(fast == (try Self.viaJSONDecoder(TicketsIssuedPayload.self, r.data)))
                guard case .bytes(let bytes) = r.storage else { Issue.record("read records keep bytes"); continue }
                #expect(FastPayload.ticketsFromBytes(bytes) == fast, "straight from the line's bytes")
                #expect(try r.data.decode(as: TicketsIssuedPayload.self) == fast)
            case .fileRecorded:
                #expect(try r.data.decode(as: FileEvent.Payload.self) == Self.viaJSONDecoder(FileEvent.Payload.self, r.data))
            case .reminderDone:
                #expect(try r.data.decode(as: ReminderDone.Payload.self) == Self.viaJSONDecoder(ReminderDone.Payload.self, r.data))
            default:
                let fast = try #require(FastPayload.fastLifecycle(r.data), "\(r.type)")
                guard case .bytes(let bytes) = r.storage else { Issue.record("read records keep bytes"); continue }
                let direct = try #require(FastPayload.lifecycleFromBytes(bytes), "\(r.type) straight from bytes")
                #expect(try Self.json(direct) == Self.json(fast))
                #expect(try Self.json(fast) == Self.json(Self.viaJSONDecoder(CaseLifecycle.Payload.self, r.data)))
                #expect(try Self.json(r.data.decode(as: CaseLifecycle.Payload.self)) == Self.json(fast))
            }
        }
        #expect(seen.count >= 12, "types seen: \(seen.sorted())")
    }

    @Test("JSONValue(encoding:) reads back with the journal's parser the same value JSONDecoder gives")
    func encodingReadsBackTheSame() throws {
        func old<T: Encodable>(_ v: T) throws -> JSONValue {
            try JSONDecoder().decode(JSONValue.self, from: JSONValue.encoder.encode(v))
        }
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: Self.small)
        for r in try Journal(url: out.journal).load().records {
            #expect(try JSONValue(encoding: r.data) == old(r.data))
        }
        var p = FileEvent.Payload(kind: .statusImport, fileName: "状況/2026.csv", sha256: String(repeating: "a", count: 64),
                                  cases: ["2026-0001"], rows: 100_000)
        p.certificates = ["1234567890123456": "2026-12-31", "\u{0}\"\\": "x"]
        #expect(try JSONValue(encoding: p) == old(p))
        let odd: [String: Double] = ["big": 9_007_199_254_740_993, "neg": -0.0, "frac": 0.1, "tiny": 5e-324, "max": 1.7976931348623157e308]
        #expect(try JSONValue(encoding: odd) == old(odd))
        #expect(try JSONValue(encoding: [true, false]) == old([true, false]))
        #expect(try JSONValue(encoding: [Int64.max, Int64.min]) == old([Int64.max, Int64.min]))
    }

    @Test("Odd shapes leave the fast paths and fail (or succeed) exactly as JSONDecoder does")
    func oddShapesFallBack() throws {
        let wrongReason: JSONValue = .object(["reason": .string("1"), "date": .string("2026-11-24")])
        #expect(FastPayload.fastLifecycle(wrongReason) == nil)
        #expect(throws: (any Error).self) { try FastPayload.lifecycle(wrongReason) }
        #expect(throws: (any Error).self) { try Self.viaJSONDecoder(CaseLifecycle.Payload.self, wrongReason) }
        let badDate: JSONValue = .object(["date": .string("2026/11/24")])
        #expect(FastPayload.fastLifecycle(badDate) == nil)
        #expect(throws: (any Error).self) { try FastPayload.lifecycle(badDate) }
        let fractional: JSONValue = .object(["reason": .number(1.5)])
        #expect(throws: (any Error).self) { try FastPayload.lifecycle(fractional) }
        #expect(throws: (any Error).self) { try Self.viaJSONDecoder(CaseLifecycle.Payload.self, fractional) }
        let nulls: JSONValue = .object(["file": .null, "note": .string("メモ\n\"引用\"\\"), "reason": .number(3)])
        #expect(try Self.json(FastPayload.lifecycle(nulls)) == Self.json(Self.viaJSONDecoder(CaseLifecycle.Payload.self, nulls)))
        // Straight from bytes: nulls, escapes, negative and whole numbers as the tree; other shapes left to it.
        for text in [#"{"date":"2026-11-24","file":null,"note":"メモ\n\"引用\"","reason":3}"#, #"{}"#, #"{"reason":-2}"#,
                     #"{"office":"\u798f\u7949\u4e8b\u52d9\u6240"}"#] {
            let tree = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            #expect(try Self.json(#require(FastPayload.lifecycleFromBytes(Array(text.utf8)))) == Self.json(Self.viaJSONDecoder(CaseLifecycle.Payload.self, tree)), "\(text)")
        }
        for text in [#"{"reason":1.5}"#, #"{"reason":"1"}"#, #"{"date":"2026/11/24"}"#, #"{"x":"y"}"#, #"{"note":1}"#,
                     #"{"note":"a","note":"b"}"#, #"{ "note":"a"}"#, #"{"note":"a"} "#] {
            #expect(FastPayload.lifecycleFromBytes(Array(text.utf8)) == nil, "\(text)")
        }
        let missing: JSONValue = .object(["tickets": .array([])])
        #expect(FastPayload.fastTickets(missing) == nil)
        #expect(throws: (any Error).self) { try FastPayload.tickets(missing) }
        #expect(throws: (any Error).self) { try Self.viaJSONDecoder(TicketsIssuedPayload.self, missing) }
        // An application missing a field, or with a date not YYYY-MM-DD: refused the same way.
        let good = try JSONValue(encoding: ReceivedPayload(application: Application(
            applicant: .init(furigana: "ヤマダ タロウ", name: "山田 太郎", birthDate: nil, postalCode: "1000001", prefecture: "東京都",
                             municipality: "千代田区", address: "千代田1-1", phone: "", email: ""),
            recipientNumber: "1234567", serverIndividualNumber: nil, proxy: nil, requestTicked: true, signedFormReceived: true,
            reason: "理由", applicationDate: LocalDate(year: 2026, month: 11, day: 24)!, branch: .insured,
            insurance: .init(insurerName: "協会けんぽ", insurerNumber: "01130012", appliedToInsurer: .toldToApply, verifiedBy: .networkInquiry),
            holdsValidTickets: false, explained: ["a"], transferredFrom: nil), status: .waitingForInsurer))
        #expect(try FastPayload.received(good) == Self.viaJSONDecoder(ReceivedPayload.self, good))
        // The proxy, with and without its e-mail (別添2 備考; lines written before it have none): the
        // fast path keeps the e-mail exactly as Codable does.
        for email in [nil, "ichiro@example.jp"] as [String?] {
            var withProxy = try Self.viaJSONDecoder(ReceivedPayload.self, good)
            withProxy.application.proxy = .init(name: "山田 一郎", furigana: "", phone: "090-1111-2222", relationship: "長男", email: email)
            let tree = try JSONValue(encoding: withProxy)
            #expect(try FastPayload.received(tree) == Self.viaJSONDecoder(ReceivedPayload.self, tree))
            #expect(try FastPayload.received(tree).application.proxy?.email == email)
        }
        guard case .object(var o) = good, case .object(var app)? = o["application"] else { Issue.record("shape"); return }
        for (key, value) in [("applicationDate", JSONValue.string("2026-11-31")), ("branch", .string("other")),
                             ("requestTicked", .string("true")), ("explained", .array([.number(1)]))] {
            var bad = app
            bad[key] = value
            o["application"] = .object(bad)
            #expect(throws: (any Error).self) { try FastPayload.received(.object(o)) }
            #expect(throws: (any Error).self) { try Self.viaJSONDecoder(ReceivedPayload.self, .object(o)) }
        }
        app["reason"] = nil
        o["application"] = .object(app)
        #expect(FastPayload.fastReceived(.object(o)) == nil)
        #expect(throws: (any Error).self) { try FastPayload.received(.object(o)) }
        // Straight from bytes: escapes and Japanese as the tree path; any other layout is left to it.
        let escaped = TicketsIssuedPayload(tickets: [PaperTicket(kind: .dispensing, institution: "\"さくら\"薬局\\\n𠮷", month: YearMonth(year: 2026, month: 1)!),
                                                     PaperTicket(kind: .medical, institution: "", month: YearMonth(year: 2026, month: 12)!)],
                                           occasion: "monthly")
        let escapedBytes = try JournalLine.encodeData(JSONValue(encoding: escaped))
        #expect(FastPayload.ticketsFromBytes(escapedBytes) == escaped)
        let none = TicketsIssuedPayload(tickets: [], occasion: "intake")
        #expect(FastPayload.ticketsFromBytes(try JournalLine.encodeData(JSONValue(encoding: none))) == none)
        for other in [#"{"occasion":"monthly","tickets":[],"x":1}"#, #"{"tickets":[],"occasion":"monthly"}"#,
                      #"{"occasion":"monthly","tickets":[{"institution":"a","kind":"dental","month":"2026-01"}]}"#,
                      #"{"occasion":"monthly","tickets":[{"institution":"a","kind":"medical","month":"2026-1"}]}"#,
                      #"{"occasion": "monthly","tickets":[]}"#] {
            #expect(FastPayload.ticketsFromBytes(Array(other.utf8)) == nil, "\(other)")
        }
        let badKind: JSONValue = .object(["occasion": .string("monthly"), "tickets": .array([
            .object(["kind": .string("dental"), "institution": .string("歯科"), "month": .string("2026-11")])])])
        #expect(throws: (any Error).self) { try FastPayload.tickets(badKind) }
        #expect(throws: (any Error).self) { try Self.viaJSONDecoder(TicketsIssuedPayload.self, badKind) }
    }

    @Test("JSONValueDecoder: keys, nulls, numbers and types as JSONDecoder")
    func jsonValueDecoderMatches() throws {
        struct T: Codable, Equatable {
            var a: Int
            var b: String?
            var c: [Double]
            var d: [String: String]?
            var e: Bool
            var f: LocalDate?
        }
        let ok: JSONValue = .object(["a": .number(7), "b": .null, "c": .array([.number(1), .number(2.5)]),
                                     "d": .object(["枝番": .string("0001"), "x": .string("\u{1F600}\t\u{0}")]), "e": .bool(true),
                                     "f": .string("2026-02-28")])
        #expect(try ok.decode(as: T.self) == Self.viaJSONDecoder(T.self, ok))
        let cases: [JSONValue] = [
            .object(["c": .array([]), "e": .bool(true)]),                                   // a missing
            .object(["a": .number(1.5), "c": .array([]), "e": .bool(true)]),                // a not whole
            .object(["a": .string("1"), "c": .array([]), "e": .bool(true)]),                // a a string
            .object(["a": .number(1), "c": .array([]), "e": .number(1)]),                   // e a number
            .object(["a": .number(1), "c": .array([]), "e": .bool(true), "f": .string("2026-02-30")]),
            .array([]),
        ]
        for v in cases {
            #expect(throws: (any Error).self) { try v.decode(as: T.self) }
            #expect(throws: (any Error).self) { try Self.viaJSONDecoder(T.self, v) }
        }
    }

    @Test("Several moves on one case in one write still see each other; an illegal one writes nothing (P4 change)")
    func batchedMovesSeeEachOther() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: Self.small)
        let store = CaseStore(journalURL: out.journal)
        try store.load()
        let n = out.appendableCase
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        try store.record([(n, .exported(file: "a.csv")),
                          (n, .registrationAccepted(registeredOn: LocalDate(year: 2026, month: 11, day: 18)!, file: nil))],
                         operatorID: "yamada", now: now)
        #expect(store.book[n]?.status == .registered)
        let lines = store.knownCount
        #expect(throws: CaseError.self) {
            try store.record([(n, .holdCleared(on: LocalDate(year: 2026, month: 11, day: 21)!)),
                              (n, .exported(file: "b.csv"))], operatorID: "yamada", now: now)
        }
        #expect(store.knownCount == lines)
        let again = CaseStore(journalURL: out.journal)
        try again.load()
        #expect(again.knownCount == lines)
        #expect(again.book[n] == store.book[n])
    }
}

/// The journal checks a line's `data` without building it (issue 7, P5): it must accept and refuse
/// exactly what the parser does.
@Suite("Journal data check without building (issue 7)", .tags(.unit))
struct JournalSkipValueTests {
    /// (parse succeeded, end index, reason) for both ways of reading.
    static func both(_ bytes: [UInt8]) -> (parse: (Bool, Int, String?), skip: (Bool, Int, String?)) {
        bytes.withUnsafeBytes { raw in
            var p = JournalLine.Parser(bytes: raw)
            var q = JournalLine.Parser(bytes: raw)
            var a: (Bool, Int, String?) = (true, 0, nil)
            var b: (Bool, Int, String?) = (true, 0, nil)
            do { _ = try p.parseValue(depth: 0); a = (true, p.i, nil) } catch { a = (false, 0, (error as? JournalLine.Failure)?.reason) }
            do { try q.skipValue(depth: 0); b = (true, q.i, nil) } catch { b = (false, 0, (error as? JournalLine.Failure)?.reason) }
            return (a, b)
        }
    }

    @Test("Crafted values: the same verdict, end and reason")
    func crafted() {
        let texts: [String] = [
            #"{"a":1,"b":[true,false,null],"c":{"d":"日本語\n\"x\""}}"#, #"{"a":1,"a":2}"#, #"{"a":1,"\u0061":2}"#,
            #"{"\u0061":1,"b":2}"#, #"{"a":"\u00e9\ud83d\ude00"}"#, #"{"a":"\ud83d"}"#, #"[1e999]"#, #"[1e10,-0.5,0]"#, #"[01]"#,
            #"[-]"#, #"[1.]"#, #"{"a":1,}"#, #"[1,]"#, #"tru"#, #"nul"#, #"{"a" 1}"#, #"{"a":1"#, #"["abc"#, #"{ "a" : [ 1 , 2 ] }"#,
            "\"tab\there\"", #"{}"#, #"[]"#, #"{"k":{}}"#, #""\x""#, String(repeating: "[", count: 201) + String(repeating: "]", count: 201),
            String(repeating: "[", count: 199) + String(repeating: "]", count: 199),
        ]
        for t in texts {
            let r = Self.both(Array(t.utf8))
            #expect(r.parse.0 == r.skip.0 && r.parse.1 == r.skip.1 && r.parse.2 == r.skip.2, "\(t): \(r)")
        }
        // Invalid UTF-8 inside a string and inside a key.
        for bad in [[0x22, 0xE3, 0x81, 0x22] as [UInt8], [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]] {
            let r = Self.both(bad)
            #expect(!r.parse.0 && !r.skip.0 && r.parse.2 == r.skip.2)
        }
    }

    @Test("Every data of a synthetic journal, and thousands of one-byte changes to them, get the same verdict")
    func mutations() throws {
        let dir = FastLoadTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: FastLoadTests.small)
        let records = try Journal(url: out.journal).load().records
        var rng = SyntheticOffice.Random(state: 99)
        let alphabet: [UInt8] = Array(#"{}[]",:\"0123456789-+.eEtrufalsn u"#.utf8) + [0x0A, 0x00, 0x80, 0xE3, 0xFF]
        var checked = 0
        for r in records {
            let bytes = try JournalLine.encodeData(r.data)
            let ok = Self.both(bytes)
            #expect(ok.parse.0 && ok.skip.0 && ok.parse.1 == ok.skip.1)
            for _ in 0..<10 {
                var m = bytes
                let at = rng.below(m.count)
                switch rng.below(3) {
                case 0: m[at] = rng.pick(alphabet)
                case 1: m.remove(at: at)
                default: m.insert(rng.pick(alphabet), at: at)
                }
                let v = Self.both(m)
                #expect(v.parse.0 == v.skip.0 && v.parse.1 == v.skip.1 && v.parse.2 == v.skip.2, "\(String(decoding: m, as: UTF8.self)): \(v)")
                checked += 1
            }
        }
        #expect(checked >= 5000)
    }

    @Test("A record read from the file keeps its data as bytes and equals the record as written")
    func compactRecordEqualsWritten() throws {
        let dir = FastLoadTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let journal = Journal(url: dir.appendingPathComponent("journal.jsonl"))
        let data: JSONValue = .object(["note": .string("改行\nと \"引用\" と \\ と 𠮷"), "n": .number(3), "list": .array([.null, .bool(true)])])
        let written = try journal.append([EventDraft(caseNumber: "2026-0001", type: "x.unknown", data: data, operatorID: "yamada",
                                                     time: Date(timeIntervalSince1970: 1_795_000_000))])
        let read = try Journal(url: journal.url).load().records
        #expect(read == written)
        #expect(read[0].data == data)
        if case .bytes = read[0].storage {} else { Issue.record("read records keep bytes") }
        #expect(read[0].compacted == written[0].compacted)
        var seen = Set([read[0]])
        #expect(!seen.insert(written[0]).inserted, "equal records hash alike")
    }
}

/// Issue 7 (P3): CP932 decoded line by line is the text Foundation gives for the whole file.
@Suite("CP932 line by line (issue 7)", .tags(.unit))
struct CP932LinesTests {
    static func whole(_ b: [UInt8]) -> String? { String(data: Data(b), encoding: .shiftJIS) }
    static func lines(_ b: [UInt8]) -> String? { b.withUnsafeBytes { CP932Lines.decode($0) } }

    @Test("Files of Japanese, ASCII, mixed lines, CRLF, NEC and IBM characters, 外字, and broken bytes")
    func sameAsFoundation() throws {
        func sjis(_ s: String) -> [UInt8] { Array(s.data(using: .shiftJIS)!) }
        var samples: [[UInt8]] = [
            sjis("保険者番号,被保険者枝番\r\n12130019,1234567890123456\r\n"),
            sjis("123\n①㈱髙﨑ⅰ\nabc\n\nｶﾞ、～－￥\n"),
            sjis("ASCII only\r\nstill\r\n") + sjis("最後に日本語"),
            sjis("日本語\n日本語\n") + [0x0A, 0x0A],
            [0x82, 0xA0, 0x0A, 0x41, 0x0A, 0xF0, 0x40, 0x0A],        // あ, A, 外字 (user-defined area)
            [0x41, 0x0A, 0x82, 0x0A, 0x41],                          // a lead byte cut by LF: invalid
            [0x82, 0xA0, 0x0A, 0xFF, 0xFF, 0x0A],                    // invalid bytes
            [0x0A], [], [0x82, 0xA0],
        ]
        let dir = FastLoadTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: FastLoadTests.small)
        samples.append(Array(try Data(contentsOf: out.statusFile)))
        for s in samples {
            #expect(Self.lines(s) == Self.whole(s), "\(s.prefix(20))")
        }
    }
}

/// Issue 7 (P1): the journal read on two cores gives exactly what one pass gives.
@Suite("Journal read on two cores (issue 7)", .tags(.unit))
struct JournalParallelScanTests {
    typealias Outcome = (records: [JournalRecord], chain: Journal.Chain, good: Int, problem: String?)

    static func both(_ bytes: [UInt8]) -> (serial: Outcome, parallel: Outcome) {
        bytes.withUnsafeBytes { raw in
            let a = Journal.scan(raw, from: Journal.Chain(), collect: true)
            let b = Journal.scanFromStart(raw, collect: true, threshold: 0)
            func o(_ s: Journal.Scan) -> Outcome {
                (s.records, s.chain, s.goodLength, s.problem.map { "\($0.line) \($0.isLast) \($0.start) \($0.reason)" })
            }
            return (o(a), o(b))
        }
    }

    static func expectSame(_ bytes: [UInt8], _ what: String) {
        let r = both(bytes)
        #expect(r.serial.records == r.parallel.records, "\(what)")
        #expect(r.serial.chain == r.parallel.chain, "\(what)")
        #expect(r.serial.good == r.parallel.good, "\(what)")
        #expect(r.serial.problem == r.parallel.problem, "\(what): \(String(describing: r.serial.problem)) vs \(String(describing: r.parallel.problem))")
    }

    @Test("A good journal, and one changed line anywhere (first half, the junction, second half, the torn end)")
    func sameAsOnePass() throws {
        let dir = FastLoadTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: .init(cases: 30, events: 240, statusRows: 10))
        let good = Array(try Data(contentsOf: out.journal))
        Self.expectSame(good, "good")
        #expect(Self.both(good).parallel.records.count == 240)
        // Line starts, to damage chosen lines.
        var starts = [0]
        for (i, b) in good.enumerated() where b == 0x0A && i + 1 < good.count { starts.append(i + 1) }
        let mid = good.count / 2
        let junctionLine = starts.firstIndex { $0 > mid }!
        for line in [0, 5, junctionLine - 1, junctionLine, junctionLine + 1, starts.count - 1] {
            var bad = good
            bad[starts[line] + 30] ^= 0x01                  // a changed byte: hash mismatch
            Self.expectSame(bad, "byte changed on line \(line + 1)")
            var gone = good
            let end = line + 1 < starts.count ? starts[line + 1] : good.count
            gone.removeSubrange(starts[line]..<end)      // a deleted line: chain broken
            Self.expectSame(gone, "line \(line + 1) deleted")
        }
        Self.expectSame(Array(good.dropLast(40)), "torn last line")
        Self.expectSame(Array(good.dropLast()), "no final newline")
        Self.expectSame([], "empty")
    }
}

@Suite("Hashes kept as bytes (issue 7)", .tags(.unit))
struct HashFieldTests {
    @Test("A journal hash round-trips through its 32 bytes; anything else is kept as text")
    func roundTrip() {
        let hex = "9f2c0a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789ab"
        for s in [hex, JournalLine.zeroHash, String(repeating: "f", count: 64), "", "abc", hex.uppercased(),
                  hex + "0", String(hex.dropLast()), String(hex.dropLast()) + "g", "日本語"] {
            #expect(HashField(s).text == s, "\(s)")
        }
        if case .digest = HashField(hex) {} else { Issue.record("64 lowercase hex digits are kept as bytes") }
        for t in ["2026-11-24T21:30:05+09:00", "0001-01-01T00:00:00+09:00", "9999-12-31T23:59:59+09:00", "2026-11-24T21:30:05+09:0",
                  "2026-11-24T21:30:05+00:00", "2026-11-24T21:30:05Z", "2026-11-24 21:30:05+09:00", "", "２０２６-11-24T21:30:05+09:00",
                  "2026-11-24T21:30:05+09:000", "x026-11-24T21:30:05+09:00"] {
            #expect(TimeField(t).text == t, "\(t)")
        }
        if case .jst = TimeField("2026-11-24T21:30:05+09:00") {} else { Issue.record("the journal's times are kept as digits") }
        #expect(TimeField("2026-11-24T21:30:05+09:00") != TimeField("2026-11-24T21:30:06+09:00"))
        if case .text = HashField(hex.uppercased()) {} else { Issue.record("upper case is kept as text") }
        #expect(HashField(hex) == HashField(String(hex)))
        #expect(HashField(hex) != HashField(JournalLine.zeroHash))
    }
}
