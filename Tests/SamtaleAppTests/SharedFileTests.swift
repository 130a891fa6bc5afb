import Foundation
import SamtaleSchedule
import SamtaleTestSupport
import Testing

/// A school's file with `rooms` rooms and `perRoom` conferences each, 20 minutes apart over
/// several days, and an office column that the office edits.
func schoolFile(rooms: Int, perRoom: Int) -> (text: String, slots: [(room: String, at: String)]) {
    var text = "Dato;Fra;Til;Rom;Elev;Foresatte;Kontor\r\n"
    var slots: [(String, String)] = []
    for k in 0..<perRoom {
        let day = 2 + k / 24
        let minutes = 8 * 60 + (k % 24) * 20
        let date = String(format: "%02d.11.2026", day)
        let start = String(format: "%02d:%02d", minutes / 60, minutes % 60)
        let end = String(format: "%02d:%02d", (minutes + 20) / 60, (minutes + 20) % 60)
        for r in 0..<rooms {
            text += "\(date);\(start);\(end);R\(r);Elev \(r)-\(k);\"Foresatt \(r)-\(k); forelder\";\r\n"
        }
        // Check in five minutes before the start.
        let at = String(format: "2026-11-%02dT%02d:%02d", day, (minutes - 5) / 60, (minutes - 5) % 60)
        slots.append(("\(k)", at))
    }
    return (text, slots)
}

/// The office: a spreadsheet that reads the whole file and saves it again with one cell changed,
/// either rewriting it in place or writing a new file and renaming it over.
func officeEdit(path: String, row: Int, value: String, inPlace: Bool) -> Bool {
    guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
        return false
    }
    var lines = text.components(separatedBy: "\r\n")
    guard row < lines.count, !lines[row].isEmpty else { return false }
    // The office column is the 7th; it may be followed by the kiosks' state columns.
    var quoted = false
    var cell = 0
    var start = lines[row].startIndex
    var end = lines[row].endIndex
    for i in lines[row].indices {
        let ch = lines[row][i]
        if ch == "\"" { quoted.toggle() }
        if ch == ";" && !quoted {
            cell += 1
            if cell == 6 { start = lines[row].index(after: i) }
            if cell == 7 {
                end = i
                break
            }
        }
    }
    guard cell >= 6 else { return false }
    lines[row].replaceSubrange(start..<end, with: value)
    text = lines.joined(separator: "\r\n")
    if inPlace {
        guard let h = FileHandle(forWritingAtPath: path) else { return false }
        h.truncateFile(atOffset: 0)
        h.write(Data(text.utf8))
        h.closeFile()
    } else {
        let tmp = path + ".office-tmp"
        _ = FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8))
        guard rename(tmp, path) == 0 else { return false }
    }
    return true
}

@Suite("The shared schedule file, with real processes", .serialized)
struct SharedFileTests {
    /// Rounds of the concurrency test: 10 in `swift test` (80 check-ins racing 10 office saves, half
    /// in place, half by rename); `.ci/run` runs it again with 200 (SAMTALE_STRESS_ROUNDS=200), which
    /// takes minutes with a debug build on two cores.
    static let rounds = Int(ProcessInfo.processInfo.environment["SAMTALE_STRESS_ROUNDS"] ?? "") ?? 10

    @Test("8 kiosks checking in at the same moment while the office saves, every round: nothing lost")
    func concurrentWriters() async throws {
        let rooms = 8
        let rounds = Self.rounds
        let seed = TestSeed("office edits")
        var rng = seed.generator()
        let dir = try TempDir()
        let (text, slots) = schoolFile(rooms: rooms, perRoom: rounds)
        let path = try dir.file("samtaler.csv", text)
        var officeEdits: [Int: String] = [:]
        var acknowledged = 0
        for round in 0..<rounds {
            // The office saves during the round, half the time in place, half by rename.
            let row = 1 + Int.random(in: 0..<(rooms * rounds), using: &rng)
            let value = "kontor-\(round)"
            let pause = UInt32.random(in: 0...30_000, using: &rng)
            async let office: Bool = offPool {
                usleep(pause)
                return officeEdit(path: path, row: row, value: value, inPlace: round % 2 == 0)
            }
            let results = try await withThrowingTaskGroup(of: Run.self) { group in
                for r in 0..<rooms {
                    group.addTask {
                        try await samtale([
                            "checkin", "--schedule", path, "--room", "R\(r)", "--at", slots[round].at, "--kiosk",
                            "k\(r)",
                            "--state-dir", dir.url.path + "/state-k\(r)", "--time-zone", "UTC",
                        ])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            if await office { officeEdits[row] = value }
            for r in results {
                #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
                if r.stdout.hasPrefix("checked in") { acknowledged += 1 }
            }
            // The file is whole after every round: every row there, every cell readable.
            let check = ScheduleReader(timeZone: TimeZone(identifier: "UTC")!).read(path: path)
            #expect(check.isUsable && !check.hasErrors, "round \(round) (\(seed)): \(check.problems)")
            #expect(check.bookings.count == rooms * rounds)
        }
        #expect(acknowledged == rooms * rounds)
        // The kiosks restate whatever an office save went over (as the running service does).
        for r in 0..<rooms {
            let s = try await samtale([
                "sync", "--schedule", path, "--kiosk", "k\(r)", "--state-dir", dir.url.path + "/state-k\(r)",
                "--time-zone", "UTC",
            ])
            #expect(s.status == 0, "\(s.stdout)")
        }
        let final = try String(contentsOfFile: path, encoding: .utf8)
        let lines = final.components(separatedBy: "\r\n")
        // Zero lost check-ins: every conference of every room is checked in, by its own kiosk.
        let checkedIn = lines.filter {
            $0.contains(";waiting;") || $0.contains(";in session;") || $0.contains(";done;")
        }
        #expect(checkedIn.count == rooms * rounds, "\(rooms * rounds - checkedIn.count) check-ins missing")
        for r in 0..<rooms {
            #expect(lines.filter { $0.contains(";R\(r);") && $0.hasSuffix(";k\(r)") }.count == rounds)
        }
        // Zero lost office edits: each edited row holds the office's last value.
        for (row, value) in officeEdits {
            #expect(lines[row].contains(";\(value)"), "row \(row) lost the office's \(value): \(lines[row])")
        }
        #expect(!officeEdits.isEmpty)
    }

    @Test("writers killed at random instants: the file is always whole, and every acknowledged check-in arrives")
    func killedWriters() async throws {
        let seed = TestSeed("killed writers")
        var rng = seed.generator()
        let dir = try TempDir()
        let (text, slots) = schoolFile(rooms: 2, perRoom: 60)
        let path = try dir.file("samtaler.csv", text)
        let rows = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count - 1
        var acknowledged: [String] = []
        for k in 0..<60 {
            let process = Process()
            process.executableURL = samtaleBinary
            process.arguments = [
                "checkin", "--schedule", path, "--room", "R\(k % 2)", "--at", slots[k].at, "--kiosk", "k",
                "--state-dir", dir.url.path + "/state", "--time-zone", "UTC",
            ]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...60, using: &rng)))
            kill(process.processIdentifier, SIGKILL)
            let printed = await offPool {
                String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            }
            process.waitUntilExit()
            if printed.hasPrefix("checked in") { acknowledged.append("R\(k % 2) \(slots[k].at)") }
            // Old or new, never a mix: every row is there and readable.
            let check = try await samtale(["check", path, "--time-zone", "UTC"])
            #expect(check.status == 0, "round \(k) (\(seed)): \(check.stdout)")
            #expect(check.stdout.contains("\(rows) conferences"), "round \(k) (\(seed)): \(check.stdout)")
            // A killed writer may leave its temporary file beside the schedule: one at most, under
            // the writer's own hidden name, never in the schedule's place.
            let temporaries = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
                $0.hasSuffix(".tmp")
            }
            #expect(
                temporaries.allSatisfy { $0.hasPrefix(".samtaler.csv.samtale-") },
                "round \(k) (\(seed)): \(temporaries)")
            #expect(temporaries.count <= k + 1, "round \(k) (\(seed)): \(temporaries.count) temporary files")
        }
        // After a restart (a sync), everything that was acknowledged is in the file.
        let s = try await samtale([
            "sync", "--schedule", path, "--kiosk", "k", "--state-dir", dir.url.path + "/state", "--time-zone", "UTC",
        ])
        #expect(s.status == 0, "\(s.stdout)")
        let final = try String(contentsOfFile: path, encoding: .utf8)
        // Checked in, and perhaps moved on since: a later check-in's engine lets earlier ones start and end.
        let checkedIn = final.components(separatedBy: "\r\n").filter {
            $0.contains(";waiting;") || $0.contains(";in session;") || $0.contains(";done;")
        }.count
        #expect(checkedIn >= acknowledged.count, "acknowledged \(acknowledged.count), in the file \(checkedIn)")
    }

    @Test("the share vanishing and coming back: the check-in waits in the journal, then reaches the file")
    func vanishingShare() async throws {
        let dir = try TempDir()
        let share = dir.url.path + "/share"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        let path = share + "/samtaler.csv"
        try Data("Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;A\n".utf8).write(to: URL(fileURLWithPath: path))
        let args = [
            "--schedule", path, "--kiosk", "rom204", "--state-dir", dir.url.path + "/state", "--time-zone", "UTC",
        ]
        // Read it while it is there, then the share goes away.
        let away = dir.url.path + "/away"
        let first = try await samtale(["checkin", "--room", "204", "--at", "2026-11-24T13:50"] + args)
        #expect(first.stdout.contains("written to"))
        try FileManager.default.moveItem(atPath: share, toPath: away)
        let sync = try await samtale(["sync"] + args)
        #expect(sync.status == 0, "nothing pending: nothing to write")
        // A check-in while the share is gone cannot read the file: it says so.
        let gone = try await samtale(["checkin", "--room", "204", "--at", "2026-11-24T14:05"] + args)
        #expect(gone.status == 2)
        #expect(gone.stderr.contains("does not exist"))
        // The file replaced by a folder: a clear failure, nothing lost.
        try FileManager.default.moveItem(atPath: away, toPath: share)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let folder = try await samtale(["check", path, "--time-zone", "UTC"])
        #expect(folder.status == 1)
        try FileManager.default.removeItem(atPath: path)
        try Data("Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;A\n".utf8).write(to: URL(fileURLWithPath: path))
        // Back: the journal's check-in is restated into the new file.
        let back = try await samtale(["sync"] + args)
        #expect(back.status == 0, "\(back.stdout)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(";waiting;13:50;;;rom204"))
    }

    @Test("a spreadsheet holding the file open: the check-in goes on the share, and into the file once it is closed")
    func spreadsheetOpen() async throws {
        let dir = try TempDir()
        let path = try dir.file("samtaler.csv", "Dato;Fra;Til;Rom;Elev\n24.11.2026;14:00;14:20;204;A\n")
        let lock = try dir.file(".~lock.samtaler.csv#", "office,PC-1")
        let args = [
            "--schedule", path, "--kiosk", "rom204", "--state-dir", dir.url.path + "/state", "--time-zone", "UTC",
        ]
        let r = try await samtale(["checkin", "--room", "204", "--at", "2026-11-24T13:50", "--wait", "0.5"] + args)
        #expect(r.status == 0)
        #expect(r.stdout.contains("recorded on the share"))
        #expect(r.stdout.contains("open in LibreOffice by office"))
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("waiting"))
        // On the share, and what `samtale status` reads meanwhile.
        let live = try String(contentsOfFile: dir.url.path + "/.samtale/state/rom204.json", encoding: .utf8)
        #expect(live.contains("\"waiting\""))
        let status = try await samtale([
            "status", "--schedule", path, "--at", "2026-11-24T13:55", "--json", "--time-zone", "UTC",
        ])
        #expect(status.stdout.contains("\"waiting\""), "\(status.stdout)")
        // `samtale check` names who holds the file.
        let check = try await samtale(["check", path, "--time-zone", "UTC"])
        #expect(check.stdout.contains("open in LibreOffice by office"), "\(check.stdout)")
        try FileManager.default.removeItem(atPath: lock)
        let s = try await samtale(["sync"] + args)
        #expect(s.stdout.contains("1 booking written"))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(";waiting;13:50;;;rom204"))
    }
}
