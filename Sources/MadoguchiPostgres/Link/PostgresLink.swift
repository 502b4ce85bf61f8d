#if PostgreSQL
import Foundation
import Logging
import MadoguchiCore
import PostgresNIO

/// One connection to the office's database, for synchronous callers (the desk and the commands).
///
/// Every call blocks the calling thread until the server answered: it waits on postgres-nio's
/// EventLoopFuture. Never call it from an event loop or from inside Swift concurrency's cooperative
/// pool (a blocked pool thread starves the rest). Calls from several threads are serialized; a
/// `transaction` holds the link for its body. postgres-nio's `PostgresConnection`, not its
/// `PostgresClient`: a wrong role or password then fails in milliseconds with the server's message
/// instead of a pool retrying for a minute.
public final class PostgresLink: @unchecked Sendable {
    private let connection: PostgresConnection
    private let logger: Logger
    /// Serializes calls; recursive so a transaction's body can query.
    private let gate = NSRecursiveLock()
    /// Guards `closed` and `listeners` (also touched from the event loop).
    private let state = NSLock()
    private var closed = false
    /// A query found the connection lost.
    private var lost = false
    private var inTransaction = false
    private var listeners: [PostgresListenContext] = []
    /// Notification handlers run here, one after another, never on the event loop: a handler may
    /// query this link.
    private let notifyQueue: DispatchQueue

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
        self.notifyQueue = DispatchQueue(label: "madoguchi.postgres.notify.\(connection.id)")
    }

    private static let ids = NSLock()
    nonisolated(unsafe) private static var nextID = 0

    /// Connects and authenticates, or throws in milliseconds with the server's own message
    /// (「Peer authentication failed for user …」, 「password authentication failed …」, a missing
    /// socket…).
    public static func connect(_ settings: PostgresSettings) throws -> PostgresLink {
        var configuration: PostgresConnection.Configuration
        switch settings.endpoint {
        case .socket:
            configuration = .init(unixSocketPath: settings.socketPath ?? "", username: settings.role,
                                  password: settings.password, database: settings.database)
        case .tcp(let host, let port, let tls):
            let mode: PostgresConnection.Configuration.TLS
            switch tls {
            case .disable:
                guard PostgresSettings.isLoopback(host) else {
                    throw PostgresLinkError("\(host):\(port) へは TLS なしでは接続しません。TLS を使う設定にしてください（TLS なしで接続できるのはこの機械 127.0.0.1・::1・localhost だけです）")
                }
                mode = .disable
            case .require(let caFile):
                var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
                if let caFile {
                    guard FileManager.default.isReadableFile(atPath: caFile) else {
                        throw PostgresLinkError("TLS の CA 証明書 \(caFile) が読めません")
                    }
                    tlsConfiguration.trustRoots = .file(caFile)
                }
                do {
                    mode = .require(try NIOSSLContext(configuration: tlsConfiguration))
                } catch {
                    throw PostgresLinkError("TLS の設定を作れません（CA 証明書 \(caFile ?? "システムの既定")）：\(UserFacing.detail(for: error))")
                }
            }
            configuration = .init(host: host, port: port, username: settings.role,
                                  password: settings.password, database: settings.database, tls: mode)
            // A host name is sent as the TLS server name and checked against the certificate;
            // postgres-nio sends none for an IP address (not valid in SNI).
        }
        configuration.options.connectTimeout = .seconds(10)

        var logger = Logger(label: "madoguchi.postgres")
        logger.logLevel = .critical
        let id: Int = ids.withLock { nextID += 1; return nextID }
        do {
            let connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: id, logger: logger
            ).wait()
            return PostgresLink(connection: connection, logger: logger)
        } catch {
            let (why, state) = PostgresLinkError.reason(error)
            throw PostgresLinkError(
                "データベースに接続できません（\(settings.endpointDescription)、データベース \(settings.database)、ロール \(settings.role)）：\(why)",
                sqlState: state, serverMessage: state == nil ? nil : why)
        }
    }

    /// When set, a query not answered within this many seconds closes the connection and throws
    /// 「データベースとの接続が切れました（N 秒応答がありません）」 (a network that went silent would
    /// otherwise block the desk until TCP gives up). Nil (the default): wait as long as it takes.
    public var responseTimeout: Double? {
        get { state.withLock { _responseTimeout } }
        set { state.withLock { _responseTimeout = newValue } }
    }
    private var _responseTimeout: Double?

    /// False after `close()` or once the server or the network dropped the connection.
    public var isOpen: Bool {
        state.withLock { !closed && !lost } && !connection.isClosed
    }

    /// Runs one statement (extended protocol, `$1…` bound to `binds`) and returns every row. Columns of
    /// type text/varchar/name come back as `.text`, int2/int4/int8 as `.int`, bool as `.text("t"/"f")`,
    /// NULL as `.null`; cast anything else to text in the SQL.
    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue] = []) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try forEachRow(sql, binds) { rows.append($0) }
        return rows
    }

    /// `query`, handing each row to `body` in order as it arrives, nothing kept (the city's list reads
    /// every office's journal in one query). postgres-nio's collecting path (`query(…).wait()`, its
    /// rows gathered by `.all()`) copied the whole array of rows for every batch the server sent:
    /// measured, 800,000 rows spent most of a minute there. Its per-row callback keeps nothing.
    /// `body` runs on the connection's event loop while this thread waits; it must not use this link.
    public func forEachRow(_ sql: String, _ binds: [SQLValue] = [], _ body: ([SQLValue]) throws -> Void) throws {
        gate.lock()
        defer { gate.unlock() }
        guard state.withLock({ !closed }) else { throw PostgresLinkError.lost("この接続は閉じられています") }
        guard !state.withLock({ lost }), !connection.isClosed else { throw PostgresLinkError.lost(nil) }
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case .text(let s): bindings.append(s)
            case .int(let i): bindings.append(i)
            case .null: bindings.appendNull()
            }
        }
        let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
        let timeout = responseTimeout
        try withoutActuallyEscaping(body) { body in
            let sink = RowSink(body)
            // The body is let go before this returns, whatever postgres-nio keeps of the row callback.
            defer { sink.release() }
            let future = connection.query(query, logger: logger) { row in try sink.take(row) }
            let timedOut = LockedFlag()
            let watchdog = timeout.map { seconds in
                future.eventLoop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) { [connection] in
                    timedOut.set()
                    let _: EventLoopFuture<Void> = connection.close()
                }
            }
            do {
                _ = try future.wait()
                watchdog?.cancel()
            } catch {
                watchdog?.cancel()
                if let thrown = sink.thrown { throw thrown }   // the body's own error, as it threw it
                let failure = timedOut.isSet && timeout != nil
                    ? PostgresLinkError.lost("\(Self.seconds(timeout ?? 0)) 秒応答がありません")
                    : PostgresLinkError.from(error, doing: "問い合わせ", closed: connection.isClosed)
                if failure.connectionLost {
                    // Gone for good: say so from now on, whatever the channel's state this instant.
                    state.withLock { lost = true }
                    let _: EventLoopFuture<Void> = connection.close()
                }
                throw failure
            }
        }
    }

    /// Hands rows to a caller's body from the event loop while the caller waits for the query (so the
    /// body, not `Sendable`, is only ever run while its owner is blocked), and keeps the first error.
    private final class RowSink: @unchecked Sendable {
        private let lock = NSLock()
        private var body: (([SQLValue]) throws -> Void)?
        private var error: Error?

        init(_ body: @escaping ([SQLValue]) throws -> Void) { self.body = body }

        var thrown: Error? { lock.withLock { error } }

        /// No row reaches the body after this.
        func release() { lock.withLock { body = nil } }

        func take(_ row: PostgresRow) throws {
            lock.lock()
            defer { lock.unlock() }
            guard let body else { return }
            do {
                try body(try row.map(PostgresLink.value))
            } catch {
                self.error = self.error ?? error
                throw error
            }
        }
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(s)
    }

    fileprivate static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        do {
            switch cell.dataType {
            case .int8, .int4, .int2:
                return .int(try cell.decode(Int64.self))
            case .bool:
                return .text(try cell.decode(Bool.self) ? "t" : "f")
            default:
                return .text(try cell.decode(String.self))
            }
        } catch {
            throw PostgresLinkError("列 \(cell.columnName) の型（\(cell.dataType)）は読めません：SQL で ::text にしてください")
        }
    }

    /// BEGIN, the body, COMMIT; ROLLBACK when the body throws (the error is rethrown). A transaction
    /// inside a transaction runs in the outer one.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        gate.lock()
        defer { gate.unlock() }
        if inTransaction { return try body() }
        try query("BEGIN")
        inTransaction = true
        defer { inTransaction = false }
        let value: T
        do {
            value = try body()
        } catch {
            if isOpen { _ = try? query("ROLLBACK") }
            throw error
        }
        try query("COMMIT")
        return value
    }

    /// LISTEN on `channel` (only `[a-z0-9_]`, at most 63 characters) on this link; `onNotify` gets each
    /// notification's payload on a background queue, in order. A LISTEN inside a transaction starts at
    /// its COMMIT (PostgreSQL's rule).
    public func listen(_ channel: String, _ onNotify: @escaping @Sendable (_ payload: String) -> Void) throws {
        guard Self.isValidChannel(channel) else {
            throw PostgresLinkError("通知のチャンネル名 \"\(channel)\" は使えません（英小文字・数字・_ だけで 63 文字まで）")
        }
        let queue = notifyQueue
        let context = connection.addListener(channel: channel) { _, notification in
            let payload = notification.payload
            queue.async { onNotify(payload) }
        }
        state.withLock { listeners.append(context) }
        do {
            try query("LISTEN \(channel)")
        } catch {
            context.stop()
            throw error
        }
    }

    public static func isValidChannel(_ channel: String) -> Bool {
        !channel.isEmpty && channel.utf8.count <= 63
            && channel.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// Closes the connection (waits for it). Safe to call twice, and after a lost connection.
    public func close() {
        let contexts: [PostgresListenContext]? = state.withLock {
            if closed { return nil }
            closed = true
            defer { listeners = [] }
            return listeners
        }
        guard let contexts else { return }
        contexts.forEach { $0.stop() }
        if MultiThreadedEventLoopGroup.currentEventLoop == nil {
            _ = try? connection.close().wait()
        } else {
            let _: EventLoopFuture<Void> = connection.close()
        }
    }

    deinit {
        // postgres-nio asserts a connection is closed before it is released.
        if !connection.isClosed {
            if MultiThreadedEventLoopGroup.currentEventLoop == nil {
                _ = try? connection.close().wait()
            } else {
                let _: EventLoopFuture<Void> = connection.close()
            }
        }
    }
}
/// A flag set from the event loop and read by the waiting thread.
private final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
#endif
