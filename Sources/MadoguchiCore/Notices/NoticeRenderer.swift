import Foundation

/// Renders notices from an office's templates (R-NT-1..4). Pure: the same case, office, clerk and
/// date give the same text, so the text can be compared with a checked-in copy.
///
/// What a template can use (`{{name}}`; sections `{{#name}}…{{/name}}` for flags and lists):
///
/// - every kind: `date` (today in 和暦), `office.name`, `office.publicPayerNumber`, `caseNumber`,
///   `clerk.name`, `clerk.id`, `clerk.role`, `receivedBy`, `receivedDate`, `applicationDate`, `status`,
///   `applicant.{name,furigana,birthDate,postalCode,address,phone}`, `recipientNumber`,
///   `serverIndividualNumber`, `proxy.{name,furigana,relationship,phone,email}`, `branch`, `assistanceOnly`,
///   `insured`, `insurance.{insurerName,insurerNumber,applied,toldToApply}`, `transferredFrom`,
///   `tickets` (`kind`, `institution`, `month`), `hasTickets`, `holdsValidTickets`, `registeredOn`,
///   `expected.{date,afterRegistration,exampleMonth,exampleDate,afterInsurer,afterPreviousOffice,label}`;
/// - hold: `hold.{reasonCode,reasonLabel,noticeDate,run,recheckDate,count,persistent,reason1…reason4,personMustAct}`;
/// - cancel: `cancel.{reasonLabel,noticeDate,run,action}` (`run`: the month-end run the お知らせ reports, R-HC-2).
///
/// A training office's notice always carries the banner at the top and the bottom; the code adds it,
/// so an edited template cannot drop it.
public struct NoticeRenderer: Sendable {
    public static let trainingBanner = "＊＊＊＊＊　研修モード・実際の通知ではありません　＊＊＊＊＊"

    public let templates: NoticeTemplates

    public init(templates: NoticeTemplates) {
        self.templates = templates
    }

    /// The notice as UTF-8 text with LF line ends, ending in one newline.
    public func render(_ kind: NoticeKind, for c: CaseRecord, office: OfficeConfig, clerk: Operator, today: LocalDate) throws -> String {
        let context = Self.neutralisedContext(try Self.context(kind, for: c, office: office, clerk: clerk, today: today))
        // R-FL-5: the template is the office's own file, but a control character in it would reach
        // the printer and whoever `cat`s the notice all the same.
        let body = Self.tidy(TextNormalizer.terminalSafe(templates.render(kind, context)))
        guard office.isTraining else { return body }
        return Self.trainingBanner + "\n\n" + body + "\n" + Self.trainingBanner + "\n"
    }

    /// Every text a template sees, as a notice may carry it (R-FL-5, R-ID-4): control characters shown
    /// as `<U+001B>` and 個人番号-like numbers masked — a journal written before those rules, or an
    /// imported text, may hold either.
    static func neutralised(_ value: Any) -> Any {
        switch value {
        case let s as String: return TextNormalizer.importedText(s)
        case let d as [String: Any]: return d.mapValues(neutralised)
        case let a as [[String: Any]]: return a.map { $0.mapValues(neutralised) }
        case let a as [Any]: return a.map(neutralised)
        default: return value
        }
    }

    static func neutralisedContext(_ context: [String: Any]) -> [String: Any] { context.mapValues(neutralised) }

    /// Trailing spaces off every line, no blank lines at the start or the end, one final newline.
    static func tidy(_ s: String) -> String {
        var lines = s.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: The values a template sees

    public static func context(_ kind: NoticeKind, for c: CaseRecord, office: OfficeConfig, clerk: Operator, today: LocalDate) throws -> [String: Any] {
        let a = c.application
        var v: [String: Any] = [:]
        v["training"] = office.isTraining
        v["date"] = Wareki.format(today)
        v["office"] = ["name": office.officeName, "publicPayerNumber": office.publicPayerNumber]
        v["caseNumber"] = c.number
        v["clerk"] = ["name": clerk.name, "id": clerk.id, "role": clerk.role.label]
        v["receivedBy"] = office.operatorNamed(c.receivedBy)?.name ?? c.receivedBy
        if let d = c.receivedOn { v["receivedDate"] = Wareki.format(d) }
        v["applicationDate"] = Wareki.format(a.applicationDate)
        v["status"] = c.status.label

        let p = a.applicant
        var applicant: [String: Any] = ["name": p.name, "furigana": p.furigana, "phone": p.phone]
        if let b = p.birthDate { applicant["birthDate"] = Wareki.format(b) }
        if p.postalCode.count == 7 {
            applicant["postalCode"] = "\(p.postalCode.prefix(3))-\(p.postalCode.suffix(4))"
        } else if !p.postalCode.isEmpty {
            applicant["postalCode"] = p.postalCode
        }
        applicant["address"] = p.prefecture + p.municipality + p.address
        v["applicant"] = applicant
        v["recipientNumber"] = a.recipientNumber
        if let n = a.serverIndividualNumber { v["serverIndividualNumber"] = n }
        if let x = a.proxy {
            v["proxy"] = ["name": x.name, "furigana": x.furigana, "relationship": x.relationship, "phone": x.phone, "email": x.email ?? ""]
        }
        v["branch"] = a.branch.label
        v["assistanceOnly"] = a.branch == .assistanceOnly
        v["insured"] = a.branch == .insured
        if let ins = a.insurance {
            v["insurance"] = ["insurerName": ins.insurerName, "insurerNumber": ins.insurerNumber,
                              "applied": ins.appliedToInsurer == .applied, "toldToApply": ins.appliedToInsurer == .toldToApply]
        }
        if let from = a.transferredFrom { v["transferredFrom"] = from }
        v["tickets"] = c.ticketsIssued.map { ["kind": $0.kind.label, "institution": $0.institution, "month": Wareki.format($0.month)] }
        v["hasTickets"] = !c.ticketsIssued.isEmpty
        v["holdsValidTickets"] = a.holdsValidTickets
        if let r = c.lifecycle.registeredOn { v["registeredOn"] = Wareki.format(r) }
        v["expected"] = expected(c, today: today)

        switch kind {
        case .pending:
            break
        case .hold:
            // R-NT-2: one per held request; the latest hold is the one this notice is about.
            guard let h = c.lifecycle.holds.last else {
                throw NoticeError.notApplicable(caseNumber: c.number, kind: kind, reason: "保留の記録がありません（record-notice で保留 #1〜#4 を記録してから作ってください）")
            }
            var hold: [String: Any] = [
                "reasonCode": h.reason.rawValue, "reasonLabel": h.reason.label,
                "noticeDate": Wareki.format(h.noticeDate), "recheckDate": Wareki.format(h.recheckDate),
                // R-HC-2: the run the お知らせ reports, whose next run re-checks it.
                "run": Wareki.format(h.run.lastDay),
                "count": max(c.lifecycle.consecutiveHolds, 1), "persistent": CaseLifecycle.isPersistentHold(c),
                // Where the person must act, the notice carries a letter to them (R-NT-2).
                "personMustAct": h.reason == .misEntrySuspected,
            ]
            for r in NoticeReason.allCases where r.isHold { hold["reason\(r.rawValue)"] = r == h.reason }
            v["hold"] = hold
        case .cancel:
            // A #5 case stays one after the status file confirms the other route's cancellation (R-CF-3).
            guard c.lifecycle.cancelNotice == .cancelled else {
                throw NoticeError.notApplicable(caseNumber: c.number, kind: kind, reason: "取消（#5）の記録がありません（状態：\(c.status.label)）")
            }
            var cancel: [String: Any] = ["reasonLabel": NoticeReason.cancelled.label, "action": c.lifecycle.actionAfterCancel ?? ""]
            // The notice's date is on the journal line of the cancel (R-HC-3).
            if let r = c.history.last(where: { $0.eventType == .serverCancelled }),
               case .cancelledByServer(let d, _)? = try? CaseLifecycle.decode(r) {
                cancel["noticeDate"] = Wareki.format(d)
                cancel["run"] = Wareki.format(CaseLifecycle.run(ofCancelNotice: d, on: c).lastDay)   // R-HC-2, R-HC-3
            }
            v["cancel"] = cancel
        case .transfer:
            // R-IN-7: the new office must know whether the request reached the server.
            guard let to = c.lifecycle.transferredTo else {
                throw NoticeError.notApplicable(caseNumber: c.number, kind: kind, reason: "転出の記録がありません（状態：\(c.status.label)）")
            }
            var transfer: [String: Any] = ["office": to, "registered": c.lifecycle.registeredOn != nil,
                                           "notRegistered": c.lifecycle.registeredOn == nil]
            if let r = c.history.last(where: { $0.eventType == .caseTransferredOut }),
               case .transferredOut(_, let d)? = try? CaseLifecycle.decode(r) {
                transfer["date"] = Wareki.format(d)
            }
            v["transfer"] = transfer
        }
        return v
    }

    /// The expected cancellation (R-DT-1, R-DT-3, R-HC-2) as the notices say it.
    static func expected(_ c: CaseRecord, today: LocalDate) -> [String: Any] {
        let e = CaseLifecycle.expectedCancellation(c)
        var x: [String: Any] = ["label": e.label]
        switch e {
        case .afterRegistration:
            // R-DT-1: the registration date counts; say what registering this month would give.
            x["afterRegistration"] = true
            x["exampleMonth"] = Wareki.format(today.yearMonth)
            x["exampleDate"] = Wareki.format(CancellationDate.expected(registeredOn: today))
        case .unknownUntilConfirmed:
            if c.status == .transferredIn { x["afterPreviousOffice"] = true } else { x["afterInsurer"] = true }
        case .expected(let d), .cancelledOn(let d):
            x["date"] = Wareki.format(d)
        case .none:
            break
        }
        return x
    }
}
