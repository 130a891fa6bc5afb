import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import ServiceLifecycle

/// Reads the schedule file and re-reads it when it changes (a cheap check of size and
/// modification time every `interval`, which works on SMB and NFS shares too). A file that turns
/// unreadable or malformed keeps the last good schedule and raises a schedule fault.
public struct ScheduleWatcher: Service {
    public let path: String
    public let room: String
    public let reader: ScheduleReader
    public let kiosk: Kiosk
    public let interval: Duration
    public let logger: Logger
    /// Told when the file has been read for the first time (whether or not it could be used).
    public let readiness: Readiness?

    public init(
        path: String, room: String, reader: ScheduleReader, kiosk: Kiosk, interval: Duration = .seconds(1),
        logger: Logger, readiness: Readiness? = nil
    ) {
        self.readiness = readiness
        self.path = path
        self.room = room
        self.reader = reader
        self.kiosk = kiosk
        self.interval = interval
        self.logger = logger
    }

    /// What tells one version of the file from another, cheaply: size, modification time and a
    /// content hash (for shares whose modification times are coarse).
    struct Stamp: Equatable {
        var size: Int
        var modified: Date
        var hash: UInt64
    }

    static func stamp(_ path: String) -> Stamp? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
        if isDir.boolValue {
            // A folder of files: the stamps of its schedule files together.
            var combined = Stamp(size: 0, modified: .distantPast, hash: 0)
            for f in ScheduleReader.files(in: path) {
                guard let s = stamp(f) else { continue }
                combined.size += s.size
                combined.modified = max(combined.modified, s.modified)
                combined.hash = combined.hash &* 31 &+ s.hash
            }
            return combined
        }
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        if let data = FileManager.default.contents(atPath: path) {
            data.withUnsafeBytes { buf in
                for b in buf {
                    hash ^= UInt64(b)
                    hash = hash &* 0x0000_0100_0000_01b3
                }
            }
        }
        return Stamp(
            size: (a[.size] as? Int) ?? -1, modified: (a[.modificationDate] as? Date) ?? .distantPast, hash: hash)
    }

    /// Remembers the version last loaded, so that inotify and polling never load one twice.
    actor Detector {
        var last: Stamp??
        func changed(_ now: Stamp?) -> Bool {
            if let last, last == now { return false }
            last = .some(now)
            return true
        }
    }

    /// Reads the file once and hands the room's bookings to the kiosk (or raises the fault).
    @discardableResult
    public func load() async -> Schedule {
        let schedule = reader.read(path: path)
        for p in schedule.problems {
            if p.severity == .notice {
                // Which reading was taken where the file cannot tell (a date's day and month).
                logger.notice("schedule file notice", metadata: ["file": "\(path)", "notice": "\(p)"])
            } else {
                logger.warning("schedule file problem", metadata: ["file": "\(path)", "problem": "\(p)"])
            }
        }
        if schedule.isUsable {
            var mine = schedule.bookings.filter { $0.room == room }
            if let sync = kiosk.sync { mine = StateSync.restore(mine, journal: sync.journal) }
            await kiosk.noteSchedule(bookings: schedule.bookings)
            await kiosk.handle(.bookings(mine))
            await kiosk.reconcile(with: schedule)
            await kiosk.handle(.fault(.schedule, nil))
            var metadata: Logger.Metadata = ["file": "\(path)", "conferences": "\(mine.count)", "room": "\(room)"]
            if let d = schedule.dateOrder { metadata["dates"] = "\(d.order.rawValue) (\(d.reason))" }
            logger.info("schedule loaded", metadata: metadata)
        } else {
            let why = schedule.problems.first { $0.severity == .fatal }?.description ?? "unusable"
            await kiosk.noteSchedule(bookings: nil)
            await kiosk.handle(.fault(.schedule, why))
            logger.error(
                "schedule file unusable; keeping the last good schedule",
                metadata: ["file": "\(path)", "why": "\(why)"])
        }
        return schedule
    }

    /// Changes reach the kiosk at once where inotify works (a local file), and within `interval`
    /// by polling where it does not (SMB and NFS shares do not report other machines' writes).
    public func run() async throws {
        let detector = Detector()
        _ = await detector.changed(Self.stamp(path))
        await load()
        readiness?.mark(.schedule)
        // SAMTALE_NO_INOTIFY=1 behaves as on a network share (polling only): for tests and benchmarks.
        let useInotify = ProcessInfo.processInfo.environment["SAMTALE_NO_INOTIFY"] == nil
        let events =
            useInotify
            ? InotifyWatch(folder: ScheduleReader.isFolder(path) ? path : (path as NSString).deletingLastPathComponent)
            : nil
        await withDiscardingTaskGroup { group in
            if let events {
                group.addTask {
                    for await _ in events.changes where await detector.changed(Self.stamp(path)) { await load() }
                }
            }
            while !Task.isCancelledOrShuttingDown {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                if await detector.changed(Self.stamp(path)) { await load() }
            }
            events?.close()
            group.cancelAll()
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
