import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Signed-in staff: random session ids (in an HttpOnly, SameSite=Strict cookie) and a CSRF token
/// per session that every state-changing request must carry in `X-Samtale-CSRF`.
public final class SessionStore: Sendable {
    public struct Session: Sendable, Hashable {
        public var id: String
        public var csrf: String
        public var role: StaffRole
        public var expires: Date
    }

    private let sessions = Mutex<[String: Session]>([:])
    public let lifetime: TimeInterval
    static let maxSessions = 500

    public init(lifetime: TimeInterval) { self.lifetime = lifetime }

    static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()  // getrandom(2): cryptographically secure
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }

    public func create(_ role: StaffRole, at now: Date) -> Session {
        let session = Session(id: Self.randomToken(), csrf: Self.randomToken(), role: role, expires: now + lifetime)
        sessions.withLock { all in
            all = all.filter { $0.value.expires > now }
            if all.count >= Self.maxSessions, let oldest = all.min(by: { $0.value.expires < $1.value.expires }) {
                all[oldest.key] = nil
            }
            all[session.id] = session
        }
        return session
    }

    public func find(_ id: String?, at now: Date) -> Session? {
        guard let id, id.utf8.count == 64 else { return nil }
        return sessions.withLock { all in
            // Compare in constant time against the one candidate with the same id prefix.
            guard let s = all[id], constantTimeEquals(s.id, id) else { return nil }
            guard s.expires > now else {
                all[id] = nil
                return nil
            }
            return s
        }
    }

    public func end(_ id: String) { sessions.withLock { $0[id] = nil } }

    public var count: Int { sessions.withLock { $0.count } }
}
