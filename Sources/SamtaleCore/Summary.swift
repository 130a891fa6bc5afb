import Foundation

extension DoorView {
    /// One line for operators (systemd's `STATUS=`, `systemctl status`): the room's state, until
    /// when, and how many wait. English, and never a name.
    public func summary(_ time: SchoolTime) -> String {
        let room = "Room \(self.room)"
        if !clockTrusted { return "\(room): clock not set, check-in closed" }
        var parts: [String] = []
        switch light {
        case .free:
            if let next { parts.append("free, next at \(time.timeString(next.start))") } else { parts.append("free") }
        case .waiting:
            parts.append("family waiting")
        case .inSession, .endingSoon:
            if let current {
                parts.append("in session until \(time.timeString(current.end))")
            } else {
                parts.append("in session")
            }
        case .overrun:
            let minutes = (overrunSeconds ?? 0) / 60
            parts.append("overrunning by \(minutes) min")
        case .closed:
            parts.append(dayOver ? "closed, no more conferences today" : "closed")
        case .fault:
            parts.append("fault")
        }
        if waitingCount > 0 && light != .waiting { parts.append("\(waitingCount) waiting") }
        if waitingCount > 1 && light == .waiting { parts[0] = "\(waitingCount) families waiting" }
        if runningLateMinutes > 0 { parts.append("running \(runningLateMinutes) min late") }
        if !faults.isEmpty { parts.append("fault: \(faults.joined(separator: ", "))") }
        return "\(room): " + parts.joined(separator: ", ")
    }
}

/// A view that changes with the passing of time alone (the clock, a countdown) as well as with
/// events: `differs(from:)` tells a real change from a tick.
public protocol TimedView: Equatable {
    var now: Date { get set }
    var remainingSeconds: Int? { get set }
    var overrunSeconds: Int? { get set }
}

extension TimedView {
    /// Whether two views differ in anything but the passing of time.
    public func differs(from other: Self?) -> Bool {
        guard var other else { return true }
        other.now = now
        other.remainingSeconds = remainingSeconds
        other.overrunSeconds = overrunSeconds
        return self != other
    }
}

extension DoorView: TimedView {}
extension TeacherView: TimedView {}
