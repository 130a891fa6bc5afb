import SamtaleWeb
import Synchronization

/// A sleep that can be cut short: the kiosk sleeps until the next instant its state changes by
/// time alone, and is woken at once when an event arrives.
public final class Alarm: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    public init() {}

    /// Wakes the sleeper (or the next one, if nobody sleeps now).
    public func ring() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.rung = true
            return nil
        }
        waiter?.resume()
    }

    /// Sleeps for `duration`, or until `ring()`, or until cancelled; true when it was rung (or
    /// cancelled), false when the time ran out.
    @discardableResult
    public func sleep(for duration: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await LoopSleep.sleep(for: duration)) == nil }
            group.addTask {
                await self.waitForRing()
                return true
            }
            let rung = await group.next() ?? true
            group.cancelAll()
            return rung
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.rung || Task.isCancelled {
                        s.rung = false
                        return true
                    }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
                defer { s.waiter = nil }
                return s.waiter
            }
            waiter?.resume()
        }
    }
}
