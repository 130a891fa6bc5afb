import CSamtaleLinux
import Foundation
import Logging
import NIOPosix
import SamtaleCore
import SamtaleSchedule
import ServiceLifecycle
import Synchronization

/// What the kiosk knows of the share as last read: the schedule file, every publisher's live
/// state, and the spreadsheet's lock. Written by the watcher, read by the write-back.
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

    func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }
    var current: State { state.withLock { $0 } }
}
