import Foundation

/// The desk's clock. A real office runs on the system's clock; a training sandbox on a movable one
/// (issue 5): every date rule then behaves as on the simulated day. The time of day stays the real one,
/// so journal times still read naturally.
public struct OfficeClock: Sendable, Hashable {
    /// nil: the system's date.
    public let simulatedDate: LocalDate?

    public static let system = OfficeClock(simulatedDate: nil)

    public init(simulatedDate: LocalDate?) { self.simulatedDate = simulatedDate }

    /// Now: the simulated day at the real time of day (Japan time), or the real instant.
    public func now(_ real: Date = Date()) -> Date {
        guard let d = simulatedDate else { return real }
        let realSeconds = Int(real.timeIntervalSince1970.rounded(.down)) + JapanTime.offsetSeconds
        let secondOfDay = ((realSeconds % 86_400) + 86_400) % 86_400
        return Date(timeIntervalSince1970: TimeInterval(d.dayNumber * 86_400 + secondOfDay - JapanTime.offsetSeconds))
    }

    public func today(_ real: Date = Date()) -> LocalDate { simulatedDate ?? LocalDate(real) }
}

/// 研修用の作業場所 (sandbox): one trainee's journal, clock, exports and the files the simulated
/// 中間サーバー delivers, all inside the training office's data directory and nowhere else (issue 5).
///
/// ```
/// <data>/                      the default sandbox (the demo office's)
///   journal.jsonl, exports/, notices/, reports/
///   inbox/                     受信フォルダ: result files, monthly status files, お知らせ from the simulator
///   training/clock.json        the simulated date
///   sandboxes/<name>/          one more sandbox per trainee (`--sandbox NAME`), same layout
///   resets/<name>-<stamp>/     what a reset moved away (nothing is deleted)
/// ```
public struct TrainingSandbox: Sendable {
    public let name: String
    public let directory: URL

    public static let defaultName = "既定"

    /// `name` nil: the office's data directory itself. A name is a trainee's own sandbox under it.
    public init(office dataDirectory: URL, name: String?) throws {
        if let name, !name.isEmpty {
            guard TrainingSandbox.isValidName(name) else {
                throw TrainingError("作業場所の名前「\(name)」は使えません。半角英数字と - _ で、32文字までにしてください（例 trainee01）")
            }
            self.name = name
            self.directory = dataDirectory.appendingPathComponent("sandboxes").appendingPathComponent(name)
        } else {
            self.name = TrainingSandbox.defaultName
            self.directory = dataDirectory
        }
    }

    public static func isValidName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 32 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    public var journalURL: URL { directory.appendingPathComponent("journal.jsonl") }
    /// 受信フォルダ: what the simulated server delivered.
    public var inbox: URL { directory.appendingPathComponent("inbox") }
    public var clockURL: URL { directory.appendingPathComponent("training").appendingPathComponent("clock.json") }

    // MARK: Clock

    struct ClockFile: Codable {
        var date: LocalDate
        var movedBy: String
        var movedAt: String
    }

    /// The simulated date: as last moved, or the book's first day for a fresh sandbox.
    public func clock(book: ScenarioBook) throws -> OfficeClock {
        guard let data = FileManager.default.contents(atPath: clockURL.path) else {
            return OfficeClock(simulatedDate: book.start)
        }
        guard let f = try? JSONDecoder().decode(ClockFile.self, from: data) else {
            throw TrainingError("研修の日付ファイル \(clockURL.path) が読めません。`madoguchi training reset` で作業場所を初期化してください")
        }
        return OfficeClock(simulatedDate: max(f.date, book.start))
    }

    /// How far the simulated date may go from the book's first day.
    public static let longestTrainingMonths = 36

    /// Moves the simulated date forward. Never back: the journal and the simulated server's files
    /// already happened; a trainer resets the sandbox to start again.
    @discardableResult
    public func moveClock(to date: LocalDate, book: ScenarioBook, operatorID: String, real: Date = Date()) throws -> LocalDate {
        let current = try clock(book: book).today()
        guard date >= current else {
            throw TrainingError("日付は戻せません（研修の今日は \(Wareki.format(current))）。最初からやり直すときは作業場所を初期化します（madoguchi training reset）")
        }
        guard date.dayNumber - current.dayNumber <= 400 else {
            throw TrainingError("一度に進められるのは400日までです（\(Wareki.format(date)) は遠すぎます）")
        }
        // Issue 12 item 7: a training runs for months, not decades; 令和81年 (2099) is no training day.
        let last = book.start.addingMonths(Self.longestTrainingMonths)
        guard date <= last else {
            throw TrainingError("研修の日付は最初の日（\(Wareki.format(book.start))）から\(Self.longestTrainingMonths / 12)年後（\(Wareki.format(last))）までです。\(Wareki.format(date)) には進められません。最初からやり直すときは作業場所を初期化します（madoguchi training reset）")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(ClockFile(date: date, movedBy: operatorID, movedAt: JapanTime.iso8601(real)))
        try PreparedFile.prepare(data, at: clockURL).commitReplacing()
        return date
    }

    // MARK: Reset

    /// Moves everything of the sandbox (journal, clock, exports, inbox, notices) to
    /// `<office data>/resets/<name>-<stamp>/` and returns that folder; the sandbox starts again empty
    /// on the book's first day. Other trainees' sandboxes are not touched.
    public func reset(officeData: URL, real: Date = Date()) throws -> URL? {
        let fm = FileManager.default
        let keep: Set<String> = directory == officeData ? ["sandboxes", "resets", DataDirectoryMark.fileName] : [DataDirectoryMark.fileName]
        guard let items = try? fm.contentsOfDirectory(atPath: directory.path) else { return nil }
        let moving = items.filter { !keep.contains($0) }
        guard !moving.isEmpty else { return nil }
        let stamp = String(JapanTime.iso8601(real).prefix(19).filter(\.isNumber))
        let archive = officeData.appendingPathComponent("resets").appendingPathComponent("\(name)-\(stamp)")
        try fm.createDirectory(at: archive, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for item in moving {
            try fm.moveItem(at: directory.appendingPathComponent(item), to: archive.appendingPathComponent(item))
        }
        return archive
    }

    /// The trainees' sandboxes that exist, by name (the default one first when it has a journal).
    public static func all(officeData: URL) -> [String] {
        var out: [String] = []
        if FileManager.default.fileExists(atPath: officeData.appendingPathComponent("journal.jsonl").path) { out.append(defaultName) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: officeData.appendingPathComponent("sandboxes").path)) ?? []
        return out + names.filter(isValidName).sorted()
    }
}

/// A refused training step, said plainly.
public struct TrainingError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}

/// Real and training data never mix (issue 5): the first time a data directory is used it is marked
/// with the office's mode, and from then on an office of the other mode is refused there. A training
/// office must also keep its export folder inside its own data directory, so nothing it writes can
/// reach a real export folder.
public enum DataDirectoryMark {
    public static let fileName = ".madoguchi-office.json"

    struct Mark: Codable {
        var mode: String
        var office: String
        var publicPayerNumber: String
    }

    /// Checks (and on first use writes) the mark of `directory` for `config`. Creates the directory 0700.
    public static func claim(_ directory: URL, for config: OfficeConfig) throws {
        try claim(directory, for: config, racedOnce: false)
    }

    private static func claim(_ directory: URL, for config: OfficeConfig, racedOnce: Bool) throws {
        let fm = FileManager.default
        let markURL = directory.appendingPathComponent(fileName)
        // A mark that is there but cannot be read (another account's 0600 file): said as such, never
        // taken for a missing one (which would try to write it, fail, and try again for ever).
        let data = fm.contents(atPath: markURL.path)
        if data == nil, fm.fileExists(atPath: markURL.path) {
            let why = access(markURL.path, R_OK) != 0 ? SystemErrorText.japanese(errno) : "ファイルではありません"
            throw TrainingError("データフォルダの目印 \(markURL.path) を読めません（\(why)）。本番か研修か分からないので開きません")
        }
        if let data {
            guard let mark = try? JSONDecoder().decode(Mark.self, from: data) else {
                throw TrainingError("データフォルダの目印 \(markURL.path) が読めません。本番か研修か分からないので開きません")
            }
            if mark.mode != config.mode.rawValue {
                let here = mark.mode == OfficeConfig.Mode.training.rawValue ? "研修用" : "本番用"
                let want = config.isTraining ? "研修" : "本番"
                throw TrainingError("データフォルダ \(directory.path) は\(here)（\(mark.office)）です。\(want)の設定（\(config.source.path)）では開けません。研修と本番のデータは混ぜられません")
            }
        } else {
            // A folder there that this account may not read or write: the folder named, not the mark
            // that could not be made inside it (issue 16 item 3).
            if fm.fileExists(atPath: directory.path), access(directory.path, R_OK | W_OK | X_OK) != 0 {
                throw TrainingError("データフォルダ \(directory.path) を読み書きできません（\(SystemErrorText.japanese(errno))）。このOSアカウントで読み書きできるフォルダにしてください")
            }
            try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(Mark(mode: config.mode.rawValue, office: config.officeName, publicPayerNumber: config.publicPayerNumber))
            let prepared = try PreparedFile.prepare(data, at: markURL)
            do { try prepared.commit() } catch {
                prepared.discard()
                // Another process marked it at the same moment: check theirs (once).
                if !racedOnce, fm.fileExists(atPath: markURL.path) { return try claim(directory, for: config, racedOnce: true) }
                throw error
            }
        }
        if config.isTraining {
            let data = config.dataDirectory.standardizedFileURL.path
            let export = config.exportDirectory.standardizedFileURL.path
            guard export == data || export.hasPrefix(data + "/") else {
                throw TrainingError("研修用の事務所の出力先 \(export) がデータフォルダ \(data) の外です。研修のファイルが本番の出力先に出ないよう、[files] export_directory はデータフォルダの中にしてください")
            }
        }
    }
}
