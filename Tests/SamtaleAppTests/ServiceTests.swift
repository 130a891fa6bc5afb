import Foundation
import SamtaleTestSupport
import Testing

@Suite("samtale run with the shared file", .serialized)
struct ServiceTests {
    @Test("a check-in reaches the file; an office edit reaches the kiosk; a broken save keeps the last good schedule")
    func roundTrip() async throws {
        let k = try await RunningKiosk.start(rows: [(5, 20, "Hemmelig Elev"), (30, 20, "Annen Elev")])
        #expect(await k.server.ready())
        let press = await http("POST", port: k.port, "/api/checkin")
        #expect(press?.body.contains("\"result\":\"checked-in\"") == true)
        #expect(await eventually { k.file.contains(";waiting;") }, "the check-in is written back: \(k.file)")
        // The office adds a conference now, saving by replace-and-rename.
        var text = k.file
        text += RunningKiosk.csv([(1, 10, "Ny Elev")]).components(separatedBy: "\n")[1] + "\n"
        let tmp = k.share + "/.office.tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
        rename(tmp, k.schedule)
        let seen = await eventually {
            ((await k.door())?["upcoming"] as? [[String: Any]])?.count == 3
        }
        let shown = await k.door()
        #expect(seen, "the office's new conference shows: \(String(describing: shown)) \(k.file)")
        // A broken save: the kiosk keeps the last good schedule and shows a fault.
        try Data("Navn;Telefon\nOla;1\n".utf8).write(to: URL(fileURLWithPath: k.schedule))
        #expect(await eventually { ((await k.door())?["faults"] as? [String]) == ["schedule"] })
        #expect(((await k.door())?["upcoming"] as? [[String: Any]])?.count == 3)
        #expect(await k.server.terminate() == 0)
    }

    @Test("the share gone: check-ins go on, into the journal; back: they reach the file; a restart keeps them")
    func shareGone() async throws {
        let k = try await RunningKiosk.start(rows: [(5, 20, "A"), (10, 20, "B")])
        #expect(await k.server.ready())
        let away = k.dir.url.path + "/away"
        try FileManager.default.moveItem(atPath: k.share, toPath: away)
        #expect(
            await eventually { ((await k.door())?["faults"] as? [String]) == ["schedule"] },
            "the door says the schedule is gone")
        let press = await http("POST", port: k.port, "/api/checkin")
        #expect(
            press?.body.contains("\"result\":\"checked-in\"") == true, "check-in goes on from the last good schedule")
        try FileManager.default.moveItem(atPath: away, toPath: k.share)
        #expect(await eventually { k.file.contains(";waiting;") }, "written once the share is back: \(k.file)")
        // Killed, and started again: the check-in is still there (journal and file).
        kill(k.server.process.processIdentifier, SIGKILL)
        k.server.process.waitUntilExit()
        let again = try Server(["run", "--config", k.dir.url.path + "/samtale.json"], port: k.port)
        #expect(await again.ready())
        #expect(await eventually { ((await k.door())?["waitingCount"] as? Int) == 1 })
        #expect(await again.terminate() == 0)
    }
}
