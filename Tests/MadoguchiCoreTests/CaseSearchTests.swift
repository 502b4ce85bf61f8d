import Foundation
import Testing
@testable import MadoguchiCore

/// A case as the search sees it: number, 氏名, フリガナ (stored normalised, R-ID-6), 受給者番号.
func searchCase(_ number: String, name: String, furigana: String, recipient: String) -> CaseRecord {
    let app = Application(
        applicant: .init(furigana: furigana, name: name, birthDate: LocalDate(year: 1960, month: 1, day: 1),
                         postalCode: "1000001", prefecture: "東京都", municipality: "千代田区", address: "1-1",
                         phone: "03-0000-0000", email: "taro@example.jp"),
        recipientNumber: recipient, serverIndividualNumber: nil, proxy: nil, requestTicked: true,
        signedFormReceived: true, reason: "", applicationDate: LocalDate(year: 2026, month: 11, day: 1)!,
        branch: .assistanceOnly, insurance: nil, holdsValidTickets: false, explained: [])
    return CaseRecord(number: number, application: app, status: .received, receivedAt: "2026-11-01T09:00:00+09:00",
                      receivedBy: "yamada", ticketsIssued: [], history: [])
}

@Suite("Case search: number, 氏名, フリガナ, 受給者番号 (issue 11)", .tags(.unit))
struct CaseSearchTests {
    static let cases = [
        searchCase("2026-0001", name: "山田　太郎", furigana: "ヤマダ　タロウ", recipient: "1234567"),
        searchCase("2026-0002", name: "鈴木　花子", furigana: "スズキ　ハナコ", recipient: "2345678"),
        searchCase("2026-0003", name: "山本　ガク", furigana: "ヤマモト　ガク", recipient: "3456789"),
        searchCase("2026-0012", name: "SMITH JOHN", furigana: "スミス　ジョン", recipient: "4567890"),
    ]

    func numbers(_ q: String) -> [String] { CaseSearch.filter(Self.cases, q).map(\.number) }

    @Test("フリガナ typed in hiragana, katakana or half-width katakana finds the same people")
    func kanaAlike() {
        #expect(numbers("ヤマ") == ["2026-0001", "2026-0003"])
        #expect(numbers("やま") == ["2026-0001", "2026-0003"])
        #expect(numbers("ﾔﾏ") == ["2026-0001", "2026-0003"])
        #expect(numbers("がく") == ["2026-0003"], "voiced kana")
        #expect(numbers("ｶﾞｸ") == ["2026-0003"], "half-width voiced kana are composed (ｶﾞ = ガ)")
        #expect(numbers("ｶｸ").isEmpty, "カ is not ガ")
    }

    @Test("Spaces of any width are ignored, in the query and in the stored name")
    func spacesIgnored() {
        #expect(numbers("山田太郎") == ["2026-0001"])
        #expect(numbers("山田 太郎") == ["2026-0001"])
        #expect(numbers("やまだ　たろう") == ["2026-0001"])
        #expect(numbers("ﾀﾞﾀﾛ") == ["2026-0001"], "across the space between family and given name")
        #expect(numbers("   ").isEmpty, "nothing to look for matches nothing")
    }

    @Test("A part of the case number (with or without the hyphen, full width too) or of the 受給者番号")
    func partialNumbers() {
        #expect(numbers("0002") == ["2026-0002"])
        #expect(numbers("2026-001") == ["2026-0012"])
        #expect(numbers("20260003") == ["2026-0003"])
        #expect(numbers("２０２６ー０００２") == ["2026-0002"], "full-width digits and a long-vowel mark as the hyphen")
        #expect(numbers("7890") == ["2026-0012"], "受給者番号 4567890")
        #expect(numbers("4567") == ["2026-0001", "2026-0002", "2026-0003", "2026-0012"])
        #expect(numbers("345678") == ["2026-0002", "2026-0003"])
    }

    @Test("Latin names in any case and width; no match is empty; a match never runs across two fields")
    func otherCases() {
        #expect(numbers("smith") == ["2026-0012"])
        #expect(numbers("ＳＭＩＴＨ") == ["2026-0012"])
        #expect(numbers("佐藤").isEmpty)
        #expect(numbers("example").isEmpty, "e-mail is not searched")
        #expect(numbers("太郎ヤマ").isEmpty, "氏名 then フリガナ are separate fields")
        #expect(numbers("00012026").isEmpty, "the number as written, then as digits: separate keys")
    }

    @Test("key(): the one normalisation, shared with the desk and the CLI")
    func key() {
        #expect(CaseSearch.key("ﾔﾏﾀﾞ　ﾀﾛｳ") == "ヤマダタロウ")
        #expect(CaseSearch.key("やまだ たろう") == "ヤマダタロウ")
        #expect(CaseSearch.key("２０２６－０００１") == "2026-0001")
        #expect(CaseSearch.key("ABC") == "abc")
        #expect(CaseSearch.key("ラーメン") == "ラーメン", "ー after kana stays a long vowel")
    }

    @Test("25,000 cases: building the index and one query (time printed, not asserted)")
    func speed() {
        let family = [("山田", "ヤマダ"), ("鈴木", "スズキ"), ("佐藤", "サトウ"), ("田中", "タナカ"), ("高橋", "タカハシ")]
        let given = [("太郎", "タロウ"), ("花子", "ハナコ"), ("次郎", "ジロウ"), ("美咲", "ミサキ")]
        let many = (0..<25_000).map { i in
            let f = family[i % family.count], g = given[(i / 7) % given.count]
            return searchCase(String(format: "2026-%05d", i), name: "\(f.0)　\(g.0)", furigana: "\(f.1)　\(g.1)",
                              recipient: String(format: "%07d", (i * 7919) % 10_000_000))
        }
        let clock = ContinuousClock()
        var index: CaseSearch?
        let build = clock.measure { index = CaseSearch(many) }
        var counts: [Int] = []
        var times: [Duration] = []
        for q in ["や", "やまだ", "ﾔﾏﾀﾞﾀﾛｳ", "12345", "存在しない"] {
            let t = clock.measure { counts.append(index!.matches(q).count) }
            times.append(t)
        }
        print("CaseSearch at 25,000 cases: index \(build); queries や/やまだ/ﾔﾏﾀﾞﾀﾛｳ/12345/存在しない: \(times) → \(counts) matches")
        #expect(counts[0] == 5_000 && counts[1] == 5_000 && counts[4] == 0)
        #expect(counts[2] == (0..<25_000).filter { $0 % 5 == 0 && ($0 / 7) % 4 == 0 }.count)
    }
}
