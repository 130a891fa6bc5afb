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
/// Quiet (`setQuiet`): where inotify reports every change of the share (a local file), its
/// glances are only a safety net, and the pulse beats every `quiet` instead. A set of the system
/// clock still wakes it at once (a timerfd with `TFD_TIMER_CANCEL_ON_SET`), and for `afterStep`
/// after one it beats every `interval` again: NTP says it is synchronised a moment after its step.
///
/// Its own thread, not a task: a `stat` on a network share that hangs holds only this thread,
/// never one of the threads that serve the door.
public final class Pulse: Sendable {
    public typealias Check = @Sendable () -> Void
    public let interval: Duration
    /// How long after a set of the system clock the pulse beats every `interval` though quiet.
    public static let afterStep: Duration = .seconds(10)
    /// The beat's bookkeeping is in plain nanoseconds of the monotonic clock and milliseconds for
    /// `poll`: `Duration`'s 128-bit arithmetic and `ContinuousClock`'s metadata were much of the
    /// beat's own work (perf; the pulse's thread 0.075 → 0.065 s per 10 idle minutes, results.md).
    private struct Periodic {
        var every: Int64
        var last: Int64?
        var check: Check
    }
    private struct State {
        var checks: [Check] = []
        var periodic: [Periodic] = []
        /// The quiet beat in milliseconds for `poll` (nil: every `interval`).
        var quiet: Int32?
        /// Whether the clock's sets wake the pulse (false without the timerfd, or after it failed).
        var clockWatched = false
        var started = false
        var stopped = false
    }
    private let state = Mutex(State())
    /// Rung to stop the thread, or to take a new beat at once.
    private let wake = WakePipe()
    /// Readable when the system clock is set (-1 where the kernel has no such timer: then the
    /// pulse never goes quiet, since only its beat would notice a step).
    private let clockSet: Int32

    /// `interval` in milliseconds for `poll`, and half of it in nanoseconds (a periodic check's tolerance).
    private let intervalMillis: Int32
    private let tolerance: Int64

    public init(interval: Duration) {
        self.interval = interval
        intervalMillis = interval.pollMilliseconds
        tolerance = Int64((interval / 2).wholeNanoseconds)
        clockSet = csamtale_clock_set_fd()
        state.withLock { $0.clockWatched = clockSet >= 0 }
    }

    deinit {
        wake.close()
        if clockSet >= 0 { _ = Glibc.close(clockSet) }
    }

    /// Adds a check, run on the pulse's thread at every beat from the next one on.
    public func add(_ check: @escaping Check) {
        state.withLock { $0.checks.append(check) }
    }

    /// Adds a check run at the first beat and then at the first beat at least `every` after its
    /// last run (within half a beat): checks of one period run at the same beats.
    public func add(every: Duration, _ check: @escaping Check) {
        state.withLock { $0.periodic.append(Periodic(every: Int64(every.wholeNanoseconds), check: check)) }
    }

    /// Beats every `quiet` from now on (nil: every `interval` again, starting at once). Ignored
    /// where the clock's sets cannot be watched.
    public func setQuiet(_ quiet: Duration?) {
        let faster = state.withLock { s -> Bool in
            defer { s.quiet = quiet?.pollMilliseconds }
            return quiet == nil && s.quiet != nil
        }
        if faster { wake.ring() }
    }

    /// Whether the pulse can go quiet: a set of the system clock wakes it (its timerfd works).
    public var canBeQuiet: Bool { state.withLock { $0.clockWatched } }

    /// Whether the pulse beats every `quiet` (but for the moments after a set of the clock).
    public var isQuiet: Bool { state.withLock { $0.clockWatched && $0.quiet != nil } }

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
        var fastUntil: Int64?
        let afterStep = Int64(Self.afterStep.wholeNanoseconds)
        var fds = [wake.pollEntry, pollfd(fd: clockSet, events: Int16(POLLIN), revents: 0)]
        while true {
            let (quiet, watched) = state.withLock { ($0.clockWatched ? $0.quiet : nil, $0.clockWatched) }
            let fast = fastUntil.map { Monotonic.nanoseconds() < $0 } ?? false
            let millis = quiet.map { fast ? intervalMillis : max($0, intervalMillis) } ?? intervalMillis
            fds[0].revents = 0
            fds[1].revents = 0
            let n = poll(&fds, watched ? 2 : 1, millis)
            if n < 0 && errno != EINTR { return }
            if fds[0].revents != 0 { Self.drain(wake.readEnd) }
            if watched && fds[1].revents != 0 {
                switch csamtale_clock_set_rearm(clockSet) {
                case 1: fastUntil = Monotonic.nanoseconds() + afterStep
                case 0: break
                // The timer could not be armed again: back to every `interval` for good.
                default: state.withLock { $0.clockWatched = false }
                }
            }
            let now = Monotonic.nanoseconds()
            // The checks as they are (no copy), and the periodic ones due (an allocation only then).
            let beat = state.withLock { s -> (checks: [Check], due: [Check])? in
                if s.stopped { return nil }
                var due: [Check] = []
                for i in s.periodic.indices
                where s.periodic[i].last.map({ now - $0 >= s.periodic[i].every - tolerance }) ?? true {
                    s.periodic[i].last = now
                    due.append(s.periodic[i].check)
                }
                return (s.checks, due)
            }
            guard let beat else { return }
            for check in beat.checks { check() }
            for check in beat.due { check() }
        }
    }

    /// Empties the wake pipe (non-blocking reads until nothing is left).
    private static func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&p, 1, 0) > 0, p.revents & Int16(POLLIN) != 0 {
            if buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) <= 0 { return }
            p.revents = 0
        }
    }
}
