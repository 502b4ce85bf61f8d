import Foundation
import MadoguchiCore

/// The throwaway PostgreSQL cluster `.ci/postgres.sh start DIR` made (issue 15), as its `DIR/env`
/// tells the tests: read here once for every end-to-end suite that uses it.
struct TestCluster: Sendable {
    let socketDir: String
    let port: Int
    let database: String

    /// nil when the env is not there (the suites then skip saying why, and fail under CI=true).
    static var fromEnvironment: TestCluster? {
        let env = ProcessInfo.processInfo.environment
        guard let dir = env["MADOGUCHI_TEST_PG_SOCKET_DIR"], !dir.isEmpty,
              let port = env["MADOGUCHI_TEST_PG_PORT"].flatMap(Int.init) else { return nil }
        let database = env["MADOGUCHI_TEST_PG_DATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? "madoguchi"
        return TestCluster(socketDir: dir, port: port, database: database)
    }

    /// The office code the docs and the demo use, which a fresh office must not take.
    static let docsOffice = "12130019"

    /// A 公費負担者番号 the config accepts (法別 12, a 都道府県 01–47, an office, the check digit:
    /// R-ID-1, R-ID-3, checked with `Validators.publicPayerNumber`) and no earlier run is likely to
    /// have used: the database keeps every office's rows for ever.
    static func freshOfficeCode(avoiding taken: Set<String> = []) -> String {
        let today = ValidationContext(today: LocalDate(Date()))
        while true {
            let body = "12" + String(format: "%02d%03d", Int.random(in: 1...47), Int.random(in: 0...999))
            guard let check = CheckDigit.compute(body) else { continue }
            let code = body + String(check)
            if case .success = Validators.publicPayerNumber.validate(code, today), code != docsOffice, !taken.contains(code) {
                return code
            }
        }
    }
}
