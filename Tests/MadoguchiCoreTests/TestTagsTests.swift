import Foundation
import Testing

/// The four kinds of test (issue 16 item 6), and the check that keeps them honest.
///
///   unit   — in-process, no built binary; every test target but EndToEndTests. The fast loop.
///   e2e    — the built `madoguchi` in a process or in tmux; the target EndToEndTests.
///   stress — crash injection, concurrent writers, random keys, measurements: "Stress" or
///            "Measurement" in the suite's type name.
///   fuzz   — fuzz corpus replay and seeds: "Fuzz" in the suite's type name.
///
/// Each suite (and each free `@Test`) carries exactly one of them as a Swift Testing tag. Swift 6.3.1's
/// `swift test` cannot select by tag yet (`--filter tag:unit` is ST-0025, in later toolchains), so the
/// suite's target and type name must say the same as its tag: then `swift test --skip
/// 'EndToEndTests|Stress|Measurement|Fuzz'` runs exactly the unit tests, and so on (README, "Tests").
/// This suite reads every test source and fails when a tag is missing, doubled, or disagrees with
/// what `--skip` sees.
@Suite("Test tags: every suite is unit, e2e, stress or fuzz, and its target and name say the same", .tags(.unit))
struct TestTagsTests {
    enum Kind: String, CaseIterable { case unit, e2e, stress, fuzz }

    /// What `swift test --filter/--skip` matches: the module and the suite's (or free test's) name.
    static func kindSeenBySkip(module: String, name: String) -> Kind {
        if name.contains("Fuzz") { return .fuzz }
        if name.contains("Stress") || name.contains("Measurement") { return .stress }
        return module == "EndToEnd" ? .e2e : .unit
    }

    struct Finding: CustomStringConvertible {
        var place: String
        var name: String
        var kinds: [Kind]
        var description: String { "\(place) \(name) \(kinds.map(\.rawValue))" }
    }

    /// The suites and free tests of one source file, with the kinds their tags name; and the
    /// top-level types that hold tests without a `@Suite` (so no tag).
    static func scan(module: String, file: String, text: String) -> (found: [Finding], untagged: [String]) {
        let lines = text.components(separatedBy: "\n")
        let declaration = #/^(\s*)(?:(?:public|private|fileprivate|internal|final)\s+)*(struct|class|enum|actor|extension)\s+(\w+)/#
        var found: [Finding] = [], untagged: [String] = []
        func kinds(_ attribute: Substring) -> [Kind] {
            guard let tags = attribute.firstMatch(of: #/\.tags\(([^)]*)\)/#) else { return [] }
            return tags.1.matches(of: #/\.(\w+)/#).compactMap { Kind(rawValue: String($0.1)) }
        }
        var inStringLiteral = false  // lines of a multi-line string (a test's own sample text) are not code
        for (i, line) in lines.enumerated() {
            if line.components(separatedBy: "\"\"\"").count % 2 == 0 { inStringLiteral.toggle(); continue }
            if inStringLiteral { continue }
            let place = "\(module)/\(file):\(i + 1)"
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("@Suite") {
                let name = lines[(i + 1)..<min(i + 6, lines.count)].lazy.compactMap { $0.firstMatch(of: declaration) }.first.map { String($0.3) } ?? "?"
                found.append(Finding(place: place, name: name, kinds: kinds(trimmed)))
            } else if line.hasPrefix("@Test") {
                let name = line.firstMatch(of: #/func\s+(\w+)/#).map { String($0.1) } ?? "?"
                found.append(Finding(place: place, name: name, kinds: kinds(Substring(line))))
            } else if let d = line.firstMatch(of: declaration), d.1.isEmpty, d.2 != "extension",
                      !(i > 0 && lines[i - 1].drop(while: { $0 == " " }).hasPrefix("@Suite")) {
                let body = lines[(i + 1)...].prefix { !($0.firstMatch(of: declaration)?.1.isEmpty ?? false) }
                if body.contains(where: { $0.drop(while: { $0 == " " }).hasPrefix("@Test") }) { untagged.append("\(place) \(d.3)") }
            }
        }
        return (found, untagged)
    }

    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static func scanAll() throws -> (found: [(module: String, Finding)], untagged: [String]) {
        var found: [(String, Finding)] = [], untagged: [String] = []
        let fm = FileManager.default
        for module in try fm.contentsOfDirectory(atPath: testsFolder.path).sorted() {
            let dir = testsFolder.appendingPathComponent(module)
            guard let files = fm.enumerator(atPath: dir.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                let r = scan(module: module, file: file, text: text)
                found += r.found.map { (module, $0) }
                untagged += r.untagged
            }
        }
        return (found, untagged)
    }

    @Test func everySuiteCarriesExactlyOneKindAndItsPlaceAndNameAgree() throws {
        let (found, untagged) = try Self.scanAll()
        #expect(untagged.isEmpty, "types with tests but no @Suite (so no tag): \(untagged)")
        let notOne = found.filter { $0.1.kinds.count != 1 }.map(\.1)
        #expect(notOne.isEmpty, "suites without exactly one of unit/e2e/stress/fuzz: \(notOne)")
        let disagree = found.filter { $0.1.kinds.count == 1 && $0.1.kinds[0] != Self.kindSeenBySkip(module: $0.0, name: $0.1.name) }.map(\.1)
        #expect(disagree.isEmpty, "tag and target/name disagree, so `swift test --skip` would select them wrongly: \(disagree)")
    }

    @Test func theScanSeesEveryTargetAndEveryKind() throws {
        let (found, _) = try Self.scanAll()
        #expect(Set(found.map(\.0)) == ["EndToEnd", "MadoguchiCoreTests", "MadoguchiRuntimeTests", "MadoguchiStoreTests",
                                        "MadoguchiUITests", "RobustnessTests"])
        #expect(Set(found.flatMap(\.1.kinds)) == Set(Kind.allCases))
        #expect(found.count > 150)
        #expect(found.contains { $0.1.name == "CrashInjectionStressTests" && $0.1.kinds == [.stress] })
    }

    @Test func aSuiteWithoutAKindOrWithTheWrongOneIsCaught() {
        let text = """
        @Suite("no tag")
        struct A {
            @Test func a() {}
        }
        @Suite("two", .tags(.unit, .e2e), .serialized)
        struct B {}
        struct C {
            @Test func c() {}
        }
        @Test(.tags(.unit)) func freeStanding() {}
        """
        let r = Self.scan(module: "EndToEnd", file: "X.swift", text: text)
        #expect(r.found.map(\.name) == ["A", "B", "freeStanding"])
        #expect(r.found.map(\.kinds) == [[], [.unit, .e2e], [.unit]])
        #expect(r.untagged == ["EndToEnd/X.swift:7 C"])
        // In EndToEndTests a "unit" tag disagrees with what `--skip EndToEndTests` sees.
        #expect(Self.kindSeenBySkip(module: "EndToEnd", name: "freeStanding") == .e2e)
        #expect(Self.kindSeenBySkip(module: "MadoguchiCoreTests", name: "KeyCostMeasurement") == .stress)
    }
}
