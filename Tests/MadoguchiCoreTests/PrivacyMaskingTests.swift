import Foundation
import Testing
@testable import MadoguchiCore

/// R-ID-4 for text the office does not type: a server's message or a file's name is kept with any
/// 個人番号-like number masked (found by the issue 6 privacy scan: such a message reached the journal).
@Suite("R-ID-4 masking of text from outside", .tags(.unit))
struct PrivacyMaskingTests {
    @Test("12-digit runs and 4-4-4 groups are masked, in any width; other numbers are left alone", arguments: [
        ("個人番号 123456789012 の紐付けに誤り", "個人番号 ************ の紐付けに誤り"),
        // Only the digits are masked: the rest of the text keeps its width (it was made half-width).
        ("番号１２３４－５６７８－９０１２を確認", "番号****－****－****を確認"),
        ("エラー：番号1234.5678.9012", "エラー：番号****.****.****"),
        ("1234 5678 9012", "**** **** ****"),
        ("kekka_123456789012.csv", "kekka_************.csv"),
        ("a123456789012b と 210987654321", "a************b と ************"),
        ("被保険者枝番 1234567890123456 は正しい", "被保険者枝番 1234567890123456 は正しい"),
        ("1234-5678-9012-3456", "1234-5678-9012-3456"),
        ("20261124153000 と 12345678901", "20261124153000 と 12345678901"),
        ("ＡＢＣ", "ＡＢＣ"),
    ])
    func masking(_ input: String, _ expected: String) {
        #expect(TextNormalizer.maskingMyNumberLike(input) == expected)
        #expect(!TextNormalizer.containsMyNumberLike(TextNormalizer.maskingMyNumberLike(input)))
    }
}
