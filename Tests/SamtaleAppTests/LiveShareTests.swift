import Foundation
import SamtaleTestSupport
import Testing

/// Kiosks (`samtale run`) on one share: what they record, publish and write, as real processes.
@Suite("The share as the live truth", .serialized)
struct LiveShareTests {
    /// A kiosk on an existing share, named `name`, serving `room`.
    static func kiosk(_ name: String, room: String, share: String, dir: TempDir) throws -> Server {
        let port = freePort()
        var config = KioskConfig(
            schedule: share + "/samtaler.csv", stateDirectory: dir.path + "/state-\(name)", port: port)
        config.name = name
        config.room = room
        let path = try dir.file("\(name).json", config.json)
        return try Server(["run", "--config", path], port: port, environment: ["SAMTALE_NO_INOTIFY": "1"])
    }

    static func share(_ dir: TempDir, rows: [(Int, Int, String)]) throws -> String {
        let share = dir.url.path + "/share"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        try Data(RunningKiosk.csv(rows.map { ($0.0, $0.1, $0.2) }).utf8).write(
            to: URL(fileURLWithPath: share + "/samtaler.csv"))
        return share
    }

    static func inode(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.systemFileNumber] as? UInt64
    }

    @Test("a kiosk started mid-day leaves the conferences it never saw as the file has them")
    func noInventedHistory() async throws {
        let dir = try TempDir()
        let share = try Self.share(dir, rows: [(-180, 20, "Past One"), (-120, 20, "Past Two"), (2, 20, "Next One")])
        let before = try String(contentsOfFile: share + "/samtaler.csv", encoding: .utf8)
        let k = try Self.kiosk("rom204", room: "204", share: share, dir: dir)
        #expect(await k.ready())
        // A check-in it does see reaches the file (so the kiosk does write) ...
        let r = await http("POST", port: k.port, "/api/checkin")
        #expect(r?.status == 200)
        let file = share + "/samtaler.csv"
        let arrived = await eventually {
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains(";waiting;")
        }
        #expect(arrived)
        // ... and the two it never saw are still as the office wrote them: no no-shows invented.
        let after = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!after.contains("no-show"), "\(after)")
        #expect(before.split(separator: "\n").count == after.split(separator: "\n").count)
        // The live state is on the share, beside the heartbeats.
        let live = try String(contentsOfFile: share + "/.samtale/state/rom204.json", encoding: .utf8)
        #expect(live.contains("\"waiting\"") && !live.contains("no-show"), "\(live)")
        #expect(await k.terminate() == 0)
    }

    @Test("two kiosks on one room share one state, name each other, and never rewrite the file in a loop")
    func twoKiosksOneRoom() async throws {
        let dir = try TempDir()
        let share = try Self.share(dir, rows: [(2, 20, "First Family"), (22, 20, "Second Family")])
        let a = try Self.kiosk("door-a", room: "204", share: share, dir: dir)
        let b = try Self.kiosk("door-b", room: "204", share: share, dir: dir)
        #expect(await a.ready())
        #expect(await b.ready())
        #expect(await http("POST", port: a.port, "/api/checkin")?.status == 200)
        let file = share + "/samtaler.csv"
        // The other door shows the check-in made at this one.
        let shown = await eventually {
            guard let body = await http("GET", port: b.port, "/api/door")?.body else { return false }
            return body.contains("\"waitingCount\":1")
        }
        #expect(shown)
        let written = await eventually {
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains(";waiting;")
        }
        #expect(written)
        // Each names the other in /healthz (a kiosk that appears is seen within about 10 s: the pulse glances at the heartbeats every 10 beats).
        let named = await eventually {
            let ha = await http("GET", port: a.port, "/healthz")?.body ?? ""
            let hb = await http("GET", port: b.port, "/healthz")?.body ?? ""
            return ha.contains("door-b") && hb.contains("door-a")
        }
        #expect(named)
        // Nothing changes now: the file is not written again (a write replaces it: a new inode).
        let settled = Self.inode(file)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try await Task.sleep(for: .seconds(4))
        #expect(Self.inode(file) == settled)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == text)
        #expect(text.components(separatedBy: ";waiting;").count == 2)
        #expect(await a.terminate() == 0)
        #expect(await b.terminate() == 0)
    }

    @Test("an office check-in for a room whose kiosk is off reaches the file through another room's kiosk")
    func orphanRoomCarried() async throws {
        let dir = try TempDir()
        let share = dir.url.path + "/share"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        let soon = Date().addingTimeInterval(120)
        f.dateFormat = "dd.MM.yyyy;HH:mm"
        let csv = "Dato;Fra;Varighet;Rom;Elev\n\(f.string(from: soon));20;204;A B\n\(f.string(from: soon));20;301;C D\n"
        let file = share + "/samtaler.csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        let lock = share + "/.~lock.samtaler.csv#"
        try Data(",kari,KONTOR,29.11.2026 08:00,file:///x;".utf8).write(to: URL(fileURLWithPath: lock))
        let k = try Self.kiosk("rom204", room: "204", share: share, dir: dir)
        #expect(await k.ready())
        // The office checks a family in for room 301 (no kiosk) while the spreadsheet has the file.
        let r = try await samtale([
            "checkin", "--schedule", file, "--room", "301", "--kiosk", "office", "--state-dir",
            dir.url.path + "/office", "--time-zone", "UTC", "--wait", "0",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("recorded on the share"))
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains("waiting"))
        // The spreadsheet closes: the running kiosk carries the office's check-in into the file.
        try FileManager.default.removeItem(atPath: lock)
        let carried = await eventually {
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains(";waiting;")
        }
        #expect(carried)
        let final = try String(contentsOfFile: file, encoding: .utf8)
        #expect(final.contains("301;C D;waiting;") && final.contains(";office"), "\(final)")
        #expect(await k.terminate() == 0)
    }
}
