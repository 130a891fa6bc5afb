import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleSchedule

extension SamtaleCommand {
    struct Checkin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkin",
            abstract: "Check a family in for the conference due in a room, through the same path as a kiosk.",
            discussion: """
                The office's fallback when a kiosk is broken. The check-in is recorded in the journal (durably), \
                put on the share beside the schedule file (.samtale/state/KIOSK.json, which every kiosk reads and \
                which no spreadsheet opens), and written into the schedule file's state columns under the kiosks' \
                lock, merged with whatever others wrote. While a spreadsheet has the file open it waits up to --wait \
                seconds; after that the running kiosks write it into the file once the spreadsheet closes it. \
                Exit 0 when checked in (or already) and on the share, 1 when no conference is open for check-in, \
                2 on an error (the share could not take it: push it later with samtale sync).
                """)

        @OptionGroup var file: KioskFileOptions
        @Option(help: "The room, as the schedule file names it.") var room: String
        @Option(help: "The instant, in the school's local time: YYYY-MM-DDTHH:MM (default: now).") var at: String?
        @Option(
            help:
                "How long to wait for a spreadsheet to close the file before leaving the check-in to the kiosks (seconds)."
        )
        var wait: Double = 10

        var stateDir: String? { file.stateDir }

        func run() throws {
            let tz = try file.zone.resolve()
            let time = SchoolTime(timeZone: tz)
            let clock = SystemClock()
            let instant = try Status.instant(at, time, clock: clock)
            let sync = try file.sync(timeZone: tz)
            // A spreadsheet saving in place leaves the file empty or half-written for a moment: read again.
            var loaded = file.zone.reader(tz).read(path: file.schedule)
            for _ in 0..<10 where !loaded.isUsable && FileManager.default.fileExists(atPath: file.schedule) {
                usleep(100_000)
                loaded = file.zone.reader(tz).read(path: file.schedule)
            }
            guard loaded.isUsable else {
                for p in loaded.problems { FileHandle.standardError.write(Data("\(file.schedule): \(p)\n".utf8)) }
                throw ExitCode(2)
            }
            let live = sync.live(LiveState(sync.share.read()))
            let mine = live.overlay(loaded.bookings.filter { $0.room == room })
            guard !mine.isEmpty else {
                let rooms = Set(loaded.bookings.map(\.room)).sorted().joined(separator: ", ")
                throw ValidationError("\(file.schedule) has no conference in room \"\(room)\"; its rooms are: \(rooms)")
            }
            var engine = RoomEngine(room: room, timeZone: tz, bookings: mine, at: instant)
            let answer = engine.handle(.press(.office), at: instant)
            do {
                try sync.journal.record(
                    StateSync.changes(engine, journal: sync.journal, live: live, kiosk: file.kiosk), kiosk: file.kiosk,
                    at: clock.now())
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
            guard answer.isCheckIn || answer.isAlreadyCheckedIn else {
                return try report(answer, room: room, time: time, where: "")
            }
            let whereNow = try carry(sync, time: time)
            try report(answer, room: room, time: time, where: whereNow)
        }

        /// Puts the journal on the share, then into the file once no spreadsheet holds it (waiting
        /// up to `--wait`). Returns where the check-in is now and what carries it on; exit 2 when
        /// not even the share could take it.
        func carry(_ sync: StateSync, time: SchoolTime) throws -> String {
            let clock = SystemClock()
            let sharePath = sync.share.folder + "/" + LiveStateFolder.fileName(file.kiosk)
            do {
                try sync.publish(rooms: [], at: clock.now())
            } catch {
                FileHandle.standardError.write(
                    Data(
                        """
                        error: the check-in could not be put on the share: \(error.description)
                        It is kept in the journal \(sync.journal.directory) on this machine. Once the share is reachable, \
                        push it with: samtale sync --schedule \(file.schedule) --kiosk \(file.kiosk)\(stateDir.map { " --state-dir \($0)" } ?? "")

                        """.utf8))
                throw ExitCode(2)
            }
            // Wait for a spreadsheet to let go of the file (and stay gone: LibreOffice lets its
            // lock go for a moment at each save).
            // Durations by the monotonic clock (a clock stepped meanwhile neither cuts nor stretches the wait).
            let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, wait) * 1000))
            let settle = Duration.milliseconds(Int64(min(2, max(0, wait)) * 1000))
            var freeSince: ContinuousClock.Instant?
            var lock: SpreadsheetLock?
            var sawLock = false
            while true {
                lock = SpreadsheetLock.find(for: file.schedule, timeZone: time.timeZone)
                if lock == nil {
                    // Nobody had it open: write now. A lock seen go must stay gone for a moment.
                    if !sawLock { break }
                    let since = freeSince ?? .now
                    freeSince = since
                    if ContinuousClock.now - since >= settle { break }
                } else {
                    sawLock = true
                    freeSince = nil
                }
                if ContinuousClock.now >= deadline { break }
                usleep(100_000)
            }
            let onShare = "recorded on the share (\(sharePath))"
            if let lock, freeSince == nil {
                return
                    "\(onShare); \(file.schedule) is \(lock.describe(at: clock.now(), time: time.timeString)): the kiosks write it into the file within seconds of it being closed (or run samtale sync then)"
            }
            do {
                try sync.catchUp()
                return "\(onShare) and written to \(file.schedule)"
            } catch {
                return
                    "\(onShare); not written to \(file.schedule) now (\(error.description)): the kiosks write it into the file as soon as they can (or run samtale sync then)"
            }
        }

        func report(_ answer: Answer, room: String, time: SchoolTime, where written: String) throws {
            switch answer {
            case .checkedIn(let r):
                print(
                    "checked in: \(room) \(time.timeString(r.scheduledStart))–\(time.timeString(r.scheduledEnd)) (\(r.id)), expected start \(time.timeString(r.expectedStart)); \(written)"
                )
            case .alreadyCheckedIn(let r):
                print("already checked in: \(room) \(time.timeString(r.scheduledStart)) (\(r.id)); \(written)")
            case .notYet(let start, let opens):
                print(
                    "no conference open for check-in in \(room); the next is \(time.dayString(start)) \(time.timeString(start)), check-in opens \(time.timeString(opens))"
                )
                throw ExitCode(1)
            case .noMoreConferences:
                print("no more conferences in \(room)")
                throw ExitCode(1)
            default:
                print("not checked in: \(answer.word)")
                throw ExitCode(1)
            }
        }
    }

}
