import CSamtaleLinux
import Foundation

/// The kernel thread that runs a GPIO line's edge interrupt (`irq/N-LABEL`, N from
/// /proc/interrupts, whose last column is the label the line was requested with), and where it
/// last ran.
///
/// The kernel wakes the button's thread from that thread. A `SCHED_FIFO` thread is woken on the
/// CPU it last ran on, so unless both are on one CPU every press crosses CPUs (an
/// inter-processor interrupt, and on a busy or emulated board a wait for the other CPU). The
/// button's thread follows this one: it asks where it ran after each edge and moves there.
public struct InterruptThread: Sendable, Hashable {
    public let irq: Int
    public let pid: Int32
    /// Its name as the kernel keeps it (at most 15 bytes: `irq/24-samtale-`).
    public let name: String
    /// Where its scheduling state is read (/proc/PID/stat).
    let statPath: String

    public init(irq: Int, pid: Int32, name: String) { self.init(irq: irq, pid: pid, name: name, statPath: nil) }

    init(irq: Int, pid: Int32, name: String, statPath: String?) {
        self.irq = irq
        self.pid = pid
        self.name = name
        self.statPath = statPath ?? "/proc/\(pid)/stat"
    }

    /// The thread of the interrupt requested with `label`, or nil (no such interrupt, or a
    /// kernel that handles it without a thread of its own).
    public static func find(label: String, proc: String = "/proc") -> InterruptThread? {
        guard let table = try? String(contentsOfFile: "\(proc)/interrupts", encoding: .utf8),
            let irq = irqNumber(label: label, interrupts: table),
            let entries = try? FileManager.default.contentsOfDirectory(atPath: proc)
        else { return nil }
        let prefix = "irq/\(irq)-"
        for entry in entries where entry.utf8.allSatisfy({ (48...57).contains($0) }) {
            guard let comm = try? String(contentsOfFile: "\(proc)/\(entry)/comm", encoding: .utf8),
                comm.hasPrefix(prefix), let pid = Int32(entry)
            else { continue }
            return InterruptThread(irq: irq, pid: pid, name: comm.trimmingCharacters(in: .newlines))
        }
        return nil
    }

    /// The number of the interrupt whose action is named `label` in a /proc/interrupts table
    /// (`  24:   0   0  irq_sim   0  samtale-button`; a shared line lists its names with ", ").
    static func irqNumber(label: String, interrupts: String) -> Int? {
        for row in interrupts.split(separator: "\n") {
            let fields = row.split(separator: ":", maxSplits: 1)
            guard fields.count == 2, let irq = Int(fields[0].trimmingCharacters(in: .whitespaces)) else { continue }
            // The actions close the row, ", "-separated; the first follows the chip's columns.
            let actions = fields[1].trimmingCharacters(in: .whitespaces).components(separatedBy: ", ")
            let names = [actions[0].split(separator: " ").last.map(String.init) ?? ""] + actions.dropFirst()
            if names.contains(label) { return irq }
        }
        return nil
    }

    /// The CPU a task last ran on: field 39 of /proc/PID/stat, counted after the name's closing
    /// parenthesis (a name may hold spaces and parentheses).
    static func lastCPU(stat: String) -> Int32? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (the state): field 39 is fields[36].
        guard fields.count > 36 else { return nil }
        return Int32(fields[36])
    }

    /// Where the thread last ran (nil when it is gone).
    public func lastCPU() -> Int32? {
        let fd = open(statPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = close(fd) }
        // On the stack: the button's thread asks after every edge.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
            let n = read(fd, buffer.baseAddress, buffer.count)
            guard n > 0 else { return nil }
            return Self.lastCPU(stat: String(decoding: buffer[0..<n], as: UTF8.self))
        }
    }
}

/// Keeps the calling thread on the CPU where an interrupt's thread runs.
struct InterruptFollower {
    let thread: InterruptThread
    private(set) var cpu: Int32?
    /// Why the last move was refused (the system's words), if it was, and to which CPU: not asked
    /// again at every edge while the interrupt's thread stays there.
    private(set) var refused: String?
    private var refusedCPU: Int32?

    init(_ thread: InterruptThread) { self.thread = thread }

    /// Moves the calling thread to where the interrupt's thread last ran, if that is elsewhere;
    /// the CPU it moved to, or nil when it stayed (or could not move: then it stays where it is,
    /// and `refused` says why).
    mutating func follow() -> Int32? {
        guard let there = thread.lastCPU(), there >= 0, there != cpu, there != refusedCPU else { return nil }
        guard csamtale_pin_thread(there) == 0 else {
            refused = "CPU \(there) refused: \(String(cString: strerror(errno)))"
            refusedCPU = there
            return nil
        }
        cpu = there
        (refused, refusedCPU) = (nil, nil)
        return there
    }

    /// Where the calling thread runs, in the words of the log's "GPIO acquired" line.
    var placement: String {
        "; on the CPU of \(thread.name) (\(cpu.map { "CPU \($0)" } ?? refused ?? "not yet known"))"
    }
}
