import Foundation
import HTTPTypes
import Hummingbird

/// A request context that can carry the staff session a `StaffSessionMiddleware` found.
public protocol StaffRequestContext: RequestContext {
    var staffSession: SessionStore.Session? { get set }
}

/// Lets a route group's requests through only with a live session of one of `roles` (from the
/// session cookie), and a state change (POST) only with the session's CSRF token in
/// `X-Samtale-CSRF`. The session is handed to the routes in `context.staffSession`.
public struct StaffSessionMiddleware<Context: StaffRequestContext>: RouterMiddleware {
    /// What a request without such a session gets.
    public enum Refusal: Sendable {
        /// A page: sent to the sign-in page.
        case redirect(String)
        /// An API: this error.
        case error(KioskError)
    }

    public let sessions: SessionStore
    public let roles: Set<StaffRole>
    public let refusal: Refusal
    /// What a state change with a session but without its CSRF token gets.
    public let withoutCSRF: KioskError
    /// The current time (the sessions' expiry is checked against it).
    public let now: @Sendable () -> Date

    public init(
        sessions: SessionStore, roles: Set<StaffRole>, refusal: Refusal,
        withoutCSRF: KioskError = KioskError(.forbidden, "the request lacks the session's CSRF token"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.sessions = sessions
        self.roles = roles
        self.refusal = refusal
        self.withoutCSRF = withoutCSRF
        self.now = now
    }

    public static var cookieName: String { "samtale_session" }
    public static var csrfHeader: HTTPField.Name { HTTPField.Name("X-Samtale-CSRF")! }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let session = sessions.find(request.cookies[Self.cookieName]?.value, at: now()),
            roles.contains(session.role)
        else {
            switch refusal {
            case .redirect(let location):
                return try Redirect(to: location).response(from: request, context: context)
            case .error(let error):
                throw error
            }
        }
        if request.method != .get && request.method != .head {
            guard let token = request.headers[Self.csrfHeader], constantTimeEquals(token, session.csrf) else {
                throw withoutCSRF
            }
        }
        var context = context
        context.staffSession = session
        return try await next(request, context)
    }
}
