import Foundation

/// A printable A4 PDF of a notice's text, made with Debian's tools: `paps` (text → PostScript
/// through Pango, with the IPA Gothic font from fonts-ipafont-gothic) and Ghostscript (PostScript →
/// PDF). paps 0.6 writes PostScript only, hence the second step.
public enum NoticePDF {
    /// The font paps asks fontconfig for (fonts-ipafont-gothic).
    public static let font = "IPAGothic 10.5"
    /// Everything a PDF needs, as Debian packages.
    public static let packages = ["paps", "ghostscript", "fonts-ipafont-gothic"]

    public enum Problem: Error, CustomStringConvertible, Equatable {
        /// A tool or the font is not installed: the message says exactly what to install.
        case missing(packages: [String])
        /// A tool ran and failed.
        case failed(tool: String, status: Int32, message: String)

        public var description: String {
            switch self {
            case .missing(let p):
                return "PDF を作るには paps と ghostscript と fonts-ipafont-gothic が必要です（ないもの：\(p.joined(separator: "、"))）：apt-get install \(NoticePDF.packages.joined(separator: " "))"
            case let .failed(tool, status, message):
                return "PDF を作れませんでした（\(tool) が終了コード \(status) で止まりました）\(message.isEmpty ? "" : "：" + message)"
            }
        }
    }

    struct Tools {
        let paps: URL
        let gs: URL
    }

    /// Finds the tools and the font, or says which packages are missing.
    static func tools(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<Tools, Problem> {
        let paps = executable("paps", environment: environment)
        let gs = executable("gs", environment: environment)
        var missing: [String] = []
        if paps == nil { missing.append("paps") }
        if gs == nil { missing.append("ghostscript") }
        if !fontInstalled(environment: environment) { missing.append("fonts-ipafont-gothic") }
        guard missing.isEmpty, let paps, let gs else { return .failure(.missing(packages: missing)) }
        return .success(Tools(paps: paps, gs: gs))
    }

    /// Nil when a PDF can be made; else why not (what to install).
    public static func unavailable(environment: [String: String] = ProcessInfo.processInfo.environment) -> Problem? {
        if case .failure(let p) = tools(environment: environment) { return p }
        return nil
    }

    /// The PDF's bytes for a notice's text.
    public static func make(text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Data {
        let t = try tools(environment: environment).get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-notice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: dir) }
        let txt = dir.appendingPathComponent("notice.txt")
        let ps = dir.appendingPathComponent("notice.ps")
        let pdf = dir.appendingPathComponent("notice.pdf")
        try Data(text.utf8).write(to: txt)
        // Margins in points (1/72 inch): about 20 mm all round.
        try run(t.paps, ["--font=\(font)", "--paper=a4", "--encoding=UTF-8",
                         "--top-margin=56", "--bottom-margin=56", "--left-margin=56", "--right-margin=56", txt.path],
                stdout: ps, in: dir, environment: environment)
        try run(t.gs, ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-sPAPERSIZE=a4", "-dFIXEDMEDIA",
                       "-sOutputFile=\(pdf.path)", ps.path],
                stdout: nil, in: dir, environment: environment)
        guard let data = FileManager.default.contents(atPath: pdf.path), data.starts(with: Array("%PDF".utf8)) else {
            throw Problem.failed(tool: "gs", status: 0, message: "PDF ができていません")
        }
        return data
    }

    static func executable(_ name: String, environment: [String: String]) -> URL? {
        let path = environment["PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// fontconfig knows IPA Gothic (fonts-ipafont-gothic); paps would otherwise fall back to a font
    /// without Japanese glyphs.
    static func fontInstalled(environment: [String: String]) -> Bool {
        guard let fcList = executable("fc-list", environment: environment) else { return false }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-fc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        guard (try? run(fcList, ["IPAGothic", "family"], stdout: out, in: nil, environment: environment)) != nil,
              let data = FileManager.default.contents(atPath: out.path) else { return false }
        return String(decoding: data, as: UTF8.self).contains("IPAGothic")
    }

    /// Runs a tool, stdout to a file (or discarded), stderr kept for the message.
    @discardableResult
    static func run(_ tool: URL, _ arguments: [String], stdout: URL?, in directory: URL?, environment: [String: String]) throws -> Int32 {
        let p = Process()
        p.executableURL = tool
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        var env = environment
        env["LC_ALL"] = "C.UTF-8"
        p.environment = env
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? errHandle.close() }
        p.standardError = errHandle
        p.standardInput = FileHandle.nullDevice
        var outHandle: FileHandle?
        if let stdout {
            _ = FileManager.default.createFile(atPath: stdout.path, contents: nil, attributes: [.posixPermissions: 0o600])
            outHandle = try FileHandle(forWritingTo: stdout)
            p.standardOutput = outHandle
        } else {
            p.standardOutput = FileHandle.nullDevice
        }
        defer { try? outHandle?.close() }
        do {
            try p.run()
        } catch {
            throw Problem.failed(tool: tool.lastPathComponent, status: -1, message: "\(error)")
        }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let msg = String(decoding: FileManager.default.contents(atPath: errURL.path) ?? Data(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw Problem.failed(tool: tool.lastPathComponent, status: p.terminationStatus, message: String(msg.prefix(500)))
        }
        return p.terminationStatus
    }
}
