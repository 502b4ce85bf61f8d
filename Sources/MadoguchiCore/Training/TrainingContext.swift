import Foundation

/// Training mode's parts (issue 5).
public struct TrainingContext: Sendable {
    public let officeData: URL
    public let sandbox: TrainingSandbox
    public let book: ScenarioBook
    public let server: TrainingServer

    /// `bundledBook`: the project's config/training, used when the office config names no book.
    public init(office: OfficeConfig, officeData: URL, sandbox: TrainingSandbox, bundledBook: URL?) throws {
        guard let dir = office.trainingBook ?? bundledBook else {
            throw TrainingError("研修シナリオ集が見つかりません。設定の [training] book にフォルダを書いてください")
        }
        self.officeData = officeData
        self.sandbox = sandbox
        self.book = try ScenarioBook.load(directory: dir)
        self.server = TrainingServer(scenarios: book, office: office)
    }

    /// Lets the simulated server deliver what is due by the sandbox's date; returns what arrived.
    @discardableResult
    public func deliver(_ store: CaseStore) throws -> [URL] {
        let today = try sandbox.clock(book: book).today()
        return try server.deliver(store.book, today: today, inbox: sandbox.inbox)
    }
}

