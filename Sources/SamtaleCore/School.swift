import Foundation

/// Every room of a school at once: what the caretaker and `samtale status` see.
public struct School: Sendable {
    public private(set) var rooms: [String: RoomEngine]

    public init(bookings: [Booking], rules: Rules = .standard, timeZone: TimeZone, at time: Date) {
        let byRoom = Dictionary(grouping: bookings, by: \.room)
        rooms = byRoom.mapValues {
            RoomEngine(room: $0[0].room, rules: rules, timeZone: timeZone, bookings: $0, at: time)
        }
    }

    /// The rooms in `NaturalOrder` (the same on every machine).
    public var roomNames: [String] { rooms.keys.sorted(by: NaturalOrder.less) }

    public mutating func advance(to now: Date) {
        for key in rooms.keys { rooms[key]!.advance(to: now) }
    }

    /// One line per room for the caretaker: the fields `samtale status --json` promises.
    /// `served`: the rooms a running kiosk serves (nil: all). Any other room shows its schedule
    /// and what was recorded, never a state nobody witnessed (no invented no-shows or delays).
    public func status(at now: Date, served: Set<String>? = nil) -> [RoomStatus] {
        roomNames.compactMap { name in
            guard var engine = rooms[name] else { return nil }
            let isServed = served?.contains(name) ?? true
            guard isServed else {
                let door = engine.doorView(at: now)
                return RoomStatus(
                    room: name, light: door.light, current: engine.current.map { RoomStatus.Slot($0, expected: nil) },
                    next: engine.pending.first { $0.start.addingTimeInterval($0.duration) > now }.map {
                        RoomStatus.Slot($0, expected: nil)
                    }, runningLateMinutes: 0, waitingCount: door.waitingCount, remainingSeconds: door.remainingSeconds,
                    served: false)
            }
            engine.advance(to: now)
            let door = engine.doorView(at: now)
            return RoomStatus(
                room: name, light: door.light,
                current: engine.current.map { RoomStatus.Slot($0, expected: nil) },
                next: door.next.flatMap { n in
                    engine.conference(n.id).map { RoomStatus.Slot($0, expected: n.expectedStart) }
                },
                runningLateMinutes: door.runningLateMinutes, waitingCount: door.waitingCount,
                remainingSeconds: door.remainingSeconds)
        }
    }
}

/// A room's state at an instant, as `samtale status` reports it.
public struct RoomStatus: Sendable, Hashable, Codable {
    public struct Slot: Sendable, Hashable, Codable {
        public var id: String
        public var start: Date
        public var end: Date
        public var status: ConferenceStatus
        public var expectedStart: Date?
        public var teachers: [String]
        /// Only filled in when names are asked for (`--names`).
        public var pupil: String?
        public var guardians: [String]?

        init(_ c: Conference, expected: Date?) {
            id = c.id
            start = c.start
            end = c.plannedEnd
            status = c.status
            expectedStart = expected
            teachers = c.booking.teachers
            pupil = c.booking.pupil
            guardians = c.booking.guardians
        }

        public func withoutNames() -> Slot {
            var s = self
            s.pupil = nil
            s.guardians = nil
            return s
        }
    }

    public var room: String
    public var light: LightState
    public var current: Slot?
    public var next: Slot?
    public var runningLateMinutes: Int
    public var waitingCount: Int
    public var remainingSeconds: Int?
    /// Whether a running kiosk serves the room (false: the schedule only, as the file has it).
    public var served: Bool = true

    enum CodingKeys: String, CodingKey {
        case room, light, current, next, runningLateMinutes, waitingCount, remainingSeconds, served
    }

    public init(
        room: String, light: LightState, current: Slot?, next: Slot?, runningLateMinutes: Int, waitingCount: Int,
        remainingSeconds: Int?, served: Bool = true
    ) {
        self.room = room
        self.light = light
        self.current = current
        self.next = next
        self.runningLateMinutes = runningLateMinutes
        self.waitingCount = waitingCount
        self.remainingSeconds = remainingSeconds
        self.served = served
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        room = try c.decode(String.self, forKey: .room)
        light = try c.decode(LightState.self, forKey: .light)
        current = try c.decodeIfPresent(Slot.self, forKey: .current)
        next = try c.decodeIfPresent(Slot.self, forKey: .next)
        runningLateMinutes = try c.decode(Int.self, forKey: .runningLateMinutes)
        waitingCount = try c.decode(Int.self, forKey: .waitingCount)
        remainingSeconds = try c.decodeIfPresent(Int.self, forKey: .remainingSeconds)
        served = try c.decodeIfPresent(Bool.self, forKey: .served) ?? true
    }

    /// `current` and `next` are written as `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(room, forKey: .room)
        try c.encode(light, forKey: .light)
        try c.encode(current, forKey: .current)
        try c.encode(next, forKey: .next)
        try c.encode(runningLateMinutes, forKey: .runningLateMinutes)
        try c.encode(waitingCount, forKey: .waitingCount)
        try c.encode(remainingSeconds, forKey: .remainingSeconds)
        try c.encode(served, forKey: .served)
    }

    public func withoutNames() -> RoomStatus {
        var s = self
        s.current = current?.withoutNames()
        s.next = next?.withoutNames()
        return s
    }
}
