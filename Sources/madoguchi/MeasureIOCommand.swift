import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi measure-io` (hidden, issue 14): P3 and P4 side by side with their references, in
/// alternating runs, printing every run and min/median/max — figures for the README, no verdict.
///
/// - P3: Python's csv module reading the status file with encoding='cp932' (the reference), our
///   decoding + CSV reading alone (`StatusFile.recordCount`), `StatusFile.parse` (with the row
///   checks), and the whole import into a fresh copy of the journal (`CaseStore.importStatus`: match,
///   R-CF-1/R-RL-2, the journal append with its fsync).
/// - P4: the durable append of a signed journal (the office opened with a supervisor's Ed25519 key,
///   every line signed) against a bare `write` + `fdatasync` of a line of the same size in the same
///   folder, one after the other for each of `--appends` appends; p50/p99 of each run.
struct MeasureIOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure-io",
        abstract: "（測定用）月次ファイルの取込（P3）と署名つき追記（P4）を参照と交互に測ります。",
        shouldDisplay: false
    )

    @Option(name: .long, help: "規模（16 で 25,000件・月次10万行）。")
    var size: Int = 16

    @Option(name: .long, help: "交互に測る回数。")
    var runs: Int = 5

    @Option(name: .long, help: "P4 の1回あたりの追記の回数。")
    var appends: Int = 2_000

    @Option(name: .long, help: "測るもの（p3、p4、両方は all）。")
    var only: String = "all"

    @Option(name: .long, help: ArgumentHelp("作業フォルダ（省略時は一時フォルダ、終わったら消します）。", valueName: "DIR"))
    var work: String?

    func run() throws {
        try runReportingErrors {
            let dir = URL(fileURLWithPath: work ?? NSTemporaryDirectory()).appendingPathComponent("madoguchi-measure-io-\(getpid())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: dir) }
            let data = try SyntheticOffice.generate(into: dir, size: SyntheticOffice.Size.base.scaled(size))
            if only != "p4" { try measureImport(data, dir) }
            if only != "p3" { try measureAppend(data, dir) }
        }
    }

    // MARK: P3

    func measureImport(_ data: SyntheticOffice.Output, _ dir: URL) throws {
        let office = SyntheticOffice.office(dataDirectory: dir)
        let bytes = try Data(contentsOf: data.statusFile)
        var python: [Double] = [], csv: [Double] = [], parse: [Double] = [], whole: [Double] = []
        for i in 0..<runs {
            if let t = Self.pythonCSV(data.statusFile) { python.append(t) }
            var t0 = Self.clock()
            let records = try StatusFile.recordCount(bytes, config: office.interchange)
            csv.append(Self.clock() - t0)
            t0 = Self.clock()
            let parsed = try StatusFile.parse(bytes, config: office.interchange)
            parse.append(Self.clock() - t0)
            let copy = dir.appendingPathComponent("import-\(i)")
            try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: copy) }
            let journal = copy.appendingPathComponent("journal.jsonl")
            try FileManager.default.copyItem(at: data.journal, to: journal)
            let store = CaseStore(journalURL: journal)
            try store.load()
            t0 = Self.clock()
            // The bench's day, so that the same rows confirm as in `madoguchi bench`.
            let report = try store.importStatus(data.statusFile, office: office, allowBadRows: true, operatorID: "yamada",
                                                now: Self.benchDay())
            whole.append(Self.clock() - t0)
            print(String(format: "P3 run %d: python csv %.1f ms | decode+csv %.1f ms (%d records) | parse %.1f ms (%d rows) | whole import %.1f ms (%d changes)",
                         i + 1, (python.last ?? .nan) * 1000, csv[i] * 1000, records, parse[i] * 1000, parsed.rows.count,
                         whole[i] * 1000, report.changes.count))
        }
        print("P3 " + Self.spread("python csv", python) + " | " + Self.spread("decode+csv", csv) + " | "
              + Self.spread("parse", parse) + " | " + Self.spread("whole", whole))
        if python.count == runs {
            print("P3 ratios per run (decode+csv / python): " + Self.spread("", zip(csv, python).map { $0 / $1 }, unit: "×"))
            print("P3 ratios per run (whole / python): " + Self.spread("", zip(whole, python).map { $0 / $1 }, unit: "×"))
        }
    }

    static func benchDay() -> Date {
        var c = DateComponents()
        c.year = 2026; c.month = 11; c.day = 24; c.hour = 10   // the synthetic office's today, as the bench
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        return cal.date(from: c)!
    }

    /// Python's csv module on the file (cp932), timed inside Python, one pass.
    static func pythonCSV(_ file: URL) -> Double? {
        let script = """
        import csv, sys, time
        t0 = time.perf_counter()
        with open(sys.argv[1], encoding='cp932', newline='') as f:
            n = len(list(csv.reader(f)))
        print(time.perf_counter() - t0)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [ProcessInfo.processInfo.environment["PYTHON"] ?? "python3", "-c", script, file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return p.terminationStatus == 0 ? Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
    }

    // MARK: P4

    func measureAppend(_ data: SyntheticOffice.Output, _ dir: URL) throws {
        let copy = dir.appendingPathComponent("append")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let journal = copy.appendingPathComponent("journal.jsonl")
        try FileManager.default.copyItem(at: data.journal, to: journal)
        // The synthetic office is a training sandbox: its operators' keys are made and enrolled with
        // the first line written, and every line after is signed and checked by the production rules.
        let office = SyntheticOffice.office(dataDirectory: copy)
        let store = CaseStore(journalURL: journal)
        try store.load()
        let supervisor = office.operators.first { $0.role == .supervisor }!
        let proven = try OfficeTrust.prove(supervisor, config: office, passphrase: { nil })
        try OfficeTrust.admit(proven, store: store, config: office, now: Date())
        // The first append also writes the sandbox's opening lines; the second gives the line size.
        try store.record(.serverNumberSet("1234567890123455"), on: data.appendableCase, operatorID: supervisor.id, now: Date())
        let before = try Self.size(journal)
        try store.record(.serverNumberSet("1234567890123456"), on: data.appendableCase, operatorID: supervisor.id, now: Date())
        let lineBytes = max(1, try Self.size(journal) - before)
        guard store.journal.trust?.isSigning == true else { throw StartupError("記録が署名されていません") }
        let line = [UInt8](repeating: 0x78, count: lineBytes - 1) + [0x0A]
        let barePath = copy.appendingPathComponent("bare.log").path
        let fd = open(barePath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StartupError("\(barePath) を開けません") }
        defer { close(fd) }
        var ratios: [Double] = [], oursP99: [Double] = [], bareP99: [Double] = []
        var serial = 0
        for run in 0..<runs {
            var ours: [Double] = [], bare: [Double] = []
            ours.reserveCapacity(appends)
            bare.reserveCapacity(appends)
            for _ in 0..<appends {
                serial += 1
                let t0 = Self.clock()
                try store.record(.serverNumberSet(String(1_000_000_000_000_000 + serial)), on: data.appendableCase,
                                 operatorID: supervisor.id, now: Date())
                let t1 = Self.clock()
                let n = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                guard n == line.count, fdatasync(fd) == 0 else { throw StartupError("write/fdatasync に失敗しました") }
                let t2 = Self.clock()
                ours.append(t1 - t0)
                bare.append(t2 - t1)
            }
            let (o50, o99) = (Self.percentile(ours, 0.5), Self.percentile(ours, 0.99))
            let (b50, b99) = (Self.percentile(bare, 0.5), Self.percentile(bare, 0.99))
            oursP99.append(o99)
            bareP99.append(b99)
            ratios.append(o99 / b99)
            print(String(format: "P4 run %d (%d appends, %d B, signed): ours p50 %.0f µs p99 %.0f µs | bare write+fdatasync p50 %.0f µs p99 %.0f µs | p99 ratio %.2f×",
                         run + 1, appends, lineBytes, o50 * 1e6, o99 * 1e6, b50 * 1e6, b99 * 1e6, o99 / b99))
        }
        print("P4 " + Self.spread("ours p99", oursP99, scale: 1e6, unit: " µs") + " | " + Self.spread("bare p99", bareP99, scale: 1e6, unit: " µs")
              + " | " + Self.spread("p99 ratio", ratios, unit: "×"))
    }

    // MARK: Figures

    static func clock() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func size(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    /// The value at fraction `p` of the sorted samples (nearest rank).
    static func percentile(_ xs: [Double], _ p: Double) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? .nan : s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
    }

    /// `label min/median/max`, in ms unless told.
    static func spread(_ label: String, _ xs: [Double], scale: Double = 1000, unit: String = " ms") -> String {
        let fmt = unit == "×" ? "%.2f" : "%.1f"
        let k = unit == "×" ? 1 : scale
        let parts = [percentile(xs, 0), percentile(xs, 0.5), percentile(xs, 1)].map { String(format: fmt, $0 * k) }
        return (label.isEmpty ? "" : label + " ") + "min/median/max " + parts.joined(separator: "/") + unit
    }
}
