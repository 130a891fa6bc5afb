import Foundation
import SamtaleCore
import SamtaleTestSupport
import Synchronization
import Testing

@testable import SamtaleSchedule

@Suite("Hostile schedule files")
struct HostileInputTests {
    @Test("a 200 MB file is refused by its size, without reading it")
    func huge() throws {
        let f = try Folder()
        let path = f.path + "/huge.csv"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let h = FileHandle(forWritingAtPath: path)!
        try h.truncate(atOffset: 200 * 1024 * 1024)
        try h.close()
        let s = reader.read(path: path)
        #expect(!s.isUsable)
        #expect(s.problems.first?.message.contains("200 MB") == true)
    }

    @Test("a file with a 1 MB cell is refused with the line")
    func bigCell() {
        let text = "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;" + String(repeating: "x", count: 1 << 20) + "\n"
        let s = reader.parse(text: text)
        #expect(!s.isUsable)
        #expect(s.problems.first?.line == 2)
        #expect(s.problems.first?.message.contains("larger than") == true)
    }

    @Test("mutated schedule files never crash the reader or the merge")
    func mutations() {
        let seed = TestSeed("mutated schedule files")
        var rng = seed.generator()
        let original = bytes(
            "\u{FEFF}Dato;Fra;Til;Rom;Elev;status;checked_in\r\n24.11.2026;14:00;14:20;204;\"A;\r\nB\";waiting;13:50\r\n24.11.26;14.20;14.40;205;C;;\r\n"
        )
        var merged = 0
        for _ in 0..<20_000 {
            var b = original
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    if !b.isEmpty {
                        b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                case 1: if !b.isEmpty { b.remove(at: Int.random(in: 0..<b.count, using: &rng)) }
                case 2:
                    b.insert(
                        [0x22, 0x3B, 0x0A, 0x0D, 0x2C, 0x09].randomElement(using: &rng)!,
                        at: Int.random(in: 0...b.count, using: &rng))
                default: b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
                }
            }
            let s = reader.parse(bytes: b)
            // What the merge writes reads back as the same bookings, the merged one now waiting.
            guard let first = s.bookings.first,
                case .changed(let out, _) = StateMerge.apply(
                    [first.id: StateCells(status: "waiting", kiosk: "k")], to: b, reader: reader)
            else { continue }
            merged += 1
            let back = reader.parse(bytes: out)
            #expect(back.bookings.map(\.id) == s.bookings.map(\.id), "\(seed): \(b)")
            #expect(back.bookings.first?.recorded?.phase == .waiting, "\(seed): \(b)")
        }
        #expect(merged > 100, "\(seed): only \(merged) mutated files could be merged at all")
    }
}
