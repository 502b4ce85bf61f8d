#if PostgreSQL
/// Where and as whom a desk or a command reaches the office's database (issue 15).
///
/// - `socket`: the server on this machine, peer authentication — the engine proves the OS account
///   (mapped to `role` in pg_ident.conf); no password exists to leak.
/// - `tcp`: another machine, SCRAM-SHA-256 with `password`; TLS is required unless the host is this
///   machine (127.0.0.0/8, ::1, localhost).
public struct PostgresSettings: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        /// Connects to the socket FILE `<directory>/.s.PGSQL.<port>` (postgres-nio wants the file; the
        /// folder gives a misleading EACCES).
        case socket(directory: String, port: Int)
        case tcp(host: String, port: Int, tls: TLS)
    }

    public enum TLS: Sendable, Equatable {
        case disable
        /// Verify the server's certificate against `caFile` (PEM), or the system's roots when nil.
        case require(caFile: String?)
    }

    public var endpoint: Endpoint
    public var database: String
    public var role: String
    public var password: String?

    public init(endpoint: Endpoint, database: String, role: String, password: String? = nil) {
        self.endpoint = endpoint
        self.database = database
        self.role = role
        self.password = password
    }

    /// `<dir>/.s.PGSQL.<port>` for a socket endpoint.
    public var socketPath: String? {
        guard case .socket(let directory, let port) = endpoint else { return nil }
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return "\(dir)/.s.PGSQL.\(port)"
    }

    /// How the endpoint reads in a message: `ソケット /run/postgresql/.s.PGSQL.5432` or `db.example:5432`.
    public var endpointDescription: String {
        switch endpoint {
        case .socket: return "ソケット \(socketPath ?? "")"
        case .tcp(let host, let port, _): return "\(host):\(port)"
        }
    }

    /// True for 127.0.0.0/8, ::1 and localhost: the only hosts reached without TLS.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}

/// A value bound to `$1…` or read from a column: text and int8 (also int2/int4) columns; anything
/// else the SQL casts to text (`recorded_at::text`).
public enum SQLValue: Sendable, Equatable {
    case text(String)
    case int(Int64)
    case null

    public var text: String? { if case .text(let s) = self { return s } else { return nil } }
    public var int: Int64? { if case .int(let i) = self { return i } else { return nil } }
    public var isNull: Bool { self == .null }
}
#endif
