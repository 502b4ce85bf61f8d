import Foundation

/// A broken config or screen file: start-up stops with the file, the line (when known) and the reason.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file) \(line)行目: \(message)" }
        return "\(file): \(message)"
    }
}

/// Finds the line where a key is set (`key =` at the start of a line, inside a given table), so
/// semantic errors found after parsing can still point at a line. TOMLKit reports positions only for
/// syntax errors.
enum SourceLines {
    /// The header a line opens (`[office]`, `[[operators]]`), without spaces or a trailing comment; nil
    /// when the line is not a table header.
    static func header(_ raw: Substring) -> String? {
        var t = raw.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("[") else { return nil }
        if let hash = t.firstIndex(of: "#") { t = String(t[..<hash]) }
        return t.filter { $0 != " " && $0 != "\t" }
    }

    /// The line of `key = …` inside `table` (`"office"`; nil for top-level keys, before any header):
    /// a key of the same name in another table (`name` of an operator) is not taken for it.
    static func line(ofKey key: String, inTable table: String?, in text: String) -> Int? {
        var current: String? = nil
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            if let h = header(raw) {
                current = h
                continue
            }
            guard current == table.map({ "[\($0)]" }) else { continue }
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if line.hasPrefix(key) {
                let rest = line.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" })
                if rest.hasPrefix("=") { return n }
            }
        }
        return nil
    }

    /// The line of the n-th (0-based) occurrence of a table-array header such as `[[operators]]`
    /// (also written `[[ operators ]]` or followed by a comment).
    static func line(ofHeader header: String, occurrence: Int, in text: String) -> Int? {
        let wanted = header.filter { $0 != " " }
        var seen = -1
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            if self.header(raw) == wanted {
                seen += 1
                if seen == occurrence { return n }
            }
        }
        return nil
    }
}
