import Foundation

/// 研修シナリオ: one invented applicant, the situation a trainee is given in prose, what the simulated
/// 中間サーバー will do with the request, and the handling a trainer expects (issue 5).
/// Loaded from `config/training/scenarios/*.toml` by `ScenarioBook.load`.
public struct TrainingScenario: Sendable, Hashable, Identifiable {
    /// `01`, `02`, … (the file name's prefix; the order of the book).
    public let id: String
    public let title: String
    /// The rules this scenario practises, for the list (`R-PT-1`, `R-BR-4`, …).
    public let rules: [String]
    /// The day the applicant comes to the counter.
    public let arrives: LocalDate
    /// What the applicant says and brings, as the trainee reads it.
    public let situation: String
    public let person: Person
    public let fate: ServerFate
    /// Things that happen later (a phone call, a letter), shown on their day or when the case gets there.
    public let happenings: [Happening]
    /// The handling graded by `TrainingGrader`, in the order shown.
    public let expectations: [Expectation]

    /// The invented person (never a real one; no 個人番号, R-ID-4).
    public struct Person: Sendable, Hashable {
        public let name: String
        public let furigana: String
        public let birthDate: LocalDate
        /// 受給者番号: how the grader and the simulator find the trainee's case (training only;
        /// a real office never keys a person on it, R-ID-2).
        public let recipientNumber: String
        /// The person's true 被保険者枝番 on the 中間サーバー. A row with another number is refused.
        public let serverIndividualNumber: String
        /// The number the office's records give the trainee (保護台帳); differs from the true one in a
        /// scenario about a registration error (R-RG-5).
        public let documentedServerNumber: String
        /// Truth: 医療扶助単独 or 併用 (R-BR-1).
        public let branch: Branch
        /// The day the card's 初回登録 was made (the status file's 初回登録日).
        public let cardRegisteredOn: LocalDate
        /// 電子証明書有効期限 shown in the status file (R-RL-2).
        public let certificateExpiry: LocalDate
        /// Holds valid electronic 医療券・調剤券 (R-PT-1).
        public let holdsValidTickets: Bool
    }

    /// What the simulated 中間サーバー does with this person's request (R-RG-4..6, R-HC-1).
    public struct ServerFate: Sendable, Hashable {
        public enum Registration: Sendable, Hashable {
            /// 1 正常終了.
            case accepted
            /// 2 異常終了 with this message, whatever the office sends (R-RG-5).
            case rejected(message: String)
            /// 2 異常終了: a cancellation request is already registered (by the insurer), R-RG-6; the
            /// cancellation is carried out from that earlier registration.
            case alreadyRegistered(on: LocalDate)
        }

        /// At each month-end run after the registration (R-DT-1, R-HC-1, R-HC-2).
        public enum MonthEnd: Sendable, Hashable {
            case carriedOut
            case held(NoticeReason)
            case cancelled
        }

        /// Insured people: when the insurer registers the request (R-BR-3, R-BR-4, R-DT-3).
        public enum Insurer: Sendable, Hashable {
            /// The person already applied to the insurer; it registers on this day.
            case registersOn(LocalDate)
            /// The person applies to the insurer only if the clerk told them to (R-BR-4); the insurer
            /// registers this many days after the intake.
            case ifTold(daysAfterIntake: Int)
            /// The person never goes to the insurer of their own accord, told or not (R-BR-4); only
            /// the clerk's follow-up (R-CF-4: the 保険者の登録・転入の確認 reminder marked done) sends
            /// them, and the insurer registers this many days after it.
            case afterFollowUp(daysAfter: Int)
            case never
        }

        public let registration: Registration
        /// Outcomes of the successive month-end runs; when they run out, the request is carried out.
        public let monthEnds: [MonthEnd]
        public let insurer: Insurer
        /// The result file of an upload holding this person arrives this many days after the upload
        /// (a file posted at the end of a month, fetched in the next); the registration date stays the
        /// upload's (R-RG-9, R-DT-1).
        public var resultAfterDays: Int = 0
        /// After the cancellation was carried out, the person registers the card again on this day;
        /// from that month's status file on, their row says 初回登録状態 1 (R-CF-3).
        public var reregistersOn: LocalDate?
    }

    /// Something the trainee learns later (R-IN-4 f: a move; R-RG-5: the right number…).
    public struct Happening: Sendable, Hashable {
        public enum Trigger: String, Sendable, Hashable, CaseIterable {
            /// The result file said 異常終了.
            case failed
            case registered
            case held
            case cancelled
            case confirmed
        }

        /// Shown from this day on (the simulated clock), or …
        public let on: LocalDate?
        /// … once the trainee's case has reached this point.
        public let when: Trigger?
        public let text: String
    }

    /// One point of the expected handling, each citing its rule.
    public enum Expectation: String, Sendable, Hashable, CaseIterable {
        /// The application was taken (R-IN-1).
        case received
        /// 医療扶助単独 or 併用 decided right (R-BR-1).
        case branch
        /// Every point of R-IN-4 explained (a–f; g too for insured).
        case explained
        /// Paper tickets issued at intake (R-PT-1).
        case ticketsAtIntake = "tickets_at_intake"
        /// The proxy recorded with name, contact and relationship (R-IN-2).
        case proxy
        /// Insured, applied only here: told to apply to the insurer too (R-BR-4).
        case insurerTold = "insurer_told"
        /// Insured, applied to both: recorded as applied (R-BR-4).
        case insurerApplied = "insurer_applied"
        /// Insured: never put in a bulk file (R-BR-3).
        case notExported = "not_exported"
        /// Assistance-only: put in a bulk file (R-BR-2, R-RG-1).
        case exported
        /// The result file imported onto the case (R-RG-4).
        case resultImported = "result_imported"
        /// After 異常終了: the cause fixed and registered again (R-RG-5).
        case fixedAndResent = "fixed_and_resent"
        /// After "already registered": not sent again; confirmed from the status file (R-RG-6).
        case notResent = "not_resent"
        /// The hold notice recorded with its reason code (R-HC-1, R-HC-2).
        case holdRecorded = "hold_recorded"
        /// The cancel notice #5 recorded with what the clerk did (R-HC-3).
        case cancelRecorded = "cancel_recorded"
        /// Moved to another office while pending: recorded (R-IN-4 f).
        case transferRecorded = "transfer_recorded"
        /// Confirmed from the monthly status file on the right date (R-CF-1).
        case confirmed
        /// Paper tickets for the month after the intake month (R-PT-2).
        case monthlyTickets = "monthly_tickets"
        /// The expiring electronic certificate looked at (R-RL-2).
        case certificateChecked = "certificate_checked"
        /// 受付控え given (R-NT-1).
        case pendingNotice = "pending_notice"
        /// Hold notice made (R-NT-2).
        case holdNotice = "hold_notice"
        /// Cancel notice made (R-NT-3).
        case cancelNotice = "cancel_notice"
        /// After a cancel #5: paper tickets for the month after the cancelling run (R-PT-4, R-HC-3).
        case ticketsAfterCancel = "tickets_after_cancel"
        /// A status row with 初回登録状態 1 for a confirmed person: the re-registration recorded with
        /// the row's 初回登録日 (R-CF-3, R-PT-2).
        case reregistrationRecorded = "reregistration_recorded"
        /// The registration date recorded is the day the server accepted the upload, not the day the
        /// result file was imported (R-RG-9, R-DT-1).
        case registrationDate = "registration_date"
        /// Insured, still unconfirmed months after intake: the clerk checked with the person and the
        /// insurer when the follow-up reminder came (R-CF-4, R-BR-4).
        case insurerFollowedUp = "insurer_followed_up"

        public var rule: String {
            switch self {
            case .received: return "R-IN-1"
            case .branch: return "R-BR-1"
            case .explained: return "R-IN-4"
            case .ticketsAtIntake: return "R-PT-1"
            case .proxy: return "R-IN-2"
            case .insurerTold, .insurerApplied: return "R-BR-4"
            case .notExported: return "R-BR-3"
            case .exported: return "R-BR-2"
            case .resultImported: return "R-RG-4"
            case .fixedAndResent: return "R-RG-5"
            case .notResent: return "R-RG-6"
            case .holdRecorded: return "R-HC-2"
            case .cancelRecorded: return "R-HC-3"
            case .transferRecorded: return "R-IN-4 f"
            case .confirmed: return "R-CF-1"
            case .monthlyTickets: return "R-PT-2"
            case .certificateChecked: return "R-RL-2"
            case .pendingNotice: return "R-NT-1"
            case .holdNotice: return "R-NT-2"
            case .cancelNotice: return "R-NT-3"
            case .ticketsAfterCancel: return "R-PT-4"
            case .reregistrationRecorded: return "R-CF-3"
            case .registrationDate: return "R-RG-9"
            case .insurerFollowedUp: return "R-CF-4"
            }
        }

        /// What the trainer looks for, as the list shows it.
        public var label: String {
            switch self {
            case .received: return "申請を受け付けた"
            case .branch: return "医療扶助単独／併用の判断"
            case .explained: return "受付時の説明（a〜f、併用は g も。R-IN-4）"
            case .ticketsAtIntake: return "受付時に紙の医療券・調剤券を交付"
            case .proxy: return "代理人（氏名・連絡先・関係）の記録"
            case .insurerTold: return "保険者にも申請するよう案内"
            case .insurerApplied: return "保険者に申請済みと記録"
            case .notExported: return "一括登録ファイルに入れない"
            case .exported: return "一括登録ファイルで中間サーバーに登録"
            case .resultImported: return "登録結果ファイルの取り込み"
            case .fixedAndResent: return "登録エラーの原因を直して再登録"
            case .notResent: return "登録済みエラーのとき再登録しない"
            case .holdRecorded: return "保留のお知らせを記録"
            case .cancelRecorded: return "取消のお知らせと対応を記録"
            case .transferRecorded: return "転出を記録"
            case .confirmed: return "月次の状況一覧で解除を確認"
            case .monthlyTickets: return "翌月分の紙の医療券・調剤券"
            case .certificateChecked: return "電子証明書の期限切れへの対応"
            case .pendingNotice: return "受付控え（通知）を作成"
            case .holdNotice: return "保留の通知を作成"
            case .cancelNotice: return "取消の通知を作成"
            case .ticketsAfterCancel: return "取消（#5）の後も毎月の紙の医療券・調剤券"
            case .reregistrationRecorded: return "状況一覧で見つけた再登録を記録"
            case .registrationDate: return "登録日は中間サーバーが受け付けた日"
            case .insurerFollowedUp: return "解除が確認できない併用の人を本人・保険者に確認"
            }
        }
    }
}

/// 研修シナリオ集: the book a training office uses (`config/training/`).
public struct ScenarioBook: Sendable {
    public let title: String
    /// The first day of the simulated calendar: a fresh sandbox's clock starts here.
    public let start: LocalDate
    public let scenarios: [TrainingScenario]
    /// The folder it was read from, for messages.
    public let directory: URL

    public init(title: String, start: LocalDate, scenarios: [TrainingScenario], directory: URL) {
        self.title = title
        self.start = start
        self.scenarios = scenarios
        self.directory = directory
    }

    public func scenario(_ id: String) -> TrainingScenario? { scenarios.first { $0.id == id } }

    /// The trainee's case for a scenario: the first one opened for its person.
    public func caseFor(_ s: TrainingScenario, in book: CaseBook) -> CaseRecord? {
        book.all.first { $0.application.recipientNumber == s.person.recipientNumber }
    }
}
