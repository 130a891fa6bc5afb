import Foundation
import SamtaleCore
import SamtaleSchedule

/// The kiosk's state on its way to the shared schedule file: recorded in the durable journal
/// first, published on the share (`.samtale/state/`, which no spreadsheet opens) within a
/// moment, then written into the file's state cells when the file is writable, and written again
/// whenever the file is found without it (an office save over it).
public struct StateSync: Sendable {
    public let writer: ScheduleFileWriter
    public let journal: StateJournal
    public let kiosk: String
    public let time: SchoolTime
    /// The live state files on the share.
    public let share: LiveStateFolder

    public init(writer: ScheduleFileWriter, journal: StateJournal, kiosk: String, time: SchoolTime) {
        self.writer = writer
        self.journal = journal
        self.kiosk = kiosk
        self.time = time
        self.share = LiveStateFolder(schedulePath: writer.path)
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

    /// The conferences whose progress is not what is known (this kiosk's journal, or any
    /// publisher's live state on the share): to be recorded. A transition the engine did not
    /// witness (a conference that ended before the kiosk ran, or while it was off) is never
    /// recorded: the file keeps what it has.
    public static func changes(
        _ engine: RoomEngine, journal: StateJournal, live: LiveState = LiveState(), kiosk: String = ""
    ) -> [(id: String, room: String, progress: ConferenceProgress)] {
        let latest = journal.latest
        return engine.conferences.compactMap { c in
            guard !engine.unwitnessed.contains(c.id) else { return nil }
            var known = latest[c.id]?.progress
            // Another publisher's newer entry (this kiosk's own is its journal's).
            if let e = live.entries[c.id], e.kiosk != kiosk,
                latest[c.id].map({ e.at > ($0.at ?? .distantPast) }) ?? true
            {
                known = e.progress
            }
            // Progress the file already has (written by whoever) is not ours to restate.
            guard c.progress != (known ?? c.booking.recorded ?? .fresh) else { return nil }
            return (c.id, c.booking.room, c.progress)
        }
    }

    /// The live state with this publisher's own journal laid in (its newest entries may not be
    /// on the share yet).
    public func live(_ shared: LiveState) -> LiveState {
        var live = shared
        for e in journal.latest.values {
            live.add(
                LiveEntry(
                    id: e.id, room: e.room, progress: e.progress, kiosk: e.kiosk, at: e.at ?? .distantPast, seq: e.seq))
        }
        return live
    }

    /// Publishes this publisher's journal on the share (`.samtale/state/KIOSK.json`).
    public func publish(rooms: [String], at now: Date) throws(LiveStateFolder.Failure) {
        try share.write(LiveState.file(kiosk: kiosk, rooms: rooms, journal: Array(journal.latest.values), at: now))
    }

    /// Writes `updates` into the file (under the kiosks' lock, merged with whatever is there).
    @discardableResult
    public func write(_ updates: [String: StateCells], parsed: Schedule? = nil) throws(WriteFailure)
        -> ScheduleFileWriter.Outcome
    {
        let seq = journal.lastSeq
        let outcome = try writer.write(updates, parsed: parsed)
        do {
            try journal.markSynced(upTo: seq)
        } catch {
            throw WriteFailure(kind: .failed, description: "\(error)")
        }
        return outcome
    }

    /// Reads the file and writes what it lacks of this publisher's journal and the share's live
    /// state (all rooms): what `samtale sync` and `samtale checkin` do. Returns how many bookings.
    @discardableResult
    public func catchUp() throws(WriteFailure) -> Int {
        let file = writer.reader.read(path: writer.path)
        // Nothing of this journal waits: a file that cannot be read now is nothing to worry about.
        if !file.isUsable && journal.backlog == 0 { return 0 }
        guard file.isUsable else {
            throw WriteFailure(
                kind: .unusable,
                description: file.problems.first { $0.severity == .fatal }?.description ?? "the file cannot be read")
        }
        let updates = live(LiveState(share.read())).updates(for: file, time: time)
        guard !updates.isEmpty else {
            try? journal.markSynced(upTo: journal.lastSeq)
            return 0
        }
        try write(updates, parsed: file)
        return updates.count
    }
}
