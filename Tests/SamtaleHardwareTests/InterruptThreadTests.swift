import CSamtaleLinux
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import SamtaleHardware

#if canImport(Glibc)
    import Glibc
#endif

@Suite("The interrupt's thread, found in /proc, and the button's thread that follows it")
struct InterruptThreadTests {
    @Test("an interrupt is found by its action's name in this machine's /proc/interrupts")
    func findsInterruptsByName() throws {
        let table = try String(contentsOfFile: "/proc/interrupts", encoding: .utf8)
        var checked = 0
        for row in table.split(separator: "\n").dropFirst() {
            let fields = row.split(separator: ":", maxSplits: 1)
            guard fields.count == 2, let irq = Int(fields[0].trimmingCharacters(in: .whitespaces)),
                let name = fields[1].split(separator: " ").last.map(String.init), !name.hasSuffix(","),
                table.components(separatedBy: " " + name + "\n").count == 2  // a name only one interrupt has
            else { continue }
            #expect(InterruptThread.irqNumber(label: name, interrupts: table) == irq, "\(name)")
            checked += 1
        }
        #expect(checked > 0, "no named interrupt in /proc/interrupts")
        #expect(InterruptThread.irqNumber(label: "no-such-consumer", interrupts: table) == nil)
    }

    @Test("a GPIO line's interrupt as the virtual board's kernel lists it; a longer name is not a match")
    func gpioSimRows() {
        // Read off the virtual board (Board/vboard bench with vboard.trace=1, kernel 6.1).
        let table = """
                       CPU0       CPU1
             24:          0          0   irq_sim   0  samtale-button
             25:          0          0   irq_sim   1  samtale-teacher-button
             30:          3          0   IO-APIC  12-edge      i8042, samtale-x
            """
        #expect(InterruptThread.irqNumber(label: "samtale-button", interrupts: table) == 24)
        #expect(InterruptThread.irqNumber(label: "samtale-teacher-button", interrupts: table) == 25)
        #expect(InterruptThread.irqNumber(label: "button", interrupts: table) == nil)
        #expect(InterruptThread.irqNumber(label: "i8042", interrupts: table) == 30)
        #expect(InterruptThread.irqNumber(label: "samtale-x", interrupts: table) == 30)
    }

    @Test("the CPU a thread last ran on, from /proc/PID/stat, is the one the kernel says it runs on")
    func lastCPUOfAThread() {
        let seen = Mutex<[(stat: Int32?, now: Int32)]>([])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            // Pinned, so that the kernel cannot move it between the two looks.
            let cpu = csamtale_current_cpu()
            _ = csamtale_pin_thread(cpu)
            let me = InterruptThread(irq: 0, pid: currentTID(), name: "test")
            for _ in 0..<5 { seen.withLock { $0.append((me.lastCPU(), csamtale_current_cpu())) } }
            done.signal()
        }
        thread.start()
        done.wait()
        for look in seen.withLock({ $0 }) {
            #expect(look.stat == look.now)
        }
        // A name with spaces and parentheses does not shift the fields.
        let fields = (3...52).map { $0 == 39 ? "7" : "\($0)" }.joined(separator: " ")
        #expect(InterruptThread.lastCPU(stat: "42 (a (b) c) " + fields) == 7)
        #expect(InterruptThread.lastCPU(stat: "42 (short) 3 4") == nil)
    }

    @Test("the follower moves the calling thread to the followed thread's CPU, and says so once")
    func followerMoves() {
        let result = Mutex<(first: Int32?, second: Int32?, ran: Int32, target: Int32?)>((nil, nil, -1, nil))
        let done = DispatchSemaphore(value: 0)
        // Followed: a thread of this test pinned to the CPU it started on.
        let targetReady = DispatchSemaphore(value: 0)
        let stop = DispatchSemaphore(value: 0)
        let tid = Mutex<Int32>(0)
        let target = Thread {
            _ = csamtale_pin_thread(csamtale_current_cpu())
            tid.withLock { $0 = currentTID() }
            targetReady.signal()
            stop.wait()
        }
        target.start()
        targetReady.wait()
        let followed = InterruptThread(irq: 0, pid: tid.withLock { $0 }, name: "test")
        let follower = Thread {
            var f = InterruptFollower(followed)
            let first = f.follow()
            let second = f.follow()
            result.withLock { $0 = (first, second, csamtale_current_cpu(), followed.lastCPU()) }
            done.signal()
        }
        follower.start()
        done.wait()
        stop.signal()
        let r = result.withLock { $0 }
        #expect(r.first != nil && r.first == r.target)
        #expect(r.ran == r.target)
        #expect(r.second == nil)  // already there: no second move
    }

    @Test("a CPU the thread may not use is refused with the system's reason, and the thread stays")
    func followerRefused() {
        let said = Mutex<(moved: Int32?, placement: String, ran: Int32, before: Int32)>((nil, "", -1, -1))
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let before = csamtale_current_cpu()
            _ = csamtale_pin_thread(before)
            // A thread whose stat says CPU 1023, which no machine here has.
            let proc = FileManager.default.temporaryDirectory.appendingPathComponent("interrupt-\(UUID())")
            try? FileManager.default.createDirectory(at: proc, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: proc) }
            var f = InterruptFollower(
                InterruptThread(irq: 9, pid: 0, name: "irq/9-test", statPath: proc.appendingPathComponent("stat").path))
            let fields = (3...52).map { $0 == 39 ? "1023" : "0" }.joined(separator: " ")
            try? "7 (irq/9-test) \(fields)".write(
                to: proc.appendingPathComponent("stat"), atomically: true, encoding: .utf8)
            let moved = f.follow()
            said.withLock { $0 = (moved, f.placement, csamtale_current_cpu(), before) }
            done.signal()
        }
        thread.start()
        done.wait()
        let r = said.withLock { $0 }
        #expect(r.moved == nil)
        #expect(r.placement == "; on the CPU of irq/9-test (CPU 1023 refused: Invalid argument)")
        #expect(r.ran == r.before)
    }
}

/// The calling thread's id, from /proc/thread-self (PID/task/TID).
private func currentTID() -> Int32 {
    let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
    return Int32(link.split(separator: "/").last ?? "") ?? -1
}
