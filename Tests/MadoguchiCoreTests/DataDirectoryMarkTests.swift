import Foundation
import Testing
@testable import MadoguchiCore

/// The data folder's mark (real and training data never mix, issue 5), when it is there but cannot be
/// read: refused, naming the mark — before, `claim` took it for a missing mark, failed to write one
/// over it, and called itself again until the stack ran out.
@Suite("Data folder mark that cannot be read", .tags(.unit))
struct DataDirectoryMarkTests {
    @Test("a mark that is not a file is refused with its path, not retried for ever")
    func unreadableMarkIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-mark-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let mark = dir.appendingPathComponent(DataDirectoryMark.fileName)
        try FileManager.default.createDirectory(at: mark, withIntermediateDirectories: true)
        let office = OfficeConfig(officeName: "本番", publicPayerNumber: "12130019", serverCode: "D1300019", mode: .production,
                                  dataDirectory: dir, operators: [], source: URL(fileURLWithPath: "/tmp/p.toml"))
        let e = try #require(throws: TrainingError.self) { try DataDirectoryMark.claim(dir, for: office) }
        #expect(e.description == "データフォルダの目印 \(mark.path) を読めません（ファイルではありません）。本番か研修か分からないので開きません")
    }
}
