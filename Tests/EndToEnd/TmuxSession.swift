import Foundation
import Testing

/// A detached tmux session on a private server (`tmux -L mg-e2e-<uuid>`), so parallel tests and the
/// developer's own tmux never meet. The caller must `kill()` it (use `defer`).
final class TmuxSession: @unchecked Sendable {
    let socket = "mg-e2e-\(UUID().uuidString.lowercased())"
    let target = "mg"
    let tmux: URL
    /// The environment of the tmux clients (and so of the server they start): UTF-8, no $TMUX.
    let clientEnvironment: [String: String]
    private(set) var lastScreen = ""

    /// Finds tmux, or fails the test saying to install it (CI installs it; never skipped silently).
    static func locate() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"]
        for d in dirs {
            let u = URL(fileURLWithPath: d).appendingPathComponent("tmux")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        throw E2EError("tmux が見つかりません: the end-to-end tests drive the desk through tmux. Install it (`apt-get install tmux` / `brew install tmux`); .ci/run installs it on CI.")
    }

    /// Starts `command` (a shell command line) in a new `width`×`height` window, in the repository root.
    init(command: String, width: Int = 80, height: Int = 24) throws {
        tmux = try TmuxSession.locate()
        clientEnvironment = E2E.environment(dataDir: nil, locale: true)
        // The server this starts outlives the call and keeps its stdio: a file, never a pipe we wait on.
        // And it must not inherit the test thread's blocked signals (Swift concurrency runs tests on
        // dispatch threads that block nearly all of them): the desk must get SIGWINCH, SIGTERM, SIGHUP.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket).log")
        defer { E2E.remove(log) }
        let status = try Spawn.run(tmux.path, ["-L", socket, "-f", "/dev/null", "-u",
                                               "new-session", "-d", "-s", target, "-x", "\(width)", "-y", "\(height)",
                                               "-c", E2E.repoRoot.path, command],
                                   environment: clientEnvironment, output: log)
        guard status == 0 else {
            throw E2EError("tmux new-session failed (\(status)): \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        socketPath = (try? run(["display-message", "-p", "#{socket_path}"]))?.stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The server's socket file, removed by `kill()` (tmux leaves it behind).
    private var socketPath: String?

    @discardableResult
    func run(_ args: [String]) throws -> E2E.Output {
        let p = Process()
        p.executableURL = tmux
        p.arguments = ["-L", socket, "-f", "/dev/null", "-u"] + args
        p.environment = clientEnvironment
        p.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Small outputs (a screen is a few KB): reading to EOF before waiting cannot block.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return E2E.Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                          stderr: String(decoding: e, as: UTF8.self))
    }

    /// Named keys (`Tab`, `Enter`, `F2`, `Space`, `C-c`, `Right`, `NPage` …), one tmux call each, in order.
    func keys(_ names: String...) throws {
        for k in names {
            let r = try run(["send-keys", "-t", target, k])
            guard r.status == 0 else { throw E2EError("tmux send-keys \(k) failed: \(r.stderr)\n\(lastScreen)") }
        }
    }

    /// Literal text (Japanese included), as a terminal IME would commit it.
    func type(_ text: String) throws {
        let r = try run(["send-keys", "-t", target, "-l", text])
        guard r.status == 0 else { throw E2EError("tmux send-keys -l \(text) failed: \(r.stderr)\n\(lastScreen)") }
    }

    /// The visible pane as text.
    func capture() throws -> String {
        let r = try run(["capture-pane", "-p", "-t", target])
        guard r.status == 0 else { throw E2EError("tmux capture-pane failed: \(r.stderr)") }
        lastScreen = r.stdout
        return r.stdout
    }

    /// Polls the pane every 50 ms until `condition` holds; returns that screen. On timeout the error
    /// shows the last screen, so a failing run says where it was.
    /// How much longer than its nominal timeout a wait may take. The suite runs its tmux tests beside
    /// CPU-heavy ones (crash injection, concurrent writers, fuzz replay) on 2 shared cores, so a screen
    /// that takes 1 s alone can take 10 s then; a wait still ends the moment the screen is right, so
    /// only a failing test is slowed. `MADOGUCHI_E2E_PATIENCE` overrides the factor.
    static let patience: Double = ProcessInfo.processInfo.environment["MADOGUCHI_E2E_PATIENCE"].flatMap(Double.init) ?? 4

    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = 5, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout * Self.patience)
        var screen = ""
        var captureError = ""
        repeat {
            do {
                screen = try capture()
                if condition(screen) { return screen }
            } catch {
                captureError = "\(error)"
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        } while Date() < deadline
        throw E2EError("timed out after \(timeout) s waiting for \(what)\(captureError.isEmpty ? "" : " (\(captureError))"); the screen was:\n\(screen)")
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 5) async throws -> String {
        try await waitUntil("「\(text)」", timeout: timeout) { $0.contains(text) }
    }

    /// Waits until every one of `texts` is on screen at once (a capture can catch a frame half drawn,
    /// so never assert on lines further down than the one waited for).
    @discardableResult
    func waitForAll(_ texts: [String], timeout: TimeInterval = 5) async throws -> String {
        try await waitUntil(texts.map { "「\($0)」" }.joined(separator: " and "), timeout: timeout) { screen in
            texts.allSatisfy { screen.contains($0) }
        }
    }

    @discardableResult
    func waitForGone(_ text: String, timeout: TimeInterval = 5) async throws -> String {
        try await waitUntil("「\(text)」 to go away", timeout: timeout) { !$0.contains(text) }
    }

    func resize(width: Int, height: Int) throws {
        let r = try run(["resize-window", "-t", target, "-x", "\(width)", "-y", "\(height)"])
        guard r.status == 0 else { throw E2EError("tmux resize-window failed: \(r.stderr)") }
    }

    /// Stops the private server and everything in it.
    func kill() {
        _ = try? run(["kill-server"])
        if let socketPath, socketPath.contains(socket) { unlink(socketPath) }
    }
}

/// The desk running in tmux under a shell that reports how it ended:
/// `madoguchi; echo EXITED:$?; stty -a > <file>; echo SHELL-BACK; sleep 60`.
/// The madoguchi process id is written to a file (the inner `sh` execs into it).
final class DeskSession: @unchecked Sendable {
    let tmux: TmuxSession
    let dataDir: URL
    let scratch: URL
    let pidFile: URL
    let sttyFile: URL

    /// `locale: false` runs the desk with LANG, LC_ALL and LC_CTYPE unset, as on CI.
    init(dataDir: URL, locale: Bool = true, arguments: [String] = [], login: Bool = false, width: Int = 80, height: Int = 24) throws {
        let binary = try E2E.requireBinary()
        self.dataDir = dataDir
        scratch = try E2E.makeTempDir("session")
        pidFile = scratch.appendingPathComponent("madoguchi.pid")
        sttyFile = scratch.appendingPathComponent("stty.txt")
        let q = E2E.shellQuote
        var envArgs = ["env"]
        if !locale { envArgs += ["-u", "LANG", "-u", "LC_ALL", "-u", "LC_CTYPE", "-u", "LANGUAGE"] }
        // The clerk 山田 unless the test logs in itself (`login: true`) or names another operator.
        let namesOperator = !login && !arguments.contains("--operator")
        if !namesOperator { envArgs += ["-u", "MADOGUCHI_OPERATOR"] }   // options before assignments
        envArgs += ["MADOGUCHI_DATA_DIR=\(dataDir.path)", "TERM=xterm-256color"]
        if namesOperator { envArgs.append("MADOGUCHI_OPERATOR=yamada") }
        if locale { envArgs.append("LANG=C.UTF-8") }
        let desk = (envArgs + [binary.path] + arguments).map(q).joined(separator: " ")
        let command = "sh -c \(q("echo $$ > \"$0\"; exec \"$@\"")) \(q(pidFile.path)) \(desk); "
            + "echo EXITED:$?; stty -a > \(q(sttyFile.path)); echo SHELL-BACK; sleep 60"
        tmux = try TmuxSession(command: command, width: width, height: height)
    }

    /// Waits for the case list, the first screen of the desk.
    @discardableResult
    func waitForDesk() async throws -> String {
        try await tmux.waitFor("案件一覧", timeout: 10)
    }

    /// Waits for the desk, opens a new application (F2) and types `text` into its first field.
    func openIntake(typing text: String) async throws {
        try await waitForDesk()
        try tmux.keys("F2")
        try await tmux.waitFor(Page.applicant)
        try tmux.type(text)
        try await tmux.waitFor(text)
    }

    var pid: Int32? {
        (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// After `SHELL-BACK`: `stty -a` as the shell found the terminal once the desk had gone.
    var sttyAfterExit: String { (try? String(contentsOf: sttyFile, encoding: .utf8)) ?? "" }

    func close() {
        tmux.kill()
        E2E.remove(scratch)
    }
}

/// posix_spawn with an empty signal mask and default signal actions, waiting for the child.
/// (Foundation's Process passes on the calling thread's mask.)
enum Spawn {
    static func run(_ path: String, _ arguments: [String], environment: [String: String], output: URL) throws -> Int32 {
        #if canImport(Darwin)
        var attr: posix_spawnattr_t? = nil
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var attr = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
        guard rc == 0 else { throw E2EError("posix_spawn \(path) failed: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
    }
}
