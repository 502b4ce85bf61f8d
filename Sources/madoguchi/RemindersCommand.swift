import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi reminders`: 要対応 — what the clerk must do today (issue 4 part 1), and marking one done.
struct RemindersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reminders",
        abstract: "要対応の一覧：紙の医療券（R-PT-1, R-PT-2）、登録待ち・登録エラー・結果待ち（R-RG）、解除の確認の遅れ（R-CF-1）、保留（R-HC-2）、保険者への申請（R-BR-4）、保険者の登録・転入の確認（R-CF-4）。",
        discussion: "madoguchi reminders [--month YYYY-MM] [--json] で一覧を、madoguchi reminders done ID [--note TEXT] で一件を済みにします（記録に残ります）。",
        subcommands: [List.self, Done.self],
        defaultSubcommand: List.self)

    /// The list of one day, as `--json` writes it.
    struct Output: Encodable {
        let asOf: String
        let month: String
        let count: Int
        let reminders: [Reminder]
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "今日の要対応を示します（既定）。")

        @OptionGroup var batch: BatchOptions

        @Option(name: .long, help: ArgumentHelp("紙の医療券の月（YYYY-MM、R-PT-2）。省略時は今月。", valueName: "MONTH"))
        var month: String?

        @Option(name: .long, help: ArgumentHelp("この日の時点で示します（研修・確認用。省略時は今日）。", valueName: "DATE"))
        var date: String?

        func run() throws {
            var ticketMonth: YearMonth?
            if let month {
                guard let m = YearMonth(iso: month) else { throw badOptionValue("--month", month, "YYYY-MM の形で書いてください（例 2026-12）") }
                ticketMonth = m
            }
            let session = try batch.open()
            let (config, store, op) = (session.config, session.store, session.op)
            // The office's today (the sandbox's simulated day in training), not the machine's.
            let today = try parseDateOption(date, name: "date", default: try session.today())
            let settings = try RemindersCommand.settings(config)
            let m = ticketMonth ?? today.yearMonth
            // The operator's own sign-off reminders too (R-SG-2, issue 11 item 7).
            let list = Reminders.due(in: store.book, today: today, month: m, settings: settings, for: op,
                                     operatorNames: config.operatorNames)
            let out = Output(asOf: today.iso, month: m.iso, count: list.count, reminders: list)
            try recordAccess(AccessEvent(batch.json ? .exported : .listed, via: batch.json ? "reminders --json" : "reminders",
                                         cases: Array(Set(list.compactMap(\.caseNumber))).sorted(), filter: "要対応 \(m.iso)分"),
                             session: session, now: try session.now())
            try batch.emit(out) { RemindersCommand.text(list, today: today, month: m) }
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "done", abstract: "要対応を一件、済みにします（記録に残ります）。")

        @OptionGroup var batch: BatchOptions

        @Argument(help: ArgumentHelp("要対応の ID（一覧の [ ] の中）。", valueName: "ID"))
        var id: String

        @Option(name: .long, help: ArgumentHelp("したこと（例 12月分を交付した）。", valueName: "TEXT"))
        var note: String = ""

        func run() throws {
            let session = try batch.open()
            let (config, store, op) = (session.config, session.store, session.op)
            let settings = try RemindersCommand.settings(config)
            let r: Reminder
            if [Reminder.Kind.batchAwaitingApproval, .batchReturned].contains(where: { id.hasPrefix($0.rawValue + ":") }) {
                throw StepRefused("一括登録の要対応は済みにできません。承認・差し戻し（approve-batch）か、準備し直し（prepare-batch）で消えます（R-SG-2）")
            }
            r = try store.markReminderDone(id, note: note.trimmingCharacters(in: .whitespaces), operatorID: op.id, now: try session.now(), settings: settings)
            try batch.emit(r) { ["済みにしました：[\(r.id)] \(r.caseNumber.map { "\($0) " } ?? "")\(r.message)"] }
        }
    }

    /// `[reminders]` of the office's config file.
    static func settings(_ config: OfficeConfig) throws -> ReminderSettings {
        do {
            return try ReminderSettings.load(configFile: config.source)
        } catch let e as ConfigError {
            throw StartupError("設定の誤り：\(e.description)")
        }
    }

    /// One line each, grouped by kind under a Japanese heading.
    static func text(_ list: [Reminder], today: LocalDate, month: YearMonth) -> [String] {
        guard !list.isEmpty else { return ["要対応はありません（\(Wareki.format(today)) 現在）"] }
        var lines = ["要対応 \(list.count)件（\(Wareki.format(today)) 現在。紙の医療券は\(Wareki.format(month))分）"]
        for kind in Reminder.Kind.allCases.sorted(by: { $0.urgency < $1.urgency }) {
            let group = list.filter { $0.kind == kind }
            guard !group.isEmpty else { continue }
            lines.append("■ \(kind.heading)（\(kind.rule)）\(group.count)件")
            for r in group {
                let who = r.caseNumber.map { "\($0) \(r.name ?? "")：" } ?? ""
                lines.append("  [\(r.id)] \(who)\(r.message)")
            }
        }
        return lines
    }
}
