import Foundation
import SamtaleTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The `samtale` binary that `swift build` put beside the test bundle.
let samtaleBinary: URL = {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [dir, dir.deletingLastPathComponent()] {
        let url = candidate.appendingPathComponent("samtale")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return dir.appendingPathComponent("samtale")
}()

/// The repository's top folder (for Board/profiles, Systemd/ and the package's files).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `samtale` with arguments to completion (`input`: what it reads on standard input).
func samtale(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Run {
    let result = await offPool { Result { try samtaleBlocking(arguments, environment: environment, input: input) } }
    return try result.get()
}

func samtaleBlocking(_ arguments: [String], environment: [String: String], input: String? = nil) throws -> Run {
    let p = Process()
    p.executableURL = samtaleBinary
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let stdin = input.map { _ in Pipe() }
    p.standardInput = stdin ?? FileHandle.nullDevice
    try p.run()
    if let stdin, let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(
        status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
        stderr: String(decoding: e, as: UTF8.self))
}

/// A free TCP port on the loopback interface.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
    }
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A plain HTTP/1.1 exchange over a socket: sends one request and reads until `until` holds
/// for what has arrived, or the deadline passes. Good for server-sent events.
func rawHTTP(
    port: Int, _ request: String, until: @escaping @Sendable (String) -> Bool, timeout: TimeInterval = hangDeadline
)
    async -> String
{
    await offPool { rawHTTPBlocking(port: port, request, until: until, timeout: timeout) }
}

/// A TCP connection to a port on 127.0.0.1, or nil.
func connectLoopback(port: Int) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = UInt16(port).bigEndian
    let ok = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard ok == 0 else {
        close(fd)
        return nil
    }
    return fd
}

func rawHTTPBlocking(port: Int, _ request: String, until: (String) -> Bool, timeout: TimeInterval) -> String {
    guard let fd = connectLoopback(port: port) else { return "" }
    defer { close(fd) }
    _ = request.withCString { send(fd, $0, strlen($0), 0) }
    return receive(fd, until: until, timeout: timeout)
}

/// Reads from a socket until `until` holds for what has arrived, the peer closes, or the deadline.
func receive(_ fd: Int32, until: (String) -> Bool, timeout: TimeInterval = hangDeadline) -> String {
    var received = [UInt8]()
    let deadline = Date().addingTimeInterval(timeout)
    var buffer = [UInt8](repeating: 0, count: 65536)
    while Date() < deadline {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 200) > 0 else { continue }
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        received += buffer[0..<n]
        if until(String(decoding: received, as: UTF8.self)) { break }
    }
    return String(decoding: received, as: UTF8.self)
}

/// `GET /events` on a connection of its own, once its first view has arrived: then whatever is
/// done next is seen by a listener already there. Closed with `end()`.
struct EventListener: Sendable {
    let fd: Int32
    /// What arrived before the first view was complete (the headers and that view).
    let opening: String

    static func open(port: Int) async -> EventListener? {
        await offPool {
            guard let fd = connectLoopback(port: port) else { return nil }
            _ = "GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n".withCString {
                send(fd, $0, strlen($0), 0)
            }
            let opening = receive(fd, until: { $0.contains("\"room\"") })
            guard opening.contains("\"room\"") else {
                close(fd)
                return nil
            }
            return EventListener(fd: fd, opening: opening)
        }
    }

    /// Reads on until `until` holds for what arrived after the opening.
    func next(until: @escaping @Sendable (String) -> Bool) async -> String {
        let fd = fd
        return await offPool { receive(fd, until: until) }
    }

    func end() { close(fd) }
}

/// GET or POST over HTTP and the body, or nil when nothing answers.
func http(_ method: String, port: Int, _ path: String) async -> (status: Int, body: String)? {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = method
    request.timeoutInterval = 30
    guard let (data, response) = try? await URLSession.shared.data(for: request) else { return nil }
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

/// `samtale demo` (or another serving command) as a running process.
final class Server {
    let process = Process()
    let port: Int
    let output = Pipe()

    init(_ arguments: [String], port: Int, environment: [String: String] = [:]) throws {
        self.port = port
        process.executableURL = samtaleBinary
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    /// Waits until the door answers (false: it never did, or the process ended).
    func ready() async -> Bool {
        await eventually(poll: .milliseconds(100)) {
            guard process.isRunning else { return true }
            return await http("GET", port: port, "/api/door")?.status == 200
        } && process.isRunning
    }

    /// SIGTERM, and the exit status (nil if it did not stop within the timeout).
    func terminate() async -> Int32? {
        process.terminate()
        _ = await eventually { !process.isRunning }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    var log: String { String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
