import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// The kiosk's HTTP application: what Hummingbird's `Application` runs (its server, its
/// responder, the same request context and logger), without Hummingbird's date cache, a service
/// that wakes the process every second to format a `Date` header that an idle kiosk never sends
/// (issue 12). Here the header is formatted when a response is made, at most once a second
/// (`HTTPDate`). The tests drive its responder as before (`.test(.router)`).
struct KioskApplication<Responder: HTTPResponder>: ApplicationProtocol
where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let responder: Responder
    let server: HTTPServerBuilder
    let configuration: ApplicationConfiguration
    let logger: Logger
    let whenRunning: @Sendable (any Channel) async -> Void

    func onServerRunning(_ channel: any Channel) async { await whenRunning(channel) }

    func run() async throws {
        let responder = responder
        let logger = logger
        let serverName = configuration.serverName
        let server = try server.buildServer(
            configuration: ServerConfiguration(
                address: configuration.address, serverName: configuration.serverName,
                backlog: configuration.backlog, reuseAddress: configuration.reuseAddress,
                availableConnectionsDelegate: configuration.availableConnectionsDelegate),
            eventLoopGroup: eventLoopGroup, logger: logger
        ) { (request, responseWriter: consuming ResponseWriter, channel) in
            var logger = logger
            logger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID())
            let response = try await withLogger(logger) { logger in
                let context = Responder.Context(source: .init(channel: channel, logger: logger))
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch let error as HTTPParserError {
                    throw error
                } catch {
                    logger.debug("Unrecognised Error", metadata: ["error.type": "\(error)"])
                    response = Response(status: .internalServerError, body: .init())
                }
                response.headers[.date] = HTTPDate.now()
                if let serverName { response.headers[.server] = serverName }
                return response
            }
            do {
                try await responseWriter.write(response: response.head, body: response.body)
            } catch is HTTPParserError {
                // Not the parser's error: Hummingbird would answer that with a second response.
                throw ParseErrorWhileWritingResponse()
            }
        } onServerRunning: {
            await self.onServerRunning($0)
        }
        try await server.run()
    }
}

/// A parse error met while the response was being written: the connection is closed.
struct ParseErrorWhileWritingResponse: Error {}

/// The `Date` header (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), formatted once per
/// second in which a response is made.
enum HTTPDate {
    private static let last = Mutex<(second: Int, text: String)>((.min, ""))

    static func now() -> String {
        let second = time(nil)
        return last.withLock { last in
            if last.second != second { last = (second, format(second)) }
            return last.text
        }
    }

    static func format(_ second: Int) -> String {
        var t = second
        var tm = tm()
        gmtime_r(&t, &tm)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(1900 + tm.tm_year) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) GMT"
    }
}
