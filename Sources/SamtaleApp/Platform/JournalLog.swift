import Foundation
import Logging

/// Log lines for systemd's journal: when stderr is the journal (`$JOURNAL_STREAM` is set), every
/// line starts with its syslog priority, `<N>` (sd-daemon(3)), so `journalctl -p warning` and the
/// colours work. Elsewhere, swift-log's usual lines with a timestamp.
///
/// At info level the kiosk logs no personal data: slots are named by their time, never by the
/// pupil or the guardians.
struct JournalLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func line(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata
    ) -> String {
        var text = "<\(priority(level))>\(message)"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { text += " \(key)=\(value)" }
        return String(text.map { $0 == "\n" ? " " : $0 }) + "\n"
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        FileHandle.standardError.write(
            Data(Self.line(level: event.level, message: event.message, metadata: merged).utf8))
    }
}

/// The process's logger: to the journal with priorities under systemd, else to stderr.
/// `SAMTALE_LOG_LEVEL` (trace, debug, info, notice, warning, error) sets the level; info by default.
func makeLogger(_ label: String = "samtale") -> Logger {
    let journal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false
    let level =
        ProcessInfo.processInfo.environment["SAMTALE_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
        ?? .info
    LoggingSystem.bootstrap { label in
        if journal {
            var handler = JournalLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    var logger = Logger(label: label)
    logger.logLevel = level
    return logger
}
