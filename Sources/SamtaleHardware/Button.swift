import Dispatch
import Synchronization

/// What a button does, in gpiozero's words.
public enum ButtonEvent: Sendable, Hashable {
    /// Pressed, with the kernel's timestamp of the first edge (ns, CLOCK_MONOTONIC).
    case pressed(edge: UInt64)
    case released
    /// Kept pressed for the hold time.
    case held
}

/// A push button on a GPIO input line: pressed / released / held as an AsyncSequence.
///
/// Driven by the line's file descriptor through Dispatch (epoll): no thread is blocked on the
/// line, nothing polls, and nothing runs while nobody touches the button. Debounced with the
/// kernel's edge timestamps so that the first edge is reported at once.
public final class GPIOButton: Sendable {
    public let events: AsyncStream<ButtonEvent>
    private let continuation: AsyncStream<ButtonEvent>.Continuation
    private let line: GPIOLine
    private let queue: DispatchQueue
    private struct State: @unchecked Sendable {
        // Dispatch sources are only touched on `queue` (and in cancel, under the lock).
        var debouncer: Debouncer
        var reader: (any DispatchSourceRead)?
        var timer: (any DispatchSourceTimer)?
    }
    private let state: Mutex<State>
    /// Called on the button's own queue at the first edge of a press, before anything else:
    /// the light's acknowledgement flash, with no task hop in between.
    private let onPress: (@Sendable (UInt64) -> Void)?

    /// - Parameters:
    ///   - bounce: edges this soon after an accepted change are contact bounce.
    ///   - hold: pressed this long is a hold (nil: never).
    public init(
        line: GPIOLine, bounce: Duration = .milliseconds(30), hold: Duration? = .seconds(2),
        onPress: (@Sendable (UInt64) -> Void)? = nil
    ) {
        self.line = line
        self.onPress = onPress
        (events, continuation) = AsyncStream.makeStream(of: ButtonEvent.self, bufferingPolicy: .bufferingNewest(32))
        queue = DispatchQueue(label: "samtale.button.\(line.line)")
        func ns(_ d: Duration) -> UInt64 {
            UInt64(d.components.seconds) * 1_000_000_000 + UInt64(d.components.attoseconds / 1_000_000_000)
        }
        var debouncer = Debouncer(bounceNanoseconds: ns(bounce), holdNanoseconds: hold.map(ns))
        // Start from the line's real state, so that a button held at start-up is not a press.
        if let active = try? line.get(), active { _ = debouncer.edge(active: true, at: monotonicNanoseconds()) }
        state = Mutex(State(debouncer: debouncer))
        let reader = DispatchSource.makeReadSource(fileDescriptor: line.fileDescriptor, queue: queue)
        reader.setEventHandler { [weak self] in self?.readEdge() }
        state.withLock { $0.reader = reader }
        reader.activate()
    }

    private func emit(_ outputs: [Debouncer.Output]) {
        for o in outputs {
            switch o {
            case .pressed(let t):
                onPress?(t)
                continuation.yield(.pressed(edge: t))
            case .released: continuation.yield(.released)
            case .held: continuation.yield(.held)
            }
        }
    }

    private func readEdge() {
        guard let event = line.readEvent() else { return }
        let outputs = state.withLock { $0.debouncer.edge(active: event.active, at: event.timestamp) }
        emit(outputs)
        schedule()
    }

    /// Arms a one-shot timer for the debouncer's next deadline (the bounce time ending, the hold).
    private func schedule() {
        state.withLock { s in
            s.timer?.cancel()
            s.timer = nil
            guard let deadline = s.debouncer.nextDeadline else { return }
            let now = monotonicNanoseconds()
            let wait = deadline > now ? deadline - now : 0
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + .nanoseconds(Int(min(wait, UInt64(Int.max)))))
            timer.setEventHandler { [weak self] in self?.settle() }
            s.timer = timer
            timer.activate()
        }
    }

    private func settle() {
        let active = (try? line.get()) ?? false
        let outputs = state.withLock { $0.debouncer.tick(at: monotonicNanoseconds(), active: active) }
        emit(outputs)
        schedule()
    }

    /// Stops watching the line and releases it; the events sequence ends.
    public func close() {
        state.withLock { s in
            s.reader?.cancel()
            s.timer?.cancel()
            s.reader = nil
            s.timer = nil
        }
        continuation.finish()
        queue.sync {}
        line.release()
    }
}
