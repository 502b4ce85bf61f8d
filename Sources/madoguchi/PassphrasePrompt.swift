import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Asks for a passphrase without echoing it (on /dev/tty), or reads the first line of stdin
/// (`--passphrase-stdin`, for scripts). Never from an option or the environment: those are seen by
/// other processes (`ps`, /proc/…/environ).
enum PassphrasePrompt {
    static func read(prompt: String, fromStdin: Bool) throws -> String? {
        if fromStdin {
            guard let line = Swift.readLine(strippingNewline: true), !line.isEmpty else {
                throw StartupError("--passphrase-stdin: 標準入力にパスフレーズがありません")
            }
            return line
        }
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StartupError("パスフレーズが必要ですが、端末がありません。--passphrase-stdin で標準入力から渡してください")
        }
        defer { close(fd) }
        var saved = termios()
        tcgetattr(fd, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSAFLUSH, &quiet)
        defer { tcsetattr(fd, TCSAFLUSH, &saved); _ = Glibc.write(fd, "\n", 1) }
        let p = Array(prompt.utf8)
        _ = p.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while Glibc.read(fd, &c, 1) == 1, c != 0x0A, c != 0x0D, bytes.count < 1024 { bytes.append(c) }
        let s = String(decoding: bytes, as: UTF8.self)
        return s.isEmpty ? nil : s
    }
}
