import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The request's client: its IP address (never a header a client could forge).
public func clientAddress(_ context: some RequestContext) -> String {
    (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "unknown"
}

/// The request context of the kiosk's server: knows the client's address, and takes small bodies
/// only (the largest legitimate one is a sign-in form).
public struct KioskRequestContext: StaffRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The staff session, on the routes of a group behind `StaffSessionMiddleware`.
    public var staffSession: SessionStore.Session?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { 16 * 1024 }
}
