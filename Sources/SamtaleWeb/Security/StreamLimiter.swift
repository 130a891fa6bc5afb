import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Long-lived event streams (`/events`, `/teacher/events`): at most `perClient` from one address
/// and `total` in all, so a flood of connections cannot take the kiosk's memory or threads.
public final class StreamLimiter: Sendable {
    private let state = Mutex<(total: Int, clients: [String: Int])>((0, [:]))
    public let perClient: Int
    public let total: Int

    public init(perClient: Int = 32, total: Int = 1000) {
        self.perClient = perClient
        self.total = total
    }

    public func acquire(_ client: String) -> Bool {
        state.withLock { s in
            guard s.total < total, s.clients[client, default: 0] < perClient else { return false }
            s.total += 1
            s.clients[client, default: 0] += 1
            return true
        }
    }

    public func release(_ client: String) {
        state.withLock { s in
            s.total -= 1
            let n = s.clients[client, default: 1] - 1
            s.clients[client] = n > 0 ? n : nil
        }
    }

    public var open: Int { state.withLock { $0.total } }
}
