import Foundation

/// Kana conversions for フリガナ and 氏名 (R-ID-6).
///
/// Done by table, not by NFKC: Linux Foundation's NFKC turns half-width ｶﾞ into カ + U+3099
/// (ARCHITECTURE.md). Here half-width voiced marks become combining marks and the result is composed
/// with the canonical mapping (NFC), so ｶﾞ → ガ (U+30AC), ﾊﾟ → パ, ｳﾞ → ヴ.
public enum Kana {

    /// 半角カタカナ U+FF66…U+FF9D in code-point order, as full-width katakana.
    private static let halfWidthKatakana: [Unicode.Scalar] = Array(
        "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
            .unicodeScalars)

    /// Half-width katakana and half-width Japanese punctuation (｡｢｣､･) → full-width; ﾞ ﾟ are joined
    /// to the kana before them (ｶﾞ → ガ). Everything else is left alone.
    public static func fullWidthKatakana(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(halfToFull(u)) }
        return String(out).precomposedStringWithCanonicalMapping
    }

    /// ひらがな → カタカナ (ぁ…ゖ, ゝ ゞ); everything else is left alone.
    public static func hiraganaToKatakana(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(hiraganaToKatakana(u)) }
        return String(out)
    }

    private static func halfToFull(_ u: Unicode.Scalar) -> Unicode.Scalar {
        switch u.value {
        case 0xFF66...0xFF9D: return halfWidthKatakana[Int(u.value - 0xFF66)]
        case 0xFF9E: return "\u{3099}"  // ﾞ → combining 濁点
        case 0xFF9F: return "\u{309A}"  // ﾟ → combining 半濁点
        case 0xFF61: return "。"
        case 0xFF62: return "「"
        case 0xFF63: return "」"
        case 0xFF64: return "、"
        case 0xFF65: return "・"
        default: return u
        }
    }

    private static func hiraganaToKatakana(_ u: Unicode.Scalar) -> Unicode.Scalar {
        switch u.value {
        case 0x3041...0x3096, 0x309D, 0x309E: return Unicode.Scalar(u.value + 0x60)!
        default: return u
        }
    }

    /// What フリガナ may hold: full-width katakana ァ…ヺ, ・, ー, ヽ ヾ, and the full-width space.
    static func isFuriganaScalar(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x30A1...0x30FE, 0x3000: return true
        default: return false
        }
    }

    static func isKana(_ u: Unicode.Scalar) -> Bool {
        (0x3041...0x3096).contains(u.value) || (0x30A1...0x30FA).contains(u.value)
            || (0xFF66...0xFF9D).contains(u.value)
    }

    /// フリガナ: full-width katakana; half-width converted and voiced kana composed (ｶﾞ → ガ, not
    /// カ+U+3099); hiragana converted to katakana; spaces (any width, runs) → one full-width space;
    /// ー and ・ allowed. Refuses other characters naming the first offending one. (R-ID-6)
    /// Empty (after trimming) → `""`.
    public static func normalizeFurigana(_ input: String) -> Result<String, ValueError> {
        let trimmed = TextNormalizer.trimmed(input)
        var mapped = String.UnicodeScalarView()
        var previous: Unicode.Scalar? = nil
        for u in trimmed.unicodeScalars {
            var v = hiraganaToKatakana(halfToFull(u))
            // Spacing 濁点/半濁点 (゛゜) typed after a kana: join it like a half-width one.
            if (u.value == 0x309B || u.value == 0x309C), let p = previous, isKana(p) {
                v = u.value == 0x309B ? "\u{3099}" : "\u{309A}"
            }
            mapped.append(v)
            previous = u
        }
        let composed = String(mapped).precomposedStringWithCanonicalMapping
        var out = ""
        var pendingSpace = false
        for c in composed {
            if c.unicodeScalars.count == 1, c.unicodeScalars.first!.properties.isWhitespace {
                pendingSpace = true
                continue
            }
            guard c.unicodeScalars.allSatisfy(isFuriganaScalar) else {
                if c.unicodeScalars.contains(where: { $0.value == 0x3099 || $0.value == 0x309A }) {
                    return .failure(ValueError(
                        "「\(c)」は使えません。濁点・半濁点を付けられない文字です（カタカナで入力してください）"))
                }
                return .failure(ValueError("\(TextNormalizer.quoted(c))は使えません。カタカナで入力してください"))
            }
            if pendingSpace { out.append("\u{3000}"); pendingSpace = false }
            out.append(c)
        }
        return .success(out)
    }
}
