import Foundation

/// The reminders query (issue 4 part 1): what the clerk must do today, from the case book alone.
/// Pure: it reads the book and never writes; the same book, day and month give the same list.
public enum Reminders {
    /// Reminders due on `today`, minus the occurrences marked done, most urgent first (kind, then due
    /// date, then the case's age, oldest first). `month` is the month whose paper tickets are listed
    /// (R-PT-2; default `today`'s month).
    /// With `viewer`, the sign-off reminders addressed to that operator are added (R-SG-2: a batch
    /// waiting for a supervisor, a batch returned to its preparer), naming people by `operatorNames`.
    public static func due(in book: CaseBook, today: LocalDate, month: YearMonth? = nil,
                           settings: ReminderSettings = .default,
                           for viewer: Operator? = nil, operatorNames: [String: String] = [:]) -> [Reminder] {
        all(in: book, today: today, month: month, settings: settings, for: viewer, operatorNames: operatorNames)
            .filter { book.doneReminders[$0.id] == nil }
    }

    /// Every reminder of the day, including those marked done.
    public static func all(in book: CaseBook, today: LocalDate, month: YearMonth? = nil,
                           settings: ReminderSettings = .default,
                           for viewer: Operator? = nil, operatorNames: [String: String] = [:]) -> [Reminder] {
        let ticketMonth = month ?? today.yearMonth
        var out: [Reminder] = []
        for c in book.all {
            out += forCase(c, today: today, month: ticketMonth, settings: settings)
        }
        out += office(book, today: today, settings: settings, for: viewer, operatorNames: operatorNames)

        let age = Dictionary(uniqueKeysWithValues: book.order.enumerated().map { ($1, $0) })
        // The keys are worked out once per reminder, not once per comparison (issue 7: at 25,000
        // cases the sort looked the case up in `age` some 600,000 times before the first frame).
        return Ranked.sorted(out) { age[$0] }.map(\.reminder)
    }

    /// One case's reminders of the day (R-PT-1, R-PT-2, R-RG-2, R-DT-1, R-RG-5, R-CF-1, R-HC-2,
    /// R-BR-4, R-CF-4): a function of the case, the day, the tickets' month and the settings alone,
    /// so `ReminderIndex` recomputes only the cases a change touched.
    static func forCase(_ c: CaseRecord, today: LocalDate, month: YearMonth, settings: ReminderSettings) -> [Reminder] {
        paperTickets(c, month: month) + registration(c, today: today) + followUp(c, today: today)
            + insuredFollowUp(c, today: today, months: settings.insuredFollowupMonths)
    }

    /// The reminders that are about files, certificates and batches rather than one case.
    static func office(_ book: CaseBook, today: LocalDate, settings: ReminderSettings,
                       for viewer: Operator?, operatorNames: [String: String]) -> [Reminder] {
        resultsToImport(book, today: today, settings: settings) + certificateExpiry(book, today: today)
            + (viewer.map { signOff(book, for: $0, operatorNames: operatorNames) } ?? [])
    }

    /// The one reminder of the day with this id (for a paper-ticket id, of `month`), or nil: what
    /// `all(in:…).first { $0.id == id }` answers, without computing every case's reminders (a case's
    /// reminder ids all start `kind:case`; only the office-level kinds need the whole book).
    public static func find(_ id: String, in book: CaseBook, today: LocalDate, month: YearMonth? = nil,
                            settings: ReminderSettings = .default) -> Reminder? {
        let parts = id.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, let kind = Reminder.Kind(rawValue: String(parts[0])) else { return nil }
        switch kind {
        case .resultsToImport, .certificateExpiry:
            return office(book, today: today, settings: settings, for: nil, operatorNames: [:]).first { $0.id == id }
        case .batchAwaitingApproval, .batchReturned:
            return nil   // only with a viewer, never marked done
        default:
            guard let c = book[String(parts[1])] else { return nil }
            return forCase(c, today: today, month: month ?? today.yearMonth, settings: settings).first { $0.id == id }
        }
    }

    /// States in which the person's card is cancelled or a cancellation is pending, so paper tickets
    /// are needed (R-PT-1, R-PT-2), including 取消 (#5: the card was returned or is being cancelled by
    /// another route, so online eligibility is unusable either way — R-PT-4, R-HC-3 amended
    /// 2026-11-30). Not: 転出 (the new office issues them, R-PT-3), 取下げ.
    public static let needsPaperTickets: Set<CaseStatus> = [
        .received, .awaitingRegistration, .waitingForInsurer, .transferredIn, .exported, .registered,
        .held, .registrationFailed, .confirmed, .cancelledByServer,
    ]

    /// States in which the card can no longer be used online, whether or not tickets were ever
    /// issued: the cancellation was confirmed (R-CF-1) or the server cancelled the request (#5,
    /// R-PT-4). From then on every visit needs paper tickets (R-PT-2 amended 2026-11-30).
    static let cardUnusable: Set<CaseStatus> = [.confirmed, .cancelledByServer]

    /// The institutions a case's paper tickets were issued for, in order of first issue (the order
    /// is stable because the journal only grows), each with the kinds of ticket issued there.
    public static func institutions(_ c: CaseRecord) -> [(name: String, kinds: [PaperTicket.Kind])] {
        // A case has a handful of institutions and many months of tickets: a short list searched
        // linearly, not a dictionary of sets per case (issue 7: this ran for every case before the
        // desk's first frame).
        var names: [String] = []
        var kinds: [Set<PaperTicket.Kind>] = []
        for t in c.ticketsIssued {
            if let i = names.firstIndex(of: t.institution) {
                if !kinds[i].contains(t.kind) { kinds[i].insert(t.kind) }
            } else {
                names.append(t.institution)
                kinds.append([t.kind])
            }
        }
        return names.indices.map { i in (names[i], PaperTicket.Kind.allCases.filter { kinds[i].contains($0) }) }
    }

    // MARK: R-PT-1, R-PT-2, R-PT-4

    /// The monthly paper-ticket reminders (R-PT-2): one per institution recorded at any time (at
    /// intake or later, `LaterTickets`), also after a cancel #5 (R-PT-4, R-HC-3), until the month
    /// after a re-registration.
    static func paperTickets(_ c: CaseRecord, month: YearMonth) -> [Reminder] {
        guard needsPaperTickets.contains(c.status) else { return [] }
        // R-PT-2: "until the person re-registers" — from the month after the re-registration, no tickets.
        if let again = c.lifecycle.reregisteredOn, month > again.yearMonth { return [] }
        let name = c.application.applicant.name
        if c.application.holdsValidTickets && c.ticketsIssued.isEmpty {
            return [Reminder(id: "\(Reminder.Kind.paperTicketsAtIntake.rawValue):\(c.number)", kind: .paperTicketsAtIntake,
                             caseNumber: c.number, name: name,
                             message: "有効な医療券・調剤券をお持ちの方です。紙の医療券・調剤券を交付し、交付を記録してください — R-PT-1",
                             due: c.receivedOn)]
        }
        // Only months from the one the case was received in: before that nobody knew.
        if let received = c.receivedOn, month < received.yearMonth { return [] }
        var out: [Reminder] = []
        let places = institutions(c)
        if places.isEmpty && cardUnusable.contains(c.status) {
            // R-PT-2 (amended): no tickets were recorded (none were valid at intake), yet after the
            // cancellation every visit needs paper tickets. Number 0: no institution yet.
            // Before the confirmed month the card still worked — unless #5 said it was returned or
            // being cancelled already (R-PT-4; the confirmation of a #5 case comes later, R-CF-3).
            let afterCancel = c.lifecycle.cancelNotice == .cancelled
            if !afterCancel, let on = c.lifecycle.confirmedCancelledOn, month <= on.yearMonth { return [] }
            let why = afterCancel ? "取消（#5）の通知を受けました" : "登録の解除を確認しました"
            return [Reminder(
                id: "\(Reminder.Kind.paperTicketsMonthly.rawValue):\(c.number):\(month.iso):0",
                kind: .paperTicketsMonthly, caseNumber: c.number, name: name,
                message: "\(why)。\(Wareki.format(month))分から受診には紙の医療券・調剤券が必要です。"
                    + "受診先を本人に確かめて交付し、交付を記録してください（F7、madoguchi tickets）— R-PT-2, R-PT-4",
                due: month.firstDay)]
        }
        for (index, inst) in places.enumerated() {
            // Tickets already recorded for this month and institution need no reminder.
            if c.ticketsIssued.contains(where: { $0.institution == inst.name && $0.month == month }) { continue }
            let what = inst.kinds.map(\.label).joined(separator: "・")
            out.append(Reminder(
                id: "\(Reminder.Kind.paperTicketsMonthly.rawValue):\(c.number):\(month.iso):\(index + 1)",
                kind: .paperTicketsMonthly, caseNumber: c.number, name: name,
                message: "\(Wareki.format(month))分の紙の\(what)を交付してください（\(inst.name)）— R-PT-2",
                due: month.firstDay))
        }
        return out
    }

    // MARK: R-RG-2, R-DT-1 / R-RG-7, R-RG-5

    static func registration(_ c: CaseRecord, today: LocalDate) -> [Reminder] {
        let name = c.application.applicant.name
        var out: [Reminder] = []
        let registersHere = c.application.branch == .assistanceOnly && c.application.transferredFrom == nil
        if registersHere && c.application.serverIndividualNumber == nil
            && [.received, .awaitingRegistration, .registrationFailed].contains(c.status) {
            out.append(Reminder(id: "\(Reminder.Kind.serverNumberMissing.rawValue):\(c.number)", kind: .serverNumberMissing,
                                caseNumber: c.number, name: name,
                                message: "被保険者枝番（16桁）が未入力です。一括登録の前に入力してください — R-RG-2",
                                due: nil))
        } else if !registersHere && c.application.serverIndividualNumber == nil
                    && [.received, .waitingForInsurer, .transferredIn].contains(c.status) {
            // Insured and transferred-in cases are confirmed by the monthly status file, whose rows are
            // matched by 被保険者枝番 (DOMAIN.md §9): without it the case can never be confirmed.
            out.append(Reminder(id: "\(Reminder.Kind.serverNumberMissing.rawValue):\(c.number)", kind: .serverNumberMissing,
                                caseNumber: c.number, name: name,
                                message: "被保険者枝番（16桁）が未入力です。月次の状況一覧で解除を確かめる（R-CF-1）のに必要です — R-RG-2",
                                due: nil))
        }
        if c.status == .awaitingRegistration && registersHere {
            // Registered (accepted) by the end of this month → cancelled at the end of next month.
            let by = today.yearMonth.lastDay
            let since = lastSeq(c, of: [.received, .registrationRequeued])
            out.append(Reminder(
                id: "\(Reminder.Kind.registrationToSend.rawValue):\(c.number):\(since)", kind: .registrationToSend,
                caseNumber: c.number, name: name,
                message: "中間サーバーへの登録がまだです（受付 \(c.receivedOn.map(Wareki.formatShort) ?? "—")）。"
                    + "\(Wareki.format(by))までに登録すれば、\(Wareki.format(CancellationDate.expected(registeredOn: by)))に解除されます — R-DT-1, R-RG-7",
                due: by))
        }
        if c.status == .registrationFailed {
            let since = lastSeq(c, of: [.registrationFailed])
            out.append(Reminder(
                id: "\(Reminder.Kind.registrationFailed.rawValue):\(c.number):\(since)", kind: .registrationFailed,
                caseNumber: c.number, name: name,
                message: c.registrationFailure == .alreadyRegistered
                    ? "登録エラー（異常終了）：\(c.lifecycle.failureMessage ?? "")。登録し直さないでください。解除の申請は既に登録されています。"
                        + "紙の医療券・調剤券を交付し、状況一覧ファイルで解除を確かめてください — R-RG-6"
                    : "登録エラー（異常終了）：\(c.lifecycle.failureMessage ?? "メッセージなし")。原因を直して登録し直してください — R-RG-5",
                due: nil, rule: c.registrationFailure == .alreadyRegistered ? "R-RG-6" : nil))
        }
        return out
    }

    // MARK: R-CF-1, R-HC-2, R-BR-4

    static func followUp(_ c: CaseRecord, today: LocalDate) -> [Reminder] {
        let name = c.application.applicant.name
        var out: [Reminder] = []
        if c.status.isOpen, case .expected(let d) = CaseLifecycle.expectedCancellation(c), d < today {
            out.append(Reminder(
                id: "\(Reminder.Kind.confirmationLate.rawValue):\(c.number):\(d.iso)", kind: .confirmationLate,
                caseNumber: c.number, name: name,
                message: "解除予定日（\(Wareki.format(d))）を過ぎても解除が確認できていません。"
                    + "月次の初回登録・有効期限状況一覧ファイルを取り込むか、統合専用端末のお知らせ（保留・取消）を確かめてください — R-CF-1",
                due: d))
        }
        if c.status == .held, let hold = c.lifecycle.holds.last {
            let persistent = CaseLifecycle.isPersistentHold(c)
            if hold.recheckDate <= today || persistent {
                var m = "保留（\(hold.reason.label)、\(Wareki.format(hold.run))末の処理）の再確認日は\(Wareki.format(hold.recheckDate))です。"
                    + "月末処理の結果を統合専用端末で確かめ、保留の解消か新しいお知らせを記録してください"
                if persistent {
                    m += "。保留が続いています（\(c.lifecycle.consecutiveHolds)回）：原因を確かめ、本人への連絡を検討してください"
                }
                out.append(Reminder(
                    id: "\(Reminder.Kind.holdRecheck.rawValue):\(c.number):\(hold.recheckDate.iso)", kind: .holdRecheck,
                    caseNumber: c.number, name: name, message: m + " — R-HC-2", due: hold.recheckDate))
            }
        }
        if c.status.isOpen, c.application.branch == .insured, let ins = c.application.insurance, ins.appliedToInsurer == .toldToApply {
            out.append(Reminder(
                id: "\(Reminder.Kind.insurerNotApplied.rawValue):\(c.number)", kind: .insurerNotApplied,
                caseNumber: c.number, name: name,
                message: "保険者（\(ins.insurerName)）にも解除を申請するよう案内しました。申請したか本人に確かめてください — R-BR-4",
                due: nil))
        }
        return out
    }

    // MARK: R-RG-4

    static func resultsToImport(_ book: CaseBook, today: LocalDate, settings: ReminderSettings) -> [Reminder] {
        var out: [Reminder] = []
        for e in book.fileEvents where e.payload.kind == .registrationExport {
            guard let exportedOn = e.record.day else { continue }
            let due = exportedOn.addingDays(settings.resultsAfterDays)
            guard due <= today else { continue }
            let waiting = e.payload.cases.filter { n in
                guard let c = book[n] else { return false }
                return c.status == .exported && c.lifecycle.exportFile == e.payload.fileName
            }
            guard !waiting.isEmpty else { continue }
            out.append(resultsToImport(e, exportedOn: exportedOn, due: due, waiting: waiting, book: book))
        }
        return out
    }

    /// The R-RG-4 reminder of one export file whose `waiting` cases have no result yet.
    static func resultsToImport(_ e: FileEvent, exportedOn: LocalDate, due: LocalDate, waiting: [String], book: CaseBook) -> Reminder {
        Reminder(
            id: "\(Reminder.Kind.resultsToImport.rawValue):\(e.payload.fileName)", kind: .resultsToImport,
            caseNumber: waiting.count == 1 ? waiting[0] : nil,
            name: waiting.count == 1 ? book[waiting[0]]?.application.applicant.name : nil,
            message: "一括登録ファイル \(e.payload.fileName)（\(Wareki.format(exportedOn))出力）の登録結果ファイルをまだ取り込んでいません"
                + "（結果待ち \(waiting.count)件：\(waiting.joined(separator: ", "))）。統合専用端末で受け取り、取り込んでください — R-RG-4",
            due: due)
    }

    // MARK: R-SG-2

    /// Maker-checker in sight (issue 11 item 7): a supervisor is told a batch waits for them; the
    /// operator who prepared a batch is told it came back, with the supervisor's comment.
    public static func signOff(_ book: CaseBook, for viewer: Operator, operatorNames: [String: String] = [:]) -> [Reminder] {
        func name(_ id: String?) -> String { id.map { operatorNames[$0] ?? $0 } ?? "" }
        let batches = book.signOffBatches
        var out: [Reminder] = []
        for (i, b) in batches.enumerated() {
            switch b.state {
            case .prepared where viewer.role == .supervisor && b.preparedBy != viewer.id:
                out.append(Reminder(
                    id: "\(Reminder.Kind.batchAwaitingApproval.rawValue):\(b.id)", kind: .batchAwaitingApproval,
                    caseNumber: nil, name: nil,
                    message: "一括登録 \(b.id)（\(b.cases.count)件、準備 \(name(b.preparedBy))）が承認を待っています。"
                        + "F3 で案件を確かめ、承認するか差し戻してください — R-SG-2",
                    due: LocalDate(iso: String(b.preparedAt.prefix(10)))))
            // Until the preparer (or anyone) prepares the next batch.
            // …and while any of its cases is still open: a batch whose cases all ended (transferred
            // out, withdrawn) has nothing left to prepare again, so its reminder could never end.
            case .returned where b.preparedBy == viewer.id && i == batches.count - 1
                    && b.cases.contains(where: { book[$0]?.status.isOpen ?? false }):
                let when = b.decidedAt.flatMap { LocalDate(iso: String($0.prefix(10))) }
                // The comment as written, without doubling its own 。
                let comment = (b.comment ?? "コメントなし").trimmingCharacters(in: .whitespaces)
                let said = comment.hasSuffix("。") ? comment : comment + "。"
                out.append(Reminder(
                    id: "\(Reminder.Kind.batchReturned.rawValue):\(b.id)", kind: .batchReturned,
                    caseNumber: b.cases.count == 1 ? b.cases[0] : nil,
                    name: b.cases.count == 1 ? book[b.cases[0]]?.application.applicant.name : nil,
                    message: "一括登録 \(b.id)（\(b.cases.count)件：\(b.cases.joined(separator: ", "))）が差し戻されました"
                        + "（\(name(b.decidedBy))\(when.map { "、" + Wareki.format($0) } ?? "")）：\(said)"
                        + "直してから F3 で準備し直してください — R-SG-2",
                    due: when))
            default: break
            }
        }
        return out
    }

    // MARK: Helpers


    /// The journal line that started the current occurrence (0 when the history is not at hand).
    static func lastSeq(_ c: CaseRecord, of types: Set<EventType>) -> Int {
        c.history.last { types.contains($0.eventType) }?.seq ?? 0
    }

    /// R-RL-2: people whose electronic certificate, per the last monthly status file, has expired or
    /// expires within two months: they cannot use online eligibility and need paper tickets. One
    /// reminder per person and file (the next file starts anew).
    static func certificateExpiry(_ book: CaseBook, today: LocalDate) -> [Reminder] {
        guard book.fileEvents.last(where: { $0.payload.kind == .statusImport })?.payload.certificates != nil else { return [] }
        let byServerNumber = Dictionary(book.all.compactMap { c in c.application.serverIndividualNumber.map { ($0, c) } },
                                        uniquingKeysWith: { a, b in b.status.isOpen ? b : a })
        return certificateExpiry(book, today: today) { byServerNumber[$0] }
    }

    /// R-RL-2 with `person` naming the case of a 被保険者枝番 (the last open one, else the first).
    static func certificateExpiry(_ book: CaseBook, today: LocalDate, person: (String) -> CaseRecord?) -> [Reminder] {
        guard let last = book.fileEvents.last(where: { $0.payload.kind == .statusImport }),
              let certificates = last.payload.certificates else { return [] }
        return certificates.keys.sorted().compactMap { server in
            guard let expiry = LocalDate(iso: certificates[server]!) else { return nil }
            let c = person(server)
            let when = expiry < today ? "\(Wareki.format(expiry))に切れています" : "\(Wareki.format(expiry))に切れます"
            let who = c == nil ? "被保険者枝番 \(server) の方の" : ""
            return Reminder(id: "certificate_expiry:\(c?.number ?? server):\(last.payload.sha256.prefix(12))", kind: .certificateExpiry,
                            caseNumber: c?.number, name: c?.application.applicant.name,
                            message: "\(who)電子証明書が\(when)。紙の医療券・調剤券を交付してください — R-RL-2", due: expiry)
        }
    }
}

/// A reminder with the keys it is listed by: most urgent kind first, then the due date (none
/// last), then the case's age (oldest first; office-level first), then the id.
struct Ranked: Sendable, Comparable {
    let reminder: Reminder
    let urgency: Int
    let due: LocalDate
    let age: Int

    init(_ r: Reminder, age: Int) {
        reminder = r
        urgency = r.kind.urgency
        due = r.due ?? .distant
        self.age = age
    }

    static func < (a: Ranked, b: Ranked) -> Bool {
        if a.urgency != b.urgency { return a.urgency < b.urgency }
        if a.due != b.due { return a.due < b.due }
        if a.age != b.age { return a.age < b.age }
        return a.reminder.id < b.reminder.id
    }

    static func sorted(_ rs: [Reminder], age: (String) -> Int?) -> [Ranked] {
        rs.map { Ranked($0, age: $0.caseNumber.flatMap(age) ?? -1) }.sorted(by: <)
    }
}

extension LocalDate {
    /// Sorts "no date" after every date.
    static let distant = LocalDate(year: 9999, month: 12, day: 31)!
}
