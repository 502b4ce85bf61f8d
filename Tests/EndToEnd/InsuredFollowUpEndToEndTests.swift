import Foundation
import MadoguchiCore
import Testing

/// R-CF-4 on the command line: the insured case typed at the desk (LifecycleCases), never confirmed,
/// comes up in `madoguchi reminders` after `[reminders] insured_followup_months` (default 2) months
/// of the office's clock; marked done it stays away until the next period.
@Suite("Insured follow-up end to end (R-CF-4)", .tags(.e2e), .timeLimit(.minutes(2)))
struct InsuredFollowUpEndToEndTests {
    static func ids(_ data: URL) throws -> [String] {
        let out = try E2E.madoguchi(["reminders", "--json"], dataDir: data)
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let list = try #require(object["reminders"] as? [[String: Any]])
        return list.compactMap { $0["id"] as? String }.filter { $0.hasPrefix("insured_followup:") }
    }

    static func move(_ data: URL, to day: LocalDate) throws {
        let moved = try E2E.madoguchi(["training", "clock", "--to", day.iso], dataDir: data)
        #expect(moved.status == 0, "stderr: \(moved.stderr)")
    }

    @Test("madoguchi reminders: the unconfirmed insured case after 2 months, in Japanese with R-CF-4; done until the next period")
    func followUpOnTheCommandLine() async throws {
        let (root, data) = try await LifecycleCases.copy("insured-followup")
        defer { E2E.remove(root) }
        let t = JapanDate.today()
        let received = try #require(LocalDate(year: t.year, month: t.month, day: t.day))
        let insured = LifecycleCases.insuredCase

        try Self.move(data, to: received.addingMonths(2).addingDays(-1))
        #expect(try Self.ids(data).isEmpty, "not before two months")

        let due = received.addingMonths(2)
        try Self.move(data, to: due)
        let id = "insured_followup:\(insured):\(due.iso)"
        #expect(try Self.ids(data) == [id], "only the insured case (the assistance-only one has a date, R-CF-1)")
        let human = try E2E.madoguchi(["reminders"], dataDir: data)
        #expect(human.stdout.contains("保険者の登録・転入の確認") && human.stdout.contains("R-CF-4") && human.stdout.contains(insured), "\(human.stdout)")
        #expect(human.stdout.contains("全国健康保険協会"), "\(human.stdout)")

        let done = try E2E.madoguchi(["reminders", "done", id, "--note", "本人と保険者に電話で確認"], dataDir: data)
        #expect(done.status == 0, "stderr: \(done.stderr)")
        #expect(try Self.ids(data).isEmpty)

        let next = received.addingMonths(4)
        try Self.move(data, to: next)
        #expect(try Self.ids(data) == ["insured_followup:\(insured):\(next.iso)"], "back at the next period while unconfirmed")
    }
}
