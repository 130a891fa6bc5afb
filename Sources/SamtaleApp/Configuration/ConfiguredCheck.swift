import Foundation

/// Whether a configuration names what a kiosk needs before it may start: a room and a schedule
/// file. The package installs `/etc/samtale/samtale.json` without them (CHANGE-ME placeholders,
/// or empty), and `samtale setup` fills them in; until then `samtale.service` is skipped
/// (`ExecCondition=samtale check --config FILE --configured`), not failed and restarted.
enum ConfiguredCheck {
    /// The keys still missing, empty or a placeholder; empty when the file is configured. A file
    /// that cannot be read or is not JSON counts as configured: `samtale run` then says what is
    /// wrong (other mistakes in it too: they are not this question).
    static func missing(path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path),
            let document = try? ConfigJSON(parsing: Array(data))
        else { return [] }
        return missing(document)
    }

    static func missing(_ document: ConfigJSON) -> [String] {
        [["kiosk", "room"], ["schedule", "path"]].compactMap { path in
            guard case .string(let s)? = document.node(at: path)?.value,
                !s.trimmingCharacters(in: .whitespaces).isEmpty, !s.hasPrefix("CHANGE-ME")
            else { return path.joined(separator: ".") }
            return nil
        }
    }
}
