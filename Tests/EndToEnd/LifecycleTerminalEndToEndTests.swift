import Foundation
import Testing

/// Issue 3, "Done when": in the TUI alone, one assistance-only and one insured case go from intake to
/// confirmed cancellation through the bulk file (F3), the result file and the monthly status file (F4),
/// and a held case's expected date moves (F7, R-HC-2).
@Suite("Lifecycle end to end (desk)", .tags(.e2e), .timeLimit(.minutes(1)))
struct LifecycleTerminalEndToEndTests {

    @Test("TUI only: intake → F3 bulk file → F4 result (登録済み, R-DT-1) → F7 hold (R-HC-2) → F4 monthly file → 解除確認済み (R-CF-1)")
    func wholeCycleInTheDesk() async throws {
        let (root, data) = try await LifecycleCases.copy("lifecycle-tui")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase, b = LifecycleCases.insuredCase
        let today = Day.today
        let expected = today.lastDayOfMonth(plus: 1)        // R-DT-1: registered this month
        let afterHold = today.lastDayOfMonth(plus: 2)       // R-HC-2: one month per hold

        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["案件一覧　2件", "保険者の登録待ち", "並び："], timeout: 10)

        // F3 by the clerk: the ready cases go into a batch waiting for a supervisor (issue 4), no file yet.
        try t.keys("F3")
        try await t.waitFor("承認を待ちます")
        #expect(E2E.exports(data).isEmpty)
        try t.keys("Escape")
        try await t.waitFor("並び：")
        try t.keys("F3")                                     // the clerk cannot approve their own batch
        try await t.waitFor("承認待ちです")

        // A supervisor, at another terminal, approves: the bulk registration file for the
        // assistance-only case only is written (R-RG-1, R-BR-3).
        let boss = try DeskSession(dataDir: data, arguments: ["--operator", "sato"])
        try await boss.tmux.waitForAll(["佐藤 一郎", "並び："], timeout: 10)
        try boss.tmux.keys("F3")
        try await boss.tmux.waitFor("の承認")
        try boss.tmux.keys("Enter", "Enter")
        // Wait for the whole report: a capture can catch a frame half-painted over the dialog.
        let exportReport = try await boss.tmux.waitUntil("the export report, whole", timeout: 10) { screen in
            screen.contains("一括登録ファイルを作りました") && screen.contains("出力 \(a)") && !screen.contains("Esc でやめる")
                && E2E.unwrapped(screen).contains("FI_HIM_0018_")
        }
        boss.close()
        let files = E2E.exports(data)
        #expect(files.count == 1, "one file in exports/: \(files.map(\.lastPathComponent))")
        guard let file = files.first else { return }
        let name = file.lastPathComponent
        #expect(name == "FI_HIM_0018_\(LifecycleCases.serverCode)_\(today.compact).csv")
        #expect(E2E.unwrapped(exportReport).contains(name), "the report names the file:\n\(exportReport)")
        #expect(exportReport.contains(a) && !exportReport.contains(b), "only the assistance-only case:\n\(exportReport)")
        let row = "\(LifecycleCases.serverCode),\(LifecycleCases.assistanceServerNumber),\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),"
        let bytes = try Data(contentsOf: file)
        #expect(bytes == Data((row + "\r\n").utf8), "CP932 (ASCII here), CRLF, no header, one row: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
        #expect(String(data: bytes, encoding: .shiftJIS) != nil)

        // The clerk's desk picks up what the supervisor's terminal wrote by itself (auto-reload).
        try t.keys("Escape")
        let afterExport = try await t.waitForAll(["並び：", "登録結果待ち"], timeout: 10)
        #expect(E2E.line(containing: a, in: afterExport).contains("登録結果待ち"), "\(afterExport)")

        // F4 → 1: the result file, 1 正常終了, registered today (R-RG-4, R-DT-1).
        let resultFile = root.appendingPathComponent("result.csv")
        try ServerFile.write(try ServerFile.result(exportedRows: [row]), to: resultFile)
        try t.keys("F4")
        try await t.waitFor("取り込むファイル")
        try t.keys("1", "Enter")                             // a digit highlights, Enter opens (issue 11)
        try await t.waitFor("登録結果ファイル（処理結果）を取り込む")
        try t.type(resultFile.path)
        try t.keys("Tab", "C-u")                             // the date field starts with today: clear it
        try t.type(today.short)
        try t.keys("Enter", "Enter")
        let resultReport = try await t.waitForAll(["取り込みました", "正常終了"])
        #expect(E2E.unwrapped(resultReport).contains("反映 1件"), "\(resultReport)")
        #expect(E2E.line(containing: a, in: resultReport).contains("正常終了（登録日 \(today.long)）"), "\(resultReport)")

        try t.keys("Escape")
        let registered = try await t.waitUntil("\(a) 登録済み \(expected)") { s in
            let l = E2E.line(containing: a, in: s)
            return l.contains("登録済み") && l.contains(expected.short)
        }
        #expect(E2E.line(containing: b, in: registered).contains("未定"), "insured: unknown until confirmed (R-DT-3)\n\(registered)")

        // F7 on the assistance-only case → 1 保留・取消のお知らせ, reason #1, today → 保留, date +1 month.
        try t.keys("Home", "F7")
        try await t.waitFor("案件 \(a) に記録する")
        try t.keys("1", "Enter")
        try await t.waitFor("案件 \(a)：保留・取消のお知らせを記録")
        try t.keys("Enter", "Enter", "Enter")                // 理由 → 日付 → 月末処理の月 (blank, R-HC-2) → record (a hold has no 取消後の対応)
        // Issue 11: the change is shown (登録済み → 保留) and asked before anything is written.
        try await t.waitForAll(["現在：登録済み → 新：保留", "y：記録する"])
        try t.keys("y")
        let held = try await t.waitUntil("\(a) 保留 \(afterHold)") { s in
            let l = E2E.line(containing: a, in: s)
            return l.contains("保留") && l.contains(afterHold.short)
        }
        #expect(!E2E.line(containing: a, in: held).contains(expected.short))

        // The monthly file comes after the month-end run that carried the request out: the sandbox's
        // day moves there first (another terminal; the desk re-reads the clock) — a 初回登録解除日 after
        // today is refused (issue 12 item 7).
        let moved = try E2E.madoguchi(["training", "clock", "--to", afterHold.short], dataDir: data)
        #expect(moved.status == 0, "stdout: \(moved.stdout) stderr: \(moved.stderr)")

        // F4 → 2: the monthly status file lists both people as cancelled (R-CF-1), held and insured alike.
        let statusFile = root.appendingPathComponent("status.csv")
        try ServerFile.write(try ServerFile.cp932([
            ServerFile.statusHeader,
            ServerFile.statusRow(server: LifecycleCases.assistanceServerNumber, recipient: LifecycleCases.assistanceRecipient,
                                 registeredOn: "20210401", cancelledOn: afterHold.compact),
            ServerFile.statusRow(server: LifecycleCases.insuredServerNumber, recipient: LifecycleCases.insuredRecipient,
                                 registeredOn: "20210401", cancelledOn: expected.compact),
        ]), to: statusFile)
        try t.keys("F4")
        try await t.waitFor("取り込むファイル")
        try t.keys("2", "Enter")
        try await t.waitFor("状況一覧ファイル（月次）を取り込む")
        try t.type(statusFile.path)
        try t.keys("Enter", "Enter")
        let statusReport = try await t.waitForAll(["取り込みました", "解除を確認"])
        #expect(E2E.unwrapped(statusReport).contains("反映 2件"), "\(statusReport)")
        #expect(E2E.line(containing: a, in: statusReport).contains("解除を確認（\(afterHold.long)）"), "\(statusReport)")
        #expect(E2E.line(containing: b, in: statusReport).contains("解除を確認（\(expected.long)）"), "\(statusReport)")

        try t.keys("Escape")
        let confirmed = try await t.waitFor("解除確認済み 2")
        #expect(E2E.line(containing: a, in: confirmed).contains("解除確認済み"), "\(confirmed)")
        #expect(E2E.line(containing: b, in: confirmed).contains("解除確認済み"), "\(confirmed)")
        try t.keys("F10")
        try await t.waitFor("EXITED:0")

        #expect(try E2E.statuses(data) == [a: "confirmed", b: "confirmed"])
        let verify = try E2E.madoguchi(["verify"], dataDir: data)
        #expect(verify.status == 0, "verify: \(verify.stdout)\(verify.stderr)")
    }
}
