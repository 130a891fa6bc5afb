import Foundation
import Logging
import SamtaleCore
import SamtaleSchedule
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

    /// Writes `health` atomically (a temporary file in the folder, renamed over the last one) and
    /// without `fsync`: a heartbeat is rewritten every 30 s and a reader skips one that does not
    /// read (on a share, an `fsync` is a round trip to the server at every beat). The folder is
    /// made when missing, never the share's own folder.
    func write(_ health: KioskHealth) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(health)
        // The temporary file is hidden and does not end in .json: `names` never takes it for a heartbeat.
        func replace() throws {
            try StateJournal.replace(
                directory: folder, name: Self.fileName(health.kiosk), data: data, mode: 0o644, tag: ".\(getpid())",
                durable: false)
        }
        do {
            try replace()
        } catch {
            var st = stat()
            guard stat(folder, &st) != 0 else { throw error }
            try makeFolder()
            try replace()
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
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
                throw WriteError(description: "cannot make the folder \(path): \(String(cString: strerror(errno)))")
            }
        }
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
