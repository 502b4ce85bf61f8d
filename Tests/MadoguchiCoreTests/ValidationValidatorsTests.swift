import Testing
@testable import MadoguchiCore

private let valToday = LocalDate(year: 2026, month: 11, day: 24)!
private let valContext = ValidationContext(today: valToday)
private let valReiwaContext = ValidationContext(today: valToday, defaultEra: .reiwa)

private func valValidator(_ name: String) -> Validator {
    guard let v = Validators.named(name) else { fatalError("no valValidator \(name)") }
    return v
}

private func valOk(_ name: String, _ input: String, _ ctx: ValidationContext = valContext) -> String? {
    try? valValidator(name).validate(input, ctx).get()
}

private func valRefusal(_ name: String, _ input: String, _ ctx: ValidationContext = valContext) -> String? {
    if case .failure(let e) = valValidator(name).validate(input, ctx) { return e.message }
    return nil
}

private let valAllNames = [
    "text", "name", "furigana", "date", "birth_date", "month", "postal_code", "prefecture", "municipality",
    "address", "phone", "email", "recipient_number", "public_payer_number", "insurer_number",
    "server_individual_number", "institution",
]

/// A value each valValidator accepts, for the checks every valValidator makes.
private let valSampleInput: [String: String] = [
    "text": "家族と相談のうえ", "name": "山田 太郎", "furigana": "ﾔﾏﾀﾞ ﾀﾛｳ", "date": "R8.11.23",
    "birth_date": "S40.4.1", "month": "R8.12", "postal_code": "〒123-4567", "prefecture": "東京",
    "municipality": "千代田区", "address": "千代田区霞が関１－２－２", "phone": "03(1234)5678",
    "email": "taro@example.jp", "recipient_number": "1234566", "public_payer_number": "12130019",
    "insurer_number": "06130017", "server_individual_number": "1234567890123456", "institution": "○○クリニック",
]

@Suite("Validation: named validators (R-ID-1..6)", .tags(.unit))
struct ValidationValidatorsTests {

    // MARK: Every valValidator

    @Test("every contract name is in Validators.all, once, and found by named(_:)")
    func names() {
        #expect(Validators.all.map(\.name).sorted() == valAllNames.sorted())
        for n in valAllNames { #expect(Validators.named(n)?.name == n) }
        #expect(Validators.named("nope") == nil)
    }

    @Test("every valValidator accepts its sample and returns \"\" for empty or blank input")
    func emptyAndSample() {
        for n in valAllNames {
            #expect(valOk(n, "") == "", "\(n)")
            #expect(valOk(n, "  　 ") == "", "\(n)")
            #expect(valOk(n, valSampleInput[n]!) != nil, "\(n): \(valRefusal(n, valSampleInput[n]!) ?? "")")
        }
    }

    @Test("every valValidator refuses control characters, naming the code point")
    func controlCharacters() {
        for n in valAllNames {
            let input = valSampleInput[n]! + "\u{7}" + "1"
            #expect(valRefusal(n, input) == "制御文字（U+0007）は使えません", "\(n)")
            #expect(valRefusal(n, "a\u{1B}b")?.contains("制御文字（U+001B）") == true, "\(n)")
        }
    }

    @Test("every valValidator refuses over-long input saying the limit")
    func tooLong() {
        let limits = ["text": 200, "name": 50, "furigana": 50, "municipality": 100, "address": 100,
                      "institution": 100, "email": 254]
        for n in valAllNames {
            let long = String(repeating: "ア", count: 300)
            let m = valRefusal(n, long)
            #expect(m?.contains("文字以内で入力してください") == true, "\(n): \(m ?? "accepted")")
            if let limit = limits[n] {
                #expect(m == "\(limit)文字以内で入力してください（入力は300文字）", "\(n)")
                #expect(valRefusal(n, String(repeating: "ア", count: limit + 1)) != nil, "\(n)")
            }
        }
        #expect(valOk("text", String(repeating: "あ", count: 200)) != nil)
        #expect(valOk("name", String(repeating: "山", count: 50)) != nil)
        #expect(valOk("furigana", String(repeating: "ア", count: 50)) != nil)
        #expect(valOk("address", String(repeating: "町", count: 100)) != nil)
    }

    @Test("R-ID-4 every valValidator but server_individual_number refuses a My Number, with the R-ID-4 message")
    func myNumber() {
        for n in valAllNames where n != "server_individual_number" {
            for input in ["123456789012", "1234-5678-9012", "１２３４ ５６７８ ９０１２", "番号123456789012"] {
                #expect(valRefusal(n, input) == Validators.myNumberMessage, "\(n) \(input)")
            }
        }
        #expect(Validators.myNumberMessage ==
            "12桁の数字は個人番号（マイナンバー）と見分けがつかないため入力できません。個人番号は記録しません（R-ID-4）")
        // A 12-digit value is refused by the 16-digit rule, not taken.
        #expect(valRefusal("server_individual_number", "123456789012") != nil)
        #expect(valRefusal("server_individual_number", "123456789012") != Validators.myNumberMessage)
    }

    @Test("R-ID-5 R-ID-6 every valValidator's display round-trips: validate(display(v)) == v")
    func displayRoundTrip() {
        for n in valAllNames {
            let v = valValidator(n)
            guard let normal = valOk(n, valSampleInput[n]!) else { Issue.record("\(n) refused its sample"); continue }
            let shown = v.display(normal)
            #expect(valOk(n, shown) == normal, "\(n): \(normal) → \(shown)")
            #expect(v.display("") == "", "\(n)")
        }
    }

    @Test("R-ID-5 displays: date, birth_date, month in 和暦; postal code 123-4567; others unchanged")
    func displays() {
        #expect(valValidator("date").display("2026-11-24") == "令和8年11月24日")
        #expect(valValidator("birth_date").display("1965-04-01") == "昭和40年4月1日")
        #expect(valValidator("month").display("2019-05") == "令和元年5月")
        #expect(valValidator("postal_code").display("1234567") == "123-4567")
        #expect(valValidator("phone").display("03-1234-5678") == "03-1234-5678")
        #expect(valValidator("date").display("garbage") == "garbage")
    }

    // MARK: Text and names

    @Test("text, municipality, address, institution: trimmed, kept as typed (full-width digits kept)")
    func freeText() {
        #expect(valOk("text", "  本人の希望  ") == "本人の希望")
        #expect(valOk("address", "霞が関１－２－２　中央合同庁舎") == "霞が関１－２－２　中央合同庁舎")
        #expect(valOk("municipality", " 千代田区 ") == "千代田区")
        #expect(valOk("institution", "医療法人　さくら会　さくら病院") == "医療法人　さくら会　さくら病院")
    }

    @Test("name: spaces to one full-width space, half-width kana made full-width, digits and symbols refused")
    func name() {
        #expect(valOk("name", "山田 太郎") == "山田\u{3000}太郎")
        #expect(valOk("name", "山田　　 太郎") == "山田\u{3000}太郎")
        #expect(valOk("name", "ﾔﾏﾀﾞ ﾊﾟｳﾛ")?.unicodeScalars.map(\.value) == "ヤマダ\u{3000}パウロ".unicodeScalars.map(\.value))
        #expect(valOk("name", "John O'Brien-Smith") == "John\u{3000}O'Brien-Smith")
        #expect(valOk("name", "ジョン・スミス") == "ジョン・スミス")
        #expect(valOk("name", "佐々木 一郎") == "佐々木\u{3000}一郎")
        #expect(valOk("name", "葛\u{E0100}飾 花子") == "葛\u{E0100}飾\u{3000}花子")
        #expect(valRefusal("name", "山田太郎2")?.contains("数字は使えません") == true)
        #expect(valRefusal("name", "山田３郎")?.contains("数字は使えません") == true)
        #expect(valRefusal("name", "山田@太郎")?.contains("「@」") == true)
    }

    @Test("R-ID-6 furigana valValidator normalises ｶﾞ to ガ and refuses kanji")
    func furigana() {
        #expect(valOk("furigana", "ｶﾞｸ ﾊﾟﾝ")?.unicodeScalars.map(\.value) == "ガク\u{3000}パン".unicodeScalars.map(\.value))
        #expect(valOk("furigana", "やまだ") == "ヤマダ")
        #expect(valRefusal("furigana", "山田")?.contains("「山」") == true)
    }

    // MARK: Dates

    @Test("R-ID-5 date → ISO; era needed unless ctx.defaultEra; impossible dates refused")
    func date() {
        #expect(valOk("date", "令和8年11月23日") == "2026-11-23")
        #expect(valOk("date", "Ｒ８．１１．２３") == "2026-11-23")
        #expect(valOk("date", "2026/11/23") == "2026-11-23")
        #expect(valOk("date", "8.11.23", valReiwaContext) == "2026-11-23")
        #expect(valRefusal("date", "8.11.23")?.contains("元号を付けてください") == true)
        #expect(valRefusal("date", "平成31年5月1日")?.contains("平成は31年4月30日まで（2019年4月30日）") == true)
        // A plain date may be in the future.
        #expect(valOk("date", "令和9年4月1日") == "2027-04-01")
    }

    @Test("R-ID-5 birth_date refuses the future and before 1900")
    func birthDate() {
        #expect(valOk("birth_date", "昭和40年4月1日") == "1965-04-01")
        #expect(valOk("birth_date", "令和8年11月24日") == "2026-11-24")
        #expect(valRefusal("birth_date", "令和8年11月25日")?.contains("未来の日付です") == true)
        #expect(valOk("birth_date", "1900-01-01") == "1900-01-01")
        #expect(valRefusal("birth_date", "1899-12-31")?.contains("1900年より前") == true)
        #expect(valRefusal("birth_date", "昭和64年1月8日") != nil)
    }

    @Test("R-ID-5 month → YYYY-MM")
    func month() {
        #expect(valOk("month", "令和8年12月") == "2026-12")
        #expect(valOk("month", "R8.12") == "2026-12")
        #expect(valOk("month", "8年12月", valReiwaContext) == "2026-12")
        #expect(valOk("month", "2026-12") == "2026-12")
        #expect(valOk("month", "2026/12") == "2026-12")
        #expect(valRefusal("month", "8年12月") != nil)
        #expect(valRefusal("month", "平成31年5月") != nil)
    }

    // MARK: Address

    @Test("R-ID-6 postal code: 7 digits, hyphen, 〒, full width → 1234567")
    func postal() {
        for s in ["1234567", "123-4567", "〒123-4567", "〒 123-4567", "１２３－４５６７", "〒１２３４５６７", "123ー4567"] {
            #expect(valOk("postal_code", s) == "1234567", "\(s)")
        }
        #expect(valRefusal("postal_code", "123456")?.contains("7桁") == true)
        #expect(valRefusal("postal_code", "12345678") != nil)
        #expect(valRefusal("postal_code", "1234-567") != nil)
        #expect(valRefusal("postal_code", "12-34567") != nil)
        #expect(valRefusal("postal_code", "123-456a")?.contains("「a」") == true)
    }

    @Test("prefecture: the 47 names, also without 都道府県")
    func prefecture() {
        #expect(Prefectures.all.count == 47)
        #expect(Set(Prefectures.all).count == 47)
        for p in Prefectures.all { #expect(valOk("prefecture", p) == p) }
        #expect(valOk("prefecture", "東京") == "東京都")
        #expect(valOk("prefecture", "大阪") == "大阪府")
        #expect(valOk("prefecture", "京都") == "京都府")
        #expect(valOk("prefecture", "北海道") == "北海道")
        #expect(valOk("prefecture", "神奈川") == "神奈川県")
        #expect(valRefusal("prefecture", "東京府")?.contains("都道府県名ではありません") == true)
        #expect(valRefusal("prefecture", "トウキョウ") != nil)
    }

    // MARK: Contact

    @Test("phone: 10 or 11 digits from 0; grouping kept; parentheses and full width accepted")
    func phone() {
        #expect(valOk("phone", "03-1234-5678") == "03-1234-5678")
        #expect(valOk("phone", "03(1234)5678") == "03-1234-5678")
        #expect(valOk("phone", "(03)1234-5678") == "03-1234-5678")
        #expect(valOk("phone", "０３（１２３４）５６７８") == "03-1234-5678")
        #expect(valOk("phone", "0312345678") == "0312345678")
        #expect(valOk("phone", "09012345678") == "09012345678")
        #expect(valOk("phone", "090-1234-5678") == "090-1234-5678")
        #expect(valOk("phone", "0120 123 456") == "0120-123-456")
        #expect(valOk("phone", "０９０ー１２３４ー５６７８") == "090-1234-5678")
        #expect(valRefusal("phone", "3-1234-5678")?.contains("0から始まる") == true)
        #expect(valRefusal("phone", "03-1234-567")?.contains("10桁か11桁") == true)
        #expect(valRefusal("phone", "090-1234-56789") != nil)
        #expect(valRefusal("phone", "+81-3-1234-5678")?.contains("「+」") == true)
        #expect(valRefusal("phone", "03-1234-5678 内線12")?.contains("「内」") == true)
    }

    @Test("email: one @, a dot in the domain, no spaces, half width")
    func email() {
        #expect(valOk("email", "taro.yamada+desk@example.co.jp") == "taro.yamada+desk@example.co.jp")
        #expect(valOk("email", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ") == "taro@example.jp")
        #expect(valRefusal("email", "taroexample.jp")?.contains("「@」がありません") == true)
        #expect(valRefusal("email", "a@b@example.jp")?.contains("1つだけ") == true)
        #expect(valRefusal("email", "taro@localhost") != nil)
        #expect(valRefusal("email", "taro@example..jp") != nil)
        #expect(valRefusal("email", "taro@.example.jp") != nil)
        #expect(valRefusal("email", "@example.jp") != nil)
        #expect(valRefusal("email", "ta ro@example.jp")?.contains("空白") == true)
        #expect(valRefusal("email", "たろう@example.jp")?.contains("「た」") == true)
        let local = String(repeating: "a", count: 250)
        #expect(valRefusal("email", local + "@example.jp")?.contains("254文字以内") == true)
    }

    // MARK: Numbers

    @Test("R-ID-2 R-ID-3 recipient number: 7 digits with a valid check digit; the expected digit is said")
    func recipientNumber() {
        #expect(CheckDigit.compute("123456") == 6)
        #expect(valOk("recipient_number", "1234566") == "1234566")
        #expect(valOk("recipient_number", "１２３４５６６") == "1234566")
        let m = valRefusal("recipient_number", "1234567")
        #expect(m?.contains("検証番号（7桁目）が合いません。番号を確かめてください") == true)
        #expect(m?.contains("6") == true)
        #expect(valRefusal("recipient_number", "123456")?.contains("7桁") == true)
        #expect(valRefusal("recipient_number", "12345678") != nil)
        #expect(valRefusal("recipient_number", "12345A6")?.contains("「A」") == true)
    }

    @Test("R-ID-1 R-ID-3 public payer number: 12130019 valid; 法別番号 must be 12; check digit checked")
    func publicPayerNumber() {
        #expect(valOk("public_payer_number", "12130019") == "12130019")
        #expect(valOk("public_payer_number", "１２１３００１９") == "12130019")
        // Valid Luhn (DOMAIN.md examples) but not 生活保護.
        #expect(valRefusal("public_payer_number", "33120015")?.contains("法別番号（先頭2桁）が12（生活保護）ではありません") == true)
        #expect(valRefusal("public_payer_number", "54016027")?.contains("法別番号") == true)
        let m = valRefusal("public_payer_number", "12130018")
        #expect(m?.contains("検証番号（8桁目）が合いません") == true)
        #expect(m?.contains("9") == true)
        #expect(valRefusal("public_payer_number", "1213001")?.contains("8桁") == true)
        // 都道府県番号 must be 01–47.
        let bad = "1299001" + String(CheckDigit.compute("1299001")!)
        #expect(valRefusal("public_payer_number", bad)?.contains("都道府県番号") == true)
        let hokkaido = "1201001" + String(CheckDigit.compute("1201001")!)
        #expect(valOk("public_payer_number", hokkaido) == hokkaido)
    }

    // Amended by R-ID-7 (2026-11-30): the 6-digit 国民健康保険組合 form was refused here before
    // ("138008" → "8桁"); the rule now accepts it, so that refusal became an acceptance below.
    @Test("R-ID-7 R-ID-3 insurer number: 8 digits with a valid check digit, or a 国保組合's 6 digits")
    func insurerNumber() {
        #expect(CheckDigit.compute("0613001") == 7)
        #expect(valOk("insurer_number", "06130017") == "06130017")
        #expect(valOk("insurer_number", "33120015") == "33120015")
        #expect(valOk("insurer_number", "88134457") == "88134457")
        #expect(valRefusal("insurer_number", "88134458")?.contains("検証番号（8桁目）") == true)
        // R-ID-7: 6 digits for a 国保組合 (都道府県番号 first), full width and hyphens as elsewhere.
        #expect(valOk("insurer_number", "138008") == "138008")
        #expect(valOk("insurer_number", "１３３０３３") == "133033")
        #expect(valOk("insurer_number", "133-033") == "133033")
        // The 6-digit form's last digit is not checked (no rule for it): both of these pass.
        #expect(valOk("insurer_number", "133034") == "133034")
        #expect(valRefusal("insurer_number", "483033")?.contains("都道府県番号（1・2桁目）は01〜47") == true)
        #expect(valRefusal("insurer_number", "003033")?.contains("入力は00") == true)
        #expect(valRefusal("insurer_number", "06480017")?.contains("都道府県番号（3・4桁目）") == true)
        // 法別番号 12 is 生活保護's 公費負担者番号 (R-ID-1), even with a right check digit.
        #expect(valRefusal("insurer_number", "12130019")?.contains("公費負担者番号") == true)
        for wrongLength in ["1234567", "13303", "1330331", "061300170"] {
            #expect(valRefusal("insurer_number", wrongLength)?.contains("8桁または6桁") == true)
        }
    }

    @Test("server individual number (被保険者枝番): exactly 16 digits, full width accepted")
    func serverIndividualNumber() {
        #expect(valOk("server_individual_number", "1234567890123456") == "1234567890123456")
        #expect(valOk("server_individual_number", "１２３４５６７８９０１２３４５６") == "1234567890123456")
        #expect(valOk("server_individual_number", "1234-5678-9012-3456") == "1234567890123456")
        #expect(valRefusal("server_individual_number", "123456789012345")?.contains("16桁") == true)
        #expect(valRefusal("server_individual_number", "12345678901234567") != nil)
    }

    @Test("R-ID-5 a birth date needs its era even where the form assumes 令和 for other dates")
    func birthDateNeedsEra() {
        let ctx = ValidationContext(today: LocalDate(year: 2026, month: 11, day: 24)!, defaultEra: .reiwa)
        guard case .failure(let e) = Validators.birthDate.validate("45.1.2", ctx) else {
            Issue.record("45.1.2 without an era was accepted as a birth date")
            return
        }
        #expect(e.message.contains("元号"))
        #expect((try? Validators.birthDate.validate("S45.1.2", ctx).get()) == "1970-01-02")
        #expect((try? Validators.date.validate("8.11.23", ctx).get()) == "2026-11-23")
    }
}
