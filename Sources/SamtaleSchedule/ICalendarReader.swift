import Foundation
import SamtaleCore

/// Reads an iCalendar export (RFC 5545) into bookings: a read-only source with the same meaning
/// as the CSV file. VEVENT with DTSTART and DTEND or DURATION (TZID, UTC or floating local time),
/// SUMMARY, LOCATION (the room), DESCRIPTION, ORGANIZER and ATTENDEE, UID, STATUS:CANCELLED,
/// CATEGORIES (the kind); folded lines; any line end; a byte-order mark.
///
/// Series (RRULE, RDATE, EXDATE) are expanded in the event's own zone on the wall clock (a
/// weekly 14:00 stays 14:00 across a daylight-saving change) within the horizon: from the file's
/// first event to one year after the later of its last named date (DTSTART, RDATE, RECURRENCE-ID)
/// and now. An instance with RECURRENCE-ID replaces its occurrence wherever it stands in the file.
public struct ICalendarReader: Sendable {
    public var time: SchoolTime
    /// The room of events without LOCATION (for `samtale check --default-room`); nil: such events are errors.
    public var defaultRoom: String?
    /// "Now", for the horizon.
    public var now: Date
    /// Overrides the horizon's end (`samtale check --until`).
    public var horizonEnd: Date?

    /// At most this many occurrences of one series are read (with a warning when cut).
    public static let maximumOccurrences = 5000
    /// A conference lasts 1 to 600 minutes, as in the CSV reader.
    public static let maximumMinutes = 600

    public init(timeZone: TimeZone, defaultRoom: String? = nil, now: Date = Date(), horizonEnd: Date? = nil) {
        time = SchoolTime(timeZone: timeZone)
        self.defaultRoom = defaultRoom
        self.now = now
        self.horizonEnd = horizonEnd
    }

    struct Property {
        var name: String
        var params: [String: String]
        var value: String
        var line: Int
    }

    struct Component {
        var name: String
        var line: Int
        var properties: [Property] = []
        var children: [Component] = []

        func first(_ n: String) -> Property? { properties.first { $0.name == n } }
        func all(_ n: String) -> [Property] { properties.filter { $0.name == n } }
    }

    /// One occurrence as read, whether or not it became a booking (for `samtale check --occurrences`).
    public struct Occurrence: Sendable, Codable, Hashable {
        public var uid: String?
        /// The occurrence's place in its series (its original start): RECURRENCE-ID's instant.
        public var recurrenceID: Date?
        public var start: Date
        public var end: Date
        /// The line of the VEVENT it comes from.
        public var line: Int
        public var cancelled: Bool
        public var id: String
        /// Why it is not a booking, when it is not.
        public var problem: String?

        public init(
            uid: String?, recurrenceID: Date?, start: Date, end: Date, line: Int, cancelled: Bool, id: String,
            problem: String?
        ) {
            self.uid = uid
            self.recurrenceID = recurrenceID
            self.start = start
            self.end = end
            self.line = line
            self.cancelled = cancelled
            self.id = id
            self.problem = problem
        }
    }

    /// Everything read from one file.
    public struct Reading: Sendable {
        public var schedule: Schedule
        public var occurrences: [Occurrence]
        /// The window series are expanded in.
        public var horizon: (from: Date, to: Date)?

        public init(schedule: Schedule, occurrences: [Occurrence], horizon: (from: Date, to: Date)?) {
            self.schedule = schedule
            self.occurrences = occurrences
            self.horizon = horizon
        }
    }

    // MARK: - Lines

    /// Splits the text into content lines: any line end (CRLF, LF, CR), a leading byte-order mark,
    /// folded lines (a line starting with a space or tab continues the one before). Lines that are
    /// not `NAME[;PARAM=…]:VALUE` are returned apart, with their line numbers.
    static func contentLines(_ text: String) -> (properties: [Property], broken: [(line: Int, text: String)]) {
        var logical: [(String, Int)] = []
        var lineNumber = 0
        var current: [UInt8] = []
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        func flush() {
            lineNumber += 1
            if let first = current.first, first == 0x20 || first == 0x09, !logical.isEmpty {
                logical[logical.count - 1].0 += String(decoding: current.dropFirst(), as: UTF8.self)
            } else if !current.isEmpty {
                logical.append((String(decoding: current, as: UTF8.self), lineNumber))
            }
            current.removeAll(keepingCapacity: true)
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D {
                flush()
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
            } else if b == 0x0A {
                flush()
            } else {
                current.append(b)
            }
            i += 1
        }
        if !current.isEmpty { flush() }
        var properties: [Property] = []
        var broken: [(Int, String)] = []
        for (line, number) in logical {
            if let p = property(line, number) {
                properties.append(p)
            } else if !line.allSatisfy(\.isWhitespace) {
                broken.append((number, line))
            }
        }
        return (properties, broken)
    }

    /// `NAME;PARAM=value;PARAM="quoted;:value":VALUE`; nil when the line is not one.
    static func property(_ line: String, _ number: Int) -> Property? {
        let chars = Array(line.unicodeScalars)
        var i = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
        }
        while i < chars.count && isNameChar(chars[i]) { i += 1 }
        guard i > 0, i < chars.count else { return nil }
        let name = String(String.UnicodeScalarView(chars[0..<i])).uppercased()
        var params: [String: String] = [:]
        while i < chars.count && chars[i] == ";" {
            i += 1
            let nameStart = i
            while i < chars.count && chars[i] != "=" && chars[i] != ":" && chars[i] != ";" { i += 1 }
            guard i < chars.count, chars[i] == "=" else { return nil }
            let pname = String(String.UnicodeScalarView(chars[nameStart..<i])).uppercased()
            i += 1
            var value = ""
            while i < chars.count {
                if chars[i] == "\"" {
                    i += 1
                    let s = i
                    while i < chars.count && chars[i] != "\"" { i += 1 }
                    guard i < chars.count else { return nil }
                    value += String(String.UnicodeScalarView(chars[s..<i]))
                    i += 1
                } else {
                    let s = i
                    while i < chars.count && chars[i] != ";" && chars[i] != ":" && chars[i] != "," && chars[i] != "\"" {
                        i += 1
                    }
                    value += String(String.UnicodeScalarView(chars[s..<i]))
                }
                if i < chars.count && chars[i] == "," {
                    value += ","
                    i += 1
                    continue
                }
                break
            }
            params[pname] = value
        }
        guard i < chars.count, chars[i] == ":" else { return nil }
        return Property(
            name: name, params: params, value: String(String.UnicodeScalarView(chars[(i + 1)...])), line: number)
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escape = false
        for ch in s {
            if escape {
                switch ch {
                case "n", "N": out.append("\n")
                default: out.append(ch)
                }
                escape = false
            } else if ch == "\\" {
                escape = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// The component tree; every BEGIN without its END (or an END without its BEGIN) is a problem.
    static func components(_ props: [Property]) -> (roots: [Component], problems: [ScheduleProblem]) {
        var roots: [Component] = []
        var stack: [Component] = []
        var problems: [ScheduleProblem] = []
        func close() {
            let c = stack.removeLast()
            if stack.isEmpty { roots.append(c) } else { stack[stack.count - 1].children.append(c) }
        }
        for p in props {
            if p.name == "BEGIN" {
                stack.append(Component(name: p.value.trimmingSpaces.uppercased(), line: p.line))
            } else if p.name == "END" {
                let n = p.value.trimmingSpaces.uppercased()
                if let depth = stack.lastIndex(where: { $0.name == n }) {
                    while stack.count > depth + 1 {
                        let open = stack[stack.count - 1]
                        problems.append(
                            .init(
                                severity: .error, line: open.line, column: nil,
                                message:
                                    "BEGIN:\(open.name) is never closed (END:\(open.name) is missing before line \(p.line))"
                            ))
                        close()
                    }
                    close()
                } else {
                    problems.append(
                        .init(
                            severity: .error, line: p.line, column: nil,
                            message: "END:\(n) closes nothing (no BEGIN:\(n) is open); the line is left out"))
                }
            } else if !stack.isEmpty {
                stack[stack.count - 1].properties.append(p)
            }
        }
        while !stack.isEmpty {
            let open = stack[stack.count - 1]
            problems.append(
                .init(
                    severity: .error, line: open.line, column: nil,
                    message: "BEGIN:\(open.name) is never closed (the file ends without END:\(open.name))"))
            close()
        }
        return (roots, problems)
    }

    // MARK: - Durations

    /// `PT20M`, `PT1H30M`, `P1D` → seconds.
    static func duration(_ s: String) -> TimeInterval? {
        guard let d = nominalDuration(s) else { return nil }
        return TimeInterval(d.days * 86400 + d.seconds)
    }

    /// A DURATION as whole days (nominal: a day on the wall clock) and seconds (exact).
    static func nominalDuration(_ s: String) -> (days: Int, seconds: Int)? {
        var text = Substring(s.trimmingSpaces.uppercased())
        var sign = 1
        if text.first == "-" {
            sign = -1
            text = text.dropFirst()
        } else if text.first == "+" {
            text = text.dropFirst()
        }
        guard text.first == "P", text.count > 1 else { return nil }
        text = text.dropFirst()
        var days = 0
        var seconds = 0
        var number = ""
        var inTime = false
        for ch in text {
            if ch.isASCII && ch.isNumber {
                number.append(ch)
                continue
            }
            if ch == "T" && !inTime && number.isEmpty {
                inTime = true
                continue
            }
            // Absurd numbers (centuries) are refused later; here they must only not overflow.
            guard number.count <= 9, let n = Int(number) else { return nil }
            number = ""
            switch (ch, inTime) {
            case ("W", false): days += n * 7
            case ("D", false): days += n
            case ("H", true): seconds += n * 3600
            case ("M", true): seconds += n * 60
            case ("S", true): seconds += n
            default: return nil
            }
        }
        return number.isEmpty ? (sign * days, sign * seconds) : nil
    }

    // MARK: - Reading

    public func parse(text: String) -> Schedule { read(text: text).schedule }

    public func read(text: String) -> Reading {
        let (props, broken) = Self.contentLines(text)
        guard props.contains(where: { $0.name == "BEGIN" && $0.value.trimmingSpaces.uppercased() == "VCALENDAR" })
        else {
            return Reading(
                schedule: ScheduleReader.refused("this is not an iCalendar file (no BEGIN:VCALENDAR)"), occurrences: [],
                horizon: nil)
        }
        var problems: [ScheduleProblem] = broken.map { b in
            let shown = b.text.count > 40 ? String(b.text.prefix(40)) + "…" : b.text
            return ScheduleProblem(
                severity: .error, line: b.line, column: nil,
                message: "\"\(shown)\" is not an iCalendar line (NAME:value); it is left out")
        }
        let (roots, structure) = Self.components(props)
        problems += structure
        var state = Expansion(reader: self)
        for calendar in roots where calendar.name == "VCALENDAR" {
            state.read(calendar: calendar)
        }
        problems += state.problems
        var seen = Set<String>()
        problems = problems.filter { seen.insert("\($0.line)|\($0.severity)|\($0.message)").inserted }
        problems += ScheduleReader.overlaps(state.bookings, lines: state.lines, time: time)
        return Reading(
            schedule: Schedule(bookings: state.bookings, problems: problems, table: nil),
            occurrences: state.occurrences, horizon: state.horizon)
    }
}

/// The work of reading one file: zones, events, series, overrides, bookings.
struct Expansion {
    let reader: ICalendarReader
    var problems: [ScheduleProblem] = []
    var bookings: [Booking] = []
    var occurrences: [ICalendarReader.Occurrence] = []
    var lines: [String: Int] = [:]
    var horizon: (from: Date, to: Date)?
    var zones: [String: ICalendarZone] = [:]
    var timezoneBlocks: [String: ICalendarReader.Component] = [:]
    var zoneLimit = LocalTime(year: 2100, month: 1, day: 1)

    typealias Component = ICalendarReader.Component
    typealias Property = ICalendarReader.Property

    init(reader: ICalendarReader) { self.reader = reader }

    mutating func problem(_ line: Int, _ message: String, _ severity: ScheduleProblem.Severity = .error) {
        problems.append(.init(severity: severity, line: line, column: nil, message: message))
    }

    var school: ICalendarZone { .system(reader.time.timeZone) }

    // MARK: Zones

    /// The zone of a TZID parameter (nil: floating, the school's zone).
    mutating func zone(_ tzid: String?, line: Int) -> ICalendarZone {
        guard let tzid, !tzid.isEmpty else { return school }
        if let z = zones[tzid] { return z }
        let z: ICalendarZone
        if let tz = ZoneNames.iana(tzid) {
            z = tz.identifier == "UTC" || tz.identifier == "GMT" ? .utc : .system(tz)
        } else if let block = timezoneBlocks[tzid], let defined = defined(block) {
            z = .defined(defined)
        } else if let tz = ZoneNames.windows(tzid) {
            z = .system(tz)
        } else if let tz = ZoneNames.displayOffset(tzid) {
            problem(
                line,
                "the time zone \"\(tzid)\" is not known; its times are read at the fixed offset it names (\(tz.identifier)), without daylight saving",
                .warning)
            z = .system(tz)
        } else {
            problem(
                line,
                "the time zone \"\(tzid)\" is not known (not an IANA or Windows zone, and no VTIMEZONE defines it); its times are read as the school's time (\(reader.time.timeZone.identifier))",
                .warning)
            z = school
        }
        zones[tzid] = z
        return z
    }

    /// A VTIMEZONE's observances as transitions up to the horizon.
    mutating func defined(_ block: Component) -> DefinedZone? {
        var transitions: [(at: Int, offset: Int)] = []
        var firstFrom: (at: Int, offset: Int)?
        for o in block.children where o.name == "STANDARD" || o.name == "DAYLIGHT" {
            guard let startProp = o.first("DTSTART"), let start = ICalendarValue.dateOrTime(startProp.value)?.local,
                let fromProp = o.first("TZOFFSETFROM"), let from = DefinedZone.offset(fromProp.value),
                let toProp = o.first("TZOFFSETTO"), let to = DefinedZone.offset(toProp.value)
            else {
                problem(
                    o.line, "this \(o.name) block has no readable DTSTART, TZOFFSETFROM and TZOFFSETTO; it is left out")
                continue
            }
            var onsets = [start]
            for r in o.all("RRULE") {
                switch RecurrenceRule.parse(r.value) {
                case .success(let rule):
                    onsets += rule.expand(start: start, limit: zoneLimit, maximum: 1000) { $0.seconds - from }.times
                case .failure(let e):
                    problem(r.line, "RRULE \"\(r.value)\" cannot be read: \(e)")
                }
            }
            for r in o.all("RDATE") {
                for v in r.value.split(separator: ",") {
                    if case .time(let t, _)? = ICalendarValue.dateOrTime(String(v)) { onsets.append(t) }
                }
            }
            for t in onsets {
                let at = t.seconds - from
                transitions.append((at, to))
                if firstFrom == nil || at < firstFrom!.at { firstFrom = (at, from) }
            }
        }
        guard let firstFrom else { return nil }
        transitions.sort { $0.at < $1.at }
        return DefinedZone(transitions: transitions, initial: firstFrom.offset)
    }

    // MARK: Events

    struct When {
        var value: ICalendarValue
        var zone: ICalendarZone
        var line: Int

        var local: LocalTime? {
            if case .time(let t, _) = value { return t }
            return nil
        }
        var instant: Int? {
            switch value {
            case .date: nil
            case .time(let t, utc: true): t.seconds
            case .time(let t, utc: false): zone.utc(t)
            }
        }
    }

    mutating func when(_ p: Property) -> When? {
        guard let v = ICalendarValue.dateOrTime(p.value) else { return nil }
        if case .time(_, utc: true) = v { return When(value: v, zone: .utc, line: p.line) }
        return When(value: v, zone: zone(p.params["TZID"], line: p.line), line: p.line)
    }

    /// A list property's values (RDATE, EXDATE: comma-separated, each line with its own TZID).
    mutating func whens(_ props: [Property]) -> [When] { periods(props).map(\.start) }

    /// RDATE values with a PERIOD's end (`start/end` or `start/duration`), in seconds from its start.
    mutating func periods(_ props: [Property]) -> [(start: When, length: Int?)] {
        var out: [(start: When, length: Int?)] = []
        for p in props {
            for item in p.value.split(separator: ",") {
                let halves = item.split(separator: "/", maxSplits: 1).map(String.init)
                var q = p
                q.value = halves[0]
                if let w = when(q) {
                    var length: Int?
                    if halves.count == 2, let s = w.instant {
                        if let d = ICalendarReader.nominalDuration(halves[1]) {
                            length = d.days * 86400 + d.seconds
                        } else {
                            var e = p
                            e.value = halves[1]
                            if let end = when(e)?.instant { length = end - s }
                        }
                    }
                    out.append((w, length))
                } else {
                    problem(p.line, "\(p.name) \"\(item)\" is not a date or a date and time; it is left out")
                }
            }
        }
        return out
    }

    struct Event {
        var component: Component
        var uid: String?
        var start: When
        var zone: ICalendarZone
        var startLocal: LocalTime
        /// How an occurrence's end follows from its start.
        var length: Length
        var recurrenceID: When?
    }

    enum Length {
        /// DTEND in the same zone: a wall-clock difference.
        case wallClock(Int)
        /// DTEND in another zone: an exact difference.
        case exact(Int)
        /// DURATION: whole days on the wall clock, then exact seconds.
        case duration(days: Int, seconds: Int)
    }

    /// DTSTART and the length of one VEVENT, or nil with a problem.
    mutating func event(_ c: Component) -> Event? {
        guard let dtstart = c.first("DTSTART") else {
            problem(c.line, "this event has no DTSTART")
            return nil
        }
        guard let start = when(dtstart) else {
            problem(dtstart.line, "DTSTART \"\(dtstart.value)\" is not a date and time")
            return nil
        }
        guard let startLocal = start.local else {
            problem(dtstart.line, "DTSTART \"\(dtstart.value)\" is a date: an all-day event cannot be a conference")
            return nil
        }
        var length = Length.wallClock(0)
        if let dtend = c.first("DTEND") {
            guard let end = when(dtend), let endLocal = end.local, let e = end.instant, let s = start.instant else {
                problem(dtend.line, "DTEND \"\(dtend.value)\" is not a date and time")
                return nil
            }
            if dtend.params["TZID"] == dtstart.params["TZID"]
                && dtend.value.hasSuffix("Z") == dtstart.value.hasSuffix("Z")
            {
                length = .wallClock(endLocal.seconds - startLocal.seconds)
            } else {
                length = .exact(e - s)
            }
        } else if let dur = c.first("DURATION") {
            guard let d = ICalendarReader.nominalDuration(dur.value) else {
                problem(dur.line, "DURATION \"\(dur.value)\" is not a duration like PT20M")
                return nil
            }
            length = .duration(days: d.days, seconds: d.seconds)
        }
        var recurrenceID: When?
        if let rid = c.first("RECURRENCE-ID") {
            guard let w = when(rid) else {
                problem(rid.line, "RECURRENCE-ID \"\(rid.value)\" is not a date or a date and time")
                return nil
            }
            recurrenceID = w
        }
        return Event(
            component: c, uid: c.first("UID").map { ICalendarReader.unescape($0.value).trimmingSpaces },
            start: start, zone: start.zone, startLocal: startLocal, length: length, recurrenceID: recurrenceID)
    }

    /// An occurrence starting at a wall-clock time (in the event's zone): its start and end instants.
    func span(_ e: Event, at local: LocalTime) -> (start: Int, end: Int) {
        let s = e.zone.utc(local)
        switch e.length {
        case .wallClock(let d): return (s, e.zone.utc(local.adding(d)))
        case .exact(let d): return (s, s + d)
        case .duration(let days, let seconds):
            return (s, (days == 0 ? s : e.zone.utc(local.adding(days * 86400))) + seconds)
        }
    }

    mutating func read(calendar: Component) {
        for tz in calendar.children where tz.name == "VTIMEZONE" {
            if let id = tz.first("TZID")?.value.trimmingSpaces { timezoneBlocks[id] = tz }
        }
        let components = calendar.children.filter { $0.name == "VEVENT" }
        // The horizon from the dates the file names (zone-free, for the VTIMEZONE rules first).
        var named: [Int] = []
        for c in components {
            for n in ["DTSTART", "RDATE", "RECURRENCE-ID"] {
                for p in c.all(n) {
                    for v in p.value.split(separator: ",") {
                        switch ICalendarValue.dateOrTime(String(v.split(separator: "/").first ?? v)) {
                        case .date(let d)?: named.append(d * 86400)
                        case .time(let t, _)?: named.append(t.seconds)
                        case nil: break
                        }
                    }
                }
            }
        }
        guard let firstNamed = named.min(), let lastNamed = named.max() else { return }
        let nowSeconds = Int(reader.now.timeIntervalSince1970)
        let to = reader.horizonEnd.map { Int($0.timeIntervalSince1970) } ?? (max(lastNamed, nowSeconds) + 366 * 86400)
        zoneLimit = LocalTime(seconds: to + 2 * 366 * 86400)
        let from = firstNamed - 86400
        horizon = (Date(timeIntervalSince1970: TimeInterval(from)), Date(timeIntervalSince1970: TimeInterval(to)))

        var events: [Event] = []
        for c in components { if let e = event(c) { events.append(e) } }
        // Series by UID; a master (no RECURRENCE-ID) and its overrides, in any order in the file.
        var masters: [String: Int] = [:]
        var overrides: [String: [Int: Event]] = [:]
        var singles: [Event] = []
        var order: [String] = []
        for e in events {
            guard let uid = e.uid else {
                // Without UID an instance cannot find its series: it stands alone, as written.
                if e.recurrenceID != nil {
                    let (s, end) = span(e, at: e.startLocal)
                    emit([(s, end, s, e)], recurring: false)
                } else {
                    singles.append(e)
                }
                continue
            }
            if let rid = e.recurrenceID {
                let key = rid.instant ?? (rid.local?.day ?? 0)
                if overrides[uid]?[key] != nil {
                    problem(
                        e.component.line,
                        "the instance \(rid.value) of UID \"\(uid)\" is given twice; the later one (this) is read",
                        .warning)
                }
                overrides[uid, default: [:]][key] = e
                if masters[uid] == nil && !order.contains(uid) { order.append(uid) }
            } else if masters[uid] != nil {
                problem(e.component.line, "the UID \"\(uid)\" is used by an earlier event; this one is left out")
            } else {
                masters[uid] = singles.count
                singles.append(e)
                if !order.contains(uid) { order.append(uid) }
            }
        }
        var handled = Set<String>()
        for e in singles {
            var series = expand(e, until: to)
            if let uid = e.uid {
                handled.insert(uid)
                // RANGE=THISANDFUTURE: the instance's change (its shift and length, its properties)
                // carries over to every later occurrence of the series, in the order of the instances.
                for (key, o) in (overrides[uid] ?? [:]).sorted(by: { $0.key < $1.key })
                where o.component.first("RECURRENCE-ID")?.params["RANGE"]?.uppercased() == "THISANDFUTURE" {
                    let (s, end) = span(o, at: o.startLocal)
                    for i in series.indices where series[i].original > key {
                        let shifted = series[i].original + (s - key)
                        series[i] = (shifted, shifted + (end - s), series[i].original, o)
                    }
                }
                for (key, o) in overrides[uid] ?? [:] {
                    let (s, end) = span(o, at: o.startLocal)
                    let replacement = (start: s, end: end, original: key, event: o)
                    if let i = series.firstIndex(where: { $0.original == key }) {
                        series[i] = replacement
                    } else if let rid = o.recurrenceID, rid.instant == nil,
                        let i = series.firstIndex(where: {
                            LocalTime(seconds: $0.original + rid.zone.offset(atUTC: $0.original)).day == key
                        })
                    {
                        series[i] = replacement
                    } else {
                        series.append(replacement)
                    }
                }
            }
            emit(
                series,
                recurring: series.count > 1 || e.component.first("RRULE") != nil || e.component.first("RDATE") != nil)
        }
        // Instances whose series is not in the file: each stands alone.
        for uid in order where !handled.contains(uid) {
            let list = (overrides[uid] ?? [:]).sorted { $0.key < $1.key }.map { (key, o) in
                let (s, end) = span(o, at: o.startLocal)
                return (start: s, end: end, original: key, event: o)
            }
            emit(list, recurring: true)
        }
    }

    typealias Instance = (start: Int, end: Int, original: Int, event: Event)

    /// A master's occurrences: DTSTART, the RRULEs' and the RDATEs', less the EXDATEs.
    mutating func expand(_ e: Event, until to: Int) -> [Instance] {
        var starts: [LocalTime] = [e.startLocal]
        let c = e.component
        let zone = e.zone
        let limit = LocalTime(seconds: to + zone.offset(atUTC: to))
        for r in c.all("RRULE") {
            switch RecurrenceRule.parse(r.value) {
            case .success(let rule):
                for part in RecurrenceRule.unknownParts(r.value) {
                    problem(r.line, "RRULE part \"\(part)\" is not an iCalendar rule part; it is ignored", .warning)
                }
                let (times, cut) = rule.expand(
                    start: e.startLocal, limit: limit, maximum: ICalendarReader.maximumOccurrences
                ) { zone.utc($0) }
                starts += times
                if cut {
                    problem(
                        r.line,
                        "this series has more than \(ICalendarReader.maximumOccurrences) occurrences before \(reader.time.dayString(Date(timeIntervalSince1970: TimeInterval(to)))); only the first \(ICalendarReader.maximumOccurrences) are read",
                        .warning)
                }
            case .failure(let err):
                problem(r.line, "RRULE \"\(r.value)\" cannot be read: \(err); only the first occurrence is read")
            }
        }
        if c.first("EXRULE") != nil {
            problem(c.first("EXRULE")!.line, "EXRULE (withdrawn from iCalendar in RFC 5545) is not read", .warning)
        }
        var instances: [Instance] = []
        var seen = Set<Int>()
        for l in starts {
            let (s, end) = span(e, at: l)
            if seen.insert(s).inserted { instances.append((s, end, s, e)) }
        }
        for (w, period) in periods(c.all("RDATE")) {
            guard let local = w.local, let instant = w.instant else {
                problem(w.line, "RDATE \(w.value) is a date: an all-day occurrence cannot be a conference")
                continue
            }
            guard instant <= to else { continue }
            // The same instant on the event's own wall clock.
            let inZone = LocalTime(seconds: instant + zone.offset(atUTC: instant))
            _ = local
            let (s, end) = span(e, at: inZone)
            if seen.insert(s).inserted {
                instances.append((s, period.map { s + $0 } ?? end, s, e))
            } else if let period, let i = instances.firstIndex(where: { $0.start == s }) {
                // A PERIOD on DTSTART itself gives that occurrence its own end.
                instances[i].end = s + period
            }
        }
        let exdates = whens(c.all("EXDATE"))
        let exInstants = Set(exdates.compactMap(\.instant))
        let exDays = Set(
            exdates.compactMap { w -> Int? in if case .date(let d) = w.value { return d } else { return nil } })
        instances.removeAll { i in
            exInstants.contains(i.start)
                || (!exDays.isEmpty && exDays.contains(LocalTime(seconds: i.start + zone.offset(atUTC: i.start)).day))
        }
        return instances.sorted { $0.start < $1.start }
    }

    /// Occurrences become bookings (or problems).
    mutating func emit(_ list: [Instance], recurring: Bool) {
        let time = reader.time
        for inst in list.sorted(by: { $0.start < $1.start }) {
            let c = inst.event.component
            func first(_ n: String) -> Property? { c.first(n) }
            let start = Date(timeIntervalSince1970: TimeInterval(inst.start))
            let end = Date(timeIntervalSince1970: TimeInterval(inst.end))
            let room =
                first("LOCATION").map { ICalendarReader.unescape($0.value).trimmingSpaces }.flatMap {
                    $0.isEmpty ? nil : $0
                } ?? reader.defaultRoom
            let summary = first("SUMMARY").map { ICalendarReader.unescape($0.value) } ?? ""
            let pupil = first("X-SAMTALE-PUPIL").map { ICalendarReader.unescape($0.value) } ?? summary
            let uid = inst.event.uid
            let stamp = Self.stamp(inst.original)
            let id: String =
                if let uid { recurring ? "\(uid)/\(stamp)" : uid } else {
                    ScheduleReader.digestID(
                        date: time.dayString(start), room: room ?? "", start: time.timeString(start), pupil: pupil)
                }
            let cancelled = first("STATUS")?.value.trimmingSpaces.uppercased() == "CANCELLED"
            let minutes = (inst.end - inst.start) / 60
            let when = recurring ? " (the occurrence on \(time.dayString(start)) \(time.timeString(start)))" : ""
            var why: String?
            if inst.end < inst.start {
                why = "the event ends (\(time.timeString(end))) before it starts (\(time.timeString(start)))\(when)"
            } else if inst.end == inst.start {
                why =
                    "the event has no length: it starts and ends at \(time.timeString(start))\(when) (give DTEND or DURATION)"
            } else if minutes > ICalendarReader.maximumMinutes {
                why =
                    "the event lasts \(Self.length(minutes)); a conference lasts 1 to \(ICalendarReader.maximumMinutes) minutes\(when)"
            } else if room == nil {
                why = "this event has no LOCATION (the room)"
            } else if lines[id] != nil {
                why = "the booking id \"\(id)\" is used by an earlier event; this one is left out"
            }
            occurrences.append(
                .init(
                    uid: uid, recurrenceID: recurring ? Date(timeIntervalSince1970: TimeInterval(inst.original)) : nil,
                    start: start, end: end, line: c.line, cancelled: cancelled, id: id, problem: why))
            if let why {
                problem(c.line, why)
                continue
            }
            guard let room else { continue }
            lines[id] = c.line
            let organizer = first("ORGANIZER").flatMap { $0.params["CN"] }
            let attendees = c.all("ATTENDEE")
            let teachers =
                [organizer].compactMap { $0 }
                + attendees.filter { $0.params["ROLE"] == "CHAIR" }.compactMap { $0.params["CN"] }
            let guardians = attendees.filter { $0.params["ROLE"] != "CHAIR" }.compactMap { $0.params["CN"] }
            bookings.append(
                Booking(
                    id: id, room: room, start: start, end: end, teachers: teachers, pupil: pupil, guardians: guardians,
                    kind: first("CATEGORIES").map { ICalendarReader.unescape($0.value) },
                    interpreter: first("X-SAMTALE-INTERPRETER").map { ICalendarReader.unescape($0.value) },
                    notes: first("DESCRIPTION").map { ICalendarReader.unescape($0.value) }, cancelled: cancelled))
        }
    }

    static func length(_ minutes: Int) -> String {
        if minutes >= 2 * 24 * 60 { return "\((minutes + 12 * 60) / (24 * 60)) days" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }

    /// `20261124T130000Z`.
    static func stamp(_ utc: Int) -> String {
        let t = LocalTime(seconds: utc)
        let d = t.date
        func p(_ n: Int, _ w: Int = 2) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(d.year, 4))\(p(d.month))\(p(d.day))T\(p(t.hour))\(p(t.minute))\(p(t.second))Z"
    }
}
