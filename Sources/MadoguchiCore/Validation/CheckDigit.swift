/// 検証番号 check digit of the 公費負担者番号, 受給者番号 and 保険者番号 (R-ID-1, R-ID-2, R-ID-3).
///
/// R-ID-3: take the digits before the check digit, multiply them from the rightmost by 2, 1, 2, 1, …;
/// add up the digits of each product (12 → 1+2); the check digit is (10 − sum mod 10) mod 10
/// (the Luhn scheme). `1213001` → `9` (`12130019`).
public enum CheckDigit {

    /// The check digit for these digits, or nil if the text is empty or not all ASCII digits.
    public static func compute(_ digitsBeforeCheck: String) -> Int? {
        guard TextNormalizer.isAllASCIIDigits(digitsBeforeCheck) else { return nil }
        var sum = 0
        for (position, u) in digitsBeforeCheck.unicodeScalars.reversed().enumerated() {
            let digit = Int(u.value - 0x30)
            let product = digit * (position % 2 == 0 ? 2 : 1)
            sum += product / 10 + product % 10
        }
        return (10 - sum % 10) % 10
    }

    /// True when the last digit is the check digit of the ones before it (at least two ASCII digits).
    public static func isValid(_ numberWithCheckDigit: String) -> Bool {
        guard numberWithCheckDigit.unicodeScalars.count >= 2,
              TextNormalizer.isAllASCIIDigits(numberWithCheckDigit) else { return false }
        let body = String(numberWithCheckDigit.dropLast())
        let last = Int(numberWithCheckDigit.unicodeScalars.last!.value - 0x30)
        return compute(body) == last
    }
}
