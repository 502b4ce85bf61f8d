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

/// Finds the line where a key is set (`key =` at the start of a line, after an optional table
/// header), so semantic errors found after parsing can still point at a line. TOMLKit reports
/// positions only for syntax errors.
enum SourceLines {
    static func line(ofKey key: String, in text: String, after startLine: Int = 1) -> Int? {
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            guard n >= startLine else { continue }
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if line.hasPrefix(key) {
                let rest = line.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" })
                if rest.hasPrefix("=") { return n }
            }
        }
        return nil
    }

    /// The line of the n-th (0-based) occurrence of a table-array header such as `[[operators]]`.
    static func line(ofHeader header: String, occurrence: Int, in text: String) -> Int? {
        var seen = -1
        var n = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            if raw.trimmingCharacters(in: .whitespaces) == header {
                seen += 1
                if seen == occurrence { return n }
            }
        }
        return nil
    }
}
