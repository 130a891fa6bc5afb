import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleReport
import SamtaleSchedule

/// The report's formats.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, html
}

extension SamtaleCommand {
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract:
                "The management's report: per room, teacher and day, conferences held, no-shows, waits, overruns.",
            discussion: """
                Reads what the kiosks recorded in the schedule file's state columns (status, checked_in, started, \
                ended) and counts, per room, teacher and day: conferences held, no-shows, cancellations, the average \
                wait (check-in to start), overruns past the scheduled end, scheduled and actual minutes, and the \
                room's utilisation (actual minutes in session over the room's day, from its first scheduled start \
                to its last scheduled end). Plus totals. It names rooms and teachers only, never a pupil or a \
                guardian. Text is aligned columns; CSV has one row per room, teacher and day; HTML is one \
                self-contained page with charts, fit for printing. Exit status 1 when the file cannot be used.
                """)

        @Option(help: "The schedule file (CSV or iCalendar), or a folder of them.") var schedule: String
        @Option(help: "The first day to count: YYYY-MM-DD or DD.MM.YYYY (default: the schedule's first).")
        var from: String?
        @Option(help: "The last day to count, included (default: the schedule's last).") var to: String?
        @Option(help: "text, csv or html.") var format: ReportFormat = .text
        @Option(help: "Write the report to this file instead of standard output.") var output: String?
        @Option(help: "Only these rooms, comma-separated.") var room: String?
        @OptionGroup var zone: TimeZoneOption

        func validate() throws {
            let first = try Self.day(from, option: "--from")
            let last = try Self.day(to, option: "--to")
            if let first, let last, last < first {
                throw ValidationError("--to \(last) is before --from \(first)")
            }
            if let room, rooms(room).isEmpty { throw ValidationError("--room \"\(room)\" names no room") }
        }

        /// A day option as a day, or a message saying what it should look like.
        static func day(_ text: String?, option: String) throws -> ReportDay? {
            guard let text else { return nil }
            guard let d = ScheduleReader.parseDate(text), let day = ReportDay(year: d.y, month: d.m, day: d.d) else {
                throw ValidationError("\(option) \"\(text)\" is not a date like 2026-11-24 or 24.11.2026")
            }
            return day
        }

        func rooms(_ text: String) -> Set<String> {
            Set(text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty })
        }

        func run() throws {
            let tz = try zone.resolve()
            let loaded = zone.reader(tz).read(path: schedule)
            guard loaded.isUsable else {
                for p in loaded.problems { FileHandle.standardError.write(Data("\(schedule): \(p)\n".utf8)) }
                throw ExitCode(1)
            }
            // The live state on the share (what the kiosks recorded, also while the office has the file open).
            let bookings = LiveState(LiveStateFolder(schedulePath: schedule).read()).overlay(loaded.bookings)
            let left = loaded.problems.filter { $0.severity == .error }.count
            if left > 0 {
                FileHandle.standardError.write(
                    Data(
                        "\(schedule): \(left) row\(left == 1 ? "" : "s") cannot be read and \(left == 1 ? "is" : "are") not in this report (samtale check \(schedule) lists them)\n"
                            .utf8))
            }
            var only: Set<String>?
            if let room {
                let wanted = rooms(room)
                let known = Set(bookings.map(\.room))
                let unknown = wanted.subtracting(known).sorted()
                if !unknown.isEmpty {
                    let list = known.sorted(by: NaturalOrder.less)
                    throw ValidationError(
                        "\(schedule) has no conference in room \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); its rooms are: \(list.joined(separator: ", "))"
                    )
                }
                only = wanted
            }
            let report = Report(
                bookings: bookings, timeZone: tz, from: try Self.day(from, option: "--from"),
                to: try Self.day(to, option: "--to"), rooms: only)
            let text =
                switch format {
                case .text: report.text()
                case .csv: report.csv()
                case .html: report.html()
                }
            guard let output else {
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                FileHandle.standardError.write(Data("--output \(output): cannot write the report: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
