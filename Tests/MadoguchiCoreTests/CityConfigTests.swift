import Foundation
import Testing
@testable import MadoguchiCore

/// Issue 15 item 5: the city's config (`city.toml`) and the city's pending list.
@Suite("City config and the city's pending list", .tags(.unit))
struct CityConfigTests {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let lines: [String] = [
        "[city]",                                   // 1
        "name = \"テスト市\"",                        // 2
        "",                                         // 3
        "[store]",                                  // 4
        "kind = \"postgres\"",                      // 5
        "database = \"madoguchi\"",                 // 6
        "socket_directory = \"/run/postgresql\"",   // 7
        "",                                         // 8
        "[data]",                                   // 9
        "directory = \"city-data\"",                // 10
        "",                                         // 11
        "[[operators]]",                            // 12
        "id = \"kimura\"",                          // 13
        "name = \"木村 一郎\"",                       // 14
        "account = \"kimura\"",                     // 15
        "db_role = \"city_kimura\"",                // 16
    ]

    static func load(_ lines: [String]) throws -> CityConfig {
        let url = URL(fileURLWithPath: "/tmp/madoguchi-city-test/city.toml")
        return try CityConfig.load(from: url, contents: Data(lines.joined(separator: "\n").utf8), environment: ["HOME": "/home/t"])
    }

    static func error(_ lines: [String]) -> ConfigError? {
        do { _ = try load(lines); return nil } catch let e as ConfigError { return e } catch { return nil }
    }

    @Test("the example city config loads: the city, the database, the data folder and the supervisor with their role")
    func exampleLoads() throws {
        let config = try CityConfig.load(from: Self.root.appendingPathComponent("config/city.example.toml"),
                                         environment: ["HOME": "/home/t", "XDG_DATA_HOME": "/home/t/.local/share"])
        #expect(config.name == "○○市")
        #expect(config.location.endpoint == .socket(directory: "/var/run/postgresql", port: 5432))
        #expect(config.dataDirectory.path == "/home/t/.local/share/madoguchi/city")
        #expect(config.operators == [CityOperator(id: "kimura", name: "木村 一郎", account: "kimura", dbRole: "city_kimura")])
        #expect(config.location.role(of: config.operators[0].asOperator) == "city_kimura")
    }

    @Test("a valid city config: the data folder relative to the file; the supervisor found by account")
    func valid() throws {
        let config = try Self.load(Self.lines)
        #expect(config.dataDirectory.path == "/tmp/madoguchi-city-test/city-data")
        #expect(config.operatorForAccount("kimura")?.id == "kimura")
        #expect(config.operatorForAccount("yamada") == nil)
    }

    @Test("the store is read as an office's: its own messages and lines; only PostgreSQL")
    func storeShared() {
        var l = Self.lines
        l[6] = "port = 70000"
        #expect(Self.error(l)?.line == 7)
        #expect(Self.error(l)?.message.contains("port") == true)
        l = Self.lines
        l[4] = "kind = \"jsonl\""
        l[5] = ""
        l[6] = ""
        #expect(Self.error(l)?.line == 4)
        #expect(Self.error(l)?.message.contains("PostgreSQL") == true)
        l = Self.lines
        l.removeSubrange(3...7)
        #expect(Self.error(l)?.message.contains("kind = \"postgres\"") == true)
    }

    @Test("each supervisor needs an OS account and a database role; mistakes name the line")
    func operators() {
        var l = Self.lines
        l[15] = "db_role = \"City-Kimura\""
        #expect(Self.error(l)?.line == 12)
        #expect(Self.error(l)?.message.contains("db_role") == true)
        l = Self.lines
        l.remove(at: 15)
        #expect(Self.error(l)?.message.contains("db_role") == true)
        l = Self.lines
        l[14] = "auth = \"passphrase\""
        #expect(Self.error(l)?.message.contains("account") == true)
        l = Self.lines
        l += ["auth = \"passphrase\""]
        #expect(Self.error(l)?.message.contains("auth") == true)
        #expect(Self.error(Self.lines + ["", "[[operators]]", "account = \"kimura\"", "db_role = \"city_k2\""])?.line == 18)
    }

    @Test("an office's config given as the city's is refused, saying which is which")
    func officeConfigRefused() {
        let e = Self.error(["[office]", "name = \"x\""] + Self.lines)
        #expect(e?.line == 1)
        #expect(e?.message.contains("[city]") == true)
    }

    @Test("the account check of the office's operators is the city's: another account is refused, naming who may act")
    func accountCheck() throws {
        #expect(try OfficeTrust.requireAccount("kimura", id: "kimura", name: "木村", running: "kimura") == "kimura")
        #expect(throws: KeyError.self) { try OfficeTrust.requireAccount("kimura", id: "kimura", name: "木村", running: "yamada") }
        #expect(throws: KeyError.self) { try OfficeTrust.requireAccount("kimura", id: "kimura", name: "木村", running: nil) }
    }

    @Test("the city's list: offices in code order, a broken one kept with its line and no rows, the office filter, counts over all")
    func cityList() throws {
        let ok = CityOfficeCases(office: "12130027", name: "北福祉事務所", cases: [])
        let broken = CityOfficeCases(office: "12130019", name: "南福祉事務所", cases: [],
                                     problem: CityOfficeProblem(line: 7, reason: "ハッシュが一致しません"))
        let list = Pending.cityList([ok, broken], today: LocalDate(year: 2026, month: 11, day: 30)!)
        #expect(list.offices.map(\.office) == ["12130019", "12130027"])
        #expect(list.offices.map(\.state) == ["broken", "ok"])
        #expect(list.brokenOffices.first?.problem?.text == "7 行目：ハッシュが一致しません")
        let only = Pending.cityList([ok, broken], today: LocalDate(year: 2026, month: 11, day: 30)!, only: ["12130027"])
        #expect(only.offices.map(\.office) == ["12130027"])
        #expect(only.brokenOffices.isEmpty)
    }

    @Test("a journal that does not verify makes its office broken with the line; an empty one is an office with no cases")
    func verifyAndFold() {
        let empty = CityOfficeCases.verifyAndFold(office: "12130019", name: "南", journalName: "db", bytes: [])
        #expect(empty.problem == nil && empty.cases.isEmpty)
        let garbage = CityOfficeCases.verifyAndFold(office: "12130019", name: "南", journalName: "db", bytes: Array("{\"seq\":1}\n".utf8))
        #expect(garbage.problem?.line == 1)
        #expect(garbage.cases.isEmpty)
    }
}
