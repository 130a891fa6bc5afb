import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import ServiceLifecycle
import Synchronization

/// How the write-back is doing, for /healthz, the heartbeat and the logs.
public final class SyncStatus: Sendable {
    struct State {
        var backlog = 0
        var problem: String?
        var lastWrite: Date?
        var lock: SpreadsheetLock?
        var twins: [String] = []
    }
    private let state = Mutex(State())
    public init() {}
    func update(backlog: Int, problem: String?, lock: SpreadsheetLock?) {
        state.withLock {
            $0.backlog = backlog
            $0.problem = problem
            $0.lock = lock
        }
    }
    func wrote(at date: Date) { state.withLock { $0.lastWrite = date } }
    func setTwins(_ names: [String]) { state.withLock { $0.twins = names } }
    public var backlog: Int { state.withLock { $0.backlog } }
    public var problem: String? { state.withLock { $0.problem } }
    /// When state was last written into the schedule file.
    public var lastWrite: Date? { state.withLock { $0.lastWrite } }
    /// The spreadsheet that has the file open, if any.
    public var lock: SpreadsheetLock? { state.withLock { $0.lock } }
    /// Other kiosks serving this kiosk's room.
    public var twins: [String] { state.withLock { $0.twins } }
}
