import Foundation

/// How one kiosk is doing, as it last reported itself on the school's share (its heartbeat).
/// Shown to caretakers: no names.
public struct KioskHealth: Sendable, Hashable, Codable {
    public var kiosk: String
    public var room: String
    /// When the kiosk last reported.
    public var at: Date
    public var light: LightState
    /// Fault kinds (`schedule`, `hardware`, `clock`).
    public var faults: [String]
    public var clockTrusted: Bool
    /// When it last wrote its rooms' state into the schedule file.
    public var lastWrite: Date?
    /// Changes recorded but not yet written to the schedule file.
    public var backlog: Int
    public var version: String?

    public init(
        kiosk: String, room: String, at: Date, light: LightState, faults: [String], clockTrusted: Bool,
        lastWrite: Date?, backlog: Int, version: String? = nil
    ) {
        self.kiosk = kiosk
        self.room = room
        self.at = at
        self.light = light
        self.faults = faults
        self.clockTrusted = clockTrusted
        self.lastWrite = lastWrite
        self.backlog = backlog
        self.version = version
    }

    /// A kiosk that has not reported for this long is shown as silent (off, crashed or cut off).
    public static let silentAfter: TimeInterval = 180

    public func silent(at now: Date) -> Bool { now.timeIntervalSince(at) > Self.silentAfter }
}

/// The caretaker's page: every room of the school now, and every kiosk's health. No names.
public struct CaretakerView: Sendable, Hashable, Codable {
    public struct Room: Sendable, Hashable, Codable {
        public var status: RoomStatus
        public var kiosks: [String]
        /// Conferences today in this room: held so far, no-shows, cancelled, still ahead.
        public var held: Int
        public var noShows: Int
        public var cancelled: Int
        public var ahead: Int
    }

    public struct Kiosk: Sendable, Hashable, Codable {
        public var health: KioskHealth
        public var silent: Bool
        /// What needs a caretaker's attention, in plain words (empty: fine).
        public var attention: [String]
    }

    public var now: Date
    public var rooms: [Room]
    public var kiosks: [Kiosk]
    /// Rooms in the schedule that no kiosk reports for.
    public var roomsWithoutKiosk: [String]
    /// When the schedule file was last read, and whether it could be used then.
    public var scheduleReadAt: Date?
    public var scheduleProblem: String?
    /// Who has the schedule file open in a spreadsheet, and since when (nil: nobody).
    public var openBy: String?

    /// Builds the view from the school's bookings (their recorded state included) and the kiosks'
    /// heartbeats. Pure: the same inputs give the same view.
    public static func make(
        bookings: [Booking], heartbeats: [KioskHealth], timeZone: TimeZone, rules: Rules = .standard, at now: Date,
        scheduleReadAt: Date?, scheduleProblem: String?, openBy: String? = nil
    ) -> CaretakerView {
        let served = Set(heartbeats.filter { !$0.silent(at: now) }.map(\.room))
        let statuses = School(bookings: bookings, rules: rules, timeZone: timeZone, at: now)
            .status(at: now, served: served).map { $0.withoutNames() }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = bookings.filter { calendar.isDate($0.start, inSameDayAs: now) }
        let byRoom = Dictionary(grouping: today, by: \.room)
        let kioskRooms = Dictionary(grouping: heartbeats, by: \.room)
        let rooms = statuses.map { s -> Room in
            let list = byRoom[s.room] ?? []
            func count(_ status: ConferenceStatus) -> Int {
                list.filter { !$0.cancelled && $0.recorded?.phase == status }.count
            }
            return Room(
                status: s, kiosks: (kioskRooms[s.room] ?? []).map(\.kiosk).sorted(), held: count(.done),
                noShows: count(.noShow), cancelled: list.filter(\.cancelled).count,
                ahead: list.filter { !$0.cancelled && $0.end > now && ($0.recorded?.phase.rank ?? 0) < 3 }.count)
        }
        let kiosks = heartbeats.sorted { ($0.room, $0.kiosk) < ($1.room, $1.kiosk) }.map { h -> Kiosk in
            var attention: [String] = []
            let silent = h.silent(at: now)
            if silent { attention.append("silent since \(Int(now.timeIntervalSince(h.at) / 60)) min") }
            if !h.clockTrusted { attention.append("clock not synchronised") }
            for f in h.faults where f != "clock" { attention.append("\(f) fault") }
            if h.backlog > 0 { attention.append("\(h.backlog) change(s) not yet written to the schedule file") }
            let twins = heartbeats.filter { $0.room == h.room && $0.kiosk != h.kiosk && !$0.silent(at: now) }
            if !twins.isEmpty && !silent {
                attention.append(
                    "serves room \(h.room) together with \(twins.map(\.kiosk).sorted().joined(separator: ", "))")
            }
            return Kiosk(health: h, silent: silent, attention: attention)
        }
        return CaretakerView(
            now: now, rooms: rooms, kiosks: kiosks,
            roomsWithoutKiosk: statuses.map(\.room).filter { !served.contains($0) }, scheduleReadAt: scheduleReadAt,
            scheduleProblem: scheduleProblem, openBy: openBy)
    }
}

extension CaretakerView {
    /// What of the school's bookings `make` needs for any instant of `now`'s local day: that day's
    /// bookings, every booking recorded waiting or in session (a family never resolved still
    /// counts), and for each room its earliest booking after the day (and the earliest still to be
    /// held: its next conference) and its latest before it (so that a room whose conferences are
    /// over is still listed). A kiosk keeps only these of the other rooms (issue 12: a school's
    /// 20,000 rows are not held twice) and takes them anew from the file when the day changes.
    public static func needed(_ bookings: [Booking], on now: Date, timeZone: TimeZone) -> [Booking] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let dayStart = calendar.startOfDay(for: now)
        guard let nextDay = calendar.date(byAdding: .day, value: 1, to: dayStart) else { return bookings }
        var keep = [Bool](repeating: false, count: bookings.count)
        // Per room: the first start after the day (of any row, and of a row still pending) and the
        // last start before it. Every row at such an instant is kept, not one of them: which of
        // two rows at the same start the view shows is the view's to decide.
        var after: [String: Date] = [:]
        var afterLive: [String: Date] = [:]
        var before: [String: Date] = [:]
        func pending(_ b: Booking) -> Bool {
            !b.cancelled && (b.recorded.map { $0.phase == .scheduled || $0.phase == .waiting } ?? true)
        }
        for (i, b) in bookings.enumerated() {
            // A family recorded waiting or in session on another day still counts (never resolved).
            if b.recorded?.phase == .waiting || b.recorded?.phase == .inSession { keep[i] = true }
            if b.start >= nextDay {
                if after[b.room].map({ b.start < $0 }) ?? true { after[b.room] = b.start }
                if pending(b), afterLive[b.room].map({ b.start < $0 }) ?? true { afterLive[b.room] = b.start }
            } else if b.start >= dayStart {
                keep[i] = true
            } else if before[b.room].map({ b.start > $0 }) ?? true {
                before[b.room] = b.start
            }
        }
        for (i, b) in bookings.enumerated() where !keep[i] {
            if b.start == after[b.room] || b.start == afterLive[b.room] || b.start == before[b.room] { keep[i] = true }
        }
        return bookings.indices.filter { keep[$0] }.map { bookings[$0] }
    }
}
