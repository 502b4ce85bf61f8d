import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a journal's appended bytes reach its file. The journal calls `write` until every byte is
/// written (retrying EINTR, failing on an error), so a strategy may write fewer bytes per call than it
/// is given. The default, `PositionedWrites`, is one `pwrite(2)` of everything; a harness may pass
/// `Journal(url:writes:)` another, e.g. small pieces so that a kill lands in the middle of a line.
public protocol JournalWriteStrategy: Sendable {
    /// Writes a prefix of `bytes` (never empty) at `offset` of `fd`: the count written, or -1 with
    /// `errno` set, as `pwrite(2)` returns.
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int
}

/// The journal's normal writes: all the bytes in one `pwrite(2)` (the system may still write fewer).
public struct PositionedWrites: JournalWriteStrategy {
    public init() {}

    public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        pwrite(fd, bytes.baseAddress, bytes.count, off_t(offset))
    }
}

/// Thin POSIX helpers for the journal. Every failure becomes a `JournalError.io` naming the file.
struct JournalFile {
    let name: String
    /// How `writeAll` puts bytes into the file (the journal's own strategy for its appends).
    let writes: any JournalWriteStrategy

    init(name: String, writes: any JournalWriteStrategy = PositionedWrites()) {
        self.name = name
        self.writes = writes
    }

    func fail(_ operation: String, _ code: Int32 = errno) -> JournalError {
        .io(file: name, operation: operation, errno: code)
    }

    func lock(_ fd: Int32, _ op: Int32) throws {
        while flock(fd, op) != 0 {
            if errno == EINTR { continue }
            throw fail("ロック")
        }
    }

    func status(_ fd: Int32) throws -> stat {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail("状態の取得") }
        return st
    }

    /// Modification time (seconds, nanoseconds).
    static func mtime(_ st: stat) -> (Int, Int) {
        #if canImport(Darwin)
        return (Int(st.st_mtimespec.tv_sec), Int(st.st_mtimespec.tv_nsec))
        #else
        return (Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec))
        #endif
    }

    /// Reads `[offset, end of file)`.
    func read(_ fd: Int32, from offset: Int) throws -> [UInt8] {
        let st = try status(fd)
        let size = Int(st.st_size)
        var out = [UInt8](repeating: 0, count: max(0, size - offset))
        var done = 0
        while done < out.count {
            let n = out.withUnsafeMutableBytes { buf in
                pread(fd, buf.baseAddress! + done, buf.count - done, off_t(offset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("読み込み")
            }
            if n == 0 { out.removeLast(out.count - done); break }
            done += n
        }
        return out
    }

    /// Writes all of `bytes` at `offset`, retrying short writes and EINTR.
    func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                writes.write(fd, UnsafeRawBufferPointer(rebasing: buf[done...]), at: offset + done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail("書き込み")
            }
            if n == 0 { throw fail("書き込み", EIO) }
            done += n
        }
    }

    func sync(_ fd: Int32) throws {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw fail("ディスクへの書き出し（fsync）")
        }
    }

    /// `fdatasync` where there is one (Linux): the data and the metadata needed to read it back — an
    /// append's new size — without the modification time, which nothing reads after a crash. Only for
    /// a file that existed before (a new file's directory entry needs `fsync` and the directory's).
    func syncData(_ fd: Int32) throws {
        #if os(Linux)
        while fdatasync(fd) != 0 {
            if errno == EINTR { continue }
            throw fail("ディスクへの書き出し（fdatasync）")
        }
        #else
        try sync(fd)
        #endif
    }

    func truncate(_ fd: Int32, to size: Int) throws {
        while ftruncate(fd, off_t(size)) != 0 {
            if errno == EINTR { continue }
            throw fail("切り詰め")
        }
    }

    func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw fail("ディレクトリ \(path) を開くこと") }
        defer { close(fd) }
        try sync(fd)
    }

    /// Creates `dir` and any missing parents with mode 0700. Returns the directories whose entries
    /// changed (the parents of created directories), to be fsynced.
    func ensureDirectory(_ dir: String) throws -> [String] {
        var st = stat()
        if stat(dir, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw fail("ディレクトリ \(dir) の確認", ENOTDIR) }
            return []
        }
        guard errno == ENOENT else { throw fail("ディレクトリ \(dir) の確認") }
        let parent = (dir as NSString).deletingLastPathComponent
        var changed: [String] = []
        if !parent.isEmpty, parent != dir { changed = try ensureDirectory(parent) }
        if mkdir(dir, 0o700) != 0 {
            if errno == EEXIST { return changed }
            throw fail("ディレクトリ \(dir) の作成")
        }
        guard chmod(dir, 0o700) == 0 else { throw fail("ディレクトリ \(dir) の権限設定") }
        changed.append(parent.isEmpty ? "." : parent)
        return changed
    }

    /// R-SG-6: opens a journal, anchor or checkpoint file without following a symlink, only a regular
    /// file in a folder other users cannot rearrange (`SafePath`). A refusal throws `JournalError.io`
    /// naming the whole path; another failure returns -1 with `errno` set, as `open(2)` does.
    static func openNoFollow(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600, folder: String? = nil) throws -> Int32 {
        do {
            if let folder { return try SafePath.open(path, flags, mode, folder: folder) }
            return try SafePath.open(path, flags, mode)
        } catch let r as SafePath.Refused {
            throw r.why == SafePath.symlinkWhy
                ? JournalError.io(file: r.path, operation: "開くこと", errno: ELOOP)
                : JournalError.io(file: r.path, operation: "開くこと（\(r.why)）", errno: EPERM)
        }
    }

    /// Opens the journal for reading and writing, creating it with mode 0600 if needed.
    func openOrCreate(_ path: String, folder: String? = nil) throws -> (fd: Int32, created: Bool) {
        while true {
            let fd = try Self.openNoFollow(path, O_RDWR | O_CLOEXEC, folder: folder)
            if fd >= 0 { return (fd, false) }
            guard errno == ENOENT else { throw fail("開くこと") }
            let c = try Self.openNoFollow(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600, folder: folder)
            if c >= 0 {
                guard fchmod(c, 0o600) == 0 else { let e = errno; close(c); throw fail("権限設定", e) }
                return (c, true)
            }
            guard errno == EEXIST else { throw fail("作成") }
        }
    }

    /// Writes `bytes` to a new file (0600) next to the journal, fsyncing it and its directory.
    func saveAside(_ bytes: [UInt8], basePath: String) throws -> URL {
        let stamp = String(JapanTime.iso8601(Date()).prefix(19).filter(\.isNumber))
        for attempt in 1...1000 {
            let path = basePath + ".torn-" + stamp + (attempt == 1 ? "" : "-\(attempt)")
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw fail("退避ファイル \(path) の作成")
            }
            defer { close(fd) }
            guard fchmod(fd, 0o600) == 0 else { throw fail("退避ファイルの権限設定") }
            try writeAll(fd, bytes, at: 0)
            try sync(fd)
            let dir = (path as NSString).deletingLastPathComponent
            try syncDirectory(dir.isEmpty ? "." : dir)
            return URL(fileURLWithPath: path)
        }
        throw fail("退避ファイルの作成", EEXIST)
    }

    /// Japanese warning when `mode` allows group or other access.
    static func permissionWarning(path: String, mode: mode_t, isDirectory: Bool) -> String? {
        let perm = mode & 0o777
        guard perm & 0o077 != 0 else { return nil }
        let want = isDirectory ? "0700" : "0600"
        let what = isDirectory ? "ディレクトリ" : "ファイル"
        return "\(what) \(path) の権限が \(String(format: "%04o", perm)) です。他の利用者に読まれないよう \(want) にしてください（chmod \(want.dropFirst()) \(path)）"
    }
}
