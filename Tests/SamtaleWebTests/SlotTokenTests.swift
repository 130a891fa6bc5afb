import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SamtaleCore
import Testing

@testable import SamtaleWeb

@Suite("Slot tokens: opaque, keyed, stable")
struct SlotTokenTests {
    @Test("A token is 128 bits of hex, the same under one key, different under another, never the id")
    func keyed() {
        let a = SlotTokens(secret: Data(repeating: 0xA1, count: 32))
        let a2 = SlotTokens(secret: Data(repeating: 0xA1, count: 32))
        let b = SlotTokens(secret: Data(repeating: 0xB2, count: 32))
        for id in ["12345678901", "B0", "f3a9c1e0d2b4a697"] {
            let t = a.token(id)
            #expect(t.count == 32 && t.allSatisfy({ ("a"..."p").contains($0) }))
            #expect(t == a2.token(id))
            #expect(t != b.token(id))
            #expect(!t.contains(id))
        }
        #expect(a.token("B0") != a.token("B1"))
        #expect(SlotTokens.random().token("B0") != SlotTokens.random().token("B0"))
    }

    @Test("The published door view names every slot by its token, and changes nothing else")
    func publish() async {
        let backend = FakeBackend()
        let view = await backend.door()
        let tokens = SlotTokens(secret: Data(repeating: 7, count: 32))
        let published = tokens.publish(view)
        let slots = [published.current, published.next].compactMap { $0 } + published.upcoming
        #expect(!slots.isEmpty)
        let original = [view.current, view.next].compactMap { $0 } + view.upcoming
        for (p, o) in zip(slots, original) {
            #expect(p.id == tokens.token(o.id))
            var same = p
            same.id = o.id
            #expect(same == o)
        }
    }

    @Test("/api/door and /events publish tokens, never the booking ids")
    func routes() async throws {
        let backend = FakeBackend()
        let view = await backend.door()
        let ids = ([view.current, view.next].compactMap { $0 } + view.upcoming).map(\.id)
        #expect(!ids.isEmpty)
        try await app(backend).test(.router) { client in
            for path in ["/api/door", "/events"] {
                try await client.execute(uri: path, method: .get) { response in
                    let body = String(buffer: response.body)
                    #expect(body.contains("\"id\":\""), "\(path)")
                    for id in ids { #expect(!body.contains("\"id\":\"\(id)\""), "\(path) publishes \(id)") }
                }
            }
        }
    }
}
