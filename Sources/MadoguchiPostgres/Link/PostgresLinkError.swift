#if PostgreSQL
import MadoguchiCore
import PostgresNIO

/// A failure on the link, in Japanese for the clerk, with the server's own message when there is one.
public struct PostgresLinkError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// The server's SQLSTATE (`42501` permission denied or a trigger's refusal, `23514` a row that
    /// contradicts its place, `23505` a duplicate…); nil when the server did not answer.
    public let sqlState: String?
    /// The server's own message alone (nil when the server did not answer).
    public let serverMessage: String?
    /// True when the link is gone (lost connection, server shut down, closed).
    public let connectionLost: Bool

    public init(_ description: String, sqlState: String? = nil, serverMessage: String? = nil, connectionLost: Bool = false) {
        self.description = description
        self.sqlState = sqlState
        self.serverMessage = serverMessage
        self.connectionLost = connectionLost
    }

    static let lostText = "データベースとの接続が切れました"

    static func lost(_ detail: String?) -> PostgresLinkError {
        PostgresLinkError(detail.map { "\(lostText)（\($0)）" } ?? lostText, connectionLost: true)
    }

    /// The server's message (with its SQLSTATE) or the client-side reason, for a failed connect.
    static func reason(_ error: any Error) -> (text: String, sqlState: String?) {
        guard let psql = error as? PSQLError else { return (clientReason(error), nil) }
        if let info = psql.serverInfo {
            return (info[.message] ?? "（メッセージなし）", info[.sqlState])
        }
        if let underlying = psql.underlying { return (clientReason(underlying), nil) }
        return (psql.code.description, nil)
    }

    /// A failure on this side of the link (the network, the socket, TLS) in Japanese, never swift-nio's
    /// English (issue 16 item 3): the system's reason where there is an errno, else the kind of error.
    static func clientReason(_ error: any Error) -> String {
        if let e = error as? PostgresLinkError { return e.description }
        if let io = error as? IOError { return SystemErrorText.japanese(io.errnoCode) }
        if let c = error as? NIOConnectionError {
            if c.dnsAError != nil || c.dnsAAAAError != nil { return "サーバー名 \(c.host) を引けません（DNS）" }
            if let first = c.connectionErrors.first { return "\(c.host):\(c.port) に接続できません：\(clientReason(first.error))" }
            return "\(c.host):\(c.port) に接続できません"
        }
        if let c = error as? ChannelError {
            switch c {
            case .connectTimeout: return "接続が時間切れになりました"
            case .ioOnClosedChannel, .alreadyClosed, .eof, .inputClosed, .outputClosed: return "接続が閉じられました"
            default: return "接続の誤りです（ChannelError）"
            }
        }
        return UserFacing.message(for: error)
    }

    /// postgres-nio's error → ours. `doing` says what failed (接続・問い合わせ…); `closed` whether
    /// the connection is gone after it.
    static func from(_ error: any Error, doing: String, closed: Bool) -> PostgresLinkError {
        if let e = error as? PostgresLinkError { return e }
        guard let psql = error as? PSQLError else {
            if closed { return .lost(clientReason(error)) }
            return PostgresLinkError("\(doing)に失敗しました：\(clientReason(error))")
        }
        if let info = psql.serverInfo {
            let message = info[.message] ?? "（メッセージなし）"
            let state = info[.sqlState]
            var text = "\(doing)でデータベースがエラーを返しました：\(message)"
            if let detail = info[.detail], !detail.isEmpty { text += "（詳細：\(detail)）" }
            if let hint = info[.hint], !hint.isEmpty { text += "（ヒント：\(hint)）" }
            if let state { text += " [SQLSTATE \(state)]" }
            // 57P01..57P03 (admin shutdown, crash shutdown, cannot connect now), 08xxx (connection exception).
            let gone = closed || (state.map { $0.hasPrefix("57P") || $0.hasPrefix("08") } ?? false)
            if gone { return PostgresLinkError("\(lostText)：\(message)", sqlState: state, serverMessage: message, connectionLost: true) }
            return PostgresLinkError(text, sqlState: state, serverMessage: message)
        }
        let why = psql.underlying.map(clientReason) ?? psql.code.description
        switch psql.code {
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError:
            return .lost(why)
        default:
            if closed { return .lost(why) }
            return PostgresLinkError("\(doing)に失敗しました：\(why)")
        }
    }
}
#endif
