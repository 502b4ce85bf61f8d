import Foundation
import Testing
@testable import MadoguchiCore

/// The printable A4 PDF (pango-view + fonts-ipafont-gothic, pdfunite), checked by turning it into a
/// PNG with pdftoppm and reading its text layer back with pdftotext (poppler-utils). In CI (CI=true)
/// missing tools fail the test; elsewhere the test is skipped with a note saying what to install.
let noticePDFToolsReady: Bool =
    NoticePDF.unavailable() == nil && NoticePDF.executable("pdftoppm", environment: ProcessInfo.processInfo.environment) != nil
let noticeInCI = ProcessInfo.processInfo.environment["CI"] == "true"
/// Runs where the PDF tools are (and always in CI, where their absence fails the test).
let noticePDFTrait = ConditionTrait.enabled(
    if: noticePDFToolsReady || noticeInCI,
    "PDF の道具がないので飛ばします：apt-get install pango1.0-tools poppler-utils fonts-ipafont-gothic（CI では失敗にします）")

/// False, with the reason recorded as a failure, when the PDF tools are missing (only reached in CI).
func noticePDFToolsPresent() -> Bool {
    guard let problem = NoticePDF.unavailable() else { return true }
    Issue.record("CI: \(problem)")
    return false
}

@Suite(.tags(.unit))
struct NoticePDFTests {
    @Test("a notice's PDF is A4, not empty, and its first page as PNG is not blank", noticePDFTrait)
    func pdfRendersInk() throws {
        guard noticePDFToolsPresent() else { return }
        let env = ProcessInfo.processInfo.environment
        guard let pdftoppm = NoticePDF.executable("pdftoppm", environment: env) else {
            Issue.record("CI: pdftoppm がありません：apt-get install poppler-utils")
            return
        }
        let office = noticeOffice(training: true)
        let (store, n) = try noticeStore(office: office, noticeApplication(.insured))
        let r = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk, renderer: noticeRenderer(),
                                      pdf: true, now: noticeInstant(noticeDate(2026, 11, 24)))
        #expect(r.pdfProblem == nil)
        let pdfPath = try #require(r.pdfFile)
        #expect(pdfPath == r.file.replacingOccurrences(of: ".txt", with: ".pdf"))
        let pdf = try #require(FileManager.default.contents(atPath: pdfPath))
        #expect(pdf.count > 1000)
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        #expect(try FileManager.default.attributesOfItem(atPath: pdfPath)[.posixPermissions] as? Int == 0o600)
        #expect(try NoticeLedger.notices(of: store.book[n]!).last?.pdf == true)

        // pdftoppm -png: the page as a PNG (kept for a person to look at).
        let out = noticeTempDir()
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try NoticePDF.run(pdftoppm, ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdfPath, out.appendingPathComponent("page").path],
                          stdout: nil, in: nil, environment: env)
        let png = try #require(FileManager.default.contents(atPath: out.appendingPathComponent("page.png").path))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // IHDR: width and height, big-endian, at bytes 16…23. A4 is 210 × 297 mm.
        let w = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let h = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(abs(Double(h) / Double(w) - 297.0 / 210.0) < 0.01, "page \(w)×\(h) is not A4")

        // Ink: the same page rasterised by the same renderer as 8-bit grey (PGM, simple to read),
        // counting pixels that are not white.
        try NoticePDF.run(pdftoppm, ["-gray", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdfPath, out.appendingPathComponent("page").path],
                          stdout: nil, in: nil, environment: env)
        let pgm = try #require(FileManager.default.contents(atPath: out.appendingPathComponent("page.pgm").path))
        let (gw, gh, pixels) = try #require(noticeParsePGM(pgm))
        #expect(gw == w && gh == h)
        let ink = pixels.filter { $0 < 200 }.count
        // A page of Japanese text: well over 1% of the page, far from all of it.
        #expect(ink > gw * gh / 100, "only \(ink) dark pixels of \(gw * gh): the page is blank")
        #expect(ink < gw * gh / 2)
        // Text in the upper part of the page (the banner and the heading), not only at the edge.
        let topThird = pixels[0..<(gw * gh / 3)].filter { $0 < 200 }.count
        #expect(topThird > 0)
    }

    @Test("the PDF has a text layer: pdftotext gives back the notice's text, banner and Japanese included, in an embedded IPA Gothic", noticePDFTrait,
          arguments: [true, false])
    func textLayer(training: Bool) throws {
        guard noticePDFToolsPresent() else { return }
        let office = noticeOffice(training: training)
        // Tickets with & < > in a name: the text is text, not markup.
        let (store, n) = try noticeStore(office: office, noticeApplication(.assistanceOnly, proxy: true, tickets: true), tickets: [
            PaperTicket(kind: .medical, institution: "みどり中央病院", month: YearMonth(year: 2026, month: 11)!),
            PaperTicket(kind: .dispensing, institution: "A&B薬局 <駅前店>", month: YearMonth(year: 2026, month: 11)!),
        ])
        let r = try store.issueNotice(.pending, caseNumber: n, office: office, clerk: noticeClerk, renderer: noticeRenderer(),
                                      pdf: true, now: noticeInstant(noticeDate(2026, 11, 24)))
        let pdfPath = try #require(r.pdfFile)
        let text = String(decoding: try #require(FileManager.default.contents(atPath: r.file)), as: UTF8.self)
        let extracted = try Self.pdfText(pdfPath)
        #expect(noticeTextLines(extracted) == noticeTextLines(text))
        #expect(extracted.contains("佐藤"))
        #expect(extracted.contains("A&B薬局 <駅前店>"))
        #expect(extracted.contains("研修モード・実際の通知ではありません") == training)
        if training {
            let lines = noticeTextLines(extracted)
            #expect(lines.first?.contains("研修モード・実際の通知ではありません") == true)
            #expect(lines.last?.contains("研修モード・実際の通知ではありません") == true)
        }
        #expect(try Self.pageCount(pdfPath) == 1)
        // The font is embedded (a subset, named …+IPAGothic), so the page reads the same anywhere.
        let pdf = try #require(FileManager.default.contents(atPath: pdfPath))
        #expect(pdf.range(of: Data("+IPAGothic".utf8)) != nil)
        #expect(pdf.range(of: Data("/FontFile2".utf8)) != nil)
    }

    @Test("a text longer than a page is split into A4 pages; a training text has the banner at the top and bottom of each; nothing is lost", noticePDFTrait)
    func longTextPages() throws {
        guard noticePDFToolsPresent() else { return }
        let banner = NoticeRenderer.trainingBanner
        // 150 numbered lines, one of them wider than the page (it wraps), between the banners.
        var body = (1...150).map { "第\($0)行　申請を受け付けました（案件 2026-\(String(format: "%04d", $0))）" }
        body[70] = String(repeating: "長い行", count: 40)
        let text = ([banner, ""] + body + ["", banner]).joined(separator: "\n") + "\n"
        let pages = NoticePDF.pages(of: text, layout: .notice)
        #expect(pages.count == 3)
        for page in pages {
            let lines = page.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.first.map(String.init) == banner && lines.last.map(String.init) == banner)
        }
        let data = try NoticePDF.make(text: text)
        let url = noticeTempDir().appendingPathExtension("pdf")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        #expect(try Self.pageCount(url.path) == pages.count)
        let extracted = noticeTextLines(try Self.pdfText(url.path))
        // Every character of the body once, in order (the wrapped line comes back as several lines, so
        // compared without line breaks); the banner on every page's top and bottom.
        #expect(extracted.joined().replacingOccurrences(of: noticeTextLines(banner)[0], with: "") == noticeTextLines(body.joined(separator: "\n")).joined())
        #expect(extracted.filter { $0 == noticeTextLines(banner)[0] }.count == 2 * pages.count)
    }
}

extension NoticePDFTests {
    /// The PDF's text as pdftotext reads it in content order (`-raw`).
    static func pdfText(_ path: String) throws -> String {
        let env = ProcessInfo.processInfo.environment
        let pdftotext = try #require(NoticePDF.executable("pdftotext", environment: env), "pdftotext がありません：apt-get install poppler-utils")
        let out = noticeTempDir().appendingPathExtension("txt")
        defer { try? FileManager.default.removeItem(at: out) }
        try NoticePDF.run(pdftotext, ["-raw", "-enc", "UTF-8", path, out.path], stdout: nil, in: nil, environment: env)
        return String(decoding: try #require(FileManager.default.contents(atPath: out.path)), as: UTF8.self)
    }

    static func pageCount(_ path: String) throws -> Int {
        let env = ProcessInfo.processInfo.environment
        let pdfinfo = try #require(NoticePDF.executable("pdfinfo", environment: env))
        let out = noticeTempDir().appendingPathExtension("info")
        defer { try? FileManager.default.removeItem(at: out) }
        try NoticePDF.run(pdfinfo, [path], stdout: out, in: nil, environment: env)
        let info = String(decoding: try #require(FileManager.default.contents(atPath: out.path)), as: UTF8.self)
        let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") })
        return try #require(Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)))
    }
}

/// A text compared line by line with whitespace (ASCII and U+3000, which the PDF has as positions,
/// not characters) taken out, and blank lines dropped: every other character in the same order on
/// the same line.
func noticeTextLines(_ s: String) -> [String] {
    s.components(separatedBy: .newlines).map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
}

/// Binary PGM (P5, 8-bit): width, height and the grey values.
func noticeParsePGM(_ data: Data) -> (Int, Int, [UInt8])? {
    let bytes = [UInt8](data)
    var i = 0
    func token() -> String? {
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "#") { while i < bytes.count && bytes[i] != 0x0A { i += 1 } }
            else if [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
            else { break }
        }
        let start = i
        while i < bytes.count && ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        return start < i ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
    }
    guard token() == "P5", let w = token().flatMap(Int.init), let h = token().flatMap(Int.init),
          let max = token().flatMap(Int.init), max < 256 else { return nil }
    i += 1   // one whitespace after the header
    guard bytes.count - i >= w * h else { return nil }
    return (w, h, Array(bytes[i..<(i + w * h)]))
}
