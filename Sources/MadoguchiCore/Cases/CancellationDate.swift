/// When the card's registration is cancelled (R-DT-1, R-DT-3).
public enum CancellationDate {
    /// R-DT-1: a request registered (accepted by the 中間サーバー) in month N is carried out on the last
    /// calendar day of month N+1. It is the registration date that counts, not the application date.
    public static func expected(registeredOn date: LocalDate) -> LocalDate {
        date.yearMonth.adding(months: 1).lastDay
    }

    /// What the clerk explains at intake (R-IN-4 c) for this branch, on this day.
    public static func explanation(for branch: Branch?, today: LocalDate) -> String {
        switch branch {
        case .assistanceOnly:
            let ex = expected(registeredOn: today)
            return "中間サーバーに登録した月の翌月末に解除されます（例：本日\(Wareki.format(today))に登録すれば\(Wareki.format(ex))）。マイナポータルに表示されるのはその1〜2か月後です。（R-DT-1, R-DT-2）"
        case .insured:
            return "保険者が中間サーバーに登録した月の翌月末に解除されます。保険者の登録日は福祉事務所には分からないため、解除予定日は月次の状況一覧ファイルで確認するまで未定です。（R-DT-3）"
        case nil:
            return "区分（医療扶助単独／併用）を選ぶと、解除の時期を表示します。（R-BR-1）"
        }
    }
}
