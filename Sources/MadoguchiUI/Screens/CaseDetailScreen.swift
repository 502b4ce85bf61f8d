import MadoguchiCore

extension DeskState {
    /// Where a field's value starts on the case screen: continuation rows line up under it.
    static let detailValueColumn = 2 + 14 + 1

    /// The case's details and its history, every field whole (wrapped, never cut: issue 11).
    func caseDetailLines(_ r: CaseRecord) -> [Paragraph] {
        let a = r.application
        let p = a.applicant
        var lines: [Paragraph] = []
        func section(_ t: String) { lines.append(Paragraph("── \(t) ──", .heading)) }
        func item(_ label: String, _ value: String) {
            lines.append(Paragraph("  \(DisplayWidth.pad(label, to: 14)) \(value.isEmpty ? "（空欄）" : value)", indent: Self.detailValueColumn))
        }
        lines.append(Paragraph("案件 \(r.number)　\(p.name)（\(p.furigana)）", .heading, indent: 2))
        item("状態", r.status.label)
        item("区分", a.branch.label)
        switch CaseLifecycle.expectedCancellation(r) {
        case .afterRegistration: item("解除予定日", "中間サーバーへの登録後に決まります（登録月の翌月末、R-DT-1）")
        case .unknownUntilConfirmed: item("解除予定日", "未定（保険者の登録後、月次の状況一覧ファイルで確認、R-DT-3）")
        case .expected(let d):
            let holds = r.lifecycle.holds.count
            item("解除予定日", Wareki.format(d) + (holds > 0 ? "（保留 \(holds)回で \(holds)か月後ろへ、R-HC-2）" : "（登録月の翌月末、R-DT-1）"))
        case .cancelledOn(let d): item("解除日", "\(Wareki.format(d))（状況一覧ファイルで確認、R-CF-1）")
        case .none: break
        }
        let f = r.lifecycle
        if let reg = f.registeredOn { item("登録日", Wareki.format(reg)) }
        if let file = f.exportFile { item("登録ファイル", file) }
        if let hold = f.holds.last, r.status == .held {
            // R-HC-2: the run that held it, and the run after that re-checks it.
            item("保留", "\(hold.reason.label)　\(Wareki.format(hold.run))末の処理　次の確認 \(Wareki.format(hold.recheckDate))")
        }
        if let b = batchNote(for: r.number) { item("一括登録", b) }
        if let to = f.transferredTo { item("転出先", to) }
        if let why = f.endReason { item("取下げの理由", why) }
        if let action = f.actionAfterCancel { item("取消後の対応", action) }
        item("受付", "\(Self.formatTime(r.receivedAt))　\(config.name(of: r.receivedBy))")
        if let from = a.transferredFrom { item("転入前の事務所", "\(from)（そちらで解除を申請済み、R-PT-3）") }
        let todays = reminders.filter { $0.caseNumber == r.number }.map(\.message)
        let todo = todays.isEmpty ? r.reminders : todays
        if !todo.isEmpty {
            section("要対応")
            for m in todo { lines.append(Paragraph("  ！ \(m)", .warning, indent: 5)) }
        }
        section("申請者")
        item("生年月日", p.birthDate.map(Wareki.format) ?? "")
        let postal = p.postalCode.count == 7 ? "〒\(p.postalCode.prefix(3))-\(p.postalCode.suffix(4)) " : ""
        item("住所", postal + p.prefecture + p.municipality + p.address)
        item("電話番号", p.phone)
        item("メール", p.email)
        item("受給者番号", a.recipientNumber)
        item("被保険者枝番", a.serverIndividualNumber ?? "")
        if let proxy = a.proxy {
            section("代理人（R-IN-2）")
            item("氏名", proxy.name + (proxy.furigana.isEmpty ? "" : "（\(proxy.furigana)）"))
            item("連絡先", proxy.phone)
            item("メール", proxy.email ?? "")
            item("本人との関係", proxy.relationship)
        }
        section("申請書")
        item("申請日", Wareki.format(a.applicationDate))
        item("申請の意思", a.requestTicked ? "印あり" : "なし")
        item("署名", a.signedFormReceived ? "署名のある申請書を受領（R-IN-3）" : "未受領")
        item("理由", a.reason)
        if let ins = a.insurance {
            section("医療保険（R-BR-3..5）")
            item("保険者", "\(ins.insurerName)（\(ins.insurerNumber)）")
            item("保険者への申請", ins.appliedToInsurer == .applied ? "申請済み" : "未申請（案内した）")
            item("確認方法", Self.verificationLabel(ins.verifiedBy))
        }
        section("紙の医療券・調剤券（R-PT-1）")
        if r.ticketsIssued.isEmpty {
            lines.append(Paragraph(a.holdsValidTickets ? "  未交付" : "  受付時に有効な券なし"))
        }
        for t in r.ticketsIssued { lines.append(Paragraph("  \(t.kind.label)　\(t.institution)　\(Wareki.format(t.month))分", indent: 4)) }
        section("説明（R-IN-4）")
        lines.append(Paragraph("  " + a.explained.map { "\($0) 済" }.joined(separator: "　"), indent: 2))
        section("履歴")
        for h in r.history {
            // The operator's name, not the id in the journal (issue 11, item 8).
            lines.append(Paragraph("  \(Self.formatTime(h.time))　\(config.name(of: h.operatorID))　\(Self.eventLabel(h, form: config.form))", indent: 4))
        }
        return lines
    }

    /// The sign-off of the last batch the case was put in (R-SG-2, issue 11 item 7): a returned
    /// batch with who returned it, when, and the comment; a batch waiting for approval.
    func batchNote(for number: String) -> String? {
        guard let b = batches.last(where: { $0.cases.contains(number) }) else { return nil }
        switch b.state {
        case .returned:
            let when = b.decidedAt.flatMap { LocalDate(iso: String($0.prefix(10))) }.map { "、" + Wareki.format($0) } ?? ""
            return "差し戻し（\(b.decidedBy.map(config.name(of:)) ?? "")\(when)）：\(b.comment ?? "コメントなし")　\(b.id)"
        case .prepared: return "承認待ち（\(b.id)、準備 \(config.name(of: b.preparedBy))）"
        case .approved: return "承認済み・未出力（\(b.id)、承認 \(b.decidedBy.map(config.name(of:)) ?? "")）"
        case .exported: return nil
        }
    }

    static func verificationLabel(_ v: Application.InsuranceVerification) -> String {
        switch v {
        case .networkInquiry: return "情報提供ネットワークシステムで照会"
        case .eligibilityCertificate: return "資格確認書"
        case .eligibilityNotice: return "資格情報のお知らせ"
        case .mynaPortalPDF: return "マイナポータルの資格情報画面"
        case .healthInsuranceCard: return "健康保険証"
        }
    }

    static func eventLabel(_ r: JournalRecord, form: FormDefinition? = nil) -> String {
        switch r.eventType {
        case .received: return "受付"
        case .applicationCorrected:
            // R-AM-1: the fields old → new and the reason; the intake line above stays as it was.
            return (try? r.data.decode(as: CorrectionPayload.self)).map { Correction.summary($0, form: form) } ?? "訂正"
        case .ticketsIssued:
            let p = try? r.data.decode(as: TicketsIssuedPayload.self)
            // After intake (R-PT-2, R-PT-4): which ticket, where, for which month, in the history itself.
            if let p, p.occasion != "intake" {
                let what = p.tickets.map { "\($0.kind.label) \($0.institution) \(Wareki.format($0.month))分" }.joined(separator: "、")
                return "紙の医療券・調剤券を交付（受付後：\(what)）— R-PT-2"
            }
            return "紙の医療券・調剤券を交付（\(p?.tickets.count ?? 0)枚）"
        case .noticeIssued:
            let p = try? r.data.decode(as: NoticeIssuedPayload.self)
            return "通知を作成（\(p?.kind.label ?? "")）"
        case .noticePrinted:
            return (try? r.data.decode(as: PrintedPayload.self))?.label ?? "通知を印刷"
        default:
            if let t = r.eventType, EventType.lifecycle.contains(t), let e = try? CaseLifecycle.decode(r) { return e.label }
            return r.type
        }
    }

    /// `2026-11-24T21:30:05+09:00` → `令和8年11月24日 21:30`.
    static func formatTime(_ iso: String) -> String {
        guard iso.count >= 16, let d = LocalDate(iso: String(iso.prefix(10))) else { return iso }
        let hm = iso.dropFirst(11).prefix(5)
        return "\(Wareki.format(d)) \(hm)"
    }

    mutating func updateCaseDetail(_ command: Command) -> [DeskEffect] {
        if case .caseDetail(let n) = screen, let r = cases.first(where: { $0.number == n }),
           let moved = Self.scroll(detailScroll, command, rows: wrappedDetail(r).count, visible: detailVisibleRows) {
            detailScroll = moved
            return []
        }
        switch command {
        case .back, .activate:
            receiptOffer = nil
            screen = detailReturn
            detailReturn = .caseList
        case .reload, .insert("r"): return [.reload]
        case .insert(String(Self.receiptKey)), .insert(String(Self.receiptKey).uppercased()):
            // One key for the 受付控え after 保存しました (issue 11 item 6; R-NT-1).
            if case .caseDetail(let n) = screen, receiptOffer == n {
                receiptOffer = nil
                status = StatusLine("受付控えを作っています…")
                return [.issueNotice(caseNumber: n, .pending, pdf: true, print: true)]
            }
        case .record:
            if case .caseDetail(let n) = screen { openCaseMenu(n) }
        default: break
        }
        return []
    }

    /// Rows the case screen shows at once (between the title bar and the status line).
    var detailVisibleRows: Int { max(1, statusRow - 1) }

    func wrappedDetail(_ r: CaseRecord) -> [(String, Style)] {
        layout(caseDetailLines(r))
    }

    func renderCaseDetail(_ c: inout Canvas, number: String, top: Int, bottom: Int) {
        guard let r = cases.first(where: { $0.number == number }) else {
            c.put("案件 \(number) は見つかりません。", x: 1, y: top, style: .error)
            return
        }
        drawScrolling(&c, wrappedDetail(r), top: top, bottom: bottom, offset: detailScroll)
    }
}
