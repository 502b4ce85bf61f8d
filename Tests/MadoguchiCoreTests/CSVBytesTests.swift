import Foundation
import Testing
import MadoguchiBench
@testable import MadoguchiCore

/// Issue 14 (P3): server files are decoded and read as CSV on bytes. The records (fields, trimming,
/// the line each starts on) are exactly what CSV.swift's reader gave on the decoded text, and the
/// decoding refuses and warns exactly as before, naming the same line.
@Suite("CSV and CP932 on bytes (issue 14)", .tags(.unit))
struct CSVBytesTests {
    static func same(_ text: String, _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        let fast = CSVRecords.read(text)
        let old = CSVRecords.readWithCSVSwift(text)
        #expect(fast.map(\.fields) == old.map(\.fields), "\(what): \(text.debugDescription)", sourceLocation: sourceLocation)
        #expect(fast.map(\.line) == old.map(\.line), "\(what): \(text.debugDescription)", sourceLocation: sourceLocation)
    }

    @Test("Quoted fields with commas, line breaks and doubled quotes; CRLF, LF, CR; empty lines and fields")
    func sameRecordsAsCSVSwift() {
        let samples: [(String, String)] = [
            ("a,b,c\r\n1,2,3\r\n", "CRLF"),
            ("a,b,c\n1,2,3\n", "LF"),
            ("a,b\r1,2\r", "CR alone"),
            ("a,b\r\n1,2", "no line end at the end"),
            ("a,b\n\n\n1,2\n\n", "empty lines inside and at the end"),
            ("\n", "one empty line"),
            ("", "nothing"),
            ("a,", "a comma at the very end"),
            ("a,,b,\n,\n", "empty fields"),
            ("\"x,y\",z\n", "a quoted comma"),
            ("\"line1\nline2\",b\nnext,row\n", "a quoted LF: the next record starts two lines down"),
            ("\"line1\r\nline2\r\nline3\",b\r\nnext,row\r\n", "quoted CRLFs"),
            ("\"a\rb\",c\r\nd,e\n", "a quoted CR"),
            ("\"say \"\"hi\"\"\",b\n", "doubled quotes"),
            ("\"\"\"\",\"\"\n", "a field of one quote, an empty quoted field"),
            ("\"ab\"cd\",e\nf,g\n", "text after a closing quote (CSV.swift drops one character)"),
            ("\"ab\"日本\",e\n", "a multi-byte character after a closing quote"),
            ("\"unterminated,\nstill\n", "a quote never closed"),
            ("\"", "a lone quote"),
            ("\"a\"\r", "a quoted field then CR at the end"),
            ("\"a\"\rb,c\n", "a quoted field then CR alone"),
            ("ab\"c,d\n", "a quote inside an unquoted field"),
            ("  12130019 , 1234567890123456\t\n", "spaces and tabs trimmed"),
            ("\u{3000}全角\u{3000}, \u{3000} \n", "ideographic spaces trimmed"),
            ("\" quoted \",\"\u{3000}x\u{3000}\"\n", "quoted fields trimmed too"),
            ("保険者番号,被保険者枝番,備考\r\n12130019,1234567890123456,\"髙﨑、①\"\r\n", "Japanese"),
            ("a\u{3000}b,c\n", "an ideographic space inside is kept"),
            ("x,\"\n\n\",y\nz\n", "a quoted field of two line breaks"),
        ]
        for (text, what) in samples { Self.same(text, what) }
    }

    @Test("Random CSV-ish text: every prefix of a mix of the special bytes reads the same")
    func randomSamePrefixes() {
        var g = SystemRandomNumberGenerator()
        let pieces = ["a", "12", ",", "\"", "\"\"", "\n", "\r", "\r\n", " ", "\t", "\u{3000}", "日本", "①"]
        for _ in 0..<400 {
            let text = (0..<Int.random(in: 0...24, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
            Self.same(text, "random")
        }
    }

    @Test("The synthetic monthly status file (CP932, header, CRLF) reads to the same records")
    func statusFileSameRecords() throws {
        let dir = FastLoadTests.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try SyntheticOffice.generate(into: dir, size: FastLoadTests.small)
        let data = try Data(contentsOf: out.statusFile)
        let text = try TextDecoding.decode(data, expected: .cp932).text
        Self.same(text, "status file")
        #expect(try StatusFile.recordCount(data, config: .default) == CSVRecords.readWithCSVSwift(text).count)
    }

    static func sjis(_ s: String) -> [UInt8] { Array(s.data(using: .shiftJIS)!) }

    @Test("CP932 to UTF-8 bytes: the text Foundation gives; a bad byte named by its line; 外字 warned with its line")
    func cp932Bytes() throws {
        let good = Self.sjis("保険者番号,被保険者枝番\r\n12130019,1234567890123456\r\n～－￥,①㈱髙﨑\r\n")
        let utf8 = good.withUnsafeBytes { CP932Lines.decodeUTF8($0) }
        #expect(utf8.map { String(decoding: $0, as: UTF8.self) } == String(data: Data(good), encoding: .shiftJIS))
        // A byte no CP932 text has, on line 3 (the header is line 1).
        let bad = Self.sjis("保険者番号,被保険者枝番\r\n12130019,1234567890123456\r\n") + [0x31, 0x2C, 0x82, 0xFF, 0x0D, 0x0A]
        #expect(bad.withUnsafeBytes { CP932Lines.decodeUTF8($0) } == nil)
        #expect(throws: FileProblem(row: 3, message: "CP932（Shift_JIS）として読めないバイトがあります。文字コードが違うか、ファイルが壊れています")) {
            try StatusFile.parse(Data(bad), config: .default)
        }
        // 外字 (0xF040, the user-defined area) on line 2: the warning names line 2, as before.
        let gaiji = Self.sjis("保険者番号\r\n") + [0xF0, 0x40, 0x0D, 0x0A]
        let (_, warnings) = try TextDecoding.decode(Data(gaiji), expected: .cp932)
        #expect(warnings == ["2行目などに外字（CP932 の利用者定義文字）があります。正しく表示されないことがあります"])
        #expect(TextDecoding.privateUseWarning(utf8: UnsafeRawBufferPointer(start: nil, count: 0)).isEmpty)
        // Characters next to the private use area are not 外字: U+DFFF is not text, U+F900 (豈) is not PUA.
        let notPUA = Array("a\n\u{F900}\u{F8FF}".utf8)
        #expect(notPUA.withUnsafeBytes { TextDecoding.privateUseWarning(utf8: $0) }.first?.hasPrefix("2行目") == true)
        #expect(Array("\u{F900}\u{FF5E}".utf8).withUnsafeBytes { TextDecoding.privateUseWarning(utf8: $0) }.isEmpty)
    }

    @Test("A UTF-8 file with a BOM reads from after the BOM; an empty last line and CR line ends are warned as before")
    func bomAndLineEnds() throws {
        var config = InterchangeConfig.default
        config.encoding = .utf8
        let header = "保険者番号,被保険者証記号,被保険者証番号,被保険者証枝番,被保険者枝番,初回登録状態,初回登録日,初回登録解除日,初回登録解除区分,電子証明書有効期限"
        let body = header + "\n12130019,,0001234,,1234567890123456,1,20240105,,,20291231\n\n"
        let parsed = try StatusFile.parse(Data([0xEF, 0xBB, 0xBF] + Array(body.utf8)), config: config)
        #expect(parsed.rows.map(\.row) == [2])
        #expect(parsed.rows.first?.insurerNumber == "12130019")
        #expect(parsed.warnings == ["改行が LF です（設定は CRLF）。読み込みは続けます"])
        // A bad row's problem names its line after a quoted field that spans two lines.
        let spanning = header + "\r\n"
            + "12130019,\"a\r\nb\",0001234,,1234567890123456,1,20240105,,,20291231\r\n12130019,,987654,01,2345678901234567,2,20240105,,,20291231\r\n"
        let p = try StatusFile.parse(Data(Self.sjis(spanning)), config: .default)
        #expect(p.rows.map(\.row) == [2])
        #expect(p.problems.map(\.description) == ["4行目 6列（初回登録状態）: 0（利用登録なし）か 1（登録あり）のはずですが「2」です（R-FL-2）"])
    }
}
