import Foundation
import MadoguchiCore
import Testing

/// Every command shown in README.md and docs/**/*.md is run here (issue 16 item 8), so the docs cannot
/// rot. The convention, written for the docs' authors in docs/README.md:
///
/// - ```` ```console ```` blocks hold commands after `$ ` (a trailing `\` continues a line). Each runs
///   with `/bin/sh -c` in the document's sandbox, in document order. It must exit 0, or the status the
///   line names with `# → 終了コード N`. The lines after a command, up to the next `$ `, are output that
///   must appear (each line in a line of stdout or stderr; `…` stands for anything).
/// - A command that opens the desk (`madoguchi`, `madoguchi desk …`, `swift run madoguchi`) runs in tmux
///   at 80×24. Each ```` ```screen ```` block after it is a capture of that desk: `<!-- keys: F8 Enter
///   "山田" -->` before it names the keys to press first (tmux key names; quoted text is typed), and
///   every line of the block must appear on the screen.
/// - Not run, and counted: ```` ```console-illustration ```` blocks, ```` ```synopsis ```` blocks (usage
///   forms with `[--option]`), and a `$ ` line that says `# 例（テストでは実行しません）`.
/// - `sh`/`bash`/`shell` blocks, and an unlabelled block with a `$ ` or `madoguchi …` line, are errors:
///   every command is either run or marked.
/// - `<!-- doc-test: office=production -->` (once, anywhere) gives the document a production office
///   whose operators are all the OS account running the test (as `SignedOffice`); the default is the
///   demo office (a training office). Either way the sandbox is a temp folder holding a copy of
///   `config/` and `screens/`, with its own HOME; `madoguchi`, `swift run madoguchi` and
///   `.build/debug/madoguchi` run the built `madoguchi`, and `madoguchi-bench` the built `madoguchi-bench`.
/// - `madoguchi-bench` commands run only when that executable was built; otherwise they are skipped,
///   saying so (and fail under CI=true).
@Suite("Documented commands: every command and screen in the docs runs as shown (issue 16 item 8)", .serialized, .tags(.e2e))
struct DocumentedCommandsTests {
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    @Test("a document's commands run and print what it shows; its screens are the desk's",
          arguments: DocumentedCommands.documents())
    func document(_ path: String) async throws {
        let text = try String(contentsOf: E2E.repoRoot.appendingPathComponent(path), encoding: .utf8)
        let doc = DocumentedCommands.parse(text)
        for problem in doc.problems {
            Issue.record("\(path):\(problem.line): \(problem.message)")
        }
        guard doc.items.contains(where: { if case .illustrated = $0 { false } else { true } }) else {
            let marked = doc.items.reduce(0) { if case .illustrated(let n) = $1 { $0 + n } else { $0 } }
            print("\(path): nothing to run, \(marked) marked as not run")
            return
        }
        let usesPostgres = doc.items.contains { if case .command(let c) = $0 { c.postgres } else { false } }
        let cluster = usesPostgres ? DocCluster.fromEnvironment : nil
        // The database keeps every office's rows for ever (append-only), so a run against the cluster
        // opens a fresh 公費負担者番号, written for the docs' 12130019 everywhere in this document.
        let officeCode = cluster == nil ? nil : DocCluster.newOfficeCode()
        let sandbox = try DocSandbox(office: doc.office, officeCode: officeCode)
        defer { sandbox.close() }
        var ran = 0, illustrated = 0, skipped: [String] = []
        documentLoop: for item in doc.items {
            switch item {
            case .illustrated(let n):
                illustrated += n
            case .command(var command):
                if let officeCode {
                    command.text = command.text.replacingOccurrences(of: DocCluster.docsOffice, with: officeCode)
                    command.output = command.output.map { $0.replacingOccurrences(of: DocCluster.docsOffice, with: officeCode) }
                }
                if command.postgres, let cluster { command.text = cluster.connect(command.text) }
                if let reason = sandbox.skipReason(command, cluster: cluster) {
                    if Self.inCI { Issue.record("\(path):\(command.line): CI: \(reason)") }
                    skipped.append("\(command.line): \(reason)")
                    continue
                }
                try await sandbox.run(command, in: path)
                ran += 1
            case .screen(let screen):
                ran += 1
                if try await !sandbox.check(screen, in: path) {
                    // What follows was typed on top of this screen: one failure, said once.
                    Issue.record("\(path): stopped at line \(screen.line); the rest of the document follows from that screen")
                    break documentLoop
                }
            }
        }
        print("\(path): \(ran) commands and screens run, \(illustrated) marked as not run, \(skipped.count) skipped\(skipped.isEmpty ? "" : ": " + skipped.joined(separator: "; "))")
    }

    @Test("the convention: outputs, expected failures, marks, screens and unmarked commands")
    func parser() {
        let doc = DocumentedCommands.parse("""
        <!-- doc-test: office=production -->
        ```console
        $ madoguchi cases \\
            --json
        [
        $ madoguchi verify --journal nowhere   # → 終了コード 2
        $ sudo useradd yamada   # 例（テストでは実行しません）
        ```
        ```console-illustration
        $ apt-get install tmux
        ```
        <!-- keys: F8 "山田" -->
        ```screen
         未完了一覧
        ```
        ```sh
        madoguchi cases
        ```
        ```
        $ madoguchi pending
        ```
        """)
        #expect(doc.office == .production)
        guard doc.items.count == 5 else { Issue.record("items: \(doc.items)"); return }
        if case .command(let c) = doc.items[0] {
            #expect(c.text == "madoguchi cases --json")
            #expect(c.output == ["["])
            #expect(c.status == 0)
        } else { Issue.record("not a command: \(doc.items[0])") }
        if case .command(let c) = doc.items[1] { #expect(c.status == 2) } else { Issue.record("\(doc.items[1])") }
        if case .illustrated(let n) = doc.items[2] { #expect(n == 1) } else { Issue.record("\(doc.items[2])") }
        if case .illustrated(let n) = doc.items[3] { #expect(n == 1) } else { Issue.record("\(doc.items[3])") }
        if case .screen(let s) = doc.items[4] {
            #expect(s.keys == [.key("F8"), .text("山田")])
            #expect(s.lines == [" 未完了一覧"])
        } else { Issue.record("\(doc.items[4])") }
        #expect(doc.problems.count == 2, "an sh block and an unlabelled block with a command: \(doc.problems)")
        #expect(DocumentedCommands.outputMatches("公開鍵: … (指紋 …)", in: "x\n公開鍵: 4d69 (指紋 ab)\n"))
        #expect(!DocumentedCommands.outputMatches("案件 1件", in: "案件 0件"))
        #expect(DocumentedCommands.opensDesk("madoguchi --operator yamada"))
        #expect(DocumentedCommands.opensDesk("swift run madoguchi -- --sandbox t1"))
        #expect(!DocumentedCommands.opensDesk("madoguchi cases"))
        #expect(!DocumentedCommands.opensDesk("madoguchi --help"))
    }
}

/// The docs' convention, parsed (see `DocumentedCommandsTests`).
enum DocumentedCommands {
    enum Office: Sendable, Equatable { case demo, production }
    enum Key: Sendable, Equatable { case key(String), text(String) }
    struct Command: Sendable {
        let line: Int; var text: String; let status: Int32; var output: [String]
        /// Under `<!-- doc-test: postgres -->`: needs the test cluster (MADOGUCHI_TEST_PG_*).
        var postgres = false
    }
    struct Screen: Sendable { let line: Int; let keys: [Key]; let lines: [String] }
    enum Item: Sendable { case command(Command), screen(Screen), illustrated(Int) }
    struct Problem: Sendable { let line: Int; let message: String }
    struct Document: Sendable { var office = Office.demo; var items: [Item] = []; var problems: [Problem] = [] }

    static let notRun = "例（テストでは実行しません）"
    static let notRunEnglish = "(not run by the doc test)"
    /// First words that make a line of an unlabelled block a command that should have been marked.
    static let commandWords = ["$ ", "madoguchi", "sudo ", "swift ", "./", ".ci/", "apt-get "]

    /// README.md and every Markdown file under docs/, relative to the repository root, sorted.
    static func documents() -> [String] {
        var paths = ["README.md"]
        let docs = E2E.repoRoot.appendingPathComponent("docs")
        if let walker = FileManager.default.enumerator(atPath: docs.path) {
            for case let p as String in walker where p.hasSuffix(".md") { paths.append("docs/" + p) }
        }
        // MADOGUCHI_DOC=guide/trainer runs only the documents whose path contains it (an author's loop).
        if let only = ProcessInfo.processInfo.environment["MADOGUCHI_DOC"], !only.isEmpty {
            paths = paths.filter { $0.contains(only) }
        }
        return paths.sorted()
    }

    static func parse(_ text: String) -> Document {
        var doc = Document()
        let lines = text.components(separatedBy: "\n")
        var pendingKeys: [Key]? = nil
        var pendingPostgres = false
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!--") {
                if trimmed.contains("doc-test:") && trimmed.contains("office=production") { doc.office = .production }
                if trimmed.contains("doc-test:") && trimmed.contains("postgres") && !trimmed.contains("office=") { pendingPostgres = true }
                if let r = trimmed.range(of: "keys:") {
                    let body = trimmed[r.upperBound...].replacingOccurrences(of: "-->", with: "")
                    pendingKeys = keyTokens(String(body))
                }
                i += 1
                continue
            }
            guard trimmed.hasPrefix("```") else { i += 1; continue }
            let info = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
            let open = i + 1   // 1-based number of the fence line
            var body: [(Int, String)] = []
            i += 1
            while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                body.append((i + 1, lines[i]))
                i += 1
            }
            i += 1
            switch info {
            case "console":
                doc.items += commands(body).map { item in
                    guard pendingPostgres, case .command(var c) = item else { return item }
                    c.postgres = true
                    return .command(c)
                }
            case "console-illustration", "synopsis":
                doc.items.append(.illustrated(body.filter { !$0.1.trimmingCharacters(in: .whitespaces).isEmpty
                    && !$0.1.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.count))
            case "screen":
                doc.items.append(.screen(Screen(line: open, keys: pendingKeys ?? [],
                                                lines: body.map { trimRight($0.1) }.filter { !$0.isEmpty })))
            case "sh", "bash", "shell", "shell-session":
                doc.problems.append(Problem(line: open, message: "a ```\(info) block: write commands in ```console with `$ ` (run by this test), or mark them ```console-illustration / ```synopsis"))
            case "":
                if let bad = body.first(where: { line in commandWords.contains { line.1.hasPrefix($0) } }) {
                    doc.problems.append(Problem(line: bad.0, message: "a command in an unlabelled block: label it ```console (run) or ```console-illustration"))
                }
            default:
                break
            }
            pendingKeys = nil   // keys and marks belong to the block right after them
            pendingPostgres = false
        }
        return doc
    }

    /// `$ ` lines (with `\` continuations) and the output lines after each.
    private static func commands(_ body: [(Int, String)]) -> [Item] {
        var items: [Item] = []
        var current: (line: Int, text: String, output: [String])? = nil
        var continuing = false
        func flush() {
            guard let c = current else { return }
            if c.text.contains(notRun) || c.text.contains(notRunEnglish) {
                items.append(.illustrated(1))
            } else {
                var status: Int32 = 0
                if let r = c.text.range(of: "# → 終了コード ") {
                    status = Int32(c.text[r.upperBound...].prefix { $0.isNumber }) ?? 0
                }
                items.append(.command(Command(line: c.line, text: c.text, status: status, output: c.output)))
            }
            current = nil
        }
        for (n, raw) in body {
            if continuing, current != nil {
                var part = raw.trimmingCharacters(in: .whitespaces)
                continuing = part.hasSuffix("\\")
                if continuing { part.removeLast() }
                current!.text += " " + part.trimmingCharacters(in: .whitespaces)
                continue
            }
            if raw.hasPrefix("$ ") {
                flush()
                var text = String(raw.dropFirst(2))
                continuing = text.hasSuffix("\\")
                if continuing { text.removeLast() }
                current = (n, text.trimmingCharacters(in: .whitespaces), [])
            } else if current != nil, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                current!.output.append(raw.trimmingCharacters(in: .whitespaces))
            }
        }
        flush()
        return items
    }

    private static func keyTokens(_ s: String) -> [Key] {
        var keys: [Key] = []
        var rest = Substring(s)
        while true {
            rest = rest.drop { $0 == " " }
            guard let c = rest.first else { break }
            if c == "\"" {
                let inner = rest.dropFirst()
                let end = inner.firstIndex(of: "\"") ?? inner.endIndex
                keys.append(.text(String(inner[..<end])))
                rest = end < inner.endIndex ? inner[inner.index(after: end)...] : ""
            } else {
                let word = rest.prefix { $0 != " " }
                keys.append(.key(String(word)))
                rest = rest.dropFirst(word.count)
            }
        }
        return keys
    }

    static func trimRight(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    /// Whether one line of `output` holds the pieces of `expected` (split at `…`) in order.
    static func outputMatches(_ expected: String, in output: String) -> Bool {
        let pieces = expected.components(separatedBy: "…").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if pieces.isEmpty { return true }
        return output.components(separatedBy: "\n").contains { line in
            var rest = Substring(line)
            for p in pieces {
                guard let r = rest.range(of: p) else { return false }
                rest = rest[r.upperBound...]
            }
            return true
        }
    }

    /// Whether a command opens the desk: madoguchi with no subcommand (or `desk`), not asking for help.
    static func opensDesk(_ command: String) -> Bool {
        var words = command.split(separator: " ").map(String.init)
        if let hash = words.firstIndex(where: { $0.hasPrefix("#") }) { words = Array(words[..<hash]) }
        while let w = words.first, w.contains("=") && !w.hasPrefix("-") { words.removeFirst() }   // VAR=value
        if words.starts(with: ["swift", "run"]) {
            words.removeFirst(2)
            while let w = words.first, w.hasPrefix("--") && w != "--" { words.removeFirst(); if w == "--traits" { words.removeFirst() } }
        }
        guard let first = words.first, first == "madoguchi" || first.hasSuffix("/madoguchi") else { return false }
        words.removeFirst()
        if words.first == "--" { words.removeFirst() }
        if words.contains("--help") || words.contains("-h") || words.contains("--version") { return false }
        var k = 0
        while k < words.count {
            let w = words[k]
            if w.hasPrefix("-") {
                // Options of the desk that take a value.
                if ["--operator", "--config", "--screens", "--sandbox", "--office"].contains(w) { k += 1 }
                k += 1
                continue
            }
            return w == "desk"
        }
        return true
    }
}

/// A document's sandbox: a temp folder with a copy of `config/` and `screens/`, its own HOME, and a
/// `bin/` whose `madoguchi` (and `swift run madoguchi`) is the built binary.
final class DocSandbox: @unchecked Sendable {
    let root: URL
    let bin: URL
    let binary: URL
    let benchBinary: URL?
    private var desk: TmuxSession?

    init(office: DocumentedCommands.Office, officeCode: String? = nil) throws {
        binary = try E2E.requireBinary()
        let bench = binary.deletingLastPathComponent().appendingPathComponent("madoguchi-bench")
        benchBinary = FileManager.default.isExecutableFile(atPath: bench.path) ? bench : nil
        root = try E2E.makeTempDir("docs")
        bin = root.appendingPathComponent(".doc-bin")
        let fm = FileManager.default
        for folder in ["config", "screens"] {
            try fm.copyItem(at: E2E.repoRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        try fm.createDirectory(at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent(".build/debug"), withIntermediateDirectories: true)
        try fm.createDirectory(at: bin, withIntermediateDirectories: true)
        try fm.createSymbolicLink(at: bin.appendingPathComponent("madoguchi"), withDestinationURL: binary)
        try fm.createSymbolicLink(at: root.appendingPathComponent(".build/debug/madoguchi"), withDestinationURL: binary)
        if let benchBinary {
            try fm.createSymbolicLink(at: bin.appendingPathComponent("madoguchi-bench"), withDestinationURL: benchBinary)
        }
        // `swift run [--traits T] madoguchi [--] ARGS` is the built binary; any other swift command
        // cannot run inside the test suite and must be marked in the doc.
        let swift = bin.appendingPathComponent("swift")
        try """
        #!/bin/sh
        [ "$1" = run ] || { echo "doc test: 'swift $*' cannot run inside the tests; mark it in the doc" >&2; exit 127; }
        shift
        while [ "${1#--}" != "$1" ] && [ "$1" != -- ]; do [ "$1" = --traits ] && shift; shift; done
        [ "$1" = madoguchi ] || { echo "doc test: swift run $1?" >&2; exit 127; }
        shift; [ "$1" = -- ] && shift
        exec madoguchi "$@"

        """.write(to: swift, atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swift.path)
        if office == .production {
            // The demo office made real, every operator bound to this OS account (as SignedOffice does).
            var text = try String(contentsOf: E2E.demoConfig, encoding: .utf8)
                .replacingOccurrences(of: "mode = \"training\"", with: "mode = \"production\"")
                .replacingOccurrences(of: "[training]\n", with: "[unused]\n")
                .replacingOccurrences(of: "madoguchi/training/demo", with: "madoguchi/offices/demo")
            for id in ["yamada", "suzuki", "sato"] {
                text = text.replacingOccurrences(of: "id = \"\(id)\"\n", with: "id = \"\(id)\"\naccount = \"\(SignedOffice.me)\"\n")
            }
            if let officeCode { text = text.replacingOccurrences(of: DocCluster.docsOffice, with: officeCode) }
            try text.write(to: root.appendingPathComponent("config/office.toml"), atomically: true, encoding: .utf8)
        }
    }

    var environment: [String: String] {
        var env = E2E.environment(dataDir: nil)
        for key in ["XDG_STATE_HOME", "XDG_CACHE_HOME", "CI"] { env[key] = nil }
        // madoguchi finds keys and data through XDG (HOME alone would not do: `~` is the passwd home).
        let home = root.appendingPathComponent("home")
        env["HOME"] = home.path
        env["XDG_CONFIG_HOME"] = home.appendingPathComponent(".config").path
        env["XDG_DATA_HOME"] = home.appendingPathComponent(".local/share").path
        env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["TERM"] = "xterm-256color"
        return env
    }

    func skipReason(_ command: DocumentedCommands.Command, cluster: DocCluster?) -> String? {
        if command.postgres, cluster == nil {
            return "PostgreSQL のテスト用クラスタがありません（.ci/postgres.sh start DIR; . DIR/env で MADOGUCHI_TEST_PG_SOCKET_DIR・_PORT）"
        }
        if command.text.hasPrefix("madoguchi-bench"), benchBinary == nil {
            return "madoguchi-bench はこのビルドにありません（the benchmark's own executable is not built here）"
        }
        return nil
    }

    func run(_ command: DocumentedCommands.Command, in path: String) async throws {
        let at = "\(path):\(command.line): `\(command.text)`"
        if DocumentedCommands.opensDesk(command.text) {
            desk?.kill()
            let q = E2E.shellQuote
            let env = environment.filter { ["HOME", "PATH", "TERM", "LANG", "XDG_CONFIG_HOME", "XDG_DATA_HOME"].contains($0.key) }
                .map { "\($0.key)=\(q($0.value))" }.sorted().joined(separator: " ")
            let session = try TmuxSession(command: "cd \(q(root.path)) && env -u MADOGUCHI_DATA_DIR -u MADOGUCHI_OPERATOR \(env) sh -c \(q(command.text)); echo DESK-EXITED:$?; sleep 60")
            desk = session
            // The desk's title bar (or the shell's report that it ended) before any key is sent.
            let first = try await session.waitUntil("the desk of \(at)", timeout: 15) { $0.contains("窓口 │") || $0.contains("DESK-EXITED:") }
            if first.contains("DESK-EXITED:") {
                #expect(first.contains("DESK-EXITED:\(command.status)"), "\(at): the desk ended\n\(first)")
            }
            return
        }
        let out = try E2E.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \(E2E.shellQuote(root.path)) && " + command.text],
                              environment: environment, timeout: 120)
        let shown = "exit \(out.status)\n--- stdout\n\(out.stdout)\n--- stderr\n\(out.stderr)"
        #expect(out.status == command.status, "\(at) exited \(out.status), the doc says \(command.status)\n\(shown)")
        for expected in command.output {
            #expect(DocumentedCommands.outputMatches(expected, in: out.stdout + "\n" + out.stderr),
                    "\(at): the doc shows 「\(expected)」, the output has no such line\n\(shown)")
        }
    }

    /// Presses the screen's keys and waits for its lines; false (recorded) when the desk never shows them.
    func check(_ screen: DocumentedCommands.Screen, in path: String) async throws -> Bool {
        guard let desk else {
            Issue.record("\(path):\(screen.line): a screen with no desk opened before it (a `$ madoguchi` line)")
            return false
        }
        for key in screen.keys {
            switch key {
            case .key(let name): try desk.keys(name)
            case .text(let text): try desk.type(text)
            }
        }
        do {
            try await desk.waitUntil("the screen at \(path):\(screen.line)", timeout: 10) { capture in
                let rows = capture.components(separatedBy: "\n").map(DocumentedCommands.trimRight)
                return screen.lines.allSatisfy { line in rows.contains { $0.contains(line) } }
            }
            return true
        } catch {
            let rows = desk.lastScreen.components(separatedBy: "\n").map(DocumentedCommands.trimRight)
            let missing = screen.lines.filter { line in !rows.contains { $0.contains(line) } }
            Issue.record("\(path):\(screen.line): the desk does not show the doc's screen; missing lines:\n\(missing.joined(separator: "\n"))\n\(error)")
            return false
        }
    }

    func close() {
        desk?.kill()
        E2E.remove(root)
    }
}

/// The throwaway PostgreSQL cluster of `.ci/postgres.sh` (its env: MADOGUCHI_TEST_PG_*), for the
/// commands of a `<!-- doc-test: postgres -->` block. The docs show Debian's cluster
/// (`--socket-dir /run/postgresql --port 5432 --database madoguchi`); here those name the test's.
/// The account running the tests is the cluster's superuser (peer), as the docs' database
/// administrator is.
struct DocCluster: Sendable {
    static let docsOffice = TestCluster.docsOffice
    let socketDir: String
    let port: Int
    let database: String

    static var fromEnvironment: DocCluster? {
        TestCluster.fromEnvironment.map { DocCluster(socketDir: $0.socketDir, port: $0.port, database: $0.database) }
    }

    static func newOfficeCode() -> String { TestCluster.freshOfficeCode() }

    func connect(_ command: String) -> String {
        command.replacingOccurrences(of: "--socket-dir /run/postgresql", with: "--socket-dir \(E2E.shellQuote(socketDir))")
            .replacingOccurrences(of: "--port 5432", with: "--port \(port)")
            .replacingOccurrences(of: "--host /run/postgresql", with: "--host \(E2E.shellQuote(socketDir))")
            .replacingOccurrences(of: "--database madoguchi", with: "--database \(E2E.shellQuote(database))")
            .replacingOccurrences(of: "--dbname madoguchi", with: "--dbname \(E2E.shellQuote(database))")
    }
}
