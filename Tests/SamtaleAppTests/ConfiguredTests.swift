import Foundation
import SamtaleTestSupport
import Testing

/// `samtale check --config FILE --configured`: what samtale.service's ExecCondition= and the
/// package's postinst ask before starting the kiosk.
@Suite("Configured enough to start")
struct ConfiguredTests {
    @Test("the package's fresh configuration is not configured: exit 1, naming the keys and samtale setup")
    func packagedConffile() async throws {
        let path = repositoryRoot.appendingPathComponent("Board/package/samtale.json").path
        let run = try await samtale(["check", "--config", path, "--configured"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("kiosk.room"))
        #expect(run.stderr.contains("schedule.path"))
        #expect(run.stderr.contains("samtale setup"))
        #expect(run.stdout.isEmpty)
    }

    @Test("the example configuration (a room and a schedule) is configured: exit 0, silent")
    func example() async throws {
        let path = repositoryRoot.appendingPathComponent("Systemd/samtale.json.example").path
        let run = try await samtale(["check", "--config", path, "--configured"])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty && run.stderr.isEmpty)
    }

    @Test(
        "an empty room or a missing schedule is not configured",
        arguments: [
            (#"{"kiosk":{"room":"  "},"schedule":{"path":"/srv/s.csv"}}"#, "kiosk.room"),
            (#"{"kiosk":{"room":"204"}}"#, "schedule.path"),
            (#"{"kiosk":{"room":"204"},"schedule":{"path":""}}"#, "schedule.path"),
        ])
    func missing(text: String, key: String) async throws {
        let dir = try TempDir()
        let run = try await samtale(["check", "--config", try dir.file("c.json", text), "--configured"])
        #expect(run.status == 1)
        #expect(run.stderr.contains(key))
    }

    @Test("a broken file passes, so that samtale run is the one to say what is wrong with it")
    func broken() async throws {
        let dir = try TempDir()
        let path = try dir.file("c.json", #"{"kiosk": {"room": "204",}"#)
        let run = try await samtale(["check", "--config", path, "--configured"])
        #expect(run.status == 0)
        let check = try await samtale(["check", "--config", path])
        #expect(check.status != 0)
    }

    @Test("--configured goes with --config alone")
    func misuse() async throws {
        let run = try await samtale(["check", "x.csv", "--configured"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--configured goes with --config FILE alone"))
    }
}
