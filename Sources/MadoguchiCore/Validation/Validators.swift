/// The validators screens refer to by name, and what each accepts (R-ID-1..6, R-BR-5 area).
///
/// Every validator: trims white space at both ends; returns `""` for empty input; refuses control
/// characters naming them, input over its length limit saying the limit, and anything that looks
/// like a 個人番号 (R-ID-4; except `server_individual_number`, whose 16 digits are checked whole).
public enum Validators {

    public static func named(_ name: String) -> Validator? { byName[name] }

    /// A free-text value typed outside a form (a note, a reason, a comment — on the desk's small forms
    /// or the command line): the "text" rules (length, control characters, no 個人番号, R-ID-4), and
    /// not blank when `required`. Throws a problem naming the field.
    public static func freeText(_ raw: String, field: String, label: String, required: Bool) throws -> String {
        switch text.validate(raw, ValidationContext(today: LocalDate(year: 2000, month: 1, day: 1)!)) {
        case .success(let s) where s.isEmpty && required:
            throw FieldProblem(field: field, label: label, message: "入力してください")
        case .success(let s): return s
        case .failure(let e): throw FieldProblem(field: field, label: label, message: e.message)
        }
    }

    public static let all: [Validator] = [
        text, name, furigana, date, birthDate, month, postalCode, prefecture, municipality, address,
        phone, email, recipientNumber, publicPayerNumber, insurerNumber, serverIndividualNumber, institution,
    ]

    private static let byName: [String: Validator] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    // MARK: Messages

    /// R-ID-4: the refusal for anything that looks like a My Number.
    public static let myNumberMessage =
        "12桁の数字は個人番号（マイナンバー）と見分けがつかないため入力できません。個人番号は記録しません（R-ID-4）"

    static func controlMessage(_ u: Unicode.Scalar) -> String {
        "制御文字（\(TextNormalizer.codePoint(u))）は使えません"
    }

    static func tooLongMessage(limit: Int, count: Int) -> String {
        "\(limit)文字以内で入力してください（入力は\(count)文字）"
    }

    /// The checks every validator makes, then its own.
    static func make(
        _ name: String,
        maxLength: Int,
        checksMyNumber: Bool = true,
        display: @escaping @Sendable (String) -> String = { $0 },
        _ core: @escaping @Sendable (String, ValidationContext) -> Result<String, ValueError>
    ) -> Validator {
        Validator(name: name, validate: { raw, context in
            let trimmed = TextNormalizer.trimmed(raw)
            if trimmed.isEmpty { return .success("") }
            if let u = TextNormalizer.firstControlScalar(trimmed) { return .failure(ValueError(controlMessage(u))) }
            // R-ID-4 before the length, so a pasted 個人番号 is always told apart.
            if checksMyNumber, TextNormalizer.containsMyNumberLike(trimmed) {
                return .failure(ValueError(myNumberMessage))
            }
            if trimmed.count > maxLength {
                return .failure(ValueError(tooLongMessage(limit: maxLength, count: trimmed.count)))
            }
            return core(trimmed, context)
        }, display: display)
    }

    // MARK: Free text

    /// "text": free text (reason, relationship, insurer name…), max 200.
    public static let text = make("text", maxLength: 200) { s, _ in .success(s) }
    /// "municipality": 市区町村, as typed (full-width digits kept: addresses use them), max 100.
    public static let municipality = make("municipality", maxLength: 100) { s, _ in .success(s) }
    /// "address": 住所, as typed, max 100.
    public static let address = make("address", maxLength: 100) { s, _ in .success(s) }
    /// "institution": 医療機関・薬局名, max 100.
    public static let institution = make("institution", maxLength: 100) { s, _ in .success(s) }

    // MARK: Names

    /// "name": 氏名 — kanji, kana, Latin letters; half-width katakana made full-width (ｶﾞ → ガ);
    /// spaces of any width and runs → one full-width space; digits and symbols refused; max 50.
    public static let name = make("name", maxLength: 50) { s, _ in
        let wide = Kana.fullWidthKatakana(s)
        var out = ""
        var pendingSpace = false
        for c in wide {
            let first = c.unicodeScalars.first!
            if c.unicodeScalars.count == 1, first.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            if first.properties.generalCategory == .decimalNumber {
                return .failure(ValueError("数字は使えません（「\(c)」）"))
            }
            guard isNameCharacter(c) else {
                return .failure(ValueError("\(TextNormalizer.quoted(c))は氏名に使えません"))
            }
            if pendingSpace { out.append("\u{3000}"); pendingSpace = false }
            out.append(c)
        }
        return .success(out)
    }

    /// Punctuation found in real names: ・ (foreign names), ー, 〆, . - ' (Latin names), ＝.
    private static let namePunctuation: Set<UInt32> = [
        0x30FB, 0x30FC, 0x3006, 0x002E, 0xFF0E, 0x002D, 0xFF0D, 0x2010, 0x0027, 0xFF07, 0x2019, 0x003D, 0xFF1D,
    ]

    private static func isNameCharacter(_ c: Character) -> Bool {
        let first = c.unicodeScalars.first!
        switch first.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return namePunctuation.contains(first.value)
        }
    }

    /// "furigana": フリガナ via `Kana.normalizeFurigana`, max 50 (R-ID-6).
    public static let furigana = make("furigana", maxLength: 50) { s, _ in
        Kana.normalizeFurigana(s)
    }

    // MARK: Dates

    private static let showDate: @Sendable (String) -> String = { v in
        LocalDate(iso: v).map(Wareki.format) ?? v
    }

    /// "date": 和暦 or Western date → ISO `YYYY-MM-DD`; shown 令和8年11月24日 (R-ID-5).
    public static let date = make("date", maxLength: 30, display: showDate) { s, context in
        Wareki.parseDate(s, defaultEra: context.defaultEra).map(\.iso)
    }

    private static let earliestBirthDate = LocalDate(year: 1900, month: 1, day: 1)!

    /// "birth_date": like "date", and not after today nor before 1900. Birth dates span four eras,
    /// so the era is always typed: the form's default era (令和, for application dates) is not assumed.
    public static let birthDate = make("birth_date", maxLength: 30, display: showDate) { s, context in
        switch Wareki.parseDate(s, defaultEra: nil) {
        case .failure(let e): return .failure(e)
        case .success(let d):
            if d > context.today {
                return .failure(ValueError("未来の日付です（今日は\(Wareki.format(context.today))）"))
            }
            if d < earliestBirthDate { return .failure(ValueError("1900年より前の日付は入力できません")) }
            return .success(d.iso)
        }
    }

    /// "month": 医療券 month → `YYYY-MM`; shown 令和8年12月.
    public static let month = make("month", maxLength: 30, display: { v in
        YearMonth(iso: v).map(Wareki.format) ?? v
    }) { s, context in
        Wareki.parseMonth(s, defaultEra: context.defaultEra).map(\.iso)
    }

    // MARK: Address

    /// "postal_code": 郵便番号, 7 digits (123-4567, 1234567, 〒123-4567, full width) → `1234567`;
    /// shown `123-4567` (R-ID-6).
    public static let postalCode = make("postal_code", maxLength: 12, display: { v in
        guard v.count == 7, TextNormalizer.isAllASCIIDigits(v) else { return v }
        return "\(v.prefix(3))-\(v.suffix(4))"
    }) { s, _ in
        var t = numeric(s)
        if t.hasPrefix("〒") { t.removeFirst() }
        t = String(t.filter { $0 != " " })
        if let bad = t.first(where: { !TextNormalizer.isASCIIDigit($0) && $0 != "-" }) {
            return .failure(ValueError("\(TextNormalizer.quoted(bad))は使えません。7桁の数字で入力してください（例：123-4567）"))
        }
        let digits = t.filter(TextNormalizer.isASCIIDigit)
        let shapeOK = t == digits || (t.count == 8 && Array(t)[3] == "-")
        guard digits.count == 7, shapeOK else {
            return .failure(ValueError("7桁の数字で入力してください（例：123-4567、入力は\(digits.count)桁）"))
        }
        return .success(String(digits))
    }

    /// "prefecture": one of the 47 都道府県, also without 都/道/府/県 (東京 → 東京都) → the full name.
    public static let prefecture = make("prefecture", maxLength: 10) { s, _ in
        guard let full = Prefectures.fullName(s) else {
            return .failure(ValueError("「\(s)」は都道府県名ではありません（例：東京都、大阪府、北海道）"))
        }
        return .success(full)
    }

    // MARK: Contact

    /// "phone": Japanese phone number, 10 or 11 digits starting with 0; full width and
    /// 03(1234)5678 accepted → `03-1234-5678`. The hyphen grouping typed is kept; without hyphens
    /// the digits alone are stored.
    public static let phone = make("phone", maxLength: 20) { s, _ in
        var grouped = ""
        for c in numeric(s) {
            let separator = c == "-" || c == "(" || c == ")" || c == " "
            if separator {
                if !grouped.isEmpty, grouped.last != "-" { grouped.append("-") }
            } else if TextNormalizer.isASCIIDigit(c) {
                grouped.append(c)
            } else {
                return .failure(ValueError("\(TextNormalizer.quoted(c))は使えません。数字とハイフンで入力してください（例：03-1234-5678）"))
            }
        }
        if grouped.last == "-" { grouped.removeLast() }
        let digits = grouped.filter(TextNormalizer.isASCIIDigit)
        guard digits.first == "0" else {
            return .failure(ValueError("市外局番（0から始まる番号）から入力してください（例：03-1234-5678）"))
        }
        guard digits.count == 10 || digits.count == 11 else {
            return .failure(ValueError("10桁か11桁の番号で入力してください（入力は\(digits.count)桁）"))
        }
        return .success(grouped.contains("-") ? grouped : String(digits))
    }

    private static let emailLocalSymbols: Set<Character> = Set("!#$%&'*+/=?^_`{|}~.-")

    /// "email": half-width (full width converted), one @, a dot in the domain, no spaces, max 254.
    public static let email = make("email", maxLength: 254) { s, _ in
        let t = TextNormalizer.halfWidthASCII(s)
        if let bad = t.first(where: { !$0.isASCII }) {
            return .failure(ValueError("\(TextNormalizer.quoted(bad))は使えません。半角の英数字と記号で入力してください"))
        }
        if t.contains(" ") { return .failure(ValueError("空白は使えません")) }
        let parts = t.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return .failure(ValueError(parts.count < 2 ? "「@」がありません（例：taro@example.jp）" : "「@」は1つだけにしてください"))
        }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty else { return .failure(ValueError("「@」の前が空です（例：taro@example.jp）")) }
        if let bad = local.first(where: { !($0.isLetter || $0.isNumber || emailLocalSymbols.contains($0)) }) {
            return .failure(ValueError("「\(bad)」は「@」の前に使えません"))
        }
        if let bad = domain.first(where: { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) {
            return .failure(ValueError("「\(bad)」は「@」の後（ドメイン）に使えません"))
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else {
            return .failure(ValueError("「@」の後（ドメイン）は example.jp のように「.」で区切って入力してください"))
        }
        return .success(t)
    }

    // MARK: Numbers

    /// Width and hyphens made ASCII (R-ID-6).
    private static func numeric(_ s: String) -> String {
        TextNormalizer.asciiHyphens(TextNormalizer.halfWidthASCII(s))
    }

    /// The digits of a number typed with optional spaces or hyphens, or what is wrong.
    private static func digitsOnly(_ s: String, count allowed: [Int]) -> Result<String, ValueError> {
        let t = numeric(s).filter { $0 != " " && $0 != "-" }
        let counts = allowed.map { "\($0)桁" }.joined(separator: "または")
        if let bad = t.first(where: { !TextNormalizer.isASCIIDigit($0) }) {
            return .failure(ValueError("\(TextNormalizer.quoted(bad))は使えません。\(counts)の数字で入力してください"))
        }
        guard allowed.contains(t.count) else {
            return .failure(ValueError("\(counts)の数字で入力してください（入力は\(t.count)桁）"))
        }
        return .success(String(t))
    }

    /// The check-digit refusal, naming the position and the digit this number would need (R-ID-3).
    private static func checkDigitProblem(_ digits: String) -> ValueError? {
        guard !CheckDigit.isValid(digits), let expected = CheckDigit.compute(String(digits.dropLast())) else { return nil }
        return ValueError(
            "検証番号（\(digits.count)桁目）が合いません。番号を確かめてください（この番号なら検証番号は\(expected)になります）")
    }

    /// "recipient_number": 受給者番号, 7 digits, the last a check digit (R-ID-2, R-ID-3).
    /// Never a key for a person (R-ID-2): this only checks the form.
    public static let recipientNumber = make("recipient_number", maxLength: 20) { s, _ in
        digitsOnly(s, count: [7]).flatMap { d in checkDigitProblem(d).map { .failure($0) } ?? .success(d) }
    }

    /// "public_payer_number": 公費負担者番号, 8 digits: 法別番号 12 (生活保護) + 都道府県番号 01–47
    /// + 実施機関番号 + 検証番号 (R-ID-1, R-ID-3).
    public static let publicPayerNumber = make("public_payer_number", maxLength: 20) { s, _ in
        digitsOnly(s, count: [8]).flatMap { d in
            let law = String(d.prefix(2))
            guard law == "12" else {
                return .failure(ValueError("法別番号（先頭2桁）が12（生活保護）ではありません（入力は\(law)）"))
            }
            let prefecture = Int(d.dropFirst(2).prefix(2))!
            guard Prefectures.name(code: prefecture) != nil else {
                return .failure(ValueError(
                    "都道府県番号（3・4桁目）は01〜47です（入力は\(d.dropFirst(2).prefix(2))）"))
            }
            return checkDigitProblem(d).map { .failure($0) } ?? .success(d)
        }
    }

    /// "insurer_number": 保険者番号 (R-ID-7, added 2026-11-30), in either form the rule allows:
    /// - 8 digits for employee plans (健康保険・共済): 法別番号 (2) + 都道府県番号 (2) + 保険者別番号 (3)
    ///   + 検証番号 (1), the check digit by the R-ID-3 scheme — the 8-digit form is where that rule is
    ///   known, so it is checked there. 法別番号 12 is 生活保護's 公費負担者番号, never a health insurer.
    /// - 6 digits for 国民健康保険組合 (recipients are excluded from municipal 国保, but a 国保組合 member
    ///   can stay insured): 都道府県番号 (2) + 保険者別番号 (3) + 1 digit, whose check rule the rulebook
    ///   does not give, so only the 都道府県番号 is checked.
    /// Never exported: FI_HIM_0018's 8-digit 保険者番号 column is the office's number (R-RG-2).
    public static let insurerNumber = make("insurer_number", maxLength: 20) { s, _ in
        digitsOnly(s, count: [8, 6]).flatMap { d in
            let prefectureDigits = d.count == 6 ? d.prefix(2) : d.dropFirst(2).prefix(2)
            let position = d.count == 6 ? "1・2桁目" : "3・4桁目"
            if d.count == 8, d.hasPrefix("12") {
                return .failure(ValueError("法別番号12（生活保護）は公費負担者番号です。被保険者証・資格確認書の保険者番号を入力してください"))
            }
            guard Prefectures.name(code: Int(prefectureDigits)!) != nil else {
                return .failure(ValueError("都道府県番号（\(position)）は01〜47です（入力は\(prefectureDigits)）"))
            }
            return d.count == 8 ? checkDigitProblem(d).map { .failure($0) } ?? .success(d) : .success(d)
        }
    }

    /// "server_individual_number": 被保険者枝番 on the 中間サーバー, exactly 16 digits (full width,
    /// spaces and hyphens accepted). Not checked for My-Number look (its 16 digits are one number).
    public static let serverIndividualNumber = make("server_individual_number", maxLength: 40, checksMyNumber: false) { s, _ in
        digitsOnly(s, count: [16])
    }
}
