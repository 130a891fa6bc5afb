import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleHardware
import SamtaleSchedule
import SamtaleWeb

#if canImport(Glibc)
    import Glibc
#endif

extension SamtaleCommand {
    /// `samtale setup`: the first ten minutes on a new board (see the README).
    struct Setup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Set up this board: write the configuration, check the schedule and the wiring, start the service.",
            discussion: """
                Tells the board (Raspberry Pi 4, 5 or another), lists its GPIO chips, asks for the room, its \
                name, the language and the schedule file's path (or takes them as options), writes the \
                configuration from the board's profile, checks the schedule file and the wiring, and starts \
                samtale.service. Without a terminal (or with --yes) it asks nothing: --room and --schedule are \
                then needed unless the configuration already has them. An existing configuration is updated \
                with the answers given and keeps every other edit; --force or --profile writes it anew from \
                the profile (the old one kept as FILE.bak). Exit status: 0 set up (warnings allowed), 1 a step failed \
                (with --strict also: the schedule file not reachable or not usable, the profile's GPIO chip \
                missing or its test failed), 2 a wrong or missing option.
                """)

        @Option(help: "The room this kiosk serves, as the schedule file names it (e.g. 204).") var room: String?
        @Option(help: "How the door names the room (e.g. \"Rom 204\"; default: the room).") var roomName: String?
        @Option(help: "The door's language: nb, da or en (default nb).") var language: Language?
        @Option(help: "The schedule file on the school's share (e.g. /mnt/skole/samtaler.csv).") var schedule: String?
        @Option(help: "The kiosk's name in the schedule file and on the share (default: from the room, rom204).")
        var kioskName: String?
        @Option(
            help:
                "The school's time zone (default: Europe/Oslo for nb, Europe/Copenhagen for da, the system's for en).")
        var timeZone: String?
        @Option(
            help:
                "The board profile: raspberry-pi-4, raspberry-pi-5 or generic (default: from the board). Given, the configuration is written anew from it."
        )
        var profile: String?
        @Option(help: "The configuration file to write.") var config = "/etc/samtale/samtale.json"
        @Option(
            help:
                "Where the board profiles are (default: /usr/share/samtale/profiles, or Board/profiles beside a checkout)."
        )
        var profilesDir: String?
        @Option(help: "The GPIO chip's label (samtale gpio list shows them), for a board without a profile.")
        var chip: String?
        @Option(help: "The check-in button's line name or offset.") var buttonLine: String?
        @Option(help: "The teacher's button's line.") var teacherButtonLine: String?
        @Option(help: "A single lamp's line (the light is then one lamp).") var lightLine: String?
        @Option(help: "A red–amber–green tower's red line.") var redLine: String?
        @Option(help: "The tower's amber line.") var amberLine: String?
        @Option(help: "The tower's green line.") var greenLine: String?
        @Option(help: "The teacher's lamp's line.") var teacherLightLine: String?
        @Flag(help: "No GPIO: check-in by the touch screen only.") var noGPIO = false
        @Flag(help: "Write the configuration anew from the profile (the old one is kept as FILE.bak).") var force =
            false
        @Flag(help: "Do not start (or restart) samtale.service.") var noStart = false
        @Flag(name: [.customShort("y"), .long], help: "Ask nothing: take the options and the defaults.") var yes = false
        @Flag(help: "Fail on warnings too: a schedule file not reachable or not usable, the GPIO chip missing.")
        var strict = false
        @Option(help: "Seconds each light state is shown in the wiring test.") var gpioStep = 0.3
        @Option(help: .hidden) var deviceTreeModel: String?

        func run() async throws {
            let interactive = !yes && isatty(0) != 0
            var failed = false
            func warn(_ s: String) {
                print("  warning: \(s)")
                if strict { failed = true }
            }

            // 1. The board and its GPIO chips.
            let modelPath =
                deviceTreeModel ?? ProcessInfo.processInfo.environment["SAMTALE_DEVICE_TREE_MODEL"]
                ?? "/proc/device-tree/model"
            let model = (try? String(contentsOfFile: modelPath, encoding: .utf8)).map(SetupPlan.cleanModel)
            let board = SetupPlan.Board(deviceTreeModel: model)
            print("board: \(model ?? "unknown (no \(modelPath))") → profile \(board.profile)")
            let chips = GPIOChip.all()
            if chips.isEmpty {
                print("GPIO chips: none found (no /dev/gpiochip*, or no permission to open them)")
            } else {
                print(
                    "GPIO chips: "
                        + chips.map { "\($0.label) (\($0.name), \($0.lineCount) lines)" }.joined(separator: ", "))
            }

            // 2. The base: the configuration already there, or the board's profile.
            let profileName = profile ?? board.profile
            guard SetupPlan.profiles.contains(profileName) else {
                try usage("--profile \(profileName) is not one of \(SetupPlan.profiles.joined(separator: ", "))")
            }
            let existing = FileManager.default.fileExists(atPath: config)
            var base: ConfigJSON
            var fromProfile = true
            if existing && !force && profile == nil {
                do {
                    let (document, _) = try ConfigurationError.read(path: config)
                    if document.placeholders(under: []).isEmpty {
                        base = document
                        fromProfile = false
                    } else {
                        // The packaged example, with its CHANGE-ME placeholders: not a configuration yet.
                        print("configuration: \(config) still holds CHANGE-ME placeholders (the example)")
                        base = try loadProfile(profileName)
                    }
                } catch {
                    print("Error: \(error)")
                    print(
                        "fix it, or run samtale setup --force to write it anew from the profile (the old one is kept)")
                    throw ExitCode(1)
                }
            } else {
                base = try loadProfile(profileName)
            }
            print(
                fromProfile
                    ? "configuration: \(config) from the \(profileName) profile\(existing ? " (the existing one kept as \(config).bak)" : "")"
                    : "configuration: \(config) exists: updating it with the answers given (--force writes it anew)")

            // 3. The answers: options, then questions on a terminal.
            var a = SetupPlan.Answers()
            a.room = room
            a.roomName = roomName
            a.language = language
            a.schedule = schedule
            a.kioskName = kioskName
            a.timeZone = timeZone
            a.chip = chip
            a.buttonLine = buttonLine
            a.teacherButtonLine = teacherButtonLine
            a.lightLine = lightLine
            a.redLine = redLine
            a.amberLine = amberLine
            a.greenLine = greenLine
            a.teacherLightLine = teacherLightLine
            a.noGPIO = noGPIO
            if let tz = timeZone, TimeZone(identifier: tz) == nil {
                try usage("--time-zone \"\(tz)\" is not a time zone (e.g. Europe/Oslo)")
            }
            if let r = room, r.trimmingSpaces.isEmpty { try usage("--room is empty") }
            func current(_ path: [String]) -> String? {
                if case .string(let s)? = base.node(at: path)?.value, !s.hasPrefix("CHANGE-ME"), !fromProfile {
                    return s
                }
                return nil
            }
            if interactive {
                defer { print("") }
                a.room = a.room ?? ask("Room (as the schedule file names it)", current(["kiosk", "room"]))
                a.roomName =
                    a.roomName ?? ask("The room's name on the door (empty: the room)", current(["kiosk", "roomName"]))
                if a.language == nil, let l = ask("Language (nb, da, en)", current(["kiosk", "language"]) ?? "nb") {
                    guard let lang = Language(rawValue: l) else { try usage("\"\(l)\" is not one of nb, da, en") }
                    a.language = lang
                }
                a.schedule = a.schedule ?? ask("The schedule file on the share", current(["schedule", "path"]))
            }
            if a.language == nil && fromProfile { a.language = .nb }
            // A profile's room and schedule are examples, never answers.
            if fromProfile {
                for (value, option) in [(a.room, "--room"), (a.schedule, "--schedule")] where value == nil {
                    try usage(
                        "\(option) is needed: \(interactive ? "no answer was given" : "there is no terminal to ask on (or --yes was given), so give it as an option")"
                    )
                }
            }
            let outcome = SetupPlan.configuration(base: base, answers: a, systemTimeZone: TimeZone.current.identifier)
            let options = ["kiosk.room": "--room", "schedule.path": "--schedule"]
            if let key = outcome.missing.first {
                let option = options[key].map { " (\($0))" } ?? ""
                try usage(
                    "\(key)\(option) is needed: \(interactive ? "no answer was given" : "there is no terminal to ask on (or --yes was given), so give it as an option")"
                )
            }
            if noGPIO { print("  no GPIO (--no-gpio): check-in by the touch screen only") }
            for n in outcome.notes { warn(n) }

            // 4. Write it: checked first, then atomically, mode 0640, group samtale.
            let text = outcome.document.rendered()
            let old = existing ? FileManager.default.contents(atPath: config) : nil
            if old == Data(text.utf8) {
                print("  unchanged")
            } else {
                do {
                    if existing && fromProfile, let old {
                        try ConfigWriter.write(path: config + ".bak", data: old)
                    }
                    try await ConfigWriter.writeChecked(path: config, text: text)
                    print("  written (\(ConfigWriter.ownership(config)))")
                } catch {
                    print("Error: \(error)")
                    throw ExitCode(1)
                }
            }

            // 5. The check: the configuration, and the schedule file it names.
            print("check:")
            let report = await ConfigCheck.run(path: config)
            for line in report.text() { print("  \(line)") }
            if !report.valid { throw ExitCode(1) }
            if let s = report.schedule, !s.reachable || !s.usable { if strict { failed = true } }
            let configured = report.configuration

            // 6. The wiring test (the service holds the lines: stopped first when it runs).
            let systemctl = Systemctl.find()
            if let gpio = configured?.gpio {
                print("GPIO test:")
                if let systemctl, !noStart, systemctl.run(["is-active", "--quiet", "samtale.service"]).status == 0 {
                    _ = systemctl.run(["stop", "samtale.service"])
                    print("  stopped samtale.service for the test")
                }
                if !chips.contains(where: { $0.label == gpio.chip || $0.name == gpio.chip || $0.path == gpio.chip }) {
                    let list =
                        chips.isEmpty ? "this machine has none" : "here: \(chips.map(\.label).joined(separator: ", "))"
                    warn(
                        "no GPIO chip \"\(gpio.chip)\" on this machine (\(list)): the test is skipped, and the kiosk shows a GPIO fault until the chip is there (a board without it: --chip and the line options, or --no-gpio)"
                    )
                } else {
                    do {
                        try await GPIO.Test.wiringTest(gpio, step: gpioStep, listen: interactive ? 5 : 0, indent: "  ")
                        print("  the lines work")
                    } catch {
                        warn("the wiring test failed: \(error)")
                    }
                }
            } else {
                print("GPIO test: none (no gpio section)")
            }

            // 7. The service.
            let door = report.kiosk?.doorURL ?? "http://127.0.0.1:8080/"
            if noStart {
                print("service: not started (--no-start): systemctl enable --now samtale.service")
            } else if let systemctl {
                let steps = [["enable", "samtale.service"], ["restart", "samtale.service"]]
                for step in steps {
                    let r = systemctl.run(step)
                    if r.status != 0 {
                        print(
                            "Error: systemctl \(step.joined(separator: " ")) failed (\(r.status)): \(r.output.trimmingSpaces)"
                        )
                        print("see: journalctl -u samtale --no-pager -n 50")
                        throw ExitCode(1)
                    }
                }
                print("service: samtale.service enabled and (re)started")
            } else {
                print(
                    "service: not started: no systemd here (a container?); run it yourself: samtale run --config \(config)"
                )
            }

            print(
                """
                done. Next:
                  the door page: \(door) (the kiosk's screen shows it)
                  the log:       journalctl -u samtale -f
                  check again:   samtale check --config \(config)
                  wiring test:   systemctl stop samtale; samtale gpio test; systemctl start samtale
                """)
            if failed { throw ExitCode(1) }
        }

        /// A wrong or missing option: said on standard error, exit 2 (no usage text: the message names the option).
        func usage(_ message: String) throws -> Never {
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            throw ExitCode(2)
        }

        /// Asks on the terminal; the default is taken on an empty answer; nil at the end of input.
        func ask(_ question: String, _ fallback: String?) -> String? {
            print("\(question)\(fallback.map { " [\($0)]" } ?? ""): ", terminator: "")
            guard let line = readLine() else { return fallback }
            let answer = line.trimmingSpaces
            if answer.isEmpty { return fallback }
            return answer
        }

        func profileDirectories() -> [String] {
            if let profilesDir { return [profilesDir] }
            var dirs = ["/usr/share/samtale/profiles"]
            // From a checkout: Board/profiles above the binary (.build/debug/samtale) or here.
            var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                .deletingLastPathComponent()
            for _ in 0..<5 {
                dirs.append(dir.appendingPathComponent("Board/profiles").path)
                dir = dir.deletingLastPathComponent()
            }
            dirs.append(FileManager.default.currentDirectoryPath + "/Board/profiles")
            return dirs
        }

        func loadProfile(_ name: String) throws -> ConfigJSON {
            let dirs = profileDirectories()
            guard let dir = dirs.first(where: { FileManager.default.fileExists(atPath: "\($0)/\(name).json") }) else {
                try usage("no board profile \(name).json in \(dirs.first ?? "") (give --profiles-dir)")
            }
            let path = "\(dir)/\(name).json"
            guard let data = FileManager.default.contents(atPath: path) else { try usage("\(path) cannot be read") }
            do {
                return try ConfigJSON(parsing: Array(data))
            } catch {
                FileHandle.standardError.write(Data("Error: \(path):\(error.position): \(error.message)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
