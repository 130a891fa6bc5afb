/// Turns a contact's raw edges into presses, releases and holds (pure; times in nanoseconds on
/// the kernel's monotonic clock, as GPIO edge events carry them).
///
/// The first edge of a press is reported at once; edges within the bounce time after an accepted
/// change are noted but not reported, and when the bounce time has passed the line's real state
/// is read and reported if it differs. So a contact bouncing ten times in 5 ms gives exactly one
/// press, without delaying it.
public struct Debouncer: Sendable, Hashable {
    public enum Output: Sendable, Hashable {
        case pressed(at: UInt64)
        case released(at: UInt64)
        case held(at: UInt64)
    }

    public var bounce: UInt64
    public var hold: UInt64?
    public private(set) var isPressed = false
    private var lastChange: UInt64?
    private var unsettled = false
    private var pressedAt: UInt64?
    private var heldReported = false

    public init(bounceNanoseconds: UInt64, holdNanoseconds: UInt64?) {
        bounce = bounceNanoseconds
        hold = holdNanoseconds
    }

    /// A raw edge: the line became active (pressed) or inactive, at `t`.
    public mutating func edge(active: Bool, at t: UInt64) -> [Output] {
        if let last = lastChange, t < last &+ bounce {
            unsettled = true
            return []
        }
        return accept(active, at: t)
    }

    /// Whether `edge(active:at:)` would report a press for this edge, without changing anything
    /// or allocating: the button's thread asks before it debounces, to light the lamp first.
    public func pressesAt(active: Bool, at t: UInt64) -> Bool {
        if let last = lastChange, t < last &+ bounce { return false }
        return active && !isPressed
    }

    private mutating func accept(_ active: Bool, at t: UInt64) -> [Output] {
        guard active != isPressed else { return [] }
        isPressed = active
        lastChange = t
        if active {
            pressedAt = t
            heldReported = false
            return [.pressed(at: t)]
        }
        pressedAt = nil
        return [.released(at: t)]
    }

    /// When `tick` must be called next (the bounce time ending, or the hold time reached).
    public var nextDeadline: UInt64? {
        var d: [UInt64] = []
        if unsettled, let last = lastChange { d.append(last &+ bounce) }
        if let p = pressedAt, let hold, !heldReported { d.append(p &+ hold) }
        return d.min()
    }

    /// Time has passed to `t`; `active` is the line's state read now.
    public mutating func tick(at t: UInt64, active: Bool) -> [Output] {
        var out: [Output] = []
        if unsettled, let last = lastChange, t >= last &+ bounce {
            unsettled = false
            out += accept(active, at: t)
        }
        if let p = pressedAt, let hold, !heldReported, isPressed, t >= p &+ hold {
            heldReported = true
            out.append(.held(at: p &+ hold))
        }
        return out
    }
}
