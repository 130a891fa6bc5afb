import CSamtaleLinux
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A pipe that ends a thread's poll(2) at once: the thread polls `readEnd` beside whatever it
/// waits for, and `ring()` (from any thread) writes a byte. The button's thread and the kiosk's
/// pulse both sleep on one. Close-on-exec from its making (pipe2), so that no child process
/// inherits it, not even one forked by another thread at that very moment.
public struct WakePipe: Sendable {
    /// The end the sleeping thread polls (-1 if the pipe could not be made: then `ring` does
    /// nothing and the thread ends only by its own means).
    public let readEnd: Int32
    /// The end `ring` writes to.
    let writeEnd: Int32

    public init() {
        var fds: [Int32] = [-1, -1]
        if csamtale_pipe_cloexec(&fds) != 0 { fds = [-1, -1] }
        (readEnd, writeEnd) = (fds[0], fds[1])
    }

    /// The entry for poll(2).
    public var pollEntry: pollfd { pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0) }

    /// Wakes the thread; true if the byte was written.
    @discardableResult
    public func ring() -> Bool {
        var byte: UInt8 = 1
        return writeEnd >= 0 && write(writeEnd, &byte, 1) == 1
    }

    /// Closes both ends (once the thread is done with them).
    public func close() {
        if readEnd >= 0 { _ = Glibc.close(readEnd) }
        if writeEnd >= 0 { _ = Glibc.close(writeEnd) }
    }
}

extension Duration {
    /// Whole nanoseconds (negative durations as 0).
    public var wholeNanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    /// Whole milliseconds for poll(2): at least 1, at most a day.
    public var pollMilliseconds: Int32 {
        Int32(max(1, min(wholeNanoseconds / 1_000_000, 86_400_000)))
    }
}
