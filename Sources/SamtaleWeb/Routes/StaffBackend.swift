import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SamtaleCore
import Synchronization

/// What the staff routes need from the kiosk.
public protocol StaffBackend: Sendable {
    var schoolTime: SchoolTime { get }
    /// The teacher's view of this kiosk's room, names and all.
    func teacher() async -> TeacherView
    /// The teacher view every time it changes (`nil`: keep-alive pings).
    func teacherUpdates() async -> AsyncStream<TeacherView?>
    /// Carries out a teacher's action through the engine (written to the schedule file like a
    /// kiosk's own changes); answers with the engine's word (`done`, or why it was refused).
    func act(_ action: TeacherAction, id: String?, minutes: Int?) async -> String
    /// Every room of the school and every kiosk's health, without names.
    func caretaker() async -> CaretakerView
}
