import Crypto
import Foundation
import SamtaleCore

/// The public names of conference slots: an opaque token per booking, a keyed digest (HMAC-SHA256)
/// of the booking's id under the school's secret. The booking id itself is the office's `id` column
/// (pupil numbers, even national identity numbers) or, without one, a digest of date, room, start
/// and pupil that anyone with a class list could compute: neither may leave the kiosk on a public
/// route. Without the key, a token tells nothing about the booking, and a guess cannot be checked.
public struct SlotTokens: Sendable {
    private let key: SymmetricKey

    /// At least 16 bytes of secret.
    public init(secret: some ContiguousBytes) {
        key = SymmetricKey(data: secret)
    }

    /// A key that lives as long as the process (tokens change on restart).
    public static func random() -> SlotTokens {
        SlotTokens(secret: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// The public token of a booking id: 128 bits of HMAC-SHA256, as 32 letters `a`–`p` (four
    /// bits each). Letters, not hex digits: a token never looks like a number (a pupil number or
    /// an 11-digit identity number) to a person or a scanner.
    public func token(_ id: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("samtale-slot\u{0}\(id)".utf8), using: key)
        let letters = Array("abcdefghijklmnop".unicodeScalars)
        var out = String.UnicodeScalarView()
        for byte in mac.prefix(16) {
            out.append(letters[Int(byte >> 4)])
            out.append(letters[Int(byte & 0x0F)])
        }
        return String(out)
    }

    /// The door view as it may be published: every slot named by its token.
    public func publish(_ view: DoorView) -> DoorView {
        var view = view
        view.current = view.current.map(publish)
        view.next = view.next.map(publish)
        view.upcoming = view.upcoming.map(publish)
        return view
    }

    func publish(_ slot: DoorSlot) -> DoorSlot {
        var slot = slot
        slot.id = token(slot.id)
        return slot
    }
}
