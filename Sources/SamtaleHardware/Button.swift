import CSamtaleLinux
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

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
/// A thread of its own sleeps in poll(2) on the line's file descriptor, as a C program waiting
/// for the button would: nothing polls and nothing runs while nobody touches the button, and a
/// press is read, debounced and acknowledged (`onPress`: the light's flash) on that thread, with
/// no hop to another thread before the light is set. Debounced with the kernel's edge
/// timestamps, so that the first edge is reported at once; the bounce and hold deadlines are the
/// poll's time-out.
public final class GPIOButton: Sendable {
    public let events: AsyncStream<ButtonEvent>
    private let continuation: AsyncStream<ButtonEvent>.Continuation
    private let line: GPIOLine
    /// Called on the button's thread at the first edge of a press, before anything else: the
    /// light's acknowledgement flash.
    private let onPress: (@Sendable (UInt64) -> Void)?
    /// Rung to end the thread.
    private let wake = WakePipe()
    private let finished = DispatchSemaphore(value: 0)
    private let closed = Mutex(false)
    /// The thread's priority (set once, at its start) and where it runs (moves with the
    /// interrupt's thread): two parts, so that a move rewrites only its own.
    private let scheduled = Mutex((priority: "normal priority", placement: ""))
    /// How the thread is scheduled: `SCHED_FIFO <priority>`, or why it runs at normal priority
    /// (known when `init` returns), and on which CPU when it follows its interrupt.
    public var scheduling: String { scheduled.withLock { $0.priority + $0.placement } }

    /// - Parameters:
    ///   - bounce: edges this soon after an accepted change are contact bounce.
    ///   - hold: pressed this long is a hold (nil: never).
    ///   - realtimePriority: above 0, the thread asks for `SCHED_FIFO` at that priority, so that
    ///     a press preempts the kiosk's other work (the check-in before it, the pages, the file)
    ///     as soon as the kernel sees the edge. It sleeps in poll(2) between presses, so it takes
    ///     the processor only for the microseconds a press costs. Refused (no CAP_SYS_NICE or
    ///     RLIMIT_RTPRIO, or systemd's `RestrictRealtime=`), it runs at normal priority and
    ///     `scheduling` says why.
    ///   - followInterrupt: the thread runs on the CPU of the kernel thread that handles the
    ///     line's interrupt (`InterruptThread`), and follows it after each edge if it moves, so
    ///     that the kernel wakes it without a cross-CPU interrupt.
    public init(
        line: GPIOLine, bounce: Duration = .milliseconds(30), hold: Duration? = .seconds(2),
        realtimePriority: Int32 = 0, followInterrupt: Bool = false, onPress: (@Sendable (UInt64) -> Void)? = nil
    ) {
        self.line = line
        self.onPress = onPress
        (events, continuation) = AsyncStream.makeStream(of: ButtonEvent.self, bufferingPolicy: .bufferingNewest(32))
        var debouncer = Debouncer(bounceNanoseconds: bounce.wholeNanoseconds, holdNanoseconds: hold?.wholeNanoseconds)
        // Start from the line's real state, so that a button held at start-up is not a press.
        if let active = try? line.get(), active { _ = debouncer.edge(active: true, at: monotonicNanoseconds()) }
        let start = debouncer
        let ready = DispatchSemaphore(value: 0)
        let name = String("samtale-\(line.line)".prefix(15))
        let thread = Thread { [self] in
            // Named for top -H and ps -L here, not by Thread.name: Foundation passes that to the
            // kernel only when it fits in 15 bytes, and says nothing when it does not.
            _ = csamtale_thread_setup(name, 0)
            let priority = realtimePriority > 0 ? Self.requestRealtime(priority: realtimePriority) : "normal priority"
            var follower: InterruptFollower?
            var placement = ""
            if followInterrupt {
                if let found = InterruptThread.find(label: line.consumer) {
                    var f = InterruptFollower(found)
                    _ = f.follow()
                    placement = f.placement
                    follower = f
                } else {
                    placement = "; no interrupt thread for \(line.consumer) in /proc (runs on any CPU)"
                }
            }
            scheduled.withLock { $0 = (priority, placement) }
            ready.signal()
            watch(start, follower: follower)
            finished.signal()
        }
        thread.start()
        ready.wait()
    }

    /// Asks for `SCHED_FIFO` for the calling thread; says what it got.
    static func requestRealtime(priority: Int32) -> String {
        var parameters = sched_param()
        parameters.sched_priority = priority
        let rc = pthread_setschedparam(pthread_self(), Int32(SCHED_FIFO), &parameters)
        if rc == 0 { return "SCHED_FIFO \(priority)" }
        return "normal priority (SCHED_FIFO \(priority) refused: \(String(cString: strerror(rc))))"
    }

    /// - Parameter acknowledged: the edge whose press `onPress` has already been told of.
    private func emit(_ outputs: [Debouncer.Output], acknowledged: UInt64? = nil) {
        for o in outputs {
            switch o {
            case .pressed(let t):
                if t != acknowledged { onPress?(t) }
                continuation.yield(.pressed(edge: t))
            case .released: continuation.yield(.released)
            case .held: continuation.yield(.held)
            }
        }
    }

    /// The thread: waits for an edge, the debouncer's next deadline, or the end.
    private func watch(_ start: Debouncer, follower initial: InterruptFollower?) {
        var debouncer = start
        var follower = initial
        var fds = [
            pollfd(fd: line.fileDescriptor, events: Int16(POLLIN), revents: 0),
            wake.pollEntry,
        ]
        while true {
            var timeout: Int32 = -1
            if let deadline = debouncer.nextDeadline {
                let now = monotonicNanoseconds()
                // Rounded up to whole milliseconds: never woken before the deadline.
                timeout = deadline > now ? Int32(min((deadline - now + 999_999) / 1_000_000, 86_400_000)) : 0
            }
            let rc = poll(&fds, 2, timeout)
            if rc < 0 {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 { return }
            if fds[0].revents & Int16(POLLIN) != 0 {
                if let event = line.readEvent() {
                    // A press lights the lamp before anything else, the debouncer's bookkeeping
                    // (which allocates) included: nothing but the light's own lock lies between
                    // the edge and the light.
                    var acknowledged: UInt64?
                    if let onPress, debouncer.pressesAt(active: event.active, at: event.timestamp) {
                        onPress(event.timestamp)
                        acknowledged = event.timestamp
                    }
                    emit(debouncer.edge(active: event.active, at: event.timestamp), acknowledged: acknowledged)
                    // After the light: where did the interrupt's thread that woke us run?
                    if var f = follower, f.follow() != nil {
                        follower = f
                        scheduled.withLock { $0.placement = f.placement }
                    }
                }
            } else if fds[0].revents != 0 {
                return  // POLLERR, POLLHUP, POLLNVAL: the line is gone
            }
            if let deadline = debouncer.nextDeadline, monotonicNanoseconds() >= deadline {
                let active = (try? line.get()) ?? false
                emit(debouncer.tick(at: monotonicNanoseconds(), active: active))
            }
        }
    }

    /// Stops watching the line and releases it; the events sequence ends.
    public func close() {
        let first = closed.withLock { c -> Bool in
            defer { c = true }
            return !c
        }
        guard first else { return }
        if wake.ring() { finished.wait() }
        continuation.finish()
        line.release()
        wake.close()
    }
}
