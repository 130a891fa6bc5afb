import ArgumentParser
import CSamtaleLinux
import Foundation
import Logging
import NIOPosix
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb
import ServiceLifecycle

/// What the staff pages see of the kiosk: its room (teacher) and the whole school (caretaker).
struct StaffService: StaffBackend {
    let kiosk: Kiosk
    let configuration: KioskConfiguration
    let heartbeats: Heartbeats?
    /// The kiosk's clock.
    let clock: any WallClock

    var schoolTime: SchoolTime { kiosk.schoolTime }

    func teacher() async -> TeacherView { await kiosk.teacher() }

    func teacherUpdates() async -> AsyncStream<TeacherView?> { await kiosk.teacherUpdates() }

    func act(_ action: TeacherAction, id: String?, minutes: Int?) async -> String {
        await kiosk.act(action, id: id, minutes: minutes)
    }

    func caretaker() async -> CaretakerView {
        let school = await kiosk.school()
        let path = configuration.schedulePath
        let zone = configuration.timeZone
        let heartbeats = heartbeats
        let (beats, lock) = await BlockingIO.run {
            (heartbeats?.read() ?? [], path.flatMap { SpreadsheetLock.find(for: $0, timeZone: zone) })
        }
        let now = clock.now()
        return CaretakerView.make(
            bookings: school.bookings, heartbeats: beats, timeZone: configuration.timeZone,
            rules: configuration.rules, at: now, scheduleReadAt: school.readAt, scheduleProblem: school.problem,
            openBy: lock.map { $0.describe(at: now, time: kiosk.schoolTime.timeString) })
    }
}
