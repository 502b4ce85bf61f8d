import Foundation

extension StatusRow {
    /// R-CF-1: 初回登録状態 0, 初回登録解除日 filled, 初回登録解除区分 1 — all three.
    public var confirms: Bool { !registered && cancelledOn != nil && cancelKind == "1" }
}

/// The rows of a monthly status file about one of the office's people that do not confirm their
/// case, each with the row and what the clerk should do (R-CF-3, added 2026-11-30: "never ignored
/// silently"). Reads the book, writes nothing: the import keeps the list on its report.
struct StatusNotes {
    typealias Note = ImportReport.RowNote

    let today: LocalDate
    let office: OfficeConfig
    /// Each row's 被保険者証番号 (the 受給者番号 for a welfare office), by row (the import passes only
    /// those that are the 受給者番号 of a case in `blank`: no other row is named).
    let cardNumbers: [Int: String]
    /// Open cases without a 被保険者枝番, by 受給者番号 (R-ID-2: never matched, only named).
    let blank: [String: [CaseRecord]]
    private(set) var list: [Note] = []
    /// Rows still saying 初回登録状態 1 for a case whose date has passed: said on the due list.
    private var dueRows: [String: Int] = [:]

    init(today: LocalDate, office: OfficeConfig, cardNumbers: [Int: String], blank: [String: [CaseRecord]]) {
        self.today = today
        self.office = office
        self.cardNumbers = cardNumbers
        self.blank = blank
    }

    /// A due case with the row that still shows the person registered.
    func withRow(_ due: ImportReport.Due) -> ImportReport.Due {
        var d = due
        d.row = dueRows[due.caseNumber]
        return d
    }

    private mutating func note(_ row: StatusRow, _ kind: Note.Kind, _ c: CaseRecord, _ detail: String, _ todo: String) {
        list.append(Note(row: row.row, kind: kind, caseNumber: c.number, name: c.application.applicant.name, detail: detail, todo: todo))
    }

    /// What the row says, in the file's words.
    private static func said(_ row: StatusRow) -> String {
        var parts = ["初回登録状態 \(row.registered ? "1（利用登録あり）" : "0（利用登録なし）")"]
        parts.append("初回登録日 \(row.registeredOn.map(Wareki.format) ?? "なし")")
        if let d = row.cancelledOn { parts.append("解除日 \(Wareki.format(d))") }
        if row.cancelledOn != nil || !row.cancelKind.isEmpty {
            parts.append("解除区分 \(row.cancelKind.isEmpty ? "空欄" : "「\(FieldRules.shown(row.cancelKind))」")")
        }
        return parts.joined(separator: "・")
    }

    /// A row that does not confirm (or that matches no case): what it means for each case of the person.
    mutating func add(_ row: StatusRow, _ cases: [CaseRecord]?) {
        guard let cases, let newest = cases.last else {
            recipientNumberOnly(row)
            return
        }
        let said = Self.said(row)
        for c in cases {
            if c.status.isOpen {
                if !row.registered {
                    if row.cancelledOn != nil {
                        note(row, .otherRoute, c, said,
                             "この事務所の申請による解除ではありません（解除の確認は区分 1 だけ、R-CF-1）。解除区分の意味と事情（カードの返納など）を本人に確かめてください。"
                             + "中間サーバーに申請があれば取消（#5）のお知らせが届くので記録してください（R-HC-1）。紙の医療券・調剤券は引き続き交付します（R-PT-4）")
                    } else {
                        note(row, .notRegistered, c, said, row.registeredOn == nil
                             ? "カードの利用登録（初回登録）がない人です。解除の申請は実行されません（R-PC-1 1）。本人に確かめ、必要なら取下げを記録してください"
                             : "利用登録なしなのに解除日が空です。統合専用端末で中間サーバーの情報を確かめてください")
                    }
                } else if case .expected(let d) = CaseLifecycle.expectedCancellation(c), d < today {
                    dueRows[c.number] = row.row   // said with the due list (R-CF-1)
                } else {
                    note(row, .stillRegistered, c, said + "・案件「\(c.status.label)」・解除予定 \(CaseLifecycle.expectedCancellation(c).label)", Self.waiting(c))
                }
            } else if c.status == .cancelledByServer {
                if !row.registered {
                    note(row, row.cancelledOn == nil ? .notRegistered : .otherRoute, c, said,
                         "取消（#5）の理由（カードの返納・別の解除申請）と合っています。記録はこのままで、紙の医療券・調剤券を引き続き交付してください（R-PT-4）")
                } else if let cancelled = row.cancelledOn, let again = row.registeredOn, again > cancelled {
                    if c.lifecycle.reregisteredOn == nil && c.number == newest.number { reregistered(row, c, said, after: cancelled) }
                } else {
                    note(row, .cancelledStillRegistered, c, said,
                         "取消（#5）の案件ですが、利用登録が残っています。別の経路の解除が済むのを待ち、事情を本人に確かめてください。"
                         + "解除されれば次の月の状況一覧で確認を記録します（R-CF-3）。紙の医療券・調剤券は引き続き交付します（R-PT-4）")
                }
            } else if c.status == .confirmed, row.registered, c.lifecycle.reregisteredOn == nil, c.number == newest.number {
                reregistered(row, c, said, after: c.lifecycle.confirmedCancelledOn)
            }
        }
    }

    /// 初回登録状態 1 after the cancellation (R-CF-3, R-PT-2): flagged, recordable from the list.
    private mutating func reregistered(_ row: StatusRow, _ c: CaseRecord, _ said: String, after cancelled: LocalDate?) {
        let on = row.registeredOn.flatMap { d in cancelled.map { d > $0 } ?? true ? d : nil }
        var n = Note(row: row.row, kind: .reregistered, caseNumber: c.number, name: c.application.applicant.name,
                     detail: said + (cancelled.map { "・解除確認 \(Wareki.format($0))" } ?? ""),
                     todo: "解除のあとでカードを再登録したようです。本人に確かめ、再登録を記録してください（"
                        + (on.map { "再登録日は\(Wareki.format($0))" } ?? "再登録日は本人に確かめて") + "）。記録した翌月から紙の医療券・調剤券は要りません（R-PT-2）")
        n.recordReregistration = true
        n.reregisteredOn = on?.iso
        list.append(n)
    }

    /// What to do while a case waits for its cancellation (初回登録状態 1, not due yet).
    private static func waiting(_ c: CaseRecord) -> String {
        switch c.status {
        case .received, .awaitingRegistration, .registrationFailed:
            return "中間サーバーへの登録がまだです。一括登録を進めてください（R-RG-1）"
        case .exported:
            return "登録結果ファイルを取り込んでください（R-FL-1）"
        case .waitingForInsurer:
            return "保険者の登録を待っています。保険者に申請したか本人に確かめてください（R-BR-4, R-CF-4）"
        case .transferredIn:
            return "前の事務所の申請の処理を待っています（R-PT-3, R-CF-4）"
        default:
            return "解除予定日の月末処理を待ってください（今は何もしなくて構いません）"
        }
    }

    /// R-ID-2: a row whose 被保険者証番号 equals the 受給者番号 of an open case without a 被保険者枝番,
    /// under the same 保険者番号 — not matched (the 受給者番号 is not a person's number), but said.
    private mutating func recipientNumberOnly(_ row: StatusRow) {
        guard !cardNumbers.isEmpty, let card = cardNumbers[row.row], let cases = blank[card] else { return }
        for c in cases where MatchKey.insurer(of: c, office: office) == row.insurerNumber {
            note(row, .recipientNumberOnly, c,
                 "被保険者証番号 \(FieldRules.shown(card)) が案件の受給者番号と同じです（行の被保険者枝番 \(row.serverIndividualNumber)、案件の被保険者枝番は空欄）",
                 "受給者番号は人に固定の番号ではないので、これだけでは照合しません（R-ID-2）。本人の被保険者枝番を確かめて案件に入力してください（R-RG-2）。"
                 + "同じ人なら次の月の状況一覧で照合されます")
        }
    }

    /// R-HC-2, R-CF-3: the confirmed 解除日 against the month the holds recorded make expected.
    /// Later: the server held the request without an お知らせ recorded here; earlier: a recorded
    /// hold the server never sent (it vanishes at the confirmation). Flagged; the confirmation stands.
    mutating func checkHolds(_ row: StatusRow, _ c: CaseRecord, cancelledOn: LocalDate) {
        guard c.status.isOpen, case .expected(let expected) = CaseLifecycle.expectedCancellation(c) else { return }
        let months = (cancelledOn.yearMonth.year - expected.yearMonth.year) * 12 + cancelledOn.yearMonth.month - expected.yearMonth.month
        let detail = "解除日 \(Wareki.format(cancelledOn))・解除予定日 \(Wareki.format(expected))（記録した保留 \(c.lifecycle.holds.count)回）"
        if months > 0 {
            note(row, .holdMismatch, c, detail + "：予定より\(months)か月あと",
                 "記録していない保留があったはずです（お知らせが届かなかったか、記録していません）。統合専用端末のお知らせを確かめ、理由を案件のメモに残してください。解除の確認は記録しました（R-HC-2）")
        } else if months < 0, let hold = c.lifecycle.holds.last {
            note(row, .holdMismatch, c, detail + "：保留（\(hold.reason.label)、再確認 \(Wareki.format(hold.recheckDate))）の前に解除されています",
                 "記録した保留が中間サーバーからのお知らせか（別の人の分を記録していないか）確かめてください。解除の確認は記録しました（R-HC-2）")
        } else if months < 0 {
            note(row, .holdMismatch, c, detail + "：予定より前に解除されています",
                 "この事務所の申請より前の別の解除申請（保険者など）で解除されたようです。解除の確認は記録しました（R-CF-3）")
        }
    }
}
