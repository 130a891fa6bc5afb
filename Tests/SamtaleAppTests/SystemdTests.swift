import Foundation
import SamtaleTestSupport
import Testing

@testable import SamtaleApp

#if canImport(Glibc)
    import Glibc
#endif

/// The receiving end of `$NOTIFY_SOCKET`, as systemd holds it: a datagram socket in a folder.
final class NotifySocket: Sendable {
    let path: String
    let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard fd >= 0, bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The socket's address: its path.
    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// The next datagram within the timeout, as its fields.
    func receive(timeout: TimeInterval) async -> [String: String]? {
        await offPool {
            let deadline = Date().addingTimeInterval(timeout)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                let n = recv(self.fd, &buffer, buffer.count, 0)
                guard n > 0 else { continue }
                var fields: [String: String] = [:]
                for line in String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n") {
                    let kv = line.split(separator: "=", maxSplits: 1)
                    fields[String(kv[0])] = kv.count > 1 ? String(kv[1]) : ""
                }
                return fields
            }
            return nil
        }
    }

    /// Reads every datagram waiting now, without waiting for more; how many there were.
    func drain() -> Int {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) >= 0 { count += 1 }
        return count
    }

    /// Sends one datagram to the socket itself without waiting (the kiosk's own sender, as any
    /// other process would): false when its queue is full.
    func offer(_ text: String) -> Bool {
        SystemdNotifier.send(text, to: path, wait: nil) == .sent
    }

    /// Datagrams until one has `key` (returned), or nil at the timeout.
    func wait(for key: String, timeout: TimeInterval) async -> [String: String]? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let m = await receive(timeout: deadline.timeIntervalSinceNow), m[key] != nil { return m }
        }
        return nil
    }

    deinit { close(fd) }
}

@Suite("Under systemd: sd_notify, the watchdog, reload, the journal's priorities")
struct SystemdTests {
    @Test("READY with a status line, watchdog pings, reload on SIGHUP keeping state, STOPPING")
    func notifyProtocol() async throws {
        let dir = try TempDir()
        let notify = try NotifySocket(path: dir.url.path + "/notify")
        let kiosk = try await RunningKiosk.start(
            rows: [(10, 20, "Ingrid Notifysen"), (30, 20, "Per Watchdogsen")],
            environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "600000", "JOURNAL_STREAM": "8:1234"])
        defer { _ = kiosk.dir }

        let ready = try #require(await notify.wait(for: "READY", timeout: hangDeadline), "no READY=1 from the service")
        #expect(ready["READY"] == "1")
        let status = try #require(ready["STATUS"])
        #expect(status.hasPrefix("Room 204: "), "status line: \(status)")
        #expect(!status.contains("Notifysen") && !status.contains("Per"))
        #expect(await kiosk.server.ready())

        // Watchdog pings keep coming: three in a row (how often is the service's business, and a busy
        // machine's; only a service that stopped pinging waits out the deadline).
        var pings = 0
        while pings < 3, await notify.wait(for: "WATCHDOG", timeout: hangDeadline)?["WATCHDOG"] == "1" { pings += 1 }
        #expect(pings == 3, "watchdog pings: \(pings) of 3")

        // A check-in, then a reload with a new room name: the check-in stays, the name changes.
        #expect(await http("POST", port: kiosk.port, "/api/checkin")?.status == 200)
        let config = kiosk.dir.url.path + "/samtale.json"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"Room 204\"", with: "\"Musikkrommet\"").utf8)
            .write(to: URL(fileURLWithPath: config))
        kill(kiosk.server.process.processIdentifier, SIGHUP)
        let reloading = try #require(await notify.wait(for: "RELOADING", timeout: hangDeadline), "no RELOADING=1")
        #expect(UInt64(reloading["MONOTONIC_USEC"] ?? "") != nil)
        #expect(await notify.wait(for: "READY", timeout: hangDeadline) != nil, "no READY=1 after the reload")
        let door = try #require(await kiosk.door())
        #expect(door["roomName"] as? String == "Musikkrommet")
        #expect((door["next"] as? [String: Any])?["status"] as? String == "waiting", "the check-in was lost: \(door)")
        #expect(kiosk.server.process.isRunning)

        // A configuration that no longer reads: the service keeps running on the old one.
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: config))
        kill(kiosk.server.process.processIdentifier, SIGHUP)
        #expect(await notify.wait(for: "READY", timeout: hangDeadline) != nil)
        #expect(kiosk.server.process.isRunning)
        #expect(await kiosk.door()?["roomName"] as? String == "Musikkrommet")

        #expect(await kiosk.server.terminate() == 0)
        let log = kiosk.server.log
        #expect(log.contains("<5>configuration reloaded"), "log: \(log.suffix(2000))")
        #expect(log.contains("<3>configuration not reloaded"))
        #expect(log.contains("<6>"))
        #expect(!log.contains("Ingrid") && !log.contains("Watchdogsen"), "a name in the log")
        // STOPPING was sent on the way out (it may follow a last status or ping).
        var stopping = false
        while let m = await notify.receive(timeout: 0.5) { if m["STOPPING"] == "1" { stopping = true } }
        #expect(stopping)
    }

    @Test("systemd behind on its socket: the door still answers, the pings resume, STOPPING does not hang the stop")
    func readerBehind() async throws {
        let dir = try TempDir()
        let notify = try NotifySocket(path: dir.url.path + "/notify")
        let kiosk = try await RunningKiosk.start(
            rows: [(10, 20, "Ingrid Notifysen")],
            environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "200000"])
        defer { _ = kiosk.dir }
        #expect(await notify.wait(for: "READY", timeout: hangDeadline) != nil)
        #expect(await kiosk.server.ready())

        // Fill the socket's queue (net.unix.max_dgram_qlen) as a reader that is behind leaves it:
        // a datagram to it now waits for room, and the kiosk pings every 0.1 s. (What the kiosk
        // sent so far is read first, so that the filler has room.)
        _ = notify.drain()
        var filler = 0
        while notify.offer("FILLER=\(filler)") { filler += 1 }
        try #require(filler > 0, "the kiosk's pings filled the queue before the test could")
        try await Task.sleep(for: .seconds(1))
        // No ping waits on a thread that serves the door: every request answers.
        for _ in 0..<6 { #expect(await http("GET", port: kiosk.port, "/api/door")?.status == 200) }

        // Reading again: the filler, then the pings again.
        var last: String?
        let end = Date().addingTimeInterval(hangDeadline)
        while last != "\(filler - 1)", Date() < end, let m = await notify.receive(timeout: hangDeadline) {
            if let f = m["FILLER"] { last = f }
        }
        #expect(last == "\(filler - 1)")
        #expect(await notify.wait(for: "WATCHDOG", timeout: hangDeadline) != nil, "no ping after the reader caught up")

        // Behind again for good: the stop's STOPPING waits a while for room, and the kiosk stops.
        while notify.offer("FILLER=stop") {}
        #expect(await kiosk.server.terminate() == 0)
    }

    @Test("Not under systemd: no socket, nothing sent, the kiosk runs")
    func withoutSystemd() async throws {
        let kiosk = try await RunningKiosk.start(rows: [(10, 20, "Kari Nordmann")])
        #expect(await kiosk.server.ready())
        #expect(await kiosk.server.terminate() == 0)
        #expect(!kiosk.server.log.contains("<6>"))
    }
}
