import ArgumentParser
import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb

/// Options shared by the commands that read a schedule file.
struct TimeZoneOption: ParsableArguments {
    @Option(name: .customLong("time-zone"), help: "The school's time zone, e.g. Europe/Oslo (default: the system's).")
    var timeZone: String?

    func resolve() throws -> TimeZone {
        guard let timeZone else { return .current }
        guard let tz = TimeZone(identifier: timeZone) else {
            throw ValidationError("\"\(timeZone)\" is not a time zone (e.g. Europe/Oslo, Europe/Copenhagen)")
        }
        return tz
    }

    @Option(
        name: .customLong("date-order"),
        help:
            "How a file's dates like 3/4/2026 are read when no date in it tells (none has a number over 12): day-first or month-first (default: from the school's language; day-first)."
    )
    var dateOrder: DateOrder?

    /// The schedule reader: `--date-order` first, then the language given, then the configuration's
    /// `schedule.dateOrder` and language, then day first.
    func reader(_ tz: TimeZone, language: Language? = nil, configured: KioskConfiguration? = nil) -> ScheduleReader {
        if let dateOrder {
            return ScheduleReader(
                timeZone: tz, dateOrder: dateOrder, dateOrderReason: "--date-order \(dateOrder.rawValue) was given")
        }
        if let language {
            let (order, reason) = KioskConfiguration.dateOrder(language: language)
            return ScheduleReader(timeZone: tz, dateOrder: order, dateOrderReason: reason)
        }
        if var c = configured {
            c.timeZone = tz
            return c.scheduleReader()
        }
        return ScheduleReader(timeZone: tz)
    }
}
