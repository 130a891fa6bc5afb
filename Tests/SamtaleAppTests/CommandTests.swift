import Foundation
import SamtaleTestSupport
import Testing

let schedule = """
    Dato;Fra;Til;Rom;Kontaktlærer;Elev;Foresatte;Tolk
    24.11.2026;14:00;14:20;204;Kari Lærer;Hemmelig Elevnavn;Hemmelig Foresatt;
    24.11.2026;14:20;14:40;204;Kari Lærer;Annen Elev;Annen Foresatt;arabisk
    24.11.2026;14:00;14:15;B12;Lise Lærer;Tredje Elev;Tredje Foresatt;
    25.11.2026;09:00;09:15;B12;Lise Lærer;Fjerde Elev;Fjerde Foresatt;

    """
let names = ["Hemmelig", "Elevnavn", "Foresatt", "Annen", "Tredje", "Fjerde"]

@Suite("samtale check and status")
struct CommandTests {
    @Test("check reports conferences, rooms and days, exit 0 for a usable file")
    func checkGood() async throws {
        let dir = try TempDir()
        let r = try await samtale(["check", try dir.file("s.csv", schedule), "--time-zone", "Europe/Oslo"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("4 conferences in 2 rooms on 2 days"))
        #expect(r.stdout.contains("no problems found"))
    }

    @Test("check reports every problem with its line, exit 1")
    func checkBad() async throws {
        let dir = try TempDir()
        let bad = schedule + "32.11.2026;14:00;14:20;204;X;Y;\n24.11.2026;kl 3;14:20;204;X;Y;\n"
        let r = try await samtale(["check", try dir.file("s.csv", bad)])
        #expect(r.status == 1)
        #expect(r.stdout.contains("line 6, column \"Dato\""))
        #expect(r.stdout.contains("line 7, column \"Fra\""))
    }

    @Test("check refuses an unusable file and a missing one with exit 1 and a reason")
    func checkUnusable() async throws {
        let dir = try TempDir()
        let r = try await samtale(["check", try dir.file("s.csv", "Navn;Telefon\nOla;123\n")])
        #expect(r.status == 1)
        #expect(r.stdout.contains("cannot be used"))
        #expect(r.stdout.contains("no column for date"))
        let missing = try await samtale(["check", dir.url.path + "/nope.csv"])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("does not exist"))
    }

    @Test("status --json: every room with light, current, next and lateness, and no names")
    func statusJSON() async throws {
        let dir = try TempDir()
        let path = try dir.file("s.csv", schedule)
        let r = try await samtale([
            "status", "--schedule", path, "--at", "2026-11-24T14:05", "--json", "--time-zone", "Europe/Oslo",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        for n in names { #expect(!r.stdout.contains(n)) }
        let rooms = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        #expect(rooms.map { $0["room"] as? String } == ["204", "B12"])
        for room in rooms {
            for key in ["room", "light", "current", "next", "runningLateMinutes"] {
                #expect(room.keys.contains(key), "\(key)")
            }
        }
        // Nobody checked in: nothing in session, and 14:00 is the next conference in 204.
        #expect(rooms[0]["current"] is NSNull)
        let next = rooms[0]["next"] as! [String: Any]
        #expect(next["start"] as? String == "2026-11-24T14:00:00+01:00")
        #expect(next["end"] as? String == "2026-11-24T14:20:00+01:00")
        #expect(next["status"] as? String == "scheduled")
        #expect(next["id"] as? String != nil)
        #expect(rooms[0]["light"] as? String == "free")
    }

    @Test("status --names shows names; the text form too")
    func statusNames() async throws {
        let dir = try TempDir()
        let path = try dir.file("s.csv", schedule)
        let withNames = try await samtale([
            "status", "--schedule", path, "--at", "2026-11-24T14:05", "--names", "--time-zone", "Europe/Oslo",
        ])
        #expect(withNames.stdout.contains("Hemmelig Elevnavn"))
        let without = try await samtale([
            "status", "--schedule", path, "--at", "2026-11-24T14:05", "--time-zone", "Europe/Oslo",
        ])
        #expect(without.stdout.contains("204: free, next 14:00"))
        for n in names { #expect(!without.stdout.contains(n)) }
    }

    @Test("status with a bad --at or a bad time zone says what is wrong")
    func statusBadInput() async throws {
        let dir = try TempDir()
        let path = try dir.file("s.csv", schedule)
        let r = try await samtale(["status", "--schedule", path, "--at", "tomorrow"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--at \"tomorrow\""))
        let z = try await samtale(["status", "--schedule", path, "--time-zone", "Mars/Olympus"])
        #expect(z.status != 0)
        #expect(z.stderr.contains("Mars/Olympus"))
    }

    @Test("every command says what it does in --help")
    func help() async throws {
        for command in ["demo", "run", "check", "status"] {
            let r = try await samtale([command, "--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("OVERVIEW:"), "\(command)")
        }
    }
}
