import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The routes a router really has, as `METHOD /path/{capture}`: filled in once every route is
/// added, read by `ErrorMiddleware` to tell a wrong method (405) from a path that does not exist.
public final class RouteTable: Sendable {
    public struct Route: Sendable, Hashable, Comparable {
        public var method: String
        public var path: String
        public init(method: String, path: String) {
            self.method = method
            self.path = path
        }
        public static func < (a: Route, b: Route) -> Bool { (a.path, a.method) < (b.path, b.method) }
    }

    private let routes = Mutex<[Route]>([])

    public init() {}

    /// The router's routes, `HEAD` included wherever the router answers it.
    public func set<Context>(from router: Router<Context>) {
        let list = router.routes.map { Route(method: $0.method.rawValue, path: $0.path.description) }
        routes.withLock { $0 = list }
    }

    public var all: [Route] { routes.withLock { $0 }.sorted() }

    /// The methods some route answers on this path; empty when no route has the path.
    public func methods(forPath path: String) -> Set<String> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var out = Set<String>()
        for route in routes.withLock({ $0 }) {
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count else { continue }
            let matches = zip(pattern, segments).allSatisfy { p, s in
                (p.hasPrefix("{") && p.hasSuffix("}") && !s.isEmpty) || p == s
            }
            if matches { out.insert(route.method) }
        }
        if out.contains("GET") { out.insert("HEAD") }
        return out
    }
}

/// Every error as the one JSON error shape (`{"error": message}`, with the security headers):
/// a path that exists under another method is 405 with an `Allow` header, an unknown path 404,
/// an error the routes did not expect 500 (logged, its text never sent).
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public let table: RouteTable

    public init(table: RouteTable) { self.table = table }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response = try await respond(request, context: context, next: next)
        // A HEAD request gets the headers only, whatever answered it.
        return request.method == .head ? response.createHeadResponse() : response
    }

    func respond(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            let status = error.status
            if status == .notFound {
                let allowed = table.methods(forPath: request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                    var response = Responses.error(.methodNotAllowed, "method not allowed")
                    response.headers[.allow] = allowed.sorted().joined(separator: ", ")
                    return response
                }
                return Responses.error(.notFound, "not found")
            }
            let message = (error as? HTTPError)?.body ?? status.reasonPhrase.lowercased()
            return Responses.error(status, message)
        } catch {
            context.logger.error("request failed", metadata: ["why": "\(error)"])
            return Responses.error(.internalServerError, "internal error")
        }
    }
}
