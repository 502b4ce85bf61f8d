import ArgumentParser
import Foundation
import MadoguchiCore
import MadoguchiUI

/// `madoguchi training …`: the trainer's and trainee's commands (issue 5). The same things are on the
/// desk's 研修 screen (F11 / ^E).
struct TrainingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training",
        abstract: "研修モード：シナリオ、研修の日付、研修用の中間サーバー、採点、作業場所の初期化。",
        discussion: """
        研修用の事務所（同梱のデモ事務所など、mode = "training"）だけで使えます。研修生ごとに --sandbox NAME で
        別の作業場所を使えます。研修の日付を進めると、研修用の中間サーバーが登録結果ファイル・月次の状況一覧ファイル・
        お知らせを作業場所の受信フォルダ（inbox/）に届けます。
        """,
        subcommands: [Status.self, Scenarios.self, Show.self, Clock.self, Check.self, Reset.self],
        defaultSubcommand: Status.self
    )

    /// Opens the training office (refusing a real one) with its journal, and lets the simulated
    /// server deliver what is due.
    static func open(_ options: BatchOptions) throws -> (OpenedOffice, TrainingContext, CaseStore, Operator) {
        let (session, training) = try openSession(options)
        return (session.opened, training, session.store, session.op)
    }

    static func openSession(_ options: BatchOptions) throws -> (OfficeSession, TrainingContext) {
        let session = try options.open()
        guard let training = session.opened.training else {
            throw StartupError("研修の命令は研修用の事務所（mode = \"training\"）でだけ使えます。--training を付けるか、研修用の設定を指定してください。")
        }
        try training.deliver(session.store)
        return (session, training)
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "研修の今日、受信フォルダ、来所した人とその後の出来事を示します。")
        @OptionGroup var batch: BatchOptions

        struct Output: Encodable {
            let sandbox: String
            let today: String
            let inbox: [String]
            let problems: [String]
            let scenarios: [Line]
            struct Line: Encodable {
                let id: String
                let title: String
                let arrives: String
                let caseNumber: String?
                let status: String?
                let happenings: [String]
            }
        }

        func run() throws {
            let (opened, training, store, _) = try TrainingCommand.open(batch)
            let today = try opened.today()
            let inbox = ((try? FileManager.default.contentsOfDirectory(atPath: training.sandbox.inbox.path)) ?? []).sorted()
            let timeline = training.server.timeline(store.book)
            let lines = training.book.scenarios.filter { $0.arrives <= today }.map { s -> Output.Line in
                let c = training.book.caseFor(s, in: store.book)
                return Output.Line(id: s.id, title: s.title, arrives: s.arrives.iso, caseNumber: c?.number, status: c?.status.label,
                                   happenings: training.server.happenings(of: s, in: store.book, today: today, timeline: timeline).map(\.text))
            }
            let out = Output(sandbox: training.sandbox.name, today: today.iso, inbox: inbox, problems: timeline.problems, scenarios: lines)
            try batch.emit(out) {
                var t = ["【研修モード】\(training.book.title)", "作業場所：\(training.sandbox.name)（\(training.sandbox.directory.path)）",
                         "研修の今日：\(Wareki.format(today))", "",
                         "受信フォルダ（\(training.sandbox.inbox.path)）：" + (inbox.isEmpty ? "まだ何も届いていません" : "")]
                t += inbox.map { "  \($0)" }
                t += timeline.problems.map { "  ✗ \($0)" }
                t.append("")
                t.append(lines.isEmpty ? "来所した人はまだいません" : "来所した人：")
                for l in lines {
                    t.append("  [\(l.id)] \(l.title)（来所 \(Wareki.format(LocalDate(iso: l.arrives)!))）　\(l.caseNumber.map { "案件 \($0)・\(l.status ?? "")" } ?? "未受付")")
                    t += l.happenings.map { "      ▶ \($0)" }
                }
                let coming = training.book.scenarios.filter { $0.arrives > today }
                if let next = coming.first {
                    t.append("")
                    t.append("次の来所：\(Wareki.format(next.arrives)) [\(next.id)] \(next.title)（ほか \(coming.count - 1)人）")
                }
                return t
            }
        }
    }

    struct Scenarios: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "シナリオ集の一覧。")
        @OptionGroup var batch: BatchOptions

        func run() throws {
            let (_, training, _, _) = try TrainingCommand.open(batch)
            struct Line: Encodable { let id, title, arrives: String; let rules: [String]; let expect: [String] }
            let lines = training.book.scenarios.map {
                Line(id: $0.id, title: $0.title, arrives: $0.arrives.iso, rules: $0.rules, expect: $0.expectations.map(\.rawValue))
            }
            try batch.emit(lines) {
                ["【研修モード】\(training.book.title)（\(lines.count)件）"]
                    + training.book.scenarios.map { "  [\($0.id)] \(Wareki.format($0.arrives)) \($0.title)　\($0.rules.joined(separator: " "))" }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "シナリオの状況（申請者が話すこと・持ってくるもの）と、その後の出来事を示します。")
        @OptionGroup var batch: BatchOptions
        @Argument(help: ArgumentHelp("シナリオの番号（例 01）。", valueName: "ID"))
        var id: String

        func run() throws {
            let (opened, training, store, _) = try TrainingCommand.open(batch)
            guard let s = training.book.scenario(id) ?? training.book.scenario(String(repeating: "0", count: max(0, 2 - id.count)) + id) else {
                throw TrainingError("シナリオ \(id) はありません（\(training.book.scenarios.map(\.id).joined(separator: ", "))）")
            }
            let today = try opened.today()
            let happenings = training.server.happenings(of: s, in: store.book, today: today)
            struct Out: Encodable { let id, title, arrives, situation: String; let happenings: [String] }
            try batch.emit(Out(id: s.id, title: s.title, arrives: s.arrives.iso, situation: s.situation, happenings: happenings.map(\.text))) {
                ["【研修モード】[\(s.id)] \(s.title)", "来所：\(Wareki.format(s.arrives))　練習する規則：\(s.rules.joined(separator: " "))", ""]
                    + s.situation.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    + (happenings.isEmpty ? [] : ["", "その後の出来事："] + happenings.map { "  ▶ \($0.text)" })
            }
        }
    }

    struct Clock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "研修の日付を進めます（戻せません）。進めた日までに届くファイルを研修用の中間サーバーが受信フォルダに置きます。")
        @OptionGroup var batch: BatchOptions

        @Option(name: .long, help: ArgumentHelp("この日まで進めます（和暦 R9.1.4 や 2027-01-04）。", valueName: "DATE"))
        var to: String?
        @Option(name: .long, help: ArgumentHelp("N日進めます。", valueName: "N"))
        var days: Int?
        @Flag(name: .long, help: "今月の末日まで進めます（月末の処理が行われます）。")
        var monthEnd = false
        @Flag(name: .long, help: "翌月1日まで進めます（月次の状況一覧ファイルが届きます）。")
        var nextMonth = false

        func validate() throws {
            let n = [to != nil, days != nil, monthEnd, nextMonth].filter { $0 }.count
            // Nothing asked, nothing moved (issue 11: it used to say 「研修の今日を…にしました」).
            guard n == 1 else {
                throw ValidationError((n == 0 ? "研修の日付をどこまで進めるか指定してください。" : "")
                    + "--to、--days、--month-end、--next-month のどれか一つを指定してください：\n"
                    + "  --to DATE      この日まで進めます（R9.1.4 や 2027-01-04）\n"
                    + "  --days N       N日進めます\n"
                    + "  --month-end    今月の末日まで進めます\n"
                    + "  --next-month   翌月1日まで進めます")
            }
            if let days, days < 0 { throw ValidationError("--days: 日付は戻せません（0 以上にしてください）") }
        }

        func run() throws {
            let (session, training) = try TrainingCommand.openSession(batch)
            let (opened, store, op) = (session.opened, session.store, session.op)
            let today = try opened.today()
            var target = today
            if let to { target = try parseDateOption(to, name: "to", default: today) }
            if let days { target = today.addingDays(days) }
            if monthEnd { target = today.yearMonth.lastDay }
            if nextMonth { target = today.yearMonth.adding(months: 1).firstDay }
            let moved = try training.sandbox.moveClock(to: target, book: training.book, operatorID: op.id)
            let arrived = try training.deliver(store)
            struct Out: Encodable { let today: String; let delivered: [String] }
            try batch.emit(Out(today: moved.iso, delivered: arrived.map(\.lastPathComponent))) {
                ["【研修モード】研修の今日を \(Wareki.format(moved)) にしました。"]
                    + (arrived.isEmpty ? ["新しく届いたファイルはありません。"]
                                       : ["研修用の中間サーバーから受信フォルダに届きました："] + arrived.map { "  \($0.path)" })
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "採点：シナリオごとに、できたこと（○）、できていないこと（×、規則つき）、まだのこと（…）を示します。")
        @OptionGroup var batch: BatchOptions

        @Flag(name: .long, help: "研修生全員の作業場所を採点し、一覧にします（講師用）。")
        var all = false

        func run() throws {
            let (session, training) = try TrainingCommand.openSession(batch)
            let (opened, store, op) = (session.opened, session.store, session.op)
            guard all else {
                let report = TrainingGrader.grade(store.book, server: training.server, today: try opened.today(),
                                                  sandbox: training.sandbox.name)
                try recordAccess(AccessEvent(.listed, via: "training check", cases: store.book.all.map(\.number), wholeList: true),
                                 session: session, now: try opened.now())
                try batch.emit(report) { report.lines }
                return
            }
            // The trainer's view: every sandbox of the office, one line each, then the details.
            var reports: [TrainingReport] = []
            for name in TrainingSandbox.all(officeData: training.officeData) {
                let box = try TrainingSandbox(office: training.officeData, name: name == TrainingSandbox.defaultName ? nil : name)
                let other = CaseStore(journalURL: box.journalURL)
                other.journal.unsignedEraRoles = opened.config.rolesByID
                try other.load()
                // That sandbox's own key for the trainer's operator id signs the line (issue 12, item 8).
                let boxConfig = opened.config.withDataDirectory(box.directory)
                let boxSession = OfficeSession(opened: OpenedOffice(config: boxConfig, layout: opened.layout, training: opened.training),
                                               store: other, op: op,
                                               proven: try OfficeTrust.prove(op, config: boxConfig) { nil })
                try OfficeTrust.admit(boxSession.proven, store: other, config: boxConfig, now: try box.clock(book: training.book).now())
                // The trainer's read is in each trainee's own access log (R-SG-4), at that sandbox's clock.
                try recordAccess(AccessEvent(.listed, via: "training check --all", cases: other.book.all.map(\.number), wholeList: true),
                                 session: boxSession, now: try box.clock(book: training.book).now())
                let server = TrainingServer(scenarios: training.book, office: opened.config.withDataDirectory(box.directory))
                reports.append(TrainingGrader.grade(other.book, server: server, today: try box.clock(book: training.book).today(),
                                                    sandbox: box.name))
            }
            try batch.emit(reports) {
                ["【研修モード】研修生ごとの採点（\(reports.count)人）"]
                    + reports.map { "  \($0.sandbox)：\($0.asOf) 現在　○ \($0.right)　× \($0.missed)　… \($0.notYet)" }
                    + reports.flatMap { [""] + $0.lines }
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "作業場所を初期化します（記録・日付・受信フォルダ・出力を resets/ に移し、最初の日からやり直します）。")
        @OptionGroup var batch: BatchOptions
        @Flag(name: .long, help: "確認のため必要です。")
        var yes = false

        func run() throws {
            let opened = try batch.office.open()
            guard let training = opened.training else {
                throw StartupError("初期化は研修用の事務所でだけできます。本番の記録は初期化できません。")
            }
            guard yes else {
                throw TrainingError("作業場所「\(training.sandbox.name)」（\(training.sandbox.directory.path)）を初期化します。よければ --yes を付けてもう一度実行してください")
            }
            let moved = try training.sandbox.reset(officeData: training.officeData)
            print(moved.map { "【研修モード】作業場所「\(training.sandbox.name)」を初期化しました。それまでの記録は \($0.path) に移しました。" }
                  ?? "【研修モード】作業場所「\(training.sandbox.name)」は空です。")
        }
    }
}
