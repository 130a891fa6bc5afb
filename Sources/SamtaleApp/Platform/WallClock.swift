import CSamtaleLinux
import Foundation
import SamtaleHardware
import Synchronization

/// The monotonic clock in plain nanoseconds, for what reads it often: CLOCK_BOOTTIME, as
/// `ContinuousClock` on Linux (it counts a suspend too).
enum Monotonic {
    static func nanoseconds() -> Int64 { Int64(monotonicNanoseconds(CLOCK_BOOTTIME)) }
}

/// The time the kiosk runs on.
public protocol WallClock: Sendable {
    /// The school's wall-clock instant now.
    func now() -> Date
}

/// The system's wall clock as it reads now, for commands that run once (`status`, `check`,
/// `checkin`): they read the time through a `WallClock` like the kiosk, never `Date()` directly.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Wall time carried forward by the monotonic clock: durations inside the kiosk are monotonic,
/// so a clock stepped by NTP (or by hand) cannot stretch or shrink a session. When the system
/// clock is found to have been stepped, the kiosk re-anchors and reports the step.
public final class MonotonicWallClock: WallClock, Sendable {
    /// The monotonic clock's reading in nanoseconds (`Monotonic`), not `ContinuousClock.Instant`:
    /// the pulse reads this clock every beat, and `Duration`'s 128-bit arithmetic is not cheap.
    private struct Anchor {
        var wall: Date
        var mono: Int64
    }
    private let anchor: Mutex<Anchor>
    private let system: @Sendable () -> Date
    /// A step larger than this (seconds) re-anchors.
    public let tolerance: TimeInterval

    public init(system: @escaping @Sendable () -> Date = { SystemClock().now() }, tolerance: TimeInterval = 2) {
        self.system = system
        self.tolerance = tolerance
        anchor = Mutex(Anchor(wall: system(), mono: Monotonic.nanoseconds()))
    }

    public func now() -> Date {
        let mono = Monotonic.nanoseconds()
        return anchor.withLock { a in a.wall.addingTimeInterval(Double(mono - a.mono) * 1e-9) }
    }

    /// Whether the system clock has moved away from this clock by more than `tolerance` (a step
    /// that `checkForStep` would take in), without re-anchoring.
    public func stepPending() -> Bool {
        abs(system().timeIntervalSince(now())) > tolerance
    }

    /// Compares with the system clock; re-anchors and returns the step (seconds) when it moved.
    public func checkForStep() -> TimeInterval? {
        let systemNow = system()
        let ours = now()
        let step = systemNow.timeIntervalSince(ours)
        guard abs(step) > tolerance else { return nil }
        anchor.withLock { $0 = Anchor(wall: systemNow, mono: Monotonic.nanoseconds()) }
        return step
    }
}

/// What the pulse looks at of the kiosk's clock every beat: a step of the system clock that the
/// kiosk has not taken in yet, or a change of the clock's trust (NTP synchronised or not).
final class ClockWatch: Sendable {
    let clock: any WallClock
    /// `clock` as a monotonic wall clock, when it is one (cast once, not at every beat).
    private let monotonic: MonotonicWallClock?
    let trust: ClockTrust?
    private let trusted: Mutex<Bool>

    /// `trusted`: the trust the kiosk knows now.
    init(clock: any WallClock, trust: ClockTrust?, trusted: Bool) {
        self.clock = clock
        monotonic = clock as? MonotonicWallClock
        self.trust = trust
        self.trusted = Mutex(trusted)
    }

    /// True when the kiosk should look at its clock now (see `Kiosk.checkClock`).
    func changed() -> Bool {
        var changed = monotonic?.stepPending() ?? false
        if let trust {
            let now = trust.check(now: clock.now()) == .trusted
            if trusted.withLock({ t in
                defer { t = now }
                return t != now
            }) {
                changed = true
            }
        }
        return changed
    }
}
