import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleHardware

@Suite("GPIO errors on a machine without the chip")
struct GPIOErrorTests {
    @Test("a chip that is not there is named, with the chips that are")
    func missingChip() {
        for name in ["no-such-chip", "/dev/gpiochip-does-not-exist"] {
            let error = #expect(throws: GPIOError.self) { try GPIOChip.open(name) }
            #expect(error?.kind == .chipNotFound, "\(name)")
            #expect(error?.description.contains(name) == true, "\(String(describing: error)) names \(name)")
        }
    }

    @Test("the library generation is 1 or 2")
    func api() { #expect([1, 2].contains(GPIOChip.apiVersion)) }
}
