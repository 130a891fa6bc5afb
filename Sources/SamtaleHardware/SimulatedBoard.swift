import SamtaleCore
import Synchronization

/// Something that shows the room's state down the corridor: a lamp, a tower, an RGB LED.
public protocol OccupancyLight: Sendable {
    /// Show this state (a steady colour or a pattern).
    func show(_ state: LightState) async
    /// A short flash: the press was seen, whatever the answer. `edge` is the kernel timestamp of
    /// the press's first edge (ns, CLOCK_MONOTONIC) when it came from a GPIO button.
    func acknowledge(edge: UInt64?) async
}

/// The simulated board of the demo and the unit tests: a button pressed from the terminal or
/// over HTTP, and a light that records every state it was asked to show (like gpiozero's mock
/// pin factory records pin states).
public final class SimulatedBoard: OccupancyLight, Sendable {
    public enum Change: Sendable, Hashable {
        case light(LightState)
        case acknowledged
    }

    private let state = Mutex<(light: LightState?, history: [Change])>((nil, []))
    private let pressContinuation: AsyncStream<PressSource>.Continuation
    private let changeContinuation: AsyncStream<Change>.Continuation
    /// Presses of the simulated button.
    public let presses: AsyncStream<PressSource>
    /// Every change of the light, for the terminal.
    public let changes: AsyncStream<Change>

    public init() {
        (presses, pressContinuation) = AsyncStream.makeStream(of: PressSource.self)
        (changes, changeContinuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .bufferingNewest(64))
    }

    /// Press the simulated button.
    public func press() { pressContinuation.yield(.button) }

    public func show(_ light: LightState) async {
        let changed = state.withLock { s -> Bool in
            guard s.light != light else { return false }
            s.light = light
            s.history.append(.light(light))
            return true
        }
        if changed { changeContinuation.yield(.light(light)) }
    }

    public func acknowledge(edge: UInt64?) async {
        state.withLock { $0.history.append(.acknowledged) }
        changeContinuation.yield(.acknowledged)
    }

    /// What the light shows now.
    public var light: LightState? { state.withLock { $0.light } }
    /// Everything the light was asked to do, in order.
    public var history: [Change] { state.withLock { $0.history } }

    /// No more presses or changes (shutdown).
    public func finish() {
        pressContinuation.finish()
        changeContinuation.finish()
    }
}
