import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleSchedule

/// Options for commands that act as a kiosk on the shared file from the command line.
struct KioskFileOptions: ParsableArguments {
    @Option(help: "The schedule file (CSV).") var schedule: String
    @Option(help: "The name written in the kiosk column (and whose journal is used).") var kiosk = "office"
    @Option(help: "Where the journal is kept (default: $STATE_DIRECTORY, /var/lib/samtale or ~/.local/state/samtale).")
    var stateDir: String?
    @OptionGroup var zone: TimeZoneOption

    func sync(timeZone: TimeZone) throws -> StateSync {
        let dir = stateDir ?? (StateSync.defaultStateDirectory() + "/" + kiosk)
        let journal: StateJournal
        do {
            journal = try StateJournal(directory: dir)
        } catch {
            throw ValidationError("\(error)")
        }
        return StateSync(
            writer: ScheduleFileWriter(path: schedule, reader: zone.reader(timeZone)), journal: journal,
            kiosk: kiosk, time: SchoolTime(timeZone: timeZone))
    }
}
