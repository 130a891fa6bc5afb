import Foundation
import SamtaleTestSupport
import Testing

@Suite("samtale demo, end to end", .serialized)
struct DemoTests {
    @Test("the sample day: the door answers, a press is acknowledged live over SSE, SIGTERM stops it cleanly")
    func sampleDay() async throws {
        let port = freePort()
        let server = try Server(["demo", "--port", "\(port)", "--language", "en"], port: port)
        #expect(await server.ready(), "the demo serves the door page")
        let page = await http("GET", port: port, "/")
        #expect(page?.body.contains("<html lang=\"en\">") == true)
        let door = await http("GET", port: port, "/api/door")
        let json = try JSONSerialization.jsonObject(with: Data(door!.body.utf8)) as! [String: Any]
        #expect(json["room"] as? String == "204")
        #expect(["in-session", "ending-soon", "overrun", "waiting", "free"].contains(json["light"] as? String ?? ""))
        for name in ["Nordmann", "Hansen", "Johansen", "Foresatt"] { #expect(!door!.body.contains(name)) }

        // A listener on /events (its first view in hand) sees the press's acknowledgement.
        let listener = try #require(await EventListener.open(port: port), "no first view on /events")
        defer { listener.end() }
        #expect(listener.opening.contains("text/event-stream"))
        let press = await http("POST", port: port, "/api/demo/press")
        #expect(press?.status == 200)
        #expect(press?.body.contains("\"acknowledgement\":{") == true)
        let stream = await listener.next(until: { $0.contains("\"acknowledgement\":{") })
        #expect(stream.contains("\"acknowledgement\":{"), "the stream after the press: \(stream)")

        // Swift's tasks ran on NIO's event loops (`ProcessExecutor`): the log says so, and no
        // worker of libdispatch's global queues (a thread named ...-qos, whose first start also
        // starts libdispatch's one-second monitor) ever ran the press or the pages.
        #expect(server.log.contains("tasks=NIO's event loops"))
        let tasks = "/proc/\(server.process.processIdentifier)/task"
        let threads = try FileManager.default.contentsOfDirectory(atPath: tasks).map {
            (try? String(contentsOfFile: "\(tasks)/\($0)/comm", encoding: .utf8)) ?? ""
        }
        #expect(threads.contains { $0.hasPrefix("NIO-SGLTN") }, "threads: \(threads)")
        #expect(!threads.contains { $0.hasSuffix("-qos\n") }, "threads: \(threads)")
        #expect(await server.terminate() == 0, "SIGTERM shuts the demo down cleanly")
    }

    @Test("the demo on a schedule file, for one room, in Danish")
    func scheduleFile() async throws {
        let dir = try TempDir()
        let now = Date()
        let f = DateFormatter()
        f.timeZone = .current
        f.dateFormat = "dd.MM.yyyy"
        let h = DateFormatter()
        h.timeZone = .current
        h.dateFormat = "HH:mm"
        let start = now.addingTimeInterval(-300)
        // A length, not an end time: near midnight the end would fall on the next day.
        let csv =
            "dato;kl;minutter;lokale;elev\n\(f.string(from: start));\(h.string(from: start));20;B12;Hemmelig Elev\n"
        let path = try dir.file("s.csv", csv)
        let port = freePort()
        let server = try Server(
            ["demo", "--port", "\(port)", "--schedule", path, "--room", "B12", "--language", "da"], port: port)
        #expect(await server.ready(), "\(server.log)")
        #expect(await http("GET", port: port, "/")?.body.contains("<html lang=\"da\">") == true)
        let door = await http("GET", port: port, "/api/door")!.body
        #expect(door.contains("\"room\":\"B12\""))
        #expect(!door.contains("Hemmelig"))
        let press = await http("POST", port: port, "/api/demo/press")!.body
        #expect(press.contains("\"result\":\"checked-in\""))
        #expect(await server.terminate() == 0)
    }

    @Test("a demo asked for a room the file does not have says which rooms it has")
    func wrongRoom() async throws {
        let dir = try TempDir()
        let path = try dir.file("s.csv", "dato;kl;slut;lokale\n24.11.2026;14:00;14:20;B12\n")
        let r = try await samtale(["demo", "--schedule", path, "--room", "Z9"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("B12"))
    }
}
