import Synchronization

/// Fans one stream of values out to any number of subscribers (the door pages over SSE).
///
/// Each subscriber keeps only the newest few values: a slow client skips old views instead of
/// making the kiosk hold them.
public final class Broadcast<Element: Sendable>: Sendable {
    private struct State {
        var next = 0
        var subscribers: [Int: AsyncStream<Element>.Continuation] = [:]
        var finished = false
    }
    private let state = Mutex(State())
    private let buffer: Int

    public init(buffer: Int = 4) { self.buffer = buffer }

    /// A new subscription that starts with `initial`.
    public func subscribe(initial: Element? = nil) -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: .bufferingNewest(buffer))
        if let initial { continuation.yield(initial) }
        let id: Int? = state.withLock { s in
            if s.finished { return nil }
            s.next += 1
            s.subscribers[s.next] = continuation
            return s.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    public func send(_ value: Element) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for c in subscribers { c.yield(value) }
    }

    /// Ends every subscription (on shutdown), and refuses new ones.
    public func finish() {
        let subscribers = state.withLock { s in
            s.finished = true
            defer { s.subscribers = [:] }
            return Array(s.subscribers.values)
        }
        for c in subscribers { c.finish() }
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }
}
