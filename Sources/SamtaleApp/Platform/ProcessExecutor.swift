import NIOCore
import NIOPosix

/// Where the process's Swift tasks run, set once at its start.
public enum ProcessExecutor {
    /// Swift's tasks run on SwiftNIO's event loops (`MultiThreadedEventLoopGroup.singleton`, one
    /// thread a core, the same threads that serve HTTP), not on libdispatch's global queues.
    ///
    /// Why (issue 12): the first worker thread of one of libdispatch's global queues starts its
    /// workqueue monitor, a one-second timer on its manager thread that runs for the life of the
    /// process and cannot be turned off. On a board that is otherwise idle that monitor alone costs
    /// about as much CPU as the whole idle budget (0.096 s per 10 minutes measured). Private serial
    /// queues (the light's, inotify's, an actor's `QueueExecutor`) run on libdispatch's overcommit
    /// queues, which are not monitored, and timers (`Task.sleep`) still fire on its manager thread
    /// and are handed to the event loops. A side effect: an HTTP handler and the `Kiosk` actor no
    /// longer hop between NIO's threads and Swift's cooperative pool.
    ///
    /// Call first thing in `main`, before any task is created. Returns false (and the process goes on
    /// with Swift's own executor) where the runtime does not offer the hook.
    @discardableResult
    public static func useEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
