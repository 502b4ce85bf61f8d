import ArgumentParser
import Foundation
import MadoguchiCore
import MadoguchiUI
#if canImport(Glibc)
import Glibc
#endif

/// The command line's own messages in Japanese (issue 11, item 8): swift-argument-parser writes its
/// errors (`Error: …`, `Usage: …`) and `--help` headings in English; a clerk reads none of that.
///
/// The parser's error kinds (`ParserError`, wrapped in `CommandError`) are internal to the package,
/// so the kind is read by reflection (the enum case's name) and only the details (the option, the
/// value) are taken from the English message the parser wrote for that kind. The phrases are those
/// of swift-argument-parser 1.8.2 (Sources/ArgumentParser/Usage/UsageGenerator.swift,
/// HelpGenerator.swift, MessageInfo.swift); a kind not known here still gets a Japanese sentence.
enum JapaneseCommandLine {

    /// What to print, where, and the exit code.
    struct Reply: Equatable {
        var text: String
        var toStandardOutput: Bool
        var exitCode: Int32
    }

    /// Parses the arguments and runs the command; every error and help request is rendered in Japanese.
    static func main(_ root: ParsableCommand.Type) -> Never {
        var ran: ParsableCommand.Type?
        do {
            var command = try root.parseAsRoot()
            ran = type(of: command)
            // Every command's errors leave through the one error path (issue 16 item 3): none of
            // ours reaches the parser's printer.
            try runReportingErrors { try command.run() }
            exit(0)
        } catch {
            let reply = reply(for: error, root: root, command: ran)
            if !reply.text.isEmpty {
                let handle = reply.toStandardOutput ? FileHandle.standardOutput : FileHandle.standardError
                // R-FL-5: a value typed on the command line may be echoed; shown, never obeyed.
                let text = TextNormalizer.terminalSafe(reply.text)
                handle.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
            }
            exit(reply.exitCode)
        }
    }

    /// Wide enough that the parser never wraps inside a phrase translated here ("(default: x)").
    static let unwrapped = 10_000

    static func reply(for error: Error, root: ParsableCommand.Type, command: ParsableCommand.Type?) -> Reply {
        // Our own refusals have already been written (runReportingErrors); only the code is left.
        if let code = error as? ExitCode {
            return Reply(text: "", toStandardOutput: false, exitCode: code.rawValue)
        }
        let code = root.exitCode(for: error).rawValue
        let full = root.fullMessage(for: error, columns: unwrapped)
        // Help, the version, `help <subcommand>`: to stdout, exit 0.
        if code == 0 {
            return Reply(text: wrappedForTerminal(help(full)), toStandardOutput: true, exitCode: 0)
        }
        let english = root.message(for: error)
        var usage = ""
        if error is ValidationError, let command, command != root {
            // Thrown by a command's run(): the usage of that command, not the root's.
            let name = root.usageString(for: command)
            usage = "Usage: \(name)\n  See '\(commandPath(usage: name)) --help' for more information."
        } else if let range = full.range(of: english) {
            usage = String(full[range.upperBound...]).trimmingCharacters(in: .newlines)
        }
        let kind = parserErrorKind(error)
        var message = errorMessage(kind: kind, english: english, error: error)
        // `madoguchi nosuch`, `madoguchi reminders nosuch`: the word went to a default subcommand
        // (desk, list) as an extra argument; it was meant as a subcommand.
        if kind == "unexpectedExtraValues", let unknown = unknownSubcommand(english: english, usage: usage) {
            message = "知らないサブコマンドです：\(masked(unknown.word))（サブコマンドの一覧は \(unknown.parent) --help）"
            usage = "Usage: \(unknown.parent) <subcommand>\n  See '\(unknown.parent) --help' for more information."
        }
        let lines = ["madoguchi: " + message] + (usage.isEmpty ? [] : [help(usage)])
        return Reply(text: lines.joined(separator: "\n"), toStandardOutput: false, exitCode: code)
    }

    /// The word typed where a subcommand goes, when the parser took the default subcommand instead:
    /// the typed words before it are the start of the command's path and the path continues with
    /// another name (the default).
    private static func unknownSubcommand(english: String, usage: String) -> (word: String, parent: String)? {
        guard let word = quoted(english).first, !word.hasPrefix("-") else { return nil }
        let typed = Array(CommandLine.arguments.dropFirst())
        guard let k = typed.firstIndex(of: word) else { return nil }
        let usageLine = usage.split(separator: "\n").first.map(String.init) ?? ""
        let path = commandPath(usage: String(usageLine.dropFirst("Usage: ".count))).split(separator: " ").dropFirst().map(String.init)
        guard k < path.count, Array(typed[..<k]) == Array(path[..<k]), path[k] != word else { return nil }
        return (word, (["madoguchi"] + typed[..<k]).joined(separator: " "))
    }

    /// `madoguchi pending` from the usage line `madoguchi pending [--config <FILE>] …`.
    private static func commandPath(usage: String) -> String {
        usage.split(separator: " ").prefix { !$0.hasPrefix("[") && !$0.hasPrefix("<") && !$0.hasPrefix("-") }.joined(separator: " ")
    }

    // MARK: Error kinds

    /// The case name of the parser's internal `ParserError` inside the error (`unknownOption`,
    /// `noValue`, `unableToParseValue`…), or nil for an error of ours.
    static func parserErrorKind(_ error: Error) -> String? {
        let typeName = String(describing: type(of: error))
        if typeName == "ParserError" { return caseName(error) }
        guard typeName == "CommandError" else { return nil }
        for child in Mirror(reflecting: error).children where child.label == "parserError" {
            return caseName(child.value)
        }
        return nil
    }

    private static func caseName(_ value: Any) -> String? {
        let m = Mirror(reflecting: value)
        guard m.displayStyle == .enum else { return nil }
        if let label = m.children.first?.label { return label }
        return String(describing: value)   // a case without a payload
    }

    /// The Japanese sentence for one error; `english` is the parser's message for it.
    static func errorMessage(kind: String?, english: String, error: Error) -> String {
        let q = quoted(english)
        switch kind {
        case nil, "userValidationError":
            // A ValidationError is ours and already Japanese; anything else that got here (from a
            // value's parsing) is said as the one error path says it, never in the parser's English.
            if error is ValidationError || kind == "userValidationError" { return english }
            return UserFacing.message(for: error)
        case "unknownOption":
            // "Unknown option '--foo'. Did you mean '--for'?"
            let name = q.first ?? english
            return q.count > 1 ? "知らないオプションです：\(name)（\(q[1]) のことですか？）" : "知らないオプションです：\(name)"
        case "missingValueForOption":
            // "Missing value for '--date <DATE>'"
            return "オプション \(q.first ?? "") の値がありません"
        case "missingValueOrUnknownCompositeOption":
            // "Unknown option '-xy'\n   or: Missing value for '-x <V>' in '-xy'"
            return "知らないオプションです：\(q.last ?? "")（または \(q.dropFirst().first ?? "") の値がありません）"
        case "unexpectedValueForOption":
            // "The option '--json' does not take any value, but 'x' was specified."
            let value = q.count > 1 ? masked(q[1]) : ""
            return "オプション \(q.first ?? "") は値をとりません（'\(value)' が付いています）"
        case "unexpectedExtraValues":
            // "Unexpected argument 'x'" / "2 unexpected arguments: 'a', 'b'"
            return "余分な引数があります：\(q.map { "'\(masked($0))'" }.joined(separator: "、"))"
        case "duplicateExclusiveValues":
            return "同時には使えないフラグが重なっています（\(q.joined(separator: "、"))）"
        case "noValue":
            // "Missing expected argument '<CASE>'" / "'--to <OFFICE>'" / "Missing one of: 'a', 'b'"
            if english.hasPrefix("Missing one of") {
                return "次のどれかを指定してください：\(q.joined(separator: "、"))"
            }
            let what = q.first ?? ""
            if what.hasPrefix("-") { return "必要なオプション \(what) がありません" }
            return "必要な引数 \(what.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))) がありません"
        case "unableToParseValue":
            return unparsableValue(english)
        case "invalidOption", "nonAlphanumericShortOption":
            // "Invalid option: -?"
            let what = english.components(separatedBy: ": ").dropFirst().joined(separator: ": ")
            return "オプションの書き方が正しくありません：\(what)"
        case "missingSubcommand":
            return "サブコマンドを指定してください"
        case "noArguments":
            return "引数を指定してください"
        case "unsupportedShell":
            return "この補完スクリプトのシェルには対応していません（bash・zsh・fish のどれかを指定してください）"
        default:
            // notImplemented, invalidState, notParentCommand: the parser's own fault, never the clerk's.
            return "コマンドラインを読み取れませんでした（内部の誤り：\(kind ?? "")）"
        }
    }

    /// "The value 'abc' is invalid for '--reason <N>'[: why | . Please provide one of 'a', 'b' or 'c'.]"
    private static func unparsableValue(_ english: String) -> String {
        let head = "The value '"
        guard english.hasPrefix(head), let mid = english.range(of: "' is invalid for '") else {
            return "値が正しくありません"
        }
        let value = masked(String(english[english.index(english.startIndex, offsetBy: head.count)..<mid.lowerBound]))
        let rest = english[mid.upperBound...]
        guard let close = rest.firstIndex(of: "'") else { return "値 '\(value)' が正しくありません" }
        let target = String(rest[..<close])
        let tail = String(rest[rest.index(after: close)...])
        // An option is named by its long name; an argument by its value name without <>.
        let optionName = target.split(separator: " ").first.map(String.init) ?? target
        let place = target.hasPrefix("-") ? "オプション \(optionName)" : "引数 \(target.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))"
        var why = ""
        if tail.hasPrefix(": ") {
            why = "：" + String(tail.dropFirst(2))
        } else if tail.contains("Please provide one of") {
            let values: [String]
            if tail.contains("the following:") {
                values = tail.split(separator: "\n").compactMap { line in
                    let t = line.trimmingCharacters(in: .whitespaces)
                    return t.hasPrefix("- ") ? String(t.dropFirst(2)) : nil
                }
            } else {
                values = quoted(tail)
            }
            why = "：次のどれかを指定してください（\(values.joined(separator: "、"))）"
        }
        return "\(place) の値 '\(value)' が正しくありません\(why)"
    }

    /// The texts between single quotes, in order.
    static func quoted(_ s: String) -> [String] {
        let parts = s.components(separatedBy: "'")
        return stride(from: 1, to: parts.count - 1, by: 2).map { parts[$0] }
    }

    /// R-ID-4: a value that looks like a 個人番号 is never echoed.
    private static func masked(_ s: String) -> String { TextNormalizer.maskingMyNumberLike(s) }

    // MARK: Help and usage

    /// Help is rendered unwrapped (so no phrase is split before it is translated); on a terminal it
    /// is wrapped here by display width (a kanji is two columns), the option descriptions with a
    /// hanging indent under their column. Piped, the lines stay whole.
    static func wrappedForTerminal(_ text: String) -> String {
        guard isatty(STDOUT_FILENO) == 1 else { return text }
        var size = winsize()
        let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col >= 40 ? Int(size.ws_col) : 80
        return text.components(separatedBy: "\n").flatMap { wrap($0, columns: columns) }.joined(separator: "\n")
    }

    /// One help line in lines of at most `columns`: continuation lines are indented as far as the
    /// description column (26, the parser's) when the line has one, else as far as the line itself.
    static func wrap(_ line: String, columns: Int) -> [String] {
        guard DisplayWidth.of(line) > columns else { return [line] }
        let descriptionColumn = 26
        let head = String(line.prefix(descriptionColumn))
        let indent: Int
        if line.count > descriptionColumn, head.allSatisfy(\.isASCII), head.hasSuffix(" "),
           line.dropFirst(descriptionColumn).first.map({ $0 != " " }) == true {
            indent = descriptionColumn
        } else {
            indent = line.prefix { $0 == " " }.count
        }
        let lead = String(line.prefix(indent))
        let body = String(line.dropFirst(indent))
        let pieces = TextWrap.lines(body, width: max(10, columns - indent))
        return pieces.enumerated().map { i, piece in (i == 0 ? lead : String(repeating: " ", count: indent)) + piece }
    }

    /// Lines of the parser's help and usage text, with each English phrase put in Japanese.
    static func help(_ text: String) -> String {
        text.components(separatedBy: "\n").map(helpLine).joined(separator: "\n")
    }

    /// Whole-line headings and the parser's own lines.
    private static let headings: [(String, String)] = [
        ("ARGUMENTS:", "引数："),
        ("OPTIONS:", "オプション："),
        ("SUBCOMMANDS:", "サブコマンド："),
        ("OPTION GROUPS:", "オプションのまとまり："),
    ]

    /// Phrases inside a line, in the order they are tried.
    private static let phrases: [(String, String)] = [
        ("Show help information.", "この説明を表示します。"),
        ("Show the version.", "版を表示します。"),
        ("Dump help information as JSON.", "説明を JSON で出力します。"),
        ("<subcommand>", "<サブコマンド>"),
        ("<options>", "<オプション>"),
        ("; default as flag: ", "、フラグだけのときの既定："),
        ("; default: ", "、既定："),
        ("(default as flag: ", "（フラグだけのときの既定："),
        ("(default: ", "（既定："),
        ("(values: ", "（値："),
    ]

    private static func helpLine(_ line: String) -> String {
        if let (_, ja) = headings.first(where: { line == $0.0 }) { return ja }
        var l = line
        for (prefix, ja) in [("OVERVIEW: ", "概要："), ("USAGE: ", "使い方："), ("Usage: ", "使い方："), ("Help:  ", "説明：")] where l.hasPrefix(prefix) {
            l = ja + l.dropFirst(prefix.count)
        }
        // "  See 'madoguchi help <subcommand>' for detailed help." / "  See 'madoguchi pending --help' for more information."
        let trimmed = l.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("See '"), let q = quoted(trimmed).first {
            let indent = String(l.prefix { $0 == " " })
            if trimmed.hasSuffix("for detailed help.") {
                return indent + "サブコマンドの詳しい説明：\(q.replacingOccurrences(of: "<subcommand>", with: "<サブコマンド>"))"
            }
            return indent + "詳しくは \(q) を見てください。"
        }
        // The default subcommand in the list: "  desk (default)   …"
        // (10 columns either way, so the abstracts stay aligned.)
        if let r = l.range(of: " (default)"), l.hasPrefix("  ") {
            l.replaceSubrange(r, with: "（既定）  ")
        }
        // "(values: a, b; default: a)" after a description that already lists a and b: only the default.
        if let open = l.range(of: " (values: "), l.hasSuffix(")") {
            let inside = l[open.upperBound..<l.index(before: l.endIndex)]
            let parts = inside.components(separatedBy: "; default: ")
            let values = parts[0].components(separatedBy: ", ")
            let before = l[..<open.lowerBound]
            if values.allSatisfy({ before.contains($0) }) {
                l = String(before) + (parts.count > 1 ? " (default: \(parts[1]))" : "")
            }
        }
        var closeParen = false
        for (en, ja) in phrases where l.contains(en) {
            l = l.replacingOccurrences(of: en, with: ja)
            if en.hasPrefix("(") { closeParen = true }
        }
        // The closing bracket of "(default: x)" / "(values: …)" at the end of the line.
        if closeParen, l.hasSuffix(")") { l = String(l.dropLast()) + "）" }
        return l
    }
}
