import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// inotify on folders: something was written, moved in, created or deleted there. Driven by
/// the descriptor through Dispatch; nil where inotify is not available.
final class InotifyWatch: Sendable {
    let changes: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let fd: Int32
    private struct Source: @unchecked Sendable { var source: (any DispatchSourceRead)? }
    private let source = Mutex(Source())
    /// The folders watched, and whether inotify may have missed something since (a watch removed
    /// because its folder went, or the kernel's queue overflowed).
    private let watched = Watched()
    private final class Watched: Sendable {
        let state = Mutex<(folders: Set<String>, lost: Bool)>(([], false))
    }
    private static let mask = UInt32(
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB | IN_MODIFY)

    init?(folder: String) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, folder, Self.mask) >= 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        _ = watched.state.withLock { $0.folders.insert(folder) }
        (changes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let s = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "samtale.inotify"))
        let continuation = continuation
        let watched = watched
        s.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var lost = false
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                lost = lost || Self.anyLost(buffer[..<n])
            }
            if lost { watched.state.withLock { $0.lost = true } }
            continuation.yield()
        }
        s.setCancelHandler { Glibc.close(fd) }
        source.withLock { $0.source = s }
        s.activate()
    }

    /// Watches `folder` as well; true if it is watched (now or before).
    @discardableResult
    func watch(_ folder: String) -> Bool {
        if watched.state.withLock({ $0.folders.contains(folder) }) { return true }
        guard inotify_add_watch(fd, folder, Self.mask) >= 0 else { return false }
        watched.state.withLock { _ = $0.folders.insert(folder) }
        return true
    }

    /// True while every change in the watched folders has been reported: no watch was removed
    /// (its folder deleted or unmounted) and the kernel's queue never overflowed.
    var intact: Bool { !watched.state.withLock { $0.lost } }

    /// Whether the events in `bytes` (whole `struct inotify_event`s) include a removed watch
    /// (`IN_IGNORED`) or an overflow (`IN_Q_OVERFLOW`).
    static func anyLost(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        let header = MemoryLayout<inotify_event>.size
        while i + header <= bytes.endIndex {
            let (mask, length) = bytes[i..<(i + header)].withUnsafeBytes {
                (
                    $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self),
                    $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
                )
            }
            if mask & UInt32(IN_IGNORED | IN_Q_OVERFLOW) != 0 { return true }
            i += header + Int(length)
        }
        return false
    }

    func close() {
        source.withLock { s in
            s.source?.cancel()
            s.source = nil
        }
        continuation.finish()
    }
}
