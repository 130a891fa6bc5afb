import CSamtaleLinux
import Foundation
import Synchronization

/// The time the kiosk runs on.
public protocol WallClock: Sendable {
    /// The school's wall-clock instant now.
    func now() -> Date
}

/// Wall time carried forward by the monotonic clock: durations inside the kiosk are monotonic,
/// so a clock stepped by NTP (or by hand) cannot stretch or shrink a session. When the system
/// clock is found to have been stepped, the kiosk re-anchors and reports the step.
public final class MonotonicWallClock: WallClock, Sendable {
    private struct Anchor {
        var wall: Date
        var mono: ContinuousClock.Instant
    }
    private let anchor: Mutex<Anchor>
    private let system: @Sendable () -> Date
    /// A step larger than this (seconds) re-anchors.
    public let tolerance: TimeInterval

    public init(system: @escaping @Sendable () -> Date = { Date() }, tolerance: TimeInterval = 2) {
        self.system = system
        self.tolerance = tolerance
        anchor = Mutex(Anchor(wall: system(), mono: .now))
    }

    public func now() -> Date {
        anchor.withLock { a in
            let elapsed = ContinuousClock.now - a.mono
            return a.wall.addingTimeInterval(
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
    }

    /// Compares with the system clock; re-anchors and returns the step (seconds) when it moved.
    public func checkForStep() -> TimeInterval? {
        let systemNow = system()
        let ours = now()
        let step = systemNow.timeIntervalSince(ours)
        guard abs(step) > tolerance else { return nil }
        anchor.withLock { $0 = Anchor(wall: systemNow, mono: .now) }
        return step
    }
}

/// Whether the system clock can be trusted: a board without a real-time clock boots with a
/// wrong time until NTP has set it.
public struct ClockTrust: Sendable {
    /// The earliest plausible time: anything before is certainly a clock that was never set.
    public static let earliestPlausible = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

    public var requireSync: Bool
    public var synchronizedFile = "/run/systemd/timesync/synchronized"

    public init(requireSync: Bool) { self.requireSync = requireSync }

    public enum Verdict: Sendable, Equatable {
        case trusted
        case untrusted(String)
    }

    public func check(now: Date) -> Verdict {
        if now < Self.earliestPlausible {
            return .untrusted("the system clock says \(now), before \(Self.earliestPlausible): it was never set")
        }
        guard requireSync else { return .trusted }
        if FileManager.default.fileExists(atPath: synchronizedFile) { return .trusted }
        if csamtale_clock_synchronised() == 1 { return .trusted }
        return .untrusted(
            "the system clock is not synchronised (no \(synchronizedFile), adjtimex reports unsynchronised)")
    }
}
