import Testing
@testable import MadoguchiCore

/// The valScalars of a result, so that カ+U+3099 and ガ are told apart (Swift's String == treats them as equal).
private func valScalars(_ r: Result<String, ValueError>) -> [UInt32]? {
    (try? r.get()).map { $0.unicodeScalars.map(\.value) }
}

private func valScalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

private func valRefusal(_ r: Result<String, ValueError>) -> String? {
    if case .failure(let e) = r { return e.message }
    return nil
}

@Suite("Validation: フリガナ (R-ID-6)", .tags(.unit))
struct ValidationKanaTests {

    @Test("R-ID-6 half-width voiced kana compose: ｶﾞ → ガ (U+30AC), not カ+U+3099")
    func voiced() {
        #expect(valScalars(Kana.normalizeFurigana("ｶﾞ")) == [0x30AC])
        #expect(valScalars(Kana.normalizeFurigana("ﾔﾏﾀﾞ ﾀﾛｳ")) == valScalars("ヤマダ\u{3000}タロウ"))
        #expect(valScalars(Kana.normalizeFurigana("ｻﾞｼﾞｽﾞｾﾞｿﾞ")) == valScalars("ザジズゼゾ"))
        #expect(valScalars(Kana.normalizeFurigana("ﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ")) == valScalars("ダヂヅデド"))
        #expect(valScalars(Kana.normalizeFurigana("ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ")) == valScalars("バビブベボ"))
    }

    @Test("R-ID-6 half-width semi-voiced kana compose: ﾊﾟ → パ (U+30D1)")
    func semiVoiced() {
        #expect(valScalars(Kana.normalizeFurigana("ﾊﾟ")) == [0x30D1])
        #expect(valScalars(Kana.normalizeFurigana("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ")) == valScalars("パピプペポ"))
    }

    @Test("R-ID-6 ｳﾞ → ヴ (U+30F4), ﾜﾞ → ヷ")
    func vu() {
        #expect(valScalars(Kana.normalizeFurigana("ｳﾞ")) == [0x30F4])
        #expect(valScalars(Kana.normalizeFurigana("ｳﾞｨｸﾄﾙ")) == valScalars("ヴィクトル"))
        #expect(valScalars(Kana.normalizeFurigana("ﾜﾞ")) == [0x30F7])
    }

    @Test("R-ID-6 every half-width katakana maps to its full-width form")
    func wholeTable() {
        let half = "ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ"
        let full = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
        #expect(valScalars(Kana.normalizeFurigana(half)) == valScalars(full))
        #expect(valScalars(Kana.fullWidthKatakana(half)) == valScalars(full))
    }

    @Test("R-ID-6 decomposed input (カ+U+3099, as pasted from NFD text) is composed")
    func decomposedInput() {
        #expect(valScalars(Kana.normalizeFurigana("カ\u{3099}ク")) == valScalars("ガク"))
        #expect(valScalars(Kana.normalizeFurigana("か\u{3099}")) == [0x30AC])
        // Spacing 濁点 typed after a kana joins it.
        #expect(valScalars(Kana.normalizeFurigana("カ゛")) == [0x30AC])
    }

    @Test("R-ID-6 hiragana → katakana")
    func hiragana() {
        #expect(valScalars(Kana.normalizeFurigana("やまだ たろう")) == valScalars("ヤマダ\u{3000}タロウ"))
        #expect(valScalars(Kana.normalizeFurigana("ぁぃぅぇぉっゃゅょゎゔ")) == valScalars("ァィゥェォッャュョヮヴ"))
        #expect(valScalars(Kana.normalizeFurigana("すずき　ぱん")) == valScalars("スズキ\u{3000}パン"))
        #expect(Kana.hiraganaToKatakana("あいう漢字") == "アイウ漢字")
    }

    @Test("R-ID-6 spaces of any width and runs become one full-width space; ends trimmed")
    func spaces() {
        #expect(valScalars(Kana.normalizeFurigana("  ヤマダ   　 タロウ　 ")) == valScalars("ヤマダ\u{3000}タロウ"))
        #expect(valScalars(Kana.normalizeFurigana("ヤマダ\u{3000}\u{3000}タロウ")) == valScalars("ヤマダ\u{3000}タロウ"))
        #expect(valScalars(Kana.normalizeFurigana("   ")) == [])
    }

    @Test("R-ID-6 ー and ・ allowed, half-width ･ and ｰ converted")
    func marks() {
        #expect(valScalars(Kana.normalizeFurigana("ジョン・スミス")) == valScalars("ジョン・スミス"))
        #expect(valScalars(Kana.normalizeFurigana("ｼﾞｮﾝ･ｽﾐｽ")) == valScalars("ジョン・スミス"))
        #expect(valScalars(Kana.normalizeFurigana("ｺｰﾋｰ")) == valScalars("コーヒー"))
    }

    @Test("R-ID-6 kanji, Latin letters, digits and symbols refused naming the first offending character")
    func refusals() {
        #expect(valRefusal(Kana.normalizeFurigana("ヤマ田タロウ"))?.contains("「田」は使えません") == true)
        #expect(valRefusal(Kana.normalizeFurigana("山田"))?.contains("「山」") == true)
        #expect(valRefusal(Kana.normalizeFurigana("ヤマダA"))?.contains("「A」") == true)
        #expect(valRefusal(Kana.normalizeFurigana("タロウ2"))?.contains("「2」") == true)
        #expect(valRefusal(Kana.normalizeFurigana("ヤマダ-タロウ"))?.contains("「-」") == true)
        #expect(valRefusal(Kana.normalizeFurigana("ヤマダ"))  == nil)
        #expect(valRefusal(Kana.normalizeFurigana("山田"))?.contains("カタカナで入力してください") == true)
    }

    @Test("R-ID-6 a voiced mark on a kana that cannot take it is refused")
    func strayVoicedMark() {
        let m = valRefusal(Kana.normalizeFurigana("ｱﾞ"))
        #expect(m?.contains("濁点・半濁点を付けられない文字") == true)
        #expect(valRefusal(Kana.normalizeFurigana("ﾞ")) != nil)
    }
}
