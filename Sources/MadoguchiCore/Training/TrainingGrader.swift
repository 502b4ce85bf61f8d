import Foundation

/// 採点: compares what the trainee did (the sandbox's journal) with each scenario's expected handling
/// and says, per point, what was right and what was missed, citing the rule (issue 5).
///
/// A point can only be missed once it was due: a month-end the simulated clock has not reached yet is
/// "まだ" (not yet), never a fault.
public struct ScenarioGrade: Sendable, Encodable {
    public enum Verdict: String, Sendable, Encodable {
        case right
        case missed
        case notYet = "not_yet"

        public var mark: String {
            switch self {
            case .right: return "○"
            case .missed: return "×"
            case .notYet: return "…"
            }
        }
    }

    public struct Point: Sendable, Encodable {
        public let expectation: String
        public let label: String
        public let rule: String
        public let verdict: Verdict
        public let remark: String
    }

    public let scenarioID: String
    public let title: String
    public let caseNumber: String?
    public let points: [Point]

    public var right: Int { points.filter { $0.verdict == .right }.count }
    public var missed: Int { points.filter { $0.verdict == .missed }.count }
    public var notYet: Int { points.filter { $0.verdict == .notYet }.count }
    /// Every point due was right (and at least one was due).
    public var isFullMarks: Bool { missed == 0 && notYet == 0 }
}

/// The whole sandbox's grade.
public struct TrainingReport: Sendable, Encodable {
    public let asOf: String
    public let sandbox: String
    public let scenarios: [ScenarioGrade]
    /// Cases that belong to no scenario (a mistyped 受給者番号, an invented person).
    public let strayCases: [String]

    public var right: Int { scenarios.reduce(0) { $0 + $1.right } }
    public var missed: Int { scenarios.reduce(0) { $0 + $1.missed } }
    public var notYet: Int { scenarios.reduce(0) { $0 + $1.notYet } }

    /// The report as the trainer reads it (CLI and the desk's 研修 screen).
    public var lines: [String] {
        var out = ["研修の採点（\(asOf) 現在、作業場所 \(sandbox)）：○ \(right)　× \(missed)　… まだ \(notYet)"]
        // Scenarios the trainee took come first, point by point; the others in one line each, so the
        // work done is not buried under what was not started.
        for g in scenarios where g.caseNumber != nil {
            out.append("")
            out.append("[\(g.scenarioID)] \(g.title)　案件 \(g.caseNumber!)　○\(g.right) ×\(g.missed)\(g.notYet > 0 ? " …\(g.notYet)" : "")")
            for p in g.points {
                out.append("  \(p.verdict.mark) \(p.label)：\(p.remark)")
            }
        }
        let untaken = scenarios.filter { $0.caseNumber == nil }
        if !untaken.isEmpty {
            out.append("")
            out.append("受け付けていないシナリオ：")
            for g in untaken {
                out.append("  [\(g.scenarioID)] \(g.title)　\(g.missed > 0 ? "×\(g.missed)" : "…")：\(g.points.first?.remark ?? "")")
            }
        }
        if !strayCases.isEmpty {
            out.append("")
            out.append("シナリオにない案件：\(strayCases.joined(separator: "、"))（受給者番号を確かめてください）")
        }
        return out
    }
}

public enum TrainingGrader {
    public static func grade(_ book: CaseBook, server: TrainingServer, today: LocalDate, sandbox: String) -> TrainingReport {
        let timeline = server.timeline(book)
        let grades = server.scenarios.scenarios.map { grade($0, server: server, book: book, timeline: timeline, today: today) }
        let known = Set(server.scenarios.scenarios.map(\.person.recipientNumber))
        let stray = book.all.filter { !known.contains($0.application.recipientNumber) }
            .map { "\($0.number)（\($0.application.applicant.name)、受給者番号 \($0.application.recipientNumber)）" }
        return TrainingReport(asOf: Wareki.format(today), sandbox: sandbox, scenarios: grades, strayCases: stray)
    }

    static func grade(_ s: TrainingScenario, server: TrainingServer, book: CaseBook, timeline: TrainingServer.Timeline, today: LocalDate) -> ScenarioGrade {
        let scenarios = server.scenarios
        func point(_ e: TrainingScenario.Expectation, _ v: ScenarioGrade.Verdict, _ remark: String) -> ScenarioGrade.Point {
            ScenarioGrade.Point(expectation: e.rawValue, label: e.label, rule: e.rule, verdict: v, remark: remark)
        }
        guard let c = scenarios.caseFor(s, in: book) else {
            guard today > s.arrives else {
                return ScenarioGrade(scenarioID: s.id, title: s.title, caseNumber: nil,
                                     points: s.expectations.map { point($0, .notYet, "来所は\(Wareki.format(s.arrives))です") })
            }
            return ScenarioGrade(scenarioID: s.id, title: s.title, caseNumber: nil, points: s.expectations.map {
                $0 == .received
                    ? point($0, .missed, "\(s.person.name)さんの申請を受け付けていません（受給者番号 \(s.person.recipientNumber)）— \($0.rule)")
                    : point($0, .missed, "受付がないので、この点もできていません — \($0.rule)")
            })
        }
        let points = s.expectations.map { e -> ScenarioGrade.Point in
            let (v, remark) = judge(e, s, c, book: book, server: server, timeline: timeline, today: today)
            return point(e, v, v == .missed ? "\(remark) — \(e.rule)" : remark)
        }
        return ScenarioGrade(scenarioID: s.id, title: s.title, caseNumber: c.number, points: points)
    }

    /// The lifecycle events of a case in journal order.
    static func events(_ c: CaseRecord) -> [(type: EventType, date: LocalDate?)] {
        c.history.compactMap { r in r.eventType.map { ($0, r.day) } }
    }

    /// Paper tickets for `month` recorded on the case, or that month's reminder marked done (R-PT-2).
    static func ticketsGiven(_ c: CaseRecord, month: YearMonth, book: CaseBook) -> Bool {
        c.ticketsIssued.contains { $0.month == month }
            || book.doneReminders.keys.contains { $0.hasPrefix("\(Reminder.Kind.paperTicketsMonthly.rawValue):\(c.number):\(month.iso)") }
    }

    typealias Judgement = (ScenarioGrade.Verdict, String)

    /// One point of one scenario: each kind of point is judged by its own step below.
    static func judge(_ e: TrainingScenario.Expectation, _ s: TrainingScenario, _ c: CaseRecord, book: CaseBook,
                      server: TrainingServer, timeline: TrainingServer.Timeline, today: LocalDate) -> Judgement {
        let app = c.application
        let types = events(c).map(\.type)
        let person = s.person
        switch e {
        case .received:
            return (.right, "案件 \(c.number) として受け付けました")
        case .branch:
            if app.branch == person.branch { return (.right, "「\(person.branch.label)」と判断しました") }
            return (.missed, "「\(app.branch.label)」にしましたが、この人は「\(person.branch.label)」です")
        case .explained: return judgeExplained(app, person: person)
        case .ticketsAtIntake: return judgeTicketsAtIntake(c)
        case .proxy: return judgeProxy(app)
        case .insurerTold: return judgeInsurerTold(app)
        case .insurerApplied: return judgeInsurerApplied(app)
        case .notExported:
            if types.contains(.registrationExported) {
                return (.missed, "併用の人を一括登録ファイルに入れました。登録は保険者がするので、事務所は登録しません")
            }
            return (.right, "一括登録ファイルに入れていません（保険者が登録します）")
        case .exported: return judgeExported(s, types: types, today: today)
        case .resultImported: return judgeResultImported(c, types: types, today: today)
        case .fixedAndResent: return judgeFixedAndResent(c, types: types)
        case .notResent: return judgeNotResent(types)
        case .holdRecorded: return judgeHoldRecorded(c, person: person, timeline: timeline, today: today)
        case .cancelRecorded: return judgeCancelRecorded(c, person: person, timeline: timeline, today: today)
        case .transferRecorded: return judgeTransferRecorded(s, c, today: today)
        case .confirmed: return judgeConfirmed(s, c, timeline: timeline, today: today)
        case .monthlyTickets: return judgeMonthlyTickets(s, c, book: book, today: today)
        case .certificateChecked: return judgeCertificateChecked(s, c, book: book, today: today)
        case .ticketsAfterCancel:
            return judgeTicketsAfterCancel(s, c, book: book, timeline: timeline, today: today)
        case .reregistrationRecorded:
            return judgeReregistration(s, c, timeline: timeline, today: today)
        case .registrationDate:
            return judgeRegistrationDate(s, c, server: server, timeline: timeline, today: today)
        case .insurerFollowedUp:
            return judgeFollowUp(c, book: book, months: server.office.reminders.insuredFollowupMonths, today: today)
        case .pendingNotice, .holdNotice, .cancelNotice:
            return judgeNotice(e, c)
        }
    }
}

// The intake's points (R-IN-2, R-IN-4, R-PT-1, R-BR-4).
extension TrainingGrader {
    static func judgeExplained(_ app: Application, person: TrainingScenario.Person) -> Judgement {
        let needed = IntakeForm.explainedPoints(person.branch)
        let missing = needed.filter { !app.explained.contains($0) }
        if missing.isEmpty { return (.right, "説明すべき点をすべて説明しました") }
        return (.missed, "説明していない点があります：\(missing.joined(separator: "・"))")
    }

    static func judgeTicketsAtIntake(_ c: CaseRecord) -> Judgement {
        let atIntake = c.history.contains { $0.eventType == .ticketsIssued && (try? $0.data.decode(as: TicketsIssuedPayload.self).occasion) == "intake" }
        if atIntake { return (.right, "受付時に紙の医療券・調剤券を交付しました") }
        if !c.application.holdsValidTickets {
            return (.missed, "有効な医療券・調剤券を持っていることを記録せず、紙の券も交付していません")
        }
        return (.missed, "紙の医療券・調剤券を受付時に交付していません")
    }

    static func judgeProxy(_ app: Application) -> Judgement {
        guard let p = app.proxy else { return (.missed, "代理人（施設の職員など）を記録していません") }
        if p.name.isEmpty || p.phone.isEmpty || p.relationship.isEmpty {
            return (.missed, "代理人の氏名・連絡先・本人との関係のどれかが空です")
        }
        return (.right, "代理人 \(p.name)（\(p.relationship)）を記録しました")
    }

    static func judgeInsurerTold(_ app: Application) -> Judgement {
        switch app.insurance?.appliedToInsurer {
        case .toldToApply?: return (.right, "保険者にも申請するよう案内しました")
        case .applied?: return (.missed, "本人は保険者に申請していないのに「申請済み」にしました。保険者にも申請するよう案内していません")
        case nil: return (.missed, "保険者にも申請するよう案内していません（併用として受け付けていません）")
        }
    }

    static func judgeInsurerApplied(_ app: Application) -> Judgement {
        switch app.insurance?.appliedToInsurer {
        case .applied?: return (.right, "保険者にも申請済みと記録しました")
        case .toldToApply?: return (.missed, "本人は保険者にも申請済みでした（持参した控えを確かめてください）")
        case nil: return (.missed, "併用として受け付けていません")
        }
    }
}

// Registration's points (R-RG-1, R-RG-4..6, R-RG-8), from the case's lines in journal order.
extension TrainingGrader {
    static func judgeExported(_ s: TrainingScenario, types: [EventType], today: LocalDate) -> Judgement {
        if types.contains(.registrationExported) { return (.right, "一括登録ファイルで登録しました") }
        // R-RG-8: one by one on the 統合専用端末 is a registration too.
        if types.contains(.registrationManual) { return (.right, "統合専用端末で1件ずつ登録しました（R-RG-8）") }
        let due = s.arrives.addingDays(7)
        if today <= due { return (.notYet, "まだ登録していません（\(Wareki.format(due))までに）") }
        return (.missed, "一括登録ファイルで中間サーバーに登録していません（受付から1週間を過ぎました）")
    }

    static func judgeResultImported(_ c: CaseRecord, types: [EventType], today: LocalDate) -> Judgement {
        if types.contains(.registrationAccepted) || types.contains(.registrationFailed) {
            return (.right, "登録結果ファイルを取り込みました")
        }
        if types.contains(.registrationManual) { return (.right, "統合専用端末で登録したので、結果ファイルはありません（R-RG-8）") }
        guard let exportedOn = events(c).first(where: { $0.type == .registrationExported })?.date else {
            return (.notYet, "まだ登録していません")
        }
        if today <= exportedOn { return (.notYet, "登録結果ファイルが届いたところです") }
        return (.missed, "登録結果ファイル（受信フォルダの result_…csv）を取り込んでいません")
    }

    static func judgeFixedAndResent(_ c: CaseRecord, types: [EventType]) -> Judgement {
        let failedAt = types.firstIndex(of: .registrationFailed)
        guard let failedAt else {
            if types.contains(.registrationAccepted) { return (.right, "正しい被保険者枝番で登録されました") }
            return (.notYet, "まだ登録結果が出ていません")
        }
        let after = types[(failedAt + 1)...]
        if after.contains(.registrationAccepted) { return (.right, "原因を直して登録し直し、正常終了になりました") }
        if after.contains(.registrationManual) { return (.right, "原因を直して統合専用端末で登録しました（R-RG-8）") }
        if after.contains(.registrationExported) { return (.notYet, "登録し直しました。結果を待っています") }
        if after.contains(.registrationRequeued) { return (.missed, "登録待ちに戻しましたが、まだ一括登録ファイルで送り直していません") }
        let message = c.lifecycle.failureMessage ?? ""
        return (.missed, "登録エラー（\(message)）のあと、原因を直して登録し直していません")
    }

    static func judgeNotResent(_ types: [EventType]) -> Judgement {
        guard let failedAt = types.firstIndex(of: .registrationFailed) else {
            return (.notYet, types.contains(.registrationExported) ? "登録結果を待っています" : "まだ登録していません")
        }
        if types[(failedAt + 1)...].contains(.registrationRequeued) {
            return (.missed, "「既に登録されています」のエラーなのに登録し直しました。紙の券を交付し、翌月の状況一覧で解除を確かめるだけです")
        }
        return (.right, "登録し直さず、状況一覧での確認を待ちました")
    }
}

// The server's notices and the moves after them (R-HC-1..3, R-IN-4 f, R-CF-1).
extension TrainingGrader {
    static func judgeHoldRecorded(_ c: CaseRecord, person: TrainingScenario.Person, timeline: TrainingServer.Timeline,
                                  today: LocalDate) -> Judgement {
        let holds = timeline.runs.filter { $0.person == person && $0.date <= today }.compactMap { r -> (LocalDate, NoticeReason)? in
            if case .held(let reason) = r.outcome { return (r.date, reason) } else { return nil }
        }
        guard let first = holds.first else { return (.notYet, "保留のお知らせはまだ届いていません") }
        let recorded = Set(c.lifecycle.holds.map(\.reason.rawValue))
        let missing = holds.filter { !recorded.contains($0.1.rawValue) && $0.0 < today }
        if missing.isEmpty && holds.allSatisfy({ recorded.contains($0.1.rawValue) }) {
            return (.right, "保留（\(first.1.label)）を記録しました")
        }
        if missing.isEmpty { return (.notYet, "保留のお知らせが届いたところです（\(Wareki.format(first.0))）") }
        return (.missed, "\(Wareki.format(missing[0].0))の保留のお知らせ（\(missing[0].1.label)）を案件に記録していません")
    }

    static func judgeCancelRecorded(_ c: CaseRecord, person: TrainingScenario.Person, timeline: TrainingServer.Timeline,
                                    today: LocalDate) -> Judgement {
        guard let run = timeline.runs.first(where: { $0.person == person && $0.outcome == .cancelled && $0.date <= today }) else {
            return (.notYet, "取消のお知らせはまだ届いていません")
        }
        if c.lifecycle.cancelNotice == .cancelled, let action = c.lifecycle.actionAfterCancel, !action.isEmpty {
            return (.right, "取消（#5）と、その後の対応「\(action)」を記録しました")
        }
        if run.date >= today { return (.notYet, "取消のお知らせが届いたところです") }
        return (.missed, "\(Wareki.format(run.date))の取消のお知らせ（#5）と、本人に伝えたことなどの対応を記録していません")
    }

    static func judgeTransferRecorded(_ s: TrainingScenario, _ c: CaseRecord, today: LocalDate) -> Judgement {
        if c.status == .transferredOut || c.lifecycle.transferredTo != nil {
            return (.right, "転出（\(c.lifecycle.transferredTo ?? "")）を記録しました")
        }
        guard let told = s.happenings.compactMap(\.on).first, told <= today else {
            return (.notYet, "転居の連絡はまだありません")
        }
        if today <= told.addingDays(3) { return (.notYet, "転居の連絡があったところです（\(Wareki.format(told))）") }
        return (.missed, "\(Wareki.format(told))に転居の連絡があったのに、転出を記録していません（新しい事務所で紙の券を受けるよう伝えます）")
    }

    static func judgeConfirmed(_ s: TrainingScenario, _ c: CaseRecord, timeline: TrainingServer.Timeline, today: LocalDate) -> Judgement {
        let app = c.application
        guard let truth = timeline.cancelledOn[s.person.serverIndividualNumber] else {
            if case .ifTold = s.fate.insurer, app.insurance?.appliedToInsurer != .toldToApply, today > s.arrives.addingDays(45) {
                // The consequence of R-BR-4 not done: the insurer never registers it.
                return (.missed, "保険者への申請を案内しなかったので、解除されないままです")
            }
            return (.notYet, c.status == .confirmed ? "確認済みです" : "まだ解除されていません")
        }
        let arrives = truth.yearMonth.adding(months: 1).firstDay
        if c.status == .confirmed || c.lifecycle.confirmedCancelledOn != nil {
            if c.lifecycle.confirmedCancelledOn == truth { return (.right, "\(Wareki.format(truth))の解除を状況一覧で確認しました") }
            return (.missed, "解除日を \(c.lifecycle.confirmedCancelledOn.map(Wareki.format) ?? "—") としましたが、正しくは \(Wareki.format(truth)) です")
        }
        if today < arrives { return (.notYet, "\(Wareki.format(truth))に解除される予定です（\(Wareki.format(arrives))に届く状況一覧で確認）") }
        if today <= arrives.addingDays(7) { return (.notYet, "状況一覧（\(Wareki.format(truth.yearMonth))分）が届いています。取り込んで確認してください") }
        return (.missed, "状況一覧ファイル（status_\(truth.yearMonth.iso.filter(\.isNumber)).csv）を取り込んで解除を確認していません")
    }
}

// Monthly work and notices (R-PT-2, R-RL-2, R-NT-1..3).
extension TrainingGrader {
    static func judgeMonthlyTickets(_ s: TrainingScenario, _ c: CaseRecord, book: CaseBook, today: LocalDate) -> Judgement {
        let month = s.arrives.yearMonth.adding(months: 1)
        if ticketsGiven(c, month: month, book: book) { return (.right, "\(Wareki.format(month))分の紙の医療券・調剤券を交付しました") }
        if today < month.firstDay { return (.notYet, "\(Wareki.format(month))分は翌月に交付します") }
        if today <= month.firstDay.addingDays(6) { return (.notYet, "\(Wareki.format(month))分の紙の券を交付する時期です（要対応 F9）") }
        return (.missed, "\(Wareki.format(month))分の紙の医療券・調剤券を交付していません（要対応 F9 で済みにします）")
    }

    static func judgeCertificateChecked(_ s: TrainingScenario, _ c: CaseRecord, book: CaseBook, today: LocalDate) -> Judgement {
        let marked = book.doneReminders.keys.contains { $0.hasPrefix("\(Reminder.Kind.certificateExpiry.rawValue):\(c.number):") }
        if marked { return (.right, "電子証明書の期限を確かめ、紙の券の交付を済みにしました") }
        // The first monthly status file after the intake shows the expiry.
        let shown = s.arrives.yearMonth.adding(months: 1).firstDay
        guard today >= shown else { return (.notYet, "状況一覧がまだ届いていません") }
        if today <= shown.addingDays(7) { return (.notYet, "状況一覧が届いています。取り込むと期限切れが要対応に出ます") }
        return (.missed, "状況一覧で電子証明書の期限（\(Wareki.format(s.person.certificateExpiry))）が迫っているのに、要対応を済みにしていません")
    }

    static func judgeNotice(_ e: TrainingScenario.Expectation, _ c: CaseRecord) -> Judgement {
        let kind: NoticeKind = e == .pendingNotice ? .pending : e == .holdNotice ? .hold : .cancel
        if c.notices.contains(where: { $0.kind == kind }) { return (.right, "\(kind.label)を作りました") }
        switch kind {
        case .pending:
            return (.missed, "受付控え（通知）を作っていません（F7 → 通知を作る）")
        case .hold:
            guard c.lifecycle.holds.isEmpty == false else { return (.notYet, "保留を記録してから作ります") }
            return (.missed, "保留の通知を作っていません（F7 → 通知を作る）")
        case .cancel:
            guard c.lifecycle.cancelNotice != nil else { return (.notYet, "取消を記録してから作ります") }
            return (.missed, "取消の通知を作っていません（F7 → 通知を作る）")
        case .transfer:
            return (.notYet, "転出先への連絡は採点の対象ではありません")   // no graded point asks for it
        }
    }
}

// Issue 13: the rarer branches (R-PT-4, R-CF-3, R-RG-9, R-CF-4).
extension TrainingGrader {
    /// R-PT-4, R-HC-3 (amended 2026-11-30): a cancel #5 does not end paper tickets; the month after the
    /// cancelling run needs them like any other.
    static func judgeTicketsAfterCancel(_ s: TrainingScenario, _ c: CaseRecord, book: CaseBook, timeline: TrainingServer.Timeline,
                                        today: LocalDate) -> (ScenarioGrade.Verdict, String) {
        guard let run = timeline.runs.first(where: { $0.person == s.person && $0.outcome == .cancelled && $0.date <= today }) else {
            return (.notYet, "取消のお知らせはまだ届いていません")
        }
        let month = run.date.yearMonth.adding(months: 1)
        if ticketsGiven(c, month: month, book: book) {
            return (.right, "取消（#5）の後も、\(Wareki.format(month))分の紙の医療券・調剤券を交付しました")
        }
        if today < month.firstDay { return (.notYet, "\(Wareki.format(month))分は翌月に交付します") }
        if today <= month.firstDay.addingDays(6) { return (.notYet, "\(Wareki.format(month))分の紙の券を交付する時期です（要対応 F9）") }
        return (.missed, "取消（#5）になっても、カードで資格を確かめられないので紙の医療券・調剤券は毎月要ります。"
                    + "\(Wareki.format(month))分を交付していません（要対応 F9、F7 → 紙の医療券・調剤券を交付、madoguchi tickets）")
    }

    /// R-CF-3: 初回登録状態 1 in the status file for a person whose cancellation was confirmed is a
    /// re-registration; the clerk records it with the row's 初回登録日 (R-PT-2: tickets stop after it).
    static func judgeReregistration(_ s: TrainingScenario, _ c: CaseRecord, timeline: TrainingServer.Timeline,
                                    today: LocalDate) -> (ScenarioGrade.Verdict, String) {
        guard let again = s.fate.reregistersOn, let cancelled = timeline.cancelledOn[s.person.serverIndividualNumber], again > cancelled else {
            return (.notYet, "解除はまだ済んでいません")
        }
        let month = again.yearMonth
        let shown = month.adding(months: 1).firstDay
        if let recorded = c.lifecycle.reregisteredOn {
            if recorded == again { return (.right, "状況一覧の初回登録状態 1 を見て、再登録（\(Wareki.format(again))）を記録しました") }
            return (.missed, "再登録の日を \(Wareki.format(recorded)) と記録しましたが、状況一覧の初回登録日は \(Wareki.format(again)) です")
        }
        if today < shown { return (.notYet, "まだ状況一覧に出ていません") }
        if today <= shown.addingDays(7) {
            return (.notYet, "状況一覧（\(Wareki.format(month))分）が届いています。取り込んで、確認済みの人の行を確かめてください")
        }
        return (.missed, "\(Wareki.format(month))分の状況一覧で、解除を確認した人が初回登録状態 1（初回登録日 \(Wareki.format(again))）になっています。"
                    + "再登録を記録していません（F7 → 再登録を記録、madoguchi record-reregistration）")
    }

    /// R-RG-9, R-DT-1: the registration date is the day the server accepted the upload. A result file
    /// imported in the next month must not move the expected cancellation a month.
    static func judgeRegistrationDate(_ s: TrainingScenario, _ c: CaseRecord, server: TrainingServer, timeline: TrainingServer.Timeline,
                                      today: LocalDate) -> (ScenarioGrade.Verdict, String) {
        guard let upload = timeline.uploads.last(where: { u in
            u.lines.contains { $0.serverIndividualNumber == s.person.serverIndividualNumber && $0.accepted }
        }) else {
            return (.notYet, "まだ中間サーバーに受け付けられていません")
        }
        let truth = upload.date
        let expected = CancellationDate.expected(registeredOn: truth)
        if let recorded = c.lifecycle.registeredOn {
            if recorded == truth {
                return (.right, "登録日を中間サーバーが受け付けた\(Wareki.format(truth))と記録しました（解除予定 \(Wareki.format(expected))）")
            }
            return (.missed, "登録日を \(Wareki.format(recorded)) と記録しましたが、中間サーバーが受け付けたのは \(Wareki.format(truth))（一括登録ファイルを送った日）です。"
                        + "解除予定が \(Wareki.format(expected)) から \(Wareki.format(CancellationDate.expected(registeredOn: recorded))) にずれました")
        }
        let arrives = server.resultArrives(upload)
        if today <= arrives.addingDays(7) { return (.notYet, "登録結果ファイルを取り込むときに登録日を記録します") }
        return (.missed, "登録結果ファイル（\(Wareki.format(arrives))着）を取り込んでいないので、登録日が記録されていません")
    }

    /// R-CF-4, R-BR-4: an insured case still unconfirmed `months` months after intake is checked with
    /// the person and the insurer when the follow-up reminder comes (marked done, F9).
    static func judgeFollowUp(_ c: CaseRecord, book: CaseBook, months: Int, today: LocalDate) -> (ScenarioGrade.Verdict, String) {
        if let asked = TrainingServer.followedUp(c, in: book) {
            return (.right, "\(Wareki.format(asked))に本人と保険者に確かめました")
        }
        if c.status == .confirmed { return (.right, "解除を状況一覧で確認しました") }
        guard c.application.branch == .insured, let received = c.receivedOn else {
            return (.missed, "併用として受け付けていないので、保険者の登録を確かめる要対応が出ません")
        }
        let due = received.addingMonths(months)
        if today < due { return (.notYet, "受付から\(months)か月（\(Wareki.format(due))）たっても解除が確認できなければ、本人と保険者に確かめます") }
        if today <= due.addingDays(7) { return (.notYet, "要対応（F9）に「保険者の登録・転入の確認」が出ています") }
        return (.missed, "受付から\(months)か月たっても解除が確認できないのに、本人と保険者に確かめていません"
                    + "（要対応 F9「保険者の登録・転入の確認」で確かめて済みにします）")
    }
}
