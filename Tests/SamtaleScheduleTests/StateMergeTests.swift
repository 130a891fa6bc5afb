import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleSchedule

@Suite("Writing state back: every other byte stays as it was")
struct StateMergeTests {
    @Test("a Norwegian Excel file: BOM, ;, CRLF, a quoted line break and other rooms stay byte for byte")
    func preservesBytes() throws {
        let original =
            [0xEF, 0xBB, 0xBF]
            + bytes(
                "Dato;Fra;Til;Rom;Elev;Merknad;Kontor\r\n24.11.2026;14:00;14:20;204;Åse;\"to\r\nlinjer; og \"\"sitat\"\"\";x\r\n24.11.2026;14:00;14:20;205;Per;;y\r\n;;;;;;\r\n"
            )
        let b1 = id(in: original, room: "204", start: "14:00")
        guard case .changed(let out, _) = StateMerge.apply([b1: kioskCells], to: original, reader: reader) else {
            Issue.record("expected a change")
            return
        }
        let text = String(decoding: out, as: UTF8.self)
        #expect(out.starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(text.contains("Dato;Fra;Til;Rom;Elev;Merknad;Kontor;status;checked_in;started;ended;kiosk\r\n"))
        #expect(text.contains("\"to\r\nlinjer; og \"\"sitat\"\"\";x;waiting;13:50;;;rom204\r\n"))
        // The other room's row and the trailing delimiter-only row: untouched.
        #expect(text.contains("\r\n24.11.2026;14:00;14:20;205;Per;;y\r\n;;;;;;\r\n"))
        #expect(text.hasSuffix(";;;;;;\r\n"))
        // And it reads back with the state.
        let again = reader.parse(bytes: out)
        #expect(again.bookings.first { $0.id == b1 }?.recorded?.phase == .waiting)
        #expect(again.problems.isEmpty)
    }

    @Test("a second write changes only the state cells of that row")
    func secondWrite() throws {
        let original = bytes("date,start,end,room,pupil\n2026-11-24,14:00,14:20,204,A\n2026-11-24,14:20,14:40,204,B\n")
        let a = id(in: original, room: "204", start: "14:00")
        let b = id(in: original, room: "204", start: "14:20")
        guard case .changed(let one, _) = StateMerge.apply([a: kioskCells], to: original, reader: reader),
            case .changed(let two, _) = StateMerge.apply(
                [b: StateCells(status: "waiting", checkedIn: "14:10", kiosk: "rom204")], to: one, reader: reader)
        else {
            Issue.record("expected changes")
            return
        }
        let lines = String(decoding: two, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "date,start,end,room,pupil,status,checked_in,started,ended,kiosk")
        #expect(lines[1] == "2026-11-24,14:00,14:20,204,A,waiting,13:50,,,rom204")
        #expect(lines[2] == "2026-11-24,14:20,14:40,204,B,waiting,14:10,,,rom204")
        #expect(StateMerge.apply([a: kioskCells], to: two, reader: reader) == .unchanged)
    }

    @Test("Windows-1252 stays Windows-1252; tab-separated stays tab-separated")
    func encodings() {
        var original = bytes("Dato;Fra;Til;Rom;Elev\r\n24.11.2026;14:00;14:20;204;")
        original += [0xC5, 0x73, 0x65]  // Åse
        original += bytes("\r\n")
        let b = id(in: original, room: "204", start: "14:00")
        guard case .changed(let out, _) = StateMerge.apply([b: kioskCells], to: original, reader: reader) else {
            Issue.record("expected a change")
            return
        }
        #expect(out.contains(0xC5))
        #expect(String(validating: out, as: UTF8.self) == nil, "still Windows-1252, not converted")
        let tabbed = bytes("dato\tkl\tslut\tlokale\n24.11.2026\t14:00\t14:20\tB12\n")
        let t = id(in: tabbed, room: "B12", start: "14:00")
        guard case .changed(let tout, _) = StateMerge.apply([t: kioskCells], to: tabbed, reader: reader) else {
            Issue.record("expected a change")
            return
        }
        #expect(
            String(decoding: tout, as: UTF8.self)
                == "dato\tkl\tslut\tlokale\tstatus\tchecked_in\tstarted\tended\tkiosk\n24.11.2026\t14:00\t14:20\tB12\twaiting\t13:50\t\t\trom204\n"
        )
    }

    @Test("the office's cancellation is never written over")
    func cancelStays() {
        let original = bytes("Dato;Fra;Til;Rom;status\n24.11.2026;14:00;14:20;204;avlyst\n")
        let b = id(in: original, room: "204", start: "14:00")
        guard case .changed(let out, _) = StateMerge.apply([b: kioskCells], to: original, reader: reader) else {
            Issue.record("expected a change (the other cells)")
            return
        }
        #expect(String(decoding: out, as: UTF8.self).contains("204;avlyst;13:50;;;rom204"))
    }

    @Test("a kiosk name with the delimiter is quoted; an unusable file is refused, not overwritten")
    func quotingAndRefusal() {
        let original = bytes("Dato;Fra;Til;Rom\n24.11.2026;14:00;14:20;204\n")
        let b = id(in: original, room: "204", start: "14:00")
        let cells = StateCells(status: "waiting", checkedIn: "13:50", kiosk: "rom;204")
        guard case .changed(let out, _) = StateMerge.apply([b: cells], to: original, reader: reader) else {
            Issue.record("expected a change")
            return
        }
        #expect(String(decoding: out, as: UTF8.self).contains(";\"rom;204\"\n"))
        guard case .unusable = StateMerge.apply([b: cells], to: bytes("Navn;Telefon\nOla;1\n"), reader: reader) else {
            Issue.record("a file without the required columns is not written")
            return
        }
    }

    @Test("property: merging never changes a byte outside the state cells, and always reads back")
    func property() {
        let seed = TestSeed("state merge")
        var rng = seed.generator()
        let names = ["Ola", "Kari \"K\"", "Per; Pål", "Åse\nØy", "", " lead", "x,y"]
        for _ in 0..<300 {
            let delimiter = [";", ",", "\t"].randomElement(using: &rng)!
            let eol = Bool.random(using: &rng) ? "\r\n" : "\n"
            func cell(_ s: String) -> String {
                s.contains(delimiter) || s.contains("\"") || s.contains("\n") || s.hasPrefix(" ")
                    ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
            }
            var text = ["Dato", "Fra", "Til", "Rom", "Elev", "Extra"].joined(separator: delimiter) + eol
            let rows = Int.random(in: 1...8, using: &rng)
            for r in 0..<rows {
                let h = 8 + r
                let row = [
                    "24.11.2026", "\(h):00", "\(h):30", ["204", "205"].randomElement(using: &rng)!,
                    names.randomElement(using: &rng)!, names.randomElement(using: &rng)!,
                ]
                text += row.map(cell).joined(separator: delimiter) + eol
            }
            let original = bytes(text)
            let schedule = reader.parse(bytes: original)
            #expect(schedule.bookings.count == rows, "\(seed): \(text)")
            guard let target = schedule.bookings.randomElement(using: &rng) else { continue }
            guard case .changed(let out, _) = StateMerge.apply([target.id: kioskCells], to: original, reader: reader)
            else {
                Issue.record("expected a change (\(seed)): \(text)")
                continue
            }
            let back = reader.parse(bytes: out)
            #expect(back.bookings.map(\.id) == schedule.bookings.map(\.id), "\(seed): \(text)")
            #expect(back.bookings.map(\.pupil) == schedule.bookings.map(\.pupil))
            #expect(back.bookings.first { $0.id == target.id }?.recorded?.phase == .waiting)
            // Every record but the header and the target's is byte-identical.
            let a = CSVTable(bytes: original)
            let b = CSVTable(bytes: out)
            let targetRow = schedule.rows[target.id]!
            for i in a.records.indices where i != 0 && i != targetRow {
                #expect(Array(a.bytes[a.records[i].range]) == Array(b.bytes[b.records[i].range]))
            }
        }
    }
}
