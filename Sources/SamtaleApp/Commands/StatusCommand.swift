import ArgumentParser
import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb

extension SamtaleCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every room's state at an instant: light, current and next conference, how late it runs.",
            discussion:
                "The caretaker's view on the command line. It prints no pupil's or guardian's name unless --names is given."
        )

        @Option(help: "The schedule file (CSV).") var schedule: String
        @Option(help: "The instant, in the school's local time: YYYY-MM-DDTHH:MM (default: now).") var at: String?
        @Flag(help: "Print JSON: an array of rooms.") var json = false
        @Flag(help: "Include pupils' and guardians' names.") var names = false
        @OptionGroup var zone: TimeZoneOption

        func run() throws {
            let tz = try zone.resolve()
            let time = SchoolTime(timeZone: tz)
            let clock = SystemClock()
            let instant = try Status.instant(at, time, clock: clock)
            let loaded = zone.reader(tz).read(path: schedule)
            guard loaded.isUsable else {
                for p in loaded.problems { FileHandle.standardError.write(Data("\(schedule): \(p)\n".utf8)) }
                throw ExitCode(1)
            }
            // The live state on the share laid over the file's state columns; rooms no running kiosk
            // serves show their schedule as the file has it.
            let bookings = LiveState(LiveStateFolder(schedulePath: schedule).read()).overlay(loaded.bookings)
            let beats = Heartbeats(schedulePath: schedule, isFolder: ScheduleReader.isFolder(schedule)).read()
            let served = Set(beats.filter { !$0.silent(at: clock.now()) }.map(\.room))
            let rooms = School(bookings: bookings, timeZone: tz, at: instant)
                .status(at: instant, served: at == nil ? served : nil)
                .map { names ? $0 : $0.withoutNames() }
            if json {
                let data = try time.jsonEncoder(pretty: true).encode(rooms)
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("\(time.dayString(instant)) \(time.timeString(instant))")
            for r in rooms {
                var line = "\(r.room): \(r.light.rawValue)"
                if let c = r.current {
                    line +=
                        ", now \(time.timeString(c.start))–\(time.timeString(c.end))\(c.pupil.map { " \($0)" } ?? "")"
                }
                if let n = r.next {
                    line += ", next \(time.timeString(n.start))\(n.pupil.map { " \($0)" } ?? "")"
                    if n.status == .waiting { line += " (waiting)" }
                }
                if r.runningLateMinutes > 0 { line += ", running \(r.runningLateMinutes) min late" }
                print(line)
            }
        }

        /// `--at` as an instant (now when not given), or a message saying what it should look like.
        static func instant(_ at: String?, _ time: SchoolTime, clock: any WallClock = SystemClock()) throws -> Date {
            guard let at else { return clock.now() }
            guard let d = parseLocal(at, time) else {
                throw ValidationError("--at \"\(at)\" is not a local time like 2026-11-24T14:30")
            }
            return d
        }

        static func parseLocal(_ text: String, _ time: SchoolTime) -> Date? {
            let parts = text.split(separator: "T")
            guard parts.count == 2, let d = ScheduleReader.parseDate(String(parts[0])),
                let t = ScheduleReader.parseTime(String(parts[1]))
            else { return nil }
            return time.instant(year: d.y, month: d.m, day: d.d, hour: t.h, minute: t.m)
        }
    }
}
