import Foundation
import MadoguchiCore
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic synthetic office for the benchmark (issue 7) and for tests that need volume: cases
/// in every status with Japanese names and addresses, their events written in the real journal
/// format (`JournalLine.encode`, so the file verifies and folds like one the desk wrote), and monthly
/// status files in the configured layout and encoding.
///
/// The same seed and sizes always give the same bytes.
public enum SyntheticOffice {
    /// How much to generate.
    public struct Size: Sendable, Hashable, CustomStringConvertible {
        public var cases: Int
        /// Journal lines in total (at least about four per case; monthly paper tickets fill the rest).
        public var events: Int
        /// Rows of the big monthly status file.
        public var statusRows: Int

        public init(cases: Int, events: Int, statusRows: Int) {
            self.cases = cases
            self.events = events
            self.statusRows = statusRows
        }

        /// The benchmark's base: 1/16 of 25,000 cases, 200,000 events, 100,000 status rows (16× and 64×
        /// are the issue's round figures: 25,000 and 100,000 cases).
        public static let base = Size(cases: 1_562, events: 12_500, statusRows: 6_250)

        public func scaled(_ k: Int) -> Size {
            switch k {
            case 16: return Size(cases: 25_000, events: 200_000, statusRows: 100_000)
            case 64: return Size(cases: 100_000, events: 800_000, statusRows: 400_000)
            default: return Size(cases: cases * k, events: events * k, statusRows: statusRows * k)
            }
        }

        public var description: String { "\(cases)件・\(events)行・月次\(statusRows)行" }
    }

    /// What was written.
    public struct Output: Sendable {
        public let journal: URL
        /// The big monthly status file (`statusRows` rows) for the import benchmark.
        public let statusFile: URL
        /// Smaller monthly status files already recorded in the journal (one per month).
        public let monthlyFiles: [URL]
        public let lines: Int
        public let cases: Int
        /// Cases per status after the fold.
        public let statusCounts: [CaseStatus: Int]
        /// A case in 登録待ち with a 被保険者枝番, for append benchmarks (server_number_set may repeat).
        public let appendableCase: String
        /// The last supervisor checkpoint of a production office (nil: unsigned).
        public let checkpoint: Checkpoint?
        /// The first generated case in each status.
        public let caseInStatus: [CaseStatus: String]
        /// A small monthly status file (20 rows of the office's cases), not yet imported.
        public let smallStatusFile: URL
    }

    /// A production office on disk (`generateProduction`): its config, keys and data folder.
    public struct ProductionOffice: Sendable {
        /// `<work>/office.toml`, mode production, every operator bound to `account`.
        public let config: URL
        /// `<work>/keys`: one unsealed key file per operator (give it as MADOGUCHI_KEY_DIR).
        public let keys: URL
        /// `<work>/data`: journal.jsonl, its anchor and the monthly files.
        public let data: URL
        public let output: Output
        public let office: OfficeConfig
        /// The operators' signing keys (derived from the seed).
        public let signers: [String: OperatorSigningKey]
        /// Lines after the last checkpoint: those a start-up verifies signature by signature.
        public var linesAfterCheckpoint: Int { output.lines - (output.checkpoint?.seq ?? 0) - 1 }
    }

    /// Keys and who opened the journal, for a signed journal.
    struct Signing {
        var keys: [String: OperatorSigningKey]
        var supervisor: String
    }

    /// The synthetic office's 公費負担者番号 unless another office's code is asked for.
    public static let defaultPublicPayerNumber = "12130019"

    static let operators = [Operator(id: "yamada", name: "山田 花子", role: .clerk),
                            Operator(id: "suzuki", name: "鈴木 健", role: .clerk),
                            Operator(id: "sato", name: "佐藤 一郎", role: .supervisor)]

    /// The office the synthetic data belongs to (its 公費負担者番号 is the match key of the files).
    /// `account`: a production office whose operators are all bound to that OS account.
    /// `publicPayerNumber`: another office's code (the city's list and the PostgreSQL benchmark make several).
    public static func office(dataDirectory: URL, interchange: InterchangeConfig = .default, account: String? = nil,
                              publicPayerNumber: String = defaultPublicPayerNumber) -> OfficeConfig {
        OfficeConfig(officeName: "ベンチ市福祉事務所", publicPayerNumber: publicPayerNumber, serverCode: "D1300019",
                     mode: account == nil ? .training : .production,
                     dataDirectory: dataDirectory,
                     operators: operators.map { Operator(id: $0.id, name: $0.name, role: $0.role, account: account) },
                     interchange: interchange,
                     source: dataDirectory.appendingPathComponent("office.toml"))
    }

    /// Writes `journal.jsonl` (unsigned, as before signing existed) and the status files into
    /// `directory` (created 0700; files 0600). For tests that need volume.
    public static func generate(into directory: URL, size: Size, seed: UInt64 = 7,
                                office: OfficeConfig? = nil) throws -> Output {
        try generate(into: directory, size: size, seed: seed, office: office ?? self.office(dataDirectory: directory), signing: nil)
    }

    /// A realistic production office in `work` (issue 14): `office.toml` (mode production, every
    /// operator bound to `account`, by default the account running this), `keys/` with a key per
    /// operator (derived from the seed, so the same seed gives the same bytes: Ed25519 signatures are
    /// deterministic), and in `data/` a journal that starts with `office.opened` by the supervisor and
    /// the clerks' `key.enrolled`, every line signed by its operator's enrolled key, and the last
    /// supervisor checkpoint before the last 1% of the lines (as a supervisor's start-up leaves one
    /// after 2,000 newly verified signatures: a start-up verifies only those that follow it).
    public static func generateProduction(into work: URL, size: Size, seed: UInt64 = 7,
                                          account: String = OfficeTrust.osAccount() ?? "madoguchi",
                                          publicPayerNumber: String = defaultPublicPayerNumber) throws -> ProductionOffice {
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = work.appendingPathComponent("data"), keysDir = work.appendingPathComponent("keys")
        let config = work.appendingPathComponent("office.toml")
        let office = self.office(dataDirectory: data, account: account, publicPayerNumber: publicPayerNumber)
        var keys: [String: OperatorSigningKey] = [:]
        let store = OperatorKeyStore(directory: keysDir)
        for op in office.operators {
            var rng = Random(state: seed ^ 0x6B65_7973 ^ UInt64(truncatingIfNeeded: op.id.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
            let raw = (0..<32).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let key = try OperatorSigningKey(operatorID: op.id, rawPrivateKey: raw)
            keys[op.id] = key
            _ = try store.create(key, office: office.publicPayerNumber, passphrase: nil, durable: false)
        }
        let out = try generate(into: data, size: size, seed: seed, office: office, signing: Signing(keys: keys, supervisor: "sato"))
        try configText(office, account: account).write(to: config, atomically: true, encoding: .utf8)
        return ProductionOffice(config: config, keys: keysDir, data: data, output: out, office: office, signers: keys)
    }

    /// `s` as a TOML basic string (backslash and quote escaped).
    static func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    /// `dataDirectory`/`store`: the `[data] directory` and an optional `[store]` table (the PostgreSQL benchmark).
    static func configText(_ office: OfficeConfig, account: String, dataDirectory: String = "data", store: String? = nil) -> String {
        var text = """
        # A synthetic production office made by `madoguchi-bench` (issue 14). Every operator is bound to
        # the OS account that ran the benchmark; their keys are in ../keys (MADOGUCHI_KEY_DIR).
        [office]
        name = \(quoted(office.officeName))
        public_payer_number = \(quoted(office.publicPayerNumber))
        server_code = \(quoted(office.serverCode))
        mode = "production"

        [data]
        directory = \(quoted(dataDirectory))

        """
        if let store { text += "\n" + store + "\n" }
        for op in office.operators {
            text += "\n[[operators]]\nid = \(quoted(op.id))\nname = \(quoted(op.name))\nrole = \(quoted(op.role.rawValue))\naccount = \(quoted(account))\n"
        }
        return text
    }

    static func generate(into directory: URL, size: Size, seed: UInt64, office: OfficeConfig, signing: Signing?) throws -> Output {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var g = Generator(seed: seed, size: size, office: office)
        g.makeCases()
        let composed = try g.writeJournal(signing: signing)
        let journal = directory.appendingPathComponent("journal.jsonl")
        if signing != nil {
            try composed.write(to: journal)   // with its anchor, as the desk leaves it
        } else {
            try write(composed.bytes, to: journal)
        }
        var monthly: [URL] = []
        for (name, bytes) in g.monthlyFiles {
            let url = directory.appendingPathComponent(name)
            try write(bytes, to: url)
            monthly.append(url)
        }
        let statusFile = directory.appendingPathComponent("status-bench-\(size.statusRows).csv")
        try write(try g.bigStatusFile(), to: statusFile)
        let smallStatusFile = directory.appendingPathComponent("status-small.csv")
        try write(try g.statusFile(rows: min(20, size.statusRows), seedOffset: 7_777), to: smallStatusFile)
        var counts: [CaseStatus: Int] = [:]
        var first: [CaseStatus: String] = [:]
        for c in g.cases {
            counts[c.status, default: 0] += 1
            if first[c.status] == nil { first[c.status] = c.number }
        }
        return Output(journal: journal, statusFile: statusFile, monthlyFiles: monthly, lines: composed.lineCount, cases: g.cases.count,
                      statusCounts: counts, appendableCase: g.appendableCase ?? g.cases.first?.number ?? "-",
                      checkpoint: g.checkpoint, caseInStatus: first, smallStatusFile: smallStatusFile)
    }

    static func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url)
        _ = chmod(url.path, 0o600)
    }

    // MARK: - Deterministic randomness

    /// The seeded generator shared with the fuzzing and random-key tests.
    public typealias Random = SeededRandom

    // MARK: - Names and places

    static let familyNames: [(String, String)] = [
        ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
        ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
        ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"), ("松本", "マツモト"),
        ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"), ("斎藤", "サイトウ"), ("清水", "シミズ"),
        ("山崎", "ヤマザキ"), ("森", "モリ"), ("池田", "イケダ"), ("橋本", "ハシモト"), ("阿部", "アベ"),
        ("石川", "イシカワ"), ("前田", "マエダ"), ("藤田", "フジタ"), ("小川", "オガワ"), ("岡田", "オカダ"),
        ("後藤", "ゴトウ"), ("長谷川", "ハセガワ"), ("髙橋", "タカハシ"), ("渡邊", "ワタナベ"), ("齋藤", "サイトウ"),
    ]
    static let givenNames: [(String, String)] = [
        ("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("健", "ケン"), ("美咲", "ミサキ"),
        ("大輔", "ダイスケ"), ("陽子", "ヨウコ"), ("翔太", "ショウタ"), ("さくら", "サクラ"), ("誠", "マコト"),
        ("由美", "ユミ"), ("浩", "ヒロシ"), ("恵子", "ケイコ"), ("隆", "タカシ"), ("真由美", "マユミ"),
        ("勇気", "ユウキ"), ("愛", "アイ"), ("茂", "シゲル"), ("和子", "カズコ"), ("蓮", "レン"),
        ("ひなた", "ヒナタ"), ("正男", "マサオ"), ("久美子", "クミコ"), ("拓也", "タクヤ"), ("千代", "チヨ"),
    ]
    static let places: [(prefecture: String, municipality: String, towns: [String], postal: String)] = [
        ("東京都", "世田谷区", ["太子堂", "三軒茶屋", "北沢", "桜新町"], "154"),
        ("東京都", "足立区", ["千住", "西新井", "竹の塚", "綾瀬"], "120"),
        ("大阪府", "大阪市西成区", ["花園北", "萩之茶屋", "天下茶屋"], "557"),
        ("神奈川県", "横浜市中区", ["寿町", "山下町", "本牧"], "231"),
        ("北海道", "札幌市北区", ["北七条西", "新琴似", "屯田"], "001"),
        ("福岡県", "北九州市小倉北区", ["京町", "魚町", "紺屋町"], "802"),
        ("愛知県", "名古屋市中村区", ["名駅", "則武", "太閤"], "453"),
        ("沖縄県", "那覇市", ["久茂地", "牧志", "首里"], "900"),
    ]
    static let institutions = ["世田谷中央クリニック", "あおば内科医院", "さくら薬局 三軒茶屋店", "市立総合病院",
                               "みどり歯科", "ひまわり調剤薬局", "東町診療所", "こころのクリニック"]
    static let insurers: [(String, String)] = [("全国健康保険協会 東京支部", "01130012"), ("○○市国民健康保険", "00131011"),
                                               ("△△健康保険組合", "06130013"), ("東京都後期高齢者医療広域連合", "39131015")]
    static let reasons = ["カードを紛失したため", "カードの管理が難しいため", "医療機関で紙の券を使いたいため",
                          "施設に入所したため", "暗証番号を忘れたため", "本人の希望（理由の記載なし）",
                          "家族が管理できないため：\"施設\" と相談", "転居予定のため\n（詳細は面談記録）"]

    // MARK: - The generator

    struct GCase {
        var number: String
        var application: Application
        var status: CaseStatus
        var day: Int            // day number of the application (LocalDate.dayNumber)
        var events: [(day: Int, type: EventType, data: JSONValue)]
        var ticketInstitutions: [(PaperTicket.Kind, String)]
    }

    struct Generator {
        var rng: Random
        let size: Size
        let office: OfficeConfig
        var cases: [GCase] = []
        var monthlyFiles: [(String, [UInt8])] = []
        var appendableCase: String?
        /// The checkpoint written, when signing.
        var checkpoint: Checkpoint?
        /// Office-level lines (file.recorded), by day.
        var officeEvents: [(day: Int, type: EventType, data: JSONValue)] = []
        let start = LocalDate(year: 2024, month: 4, day: 1)!
        let today = LocalDate(year: 2026, month: 11, day: 24)!

        init(seed: UInt64, size: Size, office: OfficeConfig) {
            rng = Random(state: seed)
            self.size = size
            self.office = office
        }

        /// Status mix of a welfare office a few years in: most cases done, a tail still open.
        static let mix: [(CaseStatus, Int)] = [
            (.confirmed, 34), (.registered, 10), (.awaitingRegistration, 9), (.waitingForInsurer, 9), (.exported, 6),
            (.held, 6), (.registrationFailed, 4), (.transferredIn, 4), (.cancelledByServer, 4), (.transferredOut, 5),
            (.withdrawn, 8), (.received, 1),
        ]

        mutating func pickStatus(_ i: Int) -> CaseStatus {
            // The first cases cover every status, so even a tiny office has them all.
            if i < Self.mix.count { return Self.mix[i].0 }
            var r = rng.below(100)
            for (s, w) in Self.mix { if r < w { return s }; r -= w }
            return .confirmed
        }

        func date(_ day: Int) -> LocalDate { LocalDate(dayNumber: day) }

        mutating func person() -> Application.Person {
            let f = rng.pick(SyntheticOffice.familyNames), g = rng.pick(SyntheticOffice.givenNames)
            let p = rng.pick(SyntheticOffice.places)
            let birth = LocalDate(dayNumber: LocalDate(year: 1935, month: 1, day: 1)!.dayNumber + rng.below(365 * 70))
            return Application.Person(furigana: "\(f.1) \(g.1)", name: "\(f.0) \(g.0)", birthDate: birth,
                                      postalCode: p.postal + rng.digits(4), prefecture: p.prefecture, municipality: p.municipality,
                                      address: "\(rng.pick(p.towns))\(1 + rng.below(5))丁目\(1 + rng.below(30))番\(1 + rng.below(20))号"
                                          + (rng.chance(30) ? "　コーポ\(rng.pick(["さくら", "ひかり", "みどり"]))\(101 + rng.below(400))号室" : ""),
                                      phone: "0\(rng.digits(2))-\(rng.digits(4))-\(rng.digits(4))",
                                      email: rng.chance(20) ? "user\(rng.below(100000))@example.jp" : "")
        }

        mutating func makeCases() {
            let span = today.dayNumber - 60 - start.dayNumber
            var perYear: [Int: Int] = [:]
            var days = (0..<size.cases).map { _ in start.dayNumber + rng.below(span) }
            days.sort()
            for i in 0..<size.cases {
                let day = days[i]
                let year = date(day).year
                perYear[year, default: 0] += 1
                let number = String(format: "%04d-%04d", year, perYear[year]!)
                var status = pickStatus(i)
                let insuredPath: Bool = [.waitingForInsurer].contains(status) || (status == .confirmed && rng.chance(30))
                    || ([.transferredOut, .withdrawn].contains(status) && rng.chance(30))
                let transferredIn = status == .transferredIn
                var app = Application(
                    applicant: person(), recipientNumber: rng.digits(7),
                    serverIndividualNumber: status == .received || (status == .awaitingRegistration && rng.chance(30)) ? nil : rng.digits(16),
                    proxy: rng.chance(15) ? Application.Proxy(name: "\(rng.pick(SyntheticOffice.familyNames).0) \(rng.pick(SyntheticOffice.givenNames).0)",
                                                               furigana: "ダイリ ニン", phone: "090-\(rng.digits(4))-\(rng.digits(4))",
                                                               relationship: rng.pick(["長女", "施設職員", "長男", "配偶者"])) : nil,
                    requestTicked: true, signedFormReceived: true, reason: rng.pick(SyntheticOffice.reasons),
                    applicationDate: date(day), branch: insuredPath ? .insured : .assistanceOnly,
                    insurance: nil, holdsValidTickets: rng.chance(70), explained: ["a", "b", "c", "d", "e", "f", "g"],
                    transferredFrom: transferredIn ? "\(rng.pick(["隣市", "県央", "北部"]))福祉事務所" : nil)
                if insuredPath {
                    let ins = rng.pick(SyntheticOffice.insurers)
                    app.insurance = Application.Insurance(insurerName: ins.0, insurerNumber: ins.1,
                                                          appliedToInsurer: rng.chance(80) ? .applied : .toldToApply,
                                                          verifiedBy: rng.pick(Application.InsuranceVerification.allCases))
                }
                if status == .received { app.serverIndividualNumber = nil }
                let initial: CaseStatus = status == .received ? .received : transferredIn ? .transferredIn
                    : insuredPath ? .waitingForInsurer : .awaitingRegistration
                var c = GCase(number: number, application: app, status: initial, day: day, events: [], ticketInstitutions: [])
                let received = try! JSONValue(encoding: ReceivedPayload(application: app, status: initial))
                c.events.append((day, EventType.received, received))
                if app.holdsValidTickets {
                    let n = 1 + rng.below(2)
                    for k in 0..<n {
                        c.ticketInstitutions.append((k == 0 ? .medical : rng.pick(PaperTicket.Kind.allCases), rng.pick(SyntheticOffice.institutions)))
                    }
                    let month = date(day).yearMonth
                    c.events.append((day, EventType.ticketsIssued, tickets(c, month: month, occasion: "intake")))
                }
                lifecycle(&c, target: &status)
                if c.status == .awaitingRegistration, app.serverIndividualNumber != nil, appendableCase == nil {
                    appendableCase = number
                }
                cases.append(c)
            }
        }

        func tickets(_ c: GCase, month: YearMonth, occasion: String) -> JSONValue {
            try! JSONValue(encoding: TicketsIssuedPayload(
                tickets: c.ticketInstitutions.map { PaperTicket(kind: $0.0, institution: $0.1, month: month) }, occasion: occasion))
        }

        mutating func move(_ c: inout GCase, _ event: LifecycleEvent, day: inout Int) {
            day += 1 + rng.below(20)
            day = min(day, today.dayNumber - 1)
            // The generator only writes legal moves.
            (c.status, c.application) = try! CaseLifecycle.outcome(of: event, number: c.number, status: c.status, application: c.application)
            let draft = try! CaseLifecycle.draft(event, caseNumber: c.number, operatorID: "x", time: Date())
            c.events.append((day, event.type, draft.data))
        }

        mutating func lifecycle(_ c: inout GCase, target: inout CaseStatus) {
            var day = c.day
            let fileDay = { (d: Int) -> String in
                let ld = LocalDate(dayNumber: d)
                return String(format: "FI_HIM_0018_D1300019_%04d%02d%02d.csv", ld.year, ld.month, ld.day)
            }
            func register(_ g: inout Generator, _ c: inout GCase, _ day: inout Int) {
                if c.application.serverIndividualNumber == nil {
                    g.move(&c, .serverNumberSet(g.rng.digits(16)), day: &day)
                }
                g.move(&c, .exported(file: fileDay(day + 1)), day: &day)
                if g.rng.chance(8) {
                    g.move(&c, .registrationFailed(message: "被保険者枝番に該当する資格情報がありません", file: "result.csv"), day: &day)
                    g.move(&c, .requeued(note: "被保険者枝番を確認して修正"), day: &day)
                    g.move(&c, .exported(file: fileDay(day + 1)), day: &day)
                }
                g.move(&c, .registrationAccepted(registeredOn: LocalDate(dayNumber: day + 3), file: "result.csv"), day: &day)
            }
            let assistance = c.application.branch == .assistanceOnly && c.application.transferredFrom == nil
            switch target {
            case .received, .awaitingRegistration, .waitingForInsurer, .transferredIn:
                break
            case .exported:
                if c.application.serverIndividualNumber == nil { move(&c, .serverNumberSet(rng.digits(16)), day: &day) }
                move(&c, .exported(file: fileDay(day + 1)), day: &day)
            case .registered:
                register(&self, &c, &day)
                if rng.chance(20) {
                    move(&c, .held(reason: NoticeReason(rawValue: 1 + rng.below(4))!, noticeDate: date(day + 5)), day: &day)
                    move(&c, .holdCleared(on: date(day + 30)), day: &day)
                }
            case .held:
                register(&self, &c, &day)
                for _ in 0..<(1 + rng.below(3)) {
                    move(&c, .held(reason: NoticeReason(rawValue: 1 + rng.below(4))!, noticeDate: date(day + 5)), day: &day)
                }
            case .registrationFailed:
                if c.application.serverIndividualNumber == nil { move(&c, .serverNumberSet(rng.digits(16)), day: &day) }
                move(&c, .exported(file: fileDay(day + 1)), day: &day)
                move(&c, .registrationFailed(message: "保険者番号と被保険者枝番の組合せが不正です", file: "result.csv"), day: &day)
            case .confirmed:
                if assistance { register(&self, &c, &day) }
                let cancelled = date(day).yearMonth.adding(months: 1).lastDay
                move(&c, .confirmed(cancelledOn: cancelled, file: "status.csv"), day: &day)
                if rng.chance(10) { move(&c, .reregistered(on: date(day + 40)), day: &day) }
            case .cancelledByServer:
                register(&self, &c, &day)
                move(&c, .cancelledByServer(noticeDate: date(day + 5), action: "本人に連絡し、カード返納の事情を確認した"), day: &day)
            case .transferredOut:
                move(&c, .transferredOut(office: "\(rng.pick(["隣市", "県央", "南部"]))福祉事務所", on: date(day + 10)), day: &day)
            case .withdrawn:
                move(&c, .withdrawn(reason: "本人から取下げの申出（電話）", on: date(day + 7)), day: &day)
            }
        }

        /// All lines in time order (stable: a case's own events keep their order), then monthly paper
        /// tickets and status imports until `size.events` lines.
        mutating func writeJournal(signing: Signing?) throws -> ComposedJournal {
            // Monthly paper tickets (R-PT-2) fill up to the requested size, round-robin over cases
            // that hold tickets, month after month from the case's intake.
            let base = cases.reduce(0) { $0 + $1.events.count }
            let months = (0..<36)
            var monthlyStatusMonths = Set<Int>()
            var officeLines = 0
            for m in months {
                let ym = start.yearMonth.adding(months: m)
                if ym.lastDay.dayNumber < today.dayNumber, m % 3 == 0 { monthlyStatusMonths.insert(m); officeLines += 1 }
            }
            var remaining = max(0, size.events - base - officeLines)
            let holders = cases.indices.filter { !cases[$0].ticketInstitutions.isEmpty }
            var monthIndex = 1
            while remaining > 0 && !holders.isEmpty && monthIndex < 400 {
                var added = false
                for i in holders where remaining > 0 {
                    let c = cases[i]
                    let ym = date(c.day).yearMonth.adding(months: monthIndex)
                    let first = ym.firstDay.dayNumber + rng.below(5)
                    guard first < today.dayNumber else { continue }
                    cases[i].events.append((first, EventType.ticketsIssued, tickets(c, month: ym, occasion: "monthly")))
                    remaining -= 1
                    added = true
                }
                if !added { monthIndex = 400 }
                monthIndex += 1
            }
            // Monthly status files: smaller ones recorded in the journal as already imported.
            for m in monthlyStatusMonths.sorted() {
                let ym = start.yearMonth.adding(months: m)
                let rows = max(10, size.statusRows / 8)
                let bytes = try statusFile(rows: rows, seedOffset: UInt64(m))
                let name = String(format: "status-%04d%02d.csv", ym.year, ym.month)
                monthlyFiles.append((name, bytes))
                let payload = FileEvent.Payload(kind: .statusImport, fileName: name, sha256: RegistrationExport.sha256(Data(bytes)),
                                                cases: [], rows: rows)
                officeEvents.append((ym.lastDay.dayNumber, EventType.fileRecorded, try JSONValue(encoding: payload)))
            }
            // Still short (few ticket holders): reminders marked done on the office line.
            while remaining > 0 {
                officeEvents.append((today.dayNumber - 1, EventType.reminderDone,
                                     try JSONValue(encoding: ReminderDone.Payload(id: "bench:\(remaining)", note: "ベンチマーク用"))))
                remaining -= 1
            }
            var all: [(day: Int, order: Int, caseNumber: String, type: EventType, data: JSONValue)] = []
            all.reserveCapacity(size.events + 16)
            var order = 0
            for c in cases {
                var last = Int.min
                for e in c.events {
                    // Monthly tickets appended later may fall before a lifecycle move: keep per-case
                    // order by the day only where it does not reorder the case's lifecycle.
                    last = max(last, e.day)
                    all.append((e.type == .ticketsIssued ? e.day : last, order, c.number, e.type, e.data))
                    order += 1
                }
            }
            for e in officeEvents {
                all.append((e.day, order, FileEvent.officeCase, e.type, e.data))
                order += 1
            }
            // Sort by day; lifecycle events of one case keep their relative order (their days never
            // decrease); a case's first line (case.received) stays before all its other lines.
            let receivedDay = Dictionary(uniqueKeysWithValues: cases.map { ($0.number, $0.day) })
            all.sort { a, b in
                let da = max(a.day, receivedDay[a.caseNumber] ?? a.day), db = max(b.day, receivedDay[b.caseNumber] ?? b.day)
                return da != db ? da < db : a.order < b.order
            }
            var journal = ComposedJournal(capacity: size.events * (signing == nil ? 450 : 660))
            let operators = office.operators.map(\.id)
            if let signing {
                // A production office's first lines: the supervisor opens the journal with their key
                // (self-signed), then enrols the clerks' keys (what `keys open-office` and `keys enroll` write).
                let time = "\(iso(start.dayNumber))T08:30:00+09:00"
                for op in office.operators {
                    let key = signing.keys[op.id]!
                    let opening = op.id == signing.supervisor
                    let data = try JSONValue(encoding: KeyEnrolment(
                        operatorID: op.id, name: op.name, role: op.role, publicKey: key.publicKey,
                        office: opening ? JournalOffice(name: office.officeName, publicPayerNumber: office.publicPayerNumber,
                                                        mode: office.mode.rawValue) : nil))
                    if opening {
                        try journal.append(time: time, operatorID: op.id, caseNumber: "", type: EventType.officeOpened,
                                           data: data, signer: key)
                    }
                }
                for op in office.operators where op.id != signing.supervisor {
                    let data = try JSONValue(encoding: KeyEnrolment(operatorID: op.id, name: op.name, role: op.role,
                                                                    publicKey: signing.keys[op.id]!.publicKey))
                    try journal.append(time: time, operatorID: signing.supervisor, caseNumber: "", type: EventType.keyEnrolled,
                                       data: data, signer: signing.keys[signing.supervisor]!)
                }
            }
            // The last supervisor checkpoint: before the last 1% of the events (at least one line after it).
            let checkpointBefore = signing == nil ? nil : max(0, all.count - max(1, all.count / 100))
            var seq = 0
            for e in all {
                let day = max(e.day, receivedDay[e.caseNumber] ?? e.day)
                if seq == checkpointBefore, let signing {
                    let time = "\(iso(day))T08:45:00+09:00"
                    checkpoint = try journal.appendCheckpoint(key: signing.keys[signing.supervisor]!, time: time)
                }
                seq += 1
                let secs = 9 * 3600 + (seq * 37) % (8 * 3600)
                let time = String(format: "%@T%02d:%02d:%02d+09:00", iso(day), secs / 3600, secs / 60 % 60, secs % 60)
                let op = operators[seq % operators.count]
                try journal.append(time: time, operatorID: op, caseNumber: e.caseNumber, type: e.type, data: e.data,
                                   signer: signing?.keys[op], signLater: true)
            }
            try journal.signPending()
            return journal
        }

        func iso(_ day: Int) -> String {
            let d = LocalDate(dayNumber: day)
            return String(format: "%04d-%02d-%02d", d.year, d.month, d.day)
        }

        /// The rows of a monthly status file: the office's cases that have a 被保険者枝番 (as the
        /// server sees them), then other recipients of the office, up to `rows`.
        func statusRecords(rows: Int, seedOffset: UInt64) -> [[String]] {
            var r = Random(state: 0xC0FFEE &+ seedOffset)
            var out: [[String]] = []
            out.reserveCapacity(rows)
            var seen = Set<String>()
            let payer = office.publicPayerNumber
            func ymd(_ d: LocalDate) -> String { String(format: "%04d%02d%02d", d.year, d.month, d.day) }
            for c in cases where out.count < rows {
                guard let server = c.application.serverIndividualNumber, seen.insert(server).inserted else { continue }
                let registeredOn = ymd(LocalDate(dayNumber: c.day - 400 - r.below(300)))
                let expiry = ymd(LocalDate(dayNumber: today.dayNumber + r.below(1500) - 30))
                switch c.status {
                case .registered, .held, .exported, .waitingForInsurer:
                    // Some of these are now cancelled on the server: the import confirms them (R-CF-1).
                    if r.chance(40) {
                        out.append([payer, "", c.application.recipientNumber, "", server, "0", registeredOn,
                                    ymd(today.yearMonth.adding(months: -1).lastDay), "1", expiry])
                    } else {
                        out.append([payer, "", c.application.recipientNumber, "", server, "1", registeredOn, "", "", expiry])
                    }
                case .confirmed:
                    out.append([payer, "", c.application.recipientNumber, "", server, "0", registeredOn,
                                ymd(LocalDate(dayNumber: c.day + 60)), "1", expiry])
                default:
                    out.append([payer, "", c.application.recipientNumber, "", server, "1", registeredOn, "", "", expiry])
                }
            }
            while out.count < rows {
                let server = r.digits(16)
                guard seen.insert(server).inserted else { continue }
                let registered = r.chance(90)
                let regOn = ymd(LocalDate(dayNumber: start.dayNumber - r.below(900)))
                let expiry = r.chance(95) ? ymd(LocalDate(dayNumber: today.dayNumber + r.below(1800) - 60)) : ""
                out.append([payer, "", r.digits(7), "", server, registered ? "1" : "0", regOn, "", "", expiry])
            }
            return out
        }

        func statusFile(rows: Int, seedOffset: UInt64) throws -> [UInt8] {
            let layout = office.interchange.status
            let items = ColumnLayout.statusItems
            // Default layout: ten columns in R-FL-2's order; a configured one: its positions, or the
            // header names it asks for.
            let canonical = ["insurer_number": 0, "server_individual_number": 4, "registration_state": 5, "registered_on": 6,
                             "cancelled_on": 7, "cancel_kind": 8, "certificate_expiry": 9]
            let headerNames = ["保険者番号", "被保険者証記号", "被保険者証番号", "被保険者証枝番", "被保険者枝番", "初回登録状態",
                               "初回登録日", "初回登録解除日", "初回登録解除区分", "電子証明書有効期限"]
            // Item columns go where the layout says; the other columns (記号, 番号, 枝番) fill the
            // free places in order.
            var width = 10
            var target: [Int: Int] = [:]   // canonical column → file column
            var header = headerNames
            for (key, _) in items {
                switch layout.columns[key] {
                case .position(let n)?: target[canonical[key]!] = n - 1; width = max(width, n)
                case .header(let name)?: header[canonical[key]!] = name; target[canonical[key]!] = canonical[key]!
                case nil: break
                }
            }
            var free = (0..<width).filter { !target.values.contains($0) }
            for i in 0..<10 where target[i] == nil { target[i] = free.isEmpty ? width : free.removeFirst(); width = max(width, target[i]! + 1) }
            func place(_ row: [String]) -> [String] {
                var out = Array(repeating: "", count: width)
                for (i, v) in row.enumerated() { out[target[i]!] = v }
                return out
            }
            let records = statusRecords(rows: rows, seedOffset: seedOffset).map(place)
            let h = place(header)
            return try CSVWriter.encode(records, header: office.interchange.statusHasHeader ? h : nil,
                                        encoding: office.interchange.encoding, lineEnding: office.interchange.lineEnding)
        }

        func bigStatusFile() throws -> [UInt8] { try statusFile(rows: size.statusRows, seedOffset: 9_999) }
    }
}
