import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// R-ID-4 and issue 6 item 7: the office's records are for its own account only (folders 0700, files
/// 0600). `Journal.load()` reports wider permissions of the journal and its folder among its warnings;
/// these are the same checks for the places that do not load (`verify`) and a short form for the
/// desk's one-line status.
public enum JournalPermissions {
    /// The journal's folder, the journal and its anchor, with the mode each has when it is wider.
    public static func wide(journal: URL) -> [(path: String, mode: mode_t, isDirectory: Bool)] {
        let dir = journal.deletingLastPathComponent().path
        var out: [(String, mode_t, Bool)] = []
        for (path, isDir) in [(dir, true), (journal.path, false), (JournalAnchor.url(for: journal).path, false)] {
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            if st.st_mode & 0o077 != 0 { out.append((path, st.st_mode & 0o777, isDir)) }
        }
        return out
    }

    /// One Japanese sentence per path that is too open: the path, its mode, the mode it should have
    /// and the `chmod` to run (for stderr).
    public static func warnings(journal: URL) -> [String] {
        wide(journal: journal).compactMap { JournalFile.permissionWarning(path: $0.path, mode: $0.mode, isDirectory: $0.isDirectory) }
    }

    /// For the desk's status line (80 columns): the command first (it names the folder), then the modes
    /// found, e.g. `権限が広すぎます：chmod -R go-rwx /srv/madoguchi（0755, 0644）`. Nil when all is private.
    public static func statusLine(journal: URL) -> String? {
        let found = wide(journal: journal)
        guard !found.isEmpty else { return nil }
        let dir = journal.deletingLastPathComponent().path
        let modes = found.map { String(format: "%04o", $0.mode) }.joined(separator: ", ")
        return "権限が広すぎます：chmod -R go-rwx \(dir)（\(modes)）"
    }
}
