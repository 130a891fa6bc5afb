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

struct HeartbeatFailure: Error, CustomStringConvertible {
    var description: String
}

/// Writes this kiosk's heartbeat every 30 seconds and whenever the light changes.
struct HeartbeatService: Service {
    let heartbeats: Heartbeats
    let kiosk: Kiosk
    let name: String
    let room: String
    let syncStatus: SyncStatus?
    let logger: Logger
    static let interval: Duration = .seconds(30)

    func run() async throws {
        var failing = false
        var lastLight: LightState?
        var lastBeat = ContinuousClock.now - Self.interval
        for await view in await kiosk.updates().cancelOnGracefulShutdown() {
            guard let view else {
                if ContinuousClock.now - lastBeat < Self.interval { continue }
                await beat(lastLight ?? .free, &failing)
                lastBeat = .now
                continue
            }
            // Pings come every 15 s; a beat at most every 30 s unless the light changed.
            if view.light == lastLight && ContinuousClock.now - lastBeat < Self.interval { continue }
            lastLight = view.light
            await beat(view.light, &failing)
            lastBeat = .now
        }
        // The kiosk's stream ends when it stops (it stops first): wait for our own turn.
        try? await gracefulShutdown()
    }

    private func beat(_ light: LightState, _ failing: inout Bool) async {
        let view = await kiosk.door()
        let health = KioskHealth(
            kiosk: name, room: room, at: Date(), light: view.light, faults: view.faults,
            clockTrusted: view.clockTrusted, lastWrite: syncStatus?.lastWrite, backlog: syncStatus?.backlog ?? 0,
            version: nil)
        let heartbeats = heartbeats
        // Off the cooperative pool: a share that hangs must not hold up the door.
        let failure: String? = await ScheduleWatcher.offPool { () -> String? in
            do {
                try heartbeats.write(health)
                return nil
            } catch { return "\(error)" }
        }
        do {
            if let failure { throw HeartbeatFailure(description: failure) }
            if failing { logger.notice("heartbeat written again", metadata: ["folder": "\(heartbeats.folder)"]) }
            failing = false
        } catch {
            if !failing {
                logger.warning(
                    "cannot write the heartbeat on the share",
                    metadata: ["folder": "\(heartbeats.folder)", "why": "\(error)"])
            }
            failing = true
        }
    }
}
