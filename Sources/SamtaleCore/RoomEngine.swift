import Foundation

/// The state of one conference room, and the pure rules that move it.
///
/// A value type: `handle(_:at:)` reduces an event at an instant, `advance(to:)` applies what time
/// alone does (auto-start, assumed end, no-show). Nothing here reads a clock, a file or a device;
/// the same events at the same instants always give the same state.
public struct RoomEngine: Sendable, Hashable {
    public let room: String
    public var rules: Rules
    public let timeZone: TimeZone
    /// The room's conferences, ordered by scheduled start (then id).
    public private(set) var conferences: [Conference] = []
    public private(set) var clockTrusted = true
    public private(set) var faults: [FaultSource: String] = [:]
    /// The last press and its answer, shown on the door for a moment.
    public private(set) var lastPress: PressRecord?
    /// The time up to which time-driven transitions have been applied.
    public private(set) var time: Date
    /// When the bookings were last read (from the schedule file), if ever: the door shows how old
    /// its schedule is when the file cannot be read.
    public private(set) var bookingsReadAt: Date?

    /// From when this engine has watched each conference: time-driven transitions that fall
    /// before it (a no-show, an assumed end while the kiosk was off, before it first ran, or
    /// across a clock correction) are applied to the view but not witnessed (`unwitnessed`).
    private var watchedSince: [String: Date] = [:]
    /// Conferences whose progress comes from a transition this engine did not witness: the
    /// kiosk never records those (the file keeps what it has).
    public private(set) var unwitnessed: Set<String> = []

    private var undoStack: [UndoEntry] = []
    private static let undoDepth = 20

    public struct PressRecord: Sendable, Hashable {
        public var at: Date
        public var source: PressSource
        public var answer: Answer
    }

    struct UndoEntry: Sendable, Hashable {
        var at: Date
        var progress: [String: ConferenceProgress]
    }

    public init(room: String, rules: Rules = .standard, timeZone: TimeZone, bookings: [Booking] = [], at time: Date) {
        self.room = room
        self.rules = rules
        self.timeZone = timeZone
        self.time = time
        if !bookings.isEmpty { bookingsReadAt = time }
        merge(bookings)
    }

    // MARK: - Looking things up

    public func conference(_ id: String) -> Conference? { conferences.first { $0.id == id } }

    /// The session in progress, if any (at most one, by construction).
    public var current: Conference? { conferences.first { $0.status == .inSession } }

    /// Conferences still ahead (scheduled or waiting), in queue order.
    public var pending: [Conference] { conferences.filter(\.isPending) }

    /// Families checked in and waiting, earliest booking first.
    public var waiting: [Conference] { conferences.filter { $0.status == .waiting } }

    private func index(of id: String) -> Int? { conferences.firstIndex { $0.id == id } }

    // MARK: - Events

    /// Reduces one event at the instant `now` and answers it.
    /// Time-driven transitions up to `now` are applied first and after.
    @discardableResult
    public mutating func handle(_ event: Event, at now: Date) -> Answer {
        // A clock that is only now right (synchronised, or stepped): what lies between the old and
        // the new reading was not seen, so watching starts again now.
        switch event {
        case .clockStepped: rewatch(from: now)
        case .clock(let trusted) where trusted && !clockTrusted: rewatch(from: now)
        default: break
        }
        advance(to: now)
        let answer: Answer
        switch event {
        case .press(let source):
            answer = press(at: now)
            lastPress = PressRecord(at: now, source: source, answer: answer)
        case .checkIn(let id):
            answer = act(at: now) { $0.checkIn(id: id, at: now) }
        case .start(let id):
            answer = act(at: now) { $0.start(id: id, at: now) }
        case .end:
            answer = act(at: now) { $0.endCurrent(at: now) }
        case .extend(let minutes):
            answer = act(at: now) { $0.extend(minutes: minutes) }
        case .markNoShow(let id):
            answer = act(at: now) { $0.markNoShow(id: id, at: now) }
        case .undo:
            answer = undo(at: now)
        case .bookings(let bookings):
            merge(bookings)
            bookingsReadAt = now
            answer = .done
        case .clock(let trusted):
            clockTrusted = trusted
            answer = .done
        case .clockStepped:
            answer = .done
        case .fault(let source, let message):
            faults[source] = message
            answer = .done
        }
        advance(to: now)
        return answer
    }

    /// Runs an undoable action: remembers the progress before it, and keeps that only if the
    /// action changed something.
    private mutating func act(at now: Date, _ action: (inout RoomEngine) -> Answer) -> Answer {
        let before = Dictionary(uniqueKeysWithValues: conferences.map { ($0.id, $0.progress) })
        let answer = action(&self)
        if answer == .done || answer.isCheckIn {
            undoStack.append(UndoEntry(at: now, progress: before))
            if undoStack.count > Self.undoDepth { undoStack.removeFirst() }
            // What a person did here is witnessed.
            for c in conferences where before[c.id] != c.progress { unwitnessed.remove(c.id) }
        }
        return answer
    }

    private mutating func press(at now: Date) -> Answer {
        if !clockTrusted { return .unavailable(.clock) }
        // The same family pressing again (or a bouncing finger): acknowledge, don't count.
        if let recent = conferences.filter({ c in
            guard let at = c.progress.checkedIn, c.status == .waiting || c.status == .inSession else { return false }
            return now.timeIntervalSince(at) < rules.repeatPressWindow && now >= at
        }).max(by: { $0.progress.checkedIn! < $1.progress.checkedIn! }) {
            return .alreadyCheckedIn(receipt(for: recent.id, at: now))
        }
        let open = conferences.first { c in
            c.status == .scheduled && c.start.addingTimeInterval(-rules.checkInOpensBefore) <= now
                && now < c.start.addingTimeInterval(rules.noShowAfter)
        }
        if let open {
            _ = act(at: now) { $0.checkIn(id: open.id, at: now) }
            advance(to: now)
            return .checkedIn(receipt(for: open.id, at: now))
        }
        if let next = conferences.first(where: { $0.status == .scheduled && $0.start > now }) {
            return .notYet(nextStart: next.start, opensAt: next.start.addingTimeInterval(-rules.checkInOpensBefore))
        }
        if let someone = waiting.first {
            return .alreadyCheckedIn(receipt(for: someone.id, at: now))
        }
        return .noMoreConferences
    }

    private mutating func checkIn(id: String, at now: Date) -> Answer {
        guard let i = index(of: id) else { return .refused(.unknownConference) }
        guard [.scheduled, .noShow].contains(conferences[i].status) else { return .refused(.notPending) }
        conferences[i].progress.phase = .waiting
        conferences[i].progress.checkedIn = now
        return .done
    }

    private mutating func start(id: String?, at now: Date) -> Answer {
        let targetID: String
        if let id {
            guard conference(id) != nil else { return .refused(.unknownConference) }
            targetID = id
        } else if let next = waiting.first ?? pending.first {
            targetID = next.id
        } else {
            return .refused(.nothingToStart)
        }
        let i = index(of: targetID)!
        let target = conferences[i]
        guard [.scheduled, .waiting, .noShow].contains(target.status) else { return .refused(.notPending) }
        if target.start > now && !(rules.earlyStart && target.status == .waiting) {
            return .refused(.tooEarly)
        }
        if let c = current, let ci = index(of: c.id) {
            conferences[ci].progress.phase = .done
            conferences[ci].progress.ended = now
        }
        conferences[i].progress.phase = .inSession
        conferences[i].progress.started = now
        return .done
    }

    private mutating func endCurrent(at now: Date) -> Answer {
        guard let c = current, let i = index(of: c.id) else { return .refused(.nothingInSession) }
        conferences[i].progress.phase = .done
        conferences[i].progress.ended = now
        return .done
    }

    private mutating func extend(minutes: Int) -> Answer {
        guard (1...240).contains(minutes) else { return .refused(.invalidMinutes) }
        guard let c = current, let i = index(of: c.id) else { return .refused(.nothingInSession) }
        conferences[i].progress.extendedMinutes += minutes
        return .done
    }

    private mutating func markNoShow(id: String?, at now: Date) -> Answer {
        let target: Conference?
        if let id {
            guard let c = conference(id) else { return .refused(.unknownConference) }
            target = c
        } else {
            target = pending.first { $0.start <= now }
        }
        guard let target, let i = index(of: target.id) else { return .refused(.nothingToStart) }
        guard target.isPending else { return .refused(.notPending) }
        conferences[i].progress.phase = .noShow
        return .done
    }

    private mutating func undo(at now: Date) -> Answer {
        guard let last = undoStack.last else { return .refused(.nothingToUndo) }
        if let window = rules.undoWindow, now.timeIntervalSince(last.at) > window { return .refused(.nothingToUndo) }
        undoStack.removeLast()
        for i in conferences.indices {
            if let p = last.progress[conferences[i].id], p != conferences[i].progress {
                conferences[i].progress = p
                unwitnessed.remove(conferences[i].id)
            }
        }
        return .done
    }

    /// Takes in the room's bookings as the schedule now has them. ConferenceProgress is kept by id; progress
    /// another writer recorded in the file is adopted when it is further along; a booking removed
    /// from the file while its family waits or is inside is kept until it ends.
    private mutating func merge(_ bookings: [Booking]) {
        let known = Dictionary(conferences.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for b in bookings where b.room == room && watchedSince[b.id] == nil { watchedSince[b.id] = time }
        var next: [Conference] = []
        var seen = Set<String>()
        for b in bookings where b.room == room && seen.insert(b.id).inserted {
            var progress = known[b.id]?.progress ?? .fresh
            if let recorded = b.recorded, recorded.phase.rank > progress.phase.rank { progress = recorded }
            next.append(Conference(booking: b, progress: progress))
        }
        for c in conferences where !seen.contains(c.id) && (c.status == .waiting || c.status == .inSession) {
            next.append(c)
        }
        conferences = next.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    // MARK: - Time

    /// Applies, in order and each at its own instant, everything time alone does up to `now`:
    /// sessions nobody ended are assumed ended, waiting families are started when the room is
    /// free and their time has come, and families who never checked in become no-shows.
    public mutating func advance(to now: Date) {
        while let (at, transition) = nextTransition(), at <= now {
            apply(transition, at: at)
            // A no-show or an assumed end from before the engine watched is not witnessed. A waiting
            // family's start is: their check-in was seen.
            switch transition {
            case .assumeEnd(let id), .noShow(let id):
                if at < watchedSince[id] ?? .distantPast { unwitnessed.insert(id) }
            case .autoStart: break
            }
        }
        if now > time { time = now }
    }

    /// Watching starts again at `now` for every conference.
    private mutating func rewatch(from now: Date) {
        for id in watchedSince.keys { watchedSince[id] = now }
        if now > time { time = now }
    }

    enum Transition: Hashable {
        case assumeEnd(String)
        case autoStart(String)
        case noShow(String)
    }

    func nextTransition() -> (Date, Transition)? {
        var best: (Date, Transition)?
        func consider(_ at: Date, _ t: Transition) {
            if best == nil || at < best!.0 { best = (at, t) }
        }
        if let c = current {
            // A session started late (after an overrun, or a late family) is given its full length
            // before the engine assumes nobody ended it.
            let fullLength = (c.progress.started ?? c.start).addingTimeInterval(c.duration)
            consider(max(c.plannedEnd, fullLength).addingTimeInterval(rules.assumedEndGrace), .assumeEnd(c.id))
        } else if rules.autoStart, let w = waiting.first, let checkedIn = w.progress.checkedIn {
            let freeSince = conferences.compactMap(\.progress.ended).max() ?? .distantPast
            consider(max(w.start, checkedIn, freeSince), .autoStart(w.id))
        }
        for c in conferences where c.status == .scheduled {
            consider(c.start.addingTimeInterval(rules.noShowAfter), .noShow(c.id))
            break  // the earliest scheduled one is due first
        }
        return best
    }

    private mutating func apply(_ transition: Transition, at: Date) {
        switch transition {
        case .assumeEnd(let id):
            guard let i = index(of: id) else { return }
            conferences[i].progress.phase = .done
            conferences[i].progress.ended = at
            conferences[i].progress.endAssumed = true
        case .autoStart(let id):
            guard let i = index(of: id) else { return }
            conferences[i].progress.phase = .inSession
            conferences[i].progress.started = at
        case .noShow(let id):
            guard let i = index(of: id) else { return }
            conferences[i].progress.phase = .noShow
        }
    }

    // MARK: - The queue

    /// Expected start and end of every pending conference, from the real queue: the session in
    /// progress (or its overrun) pushes everything after it. Never earlier than scheduled.
    public func expectedTimes(at now: Date) -> [String: (start: Date, end: Date)] {
        var t = now
        if let c = current { t = max(now, c.plannedEnd) }
        var result: [String: (start: Date, end: Date)] = [:]
        for c in pending {
            let start = max(c.start, t)
            let end = start.addingTimeInterval(c.duration)
            result[c.id] = (start, end)
            t = end
        }
        return result
    }

    func receipt(for id: String, at now: Date) -> Receipt {
        let c = conference(id)!
        let expected = expectedTimes(at: now)[id]?.start ?? c.progress.started ?? c.start
        let ahead: Int
        if c.status == .inSession {
            ahead = 0
        } else {
            let queue = conferences.filter { $0.status == .inSession || $0.status == .waiting }
            ahead = queue.prefix { $0.id != id }.count
        }
        return Receipt(
            id: id, scheduledStart: c.start, scheduledEnd: c.booking.end, expectedStart: expected, ahead: ahead)
    }
}

extension Answer {
    public var isCheckIn: Bool {
        if case .checkedIn = self { return true }
        return false
    }

    public var isAlreadyCheckedIn: Bool {
        if case .alreadyCheckedIn = self { return true }
        return false
    }
}
