// swift-tools-version:6.1
// Madoguchi (窓口): the welfare-office desk for cancelling the My Number card registration used for
// medical-assistance online eligibility (医療扶助のオンライン資格確認 — 利用登録解除).
//
// Layers, one way only:  madoguchi (CLI) → MadoguchiRuntime (the desk loop) / MadoguchiTerminal (ncursesw)
//                        → MadoguchiUI (pure) → MadoguchiCore (domain)
//                        madoguchi → MadoguchiPostgres (the journal on PostgreSQL) → MadoguchiCore
// Beside them, for engineers only (never in the clerk's binary):
//                        madoguchi-bench (benchmark, stress writer) → MadoguchiBench → MadoguchiUI / MadoguchiCore
//                                                                      → MadoguchiPostgres (with the trait)
//                        MadoguchiFuzz → MadoguchiFuzzTargets → MadoguchiCore
//
// PostgreSQL (issue 15) is a package trait: `swift build --traits PostgreSQL` (and CI's
// `swift test --traits PostgreSQL`) builds postgres-nio into MadoguchiPostgres; without the trait the
// target compiles to nothing, so a newcomer's first `swift run madoguchi` does not wait for SwiftNIO.
import PackageDescription

let package = Package(
    name: "Madoguchi",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "madoguchi", targets: ["madoguchi"]),
        .executable(name: "madoguchi-bench", targets: ["madoguchi-bench"]),
        .library(name: "MadoguchiCore", targets: ["MadoguchiCore"]),
    ],
    traits: [
        .trait(name: "PostgreSQL", description: "An office's journal on PostgreSQL (postgres-nio): madoguchi db, migrate, pending --city"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // 0.x: pinned exactly (SafeTOML guards this version's toml++ assertions; issue 16 item 7).
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // The domain: rules, cases, journal, config. Never imports the UI or a terminal library.
        .target(
            name: "MadoguchiCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt, to wrap an operator's key with their passphrase (issue 12, R-SG-1).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
                // OrderedDictionary: the case book's cases by number, in the order they were opened.
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // The desk as data: state, messages, update, view into a Canvas. No ncurses.
        .target(name: "MadoguchiUI", dependencies: ["MadoguchiCore"]),
        // ncursesw through a system-library target; only MadoguchiTerminal imports it.
        .systemLibrary(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // The terminal: ncursesw screen, keys, restoring the tty on signals.
        .target(
            name: "MadoguchiTerminal",
            dependencies: ["MadoguchiUI", "CNcursesw"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // The desk's loop: key → update → effects (services, injected clock) → render; tests run it in-process.
        .target(name: "MadoguchiRuntime", dependencies: ["MadoguchiCore", "MadoguchiUI"]),
        // The benchmark (issues 7, 14, 15): synthetic office, desk driven through a pty, Python references, table.
        .target(
            name: "MadoguchiBench",
            dependencies: ["MadoguchiCore", "MadoguchiUI",
                           .target(name: "MadoguchiPostgres", condition: .when(traits: ["PostgreSQL"]))]
        ),
        // The journal on PostgreSQL (issue 15): schema, store, admin logic; all inside `#if PostgreSQL`.
        .target(
            name: "MadoguchiPostgres",
            dependencies: [
                "MadoguchiCore",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
            ]
        ),
        // The clerk's executable: the desk and every office command (swift-argument-parser, messages in Japanese).
        .executableTarget(
            name: "madoguchi",
            dependencies: [
                "MadoguchiCore", "MadoguchiUI", "MadoguchiRuntime", "MadoguchiTerminal",
                .target(name: "MadoguchiPostgres", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // The engineers' executable: `madoguchi-bench [run]` (drives the built madoguchi) and `stress-append`.
        .executableTarget(
            name: "madoguchi-bench",
            dependencies: ["MadoguchiCore", "MadoguchiBench", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Fuzz targets (issue 6): bytes → the real parsers; shared by the libFuzzer binary and the tests.
        .target(
            name: "MadoguchiFuzzTargets",
            dependencies: ["MadoguchiCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // libFuzzer entry with -DFUZZING (.ci/fuzz.sh); otherwise a small coverage-blind runner.
        .executableTarget(name: "MadoguchiFuzz", dependencies: ["MadoguchiFuzzTargets"]),
        .testTarget(name: "MadoguchiCoreTests", dependencies: ["MadoguchiCore", "MadoguchiBench"], exclude: ["Fixtures"]),
        .testTarget(name: "MadoguchiUITests", dependencies: ["MadoguchiUI", "MadoguchiCore", "MadoguchiBench"], exclude: ["Snapshots"]),
        .testTarget(name: "MadoguchiRuntimeTests", dependencies: ["MadoguchiRuntime", "MadoguchiUI", "MadoguchiCore", "MadoguchiBench"]),
        // Issue 6 items 3 and 5: fuzz corpus replay and the bad-input catalogue.
        .testTarget(
            name: "RobustnessTests",
            dependencies: ["MadoguchiCore", "MadoguchiFuzzTargets"],
            exclude: ["FuzzCorpus", "BadInputCatalogue.md"]
        ),
        // The store contract suite on both stores, and the PostgreSQL end-to-end cycle (issue 15).
        .testTarget(name: "MadoguchiStoreTests", dependencies: ["MadoguchiCore", "MadoguchiPostgres", "MadoguchiBench"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MadoguchiCore"],
            path: "Tests/EndToEnd"
        ),
    ]
)
