import Foundation
import Logging
import SamtaleWeb

#if canImport(Glibc)
    import Glibc
#endif

/// The school's secret for the door's slot tokens: 32 random bytes (hex) in `.samtale/secret`
/// beside the schedule file on the share, created by the first kiosk that needs it (atomically:
/// written to a temporary file, then linked into place, so that two kiosks starting at once agree
/// on one), mode 0640 in a folder of mode 0750: readable by the kiosks' user and group only.
/// Every kiosk of the school then publishes the same token for a slot, and nobody without the
/// secret can tell which booking (or pupil) a token stands for.
enum SchoolSecret {
    /// The secret's file for a schedule (a file, or a folder of them).
    static func path(schedulePath: String, isFolder: Bool) -> String {
        let folder = isFolder ? schedulePath : (schedulePath as NSString).deletingLastPathComponent
        return ((folder.isEmpty ? "." : folder) as NSString).appendingPathComponent(".samtale/secret")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads the secret, creating it when there is none yet.
    static func loadOrCreate(at path: String) throws -> [UInt8] {
        if let existing = try read(path) { return existing }
        let folder = (path as NSString).deletingLastPathComponent
        if mkdir(folder, 0o750) != 0 && errno != EEXIST {
            throw Failure(description: "cannot create \(folder): \(String(cString: strerror(errno)))")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let text = bytes.map { String(format: "%02x", $0) }.joined() + "\n"
        let temporary = folder + "/.secret.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        try write(text, to: temporary)
        defer { unlink(temporary) }
        if link(temporary, path) != 0 {
            let linkError = errno
            if linkError != EEXIST {
                // A share without hard links: create the file itself, exclusively.
                try write(text, to: path)
            }
        }
        // Whoever won the race, its secret is the school's.
        for _ in 0..<20 {
            if let secret = try read(path) { return secret }
            usleep(50_000)
        }
        throw Failure(description: "\(path) holds no usable secret")
    }

    /// The secret in the file; nil when there is no file yet (or it is still being written).
    static func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < 65536 {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            data += buffer[0..<n]
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
            guard let byte = UInt8(text[index..<end], radix: 16) else {
                throw Failure(description: "\(path) is not a secret of hex digits")
            }
            bytes.append(byte)
            index = end
        }
        guard bytes.count >= 16 else { throw Failure(description: "\(path) holds fewer than 16 bytes") }
        return bytes
    }

    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The tokens of a kiosk: under the school's secret on the share, or, when the share cannot hold
    /// it, under a key of this process alone (logged: the kiosks then publish different tokens,
    /// and a restart changes them; nothing is lost, since only the door page sees them).
    static func tokens(schedulePath: String?, isFolder: Bool, logger: Logger) -> SlotTokens {
        guard let schedulePath else { return .random() }
        let file = path(schedulePath: schedulePath, isFolder: isFolder)
        do {
            return SlotTokens(secret: try loadOrCreate(at: file))
        } catch {
            logger.warning(
                "the school's secret cannot be kept on the share: this kiosk's slot tokens use a key of its own until it restarts",
                metadata: ["why": "\(error)"])
            return .random()
        }
    }
}
