/// 都道府県 the 47 prefectures, in the order of their codes (都道府県番号 01–47, JIS X 0401).
public enum Prefectures {
    public static let all: [String] = [
        "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
        "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
        "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
        "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
        "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
        "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
        "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
    ]

    /// The full name for a full name or a name without its 都/道/府/県 (東京 → 東京都, 大阪 → 大阪府,
    /// 北海 → 北海道); nil for anything else.
    public static func fullName(_ s: String) -> String? {
        if all.contains(s) { return s }
        return all.first { String($0.dropLast()) == s }
    }

    /// The prefecture of a 都道府県番号 (1–47).
    public static func name(code: Int) -> String? {
        (1...47).contains(code) ? all[code - 1] : nil
    }
}
