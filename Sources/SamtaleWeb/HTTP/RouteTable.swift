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

/// The kiosk's router: the security headers on every response, every error in the one shape,
/// the request rate and cross-site guard, then the routes `add` puts on it. Answers the router
/// and the table of its routes (what `/openapi.json` must describe).
public func kioskRouter<Context: RequestContext>(
    context: Context.Type, limiter: RateLimiter, add: (Router<Context>) -> Void
) -> (Router<Context>, RouteTable) {
    let router = Router(context: Context.self, options: .autoGenerateHeadEndpoints)
    let table = RouteTable()
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(table: table))
    router.add(middleware: GuardMiddleware(limiter: limiter))
    add(router)
    table.set(from: router)
    return (router, table)
}
