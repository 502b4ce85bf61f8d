import Foundation
@testable import MadoguchiCore
import MadoguchiFuzzTargets
import Testing

/// Issue 6, item 3 — the fuzz targets inside `swift test` (no sanitizer build needed):
/// - every checked-in seed of `FuzzCorpus/<target>/` runs through its target;
/// - every input libFuzzer ever crashed on is kept in `FuzzCorpus/crashes/<target>-<what>` and runs
///   through its target (the fix's regression test; a crash here kills the test run);
/// - a bounded, seeded, coverage-blind mutation loop per target (300 inputs; `MADOGUCHI_LONG=1`:
///   20,000; `MADOGUCHI_FUZZ_ITERATIONS=N` any). A crash prints nothing after the seed line, so the
///   seed is printed first: rerun with `MADOGUCHI_FUZZ_SEED=<seed>`.
/// The coverage-guided runs are `.ci/fuzz.sh` (libFuzzer + AddressSanitizer).
@Suite("Fuzz corpus replay and mutation (issue 6)", .tags(.fuzz))
struct FuzzReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    static func files(in dir: URL) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? [])
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.path < $1.path }
    }

    static func seeds(_ target: FuzzTarget) -> [[UInt8]] {
        files(in: corpus.appendingPathComponent(target.rawValue)).compactMap { try? Data(contentsOf: $0) }.map { [UInt8]($0) }
    }

    static var iterations: Int {
        let env = ProcessInfo.processInfo.environment
        if let n = env["MADOGUCHI_FUZZ_ITERATIONS"].flatMap(Int.init) { return n }
        return env["MADOGUCHI_LONG"] == "1" ? 20_000 : 300
    }

    @Test("Every checked-in seed runs through its target", arguments: FuzzTarget.allCases)
    func seedCorpus(_ target: FuzzTarget) {
        let seeds = Self.seeds(target)
        #expect(seeds.count >= 2, "FuzzCorpus/\(target.rawValue) should hold a few seeds")
        for s in seeds { target.run(s) }
    }

    @Test("Every input a fuzzer crashed on runs through its target without crashing (regressions)")
    func crashRegressions() throws {
        let files = Self.files(in: Self.corpus.appendingPathComponent("crashes"))
        for f in files {
            let name = f.lastPathComponent
            let target = try #require(FuzzTarget.allCases.first { name.hasPrefix($0.rawValue + "-") },
                                      "crash file \(name) must start with its target's name")
            target.run([UInt8](try Data(contentsOf: f)))
        }
    }

    @Test("A seeded mutation loop from the corpus does not crash", arguments: FuzzTarget.allCases)
    func mutationLoop(_ target: FuzzTarget) {
        let seed = ProcessInfo.processInfo.environment["MADOGUCHI_FUZZ_SEED"].flatMap(UInt64.init)
            ?? UInt64(FuzzTarget.allCases.firstIndex(of: target)! + 1) * 7919
        print("fuzz \(target.rawValue): \(Self.iterations) mutated inputs, seed \(seed) (replay: MADOGUCHI_FUZZ_SEED=\(seed))")
        let n = Mutator.run(target, seeds: Self.seeds(target), iterations: Self.iterations, seed: seed)
        #expect(n == Self.iterations)
    }
}

/// Writes the seeds that are made with the real API (a journal with every kind of event, the intake
/// lines in the order of the shipped form). Off by default: `MADOGUCHI_WRITE_FUZZ_SEEDS=1 swift test
/// --filter FuzzSeedWriter` regenerates them; the files are checked in.
@Suite("Fuzz seed writer", .tags(.fuzz))
struct FuzzSeedWriter {
    @Test("Regenerate the journal and intake seeds", .enabled(if: ProcessInfo.processInfo.environment["MADOGUCHI_WRITE_FUZZ_SEEDS"] == "1"))
    func write() throws {
        let corpus = FuzzReplayTests.corpus
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-seeds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let env = try RobustEnv(root: tmp)
        let a = try env.receive(RobustEnv.application(server: "1000000000000001", recipient: "100001"), tickets: true)
        _ = try env.receive(RobustEnv.application(server: "2000000000000002", recipient: "100002", branch: .insured), tickets: false)
        try env.store.record(.exported(file: "FI_HIM_0018_D1300019_20261124.csv"), on: a.number, operatorID: "yamada", now: env.now)
        try env.store.record(.registrationAccepted(registeredOn: LocalDate(year: 2026, month: 11, day: 25)!, file: nil), on: a.number,
                             operatorID: "yamada", now: env.now)
        // Recorded on the notice's day: a notice dated after the office's today is refused (issue 11).
        try env.store.record(.held(reason: .misEntrySuspected, noticeDate: LocalDate(year: 2026, month: 11, day: 26)!), on: a.number,
                             operatorID: "yamada", now: env.now + 2 * 86_400)
        // 訂正 (R-AM-1): the 氏名 and the ticket issued at intake.
        let intakeForm = try FormLoader.load(from: RobustEnv.repoRoot.appendingPathComponent("screens/intake.toml"))
        var fix = CorrectionRequest.start(env.store.book[a.number]!, form: intakeForm)
        try Correction.set("name", "山田 大郎", in: &fix.values, form: intakeForm)
        try Correction.set("tickets", "医療券,デモ内科医院,R8.12", in: &fix.values, form: intakeForm)
        fix.reason = "申請書の写し間違い"
        try env.store.correct(fix, form: intakeForm, context: ValidationContext(today: LocalDate(year: 2026, month: 11, day: 24)!, defaultEra: .reiwa),
                              operatorID: "yamada", now: env.now)
        // Paper tickets recorded after intake (R-PT-2): a `tickets.issued` line with occasion monthly.
        try env.store.issueTickets(PaperTicket(kind: .dispensing, institution: "デモ薬局", month: YearMonth(year: 2027, month: 1)!), on: a.number,
                                   operatorID: "yamada", now: env.now)
        let journal = try Data(contentsOf: env.office.journalURL)
        try journal.write(to: corpus.appendingPathComponent("journal/lifecycle.jsonl"))
        let lines = journal.split(separator: 0x0A)
        try Data(lines[0] + [0x0A]).write(to: corpus.appendingPathComponent("journal/one-line.jsonl"))

        let form = try FormLoader.load(from: RobustEnv.repoRoot.appendingPathComponent("screens/intake.toml"))
        let good = RobustEnv.goodIntake
        var text = form.fields.map { good[$0.id] ?? "" }.joined(separator: "\n")
        text += "\nmedical\tデモ内科クリニック\t令和8年12月\ndispensing\tデモ薬局\tR8.12"
        try Data(text.utf8).write(to: corpus.appendingPathComponent("intake/assistance-only.txt"))
        var insured = good
        insured["branch"] = "insured"; insured["insurer_name"] = "全国健康保険協会"; insured["insurer_number"] = "06130017"
        insured["applied_to_insurer"] = "applied"; insured["insurance_verified_by"] = "health_insurance_card"; insured["explained_g"] = "1"
        insured["has_proxy"] = "proxy"; insured["proxy_name"] = "ﾔﾏﾀﾞ ﾊﾅｺ"; insured["proxy_phone"] = "０９０－１１１１－２２２２"; insured["proxy_relationship"] = "長女"
        try Data(form.fields.map { insured[$0.id] ?? "" }.joined(separator: "\n").utf8)
            .write(to: corpus.appendingPathComponent("intake/insured-proxy.txt"))
    }
}

@Suite("Fuzz seeds reach deep paths", .tags(.fuzz))
struct FuzzSeedDepthTests {
    @Test("The intake seeds are complete applications and the journal seed folds into cases")
    func seedsAreValid() throws {
        let form = try FormLoader.load(from: RobustEnv.repoRoot.appendingPathComponent("screens/intake.toml"))
        let today = LocalDate(year: 2026, month: 11, day: 24)!
        for name in ["assistance-only.txt", "insured-proxy.txt"] {
            let text = try String(contentsOf: FuzzReplayTests.corpus.appendingPathComponent("intake/\(name)"), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var values = IntakeForm.initialValues(form, today: today)
            for (i, f) in form.fields.enumerated() where i < lines.count { values[f.id] = lines[i] }
            if lines.count > form.fields.count {
                values.tickets = lines.dropFirst(form.fields.count).map { row in
                    let c = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                    return TicketDraft(kind: c[0], institution: c[1], month: c[2])
                }
            }
            let check = IntakeForm.check(form, values: values, context: ValidationContext(today: today, defaultEra: .reiwa))
            #expect(check.problems.isEmpty, "\(name): \(check.problems)")
        }
        let journal = [UInt8](try Data(contentsOf: FuzzReplayTests.corpus.appendingPathComponent("journal/lifecycle.jsonl")))
        let (records, problem) = Journal.records(inBytes: journal)
        #expect(problem == nil)
        var book = CaseBook()
        for r in records { try book.apply(r) }
        #expect(book.all.count == 2)
        #expect(records.contains { $0.eventType == .applicationCorrected }, "the journal seed has a correction (R-AM-1)")
    }
}
