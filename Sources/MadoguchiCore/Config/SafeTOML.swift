import TOMLKit

/// Every TOML file the program reads (office config, screen definitions) goes through here.
///
/// TOMLKit parses with toml++ (C++), which *asserts* on some malformed input instead of reporting
/// it, aborting the process in a debug build and with undefined behaviour in a release build (the
/// assertion becomes an optimiser assumption). Found by fuzzing (issue 6; `FuzzCorpus/crashes/config-*`,
/// `screens-*`):
/// - a table header whose key starts with a character that cannot start a key — `[` alone on a line,
///   `[、…]`, `[[=…` (`Assertion is_bare_key_character(*cp) || is_string_delimiter(*cp) failed`);
/// - a `}` where an array expects a value — `a = [}]`, `a = [1, }]` (`Assertion
///   !is_value_terminator(*cp) failed`).
/// The text is checked here first, so a clerk who mistypes the file gets the usual
/// `file N行目: 書式の誤り…` instead of a crash.
enum SafeTOML {
    static func parse(_ text: String, fileLabel: String) throws -> TOMLTable {
        if let p = problem(text) {
            throw ConfigError(file: fileLabel, line: p.line, message: "書式の誤り（\(p.message)）")
        }
        do {
            return try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: fileLabel, line: e.source.begin.line,
                              message: "書式の誤り（\(e.source.begin.column)文字目、\(japanese(e.description))）")
        }
    }

    /// toml++'s message (`Error while parsing <scope>: <detail>`, English) said in Japanese: where
    /// (the scope) and what (the character it met, or the kind of mistake). Issue 11, item 8: the
    /// person who opens the desk with a mistyped file reads no English.
    static func japanese(_ description: String) -> String {
        var scope = ""
        var detail = description
        let head = "Error while parsing "
        if description.hasPrefix(head), let colon = description.range(of: ": ") {
            scope = String(description[description.index(description.startIndex, offsetBy: head.count)..<colon.lowerBound])
            detail = String(description[colon.upperBound...])
        }
        let scopes: [String: String] = [
            "array": "配列 [ ]", "boolean": "true・false", "comment": "コメント", "date": "日付", "date-time offset": "日時",
            "date-time": "日時", "floating-point": "小数", "hexadecimal floating-point": "小数", "inline table": "表 { }",
            "key": "キー（= の左）", "key-value pair": "キー = 値 の行", "literal string": "文字列（' '）", "root table": "ファイル",
            "string": "文字列（\" \"）", "table header": "表の見出し [ ]", "time": "時刻", "unicode scalar sequence": "\\u の文字コード",
            "value": "値（= の右）", "integer": "整数",
        ]
        let place = scopes[scope].map { "\($0)の読み取りで" } ?? ""
        // The character it met: `saw '\n'`, `saw 'x'`.
        var seen: String?
        if let r = detail.range(of: "saw '") {
            let rest = detail[r.upperBound...]
            if let end = rest.lastIndex(of: "'") {
                let c = String(rest[..<end])
                seen = c == "\\n" || c == "\n" ? "行末" : c == "\\t" ? "タブ" : "「\(c)」"
            }
        }
        let what: String
        if detail.contains("control character") {
            what = "改行などの制御文字がそのまま入っています。引用符の閉じ忘れかもしれません"
        } else if detail.contains("end-of-file") || detail.contains("saw EOF") {
            what = "ファイルが途中で終わっています。引用符や括弧の閉じ忘れかもしれません"
        } else if detail.contains("cannot redefine") || detail.contains("already") {
            what = "同じキーか表が二度書かれています"
        } else if detail.contains("leading zero") {
            what = "数の先頭に 0 は書けません。番号なら引用符（\"）で囲んでください"
        } else if detail.contains("underscore") {
            what = "数の中の _ の位置が正しくありません"
        } else if detail.contains("dangling comma") {
            what = "閉じ括弧の前に余分なカンマがあります"
        } else if detail.contains("expected value") {
            what = "= の右に値がありません（\(seen ?? "何もありません")）"
        } else if let seen {
            what = "\(seen)はここには書けません。引用符・括弧・= を確かめてください"
        } else {
            what = "TOML の書き方が正しくありません。引用符・括弧・= を確かめてください"
        }
        return place.isEmpty ? what : "\(place)、\(what)"
    }

    /// The first input toml++ asserts on: a table header (`[name]`, `[[name]]` at the start of a
    /// statement) whose name does not start with a key character or a quote, or a `}` inside an
    /// array. Strings (all four kinds) and comments are skipped, and values spanning lines (`[…]`,
    /// `{…}`) are followed, so a `[` inside them is not a header.
    static func problem(_ text: String) -> (line: Int, message: String)? {
        let s = Array(text.unicodeScalars)
        let n = s.count
        var i = 0
        var line = 1
        var open: [Unicode.Scalar] = []   // the [ and { of a value still open
        var atStatementStart = true
        func isKeyStart(_ u: Unicode.Scalar) -> Bool {
            switch u {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "\"", "'": return true
            default: return false
            }
        }
        func starts(_ lit: String, at k: Int) -> Bool {
            let l = Array(lit.unicodeScalars)
            guard k + l.count <= n else { return false }
            for j in 0..<l.count where s[k + j] != l[j] { return false }
            return true
        }
        while i < n {
            let c = s[i]
            switch c {
            case "\n":
                line += 1
                if open.isEmpty { atStatementStart = true }
                i += 1
            case " ", "\t", "\r":
                i += 1
            case "#":
                while i < n, s[i] != "\n" { i += 1 }
            case "\"", "'":
                atStatementStart = false
                let triple = starts(c == "\"" ? "\"\"\"" : "'''", at: i)
                if triple {
                    i += 3
                    let close = c == "\"" ? "\"\"\"" : "'''"
                    while i < n, !starts(close, at: i) {
                        if s[i] == "\\", c == "\"" { i += 1 }
                        if i < n, s[i] == "\n" { line += 1 }
                        i += 1
                    }
                    i += 3
                    // A closing run may have up to two more quotes (`""""` ends with a quote in the string).
                    while i < n, s[i] == c { i += 1 }
                } else {
                    i += 1
                    while i < n, s[i] != c, s[i] != "\n" {
                        if s[i] == "\\", c == "\"" { i += 1 }
                        i += 1
                    }
                    if i < n, s[i] == c { i += 1 }
                }
            case "[" where atStatementStart && open.isEmpty:
                // A table header: `[` or `[[`, spaces or tabs, then the key.
                var k = i + 1
                if k < n, s[k] == "[" { k += 1 }
                while k < n, s[k] == " " || s[k] == "\t" { k += 1 }
                if k < n, s[k] != "]", !isKeyStart(s[k]) {
                    let what = s[k] == "\n" || s[k] == "\r" ? "行末" : "「\(Character(s[k]))」"
                    return (line, "表の見出し [ ] の名前が \(what) で始まっています。名前は英数字・_・- か引用符で始めてください")
                }
                // Skip the header's name (a quoted part may hold ] or #).
                atStatementStart = false
                i = k
                while i < n, s[i] != "\n" {
                    if s[i] == "\"" || s[i] == "'" {
                        let q = s[i]
                        i += 1
                        while i < n, s[i] != q, s[i] != "\n" { i += 1 }
                        if i < n, s[i] == q { i += 1 }
                        continue
                    }
                    if s[i] == "]" || s[i] == "#" { break }
                    i += 1
                }
            case "[", "{":
                open.append(c)
                atStatementStart = false
                i += 1
            case "}" where open.last == "[":
                return (line, "配列 [ ] の中に } があります。括弧の対応を確かめてください")
            case "]", "}":
                if !open.isEmpty { open.removeLast() }
                i += 1
            default:
                atStatementStart = false
                i += 1
            }
        }
        return nil
    }
}
