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
            throw ConfigError(file: fileLabel, line: e.source.begin.line, message: "書式の誤り（\(e.description)）")
        }
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
