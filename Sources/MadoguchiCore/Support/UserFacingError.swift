import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An error a clerk may read (issue 16 item 3): the message in Japanese as the clerk reads it — what
/// went wrong, which field, file or row, and what to do — and the exit code a script can trust.
/// Every error of ours that can leave a command or reach the desk's status line is one; anything
/// else (Foundation, POSIX, NIO) goes through `UserFacing.message(for:)`, never its English text.
public protocol UserFacingError: Error {
    /// The whole message, in Japanese. (Not `message`: FieldProblem, FileProblem and ConfigError
    /// already have a `message`, the reason without the field, row or file, which tests assert on.)
    var userMessage: String { get }
    /// `UserFacing.refused` (1) for refused input or a refused step, `UserFacing.setup` (2) for a
    /// broken setup, journal or identity.
    var exitCode: Int32 { get }
    /// The reason alone, for a sentence that already says what failed (「記録できませんでした：…」):
    /// the message without the heading it may add. The message itself unless a type says otherwise.
    var detail: String { get }
}

extension UserFacingError {
    public var detail: String { userMessage }
}

/// Most of our errors already say themselves in Japanese: that text is the message, byte for byte.
extension UserFacingError where Self: CustomStringConvertible {
    public var userMessage: String { description }
}

/// A broken setup, journal or identity: exit 2.
public protocol SetupError: UserFacingError {}

extension SetupError {
    public var exitCode: Int32 { UserFacing.setup }
}

/// Refused input or a refused step (nothing written): exit 1.
public protocol RefusalError: UserFacingError {}

extension RefusalError {
    public var exitCode: Int32 { UserFacing.refused }
}

/// The one way any error becomes words for a clerk and an exit code.
public enum UserFacing {
    /// Refused input or a refused step: nothing was written.
    public static let refused: Int32 = 1
    /// Setup, journal or identity: the office's files or the operator must be seen to.
    public static let setup: Int32 = 2

    /// The message for any error: ours as they say themselves; a file error from Foundation or the
    /// system with the file (the one the clerk knows, never a temporary one) and the reason in
    /// Japanese; anything else as an unexpected stop, named by its kind for the administrator.
    public static func message(for error: any Error) -> String {
        if let e = error as? any UserFacingError { return e.userMessage }
        if let text = systemErrorText(error) { return text }
        return "予期しない誤りのため中止しました（\(String(describing: type(of: error)))）。もう一度実行し、続くときは管理者に連絡してください。"
    }

    /// The reason alone, for a sentence that already says what failed (「記録できませんでした：…」,
    /// 「アンカー … を書けませんでした（…）」): ours without the heading their message may add;
    /// anything else as `message(for:)` says it.
    public static func detail(for error: any Error) -> String {
        (error as? any UserFacingError)?.detail ?? message(for: error)
    }

    /// The exit code for any error: ours say it; anything else is the setup's (2).
    public static func exitCode(for error: any Error) -> Int32 {
        (error as? any UserFacingError)?.exitCode ?? setup
    }

    /// A file error from Foundation or the system (their texts are English): the file and the reason
    /// in Japanese; nil for any other error.
    public static func systemErrorText(_ error: any Error) -> String? {
        let ns = error as NSError
        // Cocoa's file errors are its codes below 1024 (the coders' and others' are not about files).
        guard (ns.domain == NSCocoaErrorDomain && ns.code < 1024) || ns.domain == NSPOSIXErrorDomain else { return nil }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        var code: Int32?
        if ns.domain == NSPOSIXErrorDomain { code = Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain { code = Int32(underlying.code) }
        if code == nil {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: code = ENOENT
            case .fileReadNoPermission, .fileWriteNoPermission: code = EACCES
            case .fileWriteOutOfSpace: code = ENOSPC
            case .fileWriteVolumeReadOnly: code = EROFS
            case .fileWriteFileExists: code = EEXIST
            default: break
            }
        }
        let reason = code.map(SystemErrorText.japanese) ?? "ファイルの操作に失敗しました（\(ns.domain) \(ns.code)）"
        return path.map { "\(knownPath($0))：\(reason)" } ?? "ファイルの操作に失敗しました：\(reason)"
    }

    /// The file a clerk knows for a path that may be a temporary one written beside it:
    /// `.pending.csv.tmp-123-456` → `pending.csv` (AtomicFile, JournalCopy: hidden, pid and a
    /// number), `journal.anchor.tmp` → `journal.anchor`, `x.fold.tmp-123` → `x.fold`. Any other path
    /// is returned as it is.
    public static func knownPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        let known: String
        if name.hasPrefix("."), let r = name.range(of: #"\.tmp-[0-9-]+$"#, options: .regularExpression), r.lowerBound > name.index(after: name.startIndex) {
            known = String(name[name.index(after: name.startIndex)..<r.lowerBound])
        } else if let r = name.range(of: #"\.tmp(-[0-9]+)*$"#, options: .regularExpression), r.lowerBound > name.startIndex {
            known = String(name[..<r.lowerBound])
        } else {
            return path
        }
        return url.deletingLastPathComponent().appendingPathComponent(known).path
    }
}
