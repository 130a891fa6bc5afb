import Foundation
import Logging
import SamtaleCore
import SamtaleHardware
import ServiceLifecycle
import Synchronization

/// Whether the GPIO lines are held, and why not.
public final class GPIOState: Sendable {
    private let state = Mutex<(acquired: Bool, problem: String?)>((false, "not acquired yet"))
    public init() {}
    func set(acquired: Bool, problem: String?) { state.withLock { $0 = (acquired, problem) } }
    public var acquired: Bool { state.withLock { $0.acquired } }
    public var problem: String? { state.withLock { $0.problem } }
}
