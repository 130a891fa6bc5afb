import Configuration
import Foundation
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb
import SystemPackage

/// How one kiosk is set up: `/etc/samtale/samtale.json` on a board (see the README).
public struct KioskConfiguration: Sendable {
    public var kioskName = ProcessInfo.processInfo.hostName
    public var room = ""
    public var roomName: String?
    public var language: Language = .nb
    public var schedulePath: String?
    public var timeZone: TimeZone = .current
    public var host = "127.0.0.1"
    public var port = 8080
    public var door = DoorOptions()
    public var rules = Rules()
    public var requireClockSync = true
    public var pollSeconds = 1.0
    /// The pulse's beat where inotify reports every change of the schedule's folder (a local
    /// file, `schedule.quietSeconds`): its glances are then only a safety net.
    public var quietSeconds = 30.0
    /// The day–month order of dates like `3/4/2026` when the file cannot tell (`schedule.dateOrder`);
    /// nil: from the language (see `dateOrder(language:)`).
    public var dateOrder: DateOrder?
    /// Every room the school's kiosks serve (for `samtale check`); this kiosk's room when not given.
    public var schoolRooms: [String] = []
    public var servedRooms: [String] { schoolRooms.isEmpty ? [room] : schoolRooms }
    /// Where the journal lives (systemd's StateDirectory).
    public var stateDirectory = StateSync.defaultStateDirectory()
    /// The button and light on GPIO; nil: a simulated board (check-in by touch or HTTP only).
    public var gpio: GPIOConfiguration?
    /// The staff's secrets (hashes), and the sign-in throttle.
    public var auth = StaffAuth()
    /// The teacher page's countdown turns amber, then red, with this much time left.
    public var teacherAmberSeconds = 300
    public var teacherRedSeconds = 60
    /// Requests a second per client address (average, and burst), and event streams per client and in all.
    public var requestRate = 20.0
    public var requestBurst = 100.0
    public var maxStreamsPerClient = 32
    public var maxStreams = 1000
    /// An event stream ends after this many seconds (the page reconnects at once); nil: never.
    public var maxStreamSeconds: Int?
    /// Connections held open at once; more wait in the kernel's backlog (file descriptors never run out).
    public var maxConnections = 4096
    /// How far the kiosk's clock is set from the system's (the demo's `--at`; 0 on a board).
    public var clockOffset: TimeInterval = 0

    /// The clock the kiosk runs on: the system's, moved by `clockOffset`.
    public func makeClock() -> MonotonicWallClock {
        let offset = clockOffset
        let system = SystemClock()
        return offset == 0
            ? MonotonicWallClock(system: { system.now() })
            : MonotonicWallClock(system: { system.now().addingTimeInterval(offset) })
    }

    public init() {
        rules.undoWindow = TimeInterval(StaffAssets.defaultUndoSeconds)
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
        /// The key's dotted path, its position in the file, and what is wrong with it.
        public var key = ""
        public var position: ConfigJSON.Position?
        public var message = ""

        public init(description: String) { self.description = description }

        init(source: String, key: String, position: ConfigJSON.Position?, message: String) {
            description = "\(source)\(position.map { ":\($0)" } ?? ""): \(key): \(message)"
            self.key = key
            self.position = position
            self.message = message
        }
    }

    /// Reads a JSON configuration file; every key is optional but `kiosk.room` and `schedule.path`.
    public static func load(path: String) async throws -> KioskConfiguration {
        try await loadChecked(path: path).configuration
    }

    /// Reads a configuration file, and the warnings about it (unknown keys). Every problem is a
    /// `ConfigurationError` naming the file, the line and column, and the key's path.
    public static func loadChecked(path: String) async throws -> (
        configuration: KioskConfiguration, warnings: [ConfigSchema.Problem]
    ) {
        let (document, problems) = try ConfigurationError.read(path: path)
        let provider: FileProvider<JSONSnapshot>
        do {
            provider = try await FileProvider<JSONSnapshot>(filePath: FilePath(path))
        } catch {
            throw ConfigurationError(
                path: path,
                problems: [.init(severity: .error, key: "", position: nil, message: "cannot be read as JSON: \(error)")]
            )
        }
        do {
            let c = try from(ConfigReader(provider: provider), source: path) { key in
                document.position(of: key.split(separator: ".").map(String.init))
            }
            return (c, problems)
        } catch let e as Invalid {
            throw ConfigurationError(
                path: path,
                problems: [.init(severity: .error, key: e.key, position: e.position, message: e.message)] + problems)
        }
    }

    static func from(_ config: ConfigReader, source: String, locate: (String) -> ConfigJSON.Position? = { _ in nil })
        throws
        -> KioskConfiguration
    {
        var c = KioskConfiguration()
        func bad(_ key: String, _ why: String) -> Invalid {
            Invalid(source: source, key: key, position: locate(key), message: why)
        }
        c.kioskName = config.string(forKey: "kiosk.name", default: c.kioskName)
        c.room = config.string(forKey: "kiosk.room", default: "")
        if c.room.isEmpty {
            throw bad("kiosk.room", "required: the room this kiosk serves, as the schedule file names it")
        }
        c.roomName = config.string(forKey: "kiosk.roomName")
        let lang = config.string(forKey: "kiosk.language", default: c.language.rawValue)
        guard let language = Language(rawValue: lang) else {
            throw bad("kiosk.language", "\"\(lang)\" is not one of nb, da, en")
        }
        c.language = language
        c.schedulePath = config.string(forKey: "schedule.path")
        if c.schedulePath == nil {
            throw bad("schedule.path", "required: the schedule file (CSV) on the school's share")
        }
        c.pollSeconds = config.double(forKey: "schedule.pollSeconds", default: c.pollSeconds)
        c.quietSeconds = config.double(forKey: "schedule.quietSeconds", default: c.quietSeconds)
        guard c.quietSeconds > 0, c.quietSeconds <= 86_400 else {
            throw bad("schedule.quietSeconds", "\(c.quietSeconds) is not a number of seconds above 0 and at most a day")
        }
        if let order = config.string(forKey: "schedule.dateOrder") {
            guard let o = DateOrder(rawValue: order) else {
                throw bad("schedule.dateOrder", "\"\(order)\" is not one of day-first, month-first")
            }
            c.dateOrder = o
        }
        c.stateDirectory = config.string(forKey: "state.directory", default: c.stateDirectory)
        if let tz = config.string(forKey: "school.timeZone") {
            guard let zone = TimeZone(identifier: tz) else {
                throw bad("school.timeZone", "\"\(tz)\" is not a time zone (e.g. Europe/Oslo)")
            }
            c.timeZone = zone
        }
        c.schoolRooms = config.stringArray(forKey: "school.rooms", default: [])
        c.host = config.string(forKey: "http.host", default: c.host)
        c.port = config.int(forKey: "http.port", default: c.port)
        guard (1...65535).contains(c.port) else { throw bad("http.port", "\(c.port) is not a port") }
        let identify = config.string(forKey: "display.identify", default: "none")
        guard let id = Identify(rawValue: identify) else {
            throw bad("display.identify", "\"\(identify)\" is not one of none, code, initials")
        }
        let night = config.string(forKey: "display.night", default: NightMode.clock.rawValue)
        guard let nightMode = NightMode(rawValue: night) else {
            throw bad("display.night", "\"\(night)\" is not one of dark, clock, off")
        }
        let quiet = config.int(forKey: "display.nightQuietMinutes", default: 60)
        guard (0...1440).contains(quiet) else { throw bad("display.nightQuietMinutes", "\(quiet) is outside 0…1440") }
        c.door = DoorOptions(
            identify: id, showTeachers: config.bool(forKey: "display.showTeachers", default: true),
            roomName: c.roomName,
            night: nightMode, nightQuiet: TimeInterval(quiet * 60))
        func minutes(_ key: String, _ value: inout TimeInterval, _ range: ClosedRange<Int>) throws {
            let m = config.int(forKey: ConfigKey(key), default: Int(value / 60))
            guard range.contains(m) else {
                throw bad(key, "\(m) is outside \(range.lowerBound)…\(range.upperBound) minutes")
            }
            value = TimeInterval(m * 60)
        }
        try minutes("rules.checkInOpensMinutes", &c.rules.checkInOpensBefore, 0...180)
        try minutes("rules.noShowMinutes", &c.rules.noShowAfter, 1...120)
        try minutes("rules.assumedEndGraceMinutes", &c.rules.assumedEndGrace, 0...120)
        try minutes("rules.endingSoonMinutes", &c.rules.endingSoon, 0...60)
        c.rules.autoStart = config.bool(forKey: "rules.autoStart", default: c.rules.autoStart)
        c.rules.earlyStart = config.bool(forKey: "rules.earlyStart", default: c.rules.earlyStart)
        c.requireClockSync = config.bool(forKey: "clock.requireSync", default: c.requireClockSync)
        c.rules.undoWindow = TimeInterval(
            config.int(forKey: "rules.undoSeconds", default: StaffAssets.defaultUndoSeconds))
        c.gpio = try GPIOConfiguration.from(config, source: source, locate: locate)
        c.auth.teacherPinHash = config.string(forKey: ConfigKey(["auth", "teacherPins", c.room]))
        c.auth.caretakerTokenHashes = config.stringArray(forKey: "auth.caretakerTokens", default: [])
        for (key, value) in [("auth.teacherPins.\(c.room)", c.auth.teacherPinHash)]
            + c.auth.caretakerTokenHashes.map({
                ("auth.caretakerTokens", $0)
            })
        {
            if let value, !CryptSecretChecker.isHash(value) {
                throw bad(key, "holds a plain secret: store its hash instead (samtale hash-secret)")
            }
        }
        c.auth.sessionLifetime = TimeInterval(config.int(forKey: "auth.sessionHours", default: 12) * 3600)
        c.auth.throttle.maxFailures = config.int(forKey: "auth.maxFailures", default: c.auth.throttle.maxFailures)
        c.auth.throttle.lockout = TimeInterval(
            config.int(forKey: "auth.lockoutSeconds", default: Int(c.auth.throttle.lockout)))
        c.teacherAmberSeconds = config.int(forKey: "teacher.amberMinutes", default: 5) * 60
        c.teacherRedSeconds = config.int(forKey: "teacher.redMinutes", default: 1) * 60
        c.requestRate = config.double(forKey: "http.requestsPerSecond", default: c.requestRate)
        c.requestBurst = config.double(forKey: "http.requestBurst", default: c.requestBurst)
        c.maxStreamsPerClient = config.int(forKey: "http.maxStreamsPerClient", default: c.maxStreamsPerClient)
        c.maxStreams = config.int(forKey: "http.maxStreams", default: c.maxStreams)
        c.maxStreamSeconds = config.int(forKey: "http.maxStreamSeconds")
        if let s = c.maxStreamSeconds, s < 1 { throw bad("http.maxStreamSeconds", "\(s) is not a number of seconds") }
        c.maxConnections = config.int(forKey: "http.maxConnections", default: c.maxConnections)
        guard c.maxConnections >= 16 else {
            throw bad("http.maxConnections", "\(c.maxConnections) is too few (at least 16)")
        }
        return c
    }
}

extension KioskConfiguration {
    /// The reader for this school's schedule file: its time zone, and its day–month order.
    public func scheduleReader() -> ScheduleReader {
        let (order, reason) =
            dateOrder.map { ($0, "the configuration's schedule.dateOrder is \($0.rawValue)") }
            ?? Self.dateOrder(language: language)
        return ScheduleReader(timeZone: timeZone, dateOrder: order, dateOrderReason: reason)
    }

    /// The order a school writes dates in, from its language: Norwegian and Danish day first
    /// (04.03.2026, 04-03-2026); English month first, as LibreOffice and Excel write `3/4/2026`
    /// under an English (US) locale. An English-language school that writes day first (British
    /// style, `04/03/2026`) sets `schedule.dateOrder` (or `--date-order`) to day-first.
    public static func dateOrder(language: Language) -> (DateOrder, String) {
        switch language {
        case .nb, .da: (.dayFirst, "the school's language is \(language.rawValue)")
        case .en: (.monthFirst, "the school's language is en (month first, as in US English)")
        }
    }
}
