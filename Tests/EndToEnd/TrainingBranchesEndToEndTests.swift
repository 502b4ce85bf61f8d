import Foundation
import Testing

/// Issue 13 item 7: new scenarios of the book handled on the desk through a monthly cycle —
/// 13, a bulk file sent on a Friday at the end of November whose result file arrives in December: the
/// clerk types the day the server accepted it as the registration date (R-RG-9), the cancellation
/// follows that day (R-DT-1: 令和8年12月31日), the December status file confirms it; 12, a confirmed
/// person whose January status row says 状態 1 again: recorded as a re-registration (R-CF-3). Each
/// ends in full marks on the desk (and, for 13, on the command line).
@Suite("Training end to end: the rarer branches (issue 13)", .tags(.e2e), .serialized)
struct TrainingBranchesEndToEndTests {
    /// A fresh training office whose sandbox day is moved to `day` (the CLI, as a trainer would), and
    /// the desk signed in as the clerk with the scenario's application typed up to the review page.
    static func arrive(_ label: String, on day: String, recipient: String, serverNumber: String,
                       furigana: String, name: String, birth: String) async throws -> (URL, DeskSession) {
        let data = try E2E.makeTempDir(label).appendingPathComponent("data")
        let moved = try E2E.madoguchi(["training", "clock", "--to", day], dataDir: data)
        guard moved.status == 0 else { throw E2EError("training clock --to \(day) → \(moved.status)\n\(moved.stderr)") }
        let desk = try await TrainingEndToEndTests.signedInClerk(data)
        do {
            try await typeAssistanceOnlyApplication(desk.tmux, recipient: recipient, serverNumber: serverNumber,
                                                    furigana: furigana, name: name, birth: birth)
        } catch {
            desk.close()
            throw error
        }
        return (data, desk)
    }

    @Test("R-RG-9: scenario 13's result file comes in the next month; the upload's day typed as the registration date gives full marks")
    func lateResultFile() async throws {
        // The trainer sets the sandbox's day to the scenario's Friday; 石井 和夫 typed as the prose gives him.
        let (data, desk) = try await Self.arrive("training-late-result", on: "R8.11.27", recipient: "1013101", serverNumber: "0000123400000013",
                                                 furigana: "ｲｼｲ ｶｽﾞｵ", name: "石井　和夫", birth: "S27.10.5")
        defer { desk.close() }
        let t = desk.tmux

        // Saved; F3 as the clerk, approved by the supervisor: the file goes to the server on 11/27 ...
        try await TrainingEndToEndTests.saveAndExport(t)
        let written = try await t.waitFor("FI_HIM_0018_D1300019_20261127.csv", timeout: 10)
        // ... but its result file is not delivered that day (result_after_days = 4).
        #expect(!written.contains("result_FI_HIM_0018"), "\(written)")
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("inbox/result_FI_HIM_0018_D1300019_20261127.csv").path))

        // 翌月1日: the result file arrives in December, with the November status file (which confirms nothing yet).
        try t.keys("Escape", "F11")
        let december = try await TrainingEndToEndTests.nextMonth(t, "令和8年12月1日", delivered: "受信フォルダに2件届きました")
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
        try t.keys("Escape", "F11")
        try await TrainingEndToEndTests.nextMonth(t, "令和9年1月1日", delivered: "受信フォルダに1件届きました")
        try await TrainingEndToEndTests.importDecemberStatus(t)

        // g: scenario 13 in full marks on the desk.
        let grade = try await TrainingEndToEndTests.deskGrade(t, "[13]")
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

    @Test("R-CF-3: scenario 12 through three month-ends; the 状態 1 row of January recorded as a re-registration gives full marks")
    func reregistration() async throws {
        // Intake of 森田 大輔 (scenario 12) on his day, the bulk file with its sign-off, the result the same day.
        let (data, desk) = try await Self.arrive("training-reregistered", on: "R8.11.18", recipient: "1012103", serverNumber: "0000123400000012",
                                                 furigana: "ﾓﾘﾀ ﾀﾞｲｽｹ", name: "森田　大輔", birth: "S49.2.9")
        defer { desk.close() }
        let t = desk.tmux
        try await TrainingEndToEndTests.saveAndExport(t)
        try await t.waitFor("result_FI_HIM_0018_D1300019_20261118.csv", timeout: 10)
        try await TrainingEndToEndTests.importResult(t)

        // December, January: the December status file confirms the cancellation of 12/31.
        try t.keys("Escape", "F11")
        try await TrainingEndToEndTests.nextMonth(t, "令和8年12月1日")
        try await TrainingEndToEndTests.nextMonth(t, "令和9年1月1日", delivered: "受信フォルダに1件届きました")
        try await TrainingEndToEndTests.importDecemberStatus(t)

        // February: the January status file says 状態 1 for him again (re-registered on 1/14).
        try t.keys("Escape", "F11")
        try await TrainingEndToEndTests.nextMonth(t, "令和9年2月1日", delivered: "受信フォルダに1件届きました")
        try t.keys("Escape", "F4", "2", "Enter")
        try await t.waitFor("status_202701.csv")
        try t.keys("Enter", "Enter")
        try await t.waitFor("取り込みました", timeout: 10)
        let before = try await TrainingEndToEndTests.deskGrade(t, "[12]")
        #expect(E2E.line(containing: "[12]", in: before).contains("○5 ×0 …1"), "the status file has just come: not yet a fault\n\(before)")

        // Recorded from another terminal (R-CF-3: recordable with record-reregistration), the day the row gives.
        let number = try #require(try CorrectionEndToEndTests.cases(data)
            .first { ($0["application"] as? [String: Any])?["recipientNumber"] as? String == "1012103" }?["number"] as? String)
        let recorded = try E2E.madoguchi(["record-reregistration", number, "--date", "R9.1.14"], dataDir: data)
        #expect(recorded.status == 0, "\(recorded.stdout)\n\(recorded.stderr)")

        // g on the desk, after F5 re-reads the journal: full marks, the re-registration among them.
        try t.keys("Escape", "Escape", "F5")
        let grade = try await TrainingEndToEndTests.deskGrade(t, "○6 ×0")
        #expect(E2E.line(containing: "[12]", in: grade).contains("○6 ×0"), "\(grade)")
        #expect(E2E.unwrapped(grade).contains("再登録（令和9年1月14日）を記録しました"), "\(grade)")
        try t.keys("F10")
        try await t.waitFor("EXITED:0")
    }
}
