import Foundation
import SamtaleApp
import SamtaleWeb
import Testing

@Suite("samtale setup: the plan")
struct SetupPlanTests {
    @Test("the board from /proc/device-tree/model")
    func board() {
        #expect(SetupPlan.Board(deviceTreeModel: "Raspberry Pi 5 Model B Rev 1.0") == .raspberryPi5)
        #expect(SetupPlan.Board(deviceTreeModel: "Raspberry Pi 4 Model B Rev 1.5") == .raspberryPi4)
        #expect(SetupPlan.Board(deviceTreeModel: "Raspberry Pi Compute Module 4 Rev 1.0") == .raspberryPi4)
        #expect(SetupPlan.Board(deviceTreeModel: "Raspberry Pi 3 Model B Plus Rev 1.3") == .unknown)
        #expect(SetupPlan.Board(deviceTreeModel: nil).profile == "generic")
        #expect(SetupPlan.cleanModel("Raspberry Pi 5 Model B Rev 1.0\0") == "Raspberry Pi 5 Model B Rev 1.0")
        #expect(SetupPlan.kioskName(room: "A104") == "roma104")
        #expect(SetupPlan.timeZone(language: .da, system: "UTC") == "Europe/Copenhagen")
        #expect(SetupPlan.timeZone(language: .en, system: "Europe/London") == "Europe/London")
    }

    @Test("an existing configuration keeps its other edits; a new room drops the old room's name")
    func update() throws {
        let existing = try ConfigJSON(
            parsing: Array(
                #"{"kiosk": {"name": "rom204", "room": "204", "roomName": "Rom 204", "language": "nb"}, "schedule": {"path": "/a.csv"}, "display": {"identify": "code"}, "_comment": "ours"}"#
                    .utf8))
        var a = SetupPlan.Answers()
        a.room = "301"
        a.language = .da
        let o = SetupPlan.configuration(base: existing, answers: a, systemTimeZone: "UTC")
        let d = o.document
        #expect(d.node(at: ["kiosk", "room"])?.value == .string("301"))
        #expect(d.node(at: ["kiosk", "name"])?.value == .string("rom301"))
        #expect(d.node(at: ["kiosk", "roomName"]) == nil)
        #expect(d.node(at: ["school", "timeZone"])?.value == .string("Europe/Copenhagen"))
        #expect(d.node(at: ["display", "identify"])?.value == .string("code"))
        #expect(d.node(at: ["_comment"])?.value == .string("ours"))
        #expect(o.missing.isEmpty)
        // The same room again changes nothing.
        var same = SetupPlan.Answers()
        same.room = "204"
        #expect(SetupPlan.configuration(base: existing, answers: same, systemTimeZone: "UTC").document == existing)
    }

    @Test("the generic profile: placeholders dropped without GPIO answers, a tower from the line options")
    func generic() throws {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Board/profiles/generic.json"))
        let profile = try ConfigJSON(parsing: Array(data))
        var a = SetupPlan.Answers()
        a.room = "204"
        a.schedule = "/srv/s.csv"
        let bare = SetupPlan.configuration(base: profile, answers: a, systemTimeZone: "UTC")
        #expect(bare.document.node(at: ["gpio"]) == nil)
        #expect(bare.notes.first?.contains("gpio.chip, gpio.button.line, gpio.light.line") == true)
        #expect(bare.missing.isEmpty)
        a.chip = "samtale-sim"
        a.buttonLine = "BUTTON"
        a.redLine = "RED"
        a.amberLine = "AMBER"
        a.greenLine = "GREEN"
        a.teacherLightLine = "TEACHER_LIGHT"
        let wired = SetupPlan.configuration(base: profile, answers: a, systemTimeZone: "UTC").document
        #expect(wired.node(at: ["gpio", "light", "kind"])?.value == .string("tower"))
        #expect(wired.node(at: ["gpio", "light", "line"]) == nil)
        #expect(wired.node(at: ["gpio", "light", "patterns"]) == nil)  // the lamp's patterns do not fit a tower
        #expect(wired.node(at: ["gpio", "light", "lines", "amber"])?.value == .string("AMBER"))
        #expect(ConfigSchema.problems(in: try ConfigJSON(parsing: Array(wired.rendered().utf8))).isEmpty)
    }
}

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
        _ = try await b.setup(["--room", "204", "--schedule", b.csv, "--yes", "--no-start"])
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

@Suite("samtale setup on a terminal")
struct SetupInteractiveTests {
    @Test("it asks for what no option gave (under script(1), a real terminal), with the defaults in brackets")
    func asks() async throws {
        let dir = try TempDir()
        let csv = try dir.file("samtaler.csv", schedule)
        let config = dir.url.path + "/samtale.json"
        let command = [
            samtaleBinary.path, "setup", "--config", config, "--no-start", "--no-gpio", "--device-tree-model",
            dir.url.path + "/none", "--profiles-dir", repositoryRoot.appendingPathComponent("Board/profiles").path,
        ].map { "'\($0)'" }.joined(separator: " ")
        let result = await offPool { () -> (Int32, String) in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            p.arguments = ["-qec", command, "/dev/null"]
            let input = Pipe()
            let out = Pipe()
            p.standardInput = input
            p.standardOutput = out
            p.standardError = out
            do { try p.run() } catch { return (-1, "\(error)") }
            input.fileHandleForWriting.write(Data("B12\nRom B12\nda\n\(csv)\n".utf8))
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            try? input.fileHandleForWriting.close()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(result.0 == 0, "\(result.1)")
        #expect(result.1.contains("Room (as the schedule file names it): "))
        #expect(result.1.contains("Language (nb, da, en) [nb]: "))
        let text = (try? String(contentsOfFile: config, encoding: .utf8)) ?? ""
        #expect(text.contains(#""room": "B12""#) && text.contains(#""roomName": "Rom B12""#))
        #expect(text.contains(#""timeZone": "Europe/Copenhagen""#) && text.contains(csv))
        #expect(!text.contains("gpio"))
    }
}

@Suite("samtale setup over a packaged example")
struct SetupOverExampleTests {
    @Test("an explicit --profile writes from the profile over an existing configuration, keeping it as .bak")
    func profileOverExample() async throws {
        let dir = try TempDir()
        let config = dir.url.path + "/samtale.json"
        let example = try Data(contentsOf: repositoryRoot.appendingPathComponent("Systemd/samtale.json.example"))
        try example.write(to: URL(fileURLWithPath: config))
        let csv = try dir.file("samtaler.csv", schedule)
        let r = try await samtale([
            "setup", "--config", config, "--room", "204", "--schedule", csv, "--profile", "generic", "--yes",
            "--no-start", "--chip", "samtale-sim", "--button-line", "BUTTON", "--light-line", "LAMP",
            "--profiles-dir", repositoryRoot.appendingPathComponent("Board/profiles").path,
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let text = (try? String(contentsOfFile: config, encoding: .utf8)) ?? ""
        #expect(text.contains(#""chip": "samtale-sim""#) && !text.contains("pinctrl-bcm2711"))
        #expect(text.contains(#""line": "LAMP""#) && text.contains(#""waiting": "lamp:pulse""#))
        #expect(FileManager.default.contents(atPath: config + ".bak") == example)
    }
}
