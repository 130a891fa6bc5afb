import ArgumentParser
import CSamtaleLinux
import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb

extension SamtaleCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a schedule file and report what it holds and every problem in it.",
            discussion:
                "Exit status 0 when the file is usable as it is, 1 when it is not (or has rows that are left out).")

        @Argument(
            help:
                "The schedule file (CSV or iCalendar), or a folder of them. Without it, --config is checked: the configuration and the schedule file it names."
        )
        var file: String?
        @Option(
            help:
                "A kiosk configuration: its time zone, and its rooms (school.rooms, or kiosk.room) to check against. Alone (no FILE): checks the configuration itself without starting anything; exit 0 usable (a schedule file not reachable is a warning), 1 not."
        )
        var config: String?
        @Option(help: "The rooms the school's kiosks serve, comma-separated: bookings in any other room are reported.")
        var rooms: String?
        @Option(
            help:
                "The school's language (nb, da or en): how dates like 3/4/2026 are read when the file cannot tell (nb, da: day first; en: month first)."
        )
        var language: Language?
        @Flag(
            help:
                "Print JSON: every conference's line, room, start and end, the problems, and the date order (with --occurrences: the horizon and every occurrence with its UTC start and end)."
        )
        var json = false
        @OptionGroup var zone: TimeZoneOption
        @Flag(help: "List every occurrence read (a series' each one), with why it is not a booking when it is not.")
        var occurrences = false
        @Option(help: "iCalendar: the room of events without LOCATION (default: such events are errors).")
        var defaultRoom: String?
        @Option(
            help:
                "iCalendar: expand series up to this day, YYYY-MM-DD (default: a year after the file's last date or now)."
        )
        var until: String?
        @Flag(
            help:
                "With --config alone: only whether the configuration names a room and a schedule file (exit 0), or not yet (exit 1: run samtale setup). A file that cannot be read passes (samtale run says why). For samtale.service's ExecCondition= and the package's scripts."
        )
        var configured = false

        func validate() throws {
            if configured && (config == nil || file != nil) {
                throw ValidationError("--configured goes with --config FILE alone")
            }
            if file == nil && config == nil {
                throw ValidationError(
                    "give a schedule file to check, or --config FILE to check a configuration (and the schedule file it names)"
                )
            }
            if file == nil && occurrences { throw ValidationError("--occurrences needs a schedule file") }
        }

        func run() async throws {
            guard let file else {
                if configured, let config {
                    let missing = ConfiguredCheck.missing(path: config)
                    guard missing.isEmpty else {
                        FileHandle.standardError.write(
                            Data(
                                "\(config) is not configured yet (\(missing.joined(separator: ", ")) not set): run samtale setup\n"
                                    .utf8))
                        throw ExitCode(1)
                    }
                    return
                }
                // --config alone: the configuration, and the schedule file it names.
                let report = await ConfigCheck.run(path: config ?? "")
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(report), as: UTF8.self))
                } else {
                    for line in report.text() { print(line) }
                }
                if report.exitCode != 0 { throw ExitCode(report.exitCode) }
                return
            }
            var tz = try zone.resolve()
            if occurrences {
                try listOccurrences(tz, file: file)
                return
            }
            var served = rooms.map { Set($0.split(separator: ",").map { String($0).trimmingSpaces }) }
            var configured: KioskConfiguration?
            if let config {
                let c = try await KioskConfiguration.load(path: config)
                if zone.timeZone == nil { tz = c.timeZone }
                if served == nil { served = Set(c.servedRooms) }
                configured = c
            }
            // Large temporaries (a file's bytes, arrays that grow) in mappings of their own, given
            // back when freed: glibc otherwise raises that threshold after the first such free, and
            // later ones stay in the heap, resident, until the process ends.
            _ = csamtale_mmap_threshold(128 * 1024)
            var reader = zone.reader(tz, language: language, configured: configured)
            // No names, notes or lists: check shows none of them (and holds a school's file in half the memory).
            reader.readsDetails = false
            let time = SchoolTime(timeZone: tz)
            // The bookings are counted as they are read, not kept (issue 12): how many, in which
            // rooms, on which days (each distinct start's day once), how many cancelled; with
            // --json, each one's line, id, room, start and end.
            var count = 0
            var cancelled = 0
            var roomCounts: [String: Int] = [:]
            var dayOf: [Date: String] = [:]
            var daySet = Set<String>()
            var conferences: [Listing.Conference] = []
            func local(_ d: Date) -> String { "\(time.dayString(d))T\(time.timeString(d))" }
            var schedule = reader.read(path: file) { b, line in
                count += 1
                if b.cancelled { cancelled += 1 }
                roomCounts[b.room, default: 0] += 1
                if json {
                    conferences.append(
                        Listing.Conference(
                            line: line, id: b.id, room: b.room, start: local(b.start), end: local(b.end),
                            cancelled: b.cancelled))
                } else if dayOf[b.start] == nil {
                    let d = time.dayString(b.start)
                    dayOf[b.start] = d
                    daySet.insert(d)
                }
            }
            if let served {
                for (room, n) in roomCounts where !served.contains(room) {
                    schedule.problems.append(
                        ScheduleProblem(
                            severity: .warning, line: 0, column: nil,
                            message:
                                "room \(room) (\(n) conference\(n == 1 ? "" : "s")) is served by no kiosk: check the spelling, or set up its kiosk"
                        ))
                }
            }
            if json {
                let listing = Listing(
                    file: file, usable: schedule.isUsable, dateOrder: schedule.dateOrder, conferences: conferences,
                    problems: schedule.problems)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(listing), as: UTF8.self))
                if schedule.hasErrors { throw ExitCode(1) }
                return
            }
            if schedule.isUsable {
                let rooms = roomCounts.keys
                let days = daySet.sorted()
                print(
                    "\(file): \(count) conference\(count == 1 ? "" : "s") in \(rooms.count) room\(rooms.count == 1 ? "" : "s") on \(days.count) day\(days.count == 1 ? "" : "s")\(cancelled > 0 ? " (\(cancelled) cancelled)" : "")"
                )
                if let f = days.first, let l = days.last { print("days: \(f == l ? f : "\(f) … \(l)")") }
                print(
                    "rooms: \(rooms.sorted(by: NaturalOrder.less).joined(separator: ", "))"
                )
            } else {
                print("\(file): cannot be used")
            }
            if let d = schedule.dateOrder {
                print("dates: read \(d.order == .dayFirst ? "day" : "month") first (\(d.reason))")
            }
            if let lock = SpreadsheetLock.find(for: file, timeZone: tz) {
                let now = SystemClock().now()
                let stale = lock.isStale(at: now) ? " (perhaps left over from a crashed spreadsheet)" : ""
                print(
                    "\(file): \(lock.describe(at: now, time: time.timeString))\(stale): the kiosks keep their state on the share and write it into the file once it is closed"
                )
            }
            // The problems in writes of about 64 KB (a school's file can have thousands of warnings:
            // neither a write each nor one string of them all).
            var lines = ""
            lines.reserveCapacity(1 << 16)
            for p in schedule.problems {
                lines += file
                lines += ": "
                lines += p.description
                lines += "\n"
                if lines.utf8.count >= 1 << 16 {
                    print(lines, terminator: "")
                    lines.removeAll(keepingCapacity: true)
                }
            }
            if !lines.isEmpty { print(lines, terminator: "") }
            if !schedule.problems.contains(where: { $0.severity != .notice }) { print("no problems found") }
            if schedule.hasErrors { throw ExitCode(1) }
        }

        /// What `--json` prints: no pupil's or guardian's name.
        struct Listing: Encodable {
            struct Conference: Encodable {
                var line: Int?
                var id: String
                var room: String
                /// Local time of the school, `YYYY-MM-DDTHH:MM`.
                var start: String
                var end: String
                var cancelled: Bool
            }
            var file: String
            var usable: Bool
            var dateOrder: DateOrderDecision?
            var conferences: [Conference]
            var problems: [ScheduleProblem]
        }

        /// `--occurrences [--json]`: what the reader made of every event (iCalendar) or row (CSV).
        func listOccurrences(_ tz: TimeZone, file: String) throws {
            var horizonEnd: Date?
            if let until {
                guard let d = ScheduleReader.parseDate(until),
                    let t = SchoolTime(timeZone: tz).instant(year: d.y, month: d.m, day: d.d, hour: 0, minute: 0)
                else { throw ValidationError("--until \"\(until)\" is not a date like 2027-06-30") }
                horizonEnd = t
            }
            let reading: ICalendarReader.Reading
            let isCalendar =
                file.lowercased().hasSuffix(".ics")
                || (try? String(contentsOfFile: file, encoding: .utf8))?.contains("BEGIN:VCALENDAR") == true
            if isCalendar {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("\(file) cannot be read")
                }
                reading = ICalendarReader(timeZone: tz, defaultRoom: defaultRoom, horizonEnd: horizonEnd)
                    .read(text: String(decoding: data, as: UTF8.self))
            } else {
                let s = ScheduleReader(timeZone: tz).read(path: file)
                reading = ICalendarReader.Reading(
                    schedule: s,
                    occurrences: s.bookings.map {
                        .init(
                            uid: nil, recurrenceID: nil, start: $0.start, end: $0.end, line: 0, cancelled: $0.cancelled,
                            id: $0.id, problem: nil)
                    }, horizon: nil)
            }
            if json {
                struct Horizon: Encodable {
                    var from: Date
                    var to: Date
                }
                struct Output: Encodable {
                    var file: String
                    var horizon: Horizon?
                    var occurrences: [ICalendarReader.Occurrence]
                    var problems: [ScheduleProblem]
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                let out = Output(
                    file: file, horizon: reading.horizon.map { Horizon(from: $0.from, to: $0.to) },
                    occurrences: reading.occurrences, problems: reading.schedule.problems)
                print(String(decoding: try encoder.encode(out), as: UTF8.self))
            } else {
                let time = SchoolTime(timeZone: tz)
                for o in reading.occurrences {
                    print(
                        "\(time.dayString(o.start)) \(time.timeString(o.start))–\(time.timeString(o.end)) \(o.id)\(o.cancelled ? " (cancelled)" : "")\(o.problem.map { ": \($0)" } ?? "")"
                    )
                }
                for p in reading.schedule.problems { print("\(file): \(p)") }
            }
            if reading.schedule.hasErrors { throw ExitCode(1) }
        }
    }
}
