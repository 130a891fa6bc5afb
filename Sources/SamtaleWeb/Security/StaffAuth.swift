import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Who may see the staff pages. Teachers see names for their room; caretakers see every room
/// without names.
public enum StaffRole: String, Sendable, Hashable, Codable {
    case teacher
    case caretaker
}

/// Checks a secret against a stored hash (libcrypt's `$y$…`/`$6$…`, see `samtale hash-secret`).
/// Slow on purpose; implementations run it off the request's executor.
public protocol SecretChecker: Sendable {
    func verify(_ secret: String, against hash: String) async -> Bool
}

/// The staff secrets of one kiosk, as hashes (the configuration holds no plain secret).
public struct StaffAuth: Sendable {
    /// The PIN of this kiosk's room, for its teacher(s); nil: the teacher page is closed.
    public var teacherPinHash: String?
    /// Caretakers' tokens; empty: the caretaker page is closed.
    public var caretakerTokenHashes: [String]
    public var sessionLifetime: TimeInterval
    public var throttle: SignInThrottle.Policy

    public init(
        teacherPinHash: String? = nil, caretakerTokenHashes: [String] = [], sessionLifetime: TimeInterval = 12 * 3600,
        throttle: SignInThrottle.Policy = .init()
    ) {
        self.teacherPinHash = teacherPinHash
        self.caretakerTokenHashes = caretakerTokenHashes
        self.sessionLifetime = sessionLifetime
        self.throttle = throttle
    }
}

/// Compares two byte strings in time that depends on their lengths only, not on where they differ.
public func constantTimeEquals(_ a: some StringProtocol, _ b: some StringProtocol) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    var diff = UInt8(x.count == y.count ? 0 : 1)
    for i in 0..<max(x.count, y.count) {
        diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
    }
    return diff == 0
}
