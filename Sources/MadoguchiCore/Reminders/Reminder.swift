import Foundation
import TOMLKit

/// 要対応: one thing the clerk has to do, said plainly, citing the rule (issue 4 part 1).
///
/// Reminders are a pure query over the case book (`Reminders.due`); the only thing written is the
/// clerk's "done" mark (`reminder.done`, see `ReminderDone`), which hides that one occurrence.
public struct Reminder: Hashable, Sendable, Encodable {
    public enum Kind: String, Hashable, Sendable, Encodable, CaseIterable {
        /// R-PT-1: holds valid tickets but no paper tickets were recorded at intake.
        case paperTicketsAtIntake = "paper_tickets_intake"
        /// R-PT-2: paper tickets for the month, per institution (recorded at intake or later), while
        /// cancelled or pending cancellation, also after a cancel #5 (R-PT-4); number 0 when no
        /// institution is recorded yet but the card can no longer be used (R-PT-2 amended 2026-11-30).
        case paperTicketsMonthly = "paper_tickets_monthly"
        /// R-DT-1, R-RG-7: assistance-only cases waiting to be put in a bulk registration file.
        case registrationToSend = "registration_to_send"
        /// R-RG-2: the 16-digit 被保険者枝番 is missing, so the case cannot be exported.
        case serverNumberMissing = "server_number_missing"
        /// R-RG-4: a bulk file was exported N days ago and its result file is not imported yet.
        case resultsToImport = "results_to_import"
        /// R-RG-5: 異常終了; fix the cause and register again.
        case registrationFailed = "registration_failed"
        /// R-CF-1: the expected cancellation date passed and the case is not confirmed.
        case confirmationLate = "confirmation_late"
        /// R-HC-2: a hold whose re-check date has come; persistent holds flagged.
        case holdRecheck = "hold_recheck"
        /// R-BR-4: insured, told to apply to the insurer too; check that they did.
        case insurerNotApplied = "insurer_not_applied"
        /// R-RL-2: the last monthly status file shows the electronic certificate expired or expiring
        /// within two months: the person needs paper tickets.
        case certificateExpiry = "certificate_expiry"
        /// R-SG-2: a bulk registration batch waits for a supervisor's approval (shown to supervisors
        /// who did not prepare it; gone once it is decided).
        case batchAwaitingApproval = "batch_awaiting_approval"
        /// R-SG-2: a supervisor returned the batch this operator prepared, with a comment (gone once a
        /// new batch is prepared).
        case batchReturned = "batch_returned"
        /// R-CF-4: an insured (保険者の登録待ち) or transferred-in (転入) case still not confirmed by
        /// the monthly status files N months after it was received; every N months while unconfirmed.
        case insuredFollowUp = "insured_followup"

        /// Heading of the group on the screen and in the CLI.
        public var heading: String {
            switch self {
            case .paperTicketsAtIntake: return "紙の医療券・調剤券（受付時）"
            case .paperTicketsMonthly: return "紙の医療券・調剤券（毎月）"
            case .registrationToSend: return "中間サーバーへの登録待ち"
            case .serverNumberMissing: return "被保険者枝番の未入力"
            case .resultsToImport: return "登録結果ファイルの取り込み待ち"
            case .registrationFailed: return "登録エラー"
            case .confirmationLate: return "解除の確認の遅れ"
            case .holdRecheck: return "保留の再確認"
            case .insurerNotApplied: return "保険者への申請の確認"
            case .certificateExpiry: return "電子証明書の期限（紙の券が必要）"
            case .batchAwaitingApproval: return "一括登録の承認待ち"
            case .batchReturned: return "一括登録の差し戻し"
            case .insuredFollowUp: return "保険者の登録・転入の確認（未定のまま）"
            }
        }

        public var rule: String {
            switch self {
            case .paperTicketsAtIntake: return "R-PT-1"
            case .paperTicketsMonthly: return "R-PT-2"
            case .registrationToSend: return "R-DT-1"
            case .serverNumberMissing: return "R-RG-2"
            case .resultsToImport: return "R-RG-4"
            case .registrationFailed: return "R-RG-5"
            case .confirmationLate: return "R-CF-1"
            case .holdRecheck: return "R-HC-2"
            case .insurerNotApplied: return "R-BR-4"
            case .certificateExpiry: return "R-RL-2"
            case .batchAwaitingApproval, .batchReturned: return "R-SG-2"
            case .insuredFollowUp: return "R-CF-4"
            }
        }

        /// Lower is more urgent: a person who cannot be treated without paying comes first.
        public var urgency: Int {
            switch self {
            case .registrationFailed: return 0
            case .paperTicketsAtIntake: return 1
            case .paperTicketsMonthly: return 2
            case .holdRecheck: return 3
            case .confirmationLate: return 4
            case .resultsToImport: return 5
            case .serverNumberMissing: return 6
            case .registrationToSend: return 7
            case .insurerNotApplied, .insuredFollowUp: return 8
            case .certificateExpiry: return 3
            case .batchReturned: return 4
            case .batchAwaitingApproval: return 5
            }
        }
    }

    /// The fields, in one shared box: today's reminders (50,000 at 25,000 cases) are handed to the
    /// desk whole after every change, and a copy is then one retain instead of one per text (issue 14, P2).
    private final class Fields: Sendable {
        let id: String
        let kind: Kind
        let caseNumber: String?
        let name: String?
        let message: String
        let rule: String
        let due: LocalDate?

        init(id: String, kind: Kind, caseNumber: String?, name: String?, message: String, rule: String, due: LocalDate?) {
            self.id = id
            self.kind = kind
            self.caseNumber = caseNumber
            self.name = name
            self.message = message
            self.rule = rule
            self.due = due
        }
    }

    private let fields: Fields

    /// Stable for one occurrence: `kind:case[:period]` (period = month and institution, file, date or
    /// journal line), so "done" sticks to this occurrence only; next month's R-PT-2 is a new id.
    public var id: String { fields.id }
    public var kind: Kind { fields.kind }
    /// The case, or nil for an office-level reminder (a bulk file's results).
    public var caseNumber: String? { fields.caseNumber }
    public var name: String? { fields.name }
    /// Japanese: what to do, ending with the rule (「… — R-PT-2」).
    public var message: String { fields.message }
    public var rule: String { fields.rule }
    /// By when (or since when) it is due; nil when it is simply due now.
    public var due: LocalDate? { fields.due }

    /// `rule` when the occurrence follows another rule than its kind's (a 登録エラー that must not be
    /// sent again: R-RG-6, not R-RG-5).
    public init(id: String, kind: Kind, caseNumber: String?, name: String?, message: String, due: LocalDate?, rule: String? = nil) {
        fields = Fields(id: id, kind: kind, caseNumber: caseNumber, name: name, message: message, rule: rule ?? kind.rule, due: due)
    }

    enum CodingKeys: String, CodingKey { case id, kind, caseNumber, name, message, rule, due }

    /// The same JSON as the fields had when they were stored properties (`--json`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(caseNumber, forKey: .caseNumber)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encode(message, forKey: .message)
        try c.encode(rule, forKey: .rule)
        try c.encodeIfPresent(due, forKey: .due)
    }

    public static func == (a: Reminder, b: Reminder) -> Bool {
        a.fields === b.fields || (a.id == b.id && a.kind == b.kind && a.caseNumber == b.caseNumber && a.name == b.name
            && a.message == b.message && a.rule == b.rule && a.due == b.due)
    }

    public func hash(into h: inout Hasher) {
        h.combine(id); h.combine(kind); h.combine(caseNumber); h.combine(name); h.combine(message); h.combine(rule); h.combine(due)
    }
}

/// `[reminders]` in the office config.
public struct ReminderSettings: Sendable, Hashable {
    /// Days after a bulk file's export before its missing result file becomes a reminder (R-RG-4).
    public var resultsAfterDays = 7
    /// Months after receipt before an unconfirmed insured or transferred-in case is followed up (R-CF-4).
    public var insuredFollowupMonths = 2

    public init(resultsAfterDays: Int = 7, insuredFollowupMonths: Int = 2) {
        self.resultsAfterDays = resultsAfterDays
        self.insuredFollowupMonths = insuredFollowupMonths
    }

    public static let `default` = ReminderSettings()

    /// Reads `[reminders]` (`results_after_days = 7`, 1–365; `insured_followup_months = 2`, 1–24). Errors name the file and the line.
    public static func parse(_ table: TOMLTable?, text: String, fileLabel: String) throws -> ReminderSettings {
        var s = ReminderSettings()
        guard let table else { return s }
        func fail(_ key: String, _ message: String) -> ConfigError {
            let line = SourceLines.line(ofKey: key, inTable: "reminders", in: text)
                ?? SourceLines.line(ofHeader: "[reminders]", occurrence: 0, in: text)
            return ConfigError(file: fileLabel, line: line, message: "[reminders] \(message)")
        }
        let known = ["results_after_days", "insured_followup_months"]
        for key in table.keys.sorted() where !known.contains(key) {
            throw fail(key, "\(key) は使えない設定です（使えるのは \(known.joined(separator: ", "))）")
        }
        if let v = table["results_after_days"] {
            guard let n = v.int, (1...365).contains(n) else {
                throw fail("results_after_days", "results_after_days は 1〜365 の整数（日数）で書いてください（\(v.debugDescription) は使えません）")
            }
            s.resultsAfterDays = n
        }
        if let v = table["insured_followup_months"] {
            guard let n = v.int, (1...24).contains(n) else {
                throw fail("insured_followup_months", "insured_followup_months は 1〜24 の整数（月数）で書いてください（\(v.debugDescription) は使えません）")
            }
            s.insuredFollowupMonths = n
        }
        return s
    }

    /// Reads `[reminders]` from an office config file (the same file `OfficeConfig.load` read).
    public static func load(configFile url: URL) throws -> ReminderSettings {
        let label = url.path
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: label, message: "読み込めないか、UTF-8 ではありません")
        }
        let table = try SafeTOML.parse(text, fileLabel: label)   // toml++ asserts on some input (issue 6)
        return try parse(table["reminders"]?.table, text: text, fileLabel: label)
    }
}

/// A reminder could not be marked done.
public enum ReminderError: Error, CustomStringConvertible, Equatable {
    case unknown(String)
    case alreadyDone(id: String, time: String, operatorID: String)

    public var description: String {
        switch self {
        case .unknown(let id):
            return "要対応 \(id) は今の要対応の中にありません（番号を確かめてください。もう済んだ事柄は消えています）"
        case .alreadyDone(let id, let time, let op):
            return "要対応 \(id) は \(time) に \(op) が済みにしています"
        }
    }
}
