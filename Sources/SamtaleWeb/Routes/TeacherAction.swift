import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SamtaleCore
import Synchronization

/// A teacher's action from the teacher page.
public enum TeacherAction: String, Sendable, Hashable, CaseIterable {
    case start
    case end
    case extend
    case noShow = "no-show"
    case checkIn = "check-in"
    case undo
}
