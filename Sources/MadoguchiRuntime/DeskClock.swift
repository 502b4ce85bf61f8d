import Foundation
import MadoguchiCore

/// Where the desk reads "now". Injected, never global: a real office runs on the system's clock, a
/// training sandbox on its movable day (re-read at every call, since another terminal may move it),
/// a test on a fixed or hand-moved instant.
public protocol DeskClock: Sendable {
    /// Throws when the time cannot be known (a training sandbox's clock file unreadable): the desk
    /// says so instead of silently falling back to the real date.
    func now() throws -> Date
}

extension DeskClock {
    public func today() throws -> LocalDate { LocalDate(try now()) }
}

/// The system's clock (a real office).
public struct SystemDeskClock: DeskClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A training sandbox's simulated day at the real time of day (issue 5).
public struct SandboxDeskClock: DeskClock {
    public let training: TrainingContext
    public init(_ training: TrainingContext) { self.training = training }
    public func now() throws -> Date { try training.sandbox.clock(book: training.book).now() }
}

/// A clock a test sets and moves by hand.
public final class ManualDeskClock: DeskClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date
    public init(_ instant: Date) { self.instant = instant }
    public func now() -> Date { lock.withLock { instant } }
    public func set(_ d: Date) { lock.withLock { instant = d } }
    public func advance(seconds: TimeInterval) { lock.withLock { instant += seconds } }
}
