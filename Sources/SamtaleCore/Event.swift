import Foundation

/// Where a check-in press came from. Every source goes through the same rules.
public enum PressSource: String, Sendable, Hashable, Codable {
    /// The push button by the door (GPIO, or the simulated board).
    case button
    /// The on-screen button on a touch display.
    case touch
    /// The office checking a family in for a room (`samtale checkin`).
    case office
}

/// Why something is faulty. Public surfaces show the kind, never the message.
public enum FaultSource: String, Sendable, Hashable, Codable, CaseIterable {
    case schedule
    case hardware
    case clock
}

/// Everything that can happen to a room. The engine reduces these, in order, at given instants.
public enum Event: Sendable, Hashable {
    /// A family pressed check-in.
    case press(PressSource)
    /// The teacher (or office) checks in this conference explicitly, whatever the window.
    case checkIn(id: String)
    /// The teacher starts this conference, or the next one. A session in progress ends.
    case start(id: String?)
    /// The teacher ends the session in progress.
    case end
    /// The teacher extends the session in progress.
    case extend(minutes: Int)
    /// The teacher marks this conference (or the one due now) as a no-show.
    case markNoShow(id: String?)
    /// Revert the last action.
    case undo
    /// The schedule was (re)loaded: the room's bookings as they now are.
    case bookings([Booking])
    /// Whether the wall clock can be trusted (synchronised). No check-in against a wrong clock.
    case clock(trusted: Bool)
    /// The wall clock was stepped (set by hand, or synchronised after a boot without a real-time
    /// clock): nothing between the old and the new reading was witnessed.
    case clockStepped
    /// A fault of one kind appears (with a message for the logs and staff) or clears (nil).
    case fault(FaultSource, String?)
}

/// What a check-in press tells the family.
public struct Receipt: Sendable, Hashable, Codable {
    public var id: String
    public var scheduledStart: Date
    public var scheduledEnd: Date
    public var expectedStart: Date
    /// Families ahead in the queue (in session or waiting before this one).
    public var ahead: Int
}

/// Why an action was not carried out.
public enum Refusal: String, Sendable, Hashable, Codable {
    case unknownConference = "unknown-conference"
    case notPending = "not-pending"
    case nothingInSession = "nothing-in-session"
    case nothingToStart = "nothing-to-start"
    case tooEarly = "too-early"
    case invalidMinutes = "invalid-minutes"
    case nothingToUndo = "nothing-to-undo"
}

/// The engine's answer to one event. Every press gets one.
public enum Answer: Sendable, Hashable {
    /// Checked in just now.
    case checkedIn(Receipt)
    /// This family is already checked in: acknowledged again, not counted twice.
    case alreadyCheckedIn(Receipt)
    /// No conference is open for check-in; the next one starts then and check-in opens then.
    case notYet(nextStart: Date, opensAt: Date)
    /// No conference is ahead in this room.
    case noMoreConferences
    /// Check-in cannot be taken now (the clock is not set, or the kiosk has a fault).
    case unavailable(FaultSource)
    /// A teacher action or a system event was carried out.
    case done
    case refused(Refusal)

    /// A short machine word for logs, metrics and JSON.
    public var word: String {
        switch self {
        case .checkedIn: "checked-in"
        case .alreadyCheckedIn: "already-checked-in"
        case .notYet: "not-yet"
        case .noMoreConferences: "no-more-conferences"
        case .unavailable: "unavailable"
        case .done: "done"
        case .refused(let r): r.rawValue
        }
    }
}
