extension Reminders {
    // MARK: R-CF-4

    /// R-CF-4: an insured case (保険者の登録待ち) or a transferred-in case (転入) has no computable
    /// cancellation date (R-DT-3), yet it is not followed forever in silence. When `months` months have
    /// passed since it was received and no monthly status row has confirmed it, the clerk is asked to
    /// check with the person and the insurer (R-BR-4) and to look at the next status file. One occurrence
    /// per period of `months` months (id `insured_followup:CASE:DUE`): marked done, it comes back at the
    /// next period while the case is still unconfirmed.
    static func insuredFollowUp(_ c: CaseRecord, today: LocalDate, months: Int) -> [Reminder] {
        guard months > 0, [.waitingForInsurer, .transferredIn].contains(c.status), let received = c.receivedOn else { return [] }
        let elapsed = (today.year - received.year) * 12 + today.month - received.month
        var periods = elapsed / months
        if periods > 0, received.addingMonths(periods * months) > today { periods -= 1 }
        guard periods > 0 else { return [] }
        let due = received.addingMonths(periods * months)
        let app = c.application
        let who: String
        if let office = app.transferredFrom {
            who = "転入前の福祉事務所（\(office)）"
                + (app.insurance.map { "と保険者（\($0.insurerName)）" } ?? "")
                + "で解除の登録がされたかを、本人と\(app.insurance == nil ? "転入前の福祉事務所" : "それぞれ")に確かめ"
        } else {
            let insurer = app.insurance.map { "保険者（\($0.insurerName)）" } ?? "保険者"
            who = "\(insurer)が解除の登録をしたか（本人が保険者に申請したか）を、本人と\(insurer)に確かめ"
        }
        return [Reminder(
            id: "\(Reminder.Kind.insuredFollowUp.rawValue):\(c.number):\(due.iso)", kind: .insuredFollowUp,
            caseNumber: c.number, name: app.applicant.name,
            message: "受付（\(Wareki.format(received))）から\(periods * months)か月たっても、月次の状況一覧で解除が確認できていません（解除予定日は未定のまま）。"
                + "\(who)、次の月次の初回登録・有効期限状況一覧ファイルを取り込んで確かめてください — R-CF-4",
            due: due)]
    }
}
