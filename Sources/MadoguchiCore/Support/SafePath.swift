import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// R-SG-6: the office's files are what they claim. The journal, its anchor, checkpoints, exports and
/// notices are opened without following a symlink (`O_NOFOLLOW`), must be regular files, and live in
/// a folder other users cannot rearrange; exports stay inside the office's configured folders.
///
/// What is checked, and why this much and no more:
/// - **The file itself**: never a symlink (an insider pointing `journal.jsonl` or a notice at a file of
///   their choosing, or at `/dev/null`), never a FIFO or device. `O_NOFOLLOW` makes the open itself
///   refuse, so there is no window between a check and the open.
/// - **Its folder**: not writable by everyone without the sticky bit (anyone on the machine could swap
///   the file between two opens). A group-writable folder is allowed: an office whose clerks each log in
///   with their own account shares the data folder through a group (R-SG-1); the permission warnings
///   (`JournalPermissions`) already ask for 0700 where one account is used. The folder may be a symlink
///   only if it belongs to the running account or to root (an administrator's own link, e.g.
///   `/srv/madoguchi` → `/data/madoguchi`), never one another account planted.
/// - **Exports** (`confined(_:within:)`): inside a configured folder (the data folder, the export
///   folder) after `..` is resolved, with no symlink at or below the configured folder — a configured
///   folder may itself be a link the administrator made; a link planted under it may not.
public enum SafePath {
    /// A path refused, and why, in Japanese (the path always named).
    public struct Refused: Error, CustomStringConvertible, Equatable, Sendable {
        public let path: String
        public let why: String
        public init(path: String, why: String) {
            self.path = path
            self.why = why
        }
        public var description: String { "\(path) は使えません：\(why)（R-SG-6）" }
    }

    static let symlinkWhy = "シンボリックリンクです。リンクの先は開きません（書き込みもしません）"

    /// Why the folder `dir` must not hold the office's files, or nil (also nil when it does not exist:
    /// the caller creates it, or reports ENOENT in its own words).
    public static func folderProblem(_ dir: String) -> String? {
        var l = stat()
        guard lstat(dir, &l) == 0 else { return nil }
        if (l.st_mode & S_IFMT) == S_IFLNK, l.st_uid != getuid(), l.st_uid != 0 {
            return "フォルダ \(dir) は別の利用者（uid \(l.st_uid)）のシンボリックリンクです"
        }
        var s = stat()
        guard stat(dir, &s) == 0 else { return nil }
        guard (s.st_mode & S_IFMT) == S_IFDIR else { return "\(dir) がフォルダではありません" }
        if s.st_mode & S_IWOTH != 0, s.st_mode & S_ISVTX == 0 {
            return "フォルダ \(dir) は誰でも書き込めます（権限 \(String(format: "%04o", s.st_mode & 0o7777))）。ほかの利用者がファイルを差し替えられます。chmod o-w \(dir) としてください"
        }
        return nil
    }

    /// Why `path` (not followed) is not a place to open or write, or nil: a symlink, something other
    /// than a regular file, or in an unsafe folder. A missing file is fine.
    public static func problem(_ path: String) -> String? {
        problem(path, folder: (path as NSString).deletingLastPathComponent)
    }

    /// `problem(path)` with the folder already worked out (the journal's, issue 14: no path
    /// arithmetic at every append). `folder` must be `path`'s `deletingLastPathComponent`.
    static func problem(_ path: String, folder dir: String) -> String? {
        if let why = folderProblem(dir.isEmpty ? "." : dir) { return why }
        var l = stat()
        guard lstat(path, &l) == 0 else { return nil }
        switch l.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFLNK: return symlinkWhy
        default: return "通常のファイルではありません（フォルダや装置、名前付きパイプには書きません）"
        }
    }

    /// For a file replaced by rename (never opened, so a FIFO or a folder in the way does no harm: the
    /// rename replaces the name or fails): why `path` may not be written, or nil — a symlink, or an
    /// unsafe folder.
    public static func renameProblem(_ path: String) -> String? {
        let dir = (path as NSString).deletingLastPathComponent
        if let why = folderProblem(dir.isEmpty ? "." : dir) { return why }
        var l = stat()
        guard lstat(path, &l) == 0, (l.st_mode & S_IFMT) == S_IFLNK else { return nil }
        return symlinkWhy
    }

    /// `open(2)` that never follows a symlink at `path` and opens only a regular file in a safe folder.
    /// A refusal throws `Refused` naming the path; any other failure returns -1 with `errno` set, as
    /// `open` does (so ENOENT and the like are handled by the caller as before).
    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600) throws -> Int32 {
        try open(path, flags, mode, folder: (path as NSString).deletingLastPathComponent)
    }

    /// `open` with `path`'s folder already worked out (`deletingLastPathComponent`).
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o600, folder: String) throws -> Int32 {
        if let why = problem(path, folder: folder) { throw Refused(path: path, why: why) }
        #if canImport(Glibc)
        let fd = Glibc.open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode)
        #else
        let fd = Darwin.open(path, flags | O_NOFOLLOW | O_CLOEXEC, mode)
        #endif
        if fd < 0 {
            let code = errno
            if code == ELOOP { throw Refused(path: path, why: symlinkWhy) }   // made a link since the check
            errno = code
            return -1
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw Refused(path: path, why: "通常のファイルではありません（フォルダや装置、名前付きパイプには書きません）")
        }
        return fd
    }

    /// `url` checked to lie inside one of `roots` (the office's configured folders) once `.` and `..`
    /// are resolved, with no symlink from the outermost root that holds it down to the file — a root
    /// itself may be a link the administrator configured. Folders that do not exist yet are fine (they
    /// are created 0700). `what` names the export in the message (「CSV の書き出し先」).
    @discardableResult
    public static func confined(_ url: URL, within roots: [URL], what: String) throws -> URL {
        let target = url.standardizedFileURL.path
        let holding = roots.map { $0.standardizedFileURL.path }
            .filter { target == $0 || target.hasPrefix($0 == "/" ? "/" : $0 + "/") }
            .sorted { $0.count < $1.count }
        guard let root = holding.first else {
            let allowed = roots.map { $0.standardizedFileURL.path }.joined(separator: "、")
            throw Refused(path: url.path, why: "\(what)は事務所の設定した保存先（\(allowed)）の中にしてください。その外には書き出しません")
        }
        var current = root
        for part in target.dropFirst(root.count).split(separator: "/") {
            current += (current.hasSuffix("/") ? "" : "/") + part
            var l = stat()
            guard lstat(current, &l) == 0 else { break }   // the rest does not exist yet
            if (l.st_mode & S_IFMT) == S_IFLNK {
                let why = current == target ? symlinkWhy : "途中の \(current) がシンボリックリンクです。保存先の外に出るおそれがあるので書き出しません"
                throw Refused(path: url.path, why: why)
            }
        }
        return URL(fileURLWithPath: target)
    }

    // MARK: Renaming without replacing

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2` (2.28 and later). The Swift Glibc module does not declare it, so it is
    /// looked up once; nil where the C library lacks it.
    nonisolated(unsafe) private static let renameAt2: RenameAt2? = {
        #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
        return nil
        #endif
    }()

    /// Moves `from` to `to` only if nothing is at `to`: `renameat2(RENAME_NOREPLACE)`, or where the
    /// kernel, the file system or the C library cannot, `link` + `unlink` (a link never replaces an
    /// existing name either). Returns 0, or -1 with `errno` set (EEXIST when something is there).
    public static func renameNoReplace(_ from: String, _ to: String) -> Int32 {
        if let renameAt2 {
            let r = renameAt2(AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */)
            if r == 0 { return 0 }
            let code = errno
            guard code == EINVAL || code == ENOSYS || code == ENOTSUP else { errno = code; return -1 }
        }
        guard link(from, to) == 0 else { return -1 }
        unlink(from)
        return 0
    }
}

extension OfficeConfig {
    /// R-SG-6: the folders an export may be written to — the data folder (notices, reports, the
    /// sandbox's files) and the configured export folder (`[interchange] export_directory`).
    public var exportRoots: [URL] { [dataDirectory, exportDirectory] }

    /// `url` if it lies inside `exportRoots` with no symlink below them; otherwise `SafePath.Refused`
    /// naming it (`what`: 「CSV の書き出し先」…).
    @discardableResult
    public func confinedExport(_ url: URL, what: String) throws -> URL {
        try SafePath.confined(url, within: exportRoots, what: what)
    }
}
