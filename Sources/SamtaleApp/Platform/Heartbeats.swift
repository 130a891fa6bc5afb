import Foundation
import Logging
import SamtaleCore
import ServiceLifecycle

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

    func write(_ health: KioskHealth) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: share, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: share])
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(health)
        let path = folder + "/" + Self.fileName(health.kiosk)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Every readable heartbeat (files that do not read are skipped: another kiosk's half-write
    /// on a share without atomic rename, or something else's file).
    func read() -> [KioskHealth] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return names.filter { $0.hasSuffix(".json") }.prefix(1000).compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name), data.count < 64 * 1024 else {
                return nil
            }
            return try? decoder.decode(KioskHealth.self, from: data)
        }
    }
}
