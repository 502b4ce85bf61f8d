import Foundation

/// A printable A4 PDF of a notice's (or a list's) text, with a real text layer: searchable,
/// copyable and read by a screen reader. Made with Debian's tools: `pango-view` (pango1.0-tools;
/// Pango lays the text out, cairo writes the PDF and embeds the IPA Gothic font from
/// fonts-ipafont-gothic with a ToUnicode map), one page at a time, and `pdfunite` (poppler-utils)
/// when there are several pages. The layout is the one paps gave before: IPA Gothic 10.5 pt (a
/// fixed-width font, so the notices' space-aligned columns stay aligned), 56 pt (about 20 mm)
/// margins, one text line per 10.5 pt.
public enum NoticePDF {
    /// The font Pango asks fontconfig for (fonts-ipafont-gothic).
    public static let fontFamily = "IPAGothic"
    /// Everything a PDF needs, as Debian packages.
    public static let packages = ["pango1.0-tools", "poppler-utils", "fonts-ipafont-gothic"]

    /// A4 in points, the margins and the font size.
    public struct Layout: Sendable, Equatable {
        public var fontSize: Double
        public var pageWidth = 595
        public var pageHeight = 842
        public var margin = 56

        public init(fontSize: Double) { self.fontSize = fontSize }

        /// The notices: IPA Gothic 10.5 pt, 69 lines a page.
        public static let notice = Layout(fontSize: 10.5)
        /// Lists (the pending list): 9 pt, so a row of about 100 half-width columns fits.
        public static let list = Layout(fontSize: 9)

        var textWidth: Int { pageWidth - 2 * margin }
        var textHeight: Int { pageHeight - 2 * margin }
        /// IPA Gothic's line is exactly its size (ascent + descent = 1 em).
        public var linesPerPage: Int { Int(Double(textHeight) / fontSize) }
        /// Half-width columns on a line (a full-width character takes two).
        public var columns: Int { Int(Double(textWidth) / (fontSize / 2)) }
    }

    public enum Problem: Error, CustomStringConvertible, Equatable {
        /// A tool or the font is not installed: the message says exactly what to install.
        case missing(packages: [String])
        /// A tool ran and failed.
        case failed(tool: String, status: Int32, message: String)

        public var description: String {
            switch self {
            case .missing(let p):
                return "PDF を作るには pango1.0-tools と poppler-utils と fonts-ipafont-gothic が必要です（ないもの：\(p.joined(separator: "、"))）：apt-get install \(NoticePDF.packages.joined(separator: " "))"
            case let .failed(tool, status, message):
                return "PDF を作れませんでした（\(tool) が終了コード \(status) で止まりました）\(message.isEmpty ? "" : "：" + message)"
            }
        }
    }

    struct Tools {
        let pangoView: URL
        let pdfunite: URL
    }

    /// Finds the tools and the font, or says which packages are missing.
    static func tools(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<Tools, Problem> {
        let pangoView = executable("pango-view", environment: environment)
        let pdfunite = executable("pdfunite", environment: environment)
        var missing: [String] = []
        if pangoView == nil { missing.append("pango1.0-tools") }
        if pdfunite == nil { missing.append("poppler-utils") }
        if !fontInstalled(environment: environment) { missing.append("fonts-ipafont-gothic") }
        guard missing.isEmpty, let pangoView, let pdfunite else { return .failure(.missing(packages: missing)) }
        return .success(Tools(pangoView: pangoView, pdfunite: pdfunite))
    }

    /// Nil when a PDF can be made; else why not (what to install).
    public static func unavailable(environment: [String: String] = ProcessInfo.processInfo.environment) -> Problem? {
        if case .failure(let p) = tools(environment: environment) { return p }
        return nil
    }

    /// The text's lines split into pages. A line wider than the page wraps; its width is counted
    /// generously (every character outside ASCII as full width), so a page never overflows. When a
    /// training notice (banner first and last) needs more than one page, every page carries the
    /// banner at its top and its bottom.
    static func pages(of text: String, layout: Layout) -> [String] {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let banner = NoticeRenderer.trainingBanner
        let training = lines.count >= 2 && lines.first == banner && lines.last == banner
        func height(_ line: String) -> Int {
            let cols = line.unicodeScalars.reduce(0) { $0 + ($1.isASCII ? 1 : 2) }
            return max(1, (cols + layout.columns - 1) / layout.columns)
        }
        let total = lines.reduce(0) { $0 + height($1) }
        guard total > layout.linesPerPage else { return [lines.joined(separator: "\n") + "\n"] }
        var body = lines
        var room = layout.linesPerPage
        if training {
            body = Array(lines.dropFirst().dropLast())
            room -= 2 * height(banner)
        }
        var pages: [[String]] = [[]]
        var used = 0
        for line in body {
            let h = height(line)
            if used + h > room && !pages[pages.count - 1].isEmpty {
                pages.append([])
                used = 0
            }
            pages[pages.count - 1].append(line)
            used += h
        }
        return pages.map { page in
            (training ? [banner] + page + [banner] : page).joined(separator: "\n") + "\n"
        }
    }

    /// The PDF's bytes for a notice's text.
    public static func make(text: String, layout: Layout = .notice,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Data {
        let t = try tools(environment: environment).get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("madoguchi-notice-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: dir) }
        var pagePDFs: [URL] = []
        for (i, page) in pages(of: text, layout: layout).enumerated() {
            let txt = dir.appendingPathComponent("page-\(i + 1).txt")
            let pdf = dir.appendingPathComponent("page-\(i + 1).pdf")
            try Data(page.utf8).write(to: txt)
            // --dpi=72: a pixel is a point, so the margin and the page are in points. --height makes
            // the page A4 tall (the text above never reaches it: pages() counts the lines).
            try run(t.pangoView, ["--no-display", "--backend=cairo", "--dpi=72", "--font=\(fontFamily) \(layout.fontSize)",
                                  "--language=ja", "--wrap=char", "--margin=\(layout.margin)",
                                  "--width=\(layout.textWidth)", "--height=\(layout.textHeight)",
                                  "--output=\(pdf.path)", txt.path],
                    stdout: nil, in: dir, environment: environment)
            pagePDFs.append(pdf)
        }
        var result = pagePDFs[0]
        if pagePDFs.count > 1 {
            result = dir.appendingPathComponent("all.pdf")
            try run(t.pdfunite, pagePDFs.map(\.path) + [result.path], stdout: nil, in: dir, environment: environment)
        }
        guard let data = FileManager.default.contents(atPath: result.path), data.starts(with: Array("%PDF".utf8)) else {
            throw Problem.failed(tool: "pango-view", status: 0, message: "PDF ができていません")
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

    /// fontconfig knows IPA Gothic (fonts-ipafont-gothic); Pango would otherwise fall back to a font
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
            throw Problem.failed(tool: tool.lastPathComponent, status: -1, message: UserFacing.detail(for: error))
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
