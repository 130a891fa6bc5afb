import Foundation
import Logging
import SamtaleCore
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Every kiosk's health on the school's share, for the caretaker's page: one small JSON file per
/// kiosk in `.samtale/kiosks/` beside the schedule file, rewritten (atomically) every `interval`.
struct Heartbeats: Sendable {
    let folder: String
    /// The share's folder itself: never created here (an unmounted share must stay absent, not
    /// be replaced by a local folder at its mount point).
    let share: String

    /// The folder for a schedule file (or a folder of them).
    init(schedulePath: String, isFolder: Bool) {
        let base = isFolder ? schedulePath : (schedulePath as NSString).deletingLastPathComponent
        share = base.isEmpty ? "." : base
        folder = share + "/.samtale/kiosks"
    }

    static func fileName(_ kiosk: String) -> String {
        let safe = kiosk.unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" ? Character($0) : "_"
        }
        return String(safe.prefix(64)) + ".json"
    }

    /// A heartbeat that could not be written: what, where and the system's words.
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `health` atomically (a temporary file in the folder, renamed over the last one),
    /// in plain system calls: no `fsync`, since a heartbeat is rewritten every 30 s and a reader
    /// skips one that does not read (on a share, an `fsync` is a round trip to the server at every
    /// beat). The folder is made when missing, never the share's own folder.
    func write(_ health: KioskHealth) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(health)
        let name = Self.fileName(health.kiosk)
        let path = folder + "/" + name
        // Hidden and not ending in .json: `read` and `names` never take it for a heartbeat.
        let temp = folder + "/." + name + ".\(getpid()).tmp"
        var fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 && errno == ENOENT {
            try makeFolder()
            fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw Self.failure("cannot write", temp) }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        let error = written ? nil : Self.failure("cannot write", temp)
        if close(fd) != 0 && error == nil {
            unlink(temp)
            throw Self.failure("cannot write", temp)
        }
        if let error {
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            let failure = Self.failure("cannot put in place", path)
            unlink(temp)
            throw failure
        }
    }

    /// Makes `.samtale/kiosks` in the share, when the share itself is there as a folder.
    private func makeFolder() throws {
        var st = stat()
        guard stat(share, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw WriteError(
                description: "the share's folder \(share) is not there (not mounted?): no heartbeat written")
        }
        for path in [(folder as NSString).deletingLastPathComponent, folder] {
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw Self.failure("cannot make the folder", path) }
        }
    }

    private static func failure(_ what: String, _ path: String) -> WriteError {
        WriteError(description: "\(what) \(path): \(String(cString: strerror(errno)))")
    }

    /// The names in the folder that are heartbeats (`*.json`), by `readdir` (nil when the folder
    /// cannot be listed): the pulse lists them every 10 s.
    func names() -> [String]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".json") && !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }

    /// Every readable heartbeat (files that do not read are skipped: another kiosk's half-write
    /// on a share without atomic rename, or something else's file).
    func read() -> [KioskHealth] {
        guard let names = names() else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return names.sorted().prefix(1000).compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name), data.count < 64 * 1024 else {
                return nil
            }
            return try? decoder.decode(KioskHealth.self, from: data)
        }
    }
}
