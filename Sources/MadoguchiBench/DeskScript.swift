import Foundation
import MadoguchiCore

/// The kinds of key P2 times (issue 14): each is the key that makes the desk do that work; the keys
/// that only lead there (opening a form, typing into it) are sent too but not timed.
public enum KeyKind: String, CaseIterable, Sendable {
    case navigation, search, sort, open, back, saveIntake, reminderDone, recordMove, importFile

    public var label: String {
        switch self {
        case .navigation: return "移動（↓↑ PgDn PgUp End Home）"
        case .search: return "検索（/ と1文字ずつ、Enter）"
        case .sort: return "並べ替え（F6）"
        case .open: return "案件を開く（Enter）"
        case .back: return "一覧に戻る（Esc、ESCDELAY 25 ms 込み）"
        case .saveIntake: return "新規受付の保存（F2）"
        case .reminderDone: return "要対応を済みにする（F9 → Enter）"
        case .recordMove: return "案件に記録（F7 保留 → y）"
        case .importFile: return "状況ファイルの取込（F4 → 2）"
        }
    }

    /// A write: the journal must have the line afterwards (checked, or the benchmark fails).
    var writes: Bool { [.saveIntake, .reminderDone, .recordMove, .importFile].contains(self) }
}

/// The lines appended to a journal since the last look (read from where the last look ended).
struct JournalTail {
    let url: URL
    var offset: Int

    init(_ url: URL) {
        self.url = url
        offset = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    /// The `type` of each whole line appended since the last call.
    mutating func newTypes() -> [String] {
        guard let h = FileHandle(forReadingAtPath: url.path) else { return [] }
        defer { try? h.close() }
        try? h.seek(toOffset: UInt64(offset))
        let data = h.readDataToEndOfFile()
        guard let lastNewline = data.lastIndex(of: 0x0A) else { return [] }
        let whole = data[data.startIndex...lastNewline]
        offset += whole.count
        let key = Array(#","type":""#.utf8)
        return whole.split(separator: 0x0A).compactMap { line -> String? in
            let bytes = Array(line)
            guard let at = bytes.firstRange(of: key) else { return nil }
            let rest = bytes[at.upperBound...]
            guard let end = rest.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: rest[..<end], as: UTF8.self)
        }
    }
}

/// What one desk session measured: the first frame (P1), memory (P5), and every timed key (P2).
public struct DeskRun: Sendable {
    public var firstFrame: Double = 0
    public var rssFirst: Double = 0, hwmFirst: Double = 0
    public var rssAfter: Double = 0, hwmAfter: Double = 0
    public var keys: [KeyKind: [Double]] = [:]
    /// Keys whose frame painted nothing (not timed).
    public var unpainted: [KeyKind: Int] = [:]
    /// Journal lines written by the script, by type (checked against what each write must leave).
    public var written: [String: Int] = [:]

    public var allKeys: [Double] { keys.values.flatMap { $0 } }
}

/// Drives the real desk through a pty: the first frame, then the P2 script (issue 14). Every write
/// is checked in the journal — a script that did not do what it says fails loudly.
struct DeskScript {
    struct Target {
        var executable: String
        /// The office's config (its data folder beside it) and journal, and the operators' keys.
        var config: URL
        var journal: URL
        var keys: URL
        /// The project root (screens/, config/notices), given to the desk as MADOGUCHI_HOME.
        var projectRoot: URL?
        var screens: URL
        /// A case in 登録済み to search for, open and hold.
        var registeredCase: String
        /// A small monthly status file to import.
        var smallStatusFile: URL
    }

    let target: Target
    let settle: Double
    let timeout: Double
    /// Only the first frame (P1/P5), no script.
    var firstFrameOnly = false

    var environment: [String: String] {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": ProcessInfo.processInfo.environment["HOME"] ?? NSTemporaryDirectory(),
                   "TERM": "xterm-256color", "LANG": "C.UTF-8",
                   "MADOGUCHI_KEY_DIR": target.keys.path]
        if let root = target.projectRoot { env["MADOGUCHI_HOME"] = root.path }
        return env
    }

    /// One session: start, first frame, the script, quit.
    func run() throws -> DeskRun {
        var result = DeskRun()
        var tail = JournalTail(target.journal)
        let desk = try PseudoTerminalDesk(executable: target.executable,
                                          arguments: ["--config", target.config.path, "--screens", target.screens.path],
                                          environment: environment)
        let first = try desk.waitForFrame(since: 0, expect: ["並び：", "山田 花子"], settle: settle, timeout: timeout * 4,
                                          what: "最初の画面")
        result.firstFrame = (first ?? desk.lastByteAt) - desk.spawnedAt
        (result.rssFirst, result.hwmFirst) = desk.memory()
        if !firstFrameOnly {
            var s = Session(desk: desk, settle: settle, timeout: timeout, tail: tail, result: result)
            try s.script(target, form: try FormLoader.load(from: target.screens.appendingPathComponent("intake.toml")))
            result = s.result
            tail = s.tail
            (result.rssAfter, result.hwmAfter) = desk.memory()
        }
        _ = try? desk.send(TerminalKey.f(10))
        desk.pump(timeout: 0.3)
        _ = try? desk.send(TerminalKey.bytes("y"))
        desk.finish(timeout: 10)
        for t in tail.newTypes() { result.written[t, default: 0] += 1 }
        return result
    }

    struct Session {
        let desk: PseudoTerminalDesk
        let settle: Double
        let timeout: Double
        var tail: JournalTail
        var result: DeskRun
        /// The terminal has been quiet for the settle window since the last frame (a timed key's
        /// frame ended so): the next timed key need not wait for quiet again.
        var quiet = false

        /// Sends keys that lead somewhere (not timed); waits for `expect` when given.
        mutating func lead(_ bytes: [UInt8], expect: [String] = [], _ what: String) throws {
            let since = desk.output.count
            quiet = false
            try desk.send(bytes)
            if expect.isEmpty {
                desk.pump(timeout: 0.02)
            } else {
                _ = try desk.waitForFrame(since: since, expect: expect, settle: 0, timeout: timeout, what: what)
            }
        }

        mutating func type(_ text: String) throws { try lead(TerminalKey.bytes(text), "文字の入力") }

        /// A timed key: from a quiet terminal, the key's bytes, then the last byte of its frame.
        /// A write's key must leave exactly the journal lines `lines` (type → count at least one).
        mutating func timed(_ bytes: [UInt8], _ kind: KeyKind, expect: [String] = [], lines: [EventType] = [], _ what: String) throws {
            if !quiet {
                _ = try desk.waitForFrame(since: desk.output.count, expect: [], settle: settle, timeout: timeout, what: what + "（前の画面）")
            }
            _ = tail.newTypes()   // lines written by the keys that led here (none expected)
            let since = desk.output.count
            let t0 = try desk.send(bytes)
            // Every timed key of the script changes the screen: it is given 3 s (a write, the whole
            // timeout) to start painting before it counts as painting nothing.
            var last = try desk.waitForFrame(since: since, expect: expect, settle: settle, timeout: timeout,
                                             paintWithin: kind.writes ? timeout : 3, what: what)
            if kind.writes {
                // The frame that counts is the one painted after the line reached the journal.
                var types = tail.newTypes()
                let deadline = PseudoTerminalDesk.now() + timeout
                while !lines.allSatisfy({ types.contains($0.rawValue) }), PseudoTerminalDesk.now() < deadline {
                    let mark = desk.output.count
                    if let l = try desk.waitForFrame(since: mark, expect: [], settle: settle, timeout: timeout, what: what), desk.output.count > mark {
                        last = l
                    }
                    types += tail.newTypes()
                }
                for t in types { result.written[t, default: 0] += 1 }
                guard lines.allSatisfy({ types.contains($0.rawValue) }) else {
                    throw PseudoTerminalDesk.Failure("\(what)：記録に \(lines.map(\.rawValue).joined(separator: "・")) の行が書かれていません（書かれた行：\(types)）。画面：\n"
                                                     + String(PseudoTerminalDesk.text(desk.output[since...]).suffix(1500)))
                }
            }
            quiet = true
            if let last {
                result.keys[kind, default: []].append(last - t0)
            } else {
                result.unpainted[kind, default: 0] += 1
            }
        }

        mutating func script(_ target: Target, form: FormDefinition) throws {
            let k = TerminalKey.self
            // Navigation on the list.
            for _ in 0..<8 { try timed(k.down, .navigation, "↓") }
            for _ in 0..<3 { try timed(k.up, .navigation, "↑") }
            for _ in 0..<3 { try timed(k.pageDown, .navigation, "PgDn") }
            try timed(k.pageUp, .navigation, "PgUp")
            try timed(k.end, .navigation, "End")
            try timed(k.home, .navigation, "Home")
            // Sort: F6 cycles the orders (three presses), then back to the first order is not assumed.
            for _ in 0..<3 { try timed(k.f(6), .sort, "F6") }
            // Search the registered case: `/`, its number key by key, Enter keeps the position.
            try timed(k.bytes("/"), .search, "/")
            for ch in target.registeredCase { try timed(k.bytes(String(ch)), .search, "検索「\(ch)」") }
            try timed(k.enter, .search, "検索の Enter")
            // Open it and come back.
            try timed(k.enter, .open, expect: [target.registeredCase], "案件を開く")
            try timed(k.escape, .back, expect: ["並び："], "一覧に戻る")
            // Record a move on it: F7 → 1 (保留・取消のお知らせ) → reason, date, month → y.
            try lead(k.f(7), expect: ["に記録する"], "F7")
            try lead(k.bytes("1") + k.enter, expect: ["保留・取消のお知らせを記録"], "F7 → 1")
            try lead(k.enter, "理由")
            try lead(k.enter, "日付")
            try lead(k.enter, expect: ["y：記録する"], "月末処理の月")
            try timed(k.bytes("y"), .recordMove, lines: [LifecycleEvent.held(reason: .misEntrySuspected, noticeDate: LocalDate(Date())).type], "保留を記録（y）")
            // Mark today's first reminder done.
            try lead(k.f(9), expect: ["今日の要対応"], "F9")
            try lead(k.enter, expect: ["済みにする："], "要対応を選ぶ")
            try type("ベンチマークで確認")
            try timed(k.enter, .reminderDone, lines: [EventType.reminderDone], "済みにする（Enter）")
            try lead(k.escape, expect: ["並び："], "一覧に戻る")
            // Import a small monthly status file.
            try lead(k.f(4), expect: ["取り込むファイル"], "F4")
            try lead(k.bytes("2") + k.enter, expect: ["状況一覧ファイル（月次）を取り込む"], "F4 → 2")
            try lead(k.ctrlU, "パスを消す")
            try type(target.smallStatusFile.path)
            try lead(k.enter, "誤りのある行へ")
            try timed(k.enter, .importFile, expect: ["取り込みました"], lines: [EventType.fileRecorded], "取り込む（Enter）")
            try lead(k.escape, expect: ["並び："], "一覧に戻る")
            // A new intake, typed page by page as the end-to-end tests do, saved with F2.
            try intake(form: form)
        }

        /// The assistance-only application of the end-to-end tests (Tests/EndToEnd, typeAssistanceOnlyApplication).
        mutating func intake(form: FormDefinition) throws {
            let k = TerminalKey.self
            func marker(_ id: String) -> [String] {
                guard let help = form.pages.first(where: { $0.id == id })?.help, !help.isEmpty else { return [] }
                return [String((help.split(separator: "。").first.map(String.init) ?? help).prefix(12))]
            }
            let today = LocalDate(Date())
            let next = today.yearMonth.adding(months: 1)
            let reiwa = next.year - 2018
            try lead(k.f(2), expect: marker("applicant"), "F2 新規受付")
            for (text, keys) in [("ﾔﾏﾀﾞ ﾀﾛｳ", k.tab), ("山田　太郎", k.tab), ("S45.1.2", k.tab), ("1234567", k.tab), ("東京", k.tab),
                                 ("千代田区", k.tab), ("霞が関1-2-2", k.tab), ("03-1234-5678", k.tab + k.tab), ("1234566", k.tab)] {
                try type(text)
                try lead(keys, "申請者の欄")
            }
            // The next page's text is awaited from just before the key that opens it (never after).
            try type("1234567890123456")
            try lead(k.enter, expect: marker("form"), "申請書の頁へ")
            try lead(k.space + k.tab + k.space + k.tab + k.space + k.tab, "チェック欄")
            try type("カードの管理に不安があるため")
            try lead(k.tab + k.tab + k.enter, expect: marker("branch"), "区分の頁へ")
            try lead(k.right + k.enter, expect: marker("tickets"), "紙の券の頁へ")
            try lead(k.bytes("2") + k.tab + k.right + k.tab, "券の種類")
            try type("デモ内科クリニック"); try lead(k.tab, "医療機関")
            try type("R\(reiwa).\(next.month)"); try lead(k.tab + k.right + k.right + k.tab, "月")
            try type("デモ薬局"); try lead(k.tab, "薬局")
            try type("令和\(reiwa)年\(next.month)月"); try lead(k.pageDown, expect: marker("explain"), "説明の頁へ")
            for _ in 0..<5 { try lead(k.space + k.tab, "説明") }
            try lead(k.space + k.enter, expect: ["保存できます。"], "確認の頁へ")
            try timed(k.f(2), .saveIntake, expect: ["保存しました"], lines: [EventType.received], "保存（F2）")
        }
    }
}
