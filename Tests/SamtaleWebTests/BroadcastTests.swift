import Foundation
import Hummingbird
import HummingbirdTesting
import SamtaleCore
import Synchronization
import Testing

@testable import SamtaleWeb

@Suite("Broadcast")
struct BroadcastTests {
    @Test("every subscriber gets every value; finish ends them all")
    func fanOut() async {
        let b = Broadcast<Int>()
        let s1 = b.subscribe(initial: 0)
        let s2 = b.subscribe()
        #expect(b.subscriberCount == 2)
        b.send(1)
        b.send(2)
        b.finish()
        var got1: [Int] = []
        for await v in s1 { got1.append(v) }
        var got2: [Int] = []
        for await v in s2 { got2.append(v) }
        #expect(got1 == [0, 1, 2])
        #expect(got2 == [1, 2])
        #expect(b.subscriberCount == 0)
        var after: [Int] = []
        for await v in b.subscribe(initial: 9) { after.append(v) }
        #expect(after.isEmpty || after == [9])
    }

    @Test("a slow subscriber keeps only the newest values")
    func bounded() async {
        let b = Broadcast<Int>(buffer: 2)
        let s = b.subscribe()
        for i in 0..<100 { b.send(i) }
        b.finish()
        var got: [Int] = []
        for await v in s { got.append(v) }
        #expect(got == [98, 99])
    }
}
