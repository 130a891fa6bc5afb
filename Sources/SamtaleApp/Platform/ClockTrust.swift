import CSamtaleLinux
import Foundation
import Synchronization

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
