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

    public init(
        path: String, room: String, reader: ScheduleReader, kiosk: Kiosk, interval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.path = path
        self.room = room
        self.reader = reader
        self.kiosk = kiosk
        self.interval = interval
        self.logger = logger
    }

    struct Stamp: Equatable {
        var size: Int
        var modified: Date
    }

    static func stamp(_ path: String) -> Stamp? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return Stamp(size: (a[.size] as? Int) ?? -1, modified: (a[.modificationDate] as? Date) ?? .distantPast)
    }

    /// Reads the file once and hands the room's bookings to the kiosk (or raises the fault).
    @discardableResult
    public func load() async -> Schedule {
        let schedule = reader.read(path: path)
        for p in schedule.problems {
            logger.warning("schedule file problem", metadata: ["file": "\(path)", "problem": "\(p)"])
        }
        if schedule.isUsable {
            var mine = schedule.bookings.filter { $0.room == room }
            if let sync = kiosk.sync { mine = StateSync.restore(mine, journal: sync.journal) }
            await kiosk.handle(.bookings(mine))
            await kiosk.reconcile(with: schedule)
            await kiosk.handle(.fault(.schedule, nil))
            logger.info(
                "schedule loaded", metadata: ["file": "\(path)", "conferences": "\(mine.count)", "room": "\(room)"])
        } else {
            let why = schedule.problems.first { $0.severity == .fatal }?.description ?? "unusable"
            await kiosk.handle(.fault(.schedule, why))
            logger.error(
                "schedule file unusable; keeping the last good schedule",
                metadata: ["file": "\(path)", "why": "\(why)"])
        }
        return schedule
    }

    public func run() async throws {
        var last = Self.stamp(path)
        await load()
        while !Task.isCancelledOrShuttingDown {
            try? await Task.sleep(for: interval)
            let now = Self.stamp(path)
            if now != last {
                last = now
                await load()
            }
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}
