import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Applies to every request: a per-client request rate, and no cross-site state change — a POST
/// whose `Origin` is another site, or that a browser marks `Sec-Fetch-Site: cross-site`, is
/// refused before any route sees it.
public struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    public let limiter: RateLimiter

    public init(limiter: RateLimiter) { self.limiter = limiter }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard limiter.allow(clientAddress(context)) else {
            throw KioskError(.tooManyRequests, "too many requests: slow down", retryAfter: 1)
        }
        if request.method == .post, !Self.sameOrigin(request) {
            throw KioskError(.forbidden, "cross-site request refused")
        }
        return try await next(request, context)
    }

    /// True unless the browser says the request comes from another site.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" { return false }
        guard let origin = request.headers[HTTPField.Name("Origin")!] else { return true }
        guard origin != "null", let host = request.head.authority else { return false }
        let stripped = origin.replacingOccurrences(of: "http://", with: "").replacingOccurrences(
            of: "https://", with: "")
        return stripped == host
    }
}
