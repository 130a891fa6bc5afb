import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb
import ServiceLifecycle
import Synchronization

/// Carries the kiosk's state to the share and into the schedule file:
/// - publishes its journal on the share (`.samtale/state/KIOSK.json`) within a moment of every
///   change, whether or not the file is open in a spreadsheet;
/// - writes into the file the live state of its own rooms' bookings (whoever recorded it: this
///   kiosk, a second kiosk on the room, `samtale checkin` on an office PC), and, when it is the
///   school's first kiosk by name, of rooms no running kiosk serves; only cells whose state
///   differs, only when no spreadsheet has the file open (and none let go of it in the last
///   `lockSettle`), a burst of changes as one write.
/// Blocking I/O (the lock, fsync, reading the file, the share) runs on NIO's thread pool (`BlockingIO`).
struct ScheduleSyncService: Service {
    let sync: StateSync
    /// The kiosk's clock (who is silent, how long a lock has been held, when the file was written).
    let clock: any WallClock
    /// Counts writes into the file and the backlog, when metrics are kept.
    let metrics: KioskMetrics?
    let share: ShareView
    let room: String
    let logger: Logger
    let status: SyncStatus
    let wake: Alarm
    let heartbeats: Heartbeats?
    /// The kiosk's regular wake-up, when it has one: every `namesEvery` it glances at the
    /// heartbeats' names and rings the write-back when a kiosk appeared or went (a second kiosk on
    /// this room is named within seconds though the write-back sleeps for `idleRound`).
    var pulse: Pulse?
    static let namesEvery: Duration = .seconds(10)
    /// Whether to write into the file (not for an iCalendar or a folder: the share only).
    var writesFile = true
    var retry: Duration = .seconds(2)
    /// Changes that come together are written together.
    var coalesce: Duration = .milliseconds(200)
    /// With nothing to do, a round this often (who else runs, from the heartbeats; anything the
    /// watcher's ring did not bring). Every change on the share or in the journal rings at once.
    var idleRound: Duration = .seconds(60)
    /// A spreadsheet lock seen this recently still counts (LibreOffice lets it go at each save).
    var lockSettle: Duration = .seconds(2)

    func run() async throws {
        var published = -1
        var lastProblem: String?
        var written: (version: Int, updates: [String: StateCells])?
        var school: (at: ContinuousClock.Instant, fresh: [KioskHealth])?
        // The file's rooms, per version read (not worked out anew from every booking every 10 s).
        var fileRooms: (version: Int, rooms: Set<String>)?
        let sync = sync
        let glanced = HeartbeatNames()
        if let pulse, let heartbeats {
            let wake = wake
            pulse.add(every: Self.namesEvery) { if glanced.look(heartbeats) { wake.ring() } }
        }
        while true {
            let stopping = Task.isCancelledOrShuttingDown
            var again = false
            // 1. The share: this kiosk's journal, published.
            let seq = sync.journal.lastSeq
            if seq != published {
                let rooms = [room]
                let now = clock.now()
                let outcome: String? = await BlockingIO.run { () -> String? in
                    do {
                        try sync.publish(rooms: rooms, at: now)
                        return nil
                    } catch { return "\(error)" }
                }
                if let outcome {
                    again = true
                    if outcome != lastProblem {
                        logger.warning(
                            "cannot publish the state on the share; kept in the journal",
                            metadata: ["why": "\(outcome)"])
                    }
                    lastProblem = outcome
                } else {
                    published = seq
                }
            }
            // 2. Who else runs: rooms nobody serves (written by the first kiosk by name), and a
            // second kiosk on this room.
            if let heartbeats,
                glanced.takeChange() || school.map({ ContinuousClock.now - $0.at > .seconds(10) }) ?? true
            {
                let now = clock.now()
                let fresh = await BlockingIO.run { heartbeats.read().filter { !$0.silent(at: now) } }
                school = (.now, fresh)
                let twins = fresh.filter { $0.room == room && $0.kiosk != sync.kiosk }.map(\.kiosk).sorted()
                if twins != status.twins {
                    if twins.isEmpty {
                        logger.notice("no other kiosk serves this room now", metadata: ["room": "\(room)"])
                    } else {
                        logger.warning(
                            "another kiosk serves this room too: both show one state, shared on the share",
                            metadata: ["room": "\(room)", "kiosks": "\(twins.joined(separator: ", "))"])
                    }
                    status.setTwins(twins)
                }
            }
            // 3. The file: what its state cells lack.
            let view = share.current
            if writesFile, let file = view.schedule {
                var rooms: Set<String> = [room]
                if let fresh = school?.fresh {
                    let names = Set(fresh.map(\.kiosk)).union([sync.kiosk])
                    if names.min() == sync.kiosk {
                        let served = Set(fresh.map(\.room)).union([room])
                        if fileRooms?.version != view.version {
                            fileRooms = (view.version, view.rooms)
                        }
                        rooms.formUnion(fileRooms!.rooms.subtracting(served))
                    }
                }
                let updates = sync.live(view.live).updates(for: file, rooms: rooms, time: sync.time)
                let lockHeld = view.lock != nil || view.lockSeen.map { ContinuousClock.now - $0 < lockSettle } ?? false
                if updates.isEmpty {
                    status.update(backlog: 0, problem: nil, lock: view.lock)
                    if lastProblem != nil { logger.notice("the schedule file holds every state again") }
                    lastProblem = nil
                } else if let w = written, w.version == view.version,
                    updates.allSatisfy({ w.updates[$0.key] == $0.value })
                {
                    // Written already; the watcher has not read the new version yet.
                    again = true
                } else if lockHeld {
                    let why =
                        view.lock.map {
                            "the schedule file is \($0.describe(at: clock.now(), time: sync.time.timeString))"
                        }
                        ?? "a spreadsheet let go of the schedule file a moment ago"
                    status.update(backlog: updates.count, problem: why, lock: view.lock)
                    if why != lastProblem && view.lock != nil {
                        logger.notice(
                            "schedule file open in a spreadsheet: the state is on the share and goes into the file when it is closed",
                            metadata: ["why": "\(why)", "waiting": "\(updates.count)"])
                        lastProblem = why
                    }
                    again = true
                } else {
                    let result: Result<ScheduleFileWriter.Outcome, WriteFailure> = await BlockingIO.run {
                        do throws(WriteFailure) { return .success(try sync.write(updates, parsed: file)) } catch {
                            return .failure(error)
                        }
                    }
                    switch result {
                    case .success(let outcome):
                        written = (view.version, updates)
                        if outcome == .written {
                            logger.info(
                                "state written to the schedule file", metadata: ["bookings": "\(updates.count)"])
                            status.wrote(at: clock.now())
                            metrics?.scheduleWrite(ok: true)
                        }
                        if lastProblem != nil { logger.notice("the schedule file is writable again") }
                        lastProblem = nil
                        status.update(backlog: 0, problem: nil, lock: nil)
                    case .failure(let error):
                        if error.description != lastProblem {
                            logger.warning(
                                "schedule file not writable; the state is on the share and in the journal",
                                metadata: ["why": "\(error.description)", "waiting": "\(updates.count)"])
                        }
                        lastProblem = error.description
                        status.update(backlog: updates.count, problem: error.description, lock: view.lock)
                        metrics?.scheduleWrite(ok: false)
                        again = true
                    }
                }
            }
            metrics?.backlog(status.backlog)
            if stopping { return }
            await withGracefulShutdownHandler {
                let rung = await wake.sleep(for: again ? (share.current.lock != nil ? .seconds(1) : retry) : idleRound)
                // A burst of changes is one write.
                if rung { try? await LoopSleep.sleep(for: coalesce) }
            } onGracefulShutdown: {
                wake.ring()
            }
        }
    }
}

/// The names of the heartbeats on the share as last glanced at (on the pulse's thread), and
/// whether they changed since the write-back last read them.
final class HeartbeatNames: Sendable {
    private struct State {
        var names: Set<String>?
        var changed = false
    }
    private let state = Mutex(State())

    /// Lists the heartbeats' folder; true when the names changed.
    func look(_ heartbeats: Heartbeats) -> Bool {
        let names = Set(heartbeats.names() ?? [])
        return state.withLock { s in
            defer { s.names = names }
            // The first listing counts as a change too: the write-back's first read may have come
            // before another kiosk's first heartbeat.
            guard s.names != names else { return false }
            s.changed = true
            return true
        }
    }

    /// Whether the names changed since the last call.
    func takeChange() -> Bool {
        state.withLock { s in
            defer { s.changed = false }
            return s.changed
        }
    }
}
