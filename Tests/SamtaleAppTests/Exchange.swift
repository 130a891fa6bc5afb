import Foundation
import SamtaleTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 exchange with `Connection: close`: status, headers (lower-cased names), body.
struct Exchange {
    var status: Int
    var headers: [String: String]
    var body: String
    var raw: String

    func cookie(_ name: String) -> String? {
        guard let line = headers["set-cookie"], line.hasPrefix(name + "=") else { return nil }
        return String(line.dropFirst(name.count + 1).prefix { $0 != ";" })
    }
}

/// One request and its response, read until the server closes the connection, or (for a stream
/// that stays open, as `/events`) until `until` holds for what arrived.
func exchange(
    _ method: String, port: Int, _ path: String, headers: [String: String] = [:], body: String = "",
    until: @escaping @Sendable (String) -> Bool = { _ in false }
) async -> Exchange {
    var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (k, v) in headers { request += "\(k): \(v)\r\n" }
    if !body.isEmpty || method == "POST" {
        request += "Content-Length: \(body.utf8.count)\r\n"
    }
    request += "\r\n" + body
    let raw = await rawHTTP(port: port, request, until: until)
    let parts = raw.components(separatedBy: "\r\n\r\n")
    let head = parts.first ?? ""
    var fields: [String: String] = [:]
    let lines = head.components(separatedBy: "\r\n")
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
    return Exchange(status: status, headers: fields, body: parts.dropFirst().joined(separator: "\r\n\r\n"), raw: raw)
}

/// `samtale hash-secret`, fed the secret on standard input.
func hashSecret(_ secret: String) async throws -> String {
    try await samtale(["hash-secret"], input: secret + "\n").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}
