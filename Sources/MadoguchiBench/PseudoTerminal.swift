import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MadoguchiCore

/// The real desk binary in a pseudo-terminal (issue 14, P1/P2/P5): what the clerk's terminal sees.
///
/// The child is started with `posix_spawn` (not `fork`: this process has threads) as the leader of a
/// new session whose controlling terminal is the pty's slave, opened by path after `setsid`; the
/// window size is set on the master with `TIOCSWINSZ` before the start.
///
/// **When is a frame painted?** The desk draws through ncursesw, which writes the changed cells
/// between cursor moves: there is no "frame done" marker, and the product has no test hook for one.
/// So the harness reads the master continuously, time-stamping every read, and takes a frame as
/// complete when (1) the text it must contain has appeared in the output since the key was sent
/// (escape sequences removed), and (2) the output has then been quiet for a settle window (default
/// 150 ms). The frame's time is the time of the LAST byte read before the quiet — not the end of the
/// window — minus the time the key was written (or, for the first frame, the time just before
/// `posix_spawn`). A key whose frame paints nothing (nothing to change) has no time and is counted apart.
public final class PseudoTerminalDesk {
    public let pid: pid_t
    let master: Int32
    /// Everything read so far (raw bytes) and when the last byte came.
    public private(set) var output: [UInt8] = []
    public private(set) var lastByteAt: Double = 0
    public let spawnedAt: Double
    private var exited = false

    /// Why a run stopped, in Japanese: its description is the message (`UserFacing.message(for:)`).
    public struct Failure: SetupError, CustomStringConvertible {
        public let description: String
        init(_ s: String) { description = s }
    }

    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Starts `executable arguments` with exactly `environment`, in a `columns`×`rows` pty.
    public init(executable: String, arguments: [String], environment: [String: String], columns: UInt16 = 100, rows: UInt16 = 30) throws {
        // posix_openpt/grantpt/unlockpt/ptsname are not visible to Swift without _XOPEN_SOURCE; this is
        // what they do on Linux: open the multiplexer, unlock the new pty, ask its number.
        let m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0, number: UInt32 = 0
        let TIOCSPTLCK: UInt = 0x4004_5431, TIOCGPTN: UInt = 0x8004_5430   // _IOW('T', 0x31, int), _IOR('T', 0x30, unsigned)
        guard m >= 0, ioctl(m, TIOCSPTLCK, &unlock) == 0, ioctl(m, TIOCGPTN, &number) == 0 else {
            throw Failure("擬似端末（pty）を開けません（errno \(errno)）")
        }
        let slavePath = "/dev/pts/\(number)"
        var ws = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(m, UInt(TIOCSWINSZ), &ws)
        master = m

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // After setsid (the attribute below), opening the slave makes it the controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        let setsid: Int16 = 0x80   // POSIX_SPAWN_SETSID (glibc ≥ 2.26)
        posix_spawnattr_setflags(&attr, setsid | Int16(POSIX_SPAWN_SETSIGMASK) | Int16(POSIX_SPAWN_SETSIGDEF))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var child: pid_t = 0
        let t0 = PseudoTerminalDesk.now()
        let rc = posix_spawn(&child, executable, &actions, &attr, argv, envp)
        guard rc == 0 else {
            close(m)
            throw Failure("\(executable) を起動できません（\(String(cString: strerror(rc))))")
        }
        spawnedAt = t0
        pid = child
    }

    deinit {
        if !exited { kill(pid, SIGKILL); var st: Int32 = 0; waitpid(pid, &st, 0) }
        close(master)
    }

    /// Writes bytes as the terminal would on a key press; returns the time just before the write.
    @discardableResult
    public func send(_ bytes: [UInt8]) throws -> Double {
        let t = PseudoTerminalDesk.now()
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw Failure("端末への書き込みに失敗しました（errno \(errno)）") }
            off += n
        }
        return t
    }

    /// Reads what is there, waiting at most `timeout` seconds for something. False at end of file.
    @discardableResult
    func pump(timeout: Double) -> Bool {
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, Int32(max(0, timeout * 1000).rounded(.up)))
        guard r > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        if n > 0 {
            lastByteAt = PseudoTerminalDesk.now()
            output += buffer[0..<n]
            return true
        }
        return !(n == 0 || (n < 0 && errno == EIO))   // EIO: the child closed the slave
    }

    /// Waits for the frame after `since` (an offset into `output`): until every text of `expect`
    /// has appeared after it and the output has then been quiet for `settle` seconds. Returns the time
    /// of the last byte — nil when nothing at all was painted within `paintWithin` seconds (a busy
    /// desk paints late: a key is given that long to paint something before it counts as painting
    /// nothing) and nothing was expected.
    public func waitForFrame(since: Int, expect: [String], settle: Double, timeout: Double, paintWithin: Double = 0,
                             what: String) throws -> Double? {
        let deadline = PseudoTerminalDesk.now() + timeout
        var seen = expect.isEmpty
        var checkedUpTo = since
        while true {
            let now = PseudoTerminalDesk.now()
            if !seen, output.count > checkedUpTo {
                let text = PseudoTerminalDesk.text(output[since...])
                seen = expect.allSatisfy { text.contains($0) }
                checkedUpTo = output.count
            }
            let quietFor = output.count > since ? now - lastByteAt : now - (deadline - timeout) - max(0, paintWithin - settle)
            if seen && quietFor >= settle { return output.count > since ? lastByteAt : nil }
            if now > deadline {
                throw Failure("\(what)：\(Int(timeout)) 秒待っても画面に \(expect.map { "「\($0)」" }.joined(separator: "・")) が出ません。最後の画面の文字：\n"
                              + String(PseudoTerminalDesk.text(output[max(0, output.count - 3000)...]).suffix(1500)))
            }
            if !pump(timeout: min(settle - quietFor, deadline - now) + 0.001) {
                if seen { return output.count > since ? lastByteAt : nil }
                throw Failure("\(what)：デスクが終了しました（\(describeExit())）。最後の画面の文字：\n"
                              + String(PseudoTerminalDesk.text(output[max(0, output.count - 3000)...]).suffix(1500)))
            }
        }
    }

    /// The text in terminal output, escape sequences removed (for matching and for messages).
    public static func text(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x1B {
                i += 1
                guard i < bytes.endIndex else { break }
                let c = bytes[i]
                if c == UInt8(ascii: "[") {          // CSI … final byte 0x40–0x7E
                    i += 1
                    while i < bytes.endIndex, !(0x40...0x7E).contains(bytes[i]) { i += 1 }
                    i += 1
                } else if c == UInt8(ascii: "]") {   // OSC … BEL or ST
                    while i < bytes.endIndex, bytes[i] != 0x07, bytes[i] != 0x9C { i += 1 }
                    i += 1
                } else if c == UInt8(ascii: "(") || c == UInt8(ascii: ")") {
                    i += 2
                } else {
                    i += 1
                }
                continue
            }
            if b == 0x0D || b == 0x0A { out.append(0x0A) } else if b >= 0x20 || b == 0x09 { out.append(b) }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// VmRSS and VmHWM of the desk, in bytes.
    public func memory() -> (rss: Double, hwm: Double) {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            guard let line = s.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
            return Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "0").map { $0 * 1024 } ?? 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    private var status: Int32 = 0

    /// Waits up to `timeout` seconds for the desk to end (reading its output meanwhile), then kills it.
    /// Returns its exit status (nil when it had to be killed).
    @discardableResult
    public func finish(timeout: Double) -> Int32? {
        let deadline = PseudoTerminalDesk.now() + timeout
        while PseudoTerminalDesk.now() < deadline {
            var st: Int32 = 0
            if waitpid(pid, &st, WNOHANG) == pid { exited = true; status = st; return (st >> 8) & 0xFF }
            pump(timeout: 0.05)
        }
        kill(pid, SIGKILL)
        var st: Int32 = 0
        waitpid(pid, &st, 0)
        exited = true
        return nil
    }

    func describeExit() -> String {
        var st: Int32 = 0
        if exited { st = status } else if waitpid(pid, &st, WNOHANG) == pid { exited = true; status = st } else { return "状態不明" }
        return (st & 0x7F) == 0 ? "終了コード \((st >> 8) & 0xFF)" : "シグナル \(st & 0x7F)"
    }
}

/// Key bytes as xterm sends them in keypad-transmit mode (ncursesw's `keypad(TRUE)`; terminfo
/// xterm-256color: kcud1=\EOB, knp=\E[6~, kf6=\E[17~ …).
public enum TerminalKey {
    public static let up = bytes("\u{1B}OA"), down = bytes("\u{1B}OB"), right = bytes("\u{1B}OC"), left = bytes("\u{1B}OD")
    public static let home = bytes("\u{1B}OH"), end = bytes("\u{1B}OF")
    public static let pageUp = bytes("\u{1B}[5~"), pageDown = bytes("\u{1B}[6~")
    public static let enter = bytes("\r"), tab = bytes("\t"), escape = bytes("\u{1B}"), space = bytes(" ")
    public static let ctrlU = [UInt8(0x15)]
    public static func f(_ n: Int) -> [UInt8] {
        switch n {
        case 1...4: return bytes("\u{1B}O" + String(UnicodeScalar(UInt8(ascii: "P") + UInt8(n - 1))))
        case 5: return bytes("\u{1B}[15~")
        case 6...10: return bytes("\u{1B}[\(n + 11)~")
        default: return bytes("\u{1B}[\(n + 12)~")
        }
    }
    public static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
}
