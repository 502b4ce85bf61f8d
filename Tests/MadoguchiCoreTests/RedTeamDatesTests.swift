import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 12 item 7: dates that cannot be true — before the case's export or registration, after the
/// office's today, in 2099 — are refused on every path that takes one, naming the field (or the
/// file's row and column) and why, with the journal untouched. (Typed lifecycle dates were already
/// checked, issue 11; these are the paths that were not.) Only API that existed before is used, so
/// each test compiles and fails on the code before the change.
@Suite("Red team: dates that cannot be true (issue 12 item 7)", .tags(.unit))
struct RedTeamDatesTests {
    /// One exported case (received 令和8年11月24日, exported 令和8年11月25日) and its result file.
    static func exported(_ label: String = #function) throws -> (BatchEnv, CaseRecord, URL) {
        let env = try batchEnv(label)
        let c = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"))
        let rows = try batchRows(ofExport: try #require(try batchExport(env, at: batchJST(2026, 11, 25)).file))
        let url = try env.inbox("result.csv", batchResultFile([rows[0] + ["1", "正常終了"]]))
        return (env, c, url)
    }

    static func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return "\(error)" }
    }

    @Test("R-RG-9 a registration date years before the export is refused, naming 登録日, the case and the export's day",
          arguments: ["2020-04-01", "2026-11-24"])
    func registrationBeforeExport(_ iso: String) throws {
        let (env, c, url) = try Self.exported()
        let journal = env.journalBytes()
        let refused = Self.message {
            _ = try env.store.importResults(url, office: env.office, registeredOn: try #require(LocalDate(iso: iso)), allowBadRows: false,
                                            operatorID: "yamada", now: batchJST(2026, 12, 1))
        }
        #expect(refused?.contains("登録日") == true && refused?.contains(c.number) == true, "\(refused ?? "accepted")")
        #expect(refused?.contains("一括登録ファイルの出力日（令和8年11月25日）より前") == true, "\(refused ?? "")")
        #expect(env.journalBytes() == journal)
        #expect(env.store.book[c.number]?.status == .exported)
    }

    @Test("R-RG-9 a registration date after the office's today (2099, or tomorrow) is refused, naming today")
    func registrationAfterToday() throws {
        let (env, c, url) = try Self.exported()
        let journal = env.journalBytes()
        for day in [batchDate(2099, 1, 1), batchDate(2026, 12, 2)] {
            let refused = Self.message {
                _ = try env.store.importResults(url, office: env.office, registeredOn: day, allowBadRows: false,
                                                operatorID: "yamada", now: batchJST(2026, 12, 1))
            }
            #expect(refused?.contains("今日（令和8年12月1日）より後") == true, "\(Wareki.format(day)): \(refused ?? "accepted")")
        }
        #expect(env.journalBytes() == journal)
        #expect(env.store.book[c.number]?.status == .exported)
    }

    @Test("R-FL-4 a status file whose 初回登録解除日 is after today is refused by row and column; skipping leaves the row out")
    func statusCancelledAfterToday() throws {
        let env = try batchEnv()
        let c = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"), at: batchJST(2026, 11, 24))
        let url = try env.inbox("status.csv", batchStatusFile([
            batchStatusRow(server: "1000000000000001", state: "0", registeredOn: "20250601", cancelledOn: "20990131", kind: "1"),
        ]))
        let journal = env.journalBytes()
        let r = try env.store.importStatus(url, office: env.office, allowBadRows: false, operatorID: "yamada", now: batchJST(2026, 12, 10))
        #expect(r.outcome == .refused)
        #expect(r.problems.contains { $0.contains("2行目") && $0.contains("8列（初回登録解除日）") && $0.contains("今日（令和8年12月10日）より後") },
                "\(r.problems)")
        #expect(env.journalBytes() == journal)
        #expect(env.store.book[c.number]?.status == .awaitingRegistration)
    }

    @Test("R-FL-4 a 初回登録解除日 before the case's registration is refused with row, column and case; --skip-bad-rows applies the rest")
    func statusCancelledBeforeRegistration() throws {
        let (env, c, result) = try Self.exported()
        _ = try env.store.importResults(result, office: env.office, registeredOn: batchDate(2026, 11, 26), allowBadRows: false,
                                        operatorID: "yamada", now: batchJST(2026, 11, 26))
        #expect(env.store.book[c.number]?.status == .registered)
        let url = try env.inbox("status.csv", batchStatusFile([
            batchStatusRow(server: "1000000000000001", state: "0", registeredOn: "20200101", cancelledOn: "20210131", kind: "1"),
        ]))
        let journal = env.journalBytes()
        let r = try env.store.importStatus(url, office: env.office, allowBadRows: false, operatorID: "yamada", now: batchJST(2027, 1, 10))
        #expect(r.outcome == .refused, "\(r.summaryLines)")
        #expect(r.problems.contains { $0.contains("2行目") && $0.contains("8列（初回登録解除日）") && $0.contains(c.number)
                && $0.contains("中間サーバーへの登録日（令和8年11月26日）より前") }, "\(r.problems)")
        #expect(env.journalBytes() == journal)
        #expect(env.store.book[c.number]?.status == .registered)
        // Asked to skip bad rows: the file is recorded, the impossible row listed and not applied.
        let skipped = try env.store.importStatus(url, office: env.office, allowBadRows: true, operatorID: "yamada", now: batchJST(2027, 1, 10))
        #expect(skipped.outcome == .applied && skipped.changes.isEmpty, "\(skipped.summaryLines)")
        #expect(env.store.book[c.number]?.status == .registered)
    }

    @Test("A status file's 初回登録解除日 before its own 初回登録日 is a bad row (the column named)")
    func statusCancelledBeforeItsRegistration() throws {
        let env = try batchEnv()
        let url = try env.inbox("status.csv", batchStatusFile([
            batchStatusRow(server: "1000000000000001", state: "0", registeredOn: "20260601", cancelledOn: "20250131", kind: "1"),
        ]))
        let r = try env.store.importStatus(url, office: env.office, allowBadRows: false, operatorID: "yamada", now: batchJST(2026, 12, 10))
        #expect(r.outcome == .refused)
        #expect(r.problems.contains { $0.contains("8列（初回登録解除日）") && $0.contains("初回登録日（令和8年6月1日）より前") }, "\(r.problems)")
    }

    @Test("A corrected 申請日 after the day the application was received (受付日) is refused, naming both")
    func correctedApplicationAfterReception() throws {
        let env = try batchEnv()
        let c = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"), at: batchJST(2026, 11, 24))
        let form = try FormLoader.load(from: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("screens/intake.toml"))
        var request = CorrectionRequest.start(c, form: form)
        try Correction.set(IntakeFieldID.applicationDate, "令和8年11月28日", in: &request.values, form: form)
        request.reason = "申請書の日付の写し間違い"
        let journal = env.journalBytes()
        let refused = Self.message {
            _ = try env.store.correct(request, form: form, context: ValidationContext(today: batchDate(2026, 11, 30), defaultEra: .reiwa),
                                      operatorID: "yamada", now: batchJST(2026, 11, 30))
        }
        #expect(refused?.contains("申請日") == true && refused?.contains("受付日（令和8年11月24日）より後") == true, "\(refused ?? "corrected")")
        #expect(env.journalBytes() == journal)
    }

    @Test("Paper tickets for 2099 (or any month after next) are refused, naming the month field; the journal is untouched")
    func ticketMonthFarAhead() throws {
        let env = try batchEnv()
        let c = try batchReceive(env, batchApplication(recipient: batchRecipient("100001"), server: "1000000000000001"), at: batchJST(2026, 11, 24))
        let context = ValidationContext(today: batchDate(2026, 11, 24), defaultEra: .reiwa)
        for month in ["2099-01", "令和9年1月"] {
            let (ticket, problems) = LaterTickets.check(TicketDraft(kind: "medical", institution: "あおば眼科", month: month), on: c, context: context)
            #expect(ticket == nil, "\(month) accepted")
            #expect(problems.contains { $0.label.hasSuffix("の月") && $0.message.contains("来月（令和8年12月）より先") }, "\(month): \(problems)")
        }
        let (next, ok) = LaterTickets.check(TicketDraft(kind: "medical", institution: "あおば眼科", month: "令和8年12月"), on: c, context: context)
        #expect(next != nil && ok.isEmpty, "next month is fine: \(ok)")
    }

    @Test("The training clock cannot be walked to 2099, 400 days at a time")
    func trainingClockToFarFuture() throws {
        let play = try TrainingPlay()
        var refused: String?
        var day = play.today
        for _ in 0..<200 {
            let next = day.addingDays(400)
            do { try play.sandbox.moveClock(to: next, book: play.book, operatorID: "yamada") } catch {
                refused = "\(error)"
                break
            }
            day = next
        }
        #expect(day < LocalDate(year: 2099, month: 1, day: 1)!, "walked to \(Wareki.format(day))")
        #expect(refused?.contains("研修の日付") == true, "\(refused ?? "never refused")")
    }
}
