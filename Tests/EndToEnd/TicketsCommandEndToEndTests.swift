import Foundation
@testable import MadoguchiCore
import Testing

/// `madoguchi tickets` (R-PT-2 amended 2026-11-30, R-PT-4): paper tickets recorded after intake from
/// a script; the monthly reminder follows the institution; bad input exits 1 with nothing written.
@Suite("Tickets command end to end", .tags(.e2e), .timeLimit(.minutes(1)))
struct TicketsCommandEndToEndTests {
    /// A demo (training) office whose journal holds one assistance-only case received on the
    /// sandbox's today, with no valid tickets at intake. Returns the data directory and the case.
    static func office(_ label: String) throws -> (root: URL, data: URL, caseNumber: String) {
        let root = try E2E.makeTempDir(label)
        let data = root.appendingPathComponent("data")
        // Let the binary set the office up (its sandbox, the clock), then add the case with the domain's own writer.
        let first = try E2E.madoguchi(["reminders", "--json"], dataDir: data)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let t = JapanDate.today()
        let day = LocalDate(year: t.year, month: t.month, day: t.day)!
        let now = Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 + 3600))   // 10:00 in Japan
        let store = CaseStore(journalURL: data.appendingPathComponent("journal.jsonl"))
        try store.load()
        let app = Application(
            applicant: .init(furigana: "サトウ\u{3000}ハナ", name: "佐藤\u{3000}花", birthDate: LocalDate(year: 1950, month: 3, day: 3)!,
                             postalCode: "1000001", prefecture: "東京都", municipality: "千代田区", address: "千代田1-1",
                             phone: "03-0000-0000", email: ""),
            recipientNumber: "1234566", serverIndividualNumber: "1234567890123456", proxy: nil,
            requestTicked: true, signedFormReceived: true, reason: "", applicationDate: day,
            branch: .assistanceOnly, insurance: nil, holdsValidTickets: false, explained: ["a", "b", "c", "d", "e", "f"])
        let c = try store.receive(app, ticketsIssuedNow: [], operatorID: "yamada", now: now)
        return (root, data, c.number)
    }

    static func journal(_ data: URL) throws -> Data { try Data(contentsOf: data.appendingPathComponent("journal.jsonl")) }

    @Test("R-PT-2: tickets CASE --kind --institution --month R8.12 records it (--json and Japanese text); the next month's reminder names the institution")
    func recordsAndTheReminderFollows() throws {
        let (root, data, n) = try Self.office("tickets-cli")
        defer { E2E.remove(root) }
        let t = JapanDate.today()
        let month = "R\(JapanDate.reiwa(t.year)).\(t.month)"
        let iso = String(format: "%04d-%02d", t.year, t.month)
        let out = try E2E.madoguchi(["tickets", n, "--kind", "medical", "--institution", "あおば眼科", "--month", month, "--json"], dataDir: data)
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let json = try JSONObject(line: out.stdout)
        #expect(json.string("caseNumber") == n && json.string("kind") == "medical" && json.string("institution") == "あおば眼科")
        #expect(json.string("month") == iso && json.string("monthLabel") == "令和\(JapanDate.reiwa(t.year))年\(t.month)月")

        // The same in Japanese text, another kind and the ISO month.
        let text = try E2E.madoguchi(["tickets", n, "--kind", "dispensing", "--institution", "あおば薬局", "--month", iso], dataDir: data)
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.contains("案件 \(n)：令和\(JapanDate.reiwa(t.year))年\(t.month)月分の紙の調剤券（あおば薬局）の交付を記録しました"), "\(text.stdout)")

        // This month is covered; next month both are reminded (R-PT-2), in the order first issued.
        let next = JapanDate.nextMonth()
        let reminders = try E2E.madoguchi(["reminders", "--month", String(format: "%04d-%02d", next.year, next.month)], dataDir: data)
        #expect(reminders.status == 0, "stderr: \(reminders.stderr)")
        #expect(reminders.stdout.contains("紙の医療券を交付してください（あおば眼科）— R-PT-2"), "\(reminders.stdout)")
        #expect(reminders.stdout.contains("紙の調剤券を交付してください（あおば薬局）— R-PT-2"), "\(reminders.stdout)")
        let now = try E2E.madoguchi(["reminders"], dataDir: data)
        #expect(!now.stdout.contains("あおば"), "\(now.stdout)")
    }

    @Test("R-PT-2, R-ID-4: a bad kind, a 個人番号 in the name, a bad month, a duplicate, an unknown case: exit 1, said in Japanese, nothing written")
    func refusalsWriteNothing() throws {
        let (root, data, n) = try Self.office("tickets-cli-refused")
        defer { E2E.remove(root) }
        let t = JapanDate.today()
        let iso = String(format: "%04d-%02d", t.year, t.month)
        let ok = try E2E.madoguchi(["tickets", n, "--kind", "medical", "--institution", "あおば眼科", "--month", iso], dataDir: data)
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        let before = try Self.journal(data)
        let cases: [([String], String)] = [
            ([n, "--kind", "clinic", "--institution", "あおば眼科", "--month", iso], "medical（医療券）か dispensing（調剤券）です"),
            ([n, "--kind", "medical", "--institution", "あおば眼科 123456789012", "--month", iso], "R-ID-4"),
            ([n, "--kind", "medical", "--institution", "あおば眼科", "--month", "13月"], "紙の医療券・調剤券の月："),
            ([n, "--kind", "medical", "--institution", "  ", "--month", iso], "医療機関・薬局名を入力してください"),
            ([n, "--kind", "medical", "--institution", "あおば眼科", "--month", iso], "交付済みとして記録されています"),
            (["2099-0001", "--kind", "medical", "--institution", "あおば眼科", "--month", iso], "案件 2099-0001 はありません"),
        ]
        for (args, said) in cases {
            let out = try E2E.madoguchi(["tickets"] + args, dataDir: data)
            #expect(out.status == 1, "\(args): exited \(out.status)\nstderr: \(out.stderr)")
            #expect(out.stderr.contains(said), "\(args): \(out.stderr)")
            #expect(!out.stderr.contains("123456789012"), "R-ID-4: never echoed")
            #expect(out.stdout.isEmpty)
            #expect(try Self.journal(data) == before, "\(args): a refusal writes nothing")
        }
    }
}

/// The same through the real terminal: F7 → 9 → Enter opens the form, Enter on the last field records.
@Suite("Tickets on the desk end to end", .tags(.e2e), .timeLimit(.minutes(1)))
struct TicketsDeskEndToEndTests {
    @Test("R-PT-2 desk: F7 → 9 (紙の医療券・調剤券を交付) → 医療機関 → Enter Enter: recorded without y/n, the line on disk, the history shows it")
    func recordFromTheDesk() async throws {
        let (root, data, n) = try TicketsCommandEndToEndTests.office("tickets-desk")
        defer { E2E.remove(root) }
        let before = String(decoding: try TicketsCommandEndToEndTests.journal(data), as: UTF8.self).split(separator: "\n").count
        // Tall enough for the case screen's history without scrolling.
        let desk = try DeskSession(dataDir: data, width: 100, height: 60)
        defer { desk.close() }
        let t = desk.tmux
        try await t.waitForAll(["案件一覧　1件", "並び："], timeout: 10)
        try t.keys("Home", "F7")
        try await t.waitForAll(["案件 \(n) に記録する", "9 紙の医療券・調剤券を交付（R-PT-2）", "0 訂正"])
        try t.keys("9", "Enter")
        try await t.waitFor("案件 \(n)：紙の医療券・調剤券を交付")
        try t.keys("Tab")
        try t.type("あおば眼科")
        try t.keys("Enter", "Enter")
        let done = try await t.waitFor("交付を記録しました", timeout: 10)
        #expect(!done.contains("y：記録する"), "\(done)")
        let lines = String(decoding: try TicketsCommandEndToEndTests.journal(data), as: UTF8.self).split(separator: "\n")
        // Plus the sandbox's opening lines where its journal was not signed yet (issue 12).
        #expect(lines.filter { !$0.contains("\"office.opened\"") && !$0.contains("\"key.enrolled\"") }.count == before + 1)
        #expect(lines.last?.contains("\"tickets.issued\"") == true && lines.last?.contains("あおば眼科") == true)
        // The case screen's history names it.
        try t.keys("Enter")
        try await t.waitFor("紙の医療券・調剤券（R-PT-1）", timeout: 10)
        try await t.waitFor("受付後：医療券 あおば眼科", timeout: 10)
    }
}
