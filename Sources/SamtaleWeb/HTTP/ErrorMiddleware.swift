import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Every error as the one JSON error shape (`KioskError`: `{"error": message}`): a path that
/// exists under another method is 405 with an `Allow` header, an unknown path 404, an error the
/// routes did not expect 500 (logged, its text never sent). The security headers are
/// `SecurityHeadersMiddleware`'s, around this one.
public struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public let table: RouteTable

    public init(table: RouteTable) { self.table = table }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try kioskError(for: error, request: request, context: context)
                .response(from: request, context: context)
        }
        // A HEAD request gets the headers only, whatever answered it.
        return request.method == .head ? response.createHeadResponse() : response
    }

    /// The kiosk's error for anything a route or Hummingbird threw.
    func kioskError(for error: any Error, request: Request, context: Context) -> KioskError {
        switch error {
        case let error as KioskError:
            return error
        case let error as any HTTPResponseError where error.status == .notFound:
            let allowed = table.methods(forPath: request.uri.path)
            if !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                var refusal = KioskError(.methodNotAllowed, "method not allowed")
                refusal.headers[.allow] = allowed.sorted().joined(separator: ", ")
                return refusal
            }
            return KioskError(.notFound, "not found")
        case let error as any HTTPResponseError:
            return KioskError(error.status, (error as? HTTPError)?.body ?? error.status.reasonPhrase.lowercased())
        default:
            context.logger.error("request failed", metadata: ["why": "\(error)"])
            return KioskError(.internalServerError, "internal error")
        }
    }
}
