import Foundation
import SamtaleCore
import SamtaleSchedule

/// The kiosk's state on its way to the shared schedule file: recorded in the durable journal
/// first, then written into the file (its own rooms' state cells only) when the file is
/// writable, and written again whenever the file is found without it (an office save over it).
public struct StateSync: Sendable {
    public let writer: ScheduleFileWriter
    public let journal: StateJournal
    public let kiosk: String
    public let time: SchoolTime

    public init(writer: ScheduleFileWriter, journal: StateJournal, kiosk: String, time: SchoolTime) {
        self.writer = writer
        self.journal = journal
        self.kiosk = kiosk
        self.time = time
    }

    /// Where a kiosk keeps its journal: systemd's `$STATE_DIRECTORY`, else /var/lib/samtale
    /// when writable, else ~/.local/state/samtale.
    public static func defaultStateDirectory() -> String {
        if let dir = ProcessInfo.processInfo.environment["STATE_DIRECTORY"], !dir.isEmpty {
            return String(dir.split(separator: ":")[0])
        }
        if FileManager.default.isWritableFile(atPath: "/var/lib/samtale") { return "/var/lib/samtale" }
        return NSHomeDirectory() + "/.local/state/samtale"
    }

    /// The room's conferences whose progress is not what the journal holds: to be recorded.
    public static func changes(_ engine: RoomEngine, journal: StateJournal) -> [(
        id: String, room: String, progress: ConferenceProgress
    )] {
        let latest = journal.latest
        return engine.conferences.compactMap { c in
            // Progress the file already has (written by whoever) is not ours to restate.
            let known = latest[c.id]?.progress ?? c.booking.recorded ?? .fresh
            guard c.progress != known else { return nil }
            return (c.id, c.booking.room, c.progress)
        }
    }

    /// Bookings whose state in the file is not what the journal holds (an office save over it, a
    /// write that never landed): recorded again, so that the next flush writes them. Returns how many.
    @discardableResult
    public func reassert(file: Schedule) throws -> Int {
        var again: [(id: String, room: String, progress: ConferenceProgress)] = []
        for e in journal.latest.values.sorted(by: { $0.seq < $1.seq }) where e.kiosk == kiosk && e.progress != .fresh {
            guard let cells = StateMerge.cells(of: e.id, in: file) else { continue }
            let want = StateCells(e.progress, kiosk: kiosk, time: time)
            let status = cells[.status]?.lowercased() ?? ""
            if ["cancelled", "canceled", "avlyst", "aflyst"].contains(status) { continue }
            if status != want.status || (cells[.checkedIn] ?? "") != want.checkedIn
                || (cells[.started] ?? "") != want.started
                || (cells[.ended] ?? "") != want.ended || (cells[.kiosk] ?? "") != want.kiosk
            {
                again.append((e.id, e.room, e.progress))
            }
        }
        try journal.record(again, kiosk: kiosk)
        return again.count
    }

    /// Writes every pending journal entry into the file. Returns how many were written.
    @discardableResult
    public func flush() throws(WriteFailure) -> Int {
        let pending = journal.pending
        guard let last = pending.last?.seq else { return 0 }
        var updates: [String: StateCells] = [:]
        for e in pending { updates[e.id] = StateCells(e.progress, kiosk: e.kiosk, time: time) }
        try writer.write(updates)
        do {
            try journal.markSynced(upTo: last)
        } catch {
            throw WriteFailure(kind: .failed, description: "\(error)")
        }
        return pending.count
    }

    /// Bookings with what the journal knows laid over what the file says, whichever is further
    /// along: the state after a restart.
    public static func restore(_ bookings: [Booking], journal: StateJournal) -> [Booking] {
        let latest = journal.latest
        return bookings.map { b in
            guard let e = latest[b.id] else { return b }
            var b = b
            if e.progress.phase.rank >= (b.recorded?.phase.rank ?? 0) { b.recorded = e.progress }
            return b
        }
    }
}
