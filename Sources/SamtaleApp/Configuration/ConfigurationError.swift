import Foundation

/// A configuration that cannot be used, said so an IT person can act on it: the file, the line
/// and column, the key's path. Thrown from a command's `run()` it is printed as `Error: …` with no
/// usage text (ArgumentParser adds usage only to its own and to validation errors: a mistake in a
/// file is not a mistake on the command line).
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var problems: [ConfigSchema.Problem]

    public init(path: String, problems: [ConfigSchema.Problem]) {
        self.path = path
        self.problems = problems
    }

    /// One line per problem, errors first: `FILE:LINE:COLUMN: KEY: MESSAGE`.
    public var description: String {
        var lines = problems.filter { $0.severity == .error }.map { Self.line(path, $0) }
        lines += problems.filter { $0.severity == .warning }.map { Self.line(path, $0) }
        return lines.joined(separator: "\n")
    }

    public static func line(_ path: String, _ p: ConfigSchema.Problem) -> String {
        "\(path)\(p.position.map { ":\($0)" } ?? ""): \(p)"
    }

    /// Reads and parses a configuration file and checks its keys against the schema: the
    /// document and its warnings, or an error naming every error (and the warnings).
    public static func read(path: String) throws(ConfigurationError) -> (ConfigJSON, [ConfigSchema.Problem]) {
        func fail(_ message: String, at position: ConfigJSON.Position? = nil) -> ConfigurationError {
            ConfigurationError(
                path: path, problems: [.init(severity: .error, key: "", position: position, message: message)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("the configuration file does not exist (samtale setup writes one)")
        }
        if isDirectory.boolValue { throw fail("is a folder, not a configuration file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("the configuration file cannot be read by this user (uid \(getuid())): check its owner and mode")
        }
        let document: ConfigJSON
        do {
            document = try ConfigJSON(parsing: Array(data))
        } catch {
            throw fail("not valid JSON: \(error.message)", at: error.position)
        }
        let problems = ConfigSchema.problems(in: document)
        if problems.contains(where: { $0.severity == .error }) {
            throw ConfigurationError(path: path, problems: problems)
        }
        return (document, problems)
    }
}
