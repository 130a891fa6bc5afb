import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The responses the kiosk's routes share: a JSON error, and a server-sent event stream.
enum Responses {
    /// `{"error": message}` with the security headers (and `Retry-After` when given).
    static func error(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) -> Response {
        var headers = DoorRoutes<BasicRequestContext>.securityHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        let body = "{\"error\":\"\(message)\"}"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Server-sent events: each value as `data:` JSON, `nil` as a `ping` event, until the stream
    /// ends. Counted against `streams` for `client` while open (503 when over the limit);
    /// `sent` is told of each value once it has been written.
    static func events<Value: Encodable & Sendable>(
        _ updates: @autoclosure () async -> AsyncStream<Value?>, encoder: JSONEncoder, streams: StreamLimiter?,
        client: String, sent: (@Sendable (Value) -> Void)? = nil
    ) async -> Response {
        if let streams, !streams.acquire(client) {
            return error(.serviceUnavailable, "too many event streams", retryAfter: 10)
        }
        let updates = await updates()
        var headers = DoorRoutes<BasicRequestContext>.securityHeaders
        headers[.contentType] = "text/event-stream"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                defer { streams?.release(client) }
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                for await update in updates {
                    if let value = update {
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
