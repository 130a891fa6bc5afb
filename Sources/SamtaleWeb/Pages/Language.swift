import Foundation

/// The languages the door speaks.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    /// Norwegian bokmål.
    case nb
    /// Danish.
    case da
    /// English.
    case en
}
