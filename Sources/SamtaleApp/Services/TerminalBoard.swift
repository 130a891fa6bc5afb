import Foundation
import NIOCore
import NIOPosix
import SamtaleCore
import SamtaleHardware
import ServiceLifecycle

/// The demo's simulated board in the terminal: Enter presses the check-in button, and the
/// light's changes are printed as they happen.
struct TerminalBoard: Service {
    let board: SimulatedBoard
    let kiosk: Kiosk
    let readKeyboard: Bool

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await printChanges() }
            group.addTask { await forwardPresses() }
            if readKeyboard { group.addTask { await readEnter() } }
            try? await gracefulShutdown()
            board.finish()
            group.cancelAll()
        }
    }

    private func printChanges() async {
        for await change in board.changes {
            switch change {
            case .light(let state): print("💡 light: \(Self.symbol(state)) \(state.rawValue)")
            case .acknowledged: print("💡 light: ✳ flash (press seen)")
            }
        }
    }

    private func forwardPresses() async {
        for await source in board.presses {
            let view = await kiosk.press(source)
            if let ack = view.acknowledgement { print("🔘 press → \(ack.result)") }
        }
    }

    /// Reads stdin through NIO (no thread blocked on it); each line is a press.
    private func readEnter() async {
        do {
            let fd = dup(0)
            let channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptor(input: fd) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            try await channel.executeThenClose { inbound, _ in
                for try await buffer in inbound {
                    let presses = buffer.readableBytesView.filter { $0 == UInt8(ascii: "\n") }.count
                    for _ in 0..<presses { board.press() }
                }
            }
        } catch {
            // stdin is not a terminal or pipe we can read: the HTTP press still works.
        }
    }

    static func symbol(_ s: LightState) -> String {
        switch s {
        case .free: "🟢"
        case .waiting: "🟡"
        case .inSession, .endingSoon: "🔴"
        case .overrun: "🔴!"
        case .closed: "⚫"
        case .fault: "🟣"
        }
    }
}
