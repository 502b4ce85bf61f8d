import Foundation
import TOMLKit

/// Reads the scenario book: `book.toml` (title, the calendar's first day) and `scenarios/*.toml`, one
/// scenario a file, in file-name order. Every problem names the file, the line where it can, and what
/// is wrong, so a trainer writing a new scenario is told what to fix.
extension ScenarioBook {
    public static func load(directory: URL) throws -> ScenarioBook {
        let bookURL = directory.appendingPathComponent("book.toml")
        let (bookTable, bookText) = try readTOML(bookURL)
        let label = bookURL.path
        guard let title = bookTable["title"]?.string, !title.isEmpty else {
            throw ConfigError(file: label, message: "title（研修の題名）がありません")
        }
        guard let startText = bookTable["start"]?.string, let start = LocalDate(iso: startText) else {
            throw ConfigError(file: label, line: SourceLines.line(ofKey: "start", inTable: nil, in: bookText),
                              message: "start（研修の暦の初日）を \"2026-11-02\" の形で書いてください")
        }
        let folder = directory.appendingPathComponent("scenarios")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".toml") }.sorted()
        guard !names.isEmpty else {
            throw ConfigError(file: folder.path, message: "シナリオ（*.toml）が一つもありません")
        }
        var scenarios: [TrainingScenario] = []
        for name in names {
            let s = try TrainingScenario.load(from: folder.appendingPathComponent(name))
            if let other = scenarios.first(where: { $0.id == s.id }) {
                throw ConfigError(file: folder.appendingPathComponent(name).path, message: "番号 \(s.id) がシナリオ「\(other.title)」と重なっています")
            }
            if let other = scenarios.first(where: { $0.person.recipientNumber == s.person.recipientNumber }) {
                throw ConfigError(file: folder.appendingPathComponent(name).path,
                                  message: "受給者番号 \(s.person.recipientNumber) がシナリオ \(other.id) の人と重なっています（研修では受給者番号で案件とシナリオを結びます）")
            }
            if let other = scenarios.first(where: { $0.person.serverIndividualNumber == s.person.serverIndividualNumber }) {
                throw ConfigError(file: folder.appendingPathComponent(name).path,
                                  message: "被保険者枝番がシナリオ \(other.id) の人と重なっています")
            }
            if s.arrives < start {
                throw ConfigError(file: folder.appendingPathComponent(name).path,
                                  message: "来所日 \(Wareki.format(s.arrives)) が研修の初日 \(Wareki.format(start)) より前です")
            }
            scenarios.append(s)
        }
        return ScenarioBook(title: title, start: start, scenarios: scenarios, directory: directory)
    }

    static func readTOML(_ url: URL) throws -> (TOMLTable, String) {
        guard let data = try? Data(contentsOf: url) else {
            throw ConfigError(file: url.path, message: "読めません（ファイルがないか、読む権限がありません）")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: url.path, message: "UTF-8 として読めません")
        }
        return (try SafeTOML.parse(text, fileLabel: url.path), text)   // toml++ asserts on some input (issue 6)
    }
}

extension TrainingScenario {
    /// One scenario file; its id is the file name's leading digits (`03-rejected.toml` → `03`).
    public static func load(from url: URL) throws -> TrainingScenario {
        let (t, text) = try ScenarioBook.readTOML(url)
        let file = ScenarioFile(label: url.path, text: text)
        let id = String(url.lastPathComponent.prefix(while: \.isNumber))
        guard !id.isEmpty else {
            throw ConfigError(file: file.label, message: "ファイル名は番号で始めてください（例 01-standard.toml）")
        }
        let title = try file.string(t, "title", nil, "題名")
        let arrives = try file.date(t, "arrives", nil, "来所日")
        let situation = try file.string(t, "situation", nil, "状況の説明")
        let rules = (t["rules"]?.array ?? []).compactMap { $0.string }

        guard let p = t["person"]?.table else { throw ConfigError(file: file.label, message: "[person]（申請者）の表がありません") }
        let person = try file.person(p)
        let s = t["server"]?.table ?? TOMLTable()
        let fate = try file.fate(s, branch: person.branch)
        let happenings = try file.happenings(t)
        let expectations = try file.expectations(t, fate: fate, branch: person.branch)
        return TrainingScenario(id: id, title: title, rules: rules, arrives: arrives, situation: situation, person: person,
                                fate: fate,
                                happenings: happenings, expectations: expectations)
    }

    /// One scenario file being read: its parts, each read by its own step, and the file's problems
    /// named with the line of the key where there is one.
    private struct ScenarioFile {
        let label: String
        let text: String

        func fail(_ key: String, _ table: String?, _ message: String) -> ConfigError {
            ConfigError(file: label, line: SourceLines.line(ofKey: key, inTable: table, in: text), message: message)
        }

        func string(_ table: TOMLTable, _ key: String, _ section: String?, _ what: String) throws -> String {
            guard let s = try optionalText(table, key, section)?.trimmingCharacters(in: .whitespacesAndNewlines), !s.isEmpty else {
                throw fail(key, section, "\(section.map { "[\($0)] の " } ?? "")\(key)（\(what)）がありません")
            }
            return s
        }

        /// A text key, nil when absent; a value of another kind (a number, a TOML date written without
        /// quotes) is refused naming the key, never taken as absent or as the default.
        func optionalText(_ table: TOMLTable, _ key: String, _ section: String?) throws -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.string else {
                throw fail(key, section, "\(section.map { "[\($0)] の " } ?? "")\(key) は文字列で書いてください（日付も \"2026-11-02\" のように引用符で囲みます）")
            }
            return s
        }

        func date(_ table: TOMLTable, _ key: String, _ section: String?, _ what: String) throws -> LocalDate {
            let s = try string(table, key, section, what)
            guard let d = LocalDate(iso: s) else { throw fail(key, section, "\(key)（\(what)）\"\(s)\" は \"2026-11-02\" の形の日付ではありません") }
            return d
        }

        /// A `true`/`false` key, false when absent; any other value is refused, never taken as false.
        func flag(_ table: TOMLTable, _ key: String, _ section: String) throws -> Bool {
            guard let v = table[key] else { return false }
            guard let b = v.bool else { throw fail(key, section, "[\(section)] の \(key) は true か false で書いてください") }
            return b
        }

        /// `[person]`'s `key`, read and checked as the intake screen would check it.
        func checked(_ p: TOMLTable, _ key: String, _ what: String, by validator: Validator) throws -> String {
            let value = try string(p, key, "person", what)
            let ctx = ValidationContext(today: LocalDate(year: 2100, month: 1, day: 1)!)
            switch validator.validate(value, ctx) {
            case .success(let v): return v
            case .failure(let e): throw fail(key, "person", "\(what) \(value)：\(e.message)")
            }
        }

        /// `[person]`: the applicant the trainee will meet.
        func person(_ p: TOMLTable) throws -> Person {
            let branchText = try string(p, "branch", "person", "区分")
            guard let branch = Branch(rawValue: branchText) else {
                throw fail("branch", "person", "branch は \"assistance_only\"（医療扶助単独）か \"insured\"（併用）です")
            }
            let serverNumber = try checked(p, "server_individual_number", "被保険者枝番", by: Validators.serverIndividualNumber)
            let documented = try p["documented_server_number"].map { _ in
                try checked(p, "documented_server_number", "台帳の被保険者枝番", by: Validators.serverIndividualNumber)
            } ?? serverNumber
            return Person(
                name: try checked(p, "name", "氏名", by: Validators.name),
                furigana: try checked(p, "furigana", "フリガナ", by: Validators.furigana),
                birthDate: try date(p, "birth_date", "person", "生年月日"),
                recipientNumber: try checked(p, "recipient_number", "受給者番号", by: Validators.recipientNumber),
                serverIndividualNumber: serverNumber,
                documentedServerNumber: documented,
                branch: branch,
                cardRegisteredOn: try date(p, "card_registered_on", "person", "初回登録日"),
                certificateExpiry: try date(p, "certificate_expiry", "person", "電子証明書有効期限"),
                holdsValidTickets: try flag(p, "holds_valid_tickets", "person"))
        }

        /// `[server]`: what the simulated 中間サーバー and insurer do with the case.
        func fate(_ s: TOMLTable, branch: Branch) throws -> ServerFate {
            let registration = try self.registration(s)
            let monthEnds = try self.monthEnds(s)
            let insurer = try self.insurer(s)
            if branch == .insured, case .never = insurer {
                throw fail("insurer", "server", "併用の人は保険者がいつ登録するか（insurer）を書いてください（R-BR-3）")
            }
            var fate = ServerFate(registration: registration, monthEnds: monthEnds, insurer: insurer)
            if let v = s["result_after_days"] {
                guard let n = v.int, (0...27).contains(n) else {
                    throw fail("result_after_days", "server", "result_after_days（登録結果ファイルが届くまでの日数）は 0〜27 の整数です")
                }
                fate.resultAfterDays = n
            }
            if s["reregisters_on"] != nil {
                fate.reregistersOn = try date(s, "reregisters_on", "server", "カードを再登録する日")
            }
            return fate
        }

        /// `registration`: absent means accepted (the usual case).
        func registration(_ s: TOMLTable) throws -> ServerFate.Registration {
            switch try optionalText(s, "registration", "server") ?? "accepted" {
            case "accepted": return .accepted
            case "rejected": return .rejected(message: try string(s, "message", "server", "処理結果メッセージ"))
            case "already_registered": return .alreadyRegistered(on: try date(s, "registered_on", "server", "先に登録された日"))
            case let other:
                throw fail("registration", "server", "registration は \"accepted\"、\"rejected\"、\"already_registered\" のどれかです（\"\(other)\" は使えません）")
            }
        }

        func monthEnds(_ s: TOMLTable) throws -> [ServerFate.MonthEnd] {
            var monthEnds: [ServerFate.MonthEnd] = []
            for v in s["month_ends"]?.array ?? [] {
                switch v.string ?? "" {
                case "carried_out": monthEnds.append(.carriedOut)
                case "cancel": monthEnds.append(.cancelled)
                case let h where h.hasPrefix("hold:"):
                    guard let n = Int(h.dropFirst(5)), let r = NoticeReason(rawValue: n), r.isHold else {
                        throw fail("month_ends", "server", "保留は \"hold:1\"〜\"hold:4\" です（\"\(h)\" は使えません）")
                    }
                    monthEnds.append(.held(r))
                case let other:
                    throw fail("month_ends", "server", "month_ends の \"\(other)\" は使えません（\"carried_out\"、\"hold:1\"〜\"hold:4\"、\"cancel\"）")
                }
            }
            return monthEnds
        }

        /// `insurer`: absent means the insurer never registers (an assistance-only person has none).
        func insurer(_ s: TOMLTable) throws -> ServerFate.Insurer {
            switch try optionalText(s, "insurer", "server") ?? "never" {
            case "never": return .never
            case "registers_on": return .registersOn(try date(s, "insurer_registers_on", "server", "保険者の登録日"))
            case "if_told":
                guard let n = s["days_after_intake"]?.int, n >= 0 else {
                    throw fail("days_after_intake", "server", "days_after_intake（受付から保険者が登録するまでの日数）を 0 以上の整数で書いてください")
                }
                return .ifTold(daysAfterIntake: n)
            case "after_followup":
                guard let n = s["days_after_followup"]?.int, n >= 0 else {
                    throw fail("days_after_followup", "server", "days_after_followup（確認の連絡から保険者が登録するまでの日数）を 0 以上の整数で書いてください")
                }
                return .afterFollowUp(daysAfter: n)
            case let other:
                throw fail("insurer", "server", "insurer は \"never\"、\"registers_on\"、\"if_told\"、\"after_followup\" のどれかです（\"\(other)\" は使えません）")
            }
        }

        /// `[[happenings]]`: what the person tells the office, on a date or at a stage of the case.
        func happenings(_ t: TOMLTable) throws -> [Happening] {
            var happenings: [Happening] = []
            for (i, v) in (t["happenings"]?.array ?? []).enumerated() {
                let line = SourceLines.line(ofHeader: "[[happenings]]", occurrence: i, in: text)
                guard let h = v.table, let body = h["text"]?.string, !body.isEmpty else {
                    throw ConfigError(file: label, line: line, message: "happenings の \(i + 1) 番目に text がありません")
                }
                let on = try optionalText(h, "on", "happenings")
                let when = try optionalText(h, "when", "happenings")
                guard (on == nil) != (when == nil) else {
                    throw ConfigError(file: label, line: line, message: "happenings の \(i + 1) 番目: on（日付）か when（案件の段階）のどちらか一つを書いてください")
                }
                var onDate: LocalDate?
                if let on {
                    guard let d = LocalDate(iso: on) else {
                        throw ConfigError(file: label, line: line, message: "happenings の \(i + 1) 番目: on \"\(on)\" は日付ではありません")
                    }
                    onDate = d
                }
                var trigger: Happening.Trigger?
                if let when {
                    guard let w = Happening.Trigger(rawValue: when) else {
                        throw ConfigError(file: label, line: line,
                                          message: "happenings の \(i + 1) 番目: when は \(Happening.Trigger.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "、")) のどれかです")
                    }
                    trigger = w
                }
                happenings.append(Happening(on: onDate, when: trigger, text: body.trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            return happenings
        }

        /// `expect`: the points to grade, each with the fate it needs to be graded against.
        func expectations(_ t: TOMLTable, fate: ServerFate, branch: Branch) throws -> [Expectation] {
            var expectations: [Expectation] = []
            for v in t["expect"]?.array ?? [] {
                guard let e = v.string.flatMap(Expectation.init(rawValue:)) else {
                    throw fail("expect", nil, "expect の \"\(v.string ?? "?")\" は採点できません（使えるのは \(Expectation.allCases.map(\.rawValue).joined(separator: ", "))）")
                }
                expectations.append(e)
            }
            guard !expectations.isEmpty else { throw fail("expect", nil, "expect（期待される対応）がありません") }
            // Points that need a fate to be graded against.
            if expectations.contains(.reregistrationRecorded), fate.reregistersOn == nil {
                throw fail("expect", nil, "reregistration_recorded を採点するには [server] に reregisters_on（再登録する日）を書いてください（R-CF-3）")
            }
            if expectations.contains(.ticketsAfterCancel), !fate.monthEnds.contains(.cancelled) {
                throw fail("expect", nil, "tickets_after_cancel を採点するには [server] の month_ends に \"cancel\" を書いてください（R-PT-4）")
            }
            if expectations.contains(.insurerFollowedUp), branch != .insured {
                throw fail("expect", nil, "insurer_followed_up は併用の人（branch = \"insured\"）のシナリオで採点します（R-CF-4）")
            }
            return expectations
        }
    }
}
