import Foundation

/// The journal reader over bytes in memory, without a file or a lock: what `load()` and `verify` do
/// to a file's content. For fuzzing (issue 6) and for tools that check a copy of a journal.
extension Journal {
    /// The verified records of `bytes` up to the first bad line, and that line's problem (1-based line,
    /// Japanese reason, whether it is the last line — a torn tail when it is). Never throws, never
    /// writes: the same scan `load()` and `verify` run.
    public static func records(inBytes bytes: [UInt8]) -> (records: [JournalRecord], problem: (line: Int, reason: String, isLast: Bool)?) {
        bytes.withUnsafeBytes { buf in
            let s = scan(buf, from: Chain(), collect: true)
            return (s.records, s.problem.map { ($0.line, $0.reason, $0.isLast) })
        }
    }

    /// `verify` on the bytes of a journal: the first bad line and why, as `madoguchi verify` says it.
    public static func verify(journalBytes bytes: [UInt8]) -> VerifyReport {
        verify(bytes: bytes)
    }
}
