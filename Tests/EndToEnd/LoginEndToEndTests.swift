import Foundation
import Testing

@Suite("Login end to end (issue 4)", .tags(.e2e))
struct LoginEndToEndTests {
    @Test("without --operator the desk asks who is working; the chosen operator is in the title bar")
    func login() async throws {
        let data = try E2E.makeTempDir("login").appendingPathComponent("data")
        let desk = try DeskSession(dataDir: data, login: true)
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["職員を選んでください", "佐藤 一郎", "査察指導員"], timeout: 10)
        try t.keys("3", "Enter")
        try await t.waitForAll(["佐藤 一郎（査察指導員）", "並び："])
    }
}
