import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Names for reports written on request (the pending list's CSV): each export gets its own file,
/// `pending-20261130-101500.csv`, then `-2`, `-3`… within the same second (issue 11, item 8). A
/// name is taken by creating the file with O_EXCL, so two terminals exporting at once never share
/// one; the content then replaces the empty reserved file atomically.
public enum ReportFiles {
    /// `pending-20261130-101500` for `now` in Japan time, `-2`, `-3`… for the `n`th of the second.
    public static func name(stem: String, ext: String, now: Date, n: Int) -> String {
        let iso = JapanTime.iso8601(now)   // 2026-11-30T10:15:00+09:00
        let day = iso.prefix(10).replacingOccurrences(of: "-", with: "")
        let time = iso.dropFirst(11).prefix(8).replacingOccurrences(of: ":", with: "")
        return "\(stem)-\(day)-\(time)\(n > 1 ? "-\(n)" : "").\(ext)"
    }

    /// Reserves a new file in `directory` (created 0700): an empty 0600 file with the first free name.
    /// R-SG-6: `directory` must lie inside `roots` (the office's `exportRoots`) with no symlink on the way.
    public static func uniqueURL(in directory: URL, within roots: [URL], stem: String, ext: String, now: Date) throws -> URL {
        try SafePath.confined(directory, within: roots, what: "書き出し先のフォルダ")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for n in 1...10_000 {
            let url = directory.appendingPathComponent(name(stem: stem, ext: ext, now: now, n: n))
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
                return url
            }
            guard errno == EEXIST else { throw FileWriteError(path: url.path, operation: "作成", code: errno) }
        }
        throw FileWriteError(path: directory.appendingPathComponent(name(stem: stem, ext: ext, now: now, n: 1)).path,
                             operation: "作成（同じ秒の名前が尽きました）", code: EEXIST)
    }

    /// Writes `data` as a new report in `directory` and returns where. If the write fails, neither
    /// the reserved name nor a temporary file is left behind.
    public static func write(_ data: Data, in directory: URL, within roots: [URL], stem: String, ext: String, now: Date) throws -> URL {
        let url = try uniqueURL(in: directory, within: roots, stem: stem, ext: ext, now: now)
        do {
            try PreparedFile.prepare(data, at: url).commitReplacing()
        } catch {
            unlink(url.path)
            throw error
        }
        return url
    }
}
