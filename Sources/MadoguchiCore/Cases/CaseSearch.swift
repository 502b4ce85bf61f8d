import Foundation

/// Finding a person among the cases (検索, issue 11): by case number (案件番号), 氏名, フリガナ and
/// 受給者番号, a part of any of them. Shared by the desk's `/` and `madoguchi cases --search`.
///
/// What is typed and what is stored are compared after the same normalisation (`CaseSearch.key`):
/// hiragana, katakana and half-width katakana alike (やまだ = ヤマダ = ﾔﾏﾀﾞ), full-width digits and
/// letters as ASCII, spaces of any width ignored, ASCII letters in lower case, a hyphen-like mark
/// after a digit as `-` (２０２６ー０００１ = 2026-0001).
///
/// Built once for a set of cases; a query is then one byte scan over all the keys (about 60 bytes a
/// case), so a key typed in the search line costs a few milliseconds at 25,000 cases.
public struct CaseSearch: Sendable {
    /// Every case's keys, UTF-8, fields separated by 0x01 and each case closed by 0x00 (a query,
    /// normalised, never holds either, so a match never runs across two fields or two cases).
    private let haystack: [UInt8]
    /// Where each case's keys start in `haystack`, plus the end.
    private let starts: [Int]

    public var count: Int { starts.count - 1 }

    public init(_ cases: [CaseRecord]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(cases.count * 72)
        var starts: [Int] = []
        starts.reserveCapacity(cases.count + 1)
        for c in cases {
            starts.append(bytes.count)
            bytes += Self.keys(c)
        }
        starts.append(bytes.count)
        self.haystack = bytes
        self.starts = starts
    }

    /// What is searched in a case: 案件番号 (as written and as digits only), 氏名, フリガナ, 受給者番号.
    static func fields(_ c: CaseRecord) -> [String] {
        [c.number, String(c.number.filter { $0 != "-" }),
         c.application.applicant.name, c.application.applicant.furigana, c.application.recipientNumber]
    }

    /// The index of `cases`, which differ from the cases this index was built for only at
    /// `positions` (indices into `cases`; every index past this index's count is among them): the
    /// other cases' keys are copied, only those are worked out again (issue 14: after a save the
    /// first `/` built the whole index again, 80 ms at 25,000 cases).
    public func replacing(_ positions: [Int], in cases: [CaseRecord]) -> CaseSearch {
        var fresh: [Int: [UInt8]] = [:]
        for p in positions where p < cases.count { fresh[p] = Self.keys(cases[p]) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(haystack.count + fresh.values.reduce(0) { $0 + $1.count })
        var newStarts: [Int] = []
        newStarts.reserveCapacity(cases.count + 1)
        var i = 0
        while i < cases.count {
            if let k = fresh[i] {
                newStarts.append(bytes.count)
                bytes += k
                i += 1
                continue
            }
            guard i < count else { return CaseSearch(cases) }   // a case past the old ones not among `positions`
            // A run of unchanged cases, copied at once.
            var j = i
            while j < min(count, cases.count), fresh[j] == nil { j += 1 }
            let shift = bytes.count - starts[i]
            bytes += haystack[starts[i]..<starts[j]]
            for k in i..<j { newStarts.append(starts[k] + shift) }
            i = j
        }
        newStarts.append(bytes.count)
        return CaseSearch(haystack: bytes, starts: newStarts)
    }

    private init(haystack: [UInt8], starts: [Int]) {
        self.haystack = haystack
        self.starts = starts
    }

    /// One case's keys as they stand in the haystack, closed by 0x00.
    static func keys(_ c: CaseRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        for (i, field) in fields(c).enumerated() {
            if i > 0 { bytes.append(0x01) }
            bytes.append(contentsOf: key(field).utf8)
        }
        bytes.append(0x00)
        return bytes
    }

    /// The indices (into the cases given to `init`, ascending) of the cases whose keys contain the
    /// query. A query that normalises to nothing (only spaces) matches nothing.
    public func matches(_ query: String) -> [Int] {
        let needle = Array(Self.key(query).utf8)
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var found: [Int] = []
        haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { n in
                var from = 0
                var caseIndex = 0
                while let at = Self.find(n, in: hay, from: from) {
                    // The case that holds `at`: the matches come in order, so walk forward.
                    while starts[caseIndex + 1] <= at { caseIndex += 1 }
                    found.append(caseIndex)
                    from = starts[caseIndex + 1]   // one hit per case is enough
                }
            }
        }
        return found
    }

    /// The first offset at or after `from` where `needle` starts (memchr for its first byte, then
    /// memcmp: standard C, fast in a debug build too).
    private static func find(_ needle: UnsafeRawBufferPointer, in hay: UnsafeRawBufferPointer, from: Int) -> Int? {
        let first = Int32(needle[0])
        let base = hay.baseAddress!
        var at = from
        let last = hay.count - needle.count
        while at <= last {
            guard let p = memchr(base + at, first, last - at + 1) else { return nil }
            let i = base.distance(to: UnsafeRawPointer(p))
            if memcmp(base + i, needle.baseAddress!, needle.count) == 0 { return i }
            at = i + 1
        }
        return nil
    }

    /// The cases that match, in the order given (for `madoguchi cases --search`).
    public static func filter(_ cases: [CaseRecord], _ query: String) -> [CaseRecord] {
        CaseSearch(cases).matches(query).map { cases[$0] }
    }

    /// The form in which typed and stored text are compared (see the type's comment). Reuses the
    /// kana and width tables of the validators (R-ID-6).
    public static func key(_ text: String) -> String {
        // Numbers and Latin text (most fields): no table to apply.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for b in text.utf8 where b > 0x20 && b != 0x7F {
                bytes.append((0x41...0x5A).contains(b) ? b + 0x20 : b)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var s = TextNormalizer.halfWidthASCII(text)
        if s.unicodeScalars.contains(where: { (0xFF61...0xFF9F).contains($0.value) }) {
            s = Kana.fullWidthKatakana(s)
        }
        s = Kana.hiraganaToKatakana(s)
        var out = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for u in s.unicodeScalars {
            if u.properties.isWhitespace || u.value < 0x20 || u.value == 0x7F { continue }
            var v = u
            if (0x41...0x5A).contains(u.value) { v = Unicode.Scalar(u.value + 0x20)! }
            if let p = previous, TextNormalizer.isASCIIDigit(p), TextNormalizer.hyphenLike.contains(u.value) { v = "-" }
            out.append(v)
            previous = v
        }
        return String(out)
    }
}

/// R-IN-6: one open application per person. A second request for the same 受給者番号 fails on the
/// server (R-PC-1 3), so the program warns before saving and names the open case.
public enum OpenApplication {
    /// The open case (other than `excluding`) with this 受給者番号, as stored (normalised), if any.
    public static func same(recipientNumber: String, in cases: [CaseRecord], excluding: String? = nil) -> CaseRecord? {
        guard !recipientNumber.isEmpty else { return nil }
        return cases.first { $0.number != excluding && $0.status.isOpen && $0.application.recipientNumber == recipientNumber }
    }

    /// The warning, naming the case, its person and its state.
    public static func warning(_ other: CaseRecord) -> String {
        "同じ受給者番号の案件 \(other.number)（\(other.application.applicant.name)、\(other.status.label)）が手続中です。"
            + "二つ目の申請は中間サーバーで誤りになります。その案件を確かめてください（R-IN-6, R-PC-1）"
    }
}
