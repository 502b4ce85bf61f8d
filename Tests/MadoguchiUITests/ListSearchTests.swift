import Foundation
import Testing
@testable import MadoguchiUI
@testable import MadoguchiCore

/// `/` on the case list and the pending list (issue 11, item 4).
@Suite("List search: / typing n N Enter Esc (issue 11)", .tags(.unit))
struct ListSearchTests {
    /// The fixture cases sorted by number: 2026-0001 山田 太郎, 2026-0002 鈴木 花子, 2026-0003 青木 次郎.
    static func desk() throws -> DeskState { UIFixture.desk(cases: try UIFixture.threeCases()) }

    static func selectedName(_ d: DeskState) -> String { d.sortedCases[d.list.selected].application.applicant.name }

    @Test("/ opens the search line; each key typed jumps to the first match, hiragana, katakana and half-width alike")
    func incremental() throws {
        var desk = try Self.desk()
        desk.press(.char("/"))
        #expect(desk.list.search?.editing == true && desk.focusIsText)
        var text = desk.render().text
        #expect(text.contains("/") && text.contains("番号・氏名・フリガナ・受給者番号") && text.contains("Enter 決定"))
        desk.typeChars("すず")
        #expect(Self.selectedName(desk) == "鈴木　花子")
        text = desk.render().text
        #expect(text.contains("/すず") && text.contains("1件中1件目"), "\(text)")
        desk.press(.ctrl("u"))
        desk.typeChars("ｱｵｷ")
        #expect(Self.selectedName(desk) == "青木　次郎")
        desk.press(.ctrl("u"))
        desk.paste("ヤマダ タ")                             // an IME commit: one key, all text
        #expect(Self.selectedName(desk) == "山田　太郎")
        #expect(desk.list.search?.query == "ヤマダ タ")
        // The 受給者番号 and the case number, in part.
        desk.press(.ctrl("u"))
        desk.typeChars(String(UIFixture.recipientNumber("345678").suffix(4)))
        #expect(Self.selectedName(desk) == "青木　次郎")
        desk.press(.ctrl("u"))
        desk.typeChars("0002")
        #expect(Self.selectedName(desk) == "鈴木　花子")
    }

    /// The monkey test found it: a 10 KB paste into the search line made every frame quadratic in
    /// the query (the desk stopped answering). The query is capped, the line drawn in one pass.
    @Test("A 10 KB paste into the search line: kept to 64 characters, said so, the end shown marked …")
    func hugePasteIsCapped() throws {
        var desk = try Self.desk()
        desk.press(.char("/"))
        desk.paste(String(repeating: "あいうえおカキクケコ0123456789", count: 500))
        #expect(desk.list.search?.query.count == ListSearch.maximumQueryLength)
        #expect(desk.list.search.map { $0.cursor <= $0.query.count } == true)
        let text = desk.render().text
        #expect(text.contains("64文字まで"), "\(text)")
        let line = text.split(separator: "\n").first { $0.contains("/…") } ?? ""
        #expect(line.contains("0123456789"), "the end of the query is shown: \(line)")
        #expect(desk.render().text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 80 })
    }

    @Test("No match: 「該当なし：…」 and the selection stays")
    func noMatch() throws {
        var desk = try Self.desk()
        desk.press(.down)
        desk.press(.char("/"))
        desk.typeChars("さとう")
        #expect(desk.list.selected == 1)
        let canvas = desk.render()
        #expect(canvas.text.contains("該当なし：さとう"))
        desk.press(.enter)
        #expect(desk.press(.char("n")).isEmpty)
        #expect(desk.status?.text == "該当なし：さとう" && desk.status?.kind == .error)
        #expect(desk.list.selected == 1)
    }

    @Test("Enter keeps the position and closes the line; n / N go to the next / previous match, round the end; matches are marked")
    func nextPrevious() throws {
        var desk = try Self.desk()
        desk.press(.char("/"))
        desk.typeChars("2026")
        #expect(desk.list.selected == 0)
        desk.press(.down)                                  // ↓ while typing: the next match
        #expect(desk.list.selected == 1)
        desk.press(.enter)
        #expect(desk.list.search?.editing == false && desk.list.search?.query == "2026" && desk.list.selected == 1)
        #expect(!desk.focusIsText)
        desk.press(.char("n"))
        #expect(desk.list.selected == 2 && desk.status?.text == "「2026」3件中3件目")
        desk.press(.char("n"))
        #expect(desk.list.selected == 0 && desk.status?.text.contains("先頭に戻りました") == true)
        desk.press(.char("N"))
        #expect(desk.list.selected == 2)
        desk.press(.char("N"))
        #expect(desk.list.selected == 1)
        let text = desk.render().text
        #expect(text.contains("n 次の一致") && text.contains("N 前の一致"), "the footer names n and N while a search is kept")
        // Every match is marked, not only the selected row.
        desk.press(.char("/"))
        desk.typeChars("やま")
        desk.press(.enter)
        let c = desk.render()
        let rows = c.text.split(separator: "\n", omittingEmptySubsequences: false)
        let yamada = try #require(rows.firstIndex { $0.contains("2026-0001") })
        let suzuki = try #require(rows.firstIndex { $0.contains("2026-0002") })
        desk.press(.down)
        let moved = desk.render()
        #expect(moved[1, yamada].style == DeskState.searchMatchStyle, "a match not selected is marked")
        #expect(moved[1, suzuki].style == .selected)
        // Other keys still work while the search is kept (↓ moved; F7 opens the menu).
        desk.press(.function(7))
        if case .menu? = desk.dialog {} else { Issue.record("F7 did not open the menu") }
    }

    @Test("Esc while typing goes back to where the search started; Esc after Enter clears the search and stays")
    func escape() throws {
        var desk = try Self.desk()
        desk.press(.char("/"))
        desk.typeChars("あおき")
        #expect(desk.list.selected == 2)
        desk.press(.escape)
        #expect(desk.list.search == nil && desk.list.selected == 0)
        desk.press(.char("/"))
        desk.typeChars("あおき")
        desk.press(.enter, .escape)
        #expect(desk.list.search == nil && desk.list.selected == 2)
        #expect(desk.status?.text == "検索を解除しました。")
        // Backspace on an empty search line closes it, as in less and vim.
        desk.press(.char("/"), .backspace)
        #expect(desk.list.search == nil)
    }

    @Test("n without a search says how to search, and opens nothing (F2 is the new application)")
    func nWithoutSearch() throws {
        var desk = try Self.desk()
        #expect(desk.press(.char("n")).isEmpty)
        #expect(desk.screen == .caseList && desk.intake == nil)
        #expect(desk.status?.text.contains("/ で検索") == true)
    }

    @Test("The pending list: / searches its rows; the first Esc clears the search, the next leaves the list")
    func pendingList() throws {
        var desk = try Self.desk()
        desk.press(.function(8))
        let rows = desk.pendingList.rows
        desk.press(.char("/"))
        desk.typeChars("じろう")
        let aoki = try #require(rows.firstIndex { $0.name == "青木　次郎" })
        #expect(desk.pending.selected == aoki)
        #expect(desk.render().text.contains("1件中1件目"))
        desk.press(.enter)
        desk.press(.char("/"))
        desk.typeChars("2026")
        desk.press(.enter)
        #expect(desk.pending.selected == 0)
        desk.press(.char("n"))
        #expect(desk.pending.selected == 1)
        desk.press(.char("N"), .char("N"))
        #expect(desk.pending.selected == rows.count - 1)
        // Filter keys still work with a search kept.
        desk.press(.char("h"))
        #expect(desk.pending.filter.heldOnly)
        desk.press(.char("h"))
        desk.press(.escape)
        #expect(desk.screen == .pending && desk.pending.search == nil)
        desk.press(.escape)
        #expect(desk.screen == .caseList)
    }

    @Test("F1 help on both lists names / and n N")
    func help() throws {
        var desk = try Self.desk()
        desk.press(.function(1))
        #expect(desk.render().text.contains("【検索】"))
        desk.press(.escape, .function(8), .function(1))
        // (The pending list's help is longer than 80×24 shows until help scrolls: read its lines.)
        #expect(desk.helpLines().map(\.0).joined().contains("n・N 次・前"))
    }

    @Test("25,000 cases: one key typed in the search line, update and render (time printed, not asserted)")
    func speed() throws {
        let base = try UIFixture.threeCases()
        let family = [("山田", "ヤマダ"), ("鈴木", "スズキ"), ("佐藤", "サトウ"), ("田中", "タナカ"), ("高橋", "タカハシ")]
        let many = (0..<25_000).map { i in
            var app = base[i % 3].application
            let f = family[i % family.count]
            app.applicant.name = "\(f.0)　\(i)"
            app.applicant.furigana = "\(f.1)　タロウ"
            return CaseRecord(number: String(format: "2026-%05d", i), application: app, status: .received,
                              receivedAt: "2026-11-01T09:00:00+09:00", receivedBy: "yamada", ticketsIssued: [], history: [])
        }
        var desk = UIFixture.desk(cases: many)
        let clock = ContinuousClock()
        _ = desk.render()
        var times: [(String, Duration)] = []
        for key in ["/", "さ", "と", "う"] {
            let t = clock.measure {
                _ = desk.update(.key(.char(Character(key))))
                _ = desk.render()
            }
            times.append((key, t))
        }
        desk.press(.enter)
        let n = clock.measure { _ = desk.update(.key(.char("n"))); _ = desk.render() }
        print("search at 25,000 cases, key → update + render: \(times.map { "\($0.0) \($0.1)" }.joined(separator: ", ")); n \(n)")
        #expect(desk.sortedCases[desk.list.selected].application.applicant.name.hasPrefix("佐藤"))
    }
}
