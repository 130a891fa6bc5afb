import Foundation
import SamtaleCore
import Testing

@testable import SamtaleSchedule

@Suite("one place for what the schedule file means")
struct ScheduleFileFormatTests {
    @Test(
        "the office's cancel words, in any case, with spaces around",
        arguments: [
            ("cancelled", true), ("Canceled", true), (" AVLYST ", true), ("aflyst", true), ("avlyst\t", true),
            ("done", false), ("", false), ("avlyst igjen", false), ("not cancelled", false),
        ])
    func cancelWords(status: String, cancels: Bool) {
        #expect(ScheduleFileFormat.isCancellation(status) == cancels)
    }

    @Test("the header: the first row that is not blank; names case-insensitive and trimmed; the first of twins")
    func header() throws {
        let table = CSVTable(
            bytes: Array("\n;;;\n Dato ;FRA;til;Rom;Extra;rom;Status\n24.11.2026;14:00;14:20;204;x;205;\n".utf8))
        let header = try #require(ScheduleFileFormat.header(of: table))
        #expect(header.line == 3)
        #expect(header.columns == [.date: 0, .start: 1, .end: 2, .room: 3, .status: 6])
        #expect(header.names[.date] == "Dato")
        #expect(header.repeated == ["rom"])
        #expect(ScheduleFileFormat.missingColumns(header.columns).isEmpty)
        #expect(ScheduleFileFormat.header(of: CSVTable(bytes: Array("\n;;\n".utf8))) == nil)
        #expect(
            ScheduleFileFormat.missingColumns([.date: 0])
                == ["start (fra)", "room (rom/lokale)", "end (til/slutt) or duration (varighet)"])
    }

    @Test("the reader, the writer and the live state agree on the header and the cancel words")
    func everyoneAgrees() throws {
        let text =
            ";;\nDato;Fra;Til;Rom;status;Rom\n24.11.2026;14:00;14:20;204; Avlyst ;9\n24.11.2026;14:20;14:40;204;;9\n"
        let reader = ScheduleReader(timeZone: TimeZone(identifier: "Europe/Oslo")!)
        let schedule = reader.parse(bytes: Array(text.utf8))
        #expect(schedule.isUsable)
        #expect(schedule.bookings.map(\.room) == ["204", "204"])
        #expect(schedule.bookings.map(\.cancelled) == [true, false])
        #expect(schedule.problems.contains { $0.severity == .warning && $0.column == "Rom" && $0.line == 2 })
        // The writer keeps the office's word and writes the other row's state.
        let ids = schedule.bookings.map(\.id)
        let updates = Dictionary(uniqueKeysWithValues: ids.map { ($0, StateCells(status: "waiting", kiosk: "k")) })
        guard case .changed(let bytes, let missing) = StateMerge.apply(updates, to: schedule) else {
            Issue.record("nothing written")
            return
        }
        #expect(missing.isEmpty)
        let written = String(decoding: bytes, as: UTF8.self)
        #expect(written.contains("204; Avlyst ;9;"))
        #expect(written.contains("204;waiting;9;"))
        #expect(StateMerge.cells(of: ids[0], in: schedule)?[.status] == "Avlyst")
    }
}
