import ArgumentParser
import Foundation
import MadoguchiBench
import MadoguchiCore

/// `madoguchi-bench` (or `madoguchi-bench run`): the performance benchmark of issues 7 and 14, a thin
/// front to MadoguchiBench. It drives the built `madoguchi` next to it.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "性能を測ります（合成した本番の事務所で、本物のデスクを擬似端末で動かし、参照と交互に）。",
        discussion: """
        P1 起動から最初の画面の最後のバイトまで（擬似端末）と Python orjson の行ごとの解析・同じ仕事（orjson＋SHA-256＋鎖＋署名＋案件ごとの畳み込み）、
        P2 キーから画面の最後のバイトまで（移動・検索・並べ替え・開く・受付の保存・済みにする・記録・取込）の p50/p99/最大、
        P3 月次状況ファイル10万行の取り込みと Python csv（cp932）、P4 署名つき追記（fsync）と素の write+fdatasync、
        P5 最初の画面の直後と操作の後のデスクの常駐メモリと記録のサイズ。
        PostgreSQL（--postgres-socket-dir、--traits PostgreSQL で作ったプログラム）：同じ事務所をデータベースに移し、署名つき追記と最初の画面を記録ファイルと並べて、20 事務所の市の未処理一覧を事務所ごとの記録ファイルの一覧と並べて測ります。
        既定の規模は 1562件・12500行の 1×・4×・16×・64×（16× = 25,000件・200,000行、64× = 100,000件・800,000行）。
        正しい数字はリリースビルドで：swift build -c release --scratch-path .build-release のあと .build-release/release/madoguchi-bench
        """
    )

    @Option(name: .long, help: "規模の倍数（カンマ区切り）。")
    var sizes: String = "1,4,16,64"

    @Flag(name: .long, help: "とても小さい規模で、全部の行が出て書き込みが記録に届くことだけを確かめます（CI 用。数字に意味はありません）。")
    var tiny = false

    @Option(name: .long, help: "乱数の種（同じ種なら同じデータ・同じ鍵）。")
    var seed: UInt64 = 7

    @Option(name: .long, help: "交互に測る回数（判定には5回以上）。")
    var runs: Int = 5

    @Option(name: .long, help: "P4 の1回あたりの追記の回数。")
    var appends: Int = 2000

    @Option(name: .long, help: "画面の出来上がりとみなす、出力が途切れる時間（ミリ秒）。")
    var settleMs: Int = 150

    @Option(name: .long, help: ArgumentHelp("作業フォルダ（省略時は一時フォルダ、終わったら消します）。", valueName: "DIR"))
    var work: String?

    @Flag(name: .long, help: "Python の参照を測りません。")
    var noPython = false

    @Option(name: .long, help: ArgumentHelp("結果を JSON でも書き出すファイル。", valueName: "FILE"))
    var json: String?

    @Option(name: .customLong("postgres-socket-dir"), help: ArgumentHelp("PostgreSQL のソケットのフォルダ（PostgreSQL の行を測ります。省略時は MADOGUCHI_TEST_PG_SOCKET_DIR）。", valueName: "DIR"))
    var postgresSocketDir: String?

    @Option(name: .customLong("postgres-port"), help: "PostgreSQL のポート（省略時は MADOGUCHI_TEST_PG_PORT、なければ 5432）。")
    var postgresPort: Int?

    @Option(name: .customLong("postgres-database"), help: "PostgreSQL のデータベース名（省略時は MADOGUCHI_TEST_PG_DATABASE、なければ madoguchi）。")
    var postgresDatabase: String?

    /// The cluster for the PostgreSQL rows: the options, else `.ci/postgres.sh`'s env; nil: none.
    /// A port or database without a socket folder (option or MADOGUCHI_TEST_PG_SOCKET_DIR) is refused,
    /// not silently dropped.
    func postgres(_ env: [String: String]) throws -> PostgresBenchTarget? {
        let fromEnv = PostgresBenchTarget.fromEnvironment(env)
        guard let dir = postgresSocketDir ?? fromEnv?.socketDirectory else {
            let given = [postgresPort.map { _ in "--postgres-port" }, postgresDatabase.map { _ in "--postgres-database" }].compactMap { $0 }
            guard given.isEmpty else {
                throw ValidationError("\(given.joined(separator: "・")) はソケットのフォルダ（--postgres-socket-dir か MADOGUCHI_TEST_PG_SOCKET_DIR）と一緒に指定してください")
            }
            return nil
        }
        return PostgresBenchTarget(socketDirectory: dir, port: postgresPort ?? fromEnv?.port ?? 5432,
                                   database: postgresDatabase ?? fromEnv?.database ?? "madoguchi")
    }

    func run() throws {
        do {
            let sizes = self.sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("--sizes は 1,4,16,64 のように書いてください") }
            guard runs > 0, appends > 0, settleMs > 0 else { throw ValidationError("--runs・--appends・--settle-ms は1以上にしてください") }
            if let dir = postgresSocketDir, !dir.hasPrefix("/") {
                throw ValidationError("--postgres-socket-dir は / から始まる絶対パスで書いてください（\(dir)）")
            }
            let postgres = try postgres(ProcessInfo.processInfo.environment)
            let layout = ProjectLayout.locate()
            guard let screens = layout?.root.appendingPathComponent("screens") else {
                throw BenchToolError("プロジェクトのフォルダ（screens/ と config/）が見つかりません。プロジェクトのフォルダで実行してください。")
            }
            let executable = try siblingDeskExecutable()
            var runner = BenchRunner(options: .init(
                sizes: sizes, tiny: tiny, seed: seed, runs: runs, appends: appends, work: work.map { URL(fileURLWithPath: $0) },
                python: !noPython, json: json.map { URL(fileURLWithPath: $0) }, settle: Double(settleMs) / 1000,
                executable: executable, projectRoot: layout?.root, screens: screens, postgres: postgres))
            print(try runner.run())
        } catch let e as ValidationError {
            throw e   // the parser writes it with the usage
        } catch let e as BenchToolError {
            throw refusal(e.description)
        } catch let e as JournalError {
            throw refusal(UserFacing.message(for: e))
        } catch {
            // PseudoTerminalDesk.Failure (a SetupError) and anything else that stops a run.
            throw refusal("ベンチマークが止まりました：\(UserFacing.message(for: error))")
        }
    }
}
