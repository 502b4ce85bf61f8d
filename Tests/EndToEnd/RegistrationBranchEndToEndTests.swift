import Foundation
import MadoguchiCore
import Testing

/// Issue 13 item 5 on the command line: `record-registration` (R-RG-8), the registration date taken
/// from the export when `import-results` is not given one (R-RG-9), and the advice for "already
/// registered" (R-RG-6). The LifecycleCases fixture: the demo (training) office with one
/// assistance-only and one insured case.
@Suite("Registration branches end to end (R-RG-6, R-RG-8, R-RG-9)", .tags(.e2e), .timeLimit(.minutes(2)))
struct RegistrationBranchEndToEndTests {
    static func journal(_ data: URL) throws -> Data { try Data(contentsOf: data.appendingPathComponent("journal.jsonl")) }

    /// prepare → approve → export as the office does it; returns the exported row.
    static func export(_ data: URL) throws -> String {
        let prepared = try E2E.madoguchi(["prepare-batch", "--operator", "yamada", "--json"], dataDir: data)
        let batchID = try #require(try JSONObject(line: prepared.stdout).string("id"), "\(prepared.stderr)")
        #expect(try E2E.madoguchi(["approve-batch", batchID, "--operator", "sato"], dataDir: data).status == 0)
        let out = try E2E.madoguchi(["export-registrations"], dataDir: data)
        #expect(out.status == 0, "\(out.stderr)")
        return "\(LifecycleCases.serverCode),\(LifecycleCases.assistanceServerNumber),\(LifecycleCases.publicPayerNumber),,\(LifecycleCases.assistanceRecipient),"
    }

    @Test("R-RG-8 record-registration: refused for the insured case (its state named), without --yes off a terminal, after today; recorded with --yes, R-DT-1 follows")
    func recordRegistration() async throws {
        let (root, data) = try await LifecycleCases.copy("record-registration")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase, b = LifecycleCases.insuredCase
        let today = Day.today
        let help = try E2E.madoguchi(["record-registration", "--help"], dataDir: data)
        #expect(help.stdout.contains("統合専用端末") && help.stdout.contains("--date") && help.stdout.contains("--yes"), "\(help.stdout)")

        let before = try Self.journal(data)
        let refusals: [([String], [String])] = [
            (["record-registration", b, "--date", today.short, "--yes"], ["「保険者の登録待ち」", "R-RG-8"]),
            (["record-registration", a, "--date", today.short], ["状態　現在：登録待ち → 新：登録済み", "--yes"]),
            (["record-registration", a, "--date", "2099-01-01", "--yes"], ["登録日", "今日（\(today.long)）より後", "R-RG-9"]),
        ]
        for (args, said) in refusals {
            let out = try E2E.madoguchi(args, dataDir: data)
            #expect(out.status == 1, "\(args): \(out.status) \(out.stdout)\(out.stderr)")
            for s in said { #expect(out.stderr.contains(s), "\(args): 「\(s)」 not in \(out.stderr)") }
        }
        #expect(try Self.journal(data) == before, "a refusal writes nothing")

        let out = try E2E.madoguchi(["record-registration", a, "--date", today.short, "--yes", "--json"], dataDir: data)
        #expect(out.status == 0, "\(out.stderr)")
        let moved = try JSONObject(line: out.stdout)
        #expect(moved.string("status") == "registered")
        #expect(moved.string("expectedCancellation") == today.lastDayOfMonth(plus: 1).long, "\(moved.raw)")
        #expect(try E2E.statuses(data)[a] == "registered")
        // Never in a bulk file afterwards (R-RG-3: not registered twice).
        let nothing = try E2E.madoguchi(["prepare-batch"], dataDir: data)
        #expect(nothing.status == 1 && nothing.stderr.contains("一括登録に入れる案件がありません"), "\(nothing.stderr)")
    }

    @Test("R-RG-9 R-DT-1 import-results in the month after the export, without --registered-on: the export day, said; the expected date stays")
    func registrationDateFromTheExport() async throws {
        let (root, data) = try await LifecycleCases.copy("registered-on-export-day")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase
        let today = Day.today
        let row = try Self.export(data)
        let next = try #require(LocalDate(year: today.year, month: today.month, day: today.day)).yearMonth.adding(months: 1).firstDay
        let clock = try E2E.madoguchi(["training", "clock", "--to", next.iso], dataDir: data)
        #expect(clock.status == 0, "\(clock.stderr)")
        let resultFile = root.appendingPathComponent("result.csv")
        try ServerFile.write(try ServerFile.result(exportedRows: [row]), to: resultFile)
        let imported = try E2E.madoguchi(["import-results", resultFile.path], dataDir: data)
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        #expect(imported.stdout.contains("正常終了（登録日 \(today.long)）"), "\(imported.stdout)")
        #expect(imported.stdout.contains("一括登録ファイルを出力した日") && imported.stdout.contains("R-RG-9"), "\(imported.stdout)")
        #expect(!imported.stdout.contains("注意："), "the expected date does not move: nothing to warn\n\(imported.stdout)")
        let cases = try E2E.madoguchi(["cases", "--json"], dataDir: data)
        #expect(cases.stdout.contains(today.lastDayOfMonth(plus: 1).long), "\(cases.stdout)")
        #expect(try E2E.statuses(data)[a] == "registered")
    }

    @Test("R-RG-6 'already registered': the import and the reminders say not to register again; requeue asks first (exit 1 without --yes)")
    func alreadyRegistered() async throws {
        let (root, data) = try await LifecycleCases.copy("already-registered")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase
        let row = try Self.export(data)
        let resultFile = root.appendingPathComponent("result.csv")
        try ServerFile.write(try ServerFile.cp932([ServerFile.resultHeader, row + ",2,既に初回登録解除の申請が登録されています"]), to: resultFile)
        let imported = try E2E.madoguchi(["import-results", resultFile.path, "--registered-on", Day.today.short], dataDir: data)
        #expect(imported.status == 0, "\(imported.stdout)\(imported.stderr)")
        #expect(imported.stdout.contains("登録し直さないでください") && imported.stdout.contains("R-RG-6"), "\(imported.stdout)")
        let reminders = try E2E.madoguchi(["reminders"], dataDir: data)
        #expect(reminders.stdout.contains("登録し直さないでください") && reminders.stdout.contains("R-RG-6"), "\(reminders.stdout)")
        #expect(!reminders.stdout.contains("原因を直して登録し直してください"), "\(reminders.stdout)")
        let before = try Self.journal(data)
        let requeue = try E2E.madoguchi(["requeue", a, "--note", "送り直す"], dataDir: data)
        #expect(requeue.status == 1 && requeue.stderr.contains("R-RG-6"), "\(requeue.stderr)")
        #expect(try Self.journal(data) == before)
        #expect(try E2E.statuses(data)[a] == "registration_failed")
    }
}
