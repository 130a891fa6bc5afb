// samtale-bench: the benchmarks, kept apart from the tests (which assert no timings).
//
//   swift run -c release samtale-bench schedule [--rows 20000] [--runs 15]
//   swift run -c release samtale-bench idle --samtale .build/release/samtale[,OTHER] [--minutes 3] [--warmup 20] [--rows 600,20000] [--local]
//     (beside it, the floor: `samtale-bench idle-floor PATH...`, the kiosk's one-second beat in plain code)
//   swift run -c release samtale-bench check [--samtale .build/release/samtale] [--rows 20000] [--runs 15]
//   swift run -c release samtale-bench office-latency --samtale .build/debug/samtale [--edits 20]
//   swift run -c release samtale-bench streams --samtale .build/debug/samtale [--clients 200] [--requests 200]
//
// Each appends its figures to Tests/Benchmarks/results.md (or --results FILE).
import Foundation
import SamtaleCore
import SamtaleSchedule

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return fallback
}
let resultsPath = option("--results", "Tests/Benchmarks/results.md")

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded()))]
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

func maxRSSMegabytes() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024
}

func append(_ section: String) {
    let header = "# Samtale benchmarks\n\nFigures from `samtale-bench` (see Sources/SamtaleBench). Newest last.\n"
    var text = (try? String(contentsOfFile: resultsPath, encoding: .utf8)) ?? header
    text += "\n" + section
    try? text.write(toFile: resultsPath, atomically: true, encoding: .utf8)
    print(section)
}

func machine() -> String {
    let cpu =
        (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(
            in: .whitespaces) ?? "?"
    let date = ISO8601DateFormatter().string(from: Date())
    #if DEBUG
        let build = "debug"
    #else
        let build = "release"
    #endif
    return "\(date), \(ProcessInfo.processInfo.activeProcessorCount) cores (\(cpu)), \(build) build"
}

/// A Norwegian Excel-style file of `rows` conferences over 20 rooms.
func schoolFile(rows: Int) -> String {
    var text = "\u{FEFF}Dato;Fra;Til;Rom;Kontaktlærer;Elev;Foresatte;Tolk;Merknad\r\n"
    for k in 0..<rows {
        let room = k % 20
        let slot = k / 20
        let day = 1 + (slot / 24) % 28
        let minutes = 8 * 60 + (slot % 24) * 20
        text += String(
            format:
                "%02d.11.2026;%02d:%02d;%02d:%02d;R%d;Lærer %d;Elev %d Ødegård;\"Foresatt %d; Åse\";;\"Merknad\r\nlinje 2\"\r\n",
            day, minutes / 60, minutes % 60, (minutes + 20) / 60, (minutes + 20) % 60, room, room, k, k)
    }
    return text
}

func benchSchedule() throws {
    let rows = Int(option("--rows", "20000"))!
    let runs = Int(option("--runs", "15"))!
    let reader = ScheduleReader(timeZone: TimeZone(identifier: "Europe/Oslo")!)
    let bytes = Array(schoolFile(rows: rows).utf8)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("samtale-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/samtaler.csv"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let clock = ContinuousClock()
    var parse: [Double] = []
    var merge: [Double] = []
    var write: [Double] = []
    // The thread's CPU time as well: on a machine shared with other work, wall time measures the
    // others too.
    var cpu: (parse: [Double], merge: [Double], write: [Double]) = ([], [], [])
    func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1000 + Double(t.tv_nsec) / 1e6
    }
    let ids = reader.parse(bytes: bytes).bookings.map(\.id)
    for run in 0..<runs {
        var schedule: Schedule?
        var c0 = threadCPU()
        parse.append(seconds(clock.measure { schedule = reader.parse(bytes: bytes) }) * 1000)
        cpu.parse.append(threadCPU() - c0)
        precondition(schedule?.bookings.count == rows)
        let update = [
            ids[run * 7 % ids.count]: StateCells(status: "waiting", checkedIn: "13:\(10 + run)", kiosk: "bench")
        ]
        c0 = threadCPU()
        merge.append(seconds(clock.measure { _ = StateMerge.apply(update, to: bytes, reader: reader) }) * 1000)
        cpu.merge.append(threadCPU() - c0)
        let writer = ScheduleFileWriter(path: path, reader: reader)
        c0 = threadCPU()
        write.append(seconds(try clock.measure { try writer.write(update) }) * 1000)
        cpu.write.append(threadCPU() - c0)
    }
    func f(_ xs: [Double], _ p: Double) -> String { String(format: "%.1f", percentile(xs, p)) }
    let load =
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
        .joined(separator: " ") ?? "?"
    let mb = Double(bytes.count) / 1_048_576
    append(
        """
        ## Schedule file: \(rows) rows (\(String(format: "%.1f", mb)) MB), \(runs) runs — \(machine())

        Load average \(load).

        | step | median ms | p90 ms | median CPU ms (this thread) | p90 CPU ms |
        |---|---|---|---|---|
        | parse (decode, split, columns, dates) | \(f(parse, 0.5)) | \(f(parse, 0.9)) | \(f(cpu.parse, 0.5)) | \(f(cpu.parse, 0.9)) |
        | merge one kiosk's state (parse included) | \(f(merge, 0.5)) | \(f(merge, 0.9)) | \(f(cpu.merge, 0.5)) | \(f(cpu.merge, 0.9)) |
        | write back: lock, read, merge, temp file, fsync, exchange, folder fsync | \(f(write, 0.5)) | \(f(write, 0.9)) | \(f(cpu.write, 0.5)) | \(f(cpu.write, 0.9)) |

        Peak resident memory of the benchmark process: \(String(format: "%.0f", maxRSSMegabytes())) MB.

        """)
}

func get(_ url: URL) async -> String? {
    guard let (data, _) = try? await URLSession.shared.data(from: url) else { return nil }
    return String(decoding: data, as: UTF8.self)
}

/// `samtale run` with this configuration (written to DIR/c.json), once its door answers.
func startKiosk(
    _ samtale: String, config: String, dir: String, port: Int, environment: [String: String] = [:]
) async throws -> Process {
    try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/c.json"))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: samtale)
    p.arguments = ["run", "--config", dir + "/c.json"]
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    p.standardError = FileHandle.nullDevice
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    let door = URL(string: "http://127.0.0.1:\(port)/api/door")!
    while await get(door) == nil { try await Task.sleep(for: .milliseconds(100)) }
    return p
}

func benchOfficeLatency() async throws {
    let samtale = option("--samtale", ".build/debug/samtale")
    let edits = Int(option("--edits", "20"))!
    var lines: [String] = []
    for mode in ["local (inotify)", "polled share (no inotify, 1 s poll)"] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "samtale-bench-\(getpid())-\(lines.count)"
        ).path
        try FileManager.default.createDirectory(atPath: dir + "/share", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/share/samtaler.csv"
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "dd.MM.yyyy"
        let day = f.string(from: Date().addingTimeInterval(86400))
        var text = "Dato;Fra;Til;Rom;Elev;Merknad\n"
        for k in 0..<40 {
            text += String(
                format: "\(day);%02d:%02d;%02d:%02d;204;E%d;\n", 8 + k / 3, (k % 3) * 20, 8 + k / 3, (k % 3) * 20 + 19,
                k)
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let port = 18000 + Int(getpid() % 1000)
        let config = """
            {"kiosk":{"name":"bench","room":"204"},"schedule":{"path":"\(path)","pollSeconds":1},"state":{"directory":"\(dir)/state"},
             "school":{"timeZone":"UTC"},"http":{"port":\(port)},"clock":{"requireSync":false}}
            """
        let p = try await startKiosk(
            samtale, config: config, dir: dir, port: port,
            environment: mode.hasPrefix("polled") ? ["SAMTALE_NO_INOTIFY": "1"] : [:])
        defer {
            p.terminate()
            p.waitUntilExit()
        }
        let door = URL(string: "http://127.0.0.1:\(port)/api/door")!
        var latencies: [Double] = []
        for e in 0..<edits {
            // The office moves the first conference of the day one minute, saving by rename.
            let minute = 1 + e % 50
            let edited = text.replacingOccurrences(
                of: "\(day);08:00;08:19;", with: String(format: "\(day);08:%02d;08:19;", minute))
            let start = ContinuousClock.now
            try Data(edited.utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
            rename(path + ".tmp", path)
            let expect = String(format: "T08:%02d:00", minute)
            while let body = await get(door), !body.contains(expect) {
                if ContinuousClock.now - start > .seconds(10) { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            latencies.append(seconds(ContinuousClock.now - start) * 1000)
            try await Task.sleep(for: .milliseconds(300))
        }
        lines.append(
            "| \(mode) | \(edits) | \(String(format: "%.0f", percentile(latencies, 0.5))) | \(String(format: "%.0f", percentile(latencies, 0.9))) | \(String(format: "%.0f", latencies.max() ?? .nan)) |"
        )
    }
    append(
        """
        ## Office edit to kiosk (file saved → /api/door shows it) — \(machine()); kiosk: \(samtale)

        | file | edits | median ms | p90 ms | max ms |
        |---|---|---|---|---|
        \(lines.joined(separator: "\n"))

        """)
}

/// A TCP connection to 127.0.0.1:port with a request sent, or nil.
func openLoopback(port: Int, _ request: String) -> Int32? {
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
    _ = request.withCString { send(fd, $0, strlen($0), 0) }
    return fd
}

/// Reads from every fd until `done` holds for its text; the seconds each took from `start`.
func awaitAll(_ fds: [Int32], from start: ContinuousClock.Instant, timeout: Duration, _ done: (String) -> Bool)
    -> [Double]
{
    var texts = [String](repeating: "", count: fds.count)
    var took = [Double?](repeating: nil, count: fds.count)
    var buffer = [UInt8](repeating: 0, count: 16384)
    while took.contains(where: { $0 == nil }) && ContinuousClock.now - start < timeout {
        var pfds = fds.indices.filter { took[$0] == nil }.map { pollfd(fd: fds[$0], events: Int16(POLLIN), revents: 0) }
        guard poll(&pfds, nfds_t(pfds.count), 50) > 0 else { continue }
        for p in pfds where p.revents != 0 {
            guard let i = fds.firstIndex(of: p.fd) else { continue }
            let n = recv(p.fd, &buffer, buffer.count, 0)
            if n <= 0 { continue }
            texts[i] += String(decoding: buffer[0..<n], as: UTF8.self)
            if done(texts[i]) { took[i] = seconds(ContinuousClock.now - start) }
        }
    }
    return took.compactMap { $0 }
}

func residentMegabytes(_ pid: Int32) -> Double {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? .nan) / 1024
}

/// Many door pages on /events at once: how long they take to get their first view, how fast the
/// door still answers meanwhile, how long a check-in takes to reach every one, and the memory.
func benchStreams() async throws {
    let samtale = option("--samtale", ".build/debug/samtale")
    let clients = Int(option("--clients", "200"))!
    let requests = Int(option("--requests", "200"))!
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("samtale-streams-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let f = DateFormatter()
    f.timeZone = TimeZone(identifier: "UTC")
    f.locale = Locale(identifier: "en_US_POSIX")
    f.dateFormat = "dd.MM.yyyy;HH:mm"
    let now = Date()
    var text = "Dato;Fra;Varighet;Rom;Elev\n"
    for k in 0..<6 {
        let s = now.addingTimeInterval(TimeInterval(5 * 60 + k * 20 * 60))
        text += "\(f.string(from: s));19;204;Elev \(k)\n"
    }
    try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/s.csv"))
    let port = 19000 + Int(getpid() % 1000)
    // One address opens every stream here, so its limits are raised (real clients come from many).
    let config = """
        {"kiosk":{"name":"bench","room":"204"},"schedule":{"path":"\(dir)/s.csv"},"state":{"directory":"\(dir)/state"},
         "school":{"timeZone":"UTC"},"clock":{"requireSync":false},
         "http":{"port":\(port),"maxStreamsPerClient":\(clients + 10),"requestBurst":100000,"requestsPerSecond":100000}}
        """
    let p = try await startKiosk(samtale, config: config, dir: dir, port: port)
    defer {
        p.terminate()
        p.waitUntilExit()
    }
    let idleRSS = residentMegabytes(p.processIdentifier)

    func doorLatencies() -> [Double] {
        (0..<requests).compactMap { _ -> Double? in
            let start = ContinuousClock.now
            guard let fd = openLoopback(port: port, "GET /api/door HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            else { return nil }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while recv(fd, &buffer, buffer.count, 0) > 0 {}
            return seconds(ContinuousClock.now - start) * 1000
        }
    }
    let quiet = doorLatencies()

    let openStart = ContinuousClock.now
    let fds = (0..<clients).compactMap { _ in
        openLoopback(port: port, "GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    }
    defer { for fd in fds { close(fd) } }
    let first = awaitAll(fds, from: openStart, timeout: .seconds(30)) { $0.contains("\"room\"") }
    let busy = doorLatencies()
    let busyRSS = residentMegabytes(p.processIdentifier)

    let pressStart = ContinuousClock.now
    let press = openLoopback(
        port: port, "POST /api/checkin HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    let fanout = awaitAll(fds, from: pressStart, timeout: .seconds(30)) { $0.contains("\"acknowledgement\":{") }
    if let press { close(press) }

    func ms(_ xs: [Double], _ scale: Double = 1) -> String {
        "\(String(format: "%.1f", percentile(xs, 0.5) * scale)) | \(String(format: "%.1f", percentile(xs, 0.99) * scale)) | \(String(format: "%.1f", (xs.max() ?? .nan) * scale))"
    }
    append(
        """
        ## \(clients) door pages on /events — \(machine()); kiosk: \(samtale)

        | what | n | p50 ms | p99 ms | max ms |
        |---|---|---|---|---|
        | GET /api/door, no streams open | \(quiet.count) | \(ms(quiet)) |
        | a stream's first view, all \(clients) opened at once | \(first.count) of \(clients) | \(ms(first, 1000)) |
        | GET /api/door with \(first.count) streams open | \(busy.count) | \(ms(busy)) |
        | a check-in's acknowledgement reaching each stream | \(fanout.count) of \(clients) | \(ms(fanout, 1000)) |

        Resident memory of the kiosk: \(String(format: "%.1f", idleRSS)) MB idle, \(String(format: "%.1f", busyRSS)) MB with \(first.count) streams open.

        """)
}

/// The reader and the merge against millions of mutated and random inputs: no crash, no hang
/// (each input is timed; the slowest is reported).
func fuzz() {
    let iterations = Int(option("--iterations", "2000000"))!
    let reader = ScheduleReader(timeZone: TimeZone(identifier: "Europe/Oslo")!)
    let seeds: [[UInt8]] = [
        Array(
            "\u{FEFF}Dato;Fra;Til;Rom;Elev;status;checked_in\r\n24.11.2026;14:00;14:20;204;\"A;\r\nB\";waiting;13:50\r\n"
                .utf8),
        Array(
            "date,start,duration,room,pupil\n2026-11-24,09:00,15,101,\"x \"\"y\"\"\"\n24/11/2026,9:15,15,101,z\n".utf8),
        Array("dato\tkl\tslut\tlokale\n24.11.26\t15:00\t15:15\tB12\n".utf8),
        [
            0x44, 0x61, 0x74, 0x6F, 0x3B, 0x46, 0x72, 0x61, 0x3B, 0x54, 0x69, 0x6C, 0x3B, 0x52, 0x6F, 0x6D, 0x0A, 0xC5,
            0xD8, 0x3B, 0x22,
        ],
    ]
    let ics = Array(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Europe/Oslo:20261124T140000\r\nDURATION:PT20M\r\nLOCATION:204\r\nSUMMARY:x\r\n y\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            .utf8)
    var rng = SystemRandomNumberGenerator()
    var slowest = 0.0
    var bookings = 0
    let clock = ContinuousClock()
    let start = clock.now
    for i in 0..<iterations {
        var b = i % 10 == 9 ? ics : seeds[i % seeds.count]
        if i % 50 == 0 {
            b = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        } else {
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                switch Int.random(in: 0..<5, using: &rng) {
                case 0:
                    if !b.isEmpty {
                        b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                case 1: if !b.isEmpty { b.remove(at: Int.random(in: 0..<b.count, using: &rng)) }
                case 2:
                    b.insert(
                        [0x22, 0x3B, 0x0A, 0x0D, 0x2C, 0x09, 0x3A, 0x2E].randomElement(using: &rng)!,
                        at: Int.random(in: 0...b.count, using: &rng))
                case 3:
                    if b.count > 4 {
                        let k = Int.random(in: 0..<b.count - 2, using: &rng)
                        b.insert(contentsOf: b[k..<min(b.count, k + 12)], at: k)
                    }
                default: b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
                }
            }
        }
        let t0 = clock.now
        let s =
            b.starts(with: Array("BEGIN".utf8))
            ? ICalendarReader(timeZone: reader.time.timeZone).parse(text: String(decoding: b, as: UTF8.self))
            : reader.parse(bytes: b)
        if let first = s.bookings.first {
            _ = StateMerge.apply(
                [first.id: StateCells(status: "waiting", checkedIn: "13:50", kiosk: "fuzz")], to: b, reader: reader)
        }
        bookings += s.bookings.count
        slowest = max(slowest, seconds(clock.now - t0) * 1000)
    }
    let total = seconds(clock.now - start)
    append(
        """
        ## Fuzzing the reader and the merge — \(machine())

        \(iterations) mutated, spliced, truncated and random inputs (CSV in four dialects and iCalendar): no crash, no hang.
        \(String(format: "%.1f", total)) s in all; the slowest single input took \(String(format: "%.2f", slowest)) ms; \(bookings) bookings read along the way.

        """)
}

/// `schoolFile` as Norwegian Excel saves it ("CSV (semikolondelt)"): Windows-1252, no BOM.
func windows1252(_ text: String) -> [UInt8] {
    text.unicodeScalars.compactMap { s in
        s.value == 0xFEFF ? nil : s.value < 0x100 ? UInt8(s.value) : UInt8(ascii: "?")
    }
}

/// One whole process: wall time, CPU time (user + system) and peak resident memory, from wait4.
func runProcess(_ argv: [String]) -> (wall: Double, cpu: Double, peakMB: Double, status: Int32) {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { for a in cArgs { free(a) } }
    let start = ContinuousClock.now
    guard posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ) == 0 else {
        fatalError("cannot start \(argv[0])")
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let wall = seconds(ContinuousClock.now - start)
    let cpu =
        Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
    return (wall, cpu, Double(usage.ru_maxrss) / 1024, (status >> 8) & 0xFF)
}

/// `samtale check` on a Norwegian Excel file beside the Python csv script (Tests/Benchmarks/read_schedule.py),
/// alternately in the same run.
func benchCheck() throws {
    let samtale = option("--samtale", ".build/release/samtale")
    let script = option("--script", "Tests/Benchmarks/read_schedule.py")
    let python = option("--python", "python3")
    let rows = Int(option("--rows", "20000"))!
    let runs = Int(option("--runs", "15"))!
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("samtale-bench-\(getpid())").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = option("--file", dir + "/samtaler.csv")  // --file: kept, for callgrind
    let bytes = windows1252(schoolFile(rows: rows))
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    var figures: [String: [(wall: Double, cpu: Double, peakMB: Double, status: Int32)]] = [:]
    let peers: [(String, [String])] = [
        ("`samtale check FILE`", [samtale, "check", path, "--time-zone", "Europe/Oslo"]),
        ("Python \(python) `read_schedule.py FILE` (csv, strptime)", [python, script, path]),
    ]
    for (name, argv) in peers {
        _ = runProcess(argv)
        figures[name] = []
    }  // warm the page cache
    for _ in 0..<runs {
        for (name, argv) in peers { figures[name]!.append(runProcess(argv)) }
    }
    let load =
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
        .joined(separator: " ") ?? "?"
    var table = ""
    for (name, _) in peers {
        let f = figures[name]!
        table +=
            "| \(name) | \(String(format: "%.1f", percentile(f.map(\.wall), 0.5) * 1000)) | \(String(format: "%.1f", percentile(f.map(\.cpu), 0.5) * 1000)) | \(String(format: "%.1f", f.map(\.peakMB).max() ?? .nan)) | \(Set(f.map(\.status)).sorted()) |\n"
    }
    let mb = Double(bytes.count) / 1_048_576
    append(
        """
        ## `samtale check` beside Python: \(rows) rows (\(String(format: "%.1f", mb)) MB, Windows-1252, `;`, CRLF), \(runs) runs each, alternately — \(machine()); load average \(load)

        | process | median wall ms | median CPU ms (user + system) | peak resident MB | exit |
        |---|---|---|---|---|
        \(table)
        """)
}

/// Resident memory of a running process, in MB, from /proc: all of it, its anonymous pages, and
/// its pages of files (the program and its libraries).
func residentParts(_ pid: Int32) -> (anonMB: Double, fileMB: Double) {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Double {
        status.split(separator: "\n").first { $0.hasPrefix(name) }.flatMap {
            Double($0.split(separator: " ").dropFirst().first ?? "")
        }.map { $0 / 1024 } ?? .nan
    }
    return (field("RssAnon:"), field("RssFile:"))
}

/// CPU ticks (user + system) and resident memory of a running process, from /proc.
func processFigures(_ pid: Int32) -> (cpu: Double, rssMB: Double) {
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
    // After the command: state is field 3; utime and stime are fields 14 and 15.
    let ticks = fields.count > 13 ? (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) : .nan
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.flatMap {
        Double($0.split(separator: " ").dropFirst().first ?? "")
    }
    return (ticks / Double(sysconf(Int32(_SC_CLK_TCK))), (rss ?? .nan) / 1024)
}

/// Per thread of a running process (live threads only), from `/proc/PID/task/*/schedstat`: the
/// thread's name, its run time in nanoseconds (exact, unlike the 10 ms ticks of `/proc/PID/stat`)
/// and how many times it ran.
func threadFigures(_ pid: Int32) -> [Int: (name: String, nanoseconds: Double, runs: Double)] {
    var figures: [Int: (name: String, nanoseconds: Double, runs: Double)] = [:]
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    for tid in tasks.compactMap(Int.init) {
        let base = "/proc/\(pid)/task/\(tid)/"
        guard let stat = try? String(contentsOfFile: base + "schedstat", encoding: .utf8),
            let name = try? String(contentsOfFile: base + "comm", encoding: .utf8)
        else { continue }
        let f = stat.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if f.count == 3 { figures[tid] = (name.trimmingCharacters(in: .whitespacesAndNewlines), f[0], f[2]) }
    }
    return figures
}

/// The floor of an idle kiosk on this machine (`samtale-bench idle-floor PATH...`): what the
/// kiosk's one regular wake-up must do and nothing else: `poll` for one second, a `stat` of each
/// path, a look at the wall clock. Plain synchronous code, no Swift tasks, no libdispatch.
func idleFloor(_ paths: [String]) -> Never {
    // Started by `Process` from a thread that blocks signals, and the mask is inherited: unblock
    // them, so that the bench's SIGTERM ends the floor.
    var none = sigset_t()
    sigemptyset(&none)
    sigprocmask(SIG_SETMASK, &none, nil)
    var st = stat()
    var now = timespec()
    while true {
        _ = poll(nil, 0, 1000)
        for path in paths { _ = stat(path, &st) }
        clock_gettime(CLOCK_REALTIME, &now)
    }
}

/// Idle kiosks (`samtale run`, the schedule file polled as on a share, nothing happening): CPU time
/// and resident memory over `--minutes`, every binary of `--samtale A,B` side by side in one run,
/// beside the floor (`idleFloor`: the kiosk's beat in plain code), and each one's threads.
func benchIdle() async throws {
    let binaries = option("--samtale", ".build/release/samtale").split(separator: ",").map(String.init)
    let minutes = Double(option("--minutes", "3"))!
    // Start-up, and the watcher's two minutes of polling and hashing after the first read (150 s
    // measures the steady idle kiosk).
    let warmup = Double(option("--warmup", "20"))!
    // --local: the file watched by inotify as well (a local file), not only polled as on a share.
    let local = args.contains("--local")
    let rowsList = option("--rows", "600,20000").split(separator: ",").map { Int($0)! }
    var kiosks: [(name: String, rows: Int, process: Process, dir: String)] = []
    for (b, binary) in binaries.enumerated() {
        for (r, rows) in rowsList.enumerated() {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "samtale-idle-\(getpid())-\(b)-\(r)"
            )
            .path
            try FileManager.default.createDirectory(atPath: dir + "/share", withIntermediateDirectories: true)
            let path = dir + "/share/samtaler.csv"
            try Data(windows1252(schoolFile(rows: rows))).write(to: URL(fileURLWithPath: path))
            let port = 18100 + Int(getpid() % 500) + b * 10 + r
            let config = """
                {"kiosk":{"name":"idle","room":"R3"},"schedule":{"path":"\(path)","pollSeconds":1},"state":{"directory":"\(dir)/state"},
                 "school":{"timeZone":"Europe/Oslo"},"http":{"port":\(port)},"clock":{"requireSync":false}}
                """
            let p = try await startKiosk(
                binary, config: config, dir: dir, port: port, environment: local ? [:] : ["SAMTALE_NO_INOTIFY": "1"])
            kiosks.append((binary, rows, p, dir))
        }
    }
    defer {
        for k in kiosks {
            k.process.terminate()
            k.process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: k.dir)
        }
    }
    // The floor, on the first kiosk's file, its live state folder and its spreadsheets' lock files.
    let floor = Process()
    floor.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    let file = kiosks[0].dir + "/share/samtaler.csv"
    let locks = SpreadsheetLock.paths(for: file)
    floor.arguments = ["idle-floor", file, LiveStateFolder(schedulePath: file).folder, locks.libreOffice, locks.excel]
    try floor.run()
    defer {
        floor.terminate()
        floor.waitUntilExit()
    }
    let subjects = kiosks.map { ($0.name, String($0.rows), $0.process) } + [("the floor (`idle-floor`)", "", floor)]
    // Past start-up (the first read, the first write-back, the first heartbeats).
    try await Task.sleep(for: .seconds(warmup))
    let before = subjects.map { processFigures($0.2.processIdentifier) }
    let threadsBefore = subjects.map { threadFigures($0.2.processIdentifier) }
    try await Task.sleep(for: .seconds(minutes * 60))
    let threadsAfter = subjects.map { threadFigures($0.2.processIdentifier) }
    var table = ""
    var threadTable = ""
    func scaled(_ x: Double, _ format: String = "%.3f") -> String { String(format: format, x / minutes * 10) }
    for (i, (name, rows, process)) in subjects.enumerated() {
        let after = processFigures(process.processIdentifier)
        let per10 = (after.cpu - before[i].cpu) / minutes * 10  // ticks, threads that ended included
        let parts = residentParts(process.processIdentifier)
        table +=
            "| \(name) | \(rows) | \(String(format: "%.2f", per10)) | \(String(format: "%.1f", after.rssMB)) | "
            + "\(String(format: "%.1f", parts.anonMB)) | \(String(format: "%.1f", parts.fileMB)) |\n"
        // Threads alive at the end, summed by name (a thread started since counts all its runs).
        var byName: [String: (seconds: Double, runs: Double)] = [:]
        for (tid, a) in threadsAfter[i] {
            let b = threadsBefore[i][tid] ?? (a.name, 0, 0)
            byName[a.name, default: (0, 0)].seconds += (a.nanoseconds - b.nanoseconds) / 1e9
            byName[a.name, default: (0, 0)].runs += a.runs - b.runs
        }
        let total = byName.values.reduce((0.0, 0.0)) { ($0.0 + $1.seconds, $0.1 + $1.runs) }
        for (thread, f) in byName.sorted(by: { $0.value.seconds > $1.value.seconds }) where f.runs > 0 {
            threadTable += "| \(name) | \(rows) | `\(thread)` | \(scaled(f.seconds)) | \(scaled(f.runs, "%.0f")) |\n"
        }
        threadTable += "| \(name) | \(rows) | **all** | **\(scaled(total.0))** | \(scaled(total.1, "%.0f")) |\n"
    }
    append(
        """
        ## Idle kiosks, schedule file \(local ? "local (inotify, and polled every 1 s)" : "polled (no inotify, 1 s)"), \(String(format: "%g", minutes)) min measured after \(String(format: "%g", warmup)) s of start-up, side by side — \(machine())

        | kiosk | rows | CPU s per 10 idle min | resident MB at the end | of which anonymous | of which files |
        |---|---|---|---|---|---|
        \(table)
        Per thread (`/proc/PID/task/*/schedstat`: run time in ns, exact; threads alive at both ends, by name):

        | kiosk | rows | thread | CPU s per 10 idle min | runs per 10 min |
        |---|---|---|---|---|
        \(threadTable)
        """)
}

switch args.first {
case "fuzz": fuzz()
case "streams": try await benchStreams()
case "schedule": try benchSchedule()
case "check": try benchCheck()
case "idle": try await benchIdle()
case "idle-floor": idleFloor(Array(args.dropFirst()))
case "read":
    // One read of a file, as `samtale check` reads it: for callgrind (valgrind 3.19 cannot start the
    // samtale binary itself).
    let schedule = ScheduleReader(timeZone: TimeZone(identifier: "Europe/Oslo")!).read(path: args[1])
    let time = SchoolTime(timeZone: TimeZone(identifier: "Europe/Oslo")!)
    // As `samtale check` counts the days: each distinct start's day once.
    var days = Set<String>()
    var seen = Set<Date>()
    for b in schedule.bookings where seen.insert(b.start).inserted { days.insert(time.dayString(b.start)) }
    print("\(schedule.bookings.count) bookings, \(days.count) days")
case "merge":
    // One write-back into a copy of a file (for callgrind).
    let reader = ScheduleReader(timeZone: TimeZone(identifier: "Europe/Oslo")!)
    let id = reader.read(path: args[1]).bookings[7].id
    let outcome = try ScheduleFileWriter(path: args[1], reader: reader).write([
        id: StateCells(status: "waiting", checkedIn: "13:10", kiosk: "bench")
    ])
    print(outcome)
case "office-latency": try await benchOfficeLatency()
default:
    print(
        "usage: samtale-bench schedule [--rows N] [--runs N] | check [--samtale PATH] [--rows N] [--runs N] | office-latency --samtale PATH [--edits N]  [--results FILE]"
    )
    exit(2)
}
