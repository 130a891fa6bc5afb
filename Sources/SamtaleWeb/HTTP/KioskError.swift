import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Every error of the kiosk's routes: `{"error": message}` as JSON with its status (and
/// `Retry-After` when given). Thrown, never built by hand; the security headers come from
/// `SecurityHeadersMiddleware`. A message names what went wrong, never a pupil or a guardian.
public struct KioskError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.headers = [:]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
    }

    struct Body: Encodable {
        var error: String
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONView(Body(error: message), encoder: JSONEncoder(), status: status)
            .response(from: request, context: context)
        response.headers.append(contentsOf: headers)
        return response
    }

    public var description: String { "\(status.code) \(message)" }
}
