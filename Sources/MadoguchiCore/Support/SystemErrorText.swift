import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A system error (errno) in words a clerk reads: `strerror` speaks English ("No such file or
/// directory"), so the common ones are said in Japanese, with the number for the administrator
/// (issue 11, item 8: no English in messages a clerk sees).
public enum SystemErrorText {
    public static func japanese(_ code: Int32) -> String {
        let words: String
        switch code {
        case ENOENT: words = "ファイルかフォルダがありません"
        case EACCES, EPERM: words = "権限がありません"
        case EEXIST: words = "同じ名前のファイルがあります"
        case ENOSPC: words = "ディスクの空きがありません"
        case EDQUOT: words = "ディスクの割り当てを超えました"
        case EROFS: words = "読み取り専用の場所です"
        case EISDIR: words = "同じ名前のフォルダがあります"
        case ENOTDIR: words = "途中の名前がフォルダではありません"
        case ENOTEMPTY: words = "フォルダが空ではありません"
        case EIO: words = "入出力の誤りです（ディスクや接続を確かめてください）"
        case EBUSY: words = "使用中です"
        case EXDEV: words = "別のディスクへは移せません"
        case ENAMETOOLONG: words = "名前が長すぎます"
        case ELOOP: words = "シンボリックリンクです（リンクの先は開きません、R-SG-6）"
        case EMFILE, ENFILE: words = "開いているファイルが多すぎます"
        case EINVAL: words = "正しくない指定です"
        case ETIMEDOUT: words = "時間切れです"
        case ESTALE: words = "ネットワーク上のファイルが使えなくなりました"
        case ECONNREFUSED: words = "接続を拒まれました（サーバーが動いているか、ポートを確かめてください）"
        case ECONNRESET: words = "接続が相手から切られました"
        case EHOSTUNREACH, ENETUNREACH: words = "サーバーに届きません（ネットワークを確かめてください）"
        default: words = "システムの誤り"
        }
        return "\(words)、errno \(code)"
    }
}
