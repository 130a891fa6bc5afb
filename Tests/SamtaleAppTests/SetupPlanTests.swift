import Foundation
import SamtaleApp
import SamtaleTestSupport
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
