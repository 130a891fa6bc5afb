import ArgumentParser
import CSamtaleLinux
import Foundation
import Logging
import NIOPosix
import SamtaleCore
import SamtaleSchedule
import SamtaleWeb
import ServiceLifecycle

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
