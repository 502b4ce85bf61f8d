import ArgumentParser
import Foundation
import MadoguchiCore
import MadoguchiUI

/// `madoguchi bench`: the performance benchmark of issue 7. Generates a synthetic office at 1×, 4×
/// and 16× a base size and measures, side by side in one run, each figure against its reference.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "性能を測ります（合成データで、参照実装と並べて同じ実行の中で）。",
        discussion: """
        P1 起動から最初の画面まで（読込・畳み込み・一覧の描画）と Python orjson の行ごとの解析、
        P2 キー1回から画面まで（update・render・差分）の p50/p99、P3 月次状況ファイル10万行の取り込みと
        Python csv（cp932）、P4 記録の追記（fsync）と素の write+fdatasync、P5 読込後の常駐メモリと記録のサイズ。
        既定の規模は 1562件・12500行の 1×・4×・16×（16× = 25,000件・200,000行・月次100,000行）。
        正しい数字はリリースビルドで：swift build -c release --scratch-path .build-release
        """
    )

    @Option(name: .long, help: "規模の倍数（カンマ区切り）。")
    var sizes: String = "1,4,16"

    @Flag(name: .long, help: "とても小さい規模で動くことだけを確かめます（CI 用。数字に意味はありません）。")
    var tiny = false

    @Option(name: .long, help: "乱数の種（同じ種なら同じデータ）。")
    var seed: UInt64 = 7

    @Option(name: .long, help: "P1 の起動を測る回数（中央値を採ります）。")
    var runs: Int = 3

    @Option(name: .long, help: "P2 のキーの数。")
    var keys: Int = 400

    @Option(name: .long, help: "P4 の追記の回数。")
    var appends: Int = 200

    @Option(name: .long, help: ArgumentHelp("作業フォルダ（省略時は一時フォルダ、終わったら消します）。", valueName: "DIR"))
    var work: String?

    @Flag(name: .long, help: "Python の参照を測りません。")
    var noPython = false

    @Option(name: .long, help: ArgumentHelp("結果を JSON でも書き出すファイル。", valueName: "FILE"))
    var json: String?

    func run() throws {
        try runReportingErrors { try Bench(options: self).run() }
    }
}

/// The child process of P1 and P5: a fresh process loads the journal and draws the first frame, then
/// reports its times and memory as one JSON line (so the parent's own memory never counts).
struct BenchChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-child", shouldDisplay: false)

    @Option var journal: String
    @Option var width: Int = 100
    @Option var height: Int = 30

    /// Only read and verify the journal (no fold, no frame): where the time and memory go.
    @Flag var journalOnly = false

    /// Import this status file into a copy of the journal and report how long it took (profiling P3).
    @Option var status: String?

    func run() throws {
        if let status {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-bench-import-\(getpid())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: dir) }
            let copy = dir.appendingPathComponent("journal.jsonl")
            try FileManager.default.copyItem(at: URL(fileURLWithPath: journal), to: copy)
            let store = CaseStore(journalURL: copy)
            try store.load()
            let t0 = Bench.now()
            let report = try store.importStatus(URL(fileURLWithPath: status), office: SyntheticOffice.office(dataDirectory: dir),
                                                allowBadRows: true, operatorID: "yamada", now: Bench.date(Bench.today))
            print("{\"import\":\(Bench.now() - t0),\"changes\":\(report.changes.count)}")
            return
        }
        if journalOnly {
            let t0 = Bench.now()
            let loaded = try Journal(url: URL(fileURLWithPath: journal)).load()
            let t1 = Bench.now()
            let mem = Bench.memory()
            print("{\"load\":\(t1 - t0),\"rssKB\":\(mem.rss),\"lines\":\(loaded.records.count)}")
            return
        }
        let t0 = Bench.now()
        let store = CaseStore(journalURL: URL(fileURLWithPath: journal))
        let lines = try store.load().records.count   // as the desk: the store keeps what it needs
        let t1 = Bench.now()
        let state = Bench.deskState(store: store, width: width, height: height)
        let t2 = Bench.now()
        let canvas = state.render()
        let t3 = Bench.now()
        let mem = Bench.memory()
        let out: [String: Double] = [
            "load": t1 - t0, "firstFrame": t3 - t1, "state": t2 - t1, "render": t3 - t2, "total": t3 - t0,
            "rssKB": Double(mem.rss), "hwmKB": Double(mem.hwm), "lines": Double(lines),
            "cases": Double(store.book.count), "cells": Double(canvas.cells.count),
        ]
        let data = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}

struct Bench {
    let options: BenchCommand

    struct Row {
        var metric: String
        var scale: String
        var ours: String
        var reference: String
        var ratio: Double?
        var goal: String
        var met: Bool?
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func memory() -> (rss: Int, hwm: Int) {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            guard let line = s.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "0") ?? 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    static let today = LocalDate(year: 2026, month: 11, day: 24)!

    /// The desk as `DeskLoop` builds it before its first draw: the cases, today's reminders, batches.
    static func deskState(store: CaseStore, width: Int, height: Int) -> DeskState {
        let config = DeskConfig(officeName: "ベンチ市福祉事務所", isTraining: true, operatorID: "yamada", operatorName: "山田 花子",
                                operatorRole: .clerk, form: Bench.form)
        var state = DeskState(config: config, today: today, width: width, height: height, cases: store.book.all)
        state.reminders = Reminders.due(in: store.book, today: today)
        state.batches = store.book.signOffBatches
        return state
    }

    /// The intake form is not part of what is measured; an empty one keeps the child independent of
    /// the project folder.
    static let form = FormDefinition(title: "bench", pages: [], source: "bench")

    static func percentile(_ xs: [Double], _ p: Double) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted()
        return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
    }

    static func median(_ xs: [Double]) -> Double { percentile(xs, 0.5) }

    static func ms(_ s: Double) -> String { s >= 1 ? String(format: "%.2f s", s) : String(format: "%.1f ms", s * 1000) }
    static func us(_ s: Double) -> String { s * 1000 >= 1 ? String(format: "%.2f ms", s * 1000) : String(format: "%.0f µs", s * 1e6) }
    static func mb(_ bytes: Double) -> String { String(format: "%.1f MB", bytes / 1_048_576) }

    func log(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    func run() throws {
        #if DEBUG
        log("注意：デバッグビルドです。数字は参考になりません（swift build -c release --scratch-path .build-release）。")
        #endif
        let scales = options.sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !scales.isEmpty else { throw ValidationError("--sizes は 1,4,16 のように書いてください") }
        let base = options.tiny ? SyntheticOffice.Size(cases: 24, events: 160, statusRows: 100) : SyntheticOffice.Size.base
        let root: URL
        let removeAfter: Bool
        if let w = options.work {
            root = URL(fileURLWithPath: w)
            removeAfter = false
        } else {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-bench-\(getpid())")
            removeAfter = true
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { if removeAfter { try? FileManager.default.removeItem(at: root) } }

        let python = Python(enabled: !options.noPython, scratch: root)
        if let why = python.unavailable { log(why) }

        var rows: [Row] = []
        var jsonOut: [[String: Any]] = []
        for k in scales {
            let size = options.tiny ? SyntheticOffice.Size(cases: base.cases * k, events: base.events * k, statusRows: base.statusRows * k)
                : base.scaled(k)
            let dir = root.appendingPathComponent("x\(k)")
            try? FileManager.default.removeItem(at: dir)
            let g0 = Bench.now()
            let data = try SyntheticOffice.generate(into: dir, size: size, seed: options.seed)
            let journalBytes = Double((try? FileManager.default.attributesOfItem(atPath: data.journal.path)[.size] as? Int) ?? 0)
            log("\(k)×：\(size) を作りました（\(Bench.ms(Bench.now() - g0))、記録 \(Bench.mb(journalBytes))）")
            let scale = "\(k)× \(data.cases)件/\(data.lines)行"
            var figures: [String: Any] = ["scale": k, "cases": data.cases, "lines": data.lines, "journalBytes": journalBytes]

            // P1 and P5: fresh child processes. The first run is the cold start; the median of the
            // others is the usual start.
            // Each start is followed by one orjson pass over the same file, so both see the same
            // moment of a noisy machine.
            var totals: [Double] = []
            var references: [Double] = []
            var child: [String: Double] = [:]
            var cold: Double = 0
            for i in 0..<max(2, options.runs + 1) {
                let r = try runChild(journal: data.journal)
                if i == 0 { cold = r["total"] ?? 0; continue }
                totals.append(r["total"] ?? 0)
                child = r
                if let t = python.orjson(data.journal, runs: 1) { references.append(t) }
            }
            let p1 = Bench.median(totals)
            let orjson = references.isEmpty ? nil : Bench.median(references)
            rows.append(Row(metric: "P1 起動→最初の画面", scale: scale, ours: Bench.ms(p1) + "（初回 \(Bench.ms(cold))）",
                            reference: orjson.map { "orjson " + Bench.ms($0) } ?? "—", ratio: orjson.map { p1 / $0 },
                            goal: "≤1.5×", met: orjson.map { p1 / $0 <= 1.5 }))
            figures["p1"] = ["seconds": p1, "cold": cold, "load": child["load"] ?? 0, "firstFrame": child["firstFrame"] ?? 0,
                             "orjson": orjson as Any]
            let rss = (child["rssKB"] ?? 0) * 1024, hwm = (child["hwmKB"] ?? 0) * 1024
            rows.append(Row(metric: "P5 常駐メモリ（読込後）", scale: scale, ours: "RSS \(Bench.mb(rss))（最大 \(Bench.mb(hwm))）",
                            reference: "記録 \(Bench.mb(journalBytes))", ratio: rss / max(1, journalBytes), goal: "≤2×",
                            met: rss / max(1, journalBytes) <= 2))
            figures["p5"] = ["rss": rss, "hwm": hwm, "journal": journalBytes]

            // P2 in this process, on the same data.
            let store = CaseStore(journalURL: data.journal)
            try store.load()
            let p2 = keystrokes(store: store)
            rows.append(Row(metric: "P2 キー→画面", scale: scale, ours: "p50 \(Bench.us(p2.p50))・p99 \(Bench.us(p2.p99))",
                            reference: "目標 5 ms", ratio: p2.p99 / 0.005, goal: "p99 ≤5 ms", met: p2.p99 <= 0.005))
            figures["p2"] = ["p50": p2.p50, "p99": p2.p99, "max": p2.max]

            // P3: the import on a copy of the journal (the journal append with its fsync included).
            let p3 = try importStatus(data: data, root: dir, python: python)
            let csvRef = p3.reference
            rows.append(Row(metric: "P3 月次ファイル取込", scale: "\(k)× \(size.statusRows)行", ours: Bench.ms(p3.total) + "（解析 \(Bench.ms(p3.parse))）",
                            reference: csvRef.map { "csv " + Bench.ms($0) } ?? "—", ratio: csvRef.map { p3.total / $0 },
                            goal: "≤1×", met: csvRef.map { p3.total / $0 <= 1 }))
            figures["p3"] = ["seconds": p3.total, "parse": p3.parse, "changes": p3.changes, "python": csvRef as Any]

            // P4: appends interleaved with the bare write + fdatasync loop, same directory.
            let p4 = try appendsSideBySide(data: data, root: dir)
            rows.append(Row(metric: "P4 追記（fsync）", scale: scale, ours: "p50 \(Bench.us(p4.ours.p50))・p99 \(Bench.us(p4.ours.p99))",
                            reference: "write+fdatasync p50 \(Bench.us(p4.bare.p50))・p99 \(Bench.us(p4.bare.p99))（\(p4.lineBytes) B）",
                            ratio: p4.ours.p99 / max(1e-9, p4.bare.p99), goal: "p99 ≤1.5×", met: p4.ours.p99 / max(1e-9, p4.bare.p99) <= 1.5))
            figures["p4"] = ["p50": p4.ours.p50, "p99": p4.ours.p99, "bareP50": p4.bare.p50, "bareP99": p4.bare.p99, "lineBytes": p4.lineBytes]
            jsonOut.append(figures)
            if removeAfter { try? FileManager.default.removeItem(at: dir) }
        }
        print(Bench.table(rows))
        print(Bench.machine())
        if let path = options.json {
            let data = try JSONSerialization.data(withJSONObject: ["machine": Bench.machine(), "results": jsonOut], options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: path))
        }
    }

    // MARK: Measurements

    func runChild(journal: URL) throws -> [String: Double] {
        let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        let p = Process()
        p.executableURL = exe
        p.arguments = ["bench-child", "--journal", journal.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let obj = try JSONSerialization.jsonObject(with: data) as? [String: Double] else {
            throw StartupError("bench-child が失敗しました（終了コード \(p.terminationStatus)）")
        }
        return obj
    }

    /// Key → frame: update + render + the diff the terminal backend would paint.
    func keystrokes(store: CaseStore) -> (p50: Double, p99: Double, max: Double) {
        var state = Bench.deskState(store: store, width: 100, height: 30)
        var previous = state.render()
        var times: [Double] = []
        // Mostly moving through the list, with pages, a sort now and then, a case opened and closed.
        var script: [Key] = []
        for i in 0..<options.keys {
            switch i % 40 {
            case 10: script.append(.pageDown)
            case 20: script.append(.function(6))
            case 25: script.append(.enter)
            case 26: script.append(.escape)
            case 30: script.append(.pageUp)
            case 35: script.append(.end)
            case 36: script.append(.home)
            default: script.append(i % 7 == 3 ? .up : .down)
            }
        }
        for key in script {
            let t0 = Bench.now()
            _ = state.update(.key(key))
            let canvas = state.render()
            var changed = 0
            if canvas.width == previous.width && canvas.height == previous.height {
                for i in canvas.cells.indices where canvas.cells[i] != previous.cells[i] { changed += 1 }
            }
            let t1 = Bench.now()
            blackHole(changed)
            previous = canvas
            times.append(t1 - t0)
        }
        return (Bench.percentile(times, 0.5), Bench.percentile(times, 0.99), times.max() ?? 0)
    }

    func importStatus(data: SyntheticOffice.Output, root: URL, python: Python) throws
        -> (total: Double, parse: Double, changes: Int, reference: Double?) {
        var totals: [Double] = []
        var parses: [Double] = []
        var references: [Double] = []
        var changes = 0
        let bytes = try Data(contentsOf: data.statusFile)
        let office = SyntheticOffice.office(dataDirectory: root)
        for i in 0..<max(1, options.runs) {
            let copy = root.appendingPathComponent("import-\(i)")
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let journal = copy.appendingPathComponent("journal.jsonl")
            try FileManager.default.copyItem(at: data.journal, to: journal)
            let store = CaseStore(journalURL: journal)
            try store.load()
            let p0 = Bench.now()
            let parsed = try StatusFile.parse(bytes, config: office.interchange)
            parses.append(Bench.now() - p0)
            blackHole(parsed.rows.count)
            let t0 = Bench.now()
            let report = try store.importStatus(data.statusFile, office: office, allowBadRows: true, operatorID: "yamada",
                                                now: Bench.date(Bench.today))
            totals.append(Bench.now() - t0)
            changes = report.changes.count
            try? FileManager.default.removeItem(at: copy)
            if let t = python.csv(data.statusFile, runs: 1) { references.append(t) }
        }
        return (Bench.median(totals), Bench.median(parses), changes, references.isEmpty ? nil : Bench.median(references))
    }

    static func date(_ d: LocalDate) -> Date {
        var c = DateComponents()
        c.year = d.year; c.month = d.month; c.day = d.day; c.hour = 10
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        return cal.date(from: c)!
    }

    func appendsSideBySide(data: SyntheticOffice.Output, root: URL) throws
        -> (ours: (p50: Double, p99: Double), bare: (p50: Double, p99: Double), lineBytes: Int) {
        let copy = root.appendingPathComponent("append")
        try? FileManager.default.removeItem(at: copy)
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: copy) }
        let journal = copy.appendingPathComponent("journal.jsonl")
        try FileManager.default.copyItem(at: data.journal, to: journal)
        let store = CaseStore(journalURL: journal)
        try store.load()
        // One append to learn the line size.
        let before = (try FileManager.default.attributesOfItem(atPath: journal.path)[.size] as? Int) ?? 0
        try store.record(.serverNumberSet("1234567890123456"), on: data.appendableCase, operatorID: "yamada", now: Date())
        let after = (try FileManager.default.attributesOfItem(atPath: journal.path)[.size] as? Int) ?? 0
        let lineBytes = max(1, after - before)
        let line = [UInt8](repeating: 0x78, count: lineBytes - 1) + [0x0A]
        let barePath = copy.appendingPathComponent("bare.log").path
        let fd = open(barePath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StartupError("\(barePath) を開けません") }
        defer { close(fd) }
        var ours: [Double] = []
        var bare: [Double] = []
        for i in 0..<options.appends {
            let number = String(1_000_000_000_000_000 + i)
            let t0 = Bench.now()
            try store.record(.serverNumberSet(number), on: data.appendableCase, operatorID: "yamada", now: Date())
            let t1 = Bench.now()
            let n = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n == line.count, fdatasync(fd) == 0 else { throw StartupError("write/fdatasync に失敗しました") }
            let t2 = Bench.now()
            ours.append(t1 - t0)
            bare.append(t2 - t1)
        }
        return ((Bench.percentile(ours, 0.5), Bench.percentile(ours, 0.99)),
                (Bench.percentile(bare, 0.5), Bench.percentile(bare, 0.99)), lineBytes)
    }

    // MARK: Output

    static func table(_ rows: [Row]) -> String {
        let header = ["指標", "規模", "Madoguchi", "参照", "比", "目標", "判定"]
        let cells = rows.map { r in
            [r.metric, r.scale, r.ours, r.reference, r.ratio.map { String(format: "%.2f×", $0) } ?? "—", r.goal,
             r.met.map { $0 ? "達成" : "未達" } ?? "—"]
        }
        var widths = header.map { DisplayWidth.of($0) }
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        func line(_ row: [String]) -> String {
            "| " + row.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - DisplayWidth.of(c)) }.joined(separator: " | ") + " |"
        }
        var out = [line(header), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
        out += cells.map(line)
        return out.joined(separator: "\n")
    }

    static func machine() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "?"
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        return "機械：\(cpu)、\(ProcessInfo.processInfo.activeProcessorCount) コア、\(build) ビルド"
    }
}

@inline(never) func blackHole<T>(_ x: T) { _ = x }

/// The Python references: orjson line by line (P1) and the csv module with cp932 (P3).
struct Python {
    let executable: String
    let unavailable: String?
    let hasOrjson: Bool
    let enabled: Bool
    let scratch: URL

    init(enabled: Bool, scratch: URL) {
        self.scratch = scratch
        self.enabled = enabled
        executable = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"
        guard enabled else { unavailable = nil; hasOrjson = false; return }
        if Python.exec(executable, ["-c", "import sys"]) == nil {
            unavailable = "python3 がないので参照は測りません（apt-get install python3）"
            hasOrjson = false
        } else if Python.exec(executable, ["-c", "import orjson"]) == nil {
            unavailable = "Python の orjson がないので P1 の参照は測りません。入れるには：pip install orjson"
            hasOrjson = false
        } else {
            unavailable = nil
            hasOrjson = true
        }
    }

    static func exec(_ python: String, _ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    /// Median seconds of `runs` timed passes inside one Python process.
    func timed(_ body: String, file: URL, runs: Int) -> Double? {
        let script = """
        import sys, time
        \(body)
        ts = []
        for _ in range(\(max(1, runs))):
            t0 = time.perf_counter()
            work(sys.argv[1])
            ts.append(time.perf_counter() - t0)
        ts.sort()
        print(ts[len(ts) // 2])
        """
        return Python.exec(executable, ["-c", script, file.path]).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func orjson(_ journal: URL, runs: Int) -> Double? {
        guard hasOrjson else { return nil }
        return timed("""
        import orjson
        def work(path):
            n = 0
            with open(path, 'rb') as f:
                for line in f:
                    orjson.loads(line)
                    n += 1
            return n
        """, file: journal, runs: runs)
    }

    func csv(_ file: URL, runs: Int) -> Double? {
        guard enabled else { return nil }
        return timed("""
        import csv
        def work(path):
            with open(path, encoding='cp932', newline='') as f:
                return len(list(csv.reader(f)))
        """, file: file, runs: runs)
    }
}
