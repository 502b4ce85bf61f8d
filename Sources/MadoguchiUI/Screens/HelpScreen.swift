import MadoguchiCore

extension DeskState {
    /// The help screen's paragraphs: what the screen it was opened from is for, every key of that
    /// screen, the F-keys, and whole any text the screen had to cut (the status line, a heading).
    func helpParagraphs() -> [Paragraph] {
        var lines: [Paragraph] = []
        // The title bar shortens the office name on a narrow terminal; here it is whole.
        lines.append(Paragraph("\(config.officeName)　\(config.operatorName)（\(config.operatorRole.label)）　\(Wareki.format(today))"
                               + (config.isTraining ? "　【研修モード】" : ""), .dim, indent: 2))
        if let status {
            let style: Style = status.kind == .error ? .error : status.kind == .success ? .success : .normal
            lines.append(Paragraph("【メッセージ】 \(status.text)", style, indent: 2))
        }
        if helpReturn == .intake, let s = intake {
            let page = config.form.pages[s.page]
            lines.append(Paragraph("【\(page.title)】 \(page.help)", indent: 2))
            if let f = s.focusedField(config.form), !page.isReview {
                lines.append(Paragraph("【\(f.label)】 \(f.help)", indent: 2))
                lines += focusedFieldNotes(s).filter { $0.text != f.help }
            }
        }
        if helpReturn == .caseList {
            lines.append(Paragraph("【案件一覧】 \(caseListSummary)", indent: 2))
            lines.append(Paragraph("  … で切れた氏名などは Enter で開く案件の画面に全文があります。", .dim, indent: 4))
        }
        if case .correction = helpReturn, let s = correction {
            lines.append(Paragraph("【訂正】 保存した申請の内容を直します（R-AM-1）。受付と同じ画面で直す項目を書き換え、F2 で確認へ進むと、", indent: 2))
            lines.append(Paragraph("  直した項目だけが「訂正前 → 訂正後」で並びます。理由を書いて F2（Enter）で記録します。元の受付の記録は変わりません。", indent: 4))
            lines.append(Paragraph("  中間サーバーに送ったあとの受給者番号・被保険者枝番は、サーバー側では直りません（R-RG-3）。y/n で確かめます。", indent: 4))
            if let f = s.form.focusedField(config.form), !config.form.pages[s.form.page].isReview {
                lines.append(Paragraph("【\(f.label)】 \(f.help)", indent: 2))
                lines += focusedFieldNotes(s.form).filter { $0.text != f.help }
            }
        }
        if helpReturn == .pending, city != nil {
            let list = pendingList
            lines.append(Paragraph("【市の未完了一覧】 すべての事務所の未完了の案件を、事務所ごとに読むだけの一覧です（書き込み・書き出し・印刷はできません）。", indent: 2))
            lines.append(Paragraph("  \(pendingHeading(list))", indent: 4))
            lines.append(Paragraph("  \(pendingCounts(list))", indent: 4))
            lines.append(Paragraph("  f 事務所（一つずつ、最後はすべて）　o 予定日超過だけ（R-CF-1）　h 保留だけ（R-HC-2）　b 区分　c 受付者　m 申請の月　s 状態", indent: 4))
            lines.append(Paragraph("  a 終了した案件も表示　x 絞り込みをすべて解除　F6 並べ替え　F5 読み直す　CSV は madoguchi pending --city --csv", indent: 4))
            lines += pendingBrokenLines.map { Paragraph("  \($0)", .error, indent: 4) }
        } else if helpReturn == .pending {
            let list = pendingList
            lines.append(Paragraph("【未完了一覧】 査察指導員向けの一覧です。一文字のキーで絞り込みます。", indent: 2))
            lines.append(Paragraph("  \(pendingHeading(list))", indent: 4))
            lines.append(Paragraph("  \(pendingCounts(list))", indent: 4))
            lines.append(Paragraph("  o 予定日超過だけ（R-CF-1）　h 保留だけ（R-HC-2）　b 区分　c 受付者　m 申請の月　s 状態", indent: 4))
            lines.append(Paragraph("  a 終了した案件も表示　x 絞り込みをすべて解除　F6 並べ替え　e CSV に書き出し（Excel 向け）　p 絞り込んだ一覧を印刷（設定の [printing] queue のプリンター）　Enter 案件を開く", indent: 4))
        }
        if helpReturn == .training, let t = training {
            lines.append(Paragraph("【研修】 \(t.bookTitle)（作業場所 \(t.sandbox)）", indent: 2))
        }
        if helpReturn == .caseList || helpReturn == .pending {
            lines.append(Paragraph("【検索】 / 番号・氏名・フリガナ・受給者番号で検索　n・N 次・前　Esc 解除", indent: 2))
        }
        lines.append(Paragraph(""))
        lines.append(Paragraph("F キー（F キーが効かない端末では Ctrl のキーを使います）", .heading))
        // The city's desk names only the keys it takes (nothing that writes).
        for f in Command.functionKeys where (f.command != .training || config.isTraining)
            && (city == nil || [.help, .reload, .sort, .quit].contains(f.command)) {
            lines.append(Paragraph("  F\(f.fkey) / Ctrl-\(f.ctrl.uppercased())  \(f.label)", indent: 4))
        }
        // The screen's other keys (its footer names them all, F-keys included).
        let aliases = city == nil ? Self.aliasKeys(for: helpReturn) : [("PgUp・PgDn", "前・次のページ"), ("r", "再読込（F5）")]
        let own = keyItems(for: helpReturn).filter { !$0.key.hasPrefix("F") } + aliases
        if !own.isEmpty {
            lines.append(Paragraph("この画面のキー", .heading))
            lines.append(Paragraph("  " + own.map { "\($0.key) \($0.label)" }.joined(separator: "　"), indent: 4))
        }
        lines.append(Paragraph("そのほかのキー", .heading))
        let more: [String] = [
            "  Tab・↓ / Shift-Tab・↑  次・前の項目（一覧では行の移動）",
            "  Enter  次の項目へ（ページの最後では次のページへ）・一覧では案件を開く",
            "  Esc  前のページ・前の画面へ戻る（入力した内容は消えません）",
            "  PgDn・Ctrl-N / PgUp・Ctrl-P  次・前のページ（長い画面ではスクロール）",
            "  ←→・Space  選択肢を選ぶ・印をつける（数字キーで直接選べます）",
            "  1〜9・0・a  F4・F7 などのメニューで項目を選ぶ（0 は10番目、a は11番目の「統合専用端末での登録を記録」）。Enter で決定",
            "  Ctrl-A・Home / Ctrl-E・End  行頭・行末　Ctrl-U 行を消す　Ctrl-K カーソルから後ろを消す",
            "  Ctrl-C・Ctrl-Q  終了（保存していない入力があれば確かめます）",
            "  画面に収まらない文は折り返して全文を表示します。一行に収めた所は … で示し、案件の画面・F1・スクロールで全文を読めます。",
        ]
        // The city's desk: only moving and quitting (no form, no menu, no case to open).
        lines += more.filter { city == nil || $0.contains("PgDn") || $0.contains("Ctrl-C") || $0.contains("… で示し") }.map { Paragraph($0, indent: 4) }
        return lines
    }

    /// Keys that do what an F-key does, or move further, named in help only (the footer has no room).
    static func aliasKeys(for screen: Screen) -> [(key: String, label: String)] {
        switch screen {
        case .caseList:
            return [("s", "並べ替え（F6）"), ("r", "再読込（F5）"), ("PgUp・PgDn", "前・次のページ"), ("Home・End", "先頭・末尾")]
        case .caseDetail:
            return [("r", "再読込（F5）"), ("Home・End", "先頭・末尾"), ("Enter", "戻る"), ("F8・F9", "未完了一覧・要対応")]
        case .pending:
            return [("PgUp・PgDn", "前・次のページ"), ("F8", "一覧へ戻る")]
        case .report, .help:
            return [("Home・End", "先頭・末尾"), ("Enter", "戻る")]
        case .reminders:
            return [("F9", "一覧へ戻る")]
        case .intake, .training, .correction:
            return []
        }
    }

    func helpLines() -> [(String, Style)] {
        layout(helpParagraphs())
    }

    /// Rows of help under its heading.
    var helpVisibleRows: Int { max(1, statusRow - 2) }

    mutating func updateHelp(_ command: Command) {
        if command == .back || command == .activate {
            screen = helpReturn
            helpScroll = 0
            return
        }
        if let moved = Self.scroll(helpScroll, command, rows: helpLines().count, visible: helpVisibleRows) {
            helpScroll = moved
        }
    }

    func renderHelp(_ c: inout Canvas, top: Int, bottom: Int) {
        let rows = helpLines()
        let visible = bottom - top - 1
        let marker = Self.pageMarker(offset: helpScroll, rows: rows.count, visible: visible)
        c.put(DisplayWidth.truncate("ヘルプ（Esc・F1・Enter で戻る）" + marker, to: textColumns), x: 1, y: top, style: .heading)
        drawScrolling(&c, rows, top: top + 1, bottom: bottom, offset: helpScroll)
    }
}
