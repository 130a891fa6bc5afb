import Foundation
import Logging
import SamtaleCore
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The sd_notify protocol, spoken directly: newline-separated `KEY=value` fields in one datagram
/// to the AF_UNIX socket in `$NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace).
/// No libsystemd: the format is small and stable (sd_notify(3)).
public struct SystemdNotifier: Sendable {
    /// The socket's address, nil when not started by systemd with `Type=notify`.
    public let socketPath: String?
    /// How often the watchdog wants a ping (`WatchdogSec=`), when it is for this process.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid()) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path.flatMap { $0.hasPrefix("/") || $0.hasPrefix("@") ? $0 : nil }
        if let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0,
            environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == pid }) ?? true
        {
            watchdogInterval = .microseconds(Int64(usec))
        } else {
            watchdogInterval = nil
        }
    }

    public var isActive: Bool { socketPath != nil }

    /// Sends the fields as one datagram; false when there is no socket or it could not be sent.
    ///
    /// Never blocks the calling thread, which runs tasks (in `samtale`, an event loop that also
    /// serves the door). A datagram socket whose reader is behind (more than
    /// `net.unix.max_dgram_qlen` datagrams waiting, 10 by default) blocks its senders, so the
    /// datagram is first offered without waiting. When the queue is full, a watchdog ping or a
    /// status line is not sent (the next one supersedes it), and READY, RELOADING or STOPPING waits
    /// for room on NIO's thread pool, up to `Self.patience` (a stuck reader never holds a shutdown).
    @discardableResult
    public func send(_ fields: [String: String]) async -> Bool {
        guard let socketPath else { return false }
        let message = Self.message(fields)
        switch Self.send(message, to: socketPath, wait: nil) {
        case .sent: return true
        case .failed: return false
        case .full:
            guard fields.keys.contains(where: { ["READY", "RELOADING", "STOPPING"].contains($0) }) else { return false }
            return await BlockingIO.run { Self.send(message, to: socketPath, wait: Self.patience) == .sent }
        }
    }

    /// How long READY, RELOADING or STOPPING waits for room in a full queue.
    static let patience: Duration = .seconds(5)

    /// The fields as the protocol's text: READY/RELOADING/STOPPING first, the rest in a stable order.
    static func message(_ fields: [String: String]) -> String {
        let order = ["RELOADING", "MONOTONIC_USEC", "READY", "STOPPING", "STATUS", "WATCHDOG", "ERRNO"]
        let keys = fields.keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
        return keys.map { "\($0)=\(Self.oneLine(fields[$0]!))" }.joined(separator: "\n")
    }

    enum Sent: Equatable { case sent, full, failed }

    /// A field's value on one line (the protocol separates fields with newlines).
    static func oneLine(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }

    /// One datagram to `path`; `.full` when its queue is full and `wait` (nil: not at all) ran out.
    static func send(_ message: String, to path: String, wait: Duration?) -> Sent {
        #if os(Linux)
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { return .failed }
        defer { close(fd) }
        if let wait {
            var timeout = timeval(
                tv_sec: Int(wait.components.seconds), tv_usec: Int(wait.components.attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return .failed }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            if bytes.count < raw.count { raw[bytes.count] = 0 }
        }
        // Abstract addresses are exactly as long as their name; paths include their NUL.
        let length = MemoryLayout<sa_family_t>.size + bytes.count + (bytes[0] == 0 ? 0 : 1)
        let data = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                data.withUnsafeBytes {
                    sendto(
                        fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | (wait == nil ? Int32(MSG_DONTWAIT) : 0), sa,
                        socklen_t(length))
                }
            }
        }
        if sent == data.count { return .sent }
        return sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? .full : .failed
    }

    /// `CLOCK_MONOTONIC` in microseconds, for `MONOTONIC_USEC` with `RELOADING=1`.
    static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}
