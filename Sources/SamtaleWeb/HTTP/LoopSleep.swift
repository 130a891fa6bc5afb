import NIOCore
import NIOPosix

/// `Task.sleep` on SwiftNIO's timers: the same as `Task.sleep(for:)` to the caller (it throws
/// `CancellationError` when its task is cancelled), but the wake-up comes from an event loop of
/// `MultiThreadedEventLoopGroup.singleton`, not from libdispatch.
///
/// Why (issue 12): Swift's `Task.sleep` hands its timer to libdispatch, which runs the wake-up on a
/// worker of one of its global queues, and the first such worker starts libdispatch's workqueue
/// monitor, a one-second timer that runs for the life of the process (see `ProcessExecutor`). The
/// kiosk's own sleeps (the run loop's, the watcher's, the heartbeat's, systemd's watchdog, the
/// pages' pings) go through here; a sleep of a library (a shutdown's grace period) may still start
/// the monitor, which costs CPU and nothing else.
public enum LoopSleep {
    /// Sleeps for `duration` (at least a nanosecond), or until the task is cancelled.
    public static func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let scheduled = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(duration)) {}
        try await withTaskCancellationHandler {
            do {
                try await scheduled.futureResult.get()
            } catch {
                throw CancellationError()
            }
        } onCancel: {
            scheduled.cancel()
        }
    }

    /// Sleeps until `deadline` on the continuous clock, or until the task is cancelled.
    public static func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await sleep(for: max(.zero, deadline - .now))
    }
}
