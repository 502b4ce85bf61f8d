import Foundation
import MadoguchiCore

/// The seeded generator (SplitMix64, MadoguchiCore): the same seed gives the same inputs, so a failure
/// found by the in-process loop is replayed by its seed.
public typealias SplitMix64 = SeededRandom

/// A libFuzzer-like mutator without coverage feedback, for `swift test` (bounded) and for
/// `MadoguchiFuzz TARGET N` without the sanitizer toolchain: byte flips, inserts, deletes, copies,
/// splices with other seeds, and tokens that matter to this program (eras, separators, encodings).
public enum Mutator {
    /// Tokens inserted whole: what the parsers branch on.
    public static let dictionary: [[UInt8]] = {
        var tokens: [String] = [
            "令和", "平成", "昭和", "大正", "明治", "元年", "年", "月", "日", "R", "H", "S", "T", "㋿", "．", "／", "－", "ー",
            "０", "１", "９", "1", "12", "31", "64", "2026-11-24", "20261124", "2026/1/2", "R8.11.24", "S64.1.8", "H31.5.1",
            "ｶﾞ", "ﾊﾟ", "ァ", "ヴ", "ゔ", "〒", "〜", "−", "¥", "𠮷", "👪", "\u{3099}", "\u{200B}", "\u{FEFF}", "\u{D7FF}",
            "\r\n", "\n", "\r", ",", "\"", "\"\"", "\t", " ", "　", "\u{0}", "\u{7F}", "\u{1B}[A",
            "123456789012", "1234567890123456", "12130019", "1234566", "33120015",
            "{", "}", "[", "]", ":", "\\u0000", "\\ud800", "\\\"", "null", "true", "-0", "1e999",
            #"{"seq":1,"time":"2026-11-24T10:00:00+09:00","operator":"yamada","case":"2026-0001","type":"case.received","data":"#,
            #","prev":"0000000000000000000000000000000000000000000000000000000000000000""#,
            "[office]", "[data]", "[[operators]]", "[files]", "[files.result]", "[files.status]", "[reminders]", "[reports]",
            "[[pages]]", "[[pages.fields]]", "id = ", "kind = \"text\"", "validator = ", "when = \"branch == insured\"",
            "options = [{ value = \"a\", label = \"b\" }]", "= \"\"\"", "= '''", "= 1979-05-27T07:32:00Z", "= inf", "= nan",
            "encoding = \"cp932\"", "has_header = false", "insurer_number = \"保険者番号\"", "= 0", "= -1", "= 99999999999999999999",
        ]
        tokens += Era.allCases.map(\.rawValue)
        var out = tokens.map { Array($0.utf8) }
        // CP932 forms and a UTF-8 BOM.
        out += [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0x82, 0xA0], [0x83, 0x5E], [0x81, 0x60], [0xF0, 0x40], [0x87, 0x40], [0x80], [0xA0], [0xFD]]
        return out
    }()

    public static func mutate(_ input: [UInt8], seeds: [[UInt8]], rng: inout SplitMix64, maxLength: Int = 4096) -> [UInt8] {
        var b = input
        let rounds = 1 + Int(rng.next() % 4)
        for _ in 0..<rounds {
            switch rng.next() % 9 {
            case 0 where !b.isEmpty:   // flip a bit
                let i = Int(rng.next() % UInt64(b.count))
                b[i] ^= UInt8(1 << (rng.next() % 8))
            case 1 where !b.isEmpty:   // a random byte
                b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next())
            case 2:                    // insert random bytes
                let at = b.isEmpty ? 0 : Int(rng.next() % UInt64(b.count + 1))
                let n = 1 + Int(rng.next() % 8)
                b.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
            case 3 where !b.isEmpty:   // delete a range
                let at = Int(rng.next() % UInt64(b.count))
                let n = min(b.count - at, 1 + Int(rng.next() % 16))
                b.removeSubrange(at..<(at + n))
            case 4, 5:                 // a token
                let t = dictionary[Int(rng.next() % UInt64(dictionary.count))]
                let at = b.isEmpty ? 0 : Int(rng.next() % UInt64(b.count + 1))
                if rng.next() % 3 == 0, at + t.count <= b.count {
                    b.replaceSubrange(at..<(at + t.count), with: t)
                } else {
                    b.insert(contentsOf: t, at: at)
                }
            case 6 where b.count > 1:  // duplicate a range (repeated rows, nesting)
                let at = Int(rng.next() % UInt64(b.count))
                let n = min(b.count - at, 1 + Int(rng.next() % 64))
                let copy = Array(b[at..<(at + n)])
                b.insert(contentsOf: copy, at: Int(rng.next() % UInt64(b.count + 1)))
            case 7 where !seeds.isEmpty:   // splice with another seed
                let other = seeds[Int(rng.next() % UInt64(seeds.count))]
                if !other.isEmpty {
                    let cut = b.isEmpty ? 0 : Int(rng.next() % UInt64(b.count + 1))
                    let from = Int(rng.next() % UInt64(other.count))
                    b = Array(b[..<cut]) + Array(other[from...])
                }
            case 8 where !b.isEmpty:   // an interesting number where a digit is
                if let i = b.indices.shuffled(using: &rng).first(where: { b[$0] >= 0x30 && b[$0] <= 0x39 }) {
                    let n = ["0", "00", "99", "13", "29", "30", "32", "-1", "4294967296", "9223372036854775807", "１２"]
                    b.replaceSubrange(i...i, with: Array(n[Int(rng.next() % UInt64(n.count))].utf8))
                }
            default:
                break
            }
        }
        if b.count > maxLength { b.removeLast(b.count - maxLength) }
        return b
    }

    /// Runs `iterations` mutated inputs through `target`, starting from `seeds`. Deterministic for a
    /// seed. Returns how many inputs ran.
    @discardableResult
    public static func run(_ target: FuzzTarget, seeds: [[UInt8]], iterations: Int, seed: UInt64,
                           maxLength: Int = 4096, before: (([UInt8]) -> Void)? = nil) -> Int {
        var rng = SplitMix64(seed: seed)
        var pool = seeds.isEmpty ? [[]] : seeds
        for i in 0..<iterations {
            let base = pool[Int(rng.next() % UInt64(pool.count))]
            let input = mutate(base, seeds: pool, rng: &rng, maxLength: maxLength)
            before?(input)
            target.run(input)
            // Keep some inputs as bases (no coverage signal: a fixed fraction), bounded.
            if i % 8 == 0 {
                if pool.count < 256 { pool.append(input) } else { pool[Int(rng.next() % 256)] = input }
            }
        }
        return iterations
    }
}
