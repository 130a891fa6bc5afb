import Foundation

/// A day of the school's calendar, `YYYY-MM-DD`: the unit of the report.
public struct ReportDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil for a date that does not exist (31 February).
    public init?(year: Int, month: Int, day: Int) {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
            let date = utc.date(from: DateComponents(year: year, month: month, day: day)),
            utc.component(.day, from: date) == day
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (a: ReportDay, b: ReportDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// What a report counts for one room, teacher and day, or for any sum of them.
///
/// Durations are seconds of absolute time, so a day with a DST change counts the time that really
/// passed. Kiosks record times to the minute.
public struct ReportFigures: Sendable, Hashable {
    /// Every booking, cancelled ones included.
    public var booked = 0
    /// Cancelled by the office before the conference began.
    public var cancelled = 0
    /// Began: recorded as in session or done.
    public var held = 0
    public var noShows = 0
    /// Neither held, no-show nor cancelled: nothing recorded yet, or the family still waiting.
    public var open = 0
    /// Held conferences with both a check-in and a start time, and the sum of their waits.
    public var waits = 0
    public var waitSeconds: TimeInterval = 0
    /// Held conferences with both a start and an end time, and the sum of their lengths.
    public var timed = 0
    public var actualSeconds: TimeInterval = 0
    /// Held conferences that ended after their scheduled end, and the sum of the time past it.
    public var overruns = 0
    public var overrunSeconds: TimeInterval = 0
    /// The planned length of every booking that was not cancelled.
    public var scheduledSeconds: TimeInterval = 0
    /// The room's day: from its first scheduled start to its last scheduled end (cancelled bookings
    /// left out). In a row for one teacher it is the whole room's span; in a sum, the sum of the
    /// distinct rooms' days.
    public var spanSeconds: TimeInterval = 0

    public init() {}

    /// Held, but missing a start or an end time: counted as held, adding no minutes.
    public var untimed: Int { held - timed }
    public var averageWaitMinutes: Double? { waits == 0 ? nil : waitSeconds / 60 / Double(waits) }
    public var averageOverrunMinutes: Double? { overruns == 0 ? nil : overrunSeconds / 60 / Double(overruns) }
    /// Actual minutes in session over the room's day; nil when the room had no day.
    public var utilisation: Double? { spanSeconds > 0 ? actualSeconds / spanSeconds : nil }

    /// The sum of two sets of figures (spans add: use it for distinct rooms or days).
    public static func + (a: ReportFigures, b: ReportFigures) -> ReportFigures {
        var s = a
        let counts: [WritableKeyPath<ReportFigures, Int>] = [
            \.booked, \.cancelled, \.held, \.noShows, \.open, \.waits, \.timed, \.overruns,
        ]
        let durations: [WritableKeyPath<ReportFigures, TimeInterval>] = [
            \.waitSeconds, \.actualSeconds, \.overrunSeconds, \.scheduledSeconds, \.spanSeconds,
        ]
        for k in counts { s[keyPath: k] += b[keyPath: k] }
        for k in durations { s[keyPath: k] += b[keyPath: k] }
        return s
    }

    /// Counts one booking in.
    mutating func add(_ booking: Booking) {
        booked += 1
        let progress = booking.recorded ?? .fresh
        let status = booking.reportStatus
        switch status {
        case .cancelled:
            cancelled += 1
            return
        case .noShow: noShows += 1
        case .inSession, .done: held += 1
        case .scheduled, .waiting: open += 1
        }
        scheduledSeconds += booking.duration
        guard status == .inSession || status == .done else { return }
        if let checkedIn = progress.checkedIn, let started = progress.started {
            waits += 1
            waitSeconds += max(0, started.timeIntervalSince(checkedIn))
        }
        if let started = progress.started, let ended = progress.ended, ended >= started {
            timed += 1
            actualSeconds += ended.timeIntervalSince(started)
        }
        if let ended = progress.ended, ended > booking.end {
            overruns += 1
            overrunSeconds += ended.timeIntervalSince(booking.end)
        }
    }
}

/// The management's report on conference days: per room, teacher and day, with totals. It holds
/// rooms, teachers, counts and durations, never a pupil's or a guardian's name.
public struct Report: Sendable, Hashable {
    /// One room, teacher (or team of teachers) and day.
    public struct Row: Sendable, Hashable {
        public var day: String
        public var room: String
        /// The booking's teachers joined with " / "; empty when the file names none.
        public var teacher: String
        public var figures: ReportFigures
    }

    /// One room on one day: its rows and their sum.
    public struct RoomDay: Sendable, Hashable {
        public var day: String
        public var room: String
        public var rows: [Row]
        public var figures: ReportFigures
    }

    /// One day: its rooms and their sum.
    public struct Day: Sendable, Hashable {
        public var day: String
        public var rooms: [RoomDay]
        public var figures: ReportFigures
    }

    public var from: ReportDay?
    public var to: ReportDay?
    public var timeZone: TimeZone
    public var days: [Day]
    public var total: ReportFigures
    /// Whether any booking in the report has state a kiosk recorded.
    public var anythingRecorded: Bool
    /// Plain sentences the reader should know (nothing recorded yet, missing times, an empty range).
    public var notes: [String]

    /// Every row, by day, room and teacher.
    public var rows: [Row] { days.flatMap { $0.rooms.flatMap(\.rows) } }

    /// The report on `bookings` whose local start day (in `timeZone`) is within `from`…`to` (both
    /// included; open when nil) and, when `rooms` is given, in one of those rooms.
    public init(
        bookings: [Booking], timeZone: TimeZone, from: ReportDay? = nil, to: ReportDay? = nil,
        rooms: Set<String>? = nil
    ) {
        self.from = from
        self.to = to
        self.timeZone = timeZone
        let time = SchoolTime(timeZone: timeZone)
        let first = from?.description ?? ""
        let last = to?.description ?? "9999-99-99"
        let chosen = bookings.compactMap { b -> (day: String, booking: Booking)? in
            let day = time.dayString(b.start)
            guard day >= first, day <= last, rooms?.contains(b.room) ?? true else { return nil }
            return (day, b)
        }
        // Rooms and teachers in the same order on every machine (numbers by value: A2 before A10).
        let before = NaturalOrder.less
        var days: [Day] = []
        for (day, ofDay) in Dictionary(grouping: chosen, by: \.day).sorted(by: { $0.key < $1.key }) {
            var roomDays: [RoomDay] = []
            for (room, ofRoom) in Dictionary(grouping: ofDay.map(\.booking), by: \.room).sorted(by: {
                before($0.key, $1.key)
            }) {
                let live = ofRoom.filter { $0.reportStatus != .cancelled }
                var span: TimeInterval = 0
                if let start = live.map(\.start).min(), let end = live.map(\.end).max() {
                    span = end.timeIntervalSince(start)
                }
                let byTeacher = Dictionary(grouping: ofRoom) { $0.teachers.joined(separator: " / ") }
                let rows = byTeacher.sorted { before($0.key, $1.key) }.map { teacher, list in
                    var f = ReportFigures()
                    for b in list { f.add(b) }
                    f.spanSeconds = span
                    return Row(day: day, room: room, teacher: teacher, figures: f)
                }
                var sum = rows.map(\.figures).reduce(ReportFigures(), +)
                sum.spanSeconds = span
                roomDays.append(RoomDay(day: day, room: room, rows: rows, figures: sum))
            }
            days.append(Day(day: day, rooms: roomDays, figures: roomDays.map(\.figures).reduce(ReportFigures(), +)))
        }
        self.days = days
        total = days.map(\.figures).reduce(ReportFigures(), +)
        anythingRecorded = chosen.contains { $0.booking.recorded != nil }

        var notes: [String] = []
        if chosen.isEmpty {
            let range =
                "\(from.map { "from \($0)" } ?? "")\(from != nil && to != nil ? " " : "")\(to.map { "to \($0)" } ?? "")"
            notes.append("No conferences\(range.isEmpty ? "" : " \(range)")\(rooms == nil ? "" : " in these rooms").")
        } else if !anythingRecorded {
            notes.append(
                "Nothing has been recorded for these conferences yet (no status, checked-in, started or ended time written by a kiosk): held, no-shows, waits, overruns and actual minutes are zero."
            )
        }
        if total.untimed > 0 {
            notes.append(
                "\(total.untimed) held conference\(total.untimed == 1 ? " has" : "s have") no start or end time recorded: counted as held, adding no actual minutes."
            )
        }
        self.notes = notes
    }
}

extension Booking {
    /// The status the schedule file records for it (a cancellation wins unless it had begun).
    var reportStatus: ConferenceStatus { Conference(booking: self, progress: recorded ?? .fresh).status }
}
