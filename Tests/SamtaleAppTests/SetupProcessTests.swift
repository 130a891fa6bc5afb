import Foundation
import SamtaleApp
import SamtaleTestSupport
import SamtaleWeb
import Testing

@Suite("samtale setup: the real binary with a fake systemctl")
struct SetupProcessTests {
    struct Board {
        let dir: TempDir
        let config: String
        let systemctl: String
        let log: String
        let model: String
        let csv: String
        init(model: String = "Raspberry Pi 5 Model B Rev 1.0\0", activeStatus: Int = 3) throws {
            dir = try TempDir()
            config = dir.url.path + "/etc/samtale/samtale.json"
            log = dir.url.path + "/systemctl.log"
            systemctl = try dir.file(
                "systemctl",
                "#!/bin/sh\necho \"$*\" >> \(log)\n[ \"$1\" = is-active ] && exit \(activeStatus)\nexit 0\n")
            chmod(systemctl, 0o755)
            self.model = try dir.file("model", model)
            csv = try dir.file("samtaler.csv", schedule)
        }
        var env: [String: String] { ["SAMTALE_SYSTEMCTL": systemctl] }
        var profiles: String { repositoryRoot.appendingPathComponent("Board/profiles").path }
        func calls() -> [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func configText() -> String { (try? String(contentsOfFile: config, encoding: .utf8)) ?? "" }
        func setup(_ extra: [String]) async throws -> Run {
            try await samtale(
                ["setup", "--config", config, "--profiles-dir", profiles, "--device-tree-model", model] + extra,
                environment: env)
        }
    }

    @Test(
        "a Raspberry Pi 5, non-interactive: the configuration written 0640, checked, the service enabled and restarted")
    func pi5() async throws {
        let b = try Board()
        let r = try await b.setup([
            "--room", "204", "--room-name", "Rom 204", "--language", "nb", "--schedule", b.csv, "--yes",
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("board: Raspberry Pi 5 Model B Rev 1.0 → profile raspberry-pi-5"))
        #expect(r.stdout.contains("GPIO chips: "))
        #expect(r.stdout.contains("schedule: \(b.csv): 4 conferences, 2 in this kiosk's room"))
        // No pinctrl-rp1 on the machine running the tests: said, and not fatal.
        #expect(r.stdout.contains("warning: no GPIO chip \"pinctrl-rp1\" on this machine"))
        #expect(
            b.calls() == ["is-active --quiet samtale.service", "enable samtale.service", "restart samtale.service"])
        let attributes = try FileManager.default.attributesOfItem(atPath: b.config)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        let check = try await samtale(["check", "--config", b.config, "--json"])
        #expect(check.status == 0)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let kiosk = try #require(o["kiosk"] as? [String: Any])
        #expect(kiosk["room"] as? String == "204" && kiosk["roomName"] as? String == "Rom 204")
        #expect(kiosk["name"] as? String == "rom204" && kiosk["timeZone"] as? String == "Europe/Oslo")
        #expect((o["gpio"] as? [String: Any])?["chip"] as? String == "pinctrl-rp1")
        for n in names { #expect(!r.stdout.contains(n)) }

        // --strict: the missing chip fails the setup; a running service is stopped for the test.
        let strict = try Board(activeStatus: 0)
        let s = try await strict.setup(["--room", "204", "--schedule", strict.csv, "--yes", "--strict"])
        #expect(s.status == 1)
        #expect(strict.calls().prefix(2) == ["is-active --quiet samtale.service", "stop samtale.service"])
    }

    @Test("the virtual board's command line: generic profile, the gpio-sim chip and its lines")
    func virtualBoard() async throws {
        let b = try Board(model: "")
        let r = try await b.setup([
            "--room", "204", "--room-name", "Rom 204", "--language", "nb", "--schedule", b.csv, "--profile", "generic",
            "--yes", "--chip", "samtale-sim", "--button-line", "BUTTON", "--teacher-button-line", "TEACHER_BUTTON",
            "--red-line", "RED", "--amber-line", "AMBER", "--green-line", "GREEN", "--teacher-light-line",
            "TEACHER_LIGHT", "--no-start",
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("→ profile generic"))
        #expect(
            r.stdout.contains(
                "GPIO: chip samtale-sim; button BUTTON; teacher button TEACHER_BUTTON; light (tower) amber=AMBER, green=GREEN, red=RED; teacher light TEACHER_LIGHT"
            ))
        #expect(b.calls().isEmpty)  // --no-start
        #expect(r.stdout.contains("service: not started (--no-start)"))
    }

    @Test("missing answers without a terminal: exit 2 naming the option, nothing written, never waiting on stdin")
    func missing() async throws {
        let b = try Board()
        let r = try await b.setup(["--room", "204"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Error: --schedule is needed: there is no terminal to ask on"))
        #expect(!FileManager.default.fileExists(atPath: b.config))
        let bad = try await b.setup(["--room", "204", "--schedule", b.csv, "--time-zone", "Mars/Olympus", "--yes"])
        #expect(bad.status == 2 && bad.stderr.contains("--time-zone \"Mars/Olympus\" is not a time zone"))
        let profile = try await b.setup(["--room", "204", "--schedule", b.csv, "--profile", "pi9", "--yes"])
        #expect(profile.status == 2 && profile.stderr.contains("--profile pi9 is not one of"))
        #expect(b.calls().isEmpty)
    }

    @Test("run again: the existing configuration updated with the answers, the IT person's edits kept; --force anew")
    func again() async throws {
        let b = try Board()
        let first = try await b.setup(["--room", "204", "--schedule", b.csv, "--yes", "--no-start"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let edited = b.configText().replacingOccurrences(of: #""identify": "none""#, with: #""identify": "code""#)
        try Data(edited.utf8).write(to: URL(fileURLWithPath: b.config))
        let r = try await b.setup(["--room", "B12", "--yes", "--no-start"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("exists: updating it"))
        let text = b.configText()
        #expect(
            text.contains(#""identify": "code""#) && text.contains(#""room": "B12""#)
                && text.contains(#""name": "romb12""#))
        #expect(text.contains(b.csv))
        // Nothing new: unchanged.
        let same = try await b.setup(["--yes", "--no-start"])
        #expect(same.status == 0 && same.stdout.contains("unchanged"))
        // --force: from the profile again, the old one kept beside it.
        let f = try await b.setup(["--room", "204", "--schedule", b.csv, "--yes", "--no-start", "--force"])
        #expect(f.status == 0)
        #expect(b.configText().contains(#""identify": "none""#))
        #expect((try? String(contentsOfFile: b.config + ".bak", encoding: .utf8))?.contains("romb12") == true)
        // A broken configuration is not overwritten without --force.
        try Data("{\"kiosk\": {".utf8).write(to: URL(fileURLWithPath: b.config))
        let broken = try await b.setup(["--room", "204", "--schedule", b.csv, "--yes", "--no-start"])
        #expect(broken.status == 1 && broken.stdout.contains("not valid JSON") && broken.stdout.contains("--force"))
    }
}
