#if PostgreSQL
import Foundation

/// A migration's script → its statements. postgres-nio speaks only the extended protocol, one
/// statement per query, so the script is split at the semicolons outside quotes ('…', "…"),
/// dollar quotes ($fn$…$fn$, $$…$$) and comments (-- …, /* … */).
public enum SQLScript {
    public static func statements(_ script: String) -> [String] {
        let s = Array(script.unicodeScalars)
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty && !isOnlyComments(text) { out.append(text) }
            current = String.UnicodeScalarView()
        }
        while i < s.count {
            let c = s[i]
            if c == ";" { flush(); i += 1; continue }
            if c == "-" && i + 1 < s.count && s[i + 1] == "-" {
                while i < s.count && s[i] != "\n" { current.append(s[i]); i += 1 }
                continue
            }
            if c == "/" && i + 1 < s.count && s[i + 1] == "*" {
                current.append(c); current.append(s[i + 1]); i += 2
                while i < s.count && !(s[i] == "*" && i + 1 < s.count && s[i + 1] == "/") { current.append(s[i]); i += 1 }
                if i < s.count { current.append(s[i]); current.append(s[i + 1]); i += 2 }
                continue
            }
            if c == "'" || c == "\"" {
                // A doubled quote inside is two strings back to back: same result.
                current.append(c); i += 1
                while i < s.count && s[i] != c {
                    // E'…' strings: a backslash escapes the next character.
                    if s[i] == "\\" && c == "'" && i + 1 < s.count { current.append(s[i]); i += 1 }
                    current.append(s[i]); i += 1
                }
                if i < s.count { current.append(s[i]); i += 1 }
                continue
            }
            if c == "$", let tag = dollarTag(s, at: i) {
                current.append(contentsOf: tag); i += tag.count
                while i < s.count {
                    if s[i] == "$", i + tag.count <= s.count, Array(s[i..<(i + tag.count)]) == tag {
                        current.append(contentsOf: tag); i += tag.count
                        break
                    }
                    current.append(s[i]); i += 1
                }
                continue
            }
            current.append(c); i += 1
        }
        flush()
        return out
    }

    /// `$tag$` or `$$` starting at `i` (not `$1`).
    private static func dollarTag(_ s: [Unicode.Scalar], at i: Int) -> [Unicode.Scalar]? {
        var j = i + 1
        while j < s.count, s[j] == "_" || s[j].properties.isAlphabetic || (j > i + 1 && ("0"..."9").contains(s[j])) {
            j += 1
        }
        guard j < s.count, s[j] == "$" else { return nil }
        return Array(s[i...j])
    }

    private static func isOnlyComments(_ text: String) -> Bool {
        text.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") || $0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
#endif
