import Foundation
import SamtaleCore

/// The school of the tests: Oslo, with its DST.
public let oslo = TimeZone(identifier: "Europe/Oslo")!
public let osloTime = SchoolTime(timeZone: oslo)

/// An instant in Oslo, 24 November 2026 unless said otherwise.
public func at(_ hour: Int, _ minute: Int, day: Int = 24, month: Int = 11) -> Date {
    osloTime.instant(year: 2026, month: month, day: day, hour: hour, minute: minute)!
}

extension Date {
    public func plus(minutes: Double) -> Date { addingTimeInterval(minutes * 60) }
}
