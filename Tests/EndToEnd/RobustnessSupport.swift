import Foundation
import MadoguchiCore
import Testing

/// Shared by the robustness tests of issue 6 (crash injection, several writers, tamper evidence,
/// privacy): sizes, seeds, a child process that can be SIGKILLed, and a data directory seeded
/// through the domain.
enum Robust {
    /// `MADOGUCHI_LONG=1`: the long sizes (1,000 crash injections, 2 × 10,000 concurrent events).
    static let long: Bool = {
        let v = ProcessInfo.processInfo.environment["MADOGUCHI_LONG"] ?? ""
        return !v.isEmpty && v != "0"
    }()

    /// `MADOGUCHI_SEED=<n>` replays a failure; otherwise a fixed seed, so CI is deterministic.
    static func seed(default value: UInt64) -> UInt64 {
        guard let s = ProcessInfo.processInfo.environment["MADOGUCHI_SEED"], !s.isEmpty else { return value }
        return s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) ?? value : UInt64(s) ?? value
    }

    /// SplitMix64 (MadoguchiCore): the same seed, the same run.
    typealias Random = SeededRandom

    /// The lines of `text` that end with a newline (a SIGKILLed writer's last line may be cut).
    static func completeLines(_ text: String) -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()   // after the last newline: empty, or a cut line
        return lines
    }

    /// Complete journal lines as (seq, hash), read crudely from the bytes (the last 75 bytes of a line
    /// are `,"hash":"<64 hex>"}`); stops at the first line that does not look like one.
    static func journalLines(_ bytes: [UInt8]) -> [(seq: Int, hash: String)] {
        var out: [(Int, String)] = []
        var start = 0
        while let nl = bytes[start...].firstIndex(of: 0x0A) {
            let line = bytes[start..<nl]
            guard line.count > 80, let close = line.firstIndex(of: UInt8(ascii: ",")) else { break }
            let seqText = String(decoding: line[(start + 7)..<close], as: UTF8.self)
            guard let seq = Int(seqText) else { break }
            out.append((seq, String(decoding: line[(nl - 66)..<(nl - 2)], as: UTF8.self)))
            start = nl + 1
        }
        return out
    }

    static func bytes(_ url: URL) -> [UInt8] { (try? Array(Data(contentsOf: url))) ?? [] }

    /// `E2E.madoguchi`, but waiting asynchronously: Swift Testing runs tests on a pool of one thread per
    /// core, and a test that blocks its thread for seconds starves the tmux tests' screen polling
    /// beside it (on 2 cores their 10-second waits ran out without looking again).
    static func madoguchi(_ arguments: [String], dataDir: URL?, timeout: TimeInterval = 60) async throws -> E2E.Output {
        let child = try ChildProcess(try E2E.requireBinary(), arguments, environment: E2E.environment(dataDir: dataDir))
        let status = try await child.wait(timeout: timeout)
        guard status != -9 else { throw E2EError("madoguchi \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s") }
        return E2E.Output(status: status, stdout: child.stdout, stderr: child.stderr)
    }
}

/// A child process with stdout and stderr in files, that the test may SIGKILL at any moment.
final class ChildProcess {
    let process = Process()
    let outURL: URL
    let errURL: URL
    private let dir: URL

    /// `lowPriority`: run under `nice -n 19` (exec'd, so the pid is the program's own): the stress
    /// writers should not take the CPU from the desks the tmux tests are waiting on beside them (CI
    /// size, inside the whole suite; the long runs, run alone, go at full speed).
    init(_ executable: URL, _ arguments: [String], environment: [String: String], lowPriority: Bool = false) throws {
        dir = try E2E.makeTempDir("child")
        outURL = dir.appendingPathComponent("stdout")
        errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let nice = URL(fileURLWithPath: "/usr/bin/nice")
        if lowPriority, FileManager.default.isExecutableFile(atPath: nice.path) {
            process.executableURL = nice
            process.arguments = ["-n", "19", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.environment = environment
        process.currentDirectoryURL = E2E.repoRoot
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
    }

    deinit { E2E.remove(dir) }

    var stdout: String { String(decoding: Robust.bytes(outURL), as: UTF8.self) }
    var stderr: String { String(decoding: Robust.bytes(errURL), as: UTF8.self) }

    /// Polls stdout until it contains `text` (true) or the process ended / time ran out (false).
    /// Async, sleeping between looks: a test that blocked its thread for seconds would hold one of the
    /// few threads (one per core) that the tmux tests running beside it need to wait on their screens.
    func waitForOutput(_ text: String, timeout: TimeInterval = 20) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stdout.contains(text) { return true }
            if !process.isRunning { return stdout.contains(text) }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        return false
    }

    func kill9() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits for the end (SIGKILL after `timeout`), returning the exit status.
    @discardableResult
    func wait(timeout: TimeInterval) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
        if process.isRunning { kill9(); return -9 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A data directory of the demo office with cases received through the domain (the intake form's
/// checks and `CaseStore.receive`, as the desk does after F2), for the command-line tests.
enum SeededOffice {
    static let form: FormDefinition = try! FormLoader.load(from: E2E.repoRoot.appendingPathComponent("screens/intake.toml"))

    static var today: LocalDate { LocalDate(iso: JapanDate.todayISO)! }

    /// A complete assistance-only application as a clerk types it; `serverNumber` is the 16-digit
    /// 被保険者枝番, `recipient` a 受給者番号 with its check digit.
    static func values(name: String = "山田　太郎", furigana: String = "ﾔﾏﾀﾞ ﾀﾛｳ", recipient: String = "1234566",
                       serverNumber: String = "1234567890123456") -> IntakeValues {
        var v = IntakeValues()
        v["furigana"] = furigana
        v["name"] = name
        v["birth_date"] = "昭和45年1月2日"
        v["postal_code"] = "123-4567"
        v["prefecture"] = "東京"
        v["municipality"] = "千代田区"
        v["address"] = "霞が関１－２－２"
        v["phone"] = "03-1234-5678"
        v["email"] = "taro@example.jp"
        v["recipient_number"] = recipient
        v["server_individual_number"] = serverNumber
        v["has_proxy"] = "none"
        v["request_ticked"] = "1"
        v["signed_form"] = "1"
        v["reason"] = "カードの管理に不安があるため"
        v["application_date"] = JapanDate.todayISO
        v["branch"] = "assistance_only"
        v["holds_valid_tickets"] = "no"
        for p in ["a", "b", "c", "d", "e", "f"] { v["explained_\(p)"] = "1" }
        v.tickets = [TicketDraft()]
        return v
    }

    /// Receives `count` applications into `<data>/journal.jsonl` as clerk `yamada`; returns the case numbers.
    @discardableResult
    static func seed(_ data: URL, count: Int) throws -> [String] {
        let store = CaseStore(journalURL: data.appendingPathComponent("journal.jsonl"))
        try store.load()
        var numbers: [String] = []
        for k in 0..<count {
            let six = String(format: "%06d", 200_000 + k)
            let recipient = six + String(CheckDigit.compute(six)!)
            let check = IntakeForm.check(form, values: values(recipient: recipient, serverNumber: String(format: "98765432%08d", k)),
                                         context: ValidationContext(today: today))
            guard let app = check.application, check.problems.isEmpty else {
                throw E2EError("the seeded application does not pass the intake checks: \(check.problems)")
            }
            numbers.append(try store.receive(app, ticketsIssuedNow: check.tickets, operatorID: "yamada", now: Date()).number)
        }
        return numbers
    }
}
