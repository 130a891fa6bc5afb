import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// inotify on a folder: something was written, moved in, created or deleted there. Driven by
/// the descriptor through Dispatch; nil where inotify is not available.
final class InotifyWatch: Sendable {
    let changes: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let fd: Int32
    private struct Source: @unchecked Sendable { var source: (any DispatchSourceRead)? }
    private let source = Mutex(Source())

    init?(folder: String) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB | IN_MODIFY)
        guard inotify_add_watch(fd, folder, mask) >= 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
        (changes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let s = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "samtale.inotify"))
        let continuation = continuation
        s.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
            continuation.yield()
        }
        s.setCancelHandler { Glibc.close(fd) }
        source.withLock { $0.source = s }
        s.activate()
    }

    func close() {
        source.withLock { s in
            s.source?.cancel()
            s.source = nil
        }
        continuation.finish()
    }
}
