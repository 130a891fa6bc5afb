import CSamtaleLinux
import Foundation
import Logging
import NIOPosix
import SamtaleCore
import SamtaleSchedule
import ServiceLifecycle
import Synchronization

/// Reads the schedule file and the share's live state, and reads them again when they change
/// (a cheap check of size, modification time and inode every `interval`, which works on SMB and
/// NFS shares too; the content is hashed only every `hashEvery` polls, for shares whose
/// modification times are coarse). A file that turns unreadable or malformed keeps the last good
/// schedule and raises a schedule fault. Blocking reads run on NIO's thread pool, never on the
/// threads that serve the door.
public struct ScheduleWatcher: Service {
    public let path: String
    public let room: String
    public let reader: ScheduleReader
    public let kiosk: Kiosk
    /// The kiosk's clock (the day, and which of the other rooms' bookings are kept).
    let clock: any WallClock
    public let interval: Duration
    public let logger: Logger
    /// Told when the file has been read for the first time (whether or not it could be used).
    public let readiness: Readiness?
    let share: ShareView
    let sync: StateSync?
    /// Rings the write-back when the file or the live state changed.
    let wake: Alarm?
    /// The kiosk's regular wake-up, when it has one: it glances at the share (a few `stat`s) every
    /// beat and rings the watcher only when something changed, so an idle watcher sleeps (see `fullLook`).
    let pulse: Pulse?
    /// How often a watcher on a pulse looks at everything itself, whatever the glances say: for
    /// network file systems whose attributes lag (NFS caches a folder's for up to a minute), and
    /// for a new day.
    var fullLook: Duration = .seconds(60)
    /// Polls after a change during which the watcher hashes and polls itself (`hashWindow`; the tests shorten it).
    var window = Self.hashWindow
    /// Whether to ask inotify (a local file) as well as polling (the tests turn it off).
    var inotify = true
    /// The pulse's beat where inotify reports every change (a local file): its glances are then
    /// only a safety net, and a set of the clock wakes it at once (see `Pulse`).
    var quietBeat: Duration = .seconds(30)
    static let hashEvery = 30
    /// A save that leaves size, modification time and inode as they were can only come within one
    /// tick of the share's clock (2 s at worst) of the change before it, which the watcher saw
    /// within a poll: hashing for two minutes after each change catches it, and an idle kiosk
    /// never reads its file (before, every `hashEvery` polls read, hashed and reloaded it).
    static let hashWindow = 120

    init(
        path: String, room: String, reader: ScheduleReader, kiosk: Kiosk, clock: any WallClock,
        interval: Duration = .seconds(1), logger: Logger, readiness: Readiness? = nil, share: ShareView,
        sync: StateSync? = nil, wake: Alarm? = nil, pulse: Pulse? = nil
    ) {
        self.pulse = pulse
        self.clock = clock
        self.readiness = readiness
        self.path = path
        self.room = room
        self.reader = reader
        self.kiosk = kiosk
        self.interval = interval
        self.logger = logger
        self.share = share
        self.sync = sync
        self.wake = wake
    }

    /// What tells one version of the file from another, cheaply: size, modification time, inode,
    /// and (when asked) a content hash.
    struct Stamp: Equatable {
        var size: Int64
        var modified: timespec
        var inode: UInt64
        var hash: UInt64?

        static func == (a: Stamp, b: Stamp) -> Bool {
            a.size == b.size && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
                && a.inode == b.inode && (a.hash == nil || b.hash == nil || a.hash == b.hash)
        }
    }

    static func stamp(_ path: String, hash: Bool) -> Stamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            // A folder of files: the stamps of its schedule files together.
            var combined = Stamp(size: 0, modified: timespec(), inode: 0, hash: hash ? 0 : nil)
            for f in ScheduleReader.files(in: path) {
                guard let s = stamp(f, hash: hash) else { continue }
                combined.size += s.size
                combined.inode = combined.inode &* 31 &+ s.inode
                if (s.modified.tv_sec, s.modified.tv_nsec) > (combined.modified.tv_sec, combined.modified.tv_nsec) {
                    combined.modified = s.modified
                }
                if let h = s.hash { combined.hash = (combined.hash ?? 0) &* 31 &+ h }
            }
            return combined
        }
        var digest: UInt64?
        if hash {
            // One read through one descriptor (Foundation's contents(atPath:) reads more).
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                var h = FNV()
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    for b in buffer[0..<n] { h.feed(b) }
                }
                digest = h.hash
            }
        }
        return Stamp(size: Int64(st.st_size), modified: st.st_mtim, inode: UInt64(st.st_ino), hash: digest)
    }

    /// What the pulse glances at every beat, cheaply (a few `stat`s, no listing, no reading, no
    /// hop to another thread): the file's stamp (without hash), the live state folder's (a state
    /// file written, moved in or removed there changes the folder), and the spreadsheets' lock files.
    struct Glance: Equatable {
        var file: Stamp?
        var liveFolder: Stamp?
        var libreOfficeLock: Stamp?
        var excelLock: Stamp?

        static func take(path: String, liveFolder: String, locks: (libreOffice: String, excel: String)) -> Glance {
            Glance(
                file: stamp(path, hash: false), liveFolder: plainStamp(liveFolder),
                libreOfficeLock: plainStamp(locks.libreOffice), excelLock: plainStamp(locks.excel))
        }

        /// One `stat` (of a folder too, unlike `stamp`).
        static func plainStamp(_ path: String) -> Stamp? {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            return Stamp(size: Int64(st.st_size), modified: st.st_mtim, inode: UInt64(st.st_ino), hash: nil)
        }
    }

    /// The glance of the beat before (the pulse's thread only reads and writes it).
    final class GlanceMemory: Sendable {
        private let last = Mutex<Glance?>(nil)

        /// Notes `now`; true when it differs from the glance before.
        func changed(_ now: Glance) -> Bool {
            last.withLock { last in
                defer { last = now }
                return last.map { $0 != now } ?? false
            }
        }
    }

    /// Problems already logged, so that each is logged once when it appears and once when it goes.
    final class ProblemLog: Sendable {
        private let seen = Mutex<Set<ScheduleProblem>>([])
        private let summary = Mutex<String?>(nil)

        /// Info the first time and whenever the summary changes; debug for every other read.
        func loadedLevel(_ now: String) -> Logger.Level {
            summary.withLock { s in
                defer { s = now }
                return s == now ? .debug : .info
            }
        }

        func update(_ problems: [ScheduleProblem], schedule: Schedule, room: String, path: String, logger: Logger) {
            let now = Set(problems)
            let (appeared, gone) = seen.withLock { s -> ([ScheduleProblem], [ScheduleProblem]) in
                defer { s = now }
                return (problems.filter { !s.contains($0) }, s.subtracting(now).sorted { $0.line < $1.line })
            }
            guard !appeared.isEmpty || !gone.isEmpty else { return }
            // The room each line of the file books, so that other rooms' problems stay at debug level.
            var lineRoom: [Int: String] = [:]
            if let table = schedule.table {
                for b in schedule.bookings {
                    if let r = schedule.rows[b.id], r < table.records.count { lineRoom[table.records[r].line] = b.room }
                }
            }
            for p in appeared {
                let other = lineRoom[p.line].map { $0 != room } ?? false
                // A notice says which reading was taken where the file cannot tell (a date's day and month).
                logger.log(
                    level: other ? .debug : p.severity == .notice ? .notice : .warning,
                    p.severity == .notice ? "schedule file notice" : "schedule file problem",
                    metadata: ["file": "\(path)", "problem": "\(p)"])
            }
            for p in gone {
                let other = lineRoom[p.line].map { $0 != room } ?? false
                logger.log(
                    level: other ? .debug : .notice, "schedule file problem resolved",
                    metadata: ["file": "\(path)", "problem": "\(p)"])
            }
        }
    }

    /// Reads the file once (off the cooperative pool) and hands the room's bookings, with the
    /// live state laid over them, to the kiosk (or raises the fault).
    @discardableResult
    public func load() async -> Schedule {
        let reader = reader
        let path = path
        let room = room
        let today = clock.now()
        let (schedule, kept, rooms) = await BlockingIO.run { () -> (Schedule, Schedule, Set<String>) in
            let schedule = reader.read(path: path)
            var kept = schedule
            kept.bookings = Self.kept(schedule.bookings, room: room, on: today, timeZone: reader.time.timeZone)
            return (schedule, kept, Set(schedule.bookings.map(\.room)))
        }
        if schedule.isUsable { share.noteSchedule(kept, rooms: rooms) }
        problems.update(schedule.problems, schedule: schedule, room: room, path: path, logger: logger)
        if schedule.isUsable {
            await deliver()
            var metadata: Logger.Metadata = [
                "file": "\(path)", "conferences": "\(schedule.bookings.count)", "room": "\(room)",
            ]
            if let d = schedule.dateOrder { metadata["dates"] = "\(d.order.rawValue) (\(d.reason))" }
            let summary = "\(metadata["dates"].map { "\($0)" } ?? "")"
            logger.log(level: problems.loadedLevel(summary), "schedule loaded", metadata: metadata)
        } else {
            let why = schedule.problems.first { $0.severity == .fatal }?.description ?? "unusable"
            await kiosk.apply(.unusable(why))
        }
        wake?.ring()
        // A read leaves its temporaries' pages free in malloc's arenas (the thread pool's among
        // them); give them back, so that a kiosk's resident memory is what it keeps.
        _ = csamtale_malloc_trim()
        return schedule
    }
    let problems = ProblemLog()

    /// Of a school's bookings, what a kiosk keeps (issue 12): its own room's, and of the other
    /// rooms only what the caretaker's page needs on `now`'s day (`CaretakerView.needed`); the
    /// file is read again when the day changes. The write-back needs no bookings (it goes by the
    /// file's rows), only the file's rooms.
    static func kept(_ bookings: [Booking], room: String, on now: Date, timeZone: TimeZone) -> [Booking] {
        bookings.filter { $0.room == room }
            + CaretakerView.needed(bookings.filter { $0.room != room }, on: now, timeZone: timeZone)
    }

    /// The last good schedule with the live state over it, to the kiosk: one hand-over.
    func deliver() async {
        let view = share.current
        guard let schedule = view.schedule else { return }
        let live = sync?.live(view.live) ?? view.live
        let school = live.overlay(schedule.bookings)
        // Of the other rooms, only what the caretaker's page needs today (see `kept`).
        await kiosk.apply(.read(school: school, mine: school.filter { $0.room == room }, live: live))
    }

    /// Changes reach the kiosk at once where inotify works (a local file), and within `interval`
    /// by polling where it does not (SMB and NFS shares do not report other machines' writes).
    public func run() async throws {
        let path = path
        let liveFolder = sync?.share ?? LiveStateFolder(schedulePath: path)
        let timeZone = reader.time.timeZone
        let nudge = Alarm()
        if let pulse {
            // The pulse's first glance is taken before the first read: a change after it, even
            // one during the read, differs from it at the next beat.
            let memory = GlanceMemory()
            let locks = SpreadsheetLock.paths(for: path)
            let folder = liveFolder.folder
            _ = await BlockingIO.run { memory.changed(Glance.take(path: path, liveFolder: folder, locks: locks)) }
            pulse.add {
                if memory.changed(Glance.take(path: path, liveFolder: folder, locks: locks)) { nudge.ring() }
            }
        }
        var last = await BlockingIO.run { Self.stamp(path, hash: true) }
        var lastHash = last?.hash
        var lastLive = await BlockingIO.run { liveFolder.stamp() }
        let live = await BlockingIO.run { LiveState(liveFolder.read()) }
        share.noteLive(live)
        await load()
        readiness?.mark(.schedule)
        // SAMTALE_NO_INOTIFY=1 behaves as on a network share (polling only): for tests and benchmarks.
        let useInotify = inotify && ProcessInfo.processInfo.environment["SAMTALE_NO_INOTIFY"] == nil
        let watched = ScheduleReader.isFolder(path) ? path : (path as NSString).deletingLastPathComponent
        let events = useInotify ? InotifyWatch(folder: watched) : nil
        // Only where inotify reports the office's writes too (not on a network share) may the
        // pulse go quiet.
        let local = events == nil ? false : await BlockingIO.run { LocalFileSystem.isLocal(watched) }
        var quiet = settleQuiet(events, local: local, live: liveFolder.folder, was: false)
        await withDiscardingTaskGroup { group in
            if let events {
                group.addTask { for await _ in events.changes { nudge.ring() } }
            }
            var polls = 0
            var day = reader.time.dayString(clock.now())
            // Polls since the file last changed: the content is hashed only in the `hashWindow`
            // polls after a change (see `hashWindow`), never on a kiosk whose file sits still.
            var sinceChange = 0
            while !Task.isCancelledOrShuttingDown {
                // On a pulse, an idle watcher sleeps until the pulse (or inotify) rings, or for
                // `fullLook`; it looks every `interval` itself only in the `hashWindow` after a
                // change. A spreadsheet holding the file open all day changes nothing here: the
                // pulse glances at its lock file every beat and rings when it comes, changes or goes
                // (and `ShareView.noteLock` dates the going from that look).
                let polling = pulse == nil || sinceChange < window
                await withGracefulShutdownHandler {
                    _ = await nudge.sleep(for: polling ? interval : fullLook)
                } onGracefulShutdown: {
                    nudge.ring()
                }
                if Task.isCancelledOrShuttingDown { break }
                quiet = settleQuiet(events, local: local, live: liveFolder.folder, was: quiet)
                polls += 1
                sinceChange += 1
                let hash = polls % Self.hashEvery == 0 && sinceChange <= window
                let (polled, liveStamp, lock) = await BlockingIO.run {
                    (
                        Self.stamp(path, hash: hash), liveFolder.stamp(),
                        SpreadsheetLock.find(for: path, timeZone: timeZone)
                    )
                }
                share.noteLock(lock)
                var stamp = polled
                var fileChanged = stamp != last || (hash && lastHash != nil && stamp?.hash != lastHash)
                if fileChanged && stamp?.hash == nil {
                    // The hash of the version about to be read, to compare later hashes with.
                    stamp = await BlockingIO.run { Self.stamp(path, hash: true) }
                    fileChanged = true
                }
                if let h = stamp?.hash { lastHash = h }
                if fileChanged { sinceChange = 0 }
                last = stamp
                if liveStamp != lastLive {
                    lastLive = liveStamp
                    let live = await BlockingIO.run { LiveState(liveFolder.read()) }
                    share.noteLive(live)
                    if !fileChanged {
                        await deliver()
                        wake?.ring()
                    }
                }
                // A new day: the caretaker's share of the school is the new day's (read anew).
                let today = reader.time.dayString(clock.now())
                if fileChanged || today != day { await load() }
                day = today
            }
            events?.close()
            group.cancelAll()
        }
    }
}

extension ScheduleWatcher {
    /// Whether the pulse may beat every `quietBeat`: the file's folder is local and inotify
    /// watches it and the live-state folder (once that exists) without having lost an event.
    /// Tells the pulse and the log when that changes from `was`.
    func settleQuiet(_ events: InotifyWatch?, local: Bool, live: String, was: Bool) -> Bool {
        guard let pulse, let events, local else { return false }
        let quiet = pulse.canBeQuiet && events.intact && events.watch(live)
        if quiet != was {
            pulse.setQuiet(quiet ? quietBeat : nil)
            if quiet {
                logger.info(
                    "inotify reports every change of the local share: the pulse glances less often",
                    metadata: ["beat": "\(quietBeat)", "file": "\(path)", "live": "\(live)"])
            } else {
                logger.notice(
                    "inotify may have missed a change (a folder went, or its queue overflowed): the pulse glances every poll again",
                    metadata: ["beat": "\(pulse.interval)"])
            }
        }
        return quiet
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
