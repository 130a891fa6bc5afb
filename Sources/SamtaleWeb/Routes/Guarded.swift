import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SamtaleCore
import Synchronization

/// A value behind a lock, shareable by reference (a `Mutex` itself cannot be copied).
final class Guarded<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout sending Value) -> sending R) -> sending R { mutex.withLock(body) }
}
