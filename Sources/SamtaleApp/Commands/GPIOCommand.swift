import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleHardware

extension SamtaleCommand {
    struct GPIO: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gpio",
            abstract: "Look at the GPIO chips and lines, and test the wiring.",
            subcommands: [List.self, Test.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List every GPIO chip and its lines, like gpioinfo: name, direction, bias, and who holds it.")

            func run() throws {
                let chips = GPIOChip.all()
                if chips.isEmpty {
                    print("no GPIO chips found (or no permission to open /dev/gpiochip*)")
                    throw ExitCode(1)
                }
                print("libgpiod API \(GPIOChip.apiVersion)")
                for chip in chips {
                    print("\(chip.name) [\(chip.label)] \(chip.path) (\(chip.lineCount) lines)")
                    for l in chip.lines {
                        let name = l.name.isEmpty ? "unnamed" : "\"\(l.name)\""
                        let used = l.used ? "\"\(l.consumer.isEmpty ? "kernel" : l.consumer)\"" : "unused"
                        let flags = [
                            l.isOutput ? "output" : "input", l.activeLow ? "active-low" : nil,
                            l.bias == .asIs ? nil : l.bias.rawValue,
                        ]
                        .compactMap { $0 }.joined(separator: " ")
                        print(
                            "\tline \(String(format: "%3d", l.offset)): \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(used.padding(toLength: 24, withPad: " ", startingAt: 0)) \(flags)"
                        )
                    }
                }
            }
        }

        struct Test: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "The wiring test: reports button edges as they happen and steps each light through its patterns.",
                discussion:
                    "Uses the gpio section of the configuration. Stop the samtale service first: it holds the lines.")

            @Option(help: "The configuration file (JSON).") var config = "/etc/samtale/samtale.json"
            @Option(help: "Seconds each light state is shown.") var step = 2.0
            @Option(help: "Seconds to keep reporting button presses after the light test.") var listen = 10.0

            func run() async throws {
                let configuration = try await KioskConfiguration.load(path: config)
                guard let gpio = configuration.gpio else { throw ValidationError("\(config) has no gpio section") }
                do {
                    try await Self.wiringTest(gpio, step: step, listen: listen)
                } catch {
                    print("error: \(error)")
                    throw ExitCode(1)
                }
            }

            /// Acquires the lines, steps each light through its patterns (`step` seconds each),
            /// reports button edges for `listen` seconds more, and releases the lines.
            static func wiringTest(_ gpio: GPIOConfiguration, step: Double, listen: Double, indent: String = "")
                async throws
            {
                let hw = try GPIOBoard.acquire(gpio)
                print(
                    "\(indent)acquired \(gpio.chip): button \(gpio.button.line), light \(gpio.light.kind.rawValue) on \(gpio.light.lines.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: ", "))"
                )
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await e in hw.button.events { print("\(indent)button: \(e)") }
                    }
                    if let tb = hw.teacherButton {
                        group.addTask { for await e in tb.events { print("\(indent)teacher button: \(e)") } }
                    }
                    for state in LightState.allCases {
                        print("\(indent)light: \(state.rawValue) → \(hw.light.pattern(for: state))")
                        await hw.light.show(state)
                        try? await Task.sleep(for: .milliseconds(Int(step * 1000)))
                    }
                    print("\(indent)light: acknowledgement flash")
                    await hw.light.acknowledge(edge: nil)
                    if listen > 0 {
                        print("\(indent)press the button(s) now: listening for \(Int(listen)) s")
                        try? await Task.sleep(for: .milliseconds(Int(listen * 1000)))
                    }
                    hw.close()
                    group.cancelAll()
                }
            }
        }
    }
}
