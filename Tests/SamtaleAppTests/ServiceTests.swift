import Foundation
import Testing

/// `samtale run` on a schedule in a temporary "share", with the conferences placed around now.
struct RunningKiosk {
    let dir: TempDir
    let share: String
    let schedule: String
    let server: Server
    let port: Int

    static func start(
        rows: [(startOffsetMinutes: Int, minutes: Int, pupil: String)], environment: [String: String] = [:],
        roomName: String = "Room 204", extraConfig: String = "", httpExtra: String = "", guardian: String? = nil
    ) async throws -> RunningKiosk {
        let dir = try TempDir()
        let share = dir.url.path + "/share"
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        let schedule = share + "/samtaler.csv"
        try Data(csv(rows, guardian: guardian).utf8).write(to: URL(fileURLWithPath: schedule))
        let port = freePort()
        let config = """
            {"kiosk": {"name": "rom204", "room": "204", "language": "en", "roomName": "\(roomName)"},
             "schedule": {"path": "\(schedule)", "pollSeconds": 0.5},
             "state": {"directory": "\(dir.url.path)/state"},
             "school": {"timeZone": "UTC"},
             "http": {"host": "127.0.0.1", "port": \(port)\(httpExtra)},
             "clock": {"requireSync": false}\(extraConfig.isEmpty ? "" : ", " + extraConfig)}
            """
        let configPath = try dir.file("samtale.json", config)
        let server = try Server(["run", "--config", configPath], port: port, environment: environment)
        return RunningKiosk(dir: dir, share: share, schedule: schedule, server: server, port: port)
    }

    static func csv(_ rows: [(startOffsetMinutes: Int, minutes: Int, pupil: String)], guardian: String? = nil) -> String
    {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        let now = Date()
        // A length, not an end time: a conference placed around now may run past midnight.
        var text = guardian == nil ? "Dato;Fra;Varighet;Rom;Elev\n" : "Dato;Fra;Varighet;Rom;Elev;Foresatte\n"
        for r in rows {
            let s = now.addingTimeInterval(TimeInterval(r.startOffsetMinutes * 60))
            f.dateFormat = "dd.MM.yyyy"
            let day = f.string(from: s)
            f.dateFormat = "HH:mm"
            text += "\(day);\(f.string(from: s));\(r.minutes);204;\(r.pupil)\(guardian.map { ";" + $0 } ?? "")\n"
        }
        return text
    }

    func door() async -> [String: Any]? {
        guard let r = await http("GET", port: port, "/api/door") else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
    }

    var file: String { (try? String(contentsOfFile: schedule, encoding: .utf8)) ?? "" }
}

/// Polls until `condition` holds or the timeout passes; returns the seconds it took, or nil.
func within(_ seconds: Double, _ condition: () async -> Bool) async -> Double? {
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        if await condition() { return Date().timeIntervalSince(start) }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return nil
}

@Suite("samtale run with the shared file", .serialized)
struct ServiceTests {
    @Test("a check-in reaches the file; an office edit reaches the kiosk within 2 seconds")
    func roundTrip() async throws {
        let k = try await RunningKiosk.start(rows: [(5, 20, "Hemmelig Elev"), (30, 20, "Annen Elev")])
        #expect(await k.server.ready())
        let press = await http("POST", port: k.port, "/api/checkin")
        #expect(press?.body.contains("\"result\":\"checked-in\"") == true)
        #expect(await within(5) { k.file.contains(";waiting;") } != nil, "the check-in is written back: \(k.file)")
        // The office adds a conference now, saving by replace-and-rename.
        var text = k.file
        text += RunningKiosk.csv([(1, 10, "Ny Elev")]).components(separatedBy: "\n")[1] + "\n"
        let tmp = k.share + "/.office.tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
        rename(tmp, k.schedule)
        let seen = await within(2) {
            ((await k.door())?["upcoming"] as? [[String: Any]])?.count == 3
        }
        let shown = await k.door()
        #expect(seen != nil, "the office's new conference shows within 2 s: \(String(describing: shown)) \(k.file)")
        // A broken save: the kiosk keeps the last good schedule and shows a fault.
        try Data("Navn;Telefon\nOla;1\n".utf8).write(to: URL(fileURLWithPath: k.schedule))
        #expect(await within(3) { ((await k.door())?["faults"] as? [String]) == ["schedule"] } != nil)
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
            await within(3) { ((await k.door())?["faults"] as? [String]) == ["schedule"] } != nil,
            "the door says the schedule is gone")
        let press = await http("POST", port: k.port, "/api/checkin")
        #expect(
            press?.body.contains("\"result\":\"checked-in\"") == true, "check-in goes on from the last good schedule")
        try FileManager.default.moveItem(atPath: away, toPath: k.share)
        #expect(await within(6) { k.file.contains(";waiting;") } != nil, "written once the share is back: \(k.file)")
        // Killed, and started again: the check-in is still there (journal and file).
        kill(k.server.process.processIdentifier, SIGKILL)
        k.server.process.waitUntilExit()
        let again = try Server(["run", "--config", k.dir.url.path + "/samtale.json"], port: k.port)
        #expect(await again.ready())
        #expect(await within(3) { ((await k.door())?["waitingCount"] as? Int) == 1 } != nil)
        #expect(await again.terminate() == 0)
    }
}
