import MadoguchiCore

extension DeskState {
    func helpLines() -> [(String, Style)] {
        var lines: [(String, Style)] = []
        lines.append(("ヘルプ（Esc・F1・Enter で戻る）", .heading))
        if helpReturn == .intake, let s = intake {
            let page = config.form.pages[s.page]
            lines.append(("【\(page.title)】 \(page.help)", .normal))
            if let f = s.focusedField(config.form), !page.isReview {
                lines.append(("【\(f.label)】 \(f.help)", .normal))
            }
            lines.append(("", .normal))
        }
        if helpReturn == .pending {
            lines.append(("【未完了一覧】 査察指導員向けの一覧です。一文字のキーで絞り込みます。", .normal))
            lines.append(("  o 予定日超過だけ（R-CF-1）　h 保留だけ（R-HC-2）　b 区分　c 受付者　m 申請の月　s 状態", .normal))
            lines.append(("  a 終了した案件も表示　x 絞り込みをすべて解除　F6 並べ替え　e CSV に書き出し（Excel 向け）　p 絞り込んだ一覧を印刷（設定の [printing] queue のプリンター）　Enter 案件を開く", .normal))
            lines.append(("", .normal))
        }
        lines.append(("キー（F キーが効かない端末では Ctrl のキーを使います）", .heading))
        for f in Command.functionKeys {
            lines.append(("  F\(f.fkey) / Ctrl-\(f.ctrl.uppercased())  \(f.label)", .normal))
        }
        let more: [String] = [
            "  Tab・↓ / Shift-Tab・↑  次・前の項目（一覧では行の移動）",
            "  Enter  次の項目へ（ページの最後では次のページへ）・一覧では案件を開く",
            "  Esc  前のページ・前の画面へ戻る（入力した内容は消えません）",
            "  PgDn・Ctrl-N / PgUp・Ctrl-P  次・前のページ",
            "  ←→・Space  選択肢を選ぶ・印をつける（数字キーで直接選べます）",
            "  Ctrl-A・Home / Ctrl-E・End  行頭・行末　Ctrl-U 行を消す　Ctrl-K カーソルから後ろを消す",
            "  Ctrl-C・Ctrl-Q  終了（保存していない入力があれば確かめます）",
        ]
        lines += more.map { ($0, Style.normal) }
        return lines.flatMap { t, st in
            DisplayWidth.wrap(t, columns: width - 3).enumerated().map { i, l in (i == 0 ? l : "    " + l, st) }
        }
    }

    func renderHelp(_ c: inout Canvas, top: Int, bottom: Int) {
        for (i, (t, st)) in helpLines().prefix(bottom - top).enumerated() {
            c.put(t, x: 1, y: top + i, style: st)
        }
    }
}
