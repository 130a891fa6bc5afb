import Foundation

/// The conference-day rules. Each has a default a school can change in its configuration.
public struct Rules: Sendable, Hashable, Codable {
    /// Check-in opens this long before the scheduled start.
    public var checkInOpensBefore: TimeInterval = 20 * 60
    /// A conference nobody checked in for is a no-show this long after its scheduled start.
    public var noShowAfter: TimeInterval = 10 * 60
    /// Start a session by itself when the family is waiting, the room is free and the time has come.
    public var autoStart: Bool = true
    /// Let the teacher start early when the room is free and the family is waiting.
    public var earlyStart: Bool = true
    /// A session nobody ends is assumed ended this long after its (extended) scheduled end.
    public var assumedEndGrace: TimeInterval = 10 * 60
    /// The light and the views say "ending soon" this long before the end.
    public var endingSoon: TimeInterval = 5 * 60
    /// A teacher-facing light cues the last minute this long before the end.
    public var finalMinute: TimeInterval = 60
    /// A press this soon after a check-in is the same family pressing again: acknowledged, not counted.
    public var repeatPressWindow: TimeInterval = 2 * 60
    /// How long the door shows the answer to a press.
    public var acknowledgementShown: TimeInterval = 8
    /// The last action can be undone within this time (nil: until the next action).
    public var undoWindow: TimeInterval? = nil
    /// How many upcoming conferences the door lists.
    public var upcomingShown: Int = 3

    public init() {}

    public static let standard = Rules()
}
