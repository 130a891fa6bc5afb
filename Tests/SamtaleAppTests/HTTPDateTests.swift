import Foundation
import SamtaleTestSupport
import Testing

@testable import SamtaleApp

/// The kiosk's own `Date` header (Hummingbird's date cache woke the process every second, issue 12).
@Suite("The Date header")
struct HTTPDateTests {
    @Test("the Date header is RFC 9110's IMF-fixdate, as Foundation's POSIX formatter writes it")
    func httpDate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let seed = TestSeed("HTTP dates")
        var rng = seed.generator()
        for _ in 0..<500 {
            let second = Int.random(in: 0...4_102_444_800, using: &rng)
            #expect(
                HTTPDate.format(second) == formatter.string(from: Date(timeIntervalSince1970: Double(second))),
                "\(second), \(seed)")
        }
        let before = time(nil)
        let now = HTTPDate.now()
        #expect(now == HTTPDate.format(before) || now == HTTPDate.format(time(nil)))
    }
}
