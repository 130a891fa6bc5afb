import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleHardware

let ms: UInt64 = 1_000_000
