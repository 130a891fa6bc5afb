import Foundation
import Logging
import SamtaleCore
import ServiceLifecycle
import Synchronization

/// What must be done before the kiosk tells systemd it is ready: the web server listens, and the
/// schedule file has been read once (successfully or not: an unreachable share is shown on the
/// door, it does not keep the service from starting).
public final class Readiness: Sendable {
    public enum Step: String, Sendable, CaseIterable { case http, schedule }
    private let state: Mutex<(done: Set<Step>, waiters: [CheckedContinuation<Void, Never>])>
    private let needed: Set<Step>

    public init(needs: Set<Step>) {
        needed = needs
        state = Mutex(([], []))
    }

    public func mark(_ step: Step) {
        let resumed = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.done.insert(step)
            guard needed.isSubset(of: s.done) else { return [] }
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in resumed { w.resume() }
    }

    public var isReady: Bool { state.withLock { needed.isSubset(of: $0.done) } }

    public func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if needed.isSubset(of: s.done) { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }
}
