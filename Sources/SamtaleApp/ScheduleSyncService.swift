import Foundation
import Logging
import SamtaleSchedule
import ServiceLifecycle
import Synchronization

/// Writes the journal's pending state into the schedule file whenever there is some, and again
/// every few seconds while the file cannot be written (share unreachable, read-only, open in a
/// spreadsheet), until it can. On shutdown it tries once more.
struct ScheduleSyncService: Service {
    let kiosk: Kiosk
    let sync: StateSync
    let logger: Logger
    let status: SyncStatus
    var retry: Duration = .seconds(2)

    func run() async throws {
        var lastProblem: String?
        while true {
            let stopping = Task.isCancelledOrShuttingDown
            do {
                let written = try sync.flush()
                if written > 0 {
                    logger.info("state written to the schedule file", metadata: ["entries": "\(written)"])
                    status.wrote(at: Date())
                    kiosk.metrics?.scheduleWrite(ok: true)
                }
                if lastProblem != nil { logger.notice("the schedule file is writable again") }
                lastProblem = nil
                status.update(backlog: sync.journal.backlog, problem: nil)
            } catch {
                if error.description != lastProblem {
                    logger.warning(
                        "schedule file not writable; state kept in the journal",
                        metadata: ["why": "\(error.description)", "backlog": "\(sync.journal.backlog)"])
                }
                lastProblem = error.description
                status.update(backlog: sync.journal.backlog, problem: error.description)
                kiosk.metrics?.scheduleWrite(ok: false)
            }
            kiosk.metrics?.backlog(sync.journal.backlog)
            if stopping { return }
            let alarm = kiosk.syncAlarm
            await withGracefulShutdownHandler {
                await alarm.sleep(for: retry)
            } onGracefulShutdown: {
                alarm.ring()
            }
        }
    }
}

/// How the write-back is doing, for /healthz and the logs.
public final class SyncStatus: Sendable {
    private let state = Mutex<(backlog: Int, problem: String?, lastWrite: Date?)>((0, nil, nil))
    public init() {}
    func update(backlog: Int, problem: String?) {
        state.withLock {
            $0.backlog = backlog
            $0.problem = problem
        }
    }
    func wrote(at date: Date) { state.withLock { $0.lastWrite = date } }
    public var backlog: Int { state.withLock { $0.backlog } }
    public var problem: String? { state.withLock { $0.problem } }
    /// When state was last written into the schedule file.
    public var lastWrite: Date? { state.withLock { $0.lastWrite } }
}
