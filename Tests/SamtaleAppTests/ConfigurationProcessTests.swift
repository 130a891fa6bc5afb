import Foundation
import SamtaleApp
import SamtaleTestSupport
import Testing

@Suite("configuration errors as a person sees them: the real binary's output")
struct ConfigurationProcessTests {
    @Test("samtale run on a broken file: Error: FILE:LINE:COLUMN, no usage text, exit 1")
    func runSyntax() async throws {
        let dir = try TempDir()
        let bad = try dir.file(
            "bad.json", "{\n  \"kiosk\": {\"room\": \"204\"}\n  \"schedule\": {\"path\": \"/x.csv\"}\n}\n")
        let r = try await samtale(["run", "--config", bad])
        #expect(r.status == 1)
        #expect(
            r.stderr
                == "Error: \(bad):3:3: not valid JSON: a missing comma: expected ',' between the value of \"kiosk\" and the next key\n"
        )
        #expect(!r.stderr.contains("Usage") && !r.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test("a wrong value: its key path and position; a typo: named; the same for check and gpio test")
    func values() async throws {
        let dir = try TempDir()
        let bad = try dir.file(
            "bad.json",
            """
            {"kiosk": {"room": "204", "language": "se"},
             "scheduel": {"path": "/x.csv"},
             "gpio": {"chip": "c", "button": {"line": "B", "bounceMs": "30"}, "light": {"line": "L"}}}
            """)
        let r = try await samtale(["run", "--config", bad])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "Error: \(bad):1:39: kiosk.language: \"se\" is not one of nb, da, en")
        #expect(
            lines.contains("\(bad):3:60: gpio.button.bounceMs: expected a whole number, found \"30\" (in quotes: text)")
        )
        #expect(
            lines.contains {
                $0.hasPrefix("\(bad): schedule.path: required") && $0.hasSuffix("(the file has \"scheduel\": a typo?)")
            })
        #expect(lines.last == "\(bad):2:2: warning: scheduel: unknown key, ignored (did you mean \"schedule\"?)")
        #expect(!r.stderr.contains("Usage"))
        let csv = try dir.file("s.csv", schedule)
        for command in [["gpio", "test", "--config", bad], ["check", "--config", bad, csv]] {
            let c = try await samtale(command)
            #expect(
                c.status == 1 && c.stderr.hasPrefix("Error: \(bad):1:39: kiosk.language")
                    && !c.stderr.contains("Usage"), "\(command)")
        }
        // A value the schema lets through but the reading refuses is located too.
        let tower = try dir.file(
            "tower.json",
            #"{"kiosk": {"room": "1"}, "schedule": {"path": "/x"}, "gpio": {"chip": "c", "button": {"line": "B"},"#
                + "\n"
                + #" "light": {"kind": "tower", "lines": {"red": "R"}}}}"#)
        let t = try await samtale(["run", "--config", tower])
        #expect(t.stderr == "Error: \(tower):2:29: gpio.light.lines: a tower light needs lines for amber, green\n")
        let missing = try await samtale(["run", "--config", dir.url.path + "/nope.json"])
        #expect(missing.status == 1 && missing.stderr.contains("nope.json: the configuration file does not exist"))
    }

    @Test("samtale check --config alone: what it found, warnings, exit 0; the schedule checked when reachable")
    func checkConfig() async throws {
        let dir = try TempDir()
        let unreachable = try dir.file(
            "a.json",
            """
            {"kiosk": {"name": "rom204", "room": "204", "roomName": "Rom 204", "language": "da"},
             "schedule": {"path": "/nonexistent-share/samtaler.csv"}, "scheduel": 1,
             "gpio": {"chip": "samtale-sim", "button": {"line": "BUTTON"}, "light": {"kind": "tower", "lines": {"red": "RED", "amber": "AMBER", "green": "GREEN"}}}}
            """)
        let r = try await samtale(["check", "--config", unreachable])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("\(unreachable): kiosk rom204 for room 204 (\"Rom 204\")"))
        #expect(r.stdout.contains("language: da"))
        #expect(
            r.stdout.contains("GPIO: chip samtale-sim; button BUTTON; light (tower) amber=AMBER, green=GREEN, red=RED"))
        #expect(
            r.stdout.contains(
                "warning: schedule.path: the schedule file /nonexistent-share/samtaler.csv cannot be reached"))
        #expect(r.stdout.contains("is the share mounted?"))
        #expect(r.stdout.contains("\(unreachable):2:59: warning: scheduel: unknown key"))

        let csv = try dir.file("s.csv", schedule)
        let good = try dir.file(
            "b.json",
            #"{"kiosk": {"room": "204"}, "schedule": {"path": "\#(csv)"}, "school": {"timeZone": "Europe/Oslo"}}"#)
        let j = try await samtale(["check", "--config", good, "--json"])
        #expect(j.status == 0)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(o["valid"] as? Bool == true)
        let s = try #require(o["schedule"] as? [String: Any])
        #expect(s["reachable"] as? Bool == true && s["conferences"] as? Int == 4 && s["roomConferences"] as? Int == 2)
        #expect((o["kiosk"] as? [String: Any])?["timeZone"] as? String == "Europe/Oslo")
        for n in names { #expect(!j.stdout.contains(n)) }

        let broken = try dir.file(
            "c.json", #"{"kiosk": {"room": "204"}, "schedule": {"path": "\#(csv)"}, "http": {"port": "80"}}"#)
        let b = try await samtale(["check", "--config", broken, "--json"])
        #expect(b.status == 1)
        let bo = try #require(try JSONSerialization.jsonObject(with: Data(b.stdout.utf8)) as? [String: Any])
        let p = try #require((bo["problems"] as? [[String: Any]])?.first)
        #expect(p["key"] as? String == "http.port" && p["line"] as? Int == 1 && p["column"] as? Int == 71 + csv.count)

        // Neither a file nor --config: check's own usage, not the top level's.
        let none = try await samtale(["check"])
        #expect(
            none.status == 64 && none.stderr.contains("Usage: samtale check") && !none.stderr.contains("<subcommand>"))
    }
}
