import Foundation

/// What the occupancy light shows down the corridor.
public enum LightState: String, Sendable, Hashable, Codable, CaseIterable {
    case free
    case waiting
    case inSession = "in-session"
    case endingSoon = "ending-soon"
    case overrun
    case closed
    case fault
}

/// What a school allows the public door to show to tell families apart. Never a name.
public enum Identify: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case code
    case initials
}

/// A conference as the public door shows it: a time slot, never a name.
public struct DoorSlot: Sendable, Hashable, Codable {
    public var id: String
    public var start: Date
    public var end: Date
    public var status: ConferenceStatus
    public var expectedStart: Date?
    /// Minutes later than scheduled the conference is expected to (or did) start.
    public var lateMinutes: Int
    /// The family has checked in.
    public var waiting: Bool
    /// A booking code or initials, only when the school configured one.
    public var identify: String?
}

/// The answer to the latest press, while the door shows it.
public struct Acknowledgement: Sendable, Hashable, Codable {
    public var at: Date
    public var source: PressSource
    /// `checked-in`, `already-checked-in`, `not-yet`, `no-more-conferences`, `unavailable`.
    public var result: String
    public var slotStart: Date?
    public var slotEnd: Date?
    public var expectedStart: Date?
    public var opensAt: Date?
    public var ahead: Int?
}

/// Everything the door shows: public, so it carries no names.
public struct DoorView: Sendable, Hashable, Codable {
    public var room: String
    /// The room's name on the door, as configured (e.g. "Rom 204 – 5B").
    public var roomName: String?
    /// The teachers of the current or next conference, when the school shows them.
    public var teachers: [String]
    public var now: Date
    public var light: LightState
    public var current: DoorSlot?
    public var next: DoorSlot?
    public var upcoming: [DoorSlot]
    public var runningLateMinutes: Int
    public var remainingSeconds: Int?
    public var overrunSeconds: Int?
    public var waitingCount: Int
    public var nextWaiting: Bool
    public var checkInOpen: Bool
    public var acknowledgement: Acknowledgement?
    /// No conference is ahead today.
    public var dayOver: Bool
    public var clockTrusted: Bool
    /// The cue for a teacher-facing light: `none`, `five-minutes`, `one-minute`, `overrun`.
    public var teacherCue: TeacherCue
    /// The kinds of fault (`schedule`, `hardware`, `clock`); the messages stay private.
    public var faults: [String]
    /// When the schedule was last read successfully (nil: never): with a `schedule` fault, the
    /// door says how old the schedule it shows is.
    public var scheduleReadAt: Date? = nil
    /// Night mode now (`dark` or `clock`), nil in conference hours or when the school turned it off.
    public var night: NightMode? = nil
    /// When check-in opens for the next conference nobody has checked in for yet (nil: none today).
    public var checkInOpensAt: Date? = nil

    enum CodingKeys: String, CodingKey {
        case room, roomName, teachers, now, light, current, next, upcoming, runningLateMinutes, remainingSeconds
        case overrunSeconds, waitingCount, nextWaiting, checkInOpen, acknowledgement, dayOver, clockTrusted, teacherCue
        case faults, scheduleReadAt, night, checkInOpensAt
    }

    /// Absent values are written as `null`, so that clients can rely on every key being there.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(room, forKey: .room)
        try c.encode(roomName, forKey: .roomName)
        try c.encode(teachers, forKey: .teachers)
        try c.encode(now, forKey: .now)
        try c.encode(light, forKey: .light)
        try c.encode(current, forKey: .current)
        try c.encode(next, forKey: .next)
        try c.encode(upcoming, forKey: .upcoming)
        try c.encode(runningLateMinutes, forKey: .runningLateMinutes)
        try c.encode(remainingSeconds, forKey: .remainingSeconds)
        try c.encode(overrunSeconds, forKey: .overrunSeconds)
        try c.encode(waitingCount, forKey: .waitingCount)
        try c.encode(nextWaiting, forKey: .nextWaiting)
        try c.encode(checkInOpen, forKey: .checkInOpen)
        try c.encode(acknowledgement, forKey: .acknowledgement)
        try c.encode(dayOver, forKey: .dayOver)
        try c.encode(clockTrusted, forKey: .clockTrusted)
        try c.encode(teacherCue, forKey: .teacherCue)
        try c.encode(faults, forKey: .faults)
        try c.encode(scheduleReadAt, forKey: .scheduleReadAt)
        try c.encode(night, forKey: .night)
        try c.encode(checkInOpensAt, forKey: .checkInOpensAt)
    }
}

/// What the door shows outside conference hours: a dark screen, a minimal clock, or the full page.
public enum NightMode: String, Sendable, Hashable, Codable, CaseIterable {
    case dark
    case clock
    case off
}

/// What a teacher-facing light inside the room cues: time is running out.
public enum TeacherCue: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case fiveMinutes = "five-minutes"
    case oneMinute = "one-minute"
    case overrun
}

/// How the public door presents the room, as the school configures it.
public struct DoorOptions: Sendable, Hashable, Codable {
    public var identify: Identify = .none
    public var showTeachers: Bool = true
    public var roomName: String? = nil
    /// Outside conference hours: the room is closed and no conference starts within
    /// `nightQuiet` (or none is left today).
    public var night: NightMode = .clock
    public var nightQuiet: TimeInterval = 60 * 60

    public init(
        identify: Identify = .none, showTeachers: Bool = true, roomName: String? = nil, night: NightMode = .clock,
        nightQuiet: TimeInterval = 60 * 60
    ) {
        self.identify = identify
        self.showTeachers = showTeachers
        self.roomName = roomName
        self.night = night
        self.nightQuiet = nightQuiet
    }
}

/// A conference as the teacher sees it, inside the room: names and all.
public struct TeacherSlot: Sendable, Hashable, Codable {
    public var id: String
    public var start: Date
    public var end: Date
    public var status: ConferenceStatus
    public var pupil: String
    public var guardians: [String]
    public var kind: String?
    public var interpreter: String?
    public var notes: String?
    public var checkedIn: Date?
    public var expectedStart: Date?
}

public struct TeacherView: Sendable, Hashable, Codable {
    public var room: String
    public var now: Date
    public var light: LightState
    public var current: TeacherSlot?
    public var remainingSeconds: Int?
    public var overrunSeconds: Int?
    public var waiting: [TeacherSlot]
    public var next: TeacherSlot?
    public var runningLateMinutes: Int
    public var interpreterNeeded: String?
}

/// How one conference went, against its plan.
public struct TimingRecord: Sendable, Hashable, Codable {
    public var id: String
    public var room: String
    public var status: ConferenceStatus
    public var scheduledStart: Date
    public var scheduledEnd: Date
    public var checkedIn: Date?
    public var started: Date?
    public var ended: Date?
    public var endAssumed: Bool
    public var extendedMinutes: Int
    /// From check-in to start.
    public var waitSeconds: Int?
    /// From scheduled to actual start (negative when early).
    public var startDelaySeconds: Int?
    /// Past the (extended) scheduled end.
    public var overrunSeconds: Int?
    public var actualSeconds: Int?
}

extension RoomEngine {
    private var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    /// The instant the school's local day containing `date` ends (DST-correct).
    func endOfLocalDay(_ date: Date) -> Date {
        let cal = calendar
        let startOfDay = cal.startOfDay(for: date)
        return cal.date(byAdding: .day, value: 1, to: startOfDay) ?? startOfDay.addingTimeInterval(86_400)
    }

    /// This state with the time-driven transitions applied up to `now`: every view is of the
    /// room as it is at the instant asked for, however long ago the last event was.
    public func advanced(to now: Date) -> RoomEngine {
        guard let (due, _) = nextTransition(), due <= now else { return self }
        var copy = self
        copy.advance(to: now)
        return copy
    }

    /// The light at `now`.
    public func light(at now: Date) -> LightState {
        let e = advanced(to: now)
        return e.lightNow(at: now)
    }

    private func lightNow(at now: Date) -> LightState {
        if !clockTrusted || faults.keys.contains(where: { $0 != .schedule }) { return .fault }
        // A schedule file that cannot be read now (a share gone for a while, a broken save) leaves
        // the room running on the last good schedule: the light keeps showing the room, and the
        // door, /healthz and the caretakers say the schedule is old. Only a kiosk that has never
        // read its schedule cannot tell the room's state.
        if faults[.schedule] != nil && bookingsReadAt == nil { return .fault }
        if let c = current {
            if now > c.plannedEnd { return .overrun }
            if c.plannedEnd.timeIntervalSince(now) <= rules.endingSoon { return .endingSoon }
            return .inSession
        }
        if !waiting.isEmpty { return .waiting }
        if isClosed(at: now) { return .closed }
        return .free
    }

    /// Closed: nothing in session, nobody waiting, and either no conference ahead today or the
    /// day's first check-in not yet open.
    func isClosed(at now: Date) -> Bool {
        let dayEnd = endOfLocalDay(now)
        let today = pending.filter { $0.start < dayEnd }
        guard let first = today.first else { return true }
        let dayStart = calendar.startOfDay(for: now)
        let startedToday = conferences.contains { ($0.progress.started ?? .distantPast) >= dayStart }
        return !startedToday && now < first.start.addingTimeInterval(-rules.checkInOpensBefore)
    }

    private func lateMinutes(_ scheduled: Date, _ actual: Date) -> Int {
        max(0, Int((actual.timeIntervalSince(scheduled) / 60).rounded(.up)))
    }

    private func identify(_ c: Conference, _ mode: Identify) -> String? {
        switch mode {
        case .none: nil
        case .code: c.booking.code.flatMap { $0.isEmpty ? nil : $0 }
        case .initials: c.booking.pupil.isEmpty ? nil : c.booking.pupilInitials
        }
    }

    private func doorSlot(_ c: Conference, expected: Date?, identify mode: Identify) -> DoorSlot {
        let actual = c.progress.started ?? expected ?? c.start
        return DoorSlot(
            id: c.id, start: c.start, end: c.plannedEnd, status: c.status, expectedStart: expected,
            lateMinutes: lateMinutes(c.start, actual), waiting: c.status == .waiting,
            identify: identify(c, mode))
    }

    /// How late the room runs: the next conference's expected delay, or the overrun in progress.
    public func runningLateMinutes(at now: Date) -> Int {
        let expected = expectedTimes(at: now)
        if let next = pending.first, let e = expected[next.id] { return lateMinutes(next.start, e.start) }
        if let c = current, now > c.plannedEnd { return lateMinutes(c.plannedEnd, now) }
        return 0
    }

    /// The public door view at `now`.
    public func doorView(at now: Date, options: DoorOptions = DoorOptions()) -> DoorView {
        advanced(to: now).doorViewNow(at: now, options: options)
    }

    private func doorViewNow(at now: Date, options: DoorOptions) -> DoorView {
        let mode = options.identify
        let expected = expectedTimes(at: now)
        let upcoming = pending.prefix(max(1, rules.upcomingShown)).map {
            doorSlot($0, expected: expected[$0.id]?.start, identify: mode)
        }
        let cur = current
        var ack: Acknowledgement?
        if let p = lastPress, now >= p.at, now.timeIntervalSince(p.at) < rules.acknowledgementShown {
            ack = Acknowledgement(at: p.at, source: p.source, result: p.answer.word)
            switch p.answer {
            case .checkedIn(let r), .alreadyCheckedIn(let r):
                ack?.slotStart = r.scheduledStart
                ack?.slotEnd = r.scheduledEnd
                ack?.expectedStart = r.expectedStart
                ack?.ahead = r.ahead
            case .notYet(let start, let opens):
                ack?.slotStart = start
                ack?.opensAt = opens
            default: break
            }
        }
        let dayEnd = endOfLocalDay(now)
        let shown = cur ?? pending.first
        let light = lightNow(at: now)
        var view = DoorView(
            room: room, roomName: options.roomName,
            teachers: options.showTeachers ? shown?.booking.teachers ?? [] : [],
            now: now, light: light,
            current: cur.map { doorSlot($0, expected: nil, identify: mode) },
            next: upcoming.first, upcoming: Array(upcoming),
            runningLateMinutes: runningLateMinutes(at: now),
            remainingSeconds: cur.map { max(0, Int($0.plannedEnd.timeIntervalSince(now).rounded(.up))) },
            overrunSeconds: cur.map { max(0, Int(now.timeIntervalSince($0.plannedEnd))) },
            waitingCount: waiting.count,
            nextWaiting: pending.first?.status == .waiting,
            checkInOpen: clockTrusted
                && conferences.contains {
                    $0.status == .scheduled && $0.start.addingTimeInterval(-rules.checkInOpensBefore) <= now
                },
            acknowledgement: ack,
            dayOver: !pending.contains { $0.start < dayEnd } && cur == nil,
            clockTrusted: clockTrusted,
            teacherCue: cur.map { c -> TeacherCue in
                let left = c.plannedEnd.timeIntervalSince(now)
                if left < 0 { return .overrun }
                if left <= rules.finalMinute { return .oneMinute }
                if left <= rules.endingSoon { return .fiveMinutes }
                return .none
            } ?? .none,
            faults: FaultSource.allCases.filter { faults[$0] != nil }.map(\.rawValue)
                + (clockTrusted || faults[.clock] != nil ? [] : [FaultSource.clock.rawValue]))
        view.scheduleReadAt = bookingsReadAt
        view.checkInOpensAt = pending.first { $0.status == .scheduled && $0.start < dayEnd }
            .map { $0.start.addingTimeInterval(-rules.checkInOpensBefore) }
        if options.night != .off, light == .closed,
            pending.first.map({ $0.start.timeIntervalSince(now) > options.nightQuiet }) ?? true
        {
            view.night = options.night
        }
        return view
    }

    private func teacherSlot(_ c: Conference, expected: Date?) -> TeacherSlot {
        TeacherSlot(
            id: c.id, start: c.start, end: c.plannedEnd, status: c.status, pupil: c.booking.pupil,
            guardians: c.booking.guardians, kind: c.booking.kind, interpreter: c.booking.interpreter,
            notes: c.booking.notes, checkedIn: c.progress.checkedIn, expectedStart: expected)
    }

    /// The teacher's view at `now`: private, with names.
    public func teacherView(at now: Date) -> TeacherView {
        advanced(to: now).teacherViewNow(at: now)
    }

    private func teacherViewNow(at now: Date) -> TeacherView {
        let expected = expectedTimes(at: now)
        let cur = current
        let next = pending.first.map { teacherSlot($0, expected: expected[$0.id]?.start) }
        return TeacherView(
            room: room, now: now, light: lightNow(at: now),
            current: cur.map { teacherSlot($0, expected: nil) },
            remainingSeconds: cur.map { max(0, Int($0.plannedEnd.timeIntervalSince(now).rounded(.up))) },
            overrunSeconds: cur.map { max(0, Int(now.timeIntervalSince($0.plannedEnd))) },
            waiting: waiting.map { teacherSlot($0, expected: expected[$0.id]?.start) },
            next: next, runningLateMinutes: runningLateMinutes(at: now),
            interpreterNeeded: (cur ?? pending.first)?.booking.interpreter)
    }

    /// How every conference went, against its plan.
    public var timingRecords: [TimingRecord] {
        conferences.map { c in
            let p = c.progress
            func secs(_ a: Date?, _ b: Date?) -> Int? {
                guard let a, let b else { return nil }
                return Int(b.timeIntervalSince(a).rounded())
            }
            return TimingRecord(
                id: c.id, room: room, status: c.status, scheduledStart: c.start, scheduledEnd: c.booking.end,
                checkedIn: p.checkedIn, started: p.started, ended: p.ended, endAssumed: p.endAssumed,
                extendedMinutes: p.extendedMinutes, waitSeconds: secs(p.checkedIn, p.started),
                startDelaySeconds: secs(c.start, p.started),
                overrunSeconds: p.ended.map { max(0, Int($0.timeIntervalSince(c.plannedEnd).rounded())) },
                actualSeconds: secs(p.started, p.ended))
        }
    }

    /// `nextChange(after:)` with the door's options: also the instant night mode ends (the next
    /// conference comes within `nightQuiet`).
    public func nextChange(after now: Date, options: DoorOptions) -> Date? {
        var next = nextChange(after: now)
        if options.night != .off, let p = pending.first {
            let dawn = p.start.addingTimeInterval(-options.nightQuiet)
            if dawn > now { next = min(next ?? dawn, dawn) }
        }
        return next
    }

    /// Nothing in the room changes by the passing of time alone before `nextChange`: no session
    /// running (its overrun grows), nobody waiting, no conference due or late (its expected
    /// start moves with the clock). The shell then has nothing to recompute until then.
    public func isQuiet(at now: Date) -> Bool {
        current == nil && !conferences.contains { c in c.status == .waiting || (c.isPending && c.start <= now) }
    }

    /// The next instant after `now` at which anything the room shows can change by time alone,
    /// so the shell sleeps exactly until then instead of ticking.
    public func nextChange(after now: Date) -> Date? {
        var candidates: [Date] = []
        if let (at, _) = nextTransition() { candidates.append(at) }
        if let c = current {
            candidates += [
                c.plannedEnd.addingTimeInterval(-rules.endingSoon), c.plannedEnd.addingTimeInterval(-rules.finalMinute),
                c.plannedEnd,
            ]
        }
        for c in pending {
            candidates += [c.start.addingTimeInterval(-rules.checkInOpensBefore), c.start]
        }
        if let p = lastPress { candidates.append(p.at.addingTimeInterval(rules.acknowledgementShown)) }
        if !conferences.isEmpty { candidates.append(endOfLocalDay(now)) }
        return candidates.filter { $0 > now }.min()
    }
}
