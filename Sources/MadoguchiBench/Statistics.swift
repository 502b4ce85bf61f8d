import Foundation

/// Figures of repeated runs and the verdict on a goal (issue 14, item 5).
public struct Samples: Sendable {
    public var values: [Double] = []
    public init(_ values: [Double] = []) { self.values = values }
    public mutating func append(_ x: Double) { values.append(x) }
    public var isEmpty: Bool { values.isEmpty }
    public var min: Double { values.min() ?? 0 }
    public var max: Double { values.max() ?? 0 }
    public var median: Double { Samples.percentile(values, 0.5) }
    public func percentile(_ p: Double) -> Double { Samples.percentile(values, p) }

    /// Nearest rank on the sorted values (p99 of 200 samples is the 2nd worst).
    public static func percentile(_ xs: [Double], _ p: Double) -> Double {
        guard !xs.isEmpty else { return 0 }
        let s = xs.sorted()
        return s[Swift.min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
    }

    public var json: [String: Any] { ["min": min, "median": median, "max": max, "runs": values] }
}

/// 達成 only when the goal held in every run pair, 未達 when in none, 不安定 when it flips.
public enum Verdict: String, Sendable {
    case met = "達成", missed = "未達", unstable = "不安定", none = "—"

    public static func of(_ held: [Bool]) -> Verdict {
        guard !held.isEmpty else { return .none }
        if held.allSatisfy({ $0 }) { return .met }
        if !held.contains(true) { return .missed }
        return .unstable
    }
}

enum Format {
    static func ms(_ s: Double) -> String { s >= 1 ? String(format: "%.2f s", s) : String(format: "%.1f ms", s * 1000) }
    static func us(_ s: Double) -> String { s * 1000 >= 1 ? String(format: "%.2f ms", s * 1000) : String(format: "%.0f µs", s * 1e6) }
    static func mb(_ bytes: Double) -> String {
        let m = bytes / 1_048_576
        return m >= 10 ? String(format: "%.0f MB", m) : String(format: "%.2f MB", m)
    }
    static func ratio(_ r: Double) -> String { String(format: "%.2f×", r) }
    /// `min / median / max` of samples with a unit formatter.
    static func spread(_ s: Samples, _ f: (Double) -> String) -> String {
        s.isEmpty ? "—" : "\(f(s.min)) / \(f(s.median)) / \(f(s.max))"
    }
}
