import Foundation
import Testing

/// Issue 11, item 8: what a clerk reads from the command line is Japanese — the argument parser's
/// errors and help included — dates in the human output are 和暦 and people are named, not ids
/// (ISO and ids stay in `--json`), and each CSV export gets its own file.
@Suite("Japanese command line (issue 11)", .tags(.e2e), .timeLimit(.minutes(2)))
struct JapaneseCommandLineEndToEndTests {

    /// English that swift-argument-parser 1.8.2 writes (UsageGenerator, HelpGenerator, MessageInfo):
    /// whole ASCII words, never option names.
    static let parserWords: Set<String> = [
        "Error", "Usage", "USAGE", "OVERVIEW", "OPTIONS", "ARGUMENTS", "SUBCOMMANDS", "Help", "See", "information",
        "detailed", "Show", "Missing", "argument", "arguments", "Unknown", "Invalid", "invalid", "Please",
        "provide", "following", "Did", "mean", "Unexpected", "unexpected", "does", "take", "specified", "default",
        "values", "subcommand", "Value", "already", "required", "version",
    ]

    /// The parser's English words found in `text`, ignoring options (`--help`), placeholders and paths.
    static func english(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace || "（）()：:、。'\"[]".contains($0) })
            .filter { !$0.hasPrefix("-") && !$0.hasPrefix("<") && !$0.contains("/") }
            .flatMap { $0.split(whereSeparator: { !($0.isASCII && $0.isLetter) }) }
            .map(String.init)
            .filter { parserWords.contains($0) }
    }

    static let isoDate = try! NSRegularExpression(pattern: "\\b20[0-9]{2}-[0-9]{2}-[0-9]{2}\\b")
    static func hasISODate(_ s: String) -> Bool {
        isoDate.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// One refused command line: exit code, message fragments, and no parser English anywhere.
    static func refused(_ args: [String], status: Int32 = 64, says fragments: [String], data: URL,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = try E2E.madoguchi(args, dataDir: data)
        let all = out.stdout + out.stderr
        #expect(out.status == status, "madoguchi \(args.joined(separator: " ")) → \(out.status)\n\(all)", sourceLocation: sourceLocation)
        for f in fragments {
            #expect(out.stderr.contains(f), "madoguchi \(args.joined(separator: " ")): no 「\(f)」 in\n\(out.stderr)", sourceLocation: sourceLocation)
        }
        #expect(english(all).isEmpty, "madoguchi \(args.joined(separator: " ")): English \(english(all)) in\n\(all)", sourceLocation: sourceLocation)
        #expect(out.stderr.hasPrefix("madoguchi: "), "\(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stdout.isEmpty, "\(out.stdout)", sourceLocation: sourceLocation)
    }

    @Test("The parser's errors: the option or argument named in Japanese, the usage of that command, exit 64, nothing written")
    func parserErrorsInJapanese() throws {
        let root = try E2E.makeTempDir("ja-errors")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        try Self.refused(["record-notice"], says: ["必要な引数 CASE がありません", "使い方：madoguchi record-notice", "詳しくは madoguchi record-notice --help を見てください。"], data: data)
        try Self.refused(["cases", "--foo"], says: ["知らないオプションです：--foo", "使い方：madoguchi cases"], data: data)
        try Self.refused(["cases", "--jsn"], says: ["知らないオプションです：--jsn（--json のことですか？）"], data: data)
        try Self.refused(["record-notice", "2026-0001", "--reason", "abc"], says: ["オプション --reason の値 'abc' が正しくありません"], data: data)
        try Self.refused(["pending", "--sort", "bogus"],
                         says: ["オプション --sort の値 'bogus' が正しくありません：次のどれかを指定してください（number、application_date、expected、status、clerk）"], data: data)
        try Self.refused(["reminders", "list", "--month"], says: ["オプション --month <MONTH> の値がありません"], data: data)
        try Self.refused(["cases", "--json=yes"], says: ["オプション --json は値をとりません（'yes' が付いています）"], data: data)
        try Self.refused(["verify", "a", "b"], says: ["余分な引数があります：'a'、'b'"], data: data)
        try Self.refused(["nosuch"], says: ["知らないサブコマンドです：nosuch（サブコマンドの一覧は madoguchi --help）"], data: data)
        try Self.refused(["reminders", "nosuch"], says: ["知らないサブコマンドです：nosuch（サブコマンドの一覧は madoguchi reminders --help）",
                                                         "使い方：madoguchi reminders <サブコマンド>"], data: data)
        try Self.refused(["transfer-out", "2026-0001"], says: ["必要なオプション --to <OFFICE> がありません"], data: data)
        // Thrown by the command itself (ours): the same words, and that command's usage, not the root's.
        try Self.refused(["withdraw", "2026-0001", "--reason", "転居", "--date", "abc"],
                         says: ["オプション --date の値 'abc' が正しくありません：", "使い方：madoguchi withdraw", "詳しくは madoguchi withdraw --help を見てください。"], data: data)
        try Self.refused(["pending", "--month", "2026-13"], says: ["オプション --month の値 '2026-13' が正しくありません：YYYY-MM"], data: data)
        // R-ID-4: a value that looks like a 個人番号 is not echoed, even in the parser's errors.
        try Self.refused(["record-notice", "2026-0001", "--reason", "123456789012"], says: ["オプション --reason の値", "1〜5 です"], data: data)
        let masked = try E2E.madoguchi(["record-notice", "2026-0001", "--reason", "123456789012"], dataDir: data)
        #expect(!masked.stderr.contains("123456789012"), "\(masked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("journal.jsonl").path), "nothing written")
    }

    /// `--help` of one command line: exit 0 on stdout, the headings in Japanese, no parser English.
    static func help(_ args: [String], says fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = try E2E.madoguchi(args, dataDir: nil)
        #expect(out.status == 0, "madoguchi \(args.joined(separator: " ")) → \(out.status)\n\(out.stderr)", sourceLocation: sourceLocation)
        #expect(out.stderr.isEmpty, "\(out.stderr)", sourceLocation: sourceLocation)
        for f in fragments {
            #expect(out.stdout.contains(f), "madoguchi \(args.joined(separator: " ")): no 「\(f)」 in\n\(out.stdout)", sourceLocation: sourceLocation)
        }
        #expect(english(out.stdout).isEmpty, "madoguchi \(args.joined(separator: " ")): English \(english(out.stdout)) in\n\(out.stdout)",
                sourceLocation: sourceLocation)
    }

    @Test("--help of the root and of subcommands: 概要, 使い方, 引数, オプション, サブコマンド, -h, --help この説明を表示します")
    func helpInJapanese() throws {
        try Self.help(["--help"], says: ["概要：窓口", "使い方：madoguchi", "オプション：", "サブコマンド：", "desk（既定）",
                                         "-h, --help", "この説明を表示します。", "--version", "版を表示します。",
                                         "サブコマンドの詳しい説明：madoguchi help <サブコマンド>"])
        try Self.help(["record-notice", "--help"], says: ["使い方：madoguchi record-notice", "引数：", "<CASE>", "案件番号（例 2026-0001）。",
                                                         "オプション：", "--reason <N>", "この説明を表示します。"])
        // The values are in the description already: only the default is added.
        try Self.help(["pending", "--help"], says: ["並べ替え：number, application_date, expected, status, clerk （既定：number）"])
        try Self.help(["notice", "--help"], says: ["通知の種類：pending（受付控え、申請者へ）"])
        try Self.help(["help", "reminders"], says: ["使い方：madoguchi reminders", "サブコマンド：", "list（既定）", "done",
                                                   "サブコマンドの詳しい説明：madoguchi help reminders <サブコマンド>"])
        try Self.help(["reminders", "done", "-h"], says: ["使い方：madoguchi reminders done", "引数：", "<ID>"])
    }

    @Test("Human output: 和暦 dates and clerks by name (cases, pending, reminders, notice); --json keeps ISO and ids; CSV exports never collide")
    func humanOutputWarekiAndNames() async throws {
        let (root, data) = try await LifecycleCases.copy("ja-human")
        defer { E2E.remove(root) }
        let a = LifecycleCases.assistanceCase

        let cases = try E2E.madoguchi(["cases"], dataDir: data)
        #expect(cases.status == 0, "\(cases.stderr)")
        #expect(cases.stdout.contains("令和"), "\(cases.stdout)")
        #expect(!Self.hasISODate(cases.stdout), "\(cases.stdout)")

        let pending = try E2E.madoguchi(["pending"], dataDir: data)
        #expect(pending.status == 0, "\(pending.stderr)")
        #expect(pending.stdout.contains("担当 山田 花子"), "\(pending.stdout)")
        #expect(!pending.stdout.contains("yamada"), "\(pending.stdout)")
        #expect(pending.stdout.contains("現在）") && pending.stdout.contains("令和"), "\(pending.stdout)")
        #expect(!Self.hasISODate(pending.stdout), "\(pending.stdout)")
        #expect(!pending.stdout.contains("  20"), "the month histogram in 和暦: \(pending.stdout)")
        let pendingJSON = try E2E.madoguchi(["pending", "--json"], dataDir: data)
        #expect(pendingJSON.stdout.contains("\"clerk\" : \"yamada\""), "ids stay in --json: \(pendingJSON.stdout)")
        #expect(Self.hasISODate(pendingJSON.stdout), "ISO stays in --json")

        let reminders = try E2E.madoguchi(["reminders"], dataDir: data)
        #expect(reminders.status == 0, "\(reminders.stderr)")
        #expect(reminders.stdout.contains("令和") && !Self.hasISODate(reminders.stdout), "\(reminders.stdout)")

        // A notice, then its reprint: when and by whom in 和暦 and by name.
        let made = try E2E.madoguchi(["notice", a, "--kind", "pending", "--operator", "suzuki"], dataDir: data)
        #expect(made.status == 0, "\(made.stderr)")
        let reprint = try E2E.madoguchi(["notice", "--reprint", "\(a)-pending-1"], dataDir: data)
        #expect(reprint.status == 0, "\(reprint.stderr)")
        #expect(reprint.stdout.contains("鈴木 健 作成") && reprint.stdout.contains("令和"), "\(reprint.stdout)")
        #expect(!reprint.stdout.contains("suzuki") && !reprint.stdout.contains("+09:00"), "\(reprint.stdout)")

        // Two CSV exports into one folder in the same second: two files, no temporary file left.
        let reports = data.appendingPathComponent("reports")   // inside the office's folders (R-SG-6)
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        for _ in 0..<2 {
            let csv = try E2E.madoguchi(["pending", "--csv", reports.path], dataDir: data)
            #expect(csv.status == 0, "\(csv.stderr)")
            #expect(csv.stderr.contains("CSV を書き出しました：\(reports.path)/pending-"), "\(csv.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
        #expect(files.count == 2 && files.allSatisfy { $0.hasPrefix("pending-") && $0.hasSuffix(".csv") }, "\(files)")
        #expect(!files.contains { $0.contains(".tmp-") }, "\(files)")
        let text = try String(contentsOf: reports.appendingPathComponent(files[0]), encoding: .utf8)
        #expect(text.contains("山田 花子") && !text.contains("yamada"), "受付者 by name: \(text)")
    }
}

/// The desk's `e` on the pending list (issue 11, item 8): two exports in the same second are two files.
@Suite("Pending CSV from the desk (issue 11)", .tags(.e2e), .timeLimit(.minutes(1)))
struct PendingCSVDeskEndToEndTests {
    @Test("F8 e, Esc e: two CSV files of their own under reports/, no temporary file left")
    func twoExportsTwoFiles() async throws {
        let root = try E2E.makeTempDir("desk-csv")
        defer { E2E.remove(root) }
        let data = root.appendingPathComponent("data")
        let desk = try DeskSession(dataDir: data)
        defer { desk.close() }
        try await desk.waitForDesk()
        try desk.tmux.keys("F8")
        try await desk.tmux.waitFor("未完了一覧")
        func written() -> [String] {
            (FileManager.default.enumerator(atPath: data.path)?.compactMap { $0 as? String } ?? [])
                .filter { $0.contains("reports/") }.sorted()
        }
        try desk.tmux.keys("e")
        try await desk.tmux.waitFor("CSV に書き出しました")
        try desk.tmux.keys("Escape")                          // the report returns to the pending list it came from
        try await desk.tmux.waitForGone("CSV に書き出しました")
        try await desk.tmux.waitFor("絞り込み：")
        try desk.tmux.keys("e")
        try await desk.tmux.waitFor("CSV に書き出しました")   // said once the file is in place
        let files = written()
        let after = try desk.tmux.capture()
        #expect(files.count == 2, "\(files)\n\(after)")
        #expect(files.allSatisfy { ($0 as NSString).lastPathComponent.hasPrefix("pending-") && $0.hasSuffix(".csv") }, "\(files)")
        #expect(!files.contains { $0.contains(".tmp") }, "\(files)")
        let screen = try desk.tmux.capture()
        #expect(!screen.contains("失敗") && !screen.contains("EEXIST"), "\(screen)")
    }
}

/// An unknown TERM: ncurses' initscr would print "Error opening terminal: …" and exit 1.
@Suite("Desk start-up on an unknown terminal (issue 11)", .tags(.e2e), .timeLimit(.minutes(1)))
struct UnknownTerminalEndToEndTests {
    @Test("TERM=bogus: a Japanese message naming TERM, exit 2, no English from ncurses")
    func unknownTermSaidInJapanese() async throws {
        let root = try E2E.makeTempDir("bogus-term")
        defer { E2E.remove(root) }
        let q = E2E.shellQuote
        let binary = try E2E.requireBinary()
        let tmux = try TmuxSession(command: "env MADOGUCHI_DATA_DIR=\(q(root.appendingPathComponent("data").path)) TERM=bogus LANG=C.UTF-8 "
                                   + "\(q(binary.path)); echo EXITED:$?; sleep 30")
        defer { tmux.kill() }
        let screen = try await tmux.waitFor("EXITED:")
        #expect(screen.contains("EXITED:2"), "\(screen)")
        #expect(screen.contains("TERM=bogus") && screen.contains("デスクを開けません"), "\(screen)")
        #expect(!screen.contains("Error opening terminal"), "\(screen)")
    }
}
