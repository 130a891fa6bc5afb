import Dispatch

/// A serial executor on a dedicated dispatch queue: an actor that runs on it does its blocking
/// work (the kiosk's journal: a write and an fsync before any press is acknowledged) on its own
/// thread, never on Swift's cooperative threads, which serve the door and the other services.
/// Its jobs still run one at a time, so the actor's events stay atomic.
final class QueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
