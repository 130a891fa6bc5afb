import Foundation
import SamtaleCore
import SamtaleTestSupport
import Synchronization
import Testing

@testable import SamtaleSchedule

/// A temporary folder (the shared `TempDir`) with the writes and reads these tests make.
typealias Folder = TempDir

extension TempDir {
    /// Writes `text` to `name` in the folder; its path.
    func write(_ name: String, _ text: String) throws -> String { try file(name, text) }
    /// The text of `name` in the folder, or "" when there is none.
    func read(_ name: String) -> String { (try? String(contentsOfFile: path + "/" + name, encoding: .utf8)) ?? "" }
}

let twoRows = "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;A\n24.11.2026;14:00;14:20;205;B\n"

let oslo = TimeZone(identifier: "Europe/Oslo")!
let reader = ScheduleReader(timeZone: oslo)
let time = SchoolTime(timeZone: oslo)

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
let kioskCells = StateCells(status: "waiting", checkedIn: "13:50", kiosk: "rom204")

/// The id the reader gives the booking on a line of `text`.
func id(in text: [UInt8], room: String, start: String) -> String {
    let s = reader.parse(bytes: text)
    return s.bookings.first { $0.room == room && time.timeString($0.start) == start }!.id
}
