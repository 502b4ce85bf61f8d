import Foundation
import Testing

/// Where things are for the end-to-end tests: the repository, the built `madoguchi`, temp folders.
enum E2E {
    /// The repository root (…/Tests/EndToEnd/Support.swift → …).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let demoConfig = repoRoot.appendingPathComponent("config/demo/office.toml")

    /// The `madoguchi` binary that `swift test` built next to the test bundle
    /// (`<scratch>/debug/…xctest` → `<scratch>/debug/madoguchi`).
    static let binary: URL? = built("madoguchi")

    /// The engineers' `madoguchi-bench` (the benchmark and the `stress-append` writer), built beside it.
    static let benchBinary: URL? = built("madoguchi-bench")

    /// The executable `name` in the folder of the test bundle or one of its parents.
    private static func built(_ name: String) -> URL? {
        var starts: [String] = []
        if let p = Bundle.main.executablePath { starts.append(p) }
        starts.append(CommandLine.arguments[0])
        let fm = FileManager.default
        for start in starts {
            var dir = URL(fileURLWithPath: start).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent(name)
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue,
                   fm.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    static func requireBinary() throws -> URL { try required(binary, "madoguchi") }

    static func requireBenchBinary() throws -> URL { try required(benchBinary, "madoguchi-bench") }

    private static func required(_ found: URL?, _ name: String) throws -> URL {
        guard let b = found else {
            throw E2EError("\(name) が見つかりません: the built `\(name)` binary was not found next to the test bundle (\(CommandLine.arguments[0])). Run `swift build` (or `swift test`, which builds every target) first.")
        }
        return b
    }

    /// A fresh temp folder (mode as the system makes it). The caller removes it.
    static func makeTempDir(_ label: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("madoguchi-e2e-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    /// The environment the binary runs with: the test's own, minus anything that would choose another
    /// office, operator or locale, plus `extra`. `locale: false` leaves LANG/LC_* unset (as on CI).
    static func environment(dataDir: URL?, locale: Bool = true, extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("MADOGUCHI_") || key.hasPrefix("LC_") || key == "LANG"
            || key == "LANGUAGE" || key == "TMUX" || key == "TMUX_PANE" || key == "NO_COLOR" {
            env[key] = nil
        }
        if let dataDir { env["MADOGUCHI_DATA_DIR"] = dataDir.path }
        if locale { env["LANG"] = "C.UTF-8" }
        for (k, v) in extra { env[k] = v }
        return env
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the binary (or any program) to completion, from the repository root, with output in files
    /// (no pipe can fill up and block).
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String],
                    timeout: TimeInterval = 20, input: String? = nil) throws -> Output {
        let tmp = try makeTempDir("out")
        defer { remove(tmp) }
        let outURL = tmp.appendingPathComponent("stdout")
        let errURL = tmp.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.environment = environment
        p.currentDirectoryURL = repoRoot
        if let input {
            // What a person or a script types on stdin (`--passphrase-stdin`), from a file.
            let inURL = tmp.appendingPathComponent("stdin")
            try Data(input.utf8).write(to: inURL)
            p.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            throw E2EError("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
        }
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Output(status: p.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    static func madoguchi(_ arguments: [String], dataDir: URL?, locale: Bool = true) throws -> Output {
        try run(try requireBinary(), arguments, environment: environment(dataDir: dataDir, locale: locale))
    }

    /// POSIX permission bits of a file or folder.
    static func mode(_ url: URL) throws -> Int {
        let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attrs[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Shell single-quoting.
    static func shellQuote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Dates as the demo office sees them. It is a training office (issue 5), so its today is the
/// simulated clock of the sandbox, which for a fresh sandbox is the scenario book's first day
/// (`config/training/book.toml` start) — not the machine's date.
enum JapanDate {
    static func today() -> (year: Int, month: Int, day: Int) {
        let book = (try? String(contentsOf: E2E.repoRoot.appendingPathComponent("config/training/book.toml"), encoding: .utf8)) ?? ""
        guard let line = book.split(separator: "\n").first(where: { $0.hasPrefix("start") }),
              let q = line.split(separator: "\"").dropFirst().first else { return (0, 0, 0) }
        let parts = q.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return (0, 0, 0) }
        return (parts[0], parts[1], parts[2])
    }

    static var todayISO: String {
        let t = today()
        return String(format: "%04d-%02d-%02d", t.year, t.month, t.day)
    }

    /// Next month in Japan: the month a paper ticket is issued for in the tests.
    static func nextMonth() -> (year: Int, month: Int) {
        let t = today()
        return t.month == 12 ? (t.year + 1, 1) : (t.year, t.month + 1)
    }

    /// Reiwa year (令和元年 = 2019).
    static func reiwa(_ year: Int) -> Int { year - 2018 }

    /// The number the first case of this year gets.
    static var firstCaseNumber: String { String(format: "%04d-0001", today().year) }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
