import SamtaleCore
import Synchronization

/// Several lights showing the same state (the GPIO light and the terminal's, say); a light
/// attached later (a GPIO line acquired after a retry) is brought up to the current state at once.
public final class CompositeLight: OccupancyLight, Sendable {
    private let state = Mutex<(lights: [any OccupancyLight], current: LightState?)>(([], nil))

    public init(_ lights: [any OccupancyLight] = []) { state.withLock { $0.lights = lights } }

    public func attach(_ light: any OccupancyLight) async {
        let current = state.withLock { s -> LightState? in
            s.lights.append(light)
            return s.current
        }
        if let current { await light.show(current) }
    }

    public func show(_ light: LightState) async {
        let lights = state.withLock { s -> [any OccupancyLight] in
            s.current = light
            return s.lights
        }
        for l in lights { await l.show(light) }
    }

    public func acknowledge(edge: UInt64?) async {
        for l in state.withLock({ $0.lights }) { await l.acknowledge(edge: edge) }
    }
}
