import Foundation
import Testing

/// Issue 3, "Done when": the CLI carries the cases typed at the desk through the same cycle from a
/// script, with exit codes a script can trust (0 done, 1 refused with nothing written, 64 usage).
@Suite("Lifecycle end to end (command line)", .tags(.e2e), .timeLimit(.minutes(1)))
struct LifecycleCommandLineEndToEndTests {

    /// Runs `madoguchi` on `data` and parses its `--json` output.
    static func json(_ args: [String], _ data: URL, exit: Int32 = 0,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONObject {
        let out = try E2E.madoguchi(args, dataDir: data)
        #expect(out.status == exit, "\(args.joined(separator: " ")) exited \(out.status)\nstdout: \(out.stdout)\nstderr: \(out.stderr)",
                sourceLocation: sourceLocation)
        return try JSONObject(line: out.stdout)
    }

    static func journal(_ data: URL) throws -> Data {
        try Data(contentsOf: data.appendingPathComponent("journal.jsonl"))
    }

    @Test("CLI only: export-registrations → import-results (twice: already_imported) → record-notice → import-status, with refusals (exit 1, 64) that write nothing")
    func wholeCycleFromAScript() async throws {
        let (root, data) = try await LifecycleCases.copy("lifecycle-cli")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase, b = LifecycleCases.insuredCase
        let today = Day.today
        let expected = today.lastDayOfMonth(plus: 1)
        let afterHold = today.lastDayOfMonth(plus: 2)
        #expect(try E2E.statuses(data) == [a: "awaiting_registration", b: "waiting_for_insurer"])

        // Maker-checker (issue 4): nothing is written before a supervisor approves; yamada (a clerk)
        // prepares, yamada cannot approve, sato (a supervisor) does.
        let unapproved = try E2E.madoguchi(["export-registrations"], dataDir: data)
        #expect(unapproved.status == 1)
        #expect(unapproved.stderr.contains("承認済みの一括登録がありません"))
        #expect(E2E.exports(data).isEmpty)
        let prepared = try Self.json(["prepare-batch", "--operator", "yamada", "--json"], data)
        let batchID = try #require(prepared.string("id"))
        #expect(prepared.strings("cases") == [a])
        let selfApproval = try E2E.madoguchi(["approve-batch", batchID, "--operator", "yamada"], dataDir: data)
        #expect(selfApproval.status == 1)
        #expect(selfApproval.stderr.contains("査察指導員ではない"))
        let approved = try Self.json(["approve-batch", batchID, "--operator", "sato", "--json"], data)
        #expect(approved.string("state") == "approved")

        // export-registrations: the assistance-only case only; the insured one is not the office's to register.
        let export = try Self.json(["export-registrations", "--json"], data)
        #expect(export.strings("included") == [a])
        #expect(export.objects("refused").isEmpty, "refused: \(export.raw["refused"] ?? "")")
        let name = "FI_HIM_0018_\(LifecycleCases.serverCode)_\(today.compact).csv"
        #expect(export.string("file")?.hasSuffix("/exports/" + name) == true, "file: \(export.string("file") ?? "nil")")
        let row = "\(LifecycleCases.serverCode),\(LifecycleCases.assistanceServerNumber),\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),"
        #expect(E2E.exports(data).map(\.lastPathComponent) == [name])
        #expect(try Data(contentsOf: data.appendingPathComponent("exports/" + name)) == Data((row + "\r\n").utf8))
        #expect(try E2E.statuses(data)[a] == "exported")
        // Never twice (R-RG-3): the batch is spent, and a new one finds nothing to prepare.
        let again = try E2E.madoguchi(["export-registrations"], dataDir: data)
        #expect(again.status == 1)
        let nothing = try E2E.madoguchi(["prepare-batch"], dataDir: data)
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("一括登録に入れる案件がありません"))
        #expect(E2E.exports(data).count == 1)

        // set-server-number after the export: the number was sent already → refused, exit 1.
        let beforeIllegal = try Self.journal(data)
        let illegal = try E2E.madoguchi(["set-server-number", a, "1111222233334444"], dataDir: data)
        #expect(illegal.status == 1, "stdout: \(illegal.stdout) stderr: \(illegal.stderr)")
        #expect(illegal.stderr.contains("記録できません"), "stderr: \(illegal.stderr)")
        #expect(try Self.journal(data) == beforeIllegal, "a refused move writes nothing")

        // import-results: 1 正常終了 → registered on the date given (R-RG-4, R-DT-1).
        let resultFile = root.appendingPathComponent("result.csv")
        try ServerFile.write(try ServerFile.result(exportedRows: [row]), to: resultFile)
        let imported = try Self.json(["import-results", resultFile.path, "--registered-on", today.short, "--json"], data)
        #expect(imported.string("outcome") == "applied")
        let changes = imported.objects("changes")
        #expect(changes.map { $0.string("caseNumber") } == [a])
        #expect(changes.first?.string("what")?.contains("正常終了（登録日 \(today.long)）") == true, "\(imported.raw)")
        #expect(imported.strings("unmatched") == [] && imported.strings("problems") == [])
        #expect(try E2E.statuses(data)[a] == "registered")
        // The expected cancellation date is in the case list for scripts too (R-DT-1: the month-end after).
        let listed = try E2E.madoguchi(["cases", "--json"], dataDir: data)
        let all = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        let caseA = try #require(all.first { $0["number"] as? String == a })
        let oneMonth = today.lastDayOfMonth(plus: 1)
        #expect(caseA["expectedCancellation"] as? String == String(format: "%04d-%02d-%02d", oneMonth.year, oneMonth.month, oneMonth.day))
        #expect(caseA["registeredOn"] as? String == String(format: "%04d-%02d-%02d", today.year, today.month, today.day))

        // The same bytes again: already_imported, exit 0, the journal byte for byte as it was (R-FL-4).
        let beforeAgain = try Self.journal(data)
        let twice = try Self.json(["import-results", resultFile.path, "--registered-on", today.short, "--json"], data)
        #expect(twice.string("outcome") == "already_imported")
        #expect(twice.objects("changes").isEmpty)
        #expect(try Self.journal(data) == beforeAgain)

        // A notice date after today, or before the registration: refused naming お知らせの日付, with or
        // without --yes, nothing written (issue 11; R-HC-1, R-FL-3).
        let beforeDates = try Self.journal(data)
        for (date, said) in [("2099-01-01", "今日（\(today.long)）より後"), ("2020-01-01", "中間サーバーへの登録日（\(today.long)）より前")] {
            for yes in [false, true] {
                let out = try E2E.madoguchi(["record-notice", a, "--reason", "2", "--date", date] + (yes ? ["--yes"] : []), dataDir: data)
                #expect(out.status == 1, "\(date) \(yes): stdout: \(out.stdout) stderr: \(out.stderr)")
                #expect(out.stderr.contains("お知らせの日付：") && out.stderr.contains(said), "\(date): \(out.stderr)")
                #expect(!out.stderr.contains("記録しますか"), "refused before the question: \(out.stderr)")
            }
        }
        #expect(try Self.journal(data) == beforeDates)

        // record-notice #1: held, the expected date one month later (R-HC-2).
        let held = try Self.json(["record-notice", a, "--reason", "1", "--date", today.short, "--json", "--yes"], data)
        #expect(held.string("status") == "held")
        #expect(held.string("expectedCancellation") == afterHold.long, "\(held.raw)")
        #expect(held.string("caseNumber") == a)

        // A reason that does not exist: a usage error naming --reason, nothing written.
        let beforeUsage = try Self.journal(data)
        let usage = try E2E.madoguchi(["record-notice", a, "--reason", "9"], dataDir: data)
        #expect(usage.status == 64, "stdout: \(usage.stdout) stderr: \(usage.stderr)")
        #expect(usage.stderr.contains("--reason"), "stderr: \(usage.stderr)")
        #expect(try Self.journal(data) == beforeUsage)

        // The monthly file comes after the month-end run that carried the request out: the office's
        // (simulated) today moves there first — a 初回登録解除日 after today is refused (issue 12 item 7).
        let moved = try E2E.madoguchi(["training", "clock", "--to", afterHold.short], dataDir: data)
        #expect(moved.status == 0, "stdout: \(moved.stdout) stderr: \(moved.stderr)")

        // import-status: the held assistance-only case is confirmed (R-CF-1); the insured one is not in this file.
        let statusFile = root.appendingPathComponent("status.csv")
        try ServerFile.writeAssistanceStatus(cancelledOn: afterHold.compact, to: statusFile)
        let status = try Self.json(["import-status", statusFile.path, "--json"], data)
        #expect(status.string("outcome") == "applied")
        #expect(status.objects("changes").map { $0.string("caseNumber") } == [a])
        #expect(try E2E.statuses(data) == [a: "confirmed", b: "waiting_for_insurer"])

        // A move on a confirmed case is refused (exit 1, 記録できません), nothing written.
        let beforeConfirmed = try Self.journal(data)
        let onConfirmed = try E2E.madoguchi(["record-notice", a, "--reason", "2"], dataDir: data)
        #expect(onConfirmed.status == 1, "stdout: \(onConfirmed.stdout) stderr: \(onConfirmed.stderr)")
        #expect(onConfirmed.stderr.contains("記録できません"), "stderr: \(onConfirmed.stderr)")
        #expect(onConfirmed.stderr.contains("解除確認済み"), "the state is named: \(onConfirmed.stderr)")
        #expect(try Self.journal(data) == beforeConfirmed)

        // A malformed monthly file (初回登録解除日 20261332 on line 3): refused whole, the row named, nothing written.
        let badFile = root.appendingPathComponent("status-bad.csv")
        try ServerFile.write(try ServerFile.cp932([
            ServerFile.statusHeader,
            ServerFile.statusRow(server: LifecycleCases.insuredServerNumber, recipient: LifecycleCases.insuredRecipient,
                                 registeredOn: "20210401", cancelledOn: expected.compact),
            ServerFile.statusRow(server: "3456789012345678", recipient: "", cancelledOn: "20261332"),
        ]), to: badFile)
        let beforeBad = try Self.journal(data)
        let badOut = try E2E.madoguchi(["import-status", badFile.path, "--json"], dataDir: data)
        #expect(badOut.status == 1, "stdout: \(badOut.stdout) stderr: \(badOut.stderr)")
        let bad = try JSONObject(line: badOut.stdout)
        #expect(bad.string("outcome") == "refused")
        let problems = bad.strings("problems") ?? []
        #expect(problems.count == 1 && problems.first?.contains("3行目") == true, "problems: \(problems)")
        #expect(problems.first?.contains("初回登録解除日") == true, "the column is named: \(problems)")
        #expect(try Self.journal(data) == beforeBad, "a refused file writes nothing")
        #expect(try E2E.statuses(data)[b] == "waiting_for_insurer")
        // The same without --json: the row is named to a person too.
        let badText = try E2E.madoguchi(["import-status", badFile.path], dataDir: data)
        #expect(badText.status == 1)
        #expect((badText.stdout + badText.stderr).contains("3行目"), "\(badText.stdout)\(badText.stderr)")
        #expect(try Self.journal(data) == beforeBad)

        // --skip-bad-rows: applied without the bad row, which is listed; the insured case is confirmed (R-DT-3).
        let skipped = try Self.json(["import-status", badFile.path, "--skip-bad-rows", "--json"], data)
        #expect(skipped.string("outcome") == "applied")
        #expect((skipped.strings("problems") ?? []).contains { $0.contains("3行目") }, "\(skipped.raw)")
        #expect(skipped.objects("changes").map { $0.string("caseNumber") } == [b])
        #expect(try E2E.statuses(data) == [a: "confirmed", b: "confirmed"])

        let verify = try E2E.madoguchi(["verify"], dataDir: data)
        #expect(verify.status == 0, "verify: \(verify.stdout)\(verify.stderr)")
    }

    @Test("issue 11: prepare-batch names a case left out for a blank 被保険者枝番 and the command that fixes it; withdraw and transfer-out dates are checked; correct takes --yes; training clock without an option is a usage error")
    func issue11CommandLine() async throws {
        let (root, data) = try await LifecycleCases.copy("lifecycle-cli-issue11")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase, b = LifecycleCases.insuredCase

        // correct … --yes (as the record commands say it): the 被保険者枝番 left blank.
        let blanked = try E2E.madoguchi(["correct", a, "--field", "server_individual_number=", "--reason", "枝番の確認待ち", "--yes"], dataDir: data)
        #expect(blanked.status == 0, "stdout: \(blanked.stdout) stderr: \(blanked.stderr)")
        let before = try Self.journal(data)
        let nothing = try E2E.madoguchi(["prepare-batch"], dataDir: data)
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("\(a)") && nothing.stderr.contains("被保険者枝番（16桁）が未入力です（R-RG-2）"), "\(nothing.stderr)")
        #expect(nothing.stderr.contains("madoguchi set-server-number \(a)"), "the fix is named: \(nothing.stderr)")
        #expect(!nothing.stderr.contains("登録待ちの医療扶助単独の案件がないか"), "\(nothing.stderr)")
        #expect(try Self.journal(data) == before)
        let set = try E2E.madoguchi(["set-server-number", a, LifecycleCases.assistanceServerNumber, "--yes"], dataDir: data)
        #expect(set.status == 0, "\(set.stderr)")
        let prepared = try Self.json(["prepare-batch", "--operator", "yamada", "--json"], data)
        #expect(prepared.strings("cases") == [a])
        #expect(prepared.raw["leftOut"] is [Any] && prepared.objects("leftOut").isEmpty, "\(prepared.raw)")

        // withdraw / transfer-out: not before the application, not after today; nothing written.
        let beforeMoves = try Self.journal(data)
        let refusals: [([String], String)] = [
            (["withdraw", b, "--reason", "本人の申し出", "--date", "1999-01-01"], "取下げ日：平成11年1月1日はこの案件の申請日"),
            (["withdraw", b, "--reason", "本人の申し出", "--date", "2099-01-01", "--yes"], "取下げ日：令和81年1月1日は今日"),
            (["transfer-out", b, "--to", "隣市福祉事務所", "--date", "2099-01-01", "--yes"], "転出日：令和81年1月1日は今日"),
            (["transfer-out", b, "--to", "隣市福祉事務所", "--date", "1999-01-01"], "転出日：平成11年1月1日はこの案件の申請日"),
        ]
        for (args, said) in refusals {
            let out = try E2E.madoguchi(args, dataDir: data)
            #expect(out.status == 1, "\(args): \(out.stderr)")
            #expect(out.stderr.contains(said), "\(args): \(out.stderr)")
        }
        #expect(try Self.journal(data) == beforeMoves)

        // training clock with nothing asked: a usage error listing the options, nothing moved.
        let clock = try E2E.madoguchi(["training", "clock"], dataDir: data)
        #expect(clock.status == 64, "stdout: \(clock.stdout) stderr: \(clock.stderr)")
        for option in ["--to", "--days", "--month-end", "--next-month"] { #expect(clock.stderr.contains(option), "\(clock.stderr)") }
        #expect(clock.stderr.contains("指定してください") && !clock.stdout.contains("にしました"), "\(clock.stdout)\(clock.stderr)")
    }
}
