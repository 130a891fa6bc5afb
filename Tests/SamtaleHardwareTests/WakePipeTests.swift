import Dispatch
import Foundation
import Synchronization
import Testing

@testable import SamtaleHardware

#if canImport(Glibc)
    import Glibc
#endif

@Suite("The wake pipe and poll's time-outs (the button's thread and the pulse)")
struct WakePipeTests {
    @Test("a ring ends a poll on the pipe from another thread (not its time-out)")
    func ringEndsPoll() {
        let wake = WakePipe()
        defer { wake.close() }
        #expect(wake.readEnd >= 0)
        let woken = Mutex<Int16>(0)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var entry = wake.pollEntry
            // Ten seconds: a ring that did not arrive shows as no event, not as a slow test.
            _ = poll(&entry, 1, 10_000)
            woken.withLock { $0 = entry.revents }
            done.signal()
        }
        thread.start()
        #expect(wake.ring())
        done.wait()
        #expect(woken.withLock { $0 } & Int16(POLLIN) != 0)
    }

    @Test("both ends are close-on-exec from the pipe's making")
    func closeOnExec() {
        let wake = WakePipe()
        defer { wake.close() }
        for fd in [wake.readEnd, wake.writeEnd] {
            #expect(fd >= 0)
            #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        }
        #expect(wake.ring())
        var byte: UInt8 = 0
        #expect(read(wake.readEnd, &byte, 1) == 1 && byte == 1)
    }

    @Test("durations in nanoseconds and in poll's milliseconds")
    func durations() {
        #expect(Duration.milliseconds(1500).wholeNanoseconds == 1_500_000_000)
        #expect(Duration.nanoseconds(7).wholeNanoseconds == 7)
        #expect(Duration.seconds(-1).wholeNanoseconds == 0)
        #expect(Duration.seconds(1).pollMilliseconds == 1000)
        // Never a busy poll (0 ms), never past a day.
        #expect(Duration.microseconds(10).pollMilliseconds == 1)
        #expect(Duration.zero.pollMilliseconds == 1)
        #expect(Duration.seconds(200_000).pollMilliseconds == 86_400_000)
    }
}
