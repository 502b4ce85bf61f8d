import Foundation

/// 確認: what recording an event would change on a case, shown before the clerk says y (issue 11
/// item 5, "think before the irreversible"). Pure: the event is checked and applied to a copy of the
/// case, nothing is written. The desk's confirmation and the command line's prompt both read it.
public struct ChangePreview: Hashable, Sendable, Encodable {
    /// One value as it is now and as it will be.
    public struct Change: Hashable, Sendable, Encodable {
        public let label: String
        public let old: String
        public let new: String
    }

    public let caseNumber: String
    /// 氏名 of the applicant, so the clerk sees whose case it is.
    public let name: String
    /// What will be recorded (the event's label, 「取下げ」「保留の通知 #1 …」).
    public let action: String
    /// The date the clerk typed, named as the form names it (お知らせの日付 令和8年11月2日), so a
    /// mistyped day is seen before y (issue 11).
    public let date: Dated?

    public struct Dated: Hashable, Sendable, Encodable {
        public let label: String
        public let value: String
    }
    public let changes: [Change]
    /// Consequences the clerk must know before saying yes (R-IN-7 and the like).
    public let warnings: [String]

    /// The event as it would be checked and applied, or the error the write would give (an illegal
    /// move, a blank reason, a 個人番号 in a note, a date after `today` — the office's — or before the
    /// case could have had it) — before anyone is asked anything.
    public static func of(_ event: LifecycleEvent, on c: CaseRecord, today: LocalDate) throws -> ChangePreview {
        let checked = CaseLifecycle.resolved(try CaseLifecycle.checkTyped(event), on: c)   // the run shown before y (R-HC-2)
        try CaseLifecycle.checkTypedRun(event, on: c, today: today)
        var after = c
        try CaseLifecycle.apply(checked, to: &after)   // an illegal move is named before its date
        try CaseLifecycle.checkDate(checked, on: c, today: today)
        let blank = "（空欄）"
        func day(_ d: LocalDate?) -> String { d.map(Wareki.format) ?? blank }
        // Every value a lifecycle event can change, as the case screen names it.
        let facts: [(String, (CaseRecord) -> String)] = [
            ("状態", { $0.status.label }),
            ("被保険者枝番", { $0.application.serverIndividualNumber ?? blank }),
            ("解除予定日", { CaseLifecycle.expectedCancellation($0).label }),
            ("保留", { r in r.lifecycle.holds.last.map {
                "\($0.reason.label)（\(Wareki.format($0.run))末の月末処理、次の確認 \(Wareki.format($0.recheckDate))）"
            } ?? blank }),
            ("取消後の対応", { $0.lifecycle.actionAfterCancel ?? blank }),
            ("転出先", { $0.lifecycle.transferredTo ?? blank }),
            ("取下げの理由", { $0.lifecycle.endReason ?? blank }),
            ("終了日", { day($0.lifecycle.endedOn) }),
            ("再登録日", { day($0.lifecycle.reregisteredOn) }),
            ("登録ファイル", { $0.lifecycle.exportFile ?? blank }),
        ]
        var changes = facts.compactMap { label, value -> Change? in
            let (old, new) = (value(c), value(after))
            return old == new ? nil : Change(label: label, old: old, new: new)
        }
        // The state is always shown, even when it stays (setting a number on a waiting case).
        if !changes.contains(where: { $0.label == "状態" }) {
            changes.insert(Change(label: "状態", old: c.status.label, new: c.status.label + "（変わりません）"), at: 0)
        }
        var warnings: [String] = []
        if case .transferredOut = checked, c.application.branch == .assistanceOnly {
            // R-IN-7: a request not accepted by the server (waiting, or refused with an error other
            // than "already registered", R-RG-6) is lost; one in a file awaiting its result may be.
            if [.received, .awaitingRegistration].contains(c.status)
                || (c.status == .registrationFailed && c.registrationFailure != .alreadyRegistered) {
                warnings.append("中間サーバーへの登録の前の転出です。この申請はこの事務所でも転出先でも登録されません。"
                                + "転出先に、解除の申請が登録されていないことを伝えてください"
                                + "（転出の記録のあと、通知「転出先への連絡」で作れます：F7 → 通知を作る、madoguchi notice \(c.number) --kind transfer。R-IN-7）")
            }
        }
        if c.registrationFailure == .alreadyRegistered {
            switch checked {
            case .requeued, .registeredOnTerminal:
                // R-RG-6: sending it again errors out again; the status file confirms the cancellation.
                warnings.append("前の登録エラーは「\(c.lifecycle.failureMessage ?? "")」でした。" + RegistrationFailure.alreadyRegistered.advice)
            default: break
            }
        }
        if case .serverNumberSet = checked, let old = c.application.serverIndividualNumber {
            warnings.append("今の被保険者枝番 \(old) を上書きします（R-RG-2）")
        }
        if !after.status.isOpen {
            warnings.append("案件は「\(after.status.label)」で終わります。記録は取り消せません")
        }
        return ChangePreview(caseNumber: c.number, name: c.application.applicant.name, action: checked.label,
                             date: checked.typedDate.map { Dated(label: $0.label, value: Wareki.format($0.date)) },
                             changes: changes, warnings: warnings)
    }

    /// The preview as lines for a person: the case, what is recorded, each value old → new, warnings.
    public var lines: [String] {
        ["案件 \(caseNumber)　\(name)", "記録：\(action)"]
            + (date.map { ["\($0.label)：\($0.value)"] } ?? [])
            + changes.map { "\($0.label)　現在：\($0.old) → 新：\($0.new)" }
            + warnings.map { "注意：\($0)" }
    }
}

extension LifecycleEvent {
    /// Whether recording this on `c` is shown and asked first: the moves below, and sending again a
    /// request the server said is already registered (R-RG-6: it must not be sent again).
    public func asksConfirmation(on c: CaseRecord) -> Bool {
        if asksConfirmation { return true }
        if case .requeued = self { return c.registrationFailure == .alreadyRegistered }
        return false
    }

    /// Moves a clerk records that end a case, hold it or clear a hold, or overwrite a stored value:
    /// the desk and the command line show a `ChangePreview` and ask y/n first (issue 11 item 5).
    public var asksConfirmation: Bool {
        switch self {
        case .held, .holdCleared, .cancelledByServer, .transferredOut, .withdrawn, .serverNumberSet, .registeredOnTerminal: return true
        case .exported, .registrationAccepted, .registrationFailed, .requeued, .confirmed, .reregistered: return false
        }
    }
}
