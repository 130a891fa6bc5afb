import CSamtaleLinux
import Foundation
import Logging
import NIOPosix
import SamtaleCore
import SamtaleSchedule
import ServiceLifecycle
import Synchronization

/// What the kiosk knows of the share as last read: the schedule file, every publisher's live
/// state, and the spreadsheet's lock. Built once where the services are assembled and handed to
/// the two that need it: the watcher notes what it read (`note…`), the write-back reads `current`.
final class ShareView: Sendable {
    struct State {
        /// The file as last read, its bookings cut to what this kiosk needs today (see `kept`).
        var schedule: Schedule?
        /// Every room the file books (the write-back's rooms nobody serves come from these).
        var rooms: Set<String> = []
        /// Counts the file's versions read, so the write-back can tell a new version from the old.
        var version = 0
        var live = LiveState()
        var lock: SpreadsheetLock?
        /// When a spreadsheet lock was last seen (LibreOffice lets it go for a moment at each save).
        var lockSeen: ContinuousClock.Instant?
    }
    private let state = Mutex(State())

    /// A usable version of the file, as kept (see `ScheduleWatcher.kept`), and every room it books.
    func noteSchedule(_ kept: Schedule, rooms: Set<String>) {
        state.withLock {
            $0.schedule = kept
            $0.rooms = rooms
            $0.version += 1
        }
    }

    /// Every publisher's live state, as just read.
    func noteLive(_ live: LiveState) { state.withLock { $0.live = live } }

    /// The spreadsheet's lock as just looked for (nil: none). A lock seen at the look before and
    /// gone now was there until a moment ago: the watcher looks again within a beat of its going
    /// (the pulse glances at the lock file), however long it slept while the lock sat still.
    func noteLock(_ lock: SpreadsheetLock?) {
        state.withLock {
            if lock != nil || $0.lock != nil { $0.lockSeen = .now }
            $0.lock = lock
        }
    }

    /// What the share held at its last reads.
    var current: State { state.withLock { $0 } }
}
