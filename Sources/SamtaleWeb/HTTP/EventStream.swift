import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The server-sent event streams of the kiosk's routes (`/events`, `/teacher/events`).
enum EventStream {
    /// Server-sent events: each value as `data:` JSON (`prepare`d first), `nil` as a `ping`
    /// event, until the stream ends (or `maxDuration` has passed). Counted against `streams` for
    /// `client` while open (503 when over the limit); `sent` is told of each value once it has
    /// been written. `head`: the headers only (a HEAD request), no stream opened. Over the limit:
    /// a `KioskError` (503, retry in 10 s).
    static func events<Value: Encodable & Sendable>(
        _ updates: @autoclosure () async -> AsyncStream<Value?>, encoder: JSONEncoder, streams: StreamLimiter?,
        client: String, head: Bool = false, maxDuration: Duration? = nil,
        prepare: @escaping @Sendable (Value) -> Value = { $0 }, sent: (@Sendable (Value) -> Void)? = nil
    ) async throws -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream"]
        if head { return Response(status: .ok, headers: headers) }
        if let streams, !streams.acquire(client) {
            throw KioskError(.serviceUnavailable, "too many event streams", retryAfter: 10)
        }
        let updates = await updates()
        let deadline = maxDuration.map { ContinuousClock.now + $0 }
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer { streams?.release(client) }
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                var stream = updates
                var tasks: [Task<Void, Never>] = []
                if let deadline {
                    // Forward the updates into a stream that also ends at the deadline.
                    let (bounded, continuation) = AsyncStream<Value?>.makeStream()
                    tasks.append(
                        Task {
                            for await update in updates { continuation.yield(update) }
                            continuation.finish()
                        })
                    tasks.append(
                        Task {
                            try? await LoopSleep.sleep(until: deadline)
                            continuation.finish()
                        })
                    stream = bounded
                }
                defer { for task in tasks { task.cancel() } }
                for await update in stream {
                    if let value = update.map(prepare) {
                        var buffer = ByteBuffer(string: "data: ")
                        buffer.writeBytes(try encoder.encode(value))
                        buffer.writeString("\n\n")
                        try await writer.write(buffer)
                        sent?(value)
                    } else {
                        try await writer.write(ByteBuffer(string: "event: ping\ndata: \n\n"))
                    }
                }
                try await writer.finish(nil)
            })
    }
}
