import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so that it appears whole or not at all: a temporary file (0600) in the same
/// folder, written and fsynced, then renamed into place and the folder fsynced (R-RG-3: a bulk file
/// is never seen half-written). Split in two so that the rename can wait for the journal.
public struct PreparedFile {
    public let temporary: URL
    public let destination: URL

    /// Writes the bytes to a temporary file next to `destination` (folders created 0700).
    public static func prepare(_ data: Data, at destination: URL) throws -> PreparedFile {
        let dir = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let tmp = dir.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())")
        let fd = open(tmp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw FileWriteError(path: tmp.path, operation: "作成", code: errno) }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileWriteError(path: tmp.path, operation: "書き込み", code: errno)
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw FileWriteError(path: tmp.path, operation: "fsync", code: errno) }
        return PreparedFile(temporary: tmp, destination: destination)
    }

    /// Renames into place (refusing to replace an existing file) and fsyncs the folder.
    public func commit() throws {
        guard !FileManager.default.fileExists(atPath: destination.path) else {
            throw FileWriteError(path: destination.path, operation: "名前の変更（同じ名前のファイルがあります）", code: EEXIST)
        }
        try commitReplacing()
    }

    /// Renames into place, replacing a file of that name atomically (small state files such as the
    /// training clock), and fsyncs the folder.
    public func commitReplacing() throws {
        guard rename(temporary.path, destination.path) == 0 else {
            throw FileWriteError(path: destination.path, operation: "名前の変更", code: errno)
        }
        let dfd = open(destination.deletingLastPathComponent().path, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    public func discard() { unlink(temporary.path) }
}

public struct FileWriteError: Error, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let code: Int32
    public var description: String { "\(path) の\(operation)に失敗しました（\(String(cString: strerror(code)))）" }
}
