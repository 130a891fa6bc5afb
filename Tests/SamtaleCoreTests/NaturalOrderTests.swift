import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@Suite("the core's order of names: deterministic, whatever the locale")
struct NaturalOrderTests {
    @Test("numbers by value, case and accents second, digits before letters")
    func examples() {
        let rooms = ["b3", "Z1", "A10", "Ø5", "A2", "Æ1", "204", "Å1", "A1", "B12", "a2", "A02", ""]
        #expect(
            rooms.sorted(by: NaturalOrder.less) == [
                "", "204", "A1", "Å1", "A02", "a2", "A2", "A10", "Æ1", "b3", "B12", "Ø5", "Z1",
            ])
        let teachers = ["Per Lærer", "per lærer", "Berg, Anne", "Ærlig Lærer", "Aase Lærer", "Kari Lærer"]
        #expect(
            teachers.sorted(by: NaturalOrder.less) == [
                "Aase Lærer", "Ærlig Lærer", "Berg, Anne", "Kari Lærer", "per lærer", "Per Lærer",
            ])
        #expect(NaturalOrder.compare("rom 9", "rom 10") == -1)
        #expect(NaturalOrder.compare("rom 0010", "rom 9") == 1)
        #expect(NaturalOrder.compare("Å", "Å") == 0)
        #expect(NaturalOrder.compare("A\u{30A}", "\u{C5}") == 0)  // the same letter, composed or not
    }

    @Test("a strict total order on random names (seeded: SAMTALE_TEST_SEED repeats a run)")
    func totalOrder() {
        let seed = TestSeed("NaturalOrderTests.totalOrder")
        var rng = seed.generator()
        let alphabet = Array("aAbBzZ0129 -æÆøØåÅé".unicodeScalars)
        let names = (0..<120).map { _ in
            String(
                String.UnicodeScalarView(
                    (0..<Int(rng.next() % 5)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        for a in names {
            #expect(NaturalOrder.compare(a, a) == 0)
            for b in names {
                let ab = NaturalOrder.compare(a, b)
                #expect(ab == -NaturalOrder.compare(b, a), "\(seed): \(a) vs \(b)")
                #expect((ab == 0) == (a == b), "\(seed): \(a) vs \(b)")
            }
        }
        let sorted = names.sorted(by: NaturalOrder.less)
        for i in sorted.indices.dropFirst() {
            #expect(!NaturalOrder.less(sorted[i], sorted[i - 1]), "\(seed)")
        }
        // Transitivity over every triple of a sample.
        let sample = Array(names.prefix(40))
        for a in sample {
            for b in sample where NaturalOrder.less(a, b) {
                for c in sample where NaturalOrder.less(b, c) {
                    #expect(NaturalOrder.less(a, c), "\(seed): \(a) < \(b) < \(c)")
                }
            }
        }
    }

    @Test("the report and the school sort rooms and teachers this way")
    func usedByTheCore() {
        let tz = TimeZone(identifier: "Europe/Oslo")!
        let time = SchoolTime(timeZone: tz)
        let start = time.instant(year: 2026, month: 11, day: 24, hour: 14, minute: 0)!
        let bookings = ["A10", "b3", "A2", "Å1", "204"].enumerated().map { i, room in
            Booking(
                id: "\(i)", room: room, start: start, end: start.addingTimeInterval(1200),
                teachers: [i % 2 == 0 ? "per" : "Per"], pupil: "x")
        }
        let report = Report(bookings: bookings, timeZone: tz)
        #expect(report.days.first?.rooms.map(\.room) == ["204", "Å1", "A2", "A10", "b3"])
    }
}
