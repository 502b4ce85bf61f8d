import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so that it appears whole or not at all: a temporary file (0600) in the same
/// folder, written and fsynced, then renamed into place and the folder fsynced (R-RG-3: a bulk file
/// is never seen half-written). Split in two so that the rename can wait for the journal.
///
/// No temporary file outlives a failed write (issue 11, item 8): a failed write, fsync or rename
/// removes it, and so does dropping a prepared file that was never committed, unless the caller
/// said `keepTemporary()` (the bytes are the only copy of something already journaled).
public final class PreparedFile {
    public let temporary: URL
    public let destination: URL
    private var settled = false

    private init(temporary: URL, destination: URL) {
        self.temporary = temporary
        self.destination = destination
    }

    deinit { if !settled { unlink(temporary.path) } }

    /// Writes the bytes to a temporary file next to `destination` (folders created 0700). The
    /// temporary name is new (O_EXCL), so two writers of one destination never share it.
    ///
    /// R-SG-6: a destination that is a symlink, or in a folder that is a
    /// foreign link or writable by everyone, is refused (`SafePath.Refused`, naming it) before anything
    /// is written.
    public static func prepare(_ data: Data, at destination: URL) throws -> PreparedFile {
        let dir = destination.deletingLastPathComponent()
        if let why = SafePath.renameProblem(destination.path) { throw SafePath.Refused(path: destination.path, why: why) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if let why = SafePath.folderProblem(dir.path) { throw SafePath.Refused(path: destination.path, why: why) }
        var fd: Int32 = -1
        var tmp = dir
        for _ in 0..<16 {
            tmp = dir.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            fd = open(tmp.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw FileWriteError(path: destination.path, operation: "作成", code: errno) }   // the file the clerk named
        let file = PreparedFile(temporary: tmp, destination: destination)   // removes tmp if we throw below
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileWriteError(path: destination.path, operation: "書き込み", code: errno)
                }
                offset += n
            }
        }
        guard fsync(fd) == 0 else { throw FileWriteError(path: destination.path, operation: "fsync", code: errno) }
        return file
    }

    /// Renames into place, never replacing a file of that name — not even one created between a check
    /// and the rename (R-SG-6: `renameat2(RENAME_NOREPLACE)`, or link + unlink) — and fsyncs the folder.
    /// On failure the temporary file is removed (unless kept).
    public func commit() throws {
        guard SafePath.renameNoReplace(temporary.path, destination.path) == 0 else {
            let code = errno
            abandon()
            throw FileWriteError(path: destination.path,
                                 operation: code == EEXIST ? "名前の変更（同じ名前のファイルがあります）" : "名前の変更", code: code)
        }
        try settle()
    }

    /// Renames into place, replacing a file of that name atomically (small state files such as the
    /// training clock, a reserved report name), and fsyncs the folder. On failure the temporary file
    /// is removed (unless kept). A symlink at the destination is refused, not replaced (R-SG-6: what is
    /// there is not what it claims; a link made after the check is itself replaced, never followed).
    public func commitReplacing() throws {
        if let why = SafePath.renameProblem(destination.path) {
            abandon()
            throw SafePath.Refused(path: destination.path, why: why)
        }
        guard rename(temporary.path, destination.path) == 0 else {
            let code = errno
            abandon()
            throw FileWriteError(path: destination.path, operation: "名前の変更", code: code)
        }
        try settle()
    }

    /// After the rename: the file is in place; the folder's fsync makes the new name durable, and its
    /// failure is said (the file is there, but a power cut could lose the name).
    private func settle() throws {
        settled = true
        let folder = destination.deletingLastPathComponent().path
        let dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw FileWriteError(path: folder, operation: "フォルダの fsync（開くこと）", code: errno) }
        defer { close(dfd) }
        while fsync(dfd) != 0 {
            if errno == EINTR { continue }
            throw FileWriteError(path: folder, operation: "フォルダの fsync", code: errno)
        }
    }

    /// Removes the temporary file: nothing is written.
    public func discard() {
        settled = true
        unlink(temporary.path)
    }

    /// Keeps the temporary file whatever happens next (its bytes are the only copy of something the
    /// journal already records; the caller tells the clerk where it is).
    public func keepTemporary() { keep = true; settled = true }

    private var keep = false

    private func abandon() { if !keep { discard() } }
}

public struct FileWriteError: Error, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let code: Int32
    public var description: String { "\(path) の\(operation)に失敗しました（\(SystemErrorText.japanese(code))）" }
}
