import Foundation
import Testing

/// Issue 13 item 7: a new scenario of the book handled on the desk through a monthly cycle — 13, a
/// bulk file sent on a Friday at the end of November whose result file arrives in December: the
/// clerk types the day the server accepted it as the registration date (R-RG-9), the cancellation
/// follows that day (R-DT-1: 令和8年12月31日), the December status file confirms it, and the grade is
/// full marks on the desk and on the command line.
@Suite("Training end to end: the rarer branches (issue 13)", .serialized)
struct TrainingBranchesEndToEndTests {
    @Test("R-RG-9: scenario 13's result file comes in the next month; the upload's day typed as the registration date gives full marks")
    func lateResultFile() async throws {
        let data = try E2E.makeTempDir("training-late-result").appendingPathComponent("data")
        // The trainer sets the sandbox's day to the scenario's Friday before the trainee sits down.
        let moved = try E2E.madoguchi(["training", "clock", "--to", "R8.11.27"], dataDir: data)
        #expect(moved.status == 0, "\(moved.stdout)\n\(moved.stderr)")

        let desk = try DeskSession(dataDir: data, login: true)
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["職員を選んでください", "【研修モード】"], timeout: 10)
        try t.keys("1", "Enter")                                        // 山田 花子, clerk
        try await t.waitFor("山田 花子（担当者）")

        // Intake of 石井 和夫 as scenario 13's prose gives him.
        try await typeAssistanceOnlyApplication(t, recipient: "1013101", serverNumber: "0000123400000013",
                                                furigana: "ｲｼｲ ｶｽﾞｵ", name: "石井　和夫", birth: "S27.10.5")
        try await t.waitFor(Page.review)
        try t.keys("F2")
        try await t.waitFor("保存しました", timeout: 10)

        // F3 as the clerk, approved by the supervisor: the file goes to the server on 11/27 ...
        try t.keys("Escape", "F3")
        try await t.waitFor("準備しました", timeout: 10)
        try t.keys("Escape", "F11")
        try await t.waitFor("職員切替")
        try t.keys("s")
        try await t.waitFor("職員を選んでください")
        try t.keys("3", "Enter")                                        // 佐藤 一郎, supervisor
        try await t.waitFor("佐藤 一郎（査察指導員）")
        try t.keys("F3")
        try await t.waitFor("の承認")
        try t.keys("Enter", "Enter")
        let written = try await t.waitFor("FI_HIM_0018_D1300019_20261127.csv", timeout: 10)
        // ... but its result file is not delivered that day (result_after_days = 4).
        #expect(!written.contains("result_FI_HIM_0018"), "\(written)")
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("inbox/result_FI_HIM_0018_D1300019_20261127.csv").path))

        // 翌月1日: the result file arrives in December.
        try t.keys("Escape", "F11", "d", "3", "Enter")
        try await t.waitForAll(["研修の日付を進める", "令和8年12月1日"], timeout: 10)
        try t.keys("y")
        // With the November status file, which confirms nothing yet.
        let december = try await t.waitForAll(["研修の今日を令和8年12月1日", "受信フォルダに2件届きました"], timeout: 10)
        #expect(E2E.unwrapped(december).contains("result_FI_HIM_0018_D1300019_20261127.csv"), "\(december)")

        // F4 1: the registration date is the day the server accepted the file, typed over the default.
        try t.keys("Escape", "F4", "1", "Enter")
        try await t.waitFor("result_FI_HIM_0018")
        try t.keys("Enter", "C-u")
        try t.type("R8.11.27")
        try t.keys("Enter", "Enter")
        let report = try await t.waitForAll(["取り込みました", "正常終了"], timeout: 10)
        #expect(E2E.unwrapped(report).contains("登録日 令和8年11月27日"), "\(report)")
        #expect(!E2E.unwrapped(report).contains("より後の月です"), "no R-RG-9 warning for the right date\n\(report)")

        // 翌月1日 again: the December status file confirms the cancellation of 12/31 (R-DT-1).
        try t.keys("Escape", "F11", "d", "3", "Enter")
        try await t.waitForAll(["研修の日付を進める", "令和9年1月1日"], timeout: 10)
        try t.keys("y")
        try await t.waitForAll(["研修の今日を令和9年1月1日", "受信フォルダに1件届きました"], timeout: 10)
        try t.keys("Escape", "F4", "2", "Enter")
        try await t.waitFor("status_202612.csv")
        try t.keys("Enter", "Enter")
        try await t.waitFor("令和8年12月31日", timeout: 10)

        // g: scenario 13 in full marks on the desk.
        try t.keys("Escape", "F11", "g")
        let grade = try await t.waitForAll(["研修の採点", "[13]"], timeout: 10)
        #expect(E2E.line(containing: "[13]", in: grade).contains("○6 ×0"), "\(grade)")

        // The same from the command line: every point right, the registration date among them.
        let checked = try TrainingEndToEndTests.json(["training", "check", "--json"], data)
        let s13 = try #require((checked["scenarios"] as? [[String: Any]])?.first { $0["scenarioID"] as? String == "13" }, "\(checked)")
        let points = s13["points"] as? [[String: Any]] ?? []
        #expect(points.count == 6 && points.allSatisfy { $0["verdict"] as? String == "right" }, "\(s13)")
        let date = try #require(points.first { $0["expectation"] as? String == "registration_date" })
        #expect(date["rule"] as? String == "R-RG-9" && (date["remark"] as? String)?.contains("令和8年11月27日") == true, "\(date)")
        try t.keys("F10")
        try await t.waitFor("EXITED:0")
    }
}
