import Foundation
import MadoguchiCore
import Testing

/// Issue 6, item 6 — random keys ("monkey"): the real desk in tmux gets keys from a seeded generator:
/// printable ASCII, Japanese text (kana, kanji), F1–F9 and their Ctrl twins, arrows, Tab, Esc, Enter,
/// Backspace, PgUp/PgDn, Ctrl-A/E/U/K, pastes of 10 KB (tmux load-buffer + paste-buffer) and
/// resizes down to 20×10 and back. 1,000 keys by default; `MADOGUCHI_LONG=1`: 10,000;
/// `MADOGUCHI_MONKEY_KEYS=N` any; `MADOGUCHI_MONKEY_SEED=S` replays a run (every failure prints it).
///
/// Checked: the desk never dies (its pid is alive after every burst and the shell never printed
/// `EXITED:`), the quit key at the very end exits 0 and gives the terminal back (cooked mode, the
/// desk's screen gone), and no event is written that the clerk did not confirm.
///
/// "Confirmed", honestly: a journal line is written only at the end of an explicit path (F2 on the
/// review page of a complete application; Enter/F2 on the last field of an F3/F4/F7/F9 form, or F3
/// on the list to prepare a batch). The monkey is made unable to complete any of them, and the
/// journal must then be BYTE-IDENTICAL — so anything the desk writes on its own (on a resize, a
/// reload, Esc, a paste, a half-filled form, an error) fails the test:
/// - phase A, an empty office: every key above (quit keys excepted). With no case, the only write
///   path is saving an application, which needs a valid 受給者番号 check digit, a 和暦 birth date,
///   katakana フリガナ, every R-IN-4 tick and the choices — out of reach of random keys. The journal
///   must not even be created.
/// - phase B, an office with two cases (typed once through the desk, see LifecycleCases): every key
///   except the ones that open a write path on existing data — F3/Ctrl-B (batch), F4/Ctrl-F (import),
///   F7/Ctrl-T (record), F9/Ctrl-Y (reminders done). F2, Enter, Esc and the rest are sent, so the
///   wizard, the case detail, the pending list (F8) and help are all visited. The journal must keep
///   its bytes. (The confirm steps of the F3/F4/F7/F9 forms are covered key by key in
///   MadoguchiUITests/ActionTests and the lifecycle end-to-end tests.)
/// - phase C, the same office with EVERY key (openers included), a weaker check by the key log: the
///   journal's old bytes are untouched (a prefix of the new file), the chain verifies, and every new
///   line is of a type whose path the monkey opened and then confirmed — its opener key (F3/Ctrl-B
///   for a batch, F7/Ctrl-T for a case record or a notice, F9/Ctrl-Y for a reminder, F4/Ctrl-F for an
///   import, F2/Ctrl-S for an application) was sent, followed by a confirm key (Enter, F2, Ctrl-S;
///   F3 itself for preparing a batch). A line of any other type, or one whose path was never opened,
///   fails the test.
/// The quit keys (F10, Ctrl-X, Ctrl-C, Ctrl-Q) are sent only at the end; Ctrl-Z and Ctrl-\ (job
/// control signals of the terminal, not desk keys) never.
@Suite("Random keys (monkey) end to end", .tags(.stress), .serialized, .timeLimit(.minutes(30)))
struct MonkeyStressTests {
    static var env: [String: String] { ProcessInfo.processInfo.environment }
    static var keyCount: Int {
        env["MADOGUCHI_MONKEY_KEYS"].flatMap(Int.init) ?? (env["MADOGUCHI_LONG"] == "1" ? 10_000 : 1_000)
    }
    static var seed: UInt64 { env["MADOGUCHI_MONKEY_SEED"].flatMap(UInt64.init) ?? 20261124 }

    static var phaseA: Int { keyCount * 3 / 10 }
    static var phaseB: Int { keyCount * 4 / 10 }
    static var phaseC: Int { keyCount - phaseA - phaseB }

    @Test("Phase A: random keys on an empty office write nothing, never crash, and quit cleanly")
    func emptyOffice() async throws {
        let root = try E2E.makeTempDir("monkey-a")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let stats = try await Monkey.run(dataDir: data, keys: Self.phaseA, seed: Self.seed, openersAllowed: true, label: "A")
        let journal = data.appendingPathComponent("journal.jsonl")
        let listing = (FileManager.default.enumerator(atPath: data.path)?.allObjects as? [String]) ?? []
        #expect(!FileManager.default.fileExists(atPath: journal.path),
                "phase A (seed \(Self.seed)): the data folder holds \(listing)")
        #expect(!FileManager.default.fileExists(atPath: journal.path),
                "phase A (seed \(Self.seed)): the desk wrote a journal nobody confirmed:\n\((try? String(contentsOf: journal, encoding: .utf8)) ?? "")\nlast keys: \(stats.lastKeys)")
    }

    @Test("Phase B: random keys on an office with cases leave the journal byte-identical")
    func seededOffice() async throws {
        let (root, data) = try await LifecycleCases.copy("monkey-b")
        defer { E2E.remove(root) }
        let journal = data.appendingPathComponent("journal.jsonl")
        let before = try Data(contentsOf: journal)
        let stats = try await Monkey.run(dataDir: data, keys: Self.phaseB, seed: Self.seed &+ 1,
                                         openersAllowed: false, label: "B")
        let after = try Data(contentsOf: journal)
        #expect(after == before, "phase B (seed \(Self.seed &+ 1)): the journal changed (\(before.count) → \(after.count) bytes):\n\(String(decoding: after.dropFirst(before.count), as: UTF8.self))\nlast keys: \(stats.lastKeys)")
        #expect(Journal.verify(url: journal).ok)
    }

    /// The paths that write each event type: the keys that open them, and whether the opener alone
    /// writes (F3 prepares a batch at once; everything else needs a confirm key after it).
    static func path(of text: String) -> (openers: Set<String>, confirmedByOpener: Bool)? {
        guard let type = EventType(line: text) else { return nil }
        switch type {
        case .batchPrepared: return (["F3", "C-b"], true)
        case .batchApproved, .batchReturned, .registrationExported: return (["F3", "C-b"], false)
        case .fileRecorded: return (["F3", "C-b", "F4", "C-f"], false)
        case .reminderDone: return (["F9", "C-y"], false)
        case .received: return (["F2", "C-s"], false)
        // At intake (F2), or later from the case (F7 → 紙の医療券・調剤券を交付, R-PT-2).
        case .ticketsIssued: return (["F2", "C-s", "F7", "C-t"], false)
        case .noticeIssued, .noticePrinted: return (["F7", "C-t"], false)
        case .listPrinted: return (["F8", "C-v"], false)   // p on the pending list (with a [printing] queue)
        case _ where EventType.lifecycle.contains(type): return (["F7", "C-t"], false)
        default: return nil
        }
    }

    @Test("Phase C: every key on an office with cases: old lines untouched, chain valid, each new line opened and confirmed")
    func seededOfficeAllKeys() async throws {
        let (root, data) = try await LifecycleCases.copy("monkey-c")
        defer { E2E.remove(root) }
        let journal = data.appendingPathComponent("journal.jsonl")
        let before = try Data(contentsOf: journal)
        let seed = Self.seed &+ 2
        let stats = try await Monkey.run(dataDir: data, keys: Self.phaseC, seed: seed, openersAllowed: true, label: "C")
        let after = try Data(contentsOf: journal)
        #expect(after.prefix(before.count) == before, "phase C (seed \(seed)): an old journal line changed")
        #expect(Journal.verify(url: journal).ok, "phase C (seed \(seed)): \(Journal.verify(url: journal).problem.map { "\($0)" } ?? "")")
        let newLines = String(decoding: after.dropFirst(before.count), as: UTF8.self).split(separator: "\n").map(String.init)
        let keys = stats.sent
        for line in newLines {
            let type = (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["type"] as? String ?? "?"
            guard let p = Self.path(of: type) else {
                Issue.record("phase C (seed \(seed)): a \(type) line no key path writes:\n\(line)")
                continue
            }
            guard let opened = keys.firstIndex(where: p.openers.contains) else {
                Issue.record("phase C (seed \(seed)): a \(type) line, but \(p.openers.sorted()) was never sent:\n\(line)")
                continue
            }
            let confirmed = p.confirmedByOpener || keys[(opened + 1)...].contains { ["Enter", "F2", "C-s"].contains($0) }
            #expect(confirmed, "phase C (seed \(seed)): a \(type) line without a confirm key after \(keys[opened]):\n\(line)")
        }
        print("monkey C: \(newLines.count) confirmed lines written: \(newLines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["type"] as? String })")
    }
}

/// The generator and the driver.
enum Monkey {
    struct Stats {
        var keys = 0
        var pastes = 0
        var resizes = 0
        var seconds = 0.0
        var lastKeys: String = ""
        /// Every named key sent, in order (literal text and pastes as "text").
        var sent: [String] = []
        /// Screens seen in the samples taken during the run (to show the keys got somewhere).
        var screens: Set<String> = []
    }

    /// What a sampled screen shows, by a line each screen draws.
    static let screenMarkers: [(String, String)] = [
        ("案件一覧", "list"), ("並び：", "list"), ("ヘルプ（Esc", "help"), ("未完了一覧", "pending"), ("端末が小さすぎます", "too-small"),
        ("案件 20", "case"), ("終了しますか？", "confirm-quit"), ("取り込むファイル", "import-menu"), ("に記録する", "record-menu"),
        ("申請者", "wizard"), ("代理人", "wizard"), ("確認", "wizard-review"), ("要対応を済みにする", "reminder-form"),
    ]

    /// SplitMix64 (MadoguchiCore): the same seed gives the same keys.
    typealias Rng = SeededRandom

    /// One tmux command's arguments (chained with `;` into one tmux call per burst).
    enum Action {
        case named(String)
        case literal(String)
        case paste
        case resize(Int, Int)

        var shown: String {
            switch self {
            case .named(let k): return k
            case .literal(let t): return "「\(t.count > 12 ? String(t.prefix(12)) + "…" : t)」"
            case .paste: return "[paste 10KB]"
            case .resize(let w, let h): return "[\(w)×\(h)]"
            }
        }
    }

    static let navigation = ["Up", "Down", "Left", "Right", "Tab", "BTab", "Enter", "Escape", "BSpace", "Space",
                             "Home", "End", "NPage", "PPage", "DC", "Enter", "Tab", "Escape"]
    static let functionKeys = ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9",
                               "C-g", "C-s", "C-r", "C-b", "C-f", "C-o", "C-t", "C-v", "C-y",
                               "C-a", "C-e", "C-u", "C-k", "C-n", "C-p"]
    /// Keys that open a path writing on existing data (phase B never sends them).
    static let openers: Set<String> = ["F3", "C-b", "F4", "C-f", "F7", "C-t", "F9", "C-y"]
    static let japanese = ["やまだ", "ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "山田太郎", "東京都", "令和8年11月24日", "Ｓ４５．１．２", "霞が関１－２－２",
                           "医療扶助", "〒123-4567", "㋿", "ｶﾞｷﾞｸﾞ", "髙橋", "𠮷野", "👪", "ー", "・", "　"]
    static let kana = Array("あいうえおかきくけこがぎぐげごさしすせそアイウエオカキクケコガギグゲゴヴァィゥェォッャュョー")

    static func action(_ r: inout Rng, openersAllowed: Bool) -> Action {
        switch r.below(100) {
        case 0..<28:
            let n = 1 + r.below(6)
            return .literal(String((0..<n).map { _ in Character(Unicode.Scalar(UInt8(0x20 + r.below(95)))) }))
        case 28..<42:
            if r.below(2) == 0 { return .literal(r.pick(japanese)) }
            return .literal(String((0..<(1 + r.below(5))).map { _ in r.pick(kana) }))
        case 42..<72:
            return .named(r.pick(navigation))
        case 72..<92:
            var k = r.pick(functionKeys)
            while !openersAllowed && openers.contains(k) { k = r.pick(functionKeys) }
            return .named(k)
        default:
            return .literal(String(1 + r.below(9)))   // menu choices, options
        }
    }

    /// 10 KB of mixed text (ASCII, kana, kanji, a tab and a newline inside).
    static func pasteText(_ r: inout Rng) -> String {
        var s = ""
        while s.utf8.count < 10_240 {
            switch r.below(4) {
            case 0: s += r.pick(japanese)
            case 1: s += String(r.pick(kana))
            case 2: s += "\t"
            default: s += String(Character(Unicode.Scalar(UInt8(0x20 + r.below(95)))))
            }
        }
        return s
    }

    static func run(dataDir: URL, keys: Int, seed: UInt64, openersAllowed: Bool, label: String) async throws -> Stats {
        print("monkey \(label): \(keys) keys, seed \(seed) (replay: MADOGUCHI_MONKEY_SEED=\(seed) MADOGUCHI_MONKEY_KEYS=…)")
        let desk = try DeskSession(dataDir: dataDir)
        defer { desk.close() }
        let t = desk.tmux
        try await desk.waitForDesk()
        guard let pid = desk.pid, pid > 1 else { throw E2EError("no pid for madoguchi") }

        var r = Rng(state: seed)
        var stats = Stats()
        var log: [String] = []
        let start = Date()
        let pasteFile = desk.scratch.appendingPathComponent("paste.txt")
        // 10 KB pastes: one per 500 keys (at least one per run); resizes: about one per 100 keys.
        let pasteEvery = 500
        var size = (80, 24)
        func fail(_ why: String) -> E2EError {
            E2EError("monkey \(label) seed \(seed): \(why) after \(stats.keys) keys; last keys: \(log.suffix(60).joined(separator: " "))\nscreen:\n\((try? t.capture()) ?? "")")
        }

        while stats.keys < keys {
            // One burst: up to 10 actions in one tmux call.
            var args: [String] = []
            for _ in 0..<min(10, keys - stats.keys) {
                var a = action(&r, openersAllowed: openersAllowed)
                if stats.keys % pasteEvery == pasteEvery / 2 { a = .paste }
                // About one resize per 100 keys; a small window is given back after ~10 keys, so most
                // keys reach the real screens (below 80×24 the desk only says it is too small).
                if size == (80, 24) ? r.below(100) == 0 : r.below(10) == 0 {
                    a = size == (80, 24) ? .resize(20 + r.below(61), 10 + r.below(15)) : .resize(80, 24)
                }
                if !args.isEmpty { args.append(";") }
                switch a {
                case .named(let k): args += ["send-keys", "-t", t.target, k]
                case .literal(let s): args += ["send-keys", "-t", t.target, "-l", "--", s]
                case .paste:
                    try pasteText(&r).write(to: pasteFile, atomically: true, encoding: .utf8)
                    args += ["load-buffer", pasteFile.path, ";", "paste-buffer", "-t", t.target]
                    stats.pastes += 1
                case .resize(let w, let h):
                    args += ["resize-window", "-t", t.target, "-x", "\(w)", "-y", "\(h)"]
                    size = (w, h)
                    stats.resizes += 1
                }
                log.append(a.shown)
                if case .named(let k) = a { stats.sent.append(k) } else { stats.sent.append("text") }
                stats.keys += 1
            }
            let out = try t.run(args)
            guard out.status == 0 else { throw fail("tmux failed: \(out.stderr)") }
            if args.contains("paste-buffer") {
                // Let the desk take the 10,240 characters in before more keys queue up behind them.
                try await Task.sleep(nanoseconds: 300_000_000)
            }
            // A little pace, so keys, resizes and samples interleave with what the desk is drawing.
            try await Task.sleep(nanoseconds: 20_000_000)
            guard kill(pid, 0) == 0 else { throw fail("the desk is gone (crash?)") }
            if (stats.keys / 10) % 2 == 0 {
                let screen = try t.capture()
                if screen.contains("EXITED:") { throw fail("the desk exited without a quit key") }
                for (marker, name) in screenMarkers where screen.contains(marker) { stats.screens.insert(name) }
            }
        }
        // Back to 80×24, then quit: F10 (and y if it asks about an unsaved application).
        if size != (80, 24) { try t.resize(width: 80, height: 24) }
        guard kill(pid, 0) == 0 else { throw fail("the desk is gone (crash?)") }
        try t.keys("Escape", "Escape", "Escape", "F10")
        var screen = try await t.waitUntil("the desk to quit or ask", timeout: 60) { s in
            s.contains("SHELL-BACK") || s.contains("終了しますか？")
        }
        if !screen.contains("SHELL-BACK") {
            try t.keys("y")
            screen = try await t.waitFor("SHELL-BACK", timeout: 30)
        }
        stats.seconds = Date().timeIntervalSince(start)
        stats.lastKeys = log.suffix(60).joined(separator: " ")
        #expect(screen.contains("EXITED:0"), "monkey \(label) seed \(seed): quit did not exit 0:\n\(screen)")
        #expect(!screen.contains("F10/^X"), "monkey \(label) seed \(seed): the desk's screen is still there:\n\(screen)")
        let words = Set(desk.sttyAfterExit.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        for mode in ["icanon", "echo", "icrnl", "isig"] {
            #expect(words.contains(mode) && !words.contains("-\(mode)"), "monkey \(label) seed \(seed): \(mode) not restored")
        }
        print("monkey \(label): \(stats.keys) keys (\(stats.pastes) pastes of 10 KB, \(stats.resizes) resizes) in \(String(format: "%.1f", stats.seconds)) s, seed \(seed); screens seen: \(stats.screens.sorted().joined(separator: " "))")
        return stats
    }
}
