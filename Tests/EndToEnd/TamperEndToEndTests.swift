import Foundation
import MadoguchiCore
import Testing

/// Issue 6 item 4 with the real binary: a sample of the changes `JournalTamperTests` sweeps in full
/// (every byte, every line) is run through `madoguchi verify`, which must exit 1 naming the line;
/// the office's own commands refuse a journal whose last lines were deleted.
@Suite("Tamper evidence through madoguchi verify", .tags(.e2e))
struct TamperEndToEndTests {
    @Test("changed, deleted and inserted bytes, deleted (also at the end), duplicated and swapped lines: exit 1 and the right line")
    func verifyNamesTheLine() async throws {
        let root = try E2E.makeTempDir("tamper")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try SeededOffice.seed(data, count: 6)   // six 受付 lines, as the desk writes them
        let original = Robust.bytes(data.appendingPathComponent("journal.jsonl"))
        let anchor = Robust.bytes(data.appendingPathComponent("journal.jsonl.anchor"))
        let ok = try await Robust.madoguchi(["verify"], dataDir: data)
        #expect(ok.status == 0 && ok.stdout.contains("6行") && ok.stdout.contains("アンカーと一致"), "\(ok.stdout)\(ok.stderr)")

        var lineOf: [Int] = []
        var line = 1
        for b in original { lineOf.append(line); if b == 0x0A { line += 1 } }
        var lines: [[UInt8]] = []
        var start = 0
        for (i, b) in original.enumerated() where b == 0x0A { lines.append(Array(original[start...i])); start = i + 1 }
        #expect(lines.count == 6)

        var cases: [(what: String, bytes: [UInt8], line: Int)] = []
        var rng = Robust.Random(state: Robust.seed(default: 0x7A3F_0004))
        for _ in 0..<12 {
            let i = rng.below(original.count)
            var changed = original
            var v = UInt8(truncatingIfNeeded: rng.next())
            if v == changed[i] { v ^= 0x01 }
            changed[i] = v
            cases.append(("byte \(i) → 0x\(String(v, radix: 16))", changed, lineOf[i]))
        }
        for _ in 0..<4 {
            let i = rng.below(original.count)
            var deleted = original
            deleted.remove(at: i)
            cases.append(("delete byte \(i)", deleted, lineOf[i]))
            let j = rng.below(original.count)
            var inserted = original
            inserted.insert(UInt8(ascii: "7"), at: j)
            cases.append(("insert a byte before \(j)", inserted, lineOf[j]))
        }
        cases.append(("delete line 3", Array((lines[0..<2] + lines[3...]).joined()), 3))
        cases.append(("delete the last line", Array(lines[0..<5].joined()), 6))
        cases.append(("delete the last 3 lines", Array(lines[0..<3].joined()), 4))
        cases.append(("duplicate line 2", Array((lines[0..<2] + [lines[1]] + lines[2...]).joined()), 3))
        cases.append(("swap lines 4 and 5", Array((lines[0..<3] + [lines[4], lines[3], lines[5]]).joined()), 4))

        let copy = root.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        let journal = copy.appendingPathComponent("journal.jsonl")
        for c in cases {
            try Data(c.bytes).write(to: journal)
            try Data(anchor).write(to: URL(fileURLWithPath: journal.path + ".anchor"))
            let out = try await Robust.madoguchi(["verify", "--journal", journal.path], dataDir: nil)
            #expect(out.status == 1, "\(c.what): exit \(out.status) \(out.stdout)")
            #expect(out.stderr.hasPrefix("\(journal.path) \(c.line)行目: "), "\(c.what): \(out.stderr)")
        }

        // The office itself refuses to start on a journal cut short (exit 2, the line and how many are missing).
        try Data(Array(lines[0..<4].joined())).write(to: data.appendingPathComponent("journal.jsonl"))
        let cases2 = try await Robust.madoguchi(["cases"], dataDir: data)
        #expect(cases2.status == 2)
        #expect(cases2.stderr.contains("journal.jsonl 5行目") && cases2.stderr.contains("最後の 2 行が失われています"), "\(cases2.stderr)")
        let withdraw = try await Robust.madoguchi(["withdraw", "\(JapanDate.today().year)-0001", "--reason", "本人の申し出", "--yes"], dataDir: data)
        #expect(withdraw.status == 2, "no write on a journal cut short: \(withdraw.stderr)")
        #expect(Robust.bytes(data.appendingPathComponent("journal.jsonl")) == Array(lines[0..<4].joined()))
    }
}
