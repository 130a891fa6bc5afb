import NIOPosix

/// Blocking work (a flock that waits up to 10 s, fsync, reading or hashing a whole file, a share
/// that hangs) runs on NIO's thread pool, never on the threads that run tasks (in `samtale` NIO's
/// event loops, see `ProcessExecutor`), which serve the door, the light and every other service.
enum BlockingIO {
    /// Runs `body` on NIO's blocking thread pool (or here, if that pool is not running: only when
    /// the process is shutting down).
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        if let value = try? await NIOThreadPool.singleton.runIfActive(body) { return value }
        return body()
    }
}
