import Foundation
import SamtaleCore

#if canImport(Glibc)
    import Glibc
#endif

/// What one kiosk (or one `samtale checkin` on an office PC) has recorded, published on the
/// school's share in a file no spreadsheet ever opens: `.samtale/state/NAME.json` beside the
/// schedule file. Every kiosk and command reads them all and lays the newest entry per booking
/// over the schedule file's state columns, so the school sees the live state whether or not the
/// office has the spreadsheet open; the kiosks carry it into the file once it can be written.
public struct LiveStateFile: Sendable, Hashable, Codable {
    public var kiosk: String
    /// The rooms the publisher serves (empty for an office command).
    public var rooms: [String]
    /// When the file was written (the publisher's clock).
    public var written: Date
    public var entries: [LiveEntry]

    public init(kiosk: String, rooms: [String], written: Date, entries: [LiveEntry]) {
        self.kiosk = kiosk
        self.rooms = rooms
        self.written = written
        self.entries = entries
    }

    /// At most this many entries per file (the newest), and only of the last `keepDays`: a
    /// season of one room fits many times over; the file stays small on the share.
    public static let maxEntries = 4000
    public static let keepDays = 120
}

/// One booking's recorded progress, with who recorded it and when.
public struct LiveEntry: Sendable, Hashable, Codable {
    public var id: String
    public var room: String
    public var progress: ConferenceProgress
    public var kiosk: String
    /// When it was recorded (the recorder's wall clock).
    public var at: Date
    public var seq: Int

    public init(id: String, room: String, progress: ConferenceProgress, kiosk: String, at: Date, seq: Int) {
        self.id = id
        self.room = room
        self.progress = progress
        self.kiosk = kiosk
        self.at = at
        self.seq = seq
    }

    /// Whether this entry is newer than `other` (by time recorded, then recorder and sequence, so
    /// that every reader picks the same one).
    public func isNewer(than other: LiveEntry) -> Bool {
        (at, kiosk, seq) > (other.at, other.kiosk, other.seq)
    }
}

/// The folder of live state files on the share.
public struct LiveStateFolder: Sendable {
    /// The share's folder itself (never created here: an unmounted share must stay absent).
    public let share: String
    public let folder: String

    public init(schedulePath: String) {
        let isFolder = ScheduleReader.isFolder(schedulePath)
        let base = isFolder ? schedulePath : (schedulePath as NSString).deletingLastPathComponent
        share = base.isEmpty ? "." : base
        folder = share + "/.samtale/state"
    }

    public static func fileName(_ kiosk: String) -> String {
        let safe = kiosk.unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" ? Character($0) : "_"
        }
        return String(safe.prefix(64)) + ".json"
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .deferredToDate  // exact: a date read back is the same date
        e.outputFormatting = [.sortedKeys]
        return e
    }

    /// Writes a publisher's file atomically (temporary file, fsync, rename): readers see the old
    /// or the new version, never a mix.
    public func write(_ file: LiveStateFile) throws(Failure) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: share, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(description: "the share's folder \(share) is not there (is the share mounted?)")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create \(folder): \(error.localizedDescription)")
        }
        let data: Data
        do { data = try Self.encoder().encode(file) } catch { throw Failure(description: "\(error)") }
        do {
            try StateJournal.replace(
                directory: folder, name: Self.fileName(file.kiosk), data: data, mode: 0o664, tag: ".\(getpid())")
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    /// What tells one version of the folder from another without reading it: names, sizes and
    /// modification times.
    public func stamp() -> [String: String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [:] }
        var out: [String: String] = [:]
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            var st = stat()
            guard stat(folder + "/" + name, &st) == 0 else { continue }
            out[name] = "\(st.st_ino) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
        }
        return out
    }

    /// Every readable publisher's file (a file that does not read is skipped: something else's file).
    public func read() -> [LiveStateFile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().prefix(1000).compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name), data.count < 8 << 20 else {
                return nil
            }
            return try? decoder.decode(LiveStateFile.self, from: data)
        }
    }
}

/// The live state: the newest entry per booking over every publisher's file. Pure.
public struct LiveState: Sendable, Hashable {
    public private(set) var entries: [String: LiveEntry] = [:]
    /// Publishers by room (from their files): who serves which room.
    public private(set) var publishers: [String: Set<String>] = [:]

    public init() {}

    public init(_ files: [LiveStateFile]) {
        for f in files {
            for r in f.rooms { publishers[r, default: []].insert(f.kiosk) }
            for e in f.entries { add(e) }
        }
    }

    public mutating func add(_ e: LiveEntry) {
        if let old = entries[e.id], !e.isNewer(than: old) { return }
        entries[e.id] = e
    }

    /// The file's bookings with the live state laid over their recorded state: the newest
    /// recorded progress wins over what the file's state columns say. The office's cancellation
    /// stays (the booking's `cancelled` is the office's word).
    public func overlay(_ bookings: [Booking]) -> [Booking] {
        guard !entries.isEmpty else { return bookings }
        return bookings.map { b in
            guard let e = entries[b.id], e.room == b.room else { return b }
            var b = b
            b.recorded = e.progress == .fresh ? nil : e.progress
            return b
        }
    }

    /// A publisher's file from a journal: the latest entry per booking, newest first, bounded.
    public static func file(
        kiosk: String, rooms: [String], journal: [StateJournal.Entry], at now: Date
    ) -> LiveStateFile {
        let horizon = now.addingTimeInterval(-Double(LiveStateFile.keepDays) * 86400)
        let entries =
            journal
            .map {
                LiveEntry(
                    id: $0.id, room: $0.room, progress: $0.progress, kiosk: $0.kiosk, at: $0.at ?? now, seq: $0.seq)
            }
            .filter { $0.at >= horizon }
            .sorted { $0.isNewer(than: $1) }
            .prefix(LiveStateFile.maxEntries)
        return LiveStateFile(kiosk: kiosk, rooms: rooms, written: now, entries: Array(entries))
    }
}

extension LiveState {
    /// The state cells the file lacks: the live state of every booking in `rooms` (nil: every
    /// room) whose cells in the file say something else. The office's cancellation stays.
    public func updates(for file: Schedule, rooms: Set<String>? = nil, time: SchoolTime) -> [String: StateCells] {
        var out: [String: StateCells] = [:]
        for e in entries.values where rooms?.contains(e.room) ?? true {
            guard let cells = StateMerge.cells(of: e.id, in: file) else { continue }
            if ScheduleFileFormat.isCancellation(cells[.status]) { continue }
            let want = StateCells(e.progress, kiosk: e.kiosk, time: time)
            if !want.sameState(as: cells) { out[e.id] = want }
        }
        return out
    }
}

extension StateCells {
    /// Whether the file's cells already say this, as a spreadsheet may have reformatted them
    /// (`18:26` saved back as `18:26:00`, `In session` for `in session`).
    public func sameState(as cells: [Column: String]) -> Bool {
        func norm(_ s: String) -> String {
            let t = s.trimmingSpaces.lowercased()
            return t == "in-session" ? "in session" : t
        }
        func time(_ a: String, _ b: String) -> Bool {
            if let x = ScheduleReader.parseTime(a), let y = ScheduleReader.parseTime(b) { return x == y }
            return a.trimmingSpaces == b.trimmingSpaces
        }
        if norm(status) == "scheduled" && checkedIn.isEmpty && started.isEmpty && ended.isEmpty {
            // Nothing recorded (an undone check-in): the same as a row nobody wrote state into.
            return ["", "scheduled"].contains(norm(cells[.status] ?? ""))
                && [cells[.checkedIn], cells[.started], cells[.ended]].allSatisfy { ($0 ?? "").trimmingSpaces.isEmpty }
        }
        return norm(cells[.status] ?? "") == norm(status) && time(cells[.checkedIn] ?? "", checkedIn)
            && time(cells[.started] ?? "", started) && time(cells[.ended] ?? "", ended)
            && (cells[.kiosk] ?? "").trimmingSpaces == kiosk
    }
}
