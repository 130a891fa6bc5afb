import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleSchedule

/// The reader's fast paths (issue 12) against the slower readings they replace: same results.
@Suite("The reader's fast paths read as the slow ones did")
struct ReaderSpeedupTests {
    /// The decoding before: a scalar at a time.
    static func slowWindows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(CSVTable.windows1252(b)) }
        return String(scalars)
    }

    @Test("Windows-1252: every byte, and random cells, decode as scalar by scalar")
    func windows1252() {
        let all = (0...255).map { UInt8($0) }
        #expect(CSVTable.decodeWindows1252(all[...]) == Self.slowWindows1252(all))
        #expect(CSVTable.decodeWindows1252([0x80, 0x9F, 0xF8, 0xE5, 0x41][...]) == "€ŸøåA")
        let seed = TestSeed("Windows-1252")
        var rng = seed.generator()
        for _ in 0..<2000 {
            let cell = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(CSVTable.decodeWindows1252(cell[...]) == Self.slowWindows1252(cell), "\(seed): \(cell)")
        }
    }

    @Test("UTF-8 validation over the bytes decides as String(validating:) does")
    func utf8Validation() {
        let fixed: [[UInt8]] = [
            [], Array("Åse Ødegård;€".utf8), [0xC3], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBB, 0xBF, 0x41], [0xFF], [0x80],
            Array("abcdefgh".utf8) + [0xE5] + Array("ijklmnop".utf8),
        ]
        for bytes in fixed {
            #expect(
                CSVTable.isValidUTF8(bytes, from: 0) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
        let seed = TestSeed("UTF-8 validation")
        var rng = seed.generator()
        // Mostly text with a few high bytes, so that valid and invalid files both come up.
        let pieces: [[UInt8]] = [
            Array("Elev 12;".utf8), Array("Ødegård".utf8), [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x8E, 0x89], [0xC3], [0xA5],
            [0xED, 0x9F, 0xBF], [0xED, 0xA0], [0xF4, 0x8F, 0xBF, 0xBF], [0xF5], [0xE0, 0xA0, 0x80], [0xE0, 0x9F, 0x80],
        ]
        var valid = 0
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &rng) { bytes += pieces.randomElement(using: &rng)! }
            let start = bytes.isEmpty ? 0 : Int.random(in: 0...min(3, bytes.count), using: &rng)
            let expected = String(validating: bytes[start...], as: UTF8.self) != nil
            if expected { valid += 1 }
            #expect(CSVTable.isValidUTF8(bytes, from: start) == expected, "\(seed): \(bytes) from \(start)")
        }
        #expect(valid > 100 && valid < 2900, "\(seed): \(valid) valid of 3000")
    }

    @Test("a cell's trimming, its \" og \"/\" and \" search and its list agree with the character-wise readings")
    func trimmingAndLists() {
        func slowTrim(_ text: String) -> String {
            var s = Substring(text)
            while let f = s.first, f == " " || f == "\t" || f == "\u{A0}" { s.removeFirst() }
            while let l = s.last, l == " " || l == "\t" || l == "\u{A0}" { s.removeLast() }
            return String(s)
        }
        let seed = TestSeed("trimming")
        var rng = seed.generator()
        let alphabet: [String] = [
            " ", " ", "o", "g", "a", "n", "d", "\t", "\u{A0}", "x", "å", "/", "\r\n", "og", "and",
        ]
        var conjunctions = 0
        for _ in 0..<5000 {
            let text = (0..<Int.random(in: 0...10, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                .joined()
            #expect(text.trimmingSpaces == slowTrim(text), "\(seed): \(Array(text.utf8))")
            #expect(Substring(text).trimmingSpaces == slowTrim(text), "\(seed): \(Array(text.utf8))")
            let slow = ScheduleReader.has(text, " og ") || ScheduleReader.has(text, " and ")
            if slow { conjunctions += 1 }
            #expect(ScheduleReader.hasConjunction(text) == slow, "\(seed): \(Array(text.utf8))")
        }
        #expect(conjunctions > 10, "\(seed)")
        #expect(ScheduleReader.list("Kari Lærer") == ["Kari Lærer"])
        #expect(ScheduleReader.list("Kari og Per / Ola") == ["Kari og Per", "Ola"])
        #expect(ScheduleReader.list("Kari og Per") == ["Kari", "Per"])
        #expect(ScheduleReader.list("Kari and Per") == ["Kari", "Per"])
        #expect(ScheduleReader.list("  ") == [])
    }

    /// The clock reading before: split on `:` or `.`, Characters counted.
    static func slowClock(_ t: String) -> (h: Int, m: Int)? {
        func digits<S: StringProtocol>(_ s: S) -> Bool { !s.isEmpty && s.utf8.allSatisfy { (48...57).contains($0) } }
        for sep in [":", "."] as [Character] {
            let p = t.split(separator: sep, omittingEmptySubsequences: false)
            guard p.count == 2 || (p.count == 3 && sep == ":" && p[2].count == 2 && digits(p[2])),
                (1...2).contains(p[0].count), p[1].count == 2, digits(p[0]), digits(p[1]),
                let h = Int(p[0]), let m = Int(p[1]), (0...23).contains(h), (0...59).contains(m)
            else { continue }
            if p.count == 3, let s = Int(p[2]), s > 59 { return nil }
            return (h, m)
        }
        return nil
    }

    @Test("clock times: the one-pass reading agrees with the split reading")
    func clock() {
        let fixed = [
            "14:00", "9:05", "14.00", "10:00:00", "10:00:60", "24:00", "23:59", "1400", "1:5", "01:05:5", "1.00:00",
            "::", ".", "", "12:00.00", "12.00.00", "٣:٠٠", "1４:00", "10:00:0x",
        ]
        for t in fixed {
            let (a, b) = (ClockText.twentyFourHour(t), Self.slowClock(t))
            #expect(a?.h == b?.h && a?.m == b?.m, "\(t)")
        }
        let seed = TestSeed("clock")
        var rng = seed.generator()
        let alphabet = Array("0123456789:.: 5")
        for _ in 0..<20000 {
            let t = String((0..<Int.random(in: 0...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let (a, b) = (ClockText.twentyFourHour(t), Self.slowClock(t))
            #expect(a?.h == b?.h && a?.m == b?.m, "\(seed): \(t)")
        }
    }

    @Test("columns: the ordinal is the place in allCases")
    func ordinals() {
        for (i, c) in Column.allCases.enumerated() { #expect(c.ordinal == i) }
    }

    @Test("a generated id is the hash of the joined text, as before")
    func digest() {
        func slow(_ date: String, _ room: String, _ start: String, _ pupil: String) -> String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in "\(date)|\(room)|\(start)|\(pupil)".utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            return "b" + String(String(hash, radix: 16).suffix(10))
        }
        for (d, r, s, p) in [("2026-11-24", "204", "14:00", "Åse Ødegård"), ("", "", "", ""), ("x|y", "|", "", "ø")] {
            #expect(ScheduleReader.digestID(date: d, room: r, start: s, pupil: p) == slow(d, r, s, p))
        }
        for (y, m, d, h, mi) in [
            (2026, 11, 4, 9, 5), (2026, 1, 31, 23, 59), (999, 10, 10, 0, 0), (12026, 12, 1, 10, 30),
        ] {
            let text = "\(y)-\(ScheduleReader.pad2(m))-\(ScheduleReader.pad2(d))"
            let start = "\(ScheduleReader.pad2(h)):\(ScheduleReader.pad2(mi))"
            #expect(
                ScheduleReader.digestID(date: (y, m, d), room: "204", start: (h, mi), pupil: "Åse")
                    == slow(text, "204", start, "Åse"))
        }
    }

    @Test("a write-back given the file as already read merges as one that reads it, and a stale one is not used")
    func parsedOnce() throws {
        let reader = ScheduleReader(timeZone: TimeZone(identifier: "Europe/Oslo")!)
        let text = Array(
            "Dato;Fra;Til;Rom;Elev\r\n24.11.2026;14:00;14:20;204;Åse\r\n24.11.2026;14:20;14:40;204;Per\r\n".utf8)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("samtale-parsed-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.csv"
        let parsed = reader.parse(bytes: text)
        let id = parsed.bookings[1].id
        let update = [id: StateCells(status: "waiting", checkedIn: "14:19", kiosk: "k")]
        guard case .changed(let expected, _) = StateMerge.apply(update, to: text, reader: reader) else {
            Issue.record("no merge")
            return
        }
        try Data(text).write(to: URL(fileURLWithPath: path))
        let writer = ScheduleFileWriter(path: path, reader: reader)
        #expect(try writer.write(update, parsed: parsed) == .written)
        #expect(ScheduleReader.contents(path) == expected)
        // The office changed the file since it was read: the stale reading is not used.
        let edited = Array(String(decoding: text, as: UTF8.self).replacingOccurrences(of: "Per", with: "Pål").utf8)
        try Data(edited).write(to: URL(fileURLWithPath: path))
        let update2 = [id: StateCells(status: "in session", checkedIn: "14:19", started: "14:21", kiosk: "k")]
        guard case .changed(let expected2, _) = StateMerge.apply(update2, to: edited, reader: reader) else {
            Issue.record("no merge")
            return
        }
        #expect(try writer.write(update2, parsed: parsed) == .written)
        #expect(ScheduleReader.contents(path) == expected2)
    }
}
