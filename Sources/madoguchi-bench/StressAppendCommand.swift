import ArgumentParser
import Foundation
import MadoguchiCore

/// `madoguchi-bench stress-append`: the real writer for the crash-injection and multi-process tests
/// (issue 6). Loads the journal as every command does (a torn last line is set aside and reported),
/// then appends `--events` events one at a time through `Journal.append(knownCount:)` — the path the
/// CaseStore uses — and after each append returns (write + fsync, then the anchor) prints
///
///     ack <seq> <hash> <writer> <i>
///
/// with one write(2) to stdout (unbuffered, so a SIGKILL right after loses nothing printed). First
/// lines: `torn <line> <bytes> <saved-to>` if a torn tail was set aside, then `loaded <count>`; last:
/// `done`. Not for offices: events are of type `test.append` with case `-`.
struct StressAppend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-append",
        abstract: "（試験用）記録に試験用のイベントを書き込みます。"
    )

    @Option(name: .long, help: "記録（ジャーナル）のファイル。")
    var journal: String

    @Option(name: .long, help: "書き込むイベントの数。")
    var events: Int

    @Option(name: .long, help: "書き手の名前（operator 欄）。")
    var writer: String = "stress"

    @Option(name: .long, help: "各イベントに付ける埋め草のバイト数。")
    var pad: Int = 0

    @Option(name: .long, help: "1回の書き込みのバイト数（0 は分けない）。")
    var splitWrites: Int = 0

    func run() throws {
        let url = URL(fileURLWithPath: journal)
        let j = splitWrites > 0 ? Journal(url: url, writes: PiecewiseWrites(piece: splitWrites)) : Journal(url: url)
        let loaded: JournalLoad
        do {
            loaded = try j.load()
        } catch {
            say("error \(error)")
            throw ExitCode(2)
        }
        if let t = loaded.tornTail { say("torn \(t.lineNumber) \(t.byteCount) \(t.savedTo.path)") }
        var known = loaded.records.count
        say("loaded \(known)")
        let padding = String(repeating: "x", count: max(0, pad))
        for i in 0..<events {
            let draft = EventDraft(caseNumber: "-", type: "test.append",
                                   data: .object(["writer": .string(writer), "i": .number(Double(i)), "pad": .string(padding)]),
                                   operatorID: writer, time: Date())
            do {
                let r = try j.append(knownCount: known) { _ in [draft] }
                known += r.fromOthers.count + r.appended.count
                for a in r.appended { say("ack \(a.seq) \(a.hash) \(writer) \(i)") }
            } catch {
                say("error \(error)")
                throw ExitCode(2)
            }
        }
        say("done")
    }

    private func say(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + done, $0.count - done) }
            if n < 0 { if errno == EINTR { continue }; return }
            done += n
        }
    }
}

/// `--split-writes`: the journal's bytes in pieces of `piece` bytes with a pause between them, so
/// that a SIGKILL lands in the middle of a line often enough to exercise torn-tail recovery.
struct PiecewiseWrites: JournalWriteStrategy {
    let piece: Int
    var pauseMicroseconds: UInt32 = 200

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        let n = pwrite(fd, bytes.baseAddress, min(piece, bytes.count), off_t(offset))
        if n > 0, n < bytes.count { usleep(pauseMicroseconds) }   // more to come: pause between pieces
        return n
    }
}
