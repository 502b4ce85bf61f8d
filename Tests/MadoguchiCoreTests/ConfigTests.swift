import Foundation
import Testing
@testable import MadoguchiCore

// MARK: Helpers (prefixed `config` to keep clear of other test files)

/// The repo root, found through this file's real path (the file may be reached through a symlink).
private func configRepoRoot() -> URL {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

private func configDemoURL() -> URL {
    configRepoRoot().appendingPathComponent("config/demo/office.toml")
}

/// A valid office config, one entry per line, so tests can break one line and know its number.
private let configValidLines: [String] = [
    "# テスト用の福祉事務所",                            // 1
    "[office]",                                          // 2
    "name = \"テスト市福祉事務所\"",                      // 3
    "public_payer_number = \"12130019\"",               // 4
    "server_code = \"T1300019\"",                       // 5
    "mode = \"production\"",                            // 6
    "",                                                  // 7
    "[data]",                                            // 8
    "directory = \"data\"",                             // 9
    "",                                                  // 10
    "[[operators]]",                                     // 11
    "id = \"yamada\"",                                  // 12
    "name = \"山田 花子\"",                               // 13
    "role = \"clerk\"",                                 // 14
    "",                                                  // 15
    "[[operators]]",                                     // 16
    "id = \"sato\"",                                    // 17
    "name = \"佐藤 一郎\"",                               // 18
    "role = \"supervisor\"",                            // 19
]

/// Writes a config into a fresh temporary folder and returns its URL.
private func configWrite(_ text: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("madoguchi-config-tests")
        .appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent("office.toml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
}

private func configText(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

/// `configValidLines` with line `n` (1-based) replaced.
private func configReplacing(_ n: Int, with line: String) -> String {
    var l = configValidLines
    l[n - 1] = line
    return configText(l)
}

private let configEnv = ["HOME": "/home/tester", "XDG_DATA_HOME": "/xdg/share"]

/// Loads `text` and returns the ConfigError it must raise (records an issue when it does not).
private func configError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ConfigError? {
    let url = try configWrite(text)
    do {
        _ = try OfficeConfig.load(from: url, environment: configEnv)
        Issue.record("the config loaded, but it should have been refused", sourceLocation: sourceLocation)
        return nil
    } catch let e as ConfigError {
        #expect(e.file == url.path, "the error names the file", sourceLocation: sourceLocation)
        #expect(e.description.contains(url.path), sourceLocation: sourceLocation)
        return e
    }
}

/// True when the text has Japanese in it (hiragana, katakana or kanji).
private func configIsJapanese(_ s: String) -> Bool {
    s.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x4E00...0x9FFF).contains($0.value) }
}

@Suite("OfficeConfig", .tags(.unit))
struct ConfigTests {

    // MARK: The demo office

    @Test("R-ID-1 the bundled demo office loads: name, payer number 12130019, training mode, 3 operators")
    func demoOffice() throws {
        let c = try OfficeConfig.load(from: configDemoURL(), environment: configEnv)
        #expect(c.officeName == "デモ市福祉事務所")
        #expect(c.publicPayerNumber == "12130019")
        #expect(CheckDigit.isValid(c.publicPayerNumber))
        #expect(c.serverCode == "D1300019")
        #expect(c.mode == .training)
        #expect(c.isTraining)
        #expect(c.operators == [
            Operator(id: "yamada", name: "山田 花子", role: .clerk),
            Operator(id: "suzuki", name: "鈴木 健", role: .clerk),
            Operator(id: "sato", name: "佐藤 一郎", role: .supervisor),
        ])
        #expect(c.operatorNamed("sato")?.role == .supervisor)
        #expect(c.operatorNamed("nobody") == nil)
        #expect(c.source == configDemoURL())
        // $XDG_DATA_HOME/madoguchi/training/demo with XDG_DATA_HOME from the environment.
        #expect(c.dataDirectory.path == "/xdg/share/madoguchi/training/demo")
        #expect(c.journalURL.path == "/xdg/share/madoguchi/training/demo/journal.jsonl")
    }

    @Test("MADOGUCHI_DATA_DIR overrides the data directory")
    func dataDirOverride() throws {
        var env = configEnv
        env["MADOGUCHI_DATA_DIR"] = "/tmp/madoguchi-sandbox/x"
        let c = try OfficeConfig.load(from: configDemoURL(), environment: env)
        #expect(c.dataDirectory.path == "/tmp/madoguchi-sandbox/x")
        #expect(c.journalURL.path == "/tmp/madoguchi-sandbox/x/journal.jsonl")
        // An empty override is no override.
        env["MADOGUCHI_DATA_DIR"] = ""
        let d = try OfficeConfig.load(from: configDemoURL(), environment: env)
        #expect(d.dataDirectory.path == "/xdg/share/madoguchi/training/demo")
    }

    @Test("a relative MADOGUCHI_DATA_DIR is relative to the current folder, not to the config file")
    func dataDirOverrideRelative() throws {
        var env = configEnv
        env["MADOGUCHI_DATA_DIR"] = "sandbox/x"
        let c = try OfficeConfig.load(from: configDemoURL(), environment: env)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        #expect(c.dataDirectory.path == cwd + "/sandbox/x")
    }

    @Test("$XDG_DATA_HOME falls back to ~/.local/share when unset or empty")
    func xdgFallback() throws {
        let unset = try OfficeConfig.load(from: configDemoURL(), environment: ["HOME": "/home/tester"])
        #expect(unset.dataDirectory.path == "/home/tester/.local/share/madoguchi/training/demo")
        let empty = try OfficeConfig.load(from: configDemoURL(), environment: ["HOME": "/home/tester", "XDG_DATA_HOME": ""])
        #expect(empty.dataDirectory.path == "/home/tester/.local/share/madoguchi/training/demo")
    }

    @Test("~ expands to HOME; a relative directory is relative to the config file's folder")
    func tildeAndRelative() throws {
        let tilde = try configWrite(configReplacing(9, with: "directory = \"~/madoguchi-data\""))
        #expect(try OfficeConfig.load(from: tilde, environment: configEnv).dataDirectory.path == "/home/tester/madoguchi-data")
        let bare = try configWrite(configReplacing(9, with: "directory = \"~\""))
        #expect(try OfficeConfig.load(from: bare, environment: configEnv).dataDirectory.path == "/home/tester")
        let relative = try configWrite(configText(configValidLines))
        let c = try OfficeConfig.load(from: relative, environment: configEnv)
        #expect(c.dataDirectory.path == relative.deletingLastPathComponent().appendingPathComponent("data").standardizedFileURL.path)
        #expect(c.mode == .production)
        #expect(!c.isTraining)
        #expect(c.operators.map(\.id) == ["yamada", "sato"])
    }

    @Test("mode defaults to production when absent")
    func modeDefault() throws {
        let url = try configWrite(configText(configValidLines.enumerated().filter { $0.offset != 5 }.map(\.element)))
        #expect(try OfficeConfig.load(from: url, environment: configEnv).mode == .production)
    }

    // MARK: Broken configs: file, line, Japanese reason

    @Test("TOML syntax error gives the parser's line")
    func syntaxError() throws {
        let e = try #require(try configError(configReplacing(5, with: "server_code = \"T1300019")))
        #expect(e.line == 5)
        #expect(e.message.contains("書式の誤り"))
        #expect(e.description.contains("5行目"))
    }

    @Test("R-ID-1 public_payer_number with a wrong check digit is refused on its line")
    func payerCheckDigit() throws {
        let e = try #require(try configError(configReplacing(4, with: "public_payer_number = \"12130018\"")))
        #expect(e.line == 4)
        #expect(e.message.contains("12130018"))
        #expect(e.message.contains("検証番号"))
        #expect(e.message.contains("R-ID-1"))
        #expect(configIsJapanese(e.message))
    }

    @Test("R-ID-1 public_payer_number whose 法別番号 is not 12 is refused on its line")
    func payerLawCode() throws {
        // 1313001 + check digit: valid Luhn, wrong law code.
        let body = "1313001"
        let number = body + String(CheckDigit.compute(body)!)
        let e = try #require(try configError(configReplacing(4, with: "public_payer_number = \"\(number)\"")))
        #expect(e.line == 4)
        #expect(e.message.contains("法別番号"))
        #expect(e.message.contains("R-ID-1"))
    }

    @Test("R-RG-2 server_code that is not 8 half-width alphanumerics is refused on its line",
          arguments: ["T130001", "T13000190", "T130001-", "Ｔ1300019"])
    func serverCode(_ code: String) throws {
        let e = try #require(try configError(configReplacing(5, with: "server_code = \"\(code)\"")))
        #expect(e.line == 5)
        #expect(e.message.contains("半角英数字8桁"))
        #expect(e.message.contains("R-RG-2"))
    }

    @Test("unknown mode is refused on its line")
    func unknownMode() throws {
        let e = try #require(try configError(configReplacing(6, with: "mode = \"demo\"")))
        #expect(e.line == 6)
        #expect(e.message.contains("\"demo\""))
        #expect(e.message.contains("production"))
        #expect(e.message.contains("training"))
        #expect(configIsJapanese(e.message))
    }

    @Test("mode that is not a string is refused, not taken as production")
    func modeNotString() throws {
        let e = try #require(try configError(configReplacing(6, with: "mode = true")))
        #expect(e.line == 6)
        #expect(configIsJapanese(e.message))
    }

    @Test("an operator without id is refused at its [[operators]] line")
    func operatorWithoutID() throws {
        let e = try #require(try configError(configReplacing(17, with: "# id removed")))
        #expect(e.line == 16)
        #expect(e.message.contains("2 人目"))
        #expect(e.message.contains("id"))
    }

    @Test("an operator id with spaces or Japanese is refused", arguments: ["山田", "ya mada"])
    func operatorBadID(_ id: String) throws {
        let e = try #require(try configError(configReplacing(12, with: "id = \"\(id)\"")))
        #expect(e.line == 11)
        #expect(e.message.contains("半角英数字"))
    }

    @Test("an operator with a bad role is refused at its [[operators]] line")
    func badRole() throws {
        let e = try #require(try configError(configReplacing(19, with: "role = \"admin\"")))
        #expect(e.line == 16)
        #expect(e.message.contains("sato"))
        #expect(e.message.contains("\"admin\""))
        #expect(e.message.contains("clerk"))
        #expect(e.message.contains("supervisor"))
    }

    @Test("an operator without role is refused")
    func missingRole() throws {
        let e = try #require(try configError(configReplacing(14, with: "")))
        #expect(e.line == 11)
        #expect(e.message.contains("yamada"))
        #expect(e.message.contains("role"))
    }

    @Test("a duplicate operator id is refused at the second [[operators]] line")
    func duplicateOperator() throws {
        let e = try #require(try configError(configReplacing(17, with: "id = \"yamada\"")))
        #expect(e.line == 16)
        #expect(e.message.contains("yamada"))
        #expect(e.message.contains("二度"))
    }

    @Test("no operators at all is refused")
    func noOperators() throws {
        let e = try #require(try configError(configText(Array(configValidLines.prefix(10)))))
        #expect(e.message.contains("[[operators]]"))
        #expect(configIsJapanese(e.message))
    }

    @Test("missing [office] is refused with a Japanese reason naming the table")
    func missingOffice() throws {
        let e = try #require(try configError(configText(Array(configValidLines.dropFirst(7)))))
        #expect(e.message.contains("[office]"))
        #expect(configIsJapanese(e.message))
    }

    @Test("missing [data] directory is refused naming the key")
    func missingData() throws {
        let e = try #require(try configError(configText(configValidLines.enumerated().filter { ![7, 8].contains($0.offset) }.map(\.element))))
        #expect(e.message.contains("[data]"))
    }

    @Test("empty office name is refused at the office's name line even when operators come first")
    func emptyNameLineWithOperatorsFirst() throws {
        // Operators first (lines 1–8), then [office] (line 10) with an empty name on line 11.
        let lines = Array(configValidLines[10...]) + ["", "[office]", "name = \"\""] + Array(configValidLines[3...8])
        let text = configText(lines)
        let officeNameLine = lines.firstIndex(of: "name = \"\"")! + 1
        #expect(officeNameLine == 12)
        let e = try #require(try configError(text))
        #expect(e.line == officeNameLine)
        #expect(e.message.contains("name"))
    }

    @Test("empty data directory is refused at its line in [data]")
    func emptyDataDirectory() throws {
        let e = try #require(try configError(configReplacing(9, with: "directory = \"  \"")))
        #expect(e.line == 9)
        #expect(e.message.contains("directory"))
    }

    @Test("headers with comments and spaces still give the right lines")
    func headersWithComments() throws {
        var lines = configValidLines
        lines[1] = "[office]  # 事務所"
        lines[15] = "[[ operators ]] # 二人目"
        lines[18] = "role = \"admin\""
        let e = try #require(try configError(configText(lines)))
        #expect(e.line == 16)
        lines[18] = "role = \"supervisor\""
        lines[4] = "server_code = \"x\""
        let f = try #require(try configError(configText(lines)))
        #expect(f.line == 5)
    }

    @Test("a missing file is refused naming the file")
    func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/madoguchi/office.toml")
        #expect(throws: ConfigError.self) { try OfficeConfig.load(from: url, environment: configEnv) }
        do {
            _ = try OfficeConfig.load(from: url, environment: configEnv)
        } catch let e as ConfigError {
            #expect(e.file == url.path)
            #expect(e.line == nil)
            #expect(e.message.contains("読み込めません"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("ConfigError description: file, line and reason")
    func description() {
        #expect(ConfigError(file: "a.toml", line: 3, message: "だめ").description == "a.toml 3行目: だめ")
        #expect(ConfigError(file: "a.toml", message: "だめ").description == "a.toml: だめ")
    }

    @Test("[printing] queue: optional; a CUPS name is read; a name CUPS refuses is refused on its line, naming the key")
    func printQueue() throws {
        let demo = try OfficeConfig.load(from: configDemoURL(), environment: configEnv)
        #expect(demo.printQueue == nil)
        let set = try OfficeConfig.load(from: try configWrite(configText(configValidLines + ["[printing]", "queue = \"Office_PDF\""])), environment: configEnv)
        #expect(set.printQueue == "Office_PDF")
        #expect(set.withDataDirectory(URL(fileURLWithPath: "/tmp/x")).printQueue == "Office_PDF")
        for bad in ["\"two words\"", "\"\"", "\"a#b\"", "42"] {
            let lines = configValidLines + ["[printing]", "queue = \(bad)"]
            let e = try configError(configText(lines))
            #expect(e?.line == lines.count, "\(bad)")
            #expect(e?.message.contains("[printing] queue") == true, "\(bad): \(e?.message ?? "accepted")")
        }
    }

    @Test("[reports] csv_encoding: cp932 is read; a wrong name is refused on its line; the demo office says utf-8")
    func reportEncoding() throws {
        let demo = try OfficeConfig.load(from: configDemoURL(), environment: configEnv)
        #expect(demo.reportEncoding == .utf8)
        let cp932 = try OfficeConfig.load(from: try configWrite(configText(configValidLines + ["[reports]", "csv_encoding = \"cp932\""])), environment: configEnv)
        #expect(cp932.reportEncoding == .cp932)
        let lines = configValidLines + ["[reports]", "csv_encoding = \"latin1\""]
        let e = try configError(configText(lines))
        #expect(e?.line == lines.count)
        #expect(e?.message.contains("csv_encoding") == true)
    }
}

// MARK: - [store] (issue 15)

@Suite("OfficeConfig [store]: the local journal or PostgreSQL", .tags(.unit))
struct StoreConfigTests {
    private func load(_ extra: [String], lines: [String] = configValidLines) throws -> OfficeConfig {
        try OfficeConfig.load(from: try configWrite(configText(lines + extra)), environment: configEnv)
    }

    @Test("no [store]: the local journal file; kind = \"jsonl\" says the same")
    func defaultIsTheFile() throws {
        #expect(try load([]).store == .jsonl)
        #expect(try load(["[store]", "kind = \"jsonl\""]).store == .jsonl)
    }

    @Test("postgres by socket (peer) with each operator's db_role, or by host with TLS required")
    func postgres() throws {
        var lines = configValidLines
        lines.insert("db_role = \"ward3_yamada\"", at: 14)
        let socket = try load(["[store]", "kind = \"postgres\"", "database = \"madoguchi\"", "socket_directory = \"/var/run/postgresql\"", "port = 5433"], lines: lines)
        guard case .postgres(let location) = socket.store else { Issue.record("not postgres: \(socket.store)"); return }
        #expect(location.endpoint == .socket(directory: "/var/run/postgresql", port: 5433))
        #expect(location.database == "madoguchi")
        #expect(location.role(of: socket.operators[0]) == "ward3_yamada")
        #expect(location.role(of: socket.operators[1]) == "sato")   // no db_role, no account: the id
        let tcp = try load(["[store]", "kind = \"postgres\"", "database = \"madoguchi\"", "host = \"db.city.example\"",
                            "ca_file = \"/etc/madoguchi/ca.pem\"", "password_file = \"~/.config/madoguchi/db-password\""])
        guard case .postgres(let remote) = tcp.store else { Issue.record("not postgres"); return }
        #expect(remote.endpoint == .tcp(host: "db.city.example", port: 5432, tls: .require(caFile: "/etc/madoguchi/ca.pem")))
        #expect(remote.passwordFile == "~/.config/madoguchi/db-password")
    }

    @Test("a training office's journal never goes to a database; bad [store] values name the key's line")
    func refusals() throws {
        let base = ["[store]", "kind = \"postgres\"", "database = \"madoguchi\""]   // lines 20–22
        let cases: [(lines: [String], line: Int?, says: String)] = [
            (["[store]", "kind = \"sqlite\""], 21, "kind"),
            (base + ["socket_directory = \"/run/pg\"", "host = \"db\""], 24, "同時に書けません"),
            (base, 20, "socket_directory"),
            (base + ["host = \"db.city.example\"", "tls = \"disable\""], 24, "暗号化"),
            (base + ["socket_directory = \"run/pg\""], 23, "絶対パス"),
            (base + ["socket_directory = \"/run/pg\"", "port = 70000"], 24, "port"),
            (base + ["socket_directory = \"/run/pg\"", "user = \"postgres\""], 24, "知らない項目"),
            (["[store]", "kind = \"postgres\"", "database = \"Madoguchi; DROP\"", "socket_directory = \"/run/pg\""], 22, "database"),
            (["[store]", "kind = \"jsonl\"", "database = \"madoguchi\""], 22, "要りません"),
        ]
        for c in cases {
            let e = try configError(configText(configValidLines + c.lines))
            #expect(e?.line == c.line, "\(c.lines): \(e?.description ?? "")")
            #expect(e?.message.contains(c.says) == true, "\(c.lines): \(e?.description ?? "")")
            #expect(configIsJapanese(e?.message ?? ""))
        }
        let training = try configError(configReplacing(6, with: "mode = \"training\"") + "[store]\nkind = \"postgres\"\ndatabase = \"madoguchi\"\nsocket_directory = \"/run/pg\"\n")
        #expect(training?.message.contains("研修") == true, "\(training?.description ?? "")")
        var badRole = configValidLines
        badRole.insert("db_role = \"Yamada-San\"", at: 14)
        let role = try configError(configText(badRole))
        #expect(role?.line == 11 && role?.message.contains("db_role") == true, "\(role?.description ?? "")")
    }
}
