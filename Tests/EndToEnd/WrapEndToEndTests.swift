import Foundation
import Testing

/// Issue 11, item 1 (the screen never lies), through the real terminal at 80×24: a 60-character
/// reason typed into the desk is read back whole on the case screen it opens after saving.
@Suite("Wrapping end to end", .tags(.e2e), .timeLimit(.minutes(1)))
struct WrapEndToEndTests {
    static let reason = "施設に入所しており、本人がマイナンバーカードを管理することが難しいとのこと。家族も遠方に住んでいるため"

    /// The screen's rows between the title bar and the footer, without the ↑/↓ column and without
    /// ASCII spaces (indents), back to back: where a wrapped value reads as one.
    static func body(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast(2)
        return rows.map { row -> String in
            var cols = 0
            var kept = ""
            for ch in row {
                let w = E2E.displayWidth(String(ch))
                if cols + w > 78 { break }   // column 78 holds ↑/↓
                kept.append(ch)
                cols += w
            }
            return kept
        }.joined().replacingOccurrences(of: " ", with: "")
    }

    /// Presses ↓ until the reason's row shows whole (or 30 times); the last screen seen.
    static func scrollToReason(_ t: TmuxSession) async throws -> String {
        var seen = try t.capture()
        for _ in 0..<30 where !body(seen).contains("理由" + reason) {
            try t.keys("Down")
            try await Task.sleep(nanoseconds: 100_000_000)
            seen = try t.capture()
        }
        return seen
    }

    @Test("A long reason typed at 80×24 is whole on the review page and on the case screen, and in the journal")
    func longReasonWhole() async throws {
        let root = try E2E.makeTempDir("wrap")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await desk.waitForDesk()
        try await typeAssistanceOnlyApplication(t, recipient: "1234566", serverNumber: "1234567890123456", reason: Self.reason)

        // The review page: scroll until the reason's row is on screen; it must read whole.
        try await t.waitFor("保存できます。")
        var seen = try await Self.scrollToReason(t)
        #expect(Self.body(seen).contains("理由" + Self.reason), "review page:\n\(seen)")

        try t.keys("F2")
        try await t.waitFor("保存しました（案件番号 \(JapanDate.firstCaseNumber)）")
        // The case screen opens after saving: scroll to the reason, which reads whole.
        seen = try await Self.scrollToReason(t)
        #expect(Self.body(seen).contains("理由" + Self.reason), "case screen:\n\(seen)")
        // No row wider than the terminal.
        for row in seen.split(separator: "\n") { #expect(E2E.displayWidth(String(row)) <= 80, "\(row)") }

        try t.keys("F10")
        try await t.waitFor("EXITED:0")
        let out = try E2E.madoguchi(["cases", "--json"], dataDir: data)
        #expect(out.stdout.contains(Self.reason), "the journal holds what the screen showed")
    }
}
