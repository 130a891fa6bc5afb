import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleSchedule

/// Options for commands that act as a kiosk on the shared file from the command line.
struct KioskFileOptions: ParsableArguments {
    @Option(help: "The schedule file (CSV).") var schedule: String
    @Option(help: "The name written in the kiosk column (and whose journal is used).") var kiosk = "office"
    @Option(help: "Where the journal is kept (default: $STATE_DIRECTORY, /var/lib/samtale or ~/.local/state/samtale).")
    var stateDir: String?
    @OptionGroup var zone: TimeZoneOption

    func sync(timeZone: TimeZone) throws -> StateSync {
        let dir = stateDir ?? (StateSync.defaultStateDirectory() + "/" + kiosk)
        let journal: StateJournal
        do {
            journal = try StateJournal(directory: dir)
        } catch {
            throw ValidationError("\(error)")
        }
        return StateSync(
            writer: ScheduleFileWriter(path: schedule, reader: zone.reader(timeZone)), journal: journal,
            kiosk: kiosk, time: SchoolTime(timeZone: timeZone))
    }
}

extension SamtaleCommand {
    struct Checkin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkin",
            abstract: "Check a family in for the conference due in a room, through the same path as a kiosk.",
            discussion: """
                The office's fallback when a kiosk is broken. The check-in is recorded in the journal (durably) and \
                written into the schedule file's state columns under the kiosks' lock, merged with whatever others \
                wrote. Exit 0 when checked in (or already), 1 when no conference is open for check-in, 2 on an error.
                """)

        @OptionGroup var file: KioskFileOptions
        @Option(help: "The room, as the schedule file names it.") var room: String
        @Option(help: "The instant, in the school's local time: YYYY-MM-DDTHH:MM (default: now).") var at: String?

        func run() throws {
            let tz = try file.zone.resolve()
            let time = SchoolTime(timeZone: tz)
            let instant = try Status.instant(at, time)
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
            let mine = StateSync.restore(loaded.bookings.filter { $0.room == room }, journal: sync.journal)
            guard !mine.isEmpty else {
                let rooms = Set(loaded.bookings.map(\.room)).sorted().joined(separator: ", ")
                throw ValidationError("\(file.schedule) has no conference in room \"\(room)\"; its rooms are: \(rooms)")
            }
            var engine = RoomEngine(room: room, timeZone: tz, bookings: mine, at: instant)
            let answer = engine.handle(.press(.office), at: instant)
            do {
                try sync.reassert(file: loaded)
                try sync.journal.record(StateSync.changes(engine, journal: sync.journal), kiosk: file.kiosk)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(2)
            }
            var written = "written to \(file.schedule)"
            do {
                try sync.flush()
            } catch {
                written =
                    "kept in the journal (\(sync.journal.directory)); the file is not writable now: \(error.description)"
            }
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

    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Write a kiosk's journal into the schedule file (what the service does by itself when the file is writable)."
        )

        @OptionGroup var file: KioskFileOptions

        func run() throws {
            let tz = try file.zone.resolve()
            let sync = try file.sync(timeZone: tz)
            let loaded = file.zone.reader(tz).read(path: file.schedule)
            if loaded.isUsable {
                do {
                    try sync.reassert(file: loaded)
                } catch {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                    throw ExitCode(2)
                }
            }
            do {
                let n = try sync.flush()
                print("\(n) entr\(n == 1 ? "y" : "ies") written to \(file.schedule); \(sync.journal.backlog) pending")
            } catch {
                print("not written: \(error.description); \(sync.journal.backlog) pending in \(sync.journal.directory)")
                throw ExitCode(1)
            }
        }
    }
}
