// The libFuzzer entry point for the fuzz targets of issue 6 (see FuzzTarget).
//
// Built by `.ci/fuzz.sh` with
//   swift build --scratch-path .build-fuzz -c debug --product MadoguchiFuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
// and run as `MADOGUCHI_FUZZ_TARGET=journal .build-fuzz/debug/MadoguchiFuzz CORPUS_DIR -max_total_time=60`.
//
// Without -DFUZZING (the normal `swift build`) this is a small program that runs the same targets
// with the coverage-blind mutator of MadoguchiFuzzTargets, so the product always links.
import Foundation
import MadoguchiFuzzTargets

#if FUZZING

private let selectedTarget: FuzzTarget = {
    guard let t = FuzzTarget.fromEnvironment() else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("MADOGUCHI_FUZZ_TARGET must name a target: \(names)\n".utf8))
        exit(2)
    }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    selectedTarget.run(bytes)
    return 0
}

/// libFuzzer's driver (compiler-rt, LLVM ≥ 11): `int LLVMFuzzerRunDriver(int *argc, char ***argv,
/// int (*cb)(const uint8_t *, size_t))`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable target with `--defsym main=<module>_main`, which hides libFuzzer's own
/// `main`; this is that entry point, handing the command line to libFuzzer's driver.
@_cdecl("MadoguchiFuzz_main")
public func madoguchiFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    _ = selectedTarget   // an unknown target stops before fuzzing, saying which exist
    return LLVMFuzzerRunDriver(&c, &v) { data, size in fuzzOneInput(data, size) }
}

#else

@main
struct MadoguchiFuzzMain {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            print("""
            MadoguchiFuzz: the fuzz targets of issue 6 (\(names)).
            With libFuzzer (coverage-guided, AddressSanitizer):  .ci/fuzz.sh [TARGET|all] [SECONDS]
              (builds with -sanitize=fuzzer,address -parse-as-library -DFUZZING into .build-fuzz)
            Without (this build): MadoguchiFuzz TARGET [ITERATIONS] [SEED] [CORPUS_DIR]
              runs the coverage-blind mutator from the corpus (default Tests/RobustnessTests/FuzzCorpus/TARGET).
            """)
            exit(args.isEmpty ? 0 : 64)
        }
        let iterations = args.count > 1 ? Int(args[1]) ?? 10_000 : 10_000
        let seed = args.count > 2 ? UInt64(args[2]) ?? 1 : 1
        let dir = args.count > 3 ? URL(fileURLWithPath: args[3])
            : FuzzPaths.repoRoot.appendingPathComponent("Tests/RobustnessTests/FuzzCorpus/\(target.rawValue)")
        let files = (try? FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)) ?? []
        let seeds = files.sorted { $0.path < $1.path }.compactMap { try? Data(contentsOf: $0) }.map { [UInt8]($0) }
        let start = Date()
        for s in seeds { target.run(s) }
        // MADOGUCHI_FUZZ_LAST=FILE: each input is written there before it runs, so a crash leaves it behind.
        let last = ProcessInfo.processInfo.environment["MADOGUCHI_FUZZ_LAST"].map { URL(fileURLWithPath: $0) }
        Mutator.run(target, seeds: seeds, iterations: iterations, seed: seed,
                    before: last.map { url in { try? Data($0).write(to: url) } })
        let t = Date().timeIntervalSince(start)
        print("\(target.rawValue): \(seeds.count) seeds + \(iterations) mutated inputs in \(String(format: "%.1f", t)) s, no crash (seed \(seed))")
    }
}

#endif
