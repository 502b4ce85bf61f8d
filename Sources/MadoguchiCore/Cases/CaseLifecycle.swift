import Foundation

/// A server notice reason (R-HC-1): #1–#4 hold (保留), #5 cancel (取消).
public enum NoticeReason: Int, Codable, Sendable, CaseIterable {
    /// 個人番号誤入力チェック結果が▲・×
    case misEntrySuspected = 1
    /// 誤入力チェックの次回判定待ち
    case misEntryPending = 2
    /// 機関別符号の取得中
    case codeBeingObtained = 3
    /// 符号紐づけ誤り
    case codeLinkError = 4
    /// カード返納・解除申請あり → 取消
    case cancelled = 5

    public var isHold: Bool { self != .cancelled }

    public var label: String {
        switch self {
        case .misEntrySuspected: return "#1 誤入力チェック結果が▲・×"
        case .misEntryPending: return "#2 誤入力チェックの次回判定待ち"
        case .codeBeingObtained: return "#3 機関別符号の取得中"
        case .codeLinkError: return "#4 符号紐づけ誤り"
        case .cancelled: return "#5 カード返納・解除申請あり（取消）"
        }
    }
}

/// One hold (保留) notice on a case (R-HC-1, R-HC-2).
public struct Hold: Codable, Hashable, Sendable {
    public let reason: NoticeReason
    public let noticeDate: LocalDate
    /// The next month-end run that re-checks it: the end of the month after `run` (R-HC-2 amended
    /// 2026-11-30), whatever day the clerk recorded the お知らせ.
    public let recheckDate: LocalDate
    /// The month-end run (月末処理) that held the request, which the お知らせ reports.
    public var run: YearMonth { recheckDate.yearMonth.adding(months: -1) }
}

/// What the lifecycle events established about a case.
public struct LifecycleFacts: Hashable, Sendable, Codable {
    /// The bulk file the case went into last (R-RG-3).
    public var exportFile: String?
    /// 登録日: accepted by the server; starts R-DT-1.
    public var registeredOn: LocalDate?
    /// 処理結果メッセージ of the last 異常終了 (R-RG-5).
    public var failureMessage: String?
    /// Holds since the registration, oldest first (R-HC-2).
    public var holds: [Hold] = []
    /// Holds in a row without the request being carried out.
    public var consecutiveHolds = 0
    public var cancelNotice: NoticeReason?
    /// What the clerk did after a cancel (R-HC-3).
    public var actionAfterCancel: String?
    /// 初回登録解除日 confirmed by the monthly status file (R-CF-1).
    public var confirmedCancelledOn: LocalDate?
    public var transferredTo: String?
    /// The person registered the card again after the cancellation (マイナポータル, ATM, カードリーダー):
    /// paper tickets are no longer needed from the next month (R-PT-2, R-IN-4 e).
    public var reregisteredOn: LocalDate?
    public var endedOn: LocalDate?
    public var endReason: String?
}

/// The expected cancellation date of a case (R-DT-1..3, R-HC-2).
public enum ExpectedCancellation: Hashable, Sendable {
    /// Assistance-only, not yet accepted by the server: the date follows from the registration date.
    case afterRegistration
    /// Insured: "unknown until confirmed" (R-DT-3).
    case unknownUntilConfirmed
    case expected(LocalDate)
    case cancelledOn(LocalDate)
    /// The case ended without a cancellation (取消, 転出, 取下げ).
    case none

    public var label: String {
        switch self {
        case .afterRegistration: return "登録後に決まる（登録月の翌月末）"
        case .unknownUntilConfirmed: return "未定（月次ファイルで確認）"
        case .expected(let d): return Wareki.format(d)
        case .cancelledOn(let d): return "\(Wareki.format(d)) 解除済み"
        case .none: return "—"
        }
    }

    /// For a table cell: 登録後 · 未定 · R8.12.31 · 済R8.12.31 · —
    public var shortLabel: String {
        switch self {
        case .afterRegistration: return "登録後"
        case .unknownUntilConfirmed: return "未定"
        case .expected(let d): return Wareki.formatShort(d)
        case .cancelledOn(let d): return "済" + Wareki.formatShort(d)
        case .none: return "—"
        }
    }
}

/// A change of a case's state, each written to the journal as one event (issue 3).
public enum LifecycleEvent: Hashable, Sendable {
    /// Put into a bulk registration file (R-RG-1, R-RG-3).
    case exported(file: String)
    /// Result file: 1 正常終了 (R-RG-4).
    case registrationAccepted(registeredOn: LocalDate, file: String?)
    /// 統合専用端末で一件ずつ登録 (R-RG-1, R-RG-8): registered by hand on the dedicated terminal, with the
    /// day the server accepted it; then R-DT-1 as for a bulk registration.
    case registeredOnTerminal(on: LocalDate)
    /// Result file: 2 異常終了 with the server's message (R-RG-5).
    case registrationFailed(message: String, file: String?)
    /// The clerk fixed the cause and puts the case back for registration (R-RG-5).
    case requeued(note: String)
    /// Hold notice #1–#4 (R-HC-1, R-HC-2) of the month-end run of `run`; nil: derived from the
    /// notice's date and the case when recorded (`CaseLifecycle.run(ofNotice:on:)`, R-HC-2 amended).
    case held(reason: NoticeReason, noticeDate: LocalDate, run: YearMonth? = nil)
    /// A held request was carried out at its re-check (held → registered).
    case holdCleared(on: LocalDate)
    /// Cancel notice #5 and what the clerk did next (R-HC-3).
    case cancelledByServer(noticeDate: LocalDate, action: String)
    /// Monthly status file: all three conditions of R-CF-1 hold.
    case confirmed(cancelledOn: LocalDate, file: String?)
    /// Moved to another office (R-IN-4 f).
    case transferredOut(office: String, on: LocalDate)
    case withdrawn(reason: String, on: LocalDate)
    /// The person registered the card again after the cancellation was confirmed (R-PT-2).
    case reregistered(on: LocalDate)
    /// 被保険者枝番 entered after intake (it may be left blank at the counter; R-RG-2). Not a move:
    /// the state stays, but only before the case is (re-)registered.
    case serverNumberSet(String)

    public var type: EventType {
        switch self {
        case .exported: return .registrationExported
        case .registrationAccepted: return .registrationAccepted
        case .registeredOnTerminal: return .registrationManual
        case .registrationFailed: return .registrationFailed
        case .requeued: return .registrationRequeued
        case .held: return .serverHeld
        case .holdCleared: return .serverHoldCleared
        case .cancelledByServer: return .serverCancelled
        case .confirmed: return .cancellationConfirmed
        case .transferredOut: return .caseTransferredOut
        case .withdrawn: return .caseWithdrawn
        case .serverNumberSet: return .caseServerNumberSet
        case .reregistered: return .caseReregistered
        }
    }

    /// How the event is named to the clerk (history, refusals).
    public var label: String {
        switch self {
        case .exported(let f): return "一括登録ファイルに出力（\(f)）"
        case .registrationAccepted(let d, _): return "登録結果：正常終了（登録日 \(Wareki.format(d))）"
        case .registeredOnTerminal(let d): return "統合専用端末で一件ずつ登録（登録日 \(Wareki.format(d))）"
        case .registrationFailed(let m, _): return "登録結果：異常終了（\(m)）"
        case .requeued: return "登録し直し"
        case .held(let r, _, let run?): return "保留の通知 \(r.label)（\(Wareki.format(run))末の月末処理）"
        case .held(let r, _, nil): return "保留の通知 \(r.label)"
        case .holdCleared: return "保留の解消"
        case .cancelledByServer: return "取消の通知"
        case .confirmed(let d, _): return "解除を確認（\(Wareki.format(d))）"
        case .transferredOut(let o, _): return "転出（\(o)）"
        case .withdrawn: return "取下げ"
        case .serverNumberSet(let n): return "被保険者枝番を入力（\(n)）"
        case .reregistered(let d): return "再登録を確認（\(Wareki.format(d))、紙の券は翌月から不要）"
        }
    }
}

extension LifecycleEvent {
    /// The date the clerk types for this move, with the name the desk's form and the confirmation
    /// give it (お知らせの日付, 取下げ日 …); nil for moves whose date comes from a file or that have none.
    public var typedDate: (label: String, date: LocalDate)? {
        switch self {
        case .held(_, let d, _), .cancelledByServer(let d, _): return ("お知らせの日付", d)
        case .holdCleared(let d): return ("解消した日", d)
        case .transferredOut(_, let d): return ("転出日", d)
        case .withdrawn(_, let d): return ("取下げ日", d)
        case .reregistered(let d): return ("再登録した日", d)
        case .registeredOnTerminal(let d): return ("登録日", d)
        case .exported, .registrationAccepted, .registrationFailed, .requeued, .confirmed, .serverNumberSet: return nil
        }
    }

    /// Every date the move carries that must be a day that could be true (issue 12 item 7): the typed
    /// ones, and the registration date (typed with a result file, R-RG-9) and the 初回登録解除日 (read
    /// from the monthly status file, R-CF-1).
    public var checkedDate: (label: String, date: LocalDate)? {
        switch self {
        case .registrationAccepted(let d, _): return ("登録日", d)
        case .confirmed(let d, _): return ("初回登録解除日", d)
        default: return typedDate
        }
    }
}

extension CaseRecord {
    /// The day the case last went into a bulk registration file (the journal line's day), if it did.
    public var exportedOn: LocalDate? { history.last { $0.eventType == .registrationExported }?.day }
}

/// The one state machine of a case. Every move is checked here; the journal stores only moves
/// that were allowed, and replay applies them again with the same rules.
public enum CaseLifecycle {
    /// The states an event may be recorded from.
    static func allowedFrom(_ event: LifecycleEvent) -> Set<CaseStatus> {
        switch event {
        case .exported: return [.awaitingRegistration]
        case .registrationAccepted, .registrationFailed: return [.exported]
        case .requeued: return [.registrationFailed]
        // R-RG-8: only what this office registers and has not (or not successfully) sent: never a
        // case in a file whose result is awaited (it would be registered twice, R-PC-1 3).
        case .registeredOnTerminal: return [.awaitingRegistration, .registrationFailed]
        case .held: return [.registered, .held]
        case .holdCleared: return [.held]
        case .cancelledByServer: return [.registered, .held]
        // R-RG-6: a request the insurer already registered errors out here, and is confirmed by the
        // monthly file all the same; so are insured cases (R-BR-3), and a request the server cancelled
        // (#5) because another cancellation was already visible (R-CF-3, R-HC-3 amended 2026-11-30).
        case .confirmed: return [.registered, .held, .waitingForInsurer, .transferredIn, .exported, .registrationFailed, .awaitingRegistration,
                                 .cancelledByServer]
        case .transferredOut, .withdrawn:
            return Set(CaseStatus.allCases.filter(\.isOpen))
        // Before the number is sent; after a 異常終了 it may be the cause to fix (R-RG-5).
        case .serverNumberSet: return [.received, .awaitingRegistration, .waitingForInsurer, .transferredIn, .registrationFailed]
        // R-PT-4: after a cancel #5 the person may register a card again; paper tickets then stop.
        case .reregistered: return [.confirmed, .cancelledByServer]
        }
    }

    /// Checks what the clerk typed into an event before it is written (the replay of the journal does
    /// not re-check): reasons and notes follow the "text" rules, so no 個人番号 slips in (R-ID-4), and
    /// the ones the rules need are not blank (R-HC-3 what was done after a cancel).
    public static func checkTyped(_ event: LifecycleEvent) throws -> LifecycleEvent {
        switch event {
        case .requeued(let note):
            return .requeued(note: try Validators.freeText(note, field: "note", label: "直したこと", required: true))
        case .cancelledByServer(let d, let action):
            return .cancelledByServer(noticeDate: d, action: try Validators.freeText(action, field: "action", label: "取消後の対応（R-HC-3）", required: true))
        case .transferredOut(let office, let d):
            return .transferredOut(office: try Validators.freeText(office, field: "office", label: "転出先の事務所", required: true), on: d)
        case .withdrawn(let reason, let d):
            return .withdrawn(reason: try Validators.freeText(reason, field: "reason", label: "取下げの理由", required: true), on: d)
        default:
            return event
        }
    }

    /// The date a clerk typed for a move is a day that has come, and not before the case could have
    /// had it — the rule R-RG-9 sets for the registration date, applied to the other dated moves
    /// (issue 11): a hold or cancel notice arrives after the request was registered (R-HC-1, R-FL-3),
    /// a hold clears at a later month-end run (R-HC-2), and a withdrawal, a transfer or a
    /// re-registration comes after the application. `today` is the office's (the sandbox's in
    /// training). Refused with the field named; checked before the confirmation and again at the write.
    public static func checkDate(_ event: LifecycleEvent, on c: CaseRecord, today: LocalDate) throws {
        guard let (label, d) = event.checkedDate else { return }
        let day = Wareki.format(d)
        let rule: String
        switch event {
        case .held, .cancelledByServer: rule = "届いたお知らせの日付を入力してください（R-HC-1, R-FL-3）"
        case .holdCleared: rule = "保留が解消した月末の処理の日を入力してください（R-HC-2）"
        case .registrationAccepted: rule = "中間サーバーが受け付けた日（一括登録ファイルを登録した日）を入力してください（R-RG-9）"
        case .registeredOnTerminal: rule = "統合専用端末で登録した日を入力してください（R-RG-8, R-RG-9）"
        case .confirmed: rule = "状況一覧ファイルの日付を確かめてください（R-CF-1）"
        default: rule = "実際の日付を入力してください"
        }
        if d > today {
            throw FieldProblem(field: "date", label: label, message: "\(day)は今日（\(Wareki.format(today))）より後の日付です。まだ来ていない日は記録できません。\(rule)")
        }
        let earliest: (date: LocalDate, what: String)?
        let exported = c.exportedOn.map { ($0, "一括登録ファイルの出力日") }
        switch event {
        case .held, .cancelledByServer, .holdCleared:
            // A notice concerns a registered request: never before the server accepted it (R-HC-1).
            earliest = c.lifecycle.registeredOn.map { ($0, "中間サーバーへの登録日") } ?? (c.application.applicationDate, "申請日")
        case .registrationAccepted:
            // R-RG-9: the server cannot accept a request before the file that carried it was made.
            earliest = exported ?? (c.application.applicationDate, "申請日")
        case .confirmed:
            // R-DT-1: cancelled at a month-end run after the registration. An insured person's insurer
            // may have registered before the office's application (R-DT-3): only the future is refused.
            earliest = c.lifecycle.registeredOn.map { ($0, "中間サーバーへの登録日") } ?? exported
                ?? (c.application.branch == .insured ? nil : (c.application.applicationDate, "申請日"))
        default:
            earliest = (c.application.applicationDate, "申請日")
        }
        if let earliest, d < earliest.date {
            throw FieldProblem(field: "date", label: label,
                               message: "\(day)はこの案件の\(earliest.what)（\(Wareki.format(earliest.date))）より前です。\(earliest.what)より前の日付は記録できません。\(rule)")
        }
    }

    // MARK: R-HC-2: the month-end run a hold notice reports

    /// The run a hold お知らせ reports when the clerk does not say (R-HC-2 amended 2026-11-30). The
    /// stated rule: the latest of
    /// 1. the last month-end on or before the notice's date (the notice's month when dated on its last
    ///    day, else the month before: a notice of the 12/31 run read on 1/5 is the December run);
    /// 2. the first run that can hold the request: the month after the registration month (「N月中に
    ///    受付した解除依頼分を（N＋1）月末に解除処理実施」, R-HC-1);
    /// 3. the month after the previous hold's run (a run holds a request once);
    /// but never after the notice's own month (a notice does not come before its run).
    public static func run(ofNotice noticeDate: LocalDate, on c: CaseRecord) -> YearMonth {
        let m = noticeDate.yearMonth
        var run = noticeDate == m.lastDay ? m : m.adding(months: -1)
        if let registered = c.lifecycle.registeredOn { run = max(run, registered.yearMonth.adding(months: 1)) }
        if let previous = c.lifecycle.holds.last, c.status == .held { run = max(run, previous.run.adding(months: 1)) }
        return min(run, m)
    }

    /// The run a cancel (#5) お知らせ reports, by the same rule (R-HC-2, R-HC-3): after the registration
    /// month and after the run of the last hold.
    public static func run(ofCancelNotice noticeDate: LocalDate, on c: CaseRecord) -> YearMonth {
        let m = noticeDate.yearMonth
        var run = noticeDate == m.lastDay ? m : m.adding(months: -1)
        if let registered = c.lifecycle.registeredOn { run = max(run, registered.yearMonth.adding(months: 1)) }
        if let previous = c.lifecycle.holds.last { run = max(run, previous.run.adding(months: 1)) }
        return min(run, m)
    }

    /// The event as it will be written: a hold carries its run, typed or derived (R-HC-2), so the
    /// journal never depends on the rule that derived it.
    public static func resolved(_ event: LifecycleEvent, on c: CaseRecord) -> LifecycleEvent {
        if case .held(let reason, let d, nil) = event { return .held(reason: reason, noticeDate: d, run: run(ofNotice: d, on: c)) }
        return event
    }

    /// A run the clerk typed (R-HC-2): come already, not before the request could be processed, not
    /// after the notice's month, and later than the run of the hold before. Checked on the event as
    /// typed, before the preview and at the write (a derived run follows the rule instead).
    public static func checkTypedRun(_ event: LifecycleEvent, on c: CaseRecord, today: LocalDate) throws {
        guard case .held(_, let noticeDate, let run?) = event else { return }
        try checkRun(run, noticeDate: noticeDate, on: c, today: today)
    }

    static func checkRun(_ run: YearMonth, noticeDate: LocalDate, on c: CaseRecord, today: LocalDate) throws {
        let shown = "\(Wareki.format(run))末の月末処理"
        func refuse(_ why: String) throws -> Never {
            throw FieldProblem(field: "run", label: "月末処理の月", message: "\(shown)：\(why)（R-HC-2）")
        }
        if run > today.yearMonth { try refuse("まだ来ていない月です（今日は\(Wareki.format(today))）") }
        if noticeDate.yearMonth < run { try refuse("お知らせの日付（\(Wareki.format(noticeDate))）より後の月です。お知らせはその月末処理のあとに届きます") }
        if let registered = c.lifecycle.registeredOn, run <= registered.yearMonth {
            try refuse("登録日（\(Wareki.format(registered))）の申請が最初に処理されるのは\(Wareki.format(registered.yearMonth.adding(months: 1)))末です（R-HC-1）")
        }
        if c.status == .held, let previous = c.lifecycle.holds.last, run <= previous.run {
            try refuse("前の保留は\(Wareki.format(previous.run))末の月末処理のものです。同じ月末処理か前の月の保留は記録できません")
        }
    }

    /// Applies an event, or refuses it with the case's state and the event named.
    public static func apply(_ event: LifecycleEvent, to c: inout CaseRecord) throws {
        if case .registeredOnTerminal = event, !allowedFrom(event).contains(c.status) {
            // R-RG-8: the state named, and which cases may be registered by hand.
            throw CaseError.illegalTransition(caseNumber: c.number, from: c.status,
                                              event: event.label + "（登録待ち・登録エラーの医療扶助単独の案件だけです、R-RG-8）")
        }
        guard allowedFrom(event).contains(c.status) else {
            throw CaseError.illegalTransition(caseNumber: c.number, from: c.status, event: event.label)
        }
        var f = c.lifecycle
        switch event {
        case .exported(let file):
            if c.application.branch == .insured {
                // R-BR-3: the office never registers an insured case.
                throw CaseError.illegalTransition(caseNumber: c.number, from: c.status, event: event.label + "（併用の方は保険者が登録します、R-BR-3）")
            }
            f.exportFile = file
            c.status = .exported
        case .registrationAccepted(let date, _), .registeredOnTerminal(let date):
            if case .registeredOnTerminal = event, c.application.branch != .assistanceOnly || c.application.transferredFrom != nil {
                // R-BR-3, R-PT-3: the insurer (or the previous office) registers these, never this office.
                throw CaseError.illegalTransition(caseNumber: c.number, from: c.status,
                                                  event: event.label + "（医療扶助単独でこの事務所が受け付けた案件だけです、R-BR-2, R-RG-8）")
            }
            f.registeredOn = date
            f.failureMessage = nil
            c.status = .registered
        case .registrationFailed(let message, _):
            f.failureMessage = message
            c.status = .registrationFailed
        case .requeued:
            f.exportFile = nil
            c.status = .awaitingRegistration
        case .held(let reason, let noticeDate, let typedRun):
            guard reason.isHold else { throw CaseError.invalidEvent("保留の理由は #1〜#4 です（#5 は取消、R-HC-1）") }
            // Re-checked at the run after the one that held it (R-HC-2 amended 2026-11-30), not a
            // month after the day the お知らせ was typed. A line without a run (written before the
            // amendment) is read with the stated rule.
            let run = typedRun ?? Self.run(ofNotice: noticeDate, on: c)
            f.holds.append(Hold(reason: reason, noticeDate: noticeDate, recheckDate: run.adding(months: 1).lastDay))
            f.consecutiveHolds += 1
            c.status = .held
        case .holdCleared:
            f.consecutiveHolds = 0
            c.status = .registered
        case .cancelledByServer(_, let action):
            f.cancelNotice = .cancelled
            f.actionAfterCancel = action
            c.status = .cancelledByServer
        case .confirmed(let date, _):
            f.confirmedCancelledOn = date
            c.status = .confirmed
        case .transferredOut(let office, let date):
            f.transferredTo = office
            f.endedOn = date
            c.status = .transferredOut
        case .withdrawn(let reason, let date):
            f.endReason = reason
            f.endedOn = date
            c.status = .withdrawn
        case .reregistered(let date):
            f.reregisteredOn = date
        case .serverNumberSet(let number):
            guard number.count == 16, number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw CaseError.invalidEvent("被保険者枝番は16桁の数字です（\(number)）")
            }
            c.application.serverIndividualNumber = number
        }
        c.lifecycle = f
    }

    /// R-DT-1 with R-HC-2: the last day of the month after registration, one month later per hold;
    /// unknown until confirmed for insured cases (R-DT-3).
    public static func expectedCancellation(_ c: CaseRecord) -> ExpectedCancellation {
        if let d = c.lifecycle.confirmedCancelledOn { return .cancelledOn(d) }
        if !c.status.isOpen { return .none }
        // R-DT-3; and a transferred-in case is registered by the previous office, on a date unknown here.
        if c.application.branch == .insured || c.status == .transferredIn { return .unknownUntilConfirmed }
        // R-RG-6: registered by someone else on a day unknown here; the monthly status file confirms it.
        if c.registrationFailure == .alreadyRegistered { return .unknownUntilConfirmed }
        guard let registered = c.lifecycle.registeredOn else { return .afterRegistration }
        let base = CancellationDate.expected(registeredOn: registered)
        let moved = base.yearMonth.adding(months: c.lifecycle.holds.count).lastDay
        // A hold's run says the latest: a run whose お知らせ was not recorded still held it (R-HC-2).
        return .expected(max(moved, c.lifecycle.holds.last?.recheckDate ?? moved))
    }

    /// A hold that persisted over two re-checks (three notices in a row) is flagged (R-HC-2).
    public static func isPersistentHold(_ c: CaseRecord) -> Bool {
        c.status == .held && c.lifecycle.consecutiveHolds >= 3
    }

    // MARK: Journal form

    struct Payload: Codable {
        var file: String?
        var date: LocalDate?
        var message: String?
        var note: String?
        var reason: Int?
        var office: String?
        /// A hold's month-end run (R-HC-2), `YYYY-MM`.
        var run: YearMonth?
    }

    public static func draft(_ event: LifecycleEvent, caseNumber: String, operatorID: String, time: Date) throws -> EventDraft {
        var p = Payload()
        switch event {
        case .exported(let file): p.file = file
        case .registrationAccepted(let d, let file): p.date = d; p.file = file
        case .registeredOnTerminal(let d): p.date = d
        case .registrationFailed(let m, let file): p.message = m; p.file = file
        case .requeued(let note): p.note = note
        case .held(let r, let d, let run): p.reason = r.rawValue; p.date = d; p.run = run
        case .holdCleared(let d): p.date = d
        case .cancelledByServer(let d, let action): p.date = d; p.note = action; p.reason = NoticeReason.cancelled.rawValue
        case .confirmed(let d, let file): p.date = d; p.file = file
        case .transferredOut(let office, let d): p.office = office; p.date = d
        case .withdrawn(let reason, let d): p.note = reason; p.date = d
        case .serverNumberSet(let n): p.note = n
        case .reregistered(let d): p.date = d
        }
        return EventDraft(caseNumber: caseNumber, type: event.type, data: try JSONValue(encoding: p), operatorID: operatorID, time: time)
    }

    public static func decode(_ r: JournalRecord) throws -> LifecycleEvent {
        let p = try FastPayload.lifecycle(r)
        func need<T>(_ v: T?, _ what: String) throws -> T {
            guard let v else { throw CaseError.inconsistentJournal(line: r.lineNumber, message: "\(r.type) に \(what) がありません") }
            return v
        }
        switch r.eventType {
        case .registrationExported: return .exported(file: try need(p.file, "file"))
        case .registrationAccepted: return .registrationAccepted(registeredOn: try need(p.date, "date"), file: p.file)
        case .registrationManual: return .registeredOnTerminal(on: try need(p.date, "date"))
        case .registrationFailed: return .registrationFailed(message: try need(p.message, "message"), file: p.file)
        case .registrationRequeued: return .requeued(note: p.note ?? "")
        case .serverHeld:
            guard let reason = NoticeReason(rawValue: try need(p.reason, "reason")) else {
                throw CaseError.inconsistentJournal(line: r.lineNumber, message: "保留の理由 \(p.reason!) は #1〜#5 にありません")
            }
            return .held(reason: reason, noticeDate: try need(p.date, "date"), run: p.run)
        case .serverHoldCleared: return .holdCleared(on: try need(p.date, "date"))
        case .serverCancelled: return .cancelledByServer(noticeDate: try need(p.date, "date"), action: p.note ?? "")
        case .cancellationConfirmed: return .confirmed(cancelledOn: try need(p.date, "date"), file: p.file)
        case .caseTransferredOut: return .transferredOut(office: try need(p.office, "office"), on: try need(p.date, "date"))
        case .caseWithdrawn: return .withdrawn(reason: p.note ?? "", on: try need(p.date, "date"))
        case .caseServerNumberSet: return .serverNumberSet(try need(p.note, "note"))
        case .caseReregistered: return .reregistered(on: try need(p.date, "date"))
        default: throw CaseError.inconsistentJournal(line: r.lineNumber, message: "知らない種類 \(r.type)")
        }
    }
}
