import Foundation

/// What `lp` or `lpstat` printed and how it ended.
public struct PrintCommandOutput: Sendable, Equatable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String = "") {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs CUPS's client commands (`lp`, `lpstat`). The real one is `SystemPrintCommands`; tests give
/// a fake that answers as CUPS does.
public protocol PrintCommandRunner: Sendable {
    /// Runs `tool` with `arguments`; nil when the tool is not installed.
    func run(_ tool: String, _ arguments: [String]) throws -> PrintCommandOutput?
}

/// `lp` and `lpstat` found in PATH (absolute paths), run with Process: arguments as an array,
/// never through a shell; C locale so CUPS answers in the English this file reads.
public struct SystemPrintCommands: PrintCommandRunner {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func run(_ tool: String, _ arguments: [String]) throws -> PrintCommandOutput? {
        guard let url = NoticePDF.executable(tool, environment: environment) else { return nil }
        let p = Process()
        p.executableURL = url
        p.arguments = arguments
        var env = environment
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        p.environment = env
        // Output to files (0600, removed after): no pipe can fill up and block.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-\(tool)-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        for u in [outURL, errURL] { _ = FileManager.default.createFile(atPath: u.path, contents: nil, attributes: [.posixPermissions: 0o600]) }
        defer { for u in [outURL, errURL] { try? FileManager.default.removeItem(at: u) } }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let outData = FileManager.default.contents(atPath: outURL.path) ?? Data()
        let errData = FileManager.default.contents(atPath: errURL.path) ?? Data()
        return PrintCommandOutput(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                  stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Why a print did not happen. Each message says what the clerk (or whoever set the office up) does.
public enum PrintProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The config names no printer.
    case notConfigured(configFile: String)
    /// `lp` (cups-client) is not installed.
    case missingTool(String)
    /// CUPS is not running (or cannot be reached).
    case schedulerDown(detail: String)
    /// No such queue.
    case noSuchQueue(String)
    /// The queue refuses jobs (`cupsreject`).
    case notAccepting(String)
    /// `lp` failed otherwise.
    case failed(queue: String, message: String)

    /// Who reads the message: the way to a PDF without a printer is said in their words (the
    /// command line's option, or the desk's choice in the form), issue 11.
    public enum Audience: Sendable {
        /// `madoguchi notice --print`, `pending --print`.
        case commandLine
        /// The desk's 通知を作る form (its 「印刷用 PDF」 choice; the PDF is made before it prints).
        case deskNotice
        /// The desk's pending list (p) or a reprint: the PDF is there whether or not it prints.
        case deskPDFMade
    }

    public var description: String { message(for: .commandLine) }

    public func message(for audience: Audience) -> String {
        switch self {
        case .notConfigured(let file):
            let pdfOnly: String
            switch audience {
            case .commandLine: pdfOnly = "PDF だけなら --print なしで作れます"
            case .deskNotice: pdfOnly = "PDF は作ってあります（プリンターがないあいだは「印刷用 PDF」で「PDF だけ作る」を選べば、PDF だけ作れます）"
            case .deskPDFMade: pdfOnly = "PDF は作ってあります"
            }
            return "印刷するプリンターが設定されていません：設定ファイル \(file) の [printing] queue にプリンター（CUPS の印刷キュー）の名前を書いてください。" + pdfOnly
        case .missingTool(let tool):
            return "印刷できません：\(tool) がありません（apt-get install cups-client）"
        case .schedulerDown(let detail):
            return "印刷できません：印刷サービス（CUPS）が動いていません\(detail.isEmpty ? "" : "（\(detail)）")。システムの担当者に連絡してください"
        case .noSuchQueue(let q):
            return "印刷できません：プリンター \(q) がありません。設定の [printing] queue の名前を確かめてください（lpstat -p で一覧が見られます）"
        case .notAccepting(let q):
            return "印刷できません：プリンター \(q) は印刷を受け付けていません（cupsaccept \(q) で受け付けるようにできます）"
        case let .failed(q, message):
            return "プリンター \(q) で印刷できませんでした\(message.isEmpty ? "" : "：" + message)"
        }
    }
}

/// A job handed to CUPS.
public struct PrintReceipt: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// The printer is working: the job prints (or has printed).
        case submitted
        /// The printer is stopped (`cupsdisable`): the job waits in the queue until it is started.
        case waiting
    }

    public let queue: String
    /// CUPS's request id, `PDF-12`.
    public let job: String
    public let state: State

    public init(queue: String, job: String, state: State) {
        self.queue = queue
        self.job = job
        self.state = state
    }

    /// 「印刷しました（プリンター PDF、ジョブ PDF-12）」 or why it waits.
    public var message: String {
        switch state {
        case .submitted: return "印刷しました（プリンター \(queue)、ジョブ \(job)）"
        case .waiting: return "プリンター \(queue) は停止中です。ジョブ \(job) は待機しています（プリンターを再開すると印刷されます：cupsenable \(queue)）"
        }
    }
}

/// The office's printer: a CUPS queue named in the config (`[printing] queue`).
public struct OfficePrinter: Sendable {
    public let queue: String?
    /// The config file, named when no queue is set.
    public let configFile: String
    public let commands: any PrintCommandRunner

    public init(queue: String?, configFile: String, commands: any PrintCommandRunner = SystemPrintCommands()) {
        self.queue = queue
        self.configFile = configFile
        self.commands = commands
    }

    public init(office: OfficeConfig, commands: any PrintCommandRunner = SystemPrintCommands()) {
        self.init(queue: office.printQueue, configFile: office.source.path, commands: commands)
    }

    /// `lp -d QUEUE -t TITLE FILE`, then the queue's state: `lp` exits 0 even when the printer is
    /// stopped and the job only waits, so a receipt says whether it prints or waits.
    public func print(_ file: URL, title: String) throws(PrintProblem) -> PrintReceipt {
        guard let queue else { throw .notConfigured(configFile: configFile) }
        let submitted: PrintCommandOutput
        do {
            guard let out = try commands.run("lp", ["-d", queue, "-t", title, "--", file.path]) else {
                throw PrintProblem.missingTool("lp")
            }
            submitted = out
        } catch let p as PrintProblem {
            throw p
        } catch {
            throw .failed(queue: queue, message: UserFacing.detail(for: error))
        }
        guard submitted.status == 0 else {
            var problem = Self.problem(queue: queue, submitted)
            // lp says "does not exist" also when CUPS is not running: ask the scheduler.
            if problem == .noSuchQueue(queue), let r = (try? commands.run("lpstat", ["-r"])).flatMap({ $0 }),
               r.stdout.contains("not running") {
                problem = .schedulerDown(detail: "")
            }
            throw problem
        }
        guard let job = Self.jobID(in: submitted.stdout, queue: queue) else {
            let said = TextNormalizer.showingControlCharacters(submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            throw .failed(queue: queue, message: "ジョブ番号が分かりません（lp：\(said)）")
        }
        // The job is in; whether it prints depends on the printer.
        let state = (try? commands.run("lpstat", ["-p", queue])).flatMap { $0 }
        let stopped = state.map { $0.status == 0 && Self.isStopped(queue: queue, lpstat: $0.stdout) } ?? false
        return PrintReceipt(queue: queue, job: job, state: stopped ? .waiting : .submitted)
    }

    /// `request id is PDF-12 (1 file(s))` → `PDF-12`. Only an id of CUPS's own form, the queue, `-` and
    /// digits, is taken: it is shown and journaled, so nothing else lp might print gets there.
    static func jobID(in stdout: String, queue: String) -> String? {
        guard let r = stdout.range(of: "request id is \(queue)-") else { return nil }
        let number = stdout[r.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return number.isEmpty ? nil : "\(queue)-\(number)"
    }

    /// `printer PDF disabled since …` (lpstat -p, C locale).
    static func isStopped(queue: String, lpstat: String) -> Bool {
        lpstat.split(separator: "\n").contains { line in
            line.hasPrefix("printer \(queue) ") && line.contains(" disabled")
        }
    }

    /// lp's English message (C locale) as the clerk's problem.
    static func problem(queue: String, _ out: PrintCommandOutput) -> PrintProblem {
        // lp's own words reach the screen and the message: its control characters are shown, not sent.
        let text = TextNormalizer.showingControlCharacters((out.stderr + out.stdout).trimmingCharacters(in: .whitespacesAndNewlines))
        if text.contains("does not exist") { return .noSuchQueue(queue) }
        if text.contains("not accepting jobs") { return .notAccepting(queue) }
        if text.contains("Scheduler is not running") || text.contains("Unable to connect") || text.contains("No such file or directory")
            || text.contains("Connection refused") || text.contains("Bad file descriptor") {
            return .schedulerDown(detail: text)
        }
        return .failed(queue: queue, message: text.isEmpty ? "lp が終了コード \(out.status) で止まりました" : text)
    }
}

extension OfficeConfig {
    /// Checks a CUPS queue name as cupsd does: 1–127 bytes, no space or control character, none of
    /// / \ ? ' " # @, and not starting with `-` (it would read as an option). Nil when it is fine,
    /// else what is wrong.
    public static func printQueueProblem(_ name: String) -> String? {
        if name.isEmpty { return "空です" }
        if name.utf8.count > 127 { return "長すぎます（127バイトまで）" }
        if name.hasPrefix("-") { return "「-」で始められません" }
        if let c = name.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return c.value == 0x20 || c.value == 0x3000 ? "空白は使えません" : "制御文字（U+\(String(format: "%04X", c.value))）は使えません"
        }
        if let c = name.first(where: { "/\\?'\"#@".contains($0) }) { return "「\(c)」は使えません" }
        return nil
    }
}
