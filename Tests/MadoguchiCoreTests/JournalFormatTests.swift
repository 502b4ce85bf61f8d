import Foundation
import Testing
@testable import MadoguchiCore
#if canImport(Crypto)
import Crypto
#endif

// MARK: Helpers shared by the Journal*Tests files

/// A fresh, unique directory under the system temp directory (not created).
func journalTestDirectory(_ label: String = #function) -> URL {
    let clean = label.filter { $0.isLetter || $0.isNumber }
    return FileManager.default.temporaryDirectory
        .appendingPathComponent("madoguchi-journal-tests")
        .appendingPathComponent("\(clean)-\(UUID().uuidString)")
}

func jDraft(_ i: Int, op: String = "yamada", type: String = "case.received", case number: String = "2026-0001",
           data: JSONValue? = nil) -> EventDraft {
    EventDraft(caseNumber: number, type: type,
               data: data ?? .object(["i": .number(Double(i)), "氏名": .string("山田 太郎 \(i)")]),
               operatorID: op, time: Date(timeIntervalSince1970: 1_795_523_405 + Double(i)))
}

func jFileBytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

func jWriteBytes(_ bytes: [UInt8], to url: URL) throws { try Data(bytes).write(to: url) }

func jPermissions(_ url: URL) throws -> Int {
    let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attrs[.posixPermissions] as! NSNumber).intValue
}

/// SHA-256 hex computed independently of the journal code (swift-crypto directly, or sha256sum).
func jIndependentSHA256(_ bytes: [UInt8]) throws -> String {
    #if canImport(Crypto)
    return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    #else
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(String(decoding: out, as: UTF8.self).prefix(64))
    #endif
}

/// Splits journal bytes into lines, each including its newline.
func jSplitLines(_ bytes: [UInt8]) -> [[UInt8]] {
    var lines: [[UInt8]] = []
    var current: [UInt8] = []
    for b in bytes {
        current.append(b)
        if b == 0x0A { lines.append(current); current = [] }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}

@Suite("Journal line format", .tags(.unit))
struct JournalFormatTests {
    @Test("a golden line for fixed inputs, hash checked independently")
    func goldenLine() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let data: JSONValue = .object([
            "path": .string("a/b"), "n": .number(3), "name": .string("山田 太郎"),
            "x": .array([.bool(true), .null, .number(1.5)]), "q": .string("\"quote\"\n"),
        ])
        let journal = Journal(url: url)
        let recs = try journal.append([EventDraft(caseNumber: "2026-0001", type: "case.received", data: data,
                                                  operatorID: "yamada", time: Date(timeIntervalSince1970: 1_795_523_405))])
        let body1 = #"{"seq":1,"time":"2026-11-24T21:30:05+09:00","operator":"yamada","case":"2026-0001","type":"case.received","data":{"n":3,"name":"山田 太郎","path":"a/b","q":"\"quote\"\n","x":[true,null,1.5]},"prev":"0000000000000000000000000000000000000000000000000000000000000000""#
        let hash1 = try jIndependentSHA256(Array((body1 + "}").utf8))
        let line1 = body1 + #","hash":""# + hash1 + "\"}\n"

        try journal.append([EventDraft(caseNumber: "2026-0002", type: "note", data: .object([:]),
                                       operatorID: "佐藤", time: Date(timeIntervalSince1970: 1_795_523_406))])
        let body2 = #"{"seq":2,"time":"2026-11-24T21:30:06+09:00","operator":"佐藤","case":"2026-0002","type":"note","data":{},"prev":""# + hash1 + "\""
        let hash2 = try jIndependentSHA256(Array((body2 + "}").utf8))
        let line2 = body2 + #","hash":""# + hash2 + "\"}\n"

        let onDisk = String(decoding: try jFileBytes(url), as: UTF8.self)
        #expect(onDisk == line1 + line2)
        #expect(recs.first?.hash == hash1)
        #expect(hash1.count == 64 && hash1.allSatisfy { "0123456789abcdef".contains($0) })
        // The reader's fixed suffix is 75 bytes.
        #expect(Array(line1.utf8).dropLast().suffix(75).starts(with: Array(#","hash":""#.utf8)))
        #expect(Journal.verify(url: url).ok)
    }

    @Test("append and load round trip with Japanese text, escapes and every field")
    func roundTrip() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let tricky = "改行\nタブ\t引用\"符\\バックスラッシュ\u{01}制御 / 斜線 😀 ｶﾞ 〜"
        let drafts = [
            EventDraft(caseNumber: "2026-0001", type: "case.received",
                       data: .object(["氏名": .string("山田 太郎"), "メモ": .string(tricky),
                                      "金額": .number(12345), "率": .number(0.25), "負": .number(-7),
                                      "有無": .bool(false), "空": .null,
                                      "入れ子": .object(["配列": .array([.string("あ"), .number(1e20), .object([:])])])]),
                       operatorID: "山田", time: Date(timeIntervalSince1970: 1_795_523_405.9)),
            EventDraft(caseNumber: tricky, type: "type/with\"quote", data: .array([.string("x")]),
                       operatorID: "op\\\"\n", time: Date(timeIntervalSince1970: 0)),
            EventDraft(caseNumber: "", type: "t", data: .string("文字列だけ"), operatorID: "o",
                       time: Date(timeIntervalSince1970: 1_700_000_000)),
        ]
        let appended = try Journal(url: url).append(drafts)
        #expect(appended.map(\.seq) == [1, 2, 3])
        #expect(appended.map(\.lineNumber) == [1, 2, 3])
        #expect(appended[0].prev == String(repeating: "0", count: 64))
        #expect(appended[1].prev == appended[0].hash)
        #expect(appended[2].prev == appended[1].hash)

        let load = try Journal(url: url).load()
        #expect(load.tornTail == nil)
        #expect(load.records == appended)
        let r = load.records
        #expect(r[0].time == "2026-11-24T21:30:05+09:00")
        #expect(r[0].operatorID == "山田")
        #expect(r[0].caseNumber == "2026-0001")
        #expect(r[0].type == "case.received")
        #expect(r[0].data == drafts[0].data)
        #expect(r[1].caseNumber == tricky)
        #expect(r[1].operatorID == "op\\\"\n")
        #expect(r[1].type == "type/with\"quote")
        #expect(r[1].time == "1970-01-01T09:00:00+09:00")
        #expect(r[2].data == .string("文字列だけ"))

        // Raw UTF-8 on disk (no \u escapes for Japanese), one line per event, slashes not escaped.
        let text = String(decoding: try jFileBytes(url), as: UTF8.self)
        #expect(text.contains("山田 太郎"))
        #expect(text.contains("😀"))
        #expect(!text.contains("\\u5c71"))
        #expect(!text.contains("\\/"))
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 4)
        #expect(Journal.verify(url: url).ok)
        #expect(Journal.verify(url: url).lineCount == 3)
    }

    @Test("data that cannot be JSON (NaN) or an empty operator is refused and nothing is written")
    func invalidDraft() throws {
        let dir = journalTestDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("journal.jsonl")
        let journal = Journal(url: url)
        try journal.append([jDraft(1)])
        let before = try jFileBytes(url)
        #expect(throws: JournalError.self) {
            try journal.append([jDraft(2), jDraft(3, data: .object(["x": .number(.nan)]))])
        }
        #expect(throws: JournalError.self) { try journal.append([jDraft(2, op: "")]) }
        #expect(try jFileBytes(url) == before)
        let more = try journal.append([jDraft(2)])
        #expect(more.map(\.seq) == [2])
        #expect(Journal.verify(url: url).ok)
    }

    @Test("the line parser rejects non-canonical layouts and bad JSON even with a matching hash")
    func strictParser() throws {
        // Re-hash a hand-made body so only the layout/JSON check can reject it.
        func line(_ body: String) throws -> [UInt8] {
            Array((body + #","hash":""# + (try jIndependentSHA256(Array((body + "}").utf8))) + "\"}\n").utf8)
        }
        let zeros = String(repeating: "0", count: 64)
        let good = #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":{"a":[1,2.5e3,"\u00e9\ud83d\ude00"]},"prev":""# + zeros + "\""
        #expect(Journal.verify(bytes: try line(good)).ok)
        let bad = [
            #"{"seq":1,"time":"t","case":"c","operator":"o","type":"x","data":{},"prev":""# + zeros + "\"",   // key order
            #"{"seq":01,"time":"t","operator":"o","case":"c","type":"x","data":{},"prev":""# + zeros + "\"",  // leading zero
            #"{"seq":1, "time":"t","operator":"o","case":"c","type":"x","data":{},"prev":""# + zeros + "\"",  // whitespace in header
            #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":{"a":1,"a":2},"prev":""# + zeros + "\"", // duplicate key
            #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":{"a":01},"prev":""# + zeros + "\"",  // bad number
            #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":{"a":"\ud83d"},"prev":""# + zeros + "\"", // lone surrogate
            #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":{"a":"# + "\"\t\"" + #"},"prev":""# + zeros + "\"", // raw tab
            #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":[1,],"prev":""# + zeros + "\"",  // trailing comma
            #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":{},"prev":""# + zeros.uppercased().replacingOccurrences(of: "0", with: "A") + "\"",
            #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":{},"prev":""# + zeros + #"","extra":1"#,
        ]
        for b in bad {
            let report = Journal.verify(bytes: try line(b))
            #expect(report.problem?.line == 1, "should reject: \(b)")
        }
        // Invalid UTF-8 inside a string value (the operator "o" becomes the byte 0xFF), re-hashed.
        for invalid: [UInt8] in [[0xFF], [0xE5, 0xB1], [0xC0, 0xAF]] {
            let marker = Array(#""operator":"o""#.utf8)
            var body = Array(good.utf8)
            let at = try #require((0...(body.count - marker.count)).first { Array(body[$0..<($0 + marker.count)]) == marker })
            body.replaceSubrange((at + 12)...(at + 12), with: invalid)
            let rehashed = body + Array((#","hash":""# + (try jIndependentSHA256(body + [UInt8(ascii: "}")])) + "\"}\n").utf8)
            let p = Journal.verify(bytes: rehashed).problem
            #expect(p?.line == 1 && p?.reason.contains("UTF-8") == true, "\(String(describing: p))")
        }
        // Deep nesting is rejected, not a crash.
        let deep = #"{"seq":1,"time":"t","operator":"o","case":"c","type":"x","data":"# + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + #","prev":""# + zeros + "\""
        #expect(Journal.verify(bytes: try line(deep)).problem?.line == 1)
    }

    @Test("error descriptions are Japanese and name the file and line")
    func errorDescriptions() {
        let e = JournalError.badLine(file: "journal.jsonl", line: 12, reason: "前の行とのハッシュの連鎖が切れています")
        #expect(e.description == "journal.jsonl 12行目: 前の行とのハッシュの連鎖が切れています")
        #expect(JournalError.io(file: "journal.jsonl", operation: "書き込み", errno: ENOSPC).description.contains("journal.jsonl"))
        #expect(JournalError.tornTail(file: "j.jsonl", line: 3, reason: "r").description.hasPrefix("j.jsonl 3行目"))
    }
}
