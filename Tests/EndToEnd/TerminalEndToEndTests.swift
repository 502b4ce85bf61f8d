import Foundation
import Testing

/// The terminal is always given back (F10, SIGTERM, Ctrl-C) and a resize never loses typed text (issue 2).
@Suite("Terminal end to end", .tags(.e2e), .timeLimit(.minutes(1)))
struct TerminalEndToEndTests {

    /// `stty -a` words that must be back on once the desk is gone (curses turns them off).
    static func expectCookedMode(_ stty: String, _ when: String) {
        let words = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(!stty.isEmpty, "\(when): stty -a printed nothing")
        for mode in ["icanon", "echo", "icrnl", "isig"] {
            #expect(words.contains(mode) && !words.contains("-\(mode)"), "\(when): \(mode) is not restored:\n\(stty)")
        }
    }

    /// After the desk: the shell's output is on the normal screen and the desk's screen is gone.
    static func expectShellScreen(_ screen: String, exit: Int, _ when: String) {
        #expect(screen.contains("EXITED:\(exit)"), "\(when):\n\(screen)")
        #expect(screen.contains("SHELL-BACK"), "\(when):\n\(screen)")
        #expect(!screen.contains("F10/^X"), "\(when): the desk's screen is still there:\n\(screen)")
    }

    @Test("F10 quits (exit 0) and the shell gets a sane terminal back")
    func f10RestoresTerminal() async throws {
        let root = try E2E.makeTempDir("f10")
        defer { E2E.remove(root) }
        let desk = try DeskSession(dataDir: root.appendingPathComponent("data"))
        defer { desk.close() }
        try await desk.waitForDesk()
        try desk.tmux.keys("F10")
        let screen = try await desk.tmux.waitFor("SHELL-BACK")
        Self.expectShellScreen(screen, exit: 0, "after F10")
        Self.expectCookedMode(desk.sttyAfterExit, "after F10")
    }

    @Test("SIGTERM while typing: exit 143, the terminal is restored (icanon, echo)")
    func sigtermRestoresTerminal() async throws {
        let root = try E2E.makeTempDir("sigterm")
        defer { E2E.remove(root) }
        let desk = try DeskSession(dataDir: root.appendingPathComponent("data"))
        defer { desk.close() }
        let t = desk.tmux
        try await desk.openIntake(typing: "ヤマダ")
        guard let pid = desk.pid, pid > 1 else { throw E2EError("no pid for madoguchi in \(desk.pidFile.path)") }
        #expect(kill(pid, SIGTERM) == 0)
        let screen = try await t.waitFor("SHELL-BACK")
        Self.expectShellScreen(screen, exit: 143, "after SIGTERM")
        Self.expectCookedMode(desk.sttyAfterExit, "after SIGTERM")
    }

    @Test("Ctrl-C with unsaved input asks y/n; n stays, y exits 0 with the terminal restored")
    func ctrlCAsksBeforeLosingInput() async throws {
        let root = try E2E.makeTempDir("ctrlc")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await desk.openIntake(typing: "ﾔﾏﾀﾞ")

        try t.keys("C-c")
        try await t.waitFor("終了しますか？")
        try t.keys("n")
        try await t.waitForGone("終了しますか？")
        try await t.waitForAll([Page.applicant, "ﾔﾏﾀﾞ"])   // n keeps the desk and the typed text

        try t.keys("C-c")
        try await t.waitFor("終了しますか？")
        try t.keys("y")
        let screen = try await t.waitFor("SHELL-BACK")
        Self.expectShellScreen(screen, exit: 0, "after Ctrl-C, y")
        Self.expectCookedMode(desk.sttyAfterExit, "after Ctrl-C, y")
        let journal = data.appendingPathComponent("journal.jsonl")
        let written = (try? Data(contentsOf: journal)) ?? Data()
        #expect(written.isEmpty, "nothing was saved")
    }

    @Test("Resize below 80×24 says 端末が小さすぎます; back to 80×24 the typed text is still there")
    func resizeKeepsTypedText() async throws {
        let root = try E2E.makeTempDir("resize")
        defer { E2E.remove(root) }
        let desk = try DeskSession(dataDir: root.appendingPathComponent("data"))
        defer { desk.close() }
        let t = desk.tmux
        try await desk.openIntake(typing: "ﾔﾏﾀﾞ ﾀﾛｳ")

        try t.resize(width: 60, height: 20)
        try await t.waitForAll(["端末が小さすぎます", "いま 60×20", "（入力中の内容は消えていません）"])

        try t.resize(width: 80, height: 24)
        try await t.waitForGone("端末が小さすぎます")
        try await t.waitForAll([Page.applicant, "ﾔﾏﾀﾞ ﾀﾛｳ"])   // the typed text survived

        // And the field still takes input where it left off.
        try t.keys("Tab")
        try await t.waitFor("ヤマダ　タロウ")
    }
}
