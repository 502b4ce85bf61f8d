import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi-bench`: the engineers' executable, kept out of the clerk's `madoguchi` (issue 16 item 1).
/// `madoguchi-bench [run]` measures the desk (MadoguchiBench); `madoguchi-bench stress-append` is the
/// real journal writer that the crash-injection and concurrency end-to-end tests start and kill.
@main
struct MadoguchiBenchTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "madoguchi-bench",
        abstract: "窓口の性能の測定と、記録の書き込みの試験用の書き手（開発者用。窓口の業務には使いません）。",
        subcommands: [BenchCommand.self, StressAppend.self],
        defaultSubcommand: BenchCommand.self
    )
}

/// A refusal of this tool: the message on standard error, then exit code 2.
struct BenchToolError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Writes `message` on standard error, its control characters shown as code points (R-FL-5: it
/// may quote a file name), and gives exit code 2.
func refusal(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data((TextNormalizer.terminalSafe(message) + "\n").utf8))
    return ExitCode(2)
}

/// The built `madoguchi` next to this executable (`swift build` puts both in the same folder): the
/// desk the benchmark drives through a pseudo-terminal.
func siblingDeskExecutable() throws -> String {
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    let desk = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("madoguchi").path
    guard FileManager.default.isExecutableFile(atPath: desk) else {
        throw BenchToolError("窓口のプログラム \(desk) が見つかりません。madoguchi-bench と同じビルドで作ってください（swift build、リリースなら swift build -c release）。")
    }
    return desk
}
