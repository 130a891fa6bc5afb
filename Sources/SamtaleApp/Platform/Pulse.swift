import CSamtaleLinux
import Foundation
import SamtaleHardware
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The idle kiosk's one regular wake-up (issue 12): a thread of its own that wakes every
/// `interval` and runs a few cheap checks (a handful of `stat`s of the share, a look at the
/// clock), each of which rings its service's alarm only when something changed. An idle kiosk's
/// services then sleep until they are rung (or for a long while), instead of each waking on a
/// timer of its own and hopping between Swift's threads and NIO's thread pool to find nothing.
///
/// Its own thread, not a task: a `stat` on a network share that hangs holds only this thread,
/// never one of the threads that serve the door.
public final class Pulse: Sendable {
    public typealias Check = @Sendable () -> Void
    public let interval: Duration
    private struct State {
        var checks: [Check] = []
        var started = false
        var stopped = false
    }
    private let state = Mutex(State())
    /// Rung to stop the thread at once.
    private let wake = WakePipe()

    public init(interval: Duration) {
        self.interval = interval
    }

    deinit { wake.close() }

    /// Adds a check, run on the pulse's thread at every beat from the next one on.
    public func add(_ check: @escaping Check) {
        state.withLock { $0.checks.append(check) }
    }

    /// Starts the thread (once).
    public func start() {
        let start = state.withLock { s -> Bool in
            defer { s.started = true }
            return !s.started && !s.stopped
        }
        guard start else { return }
        let slack = UInt(interval.wholeNanoseconds / 10)
        let thread = Thread { [self] in
            // A tenth of the interval of slack: the kernel may let a beat coincide with another wake-up.
            _ = csamtale_thread_setup("samtale-pulse", slack)
            beat()
        }
        thread.start()
    }

    /// Stops the thread at its next wake-up (at once).
    public func stop() {
        state.withLock { $0.stopped = true }
        wake.ring()
    }

    private func beat() {
        let millis = interval.pollMilliseconds
        while true {
            var fd = wake.pollEntry
            let n = poll(&fd, 1, millis)
            if n < 0 && errno != EINTR { return }
            let checks = state.withLock { $0.stopped ? nil : $0.checks }
            guard let checks else { return }
            for check in checks { check() }
        }
    }
}
