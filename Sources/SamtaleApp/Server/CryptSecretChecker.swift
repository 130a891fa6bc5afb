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
