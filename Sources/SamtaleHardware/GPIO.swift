import CGPIOD
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A GPIO failure, named by chip and line, with what to do about it.
public struct GPIOError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case chipNotFound = "chip-not-found"
        case lineNotFound = "line-not-found"
        case lineBusy = "line-busy"
        case permissionDenied = "permission-denied"
        case failed
    }
    public var kind: Kind
    public var description: String

    static func from(errno code: Int32, chip: String, line: String, what: String, consumerOf: () -> String?)
        -> GPIOError
    {
        switch code {
        case EBUSY:
            let holder = consumerOf().map { "\"\($0)\"" } ?? "another program"
            return GPIOError(
                kind: .lineBusy,
                description:
                    "GPIO line \(line) on chip \(chip) is busy: it is held by \(holder). Stop that program (or choose another line) and start Samtale again."
            )
        case EACCES, EPERM:
            return GPIOError(
                kind: .permissionDenied,
                description:
                    "permission denied to \(what) line \(line) on chip \(chip): run Samtale as a user in the \"gpio\" group, with the udev rule 60-samtale-gpio.rules installed (the installer does both)."
            )
        default:
            return GPIOError(
                kind: .failed,
                description: "cannot \(what) GPIO line \(line) on chip \(chip): \(String(cString: strerror(code)))")
        }
    }
}

/// A libgpiod handle. Only ever used under the Mutex that holds it, so it may cross threads.
struct CHandle: @unchecked Sendable {
    var pointer: OpaquePointer?
}

/// What the kernel says about one line.
public struct GPIOLineInfo: Sendable, Hashable {
    public var offset: UInt32
    public var name: String
    public var consumer: String
    public var used: Bool
    public var isOutput: Bool
    public var activeLow: Bool
    public var bias: GPIOBias
}

public enum GPIOBias: String, Sendable, Hashable, Codable {
    case asIs = "as-is"
    case disabled
    case pullUp = "pull-up"
    case pullDown = "pull-down"

    var c: Int32 {
        switch self {
        case .asIs: Int32(CSAM_BIAS_AS_IS)
        case .disabled: Int32(CSAM_BIAS_DISABLED)
        case .pullUp: Int32(CSAM_BIAS_PULL_UP)
        case .pullDown: Int32(CSAM_BIAS_PULL_DOWN)
        }
    }

    init(c: Int32) {
        switch c {
        case Int32(CSAM_BIAS_DISABLED): self = .disabled
        case Int32(CSAM_BIAS_PULL_UP): self = .pullUp
        case Int32(CSAM_BIAS_PULL_DOWN): self = .pullDown
        default: self = .asIs
        }
    }
}

/// A GPIO chip, opened by label (`pinctrl-rp1`), name (`gpiochip0`) or path (`/dev/gpiochip0`).
///
/// Choose chips by label: on the Raspberry Pi 5 the header moved from gpiochip4 to gpiochip0
/// between kernel releases, while its label stayed `pinctrl-rp1`.
public final class GPIOChip: Sendable {
    public let path: String
    public let name: String
    public let label: String
    public let lineCount: UInt32
    private let handle: Mutex<CHandle>

    /// The libgpiod API generation Samtale was built against (1 or 2).
    public static var apiVersion: Int { Int(csam_api_version()) }

    private init(path: String, pointer: OpaquePointer) {
        self.path = path
        var name = [CChar](repeating: 0, count: 64)
        var label = [CChar](repeating: 0, count: 64)
        var lines: UInt32 = 0
        _ = csam_chip_info(pointer, &name, 64, &label, 64, &lines)
        self.name = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.label = String(decoding: label.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.lineCount = lines
        handle = Mutex(CHandle(pointer: pointer))
    }

    deinit {
        handle.withLock { h in
            if let p = h.pointer { csam_chip_close(p) }
            h.pointer = nil
        }
    }

    /// The chip device paths, in order.
    public static func devicePaths(in dir: String = "/dev") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasPrefix("gpiochip") }
            .sorted { (Int($0.dropFirst(8)) ?? 0) < (Int($1.dropFirst(8)) ?? 0) }
            .map { "\(dir)/\($0)" }
    }

    /// Every chip that can be opened.
    public static func all() -> [GPIOChip] { devicePaths().compactMap { try? GPIOChip(path: $0) } }

    public convenience init(path: String) throws {
        guard let p = csam_chip_open(path) else {
            let code = errno
            if code == EACCES || code == EPERM {
                throw GPIOError(
                    kind: .permissionDenied,
                    description:
                        "permission denied to open \(path): run Samtale as a user in the \"gpio\" group, with the udev rule 60-samtale-gpio.rules installed."
                )
            }
            throw GPIOError(
                kind: .chipNotFound, description: "cannot open GPIO chip \(path): \(String(cString: strerror(code)))")
        }
        self.init(path: path, pointer: p)
    }

    /// Opens the chip with this label, name or path.
    public static func open(_ selector: String) throws -> GPIOChip {
        if selector.hasPrefix("/") { return try GPIOChip(path: selector) }
        var seen: [String] = []
        var denied: GPIOError?
        for path in devicePaths() {
            do {
                let chip = try GPIOChip(path: path)
                if chip.label == selector || chip.name == selector { return chip }
                seen.append("\(chip.name) (\(chip.label))")
            } catch let e as GPIOError {
                if e.kind == .permissionDenied { denied = e }
            }
        }
        if let denied { throw denied }
        let list =
            seen.isEmpty
            ? "there are no GPIO chips on this system" : "the chips here are: \(seen.joined(separator: ", "))"
        throw GPIOError(
            kind: .chipNotFound,
            description:
                "GPIO chip \"\(selector)\" not found; \(list). Set gpio.chip in the configuration to one of their labels."
        )
    }

    public func info(_ offset: UInt32) -> GPIOLineInfo? {
        handle.withLock { h -> GPIOLineInfo? in
            guard let p = h.pointer else { return nil }
            var i = csam_line_info()
            guard csam_line_info_get(p, offset, &i) == 0 else { return nil }
            let name = withUnsafeBytes(of: i.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let consumer = withUnsafeBytes(of: i.consumer) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            return GPIOLineInfo(
                offset: offset, name: name, consumer: consumer, used: i.used != 0, isOutput: i.is_output != 0,
                activeLow: i.active_low != 0, bias: GPIOBias(c: i.bias))
        }
    }

    public var lines: [GPIOLineInfo] { (0..<lineCount).compactMap { info($0) } }

    /// The offset of a line given by name (`GPIO17`) or offset (`17`).
    public func resolve(_ line: String) throws -> UInt32 {
        let found = handle.withLock { h -> Int32 in
            guard let p = h.pointer else { return -1 }
            return csam_find_line(p, line)
        }
        if found >= 0 { return UInt32(found) }
        if let n = UInt32(line), n < lineCount { return n }
        let named = lines.map(\.name).filter { !$0.isEmpty }
        let hint =
            named.isEmpty
            ? "its lines have no names: give an offset 0…\(lineCount - 1)"
            : "its named lines are: \(named.prefix(40).joined(separator: ", "))"
        throw GPIOError(
            kind: .lineNotFound, description: "GPIO chip \(label) (\(path)) has no line \"\(line)\"; \(hint).")
    }

    /// Requests a line as an input that reports both edges.
    public func input(_ line: String, consumer: String, bias: GPIOBias, activeLow: Bool) throws -> GPIOLine {
        let offset = try resolve(line)
        let req = handle.withLock { h in
            h.pointer.flatMap { csam_request_input($0, offset, consumer, bias.c, activeLow ? 1 : 0) }
        }
        guard let req else {
            throw GPIOError.from(
                errno: errno, chip: label, line: line, what: "request", consumerOf: { self.info(offset)?.consumer })
        }
        return GPIOLine(chip: self, line: line, offset: offset, consumer: consumer, request: req)
    }
}

extension GPIOChip {
    /// Requests several lines as outputs in one request (a light's lines): set together by one
    /// call, one ioctl, as a press's acknowledgement must be. All off at first.
    public func outputs(_ lines: [String], consumer: String, activeLow: Bool) throws -> GPIOOutputs {
        guard !lines.isEmpty, lines.count <= Int(CSAM_MAX_LINES) else {
            throw GPIOError(
                kind: .failed, description: "a light has 1 to \(CSAM_MAX_LINES) lines, not \(lines.count)")
        }
        let offsets = try lines.map { try resolve($0) }
        let off = [Int32](repeating: 0, count: offsets.count)
        let req = handle.withLock { h -> OpaquePointer? in
            guard let chip = h.pointer else { return nil }
            return csam_request_outputs(chip, offsets, UInt32(offsets.count), consumer, activeLow ? 1 : 0, off)
        }
        guard let req else {
            let code = errno
            // Which line: the first that another consumer holds, else all of them.
            let busy = offsets.firstIndex { info($0)?.used == true }
            let line = busy.map { lines[$0] } ?? lines.joined(separator: ", ")
            let offset = busy.map { offsets[$0] } ?? offsets[0]
            throw GPIOError.from(
                errno: code, chip: label, line: line, what: "request", consumerOf: { self.info(offset)?.consumer })
        }
        return GPIOOutputs(chip: self, lines: lines, request: req)
    }
}

/// A libgpiod request and the chip it came from. The chip stays open while the request is held:
/// libgpiod 1.x releases and frees every line of a chip when the chip is closed. Released when
/// released explicitly or when the last reference goes.
final class LineRequest: Sendable {
    private let owner: GPIOChip
    private let handle: Mutex<CHandle>
    var chip: String { owner.label }

    init(chip: GPIOChip, pointer: OpaquePointer) {
        owner = chip
        handle = Mutex(CHandle(pointer: pointer))
    }

    deinit { release() }

    func release() {
        handle.withLock { h in
            if let r = h.pointer { csam_request_release(r) }
            h.pointer = nil
        }
    }

    /// `body` with the request, under its lock; nil once released.
    func with<T: Sendable>(_ body: (OpaquePointer) -> T) -> T? {
        handle.withLock { h -> T? in
            guard let p = h.pointer else { return nil }
            return body(p)
        }
    }
}

/// Output lines requested together: set by one call.
public final class GPIOOutputs: Sendable {
    private let request: LineRequest
    public var chip: String { request.chip }
    public let lines: [String]

    init(chip: GPIOChip, lines: [String], request: OpaquePointer) {
        self.request = LineRequest(chip: chip, pointer: request)
        self.lines = lines
    }

    public func release() { request.release() }

    /// Sets every line at once: `values` in the order of `lines` (logical: true is active).
    public func set(_ values: [Bool]) throws {
        precondition(values.count == lines.count, "one value per line")
        var v = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
        let rc = withUnsafeMutableBytes(of: &v) { raw -> Int32 in
            let p = raw.bindMemory(to: Int32.self)
            for (i, on) in values.enumerated() { p[i] = on ? 1 : 0 }
            return request.with { csam_set_values($0, p.baseAddress) } ?? -1
        }
        guard rc == 0 else {
            throw GPIOError(
                kind: .failed,
                description:
                    "cannot set GPIO lines \(lines.joined(separator: ", ")) on chip \(chip): \(String(cString: strerror(errno)))"
            )
        }
    }
}

/// A requested input line. Released when released explicitly or when the last reference goes.
public final class GPIOLine: Sendable {
    private let request: LineRequest
    public var chip: String { request.chip }
    public let line: String
    public let offset: UInt32
    /// The label the line was requested with: the kernel names the line's interrupt after it.
    public let consumer: String
    /// The descriptor that becomes readable when edge events are pending.
    public let fileDescriptor: Int32

    init(chip: GPIOChip, line: String, offset: UInt32, consumer: String, request: OpaquePointer) {
        self.line = line
        self.offset = offset
        self.consumer = consumer
        self.fileDescriptor = csam_request_fd(request)
        self.request = LineRequest(chip: chip, pointer: request)
    }

    public func release() { request.release() }

    /// The logical value (true: active).
    public func get() throws -> Bool {
        let v = request.with { csam_get_value($0) } ?? -1
        guard v >= 0 else {
            throw GPIOError(
                kind: .failed,
                description: "cannot read GPIO line \(line) on chip \(chip): \(String(cString: strerror(errno)))")
        }
        return v == 1
    }

    /// Reads one pending edge event (call when the descriptor is readable).
    public func readEvent() -> (active: Bool, timestamp: UInt64)? {
        request.with { r -> (Bool, UInt64)? in
            var rising: Int32 = 0
            var ts: UInt64 = 0
            guard csam_read_event(r, &rising, &ts) == 1 else { return nil }
            return (rising != 0, ts)
        } ?? nil
    }
}

/// Now on CLOCK_MONOTONIC in nanoseconds: the clock of the kernel's edge timestamps (or on
/// `clock`: CLOCK_BOOTTIME, as `ContinuousClock` on Linux, counts a suspend too).
public func monotonicNanoseconds(_ clock: clockid_t = CLOCK_MONOTONIC) -> UInt64 {
    var ts = timespec()
    clock_gettime(clock, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
