import Foundation
import HTTPTypes
import Hummingbird

/// The security headers, on every response of the kiosk (pages, JSON, event streams, errors,
/// 404s and 405s alike): a Content-Security-Policy without inline script, no framing, no
/// sniffing, no referrer to other sites, no caching. The one place they are written.
///
/// `Referrer-Policy: same-origin`, not `no-referrer`: under `no-referrer` a browser sends
/// `Origin: null` with a form's POST, which `GuardMiddleware` (rightly) cannot tell from a
/// sandboxed or cross-site page. Same-origin keeps every URL from other sites and lets the staff
/// pages' own POSTs name their origin.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public static var headers: HTTPFields {
        [
            .contentSecurityPolicy:
                "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
            .cacheControl: "no-store",
        ]
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Outside the error middleware (a router without one): the error's own response.
            response = try error.response(from: request, context: context)
        }
        for field in Self.headers { response.headers[field.name] = field.value }
        return response
    }
}
