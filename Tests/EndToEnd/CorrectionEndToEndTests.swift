import Foundation
import Testing

/// Issue 11 item 3, R-AM-1: a saved application corrected from a script and at the desk, with the
/// old and new values in the journal and the history, every rule checked again, and the R-RG-3
/// warning for a field already sent to the server.
@Suite("Corrections end to end (R-AM-1)", .tags(.e2e), .timeLimit(.minutes(2)))
struct CorrectionEndToEndTests {
    static func journal(_ data: URL) throws -> Data {
        try Data(contentsOf: data.appendingPathComponent("journal.jsonl"))
    }

    static func cases(_ data: URL) throws -> [[String: Any]] {
        let listed = try E2E.madoguchi(["cases", "--json"], dataDir: data)
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    }

    @Test("madoguchi correct: old → new in Japanese and JSON, refusals that write nothing, branch out of the export queue, R-RG-3 after export needs --ack")
    func commandLine() async throws {
        let (root, data) = try await LifecycleCases.copy("correction-cli")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase

        // 氏名, in Japanese: old → new, the reason and the operator.
        let named = try E2E.madoguchi(["correct", a, "--field", "name=山田 大郎", "--reason", "申請書の写し間違い", "--operator", "yamada"], dataDir: data)
        #expect(named.status == 0, "stderr: \(named.stderr)")
        #expect(named.stdout.contains("氏名：山田　太郎 → 山田　大郎"), "\(named.stdout)")
        #expect(named.stdout.contains("理由：申請書の写し間違い") && named.stdout.contains("山田 花子"), "\(named.stdout)")

        // Refusals: unknown key (the keys listed), a value the intake refuses (field named), no reason. Nothing written.
        let before = try Self.journal(data)
        let unknown = try E2E.madoguchi(["correct", a, "--field", "nickname=たろう", "--reason", "r"], dataDir: data)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("訂正できる項目ではありません") && unknown.stderr.contains("recipient_number（受給者番号）"), "\(unknown.stderr)")
        #expect(!unknown.stderr.contains("Error:"))
        let badDate = try E2E.madoguchi(["correct", a, "--field", "birth_date=平成31年5月1日", "--reason", "r"], dataDir: data)
        #expect(badDate.status == 1)
        #expect(badDate.stderr.contains("生年月日"), "\(badDate.stderr)")
        let noReason = try E2E.madoguchi(["correct", a, "--field", "name=山田 次郎"], dataDir: data)
        #expect(noReason.status == 1)
        #expect(noReason.stderr.contains("--reason"), "\(noReason.stderr)")
        #expect(try Self.journal(data) == before, "refusals write nothing")

        // Branch to insured (with the insurer, R-BR-3..5, and R-IN-4 g explained): out of the export queue.
        let insured = try E2E.madoguchi(["correct", a, "--field", "branch=医療保険・医療扶助併用", "--field", "insurer_name=協会けんぽ",
                                         "--field", "insurer_number=\(LifecycleCases.insurerNumber)", "--field", "applied_to_insurer=applied",
                                         "--field", "insurance_verified_by=network_inquiry", "--field", "explained_g=1",
                                         "--reason", "併用を単独と誤って入力", "--json"], dataDir: data)
        #expect(insured.status == 0, "stderr: \(insured.stderr)")
        let out = try JSONObject(line: insured.stdout)
        #expect(out.string("status") == "waiting_for_insurer")
        #expect(out.objects("changes").contains { $0.string("field") == "branch" && $0.string("old") == "assistance_only" && $0.string("new") == "insured" })
        let nothing = try E2E.madoguchi(["prepare-batch"], dataDir: data)
        #expect(nothing.status == 1, "the insured case is not the office's to register")

        // cases --json: the current values and every correction.
        let listed = try #require(try Self.cases(data).first { $0["number"] as? String == a })
        let app = try #require(listed["application"] as? [String: Any])
        #expect(app["branch"] as? String == "insured")
        #expect((app["applicant"] as? [String: Any])?["name"] as? String == "山田　大郎")
        let corrections = try #require(listed["corrections"] as? [[String: Any]])
        #expect(corrections.count == 2)
        #expect(corrections.first?["reason"] as? String == "申請書の写し間違い")
        #expect(corrections.first?["operator"] as? String == "yamada")

        // Back to assistance-only, export it, then correct the 受給者番号 that went to the server.
        let back = try E2E.madoguchi(["correct", a, "--field", "branch=assistance_only", "--reason", "やはり単独"], dataDir: data)
        #expect(back.status == 0, "stderr: \(back.stderr)")
        let prepared = try E2E.madoguchi(["prepare-batch", "--operator", "yamada", "--json"], dataDir: data)
        #expect(prepared.status == 0, "\(prepared.stderr)")
        let id = try #require(try JSONObject(line: prepared.stdout).string("id"))
        #expect(try E2E.madoguchi(["approve-batch", id, "--operator", "sato"], dataDir: data).status == 0)
        #expect(try E2E.madoguchi(["export-registrations"], dataDir: data).status == 0)
        let beforeAck = try Self.journal(data)
        let warned = try E2E.madoguchi(["correct", a, "--field", "recipient_number=1234574", "--reason", "受給者番号の写し間違い"], dataDir: data)
        #expect(warned.status == 1)
        #expect(warned.stderr.contains("R-RG-3") && warned.stderr.contains("登録結果を待ち") && warned.stderr.contains("--ack"), "\(warned.stderr)")
        #expect(try Self.journal(data) == beforeAck)
        let acked = try E2E.madoguchi(["correct", a, "--field", "recipient_number=1234574", "--reason", "受給者番号の写し間違い", "--ack"], dataDir: data)
        #expect(acked.status == 0, "stderr: \(acked.stderr)")
        #expect(acked.stdout.contains("受給者番号：1234566 → 1234574") && acked.stdout.contains("R-RG-3"), "\(acked.stdout)")
        #expect(try E2E.statuses(data)[a] == "exported")

        // The original intake line is unchanged and the chain verifies.
        let lines = String(decoding: try Self.journal(data), as: UTF8.self).split(separator: "\n")
        #expect(lines.first { $0.contains("\"case.received\"") }?.contains("山田　太郎") == true)
        #expect(lines.filter { $0.contains("\"application.corrected\"") }.count == 4)
        let verify = try E2E.madoguchi(["verify"], dataDir: data)
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test("Desk: F7 → 訂正 → 氏名 changed → the review lists it old → new → reason → F2 → 訂正しました; the history keeps 受付 and shows the correction")
    func desk() async throws {
        let (root, data) = try await LifecycleCases.copy("correction-tui")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["案件一覧　2件", "並び："], timeout: 10)
        try t.keys("Home", "F7")                              // the assistance-only case, as the lifecycle test does
        try await t.waitForAll(["案件 \(a) に記録する", "訂正（申請の内容を直す"])
        for _ in 0..<9 { try t.keys("Down") }                 // the last item of the menu (the tenth since R-PT-2's tickets)
        try t.keys("Enter")
        try await t.waitFor("訂正：案件 \(a)")
        try t.keys("Tab")                                     // フリガナ → 氏名
        try t.keys("C-u")
        try t.type("山田 大郎")
        try t.keys("F2")
        try await t.waitForAll(["訂正の確認", "氏名：山田　太郎 → 山田　大郎"])
        try t.type("申請書の写し間違い")
        try t.keys("F2")
        try await t.waitFor("訂正しました（案件 \(a)：氏名")
        let journal = String(decoding: try Self.journal(data), as: UTF8.self)
        #expect(journal.contains("\"application.corrected\"") && journal.contains("申請書の写し間違い"))
        // The history: the intake line stays, the correction below it.
        for _ in 0..<8 { try t.keys("PageDown") }
        let screen = try await t.waitFor("訂正：氏名")
        let text = E2E.unwrapped(screen)
        #expect(text.contains("訂正：氏名 山田　太郎 → 山田　大郎（理由：申請書の写し間違い）"), "\(screen)")
        let intakeLine = screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasSuffix("　受付") }
        #expect(intakeLine, "the intake line stays in the history:\n\(screen)")
        try t.keys("F10")
    }
}
