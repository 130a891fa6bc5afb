import ArgumentParser
import CSamtaleLinux
import Foundation
import Logging
import NIOPosix
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb
import ServiceLifecycle

/// Secrets checked with libcrypt (yescrypt, as the system's own passwords), on NIO's blocking
/// thread pool so a sign-in never holds up the door page.
struct CryptSecretChecker: SecretChecker {
    func verify(_ secret: String, against hash: String) async -> Bool {
        let computed = try? await NIOThreadPool.singleton.runIfActive { Self.crypt(secret, setting: hash) }
        guard let computed = computed ?? nil else { return false }
        return constantTimeEquals(computed, hash)
    }

    static func crypt(_ secret: String, setting: String) -> String? {
        var out = [CChar](repeating: 0, count: 512)
        guard csamtale_crypt(secret, setting, &out, Int32(out.count)) == 0 else { return nil }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A new hash of a secret, with a fresh random salt.
    static func hash(_ secret: String) -> String? {
        var salt = [CChar](repeating: 0, count: 256)
        guard csamtale_gensalt(&salt, Int32(salt.count)) == 0 else { return nil }
        let setting = String(decoding: salt.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return crypt(secret, setting: setting)
    }

    /// Whether a configuration value looks like a hash this checker can verify (not a plain secret).
    static func isHash(_ value: String) -> Bool {
        value.hasPrefix("$") && value.split(separator: "$").count >= 3
    }
}

/// What the staff pages see of the kiosk: its room (teacher) and the whole school (caretaker).
struct StaffService: StaffBackend {
    let kiosk: Kiosk
    let configuration: KioskConfiguration
    let heartbeats: Heartbeats?

    var schoolTime: SchoolTime { kiosk.schoolTime }

    func teacher() async -> TeacherView { await kiosk.teacher() }

    func teacherUpdates() async -> AsyncStream<TeacherView?> { await kiosk.teacherUpdates() }

    func act(_ action: TeacherAction, id: String?, minutes: Int?) async -> String {
        await kiosk.act(action, id: id, minutes: minutes)
    }

    func caretaker() async -> CaretakerView {
        let school = await kiosk.school()
        let path = configuration.schedulePath
        let zone = configuration.timeZone
        let heartbeats = heartbeats
        let (beats, lock) = await ScheduleWatcher.offPool {
            (heartbeats?.read() ?? [], path.flatMap { SpreadsheetLock.find(for: $0, timeZone: zone) })
        }
        let now = Date()
        return CaretakerView.make(
            bookings: school.bookings, heartbeats: beats, timeZone: configuration.timeZone,
            rules: configuration.rules, at: now, scheduleReadAt: school.readAt, scheduleProblem: school.problem,
            openBy: lock.map { $0.describe(at: now, time: kiosk.schoolTime.timeString) })
    }
}

extension SamtaleCommand {
    struct HashSecret: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-secret",
            abstract: "Hash a teacher's PIN or a caretaker's token for the configuration file.",
            discussion: """
                Reads the secret from standard input (one line; not echoed on a terminal) and prints its \
                hash (yescrypt, as the system's own passwords). Put the hash in auth.teacherPins.ROOM or \
                auth.caretakerTokens; the configuration never holds the secret itself.
                """)

        func run() throws {
            if isatty(0) != 0 { FileHandle.standardError.write(Data("Secret (not shown): ".utf8)) }
            var term = termios()
            let interactive = isatty(0) != 0 && tcgetattr(0, &term) == 0
            if interactive {
                var quiet = term
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(0, TCSANOW, &quiet)
            }
            let line = readLine(strippingNewline: true)
            if interactive {
                tcsetattr(0, TCSANOW, &term)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            guard let secret = line, !secret.isEmpty else {
                throw ValidationError("no secret on standard input")
            }
            guard secret.utf8.count >= 4 else { throw ValidationError("a secret needs at least 4 characters") }
            guard let hash = CryptSecretChecker.hash(secret) else {
                throw ValidationError("libcrypt could not hash the secret")
            }
            print(hash)
        }
    }
}
