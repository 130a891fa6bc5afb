import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A value the routes answer with as JSON, encoded by its own encoder (the school's time zone for
/// dates), with its status.
public struct JSONView<Value: Encodable>: ResponseGenerator {
    public var value: Value
    public var encoder: JSONEncoder
    public var status: HTTPResponse.Status

    public init(_ value: Value, encoder: JSONEncoder, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.encoder = encoder
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try RawBody(encoder.encode(value), type: JSONView.contentType, status: status)
            .response(from: request, context: context)
    }

    static var contentType: String { "application/json; charset=utf-8" }
}

/// A body already in its final bytes (a page, a style sheet, a script, a JSON document made
/// elsewhere), with its content type and status.
public struct RawBody: ResponseGenerator, Sendable {
    public var bytes: ByteBuffer
    public var type: String
    public var status: HTTPResponse.Status
    public var headers: HTTPFields

    public init(_ data: Data, type: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.init(ByteBuffer(bytes: data), type: type, status: status, headers: headers)
    }

    public init(_ text: String, type: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.init(ByteBuffer(string: text), type: type, status: status, headers: headers)
    }

    public init(_ bytes: ByteBuffer, type: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.bytes = bytes
        self.type = type
        self.status = status
        self.headers = headers
    }

    /// An HTML page.
    public static func html(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> RawBody {
        RawBody(text, type: "text/html; charset=utf-8", status: status, headers: headers)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
    }
}

/// `303 See Other` to another page of the kiosk.
public struct Redirect: ResponseGenerator, Sendable {
    public var location: String

    public init(to location: String) { self.location = location }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
