import Foundation

/// Where config/ and screens/ are: MADOGUCHI_HOME, the current folder or a parent, or the
/// executable's (a fresh clone's `swift run` works from anywhere inside it). Used only by the
/// two executables, which share no other library; the domain's own code is given its folders by
/// the config and never calls this.
public struct ProjectLayout: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public static func locate() -> ProjectLayout? {
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let env = ProcessInfo.processInfo.environment["MADOGUCHI_HOME"], !env.isEmpty { starts.insert(URL(fileURLWithPath: env), at: 0) }
        starts.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        for start in starts {
            var dir = start.standardizedFileURL
            for _ in 0..<8 {
                let fm = FileManager.default
                if fm.fileExists(atPath: dir.appendingPathComponent("config").path),
                   fm.fileExists(atPath: dir.appendingPathComponent("screens").path) {
                    return ProjectLayout(root: dir)
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// The bundled training office (the demo office), for `--training`.
    public var trainingConfig: URL? {
        let demo = root.appendingPathComponent("config/demo/office.toml")
        return FileManager.default.fileExists(atPath: demo.path) ? demo : nil
    }

    /// `config/office.toml` (a real office) if present, else the bundled demo office.
    public var defaultConfig: URL? {
        let real = root.appendingPathComponent("config/office.toml")
        if FileManager.default.fileExists(atPath: real.path) { return real }
        let demo = root.appendingPathComponent("config/demo/office.toml")
        return FileManager.default.fileExists(atPath: demo.path) ? demo : nil
    }
}
