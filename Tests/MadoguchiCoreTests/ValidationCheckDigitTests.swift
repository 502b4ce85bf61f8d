import Testing
@testable import MadoguchiCore

@Suite("Validation: 検証番号 check digits (R-ID-3)", .tags(.unit))
struct ValidationCheckDigitTests {

    @Test("R-ID-3 DOMAIN.md examples: 33120015 and 54016027 valid, 88134458 invalid, 88134457 valid")
    func domainExamples() {
        #expect(CheckDigit.isValid("33120015"))
        #expect(CheckDigit.isValid("54016027"))
        #expect(!CheckDigit.isValid("88134458"))
        #expect(CheckDigit.isValid("88134457"))
        #expect(CheckDigit.compute("8813445") == 7)
    }

    @Test("R-ID-3 1213001 + 9 → 12130019")
    func computeExample() {
        #expect(CheckDigit.compute("1213001") == 9)
        #expect(CheckDigit.isValid("12130019"))
        #expect(!CheckDigit.isValid("12130018"))
    }

    @Test("R-ID-3 the weights start with 2 at the rightmost digit, products' digits are added")
    func weights() {
        // "5" alone: 5×2 = 10 → 1+0 = 1 → check 9.
        #expect(CheckDigit.compute("5") == 9)
        // "50": 0×2 + 5×1 = 5 → check 5.
        #expect(CheckDigit.compute("50") == 5)
        // "9": 18 → 1+8 = 9 → check 1.
        #expect(CheckDigit.compute("9") == 1)
        // sum ≡ 0 (mod 10) gives 0, not 10.
        #expect(CheckDigit.compute("0") == 0)
        #expect(CheckDigit.compute("000000") == 0)
    }

    @Test("R-ID-3 every single-digit change of a valid number is caught")
    func singleDigitErrors() {
        let valid = "12130019"
        var chars = Array(valid)
        for i in chars.indices {
            let original = chars[i]
            for d in "0123456789" where d != original {
                chars[i] = d
                #expect(!CheckDigit.isValid(String(chars)), "\(String(chars))")
            }
            chars[i] = original
        }
    }

    @Test("R-ID-3 non-digits, full-width digits and too-short input give nil / invalid")
    func badInput() {
        #expect(CheckDigit.compute("") == nil)
        #expect(CheckDigit.compute("12a") == nil)
        #expect(CheckDigit.compute("１２１３００１") == nil)
        #expect(CheckDigit.compute(" 1213001") == nil)
        #expect(!CheckDigit.isValid(""))
        #expect(!CheckDigit.isValid("9"))
        #expect(!CheckDigit.isValid("1213001９"))
        #expect(!CheckDigit.isValid("1213-0019"))
    }
}
