import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleHardware

@Suite("GPIO errors on a machine without the chip")
struct GPIOErrorTests {
    @Test("a chip that is not there is named, with the chips that are")
    func missingChip() {
        #expect(throws: GPIOError.self) { try GPIOChip.open("no-such-chip") }
        do {
            _ = try GPIOChip.open("no-such-chip")
            Issue.record("opened a chip that is not there")
        } catch let e as GPIOError {
            #expect(e.kind == .chipNotFound)
            #expect(e.description.contains("\"no-such-chip\""))
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try GPIOChip.open("/dev/gpiochip-does-not-exist")
            Issue.record("opened a chip that is not there")
        } catch let e as GPIOError {
            #expect(e.kind == .chipNotFound)
            #expect(e.description.contains("/dev/gpiochip-does-not-exist"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the library generation is 1 or 2")
    func api() { #expect([1, 2].contains(GPIOChip.apiVersion)) }
}
