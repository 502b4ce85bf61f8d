import Foundation

/// A JSON value, for the free-form `data` of a journal line.
///
/// The journal layer stores and hashes lines; it does not know the domain's event types. Domain code
/// converts its typed events to and from `JSONValue` (see `CaseEvent`).
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Converts an Encodable value (a domain event) into a JSONValue.
    public init<T: Encodable>(encoding value: T) throws {
        let data = try JSONValue.encoder.encode(value)
        // Read back with the journal's own parser rather than JSONDecoder (issue 7: every move an
        // import or an append records passes here); the same value (FastLoadTests).
        let parsed: JSONValue? = data.withUnsafeBytes { raw in
            var p = JournalLine.Parser(bytes: raw)
            guard let v = try? p.parseValue(depth: 0), p.i == raw.count else { return nil }
            return v
        }
        self = try parsed ?? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Decodes this value as a Decodable type (a domain event). Straight from the value (issue 7:
    /// printing it and parsing it again with `JSONDecoder` was most of the start-up time); the same
    /// result as that round trip (FastLoadTests).
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try JSONValueDecoder.decode(T.self, from: self)
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
