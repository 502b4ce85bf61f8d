import Foundation
import Testing
@testable import MadoguchiCore

/// The printable A4 PDF (paps + ghostscript + fonts-ipafont-gothic), checked by turning it into a
/// PNG with pdftoppm (poppler-utils). In CI (CI=true) missing tools fail the test; elsewhere the
/// test is skipped with a note saying what to install.
private let noticePDFToolsReady: Bool =
    NoticePDF.unavailable() == nil && NoticePDF.executable("pdftoppm", environment: ProcessInfo.processInfo.environment) != nil
private let noticeInCI = ProcessInfo.processInfo.environment["CI"] == "true"

struct NoticePDFTests {
    @Test("a notice's PDF is A4, not empty, and its first page as PNG is not blank",
          .enabled(if: noticePDFToolsReady || noticeInCI,
                   "PDF の道具がないので飛ばします：apt-get install paps ghostscript fonts-ipafont-gothic poppler-utils（CI では失敗にします）"))
    func pdfRendersInk() throws {
        if let problem = NoticePDF.unavailable() {
            Issue.record("CI: \(problem)")
            return
        }
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
