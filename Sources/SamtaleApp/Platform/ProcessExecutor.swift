import CSamtaleLinux
import NIOCore
import NIOPosix
import Synchronization

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
    /// queues, which are not monitored; the kiosk's own sleeps use NIO's timers (`LoopSleep`). A
    /// side effect: an HTTP handler and the `Kiosk` actor no longer hop between NIO's threads and
    /// Swift's cooperative pool.
    ///
    /// This is what SwiftNIO's
    /// `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()`
    /// does, but that finds the runtime's hook with `dlsym`, which cannot see it in the package's
    /// binary (the Swift runtime linked statically, the symbol local): the hook's address comes
    /// from `CSamtaleLinux` instead, and the jobs go to NIO's public `EventLoop.enqueue(_:)`.
    ///
    /// Call first thing in `main`, before any task is created. False (and the process goes on with
    /// Swift's own executor) when a hook was installed already.
    @discardableResult
    public static func useEventLoops() -> Bool {
        typealias Original = @convention(thin) (UnownedJob) -> Void
        typealias Hook = @convention(thin) (UnownedJob, Original) -> Void
        let hook: Hook = { job, _ in
            // `any()` is the calling thread's own loop when it is one of the group's.
            MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
        }
        let slot = csamtale_enqueue_global_hook()!
        guard slot.pointee == nil else { return false }
        slot.pointee = unsafeBitCast(hook, to: UnsafeMutableRawPointer.self)
        installed.store(true, ordering: .releasing)
        return true
    }

    /// Whether `useEventLoops` installed NIO's loops as Swift's global executor in this process.
    public static var onEventLoops: Bool { installed.load(ordering: .acquiring) }

    private static let installed = Atomic(false)
}
