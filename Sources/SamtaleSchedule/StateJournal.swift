import Foundation
import SamtaleCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The kiosk's durable local journal of its rooms' state, in its state directory.
///
/// Every change is appended and fsynced before the family sees its acknowledgement, so an
/// acknowledged check-in survives a power cut at any instant. Entries are written back to the
/// schedule file in order when it is writable; `synced` records how far that has come. A torn
/// last line (the power went mid-append, before the fsync returned, so before anyone saw an
/// acknowledgement) is ignored.
public final class StateJournal: Sendable {
    public struct Entry: Sendable, Hashable, Codable {
        public var seq: Int
        public var id: String
        public var room: String
        public var progress: ConferenceProgress
        public var kiosk: String
        /// When it was recorded (nil in journals written before this was kept).
        public var at: Date?
    }

    public let directory: String
    private struct State {
        var latest: [String: Entry] = [:]
        var seq = 0
        var synced = 0
        var lines = 0
        var fd: Int32 = -1
    }
    private let state: Mutex<State>
    /// Lines the last load could not read (a torn or damaged line).
    public let skippedLines: Int

    var logPath: String { directory + "/journal.jsonl" }
    var syncedPath: String { directory + "/synced" }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init(directory: String) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create the state directory \(directory): \(error.localizedDescription)")
        }
        var s = State()
        var skipped = 0
        if let data = FileManager.default.contents(atPath: directory + "/journal.jsonl") {
            let decoder = JSONDecoder()
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                guard let e = try? decoder.decode(Entry.self, from: Data(line)) else {
                    skipped += 1
                    continue
                }
                s.latest[e.id] = e
                s.seq = max(s.seq, e.seq)
                s.lines += 1
            }
        }
        if let text = try? String(contentsOfFile: directory + "/synced", encoding: .utf8),
            let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            s.synced = n
        }
        s.fd = open(directory + "/journal.jsonl", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard s.fd >= 0 else {
            throw Failure(
                description: "cannot open the journal \(directory)/journal.jsonl: \(String(cString: strerror(errno)))")
        }
        skippedLines = skipped
        state = Mutex(s)
        // A torn last line: start the next append on a line of its own.
        if skipped > 0 { _ = "\n".withCString { Glibc.write(s.fd, $0, 1) } }
    }

    deinit { state.withLock { if $0.fd >= 0 { close($0.fd) } } }

    /// The latest progress recorded for each booking.
    public var latest: [String: Entry] { state.withLock { $0.latest } }

    /// Entries not yet written back to the schedule file (latest per booking), in order.
    public var pending: [Entry] {
        state.withLock { s in s.latest.values.filter { $0.seq > s.synced }.sorted { $0.seq < $1.seq } }
    }

    public var backlog: Int { pending.count }

    /// The newest sequence number recorded.
    public var lastSeq: Int { state.withLock { $0.seq } }

    /// Appends and fsyncs the changes; returns when they are durable.
    public func record(
        _ changes: [(id: String, room: String, progress: ConferenceProgress)], kiosk: String, at now: Date = Date()
    ) throws {
        guard !changes.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try state.withLock { s in
            var data = Data()
            var entries: [Entry] = []
            for c in changes {
                s.seq += 1
                let e = Entry(seq: s.seq, id: c.id, room: c.room, progress: c.progress, kiosk: kiosk, at: now)
                data += try encoder.encode(e)
                data.append(UInt8(ascii: "\n"))
                entries.append(e)
            }
            let ok = data.withUnsafeBytes { buf -> Bool in
                var offset = 0
                while offset < buf.count {
                    let n = Glibc.write(s.fd, buf.baseAddress! + offset, buf.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += n
                }
                return fsync(s.fd) == 0
            }
            guard ok else {
                throw Failure(description: "cannot write the journal \(logPath): \(String(cString: strerror(errno)))")
            }
            for e in entries { s.latest[e.id] = e }
            s.lines += entries.count
        }
    }

    /// Everything up to `seq` is in the schedule file. Compacts the journal when it has grown.
    public func markSynced(upTo seq: Int) throws {
        try state.withLock { s in
            guard seq > s.synced else { return }
            try Self.replace(directory: directory, name: "synced", data: Data("\(seq)\n".utf8))
            s.synced = seq
            if s.lines > 4 * max(64, s.latest.count) {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                var data = Data()
                for e in s.latest.values.sorted(by: { $0.seq < $1.seq }) {
                    data += try encoder.encode(e)
                    data.append(UInt8(ascii: "\n"))
                }
                try Self.replace(directory: directory, name: "journal.jsonl", data: data)
                close(s.fd)
                s.fd = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
                s.lines = s.latest.count
            }
        }
    }

    /// Writes a file by temporary file, fsync, rename and folder fsync: old or new, never a mix.
    /// `tag` makes the temporary file's name this process's own (for a folder other processes write).
    /// Not `durable`: without the two fsyncs (still old or new for a reader; after a power cut
    /// perhaps the old, or none), for a file rewritten every few seconds anyway.
    public static func replace(
        directory: String, name: String, data: Data, mode: mode_t = 0o640, tag: String = "", durable: Bool = true
    ) throws {
        let tmp = directory + "/." + name + tag + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(description: "cannot write \(tmp): \(String(cString: strerror(errno)))") }
        let ok = data.withUnsafeBytes { buf -> Bool in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return !durable || fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(tmp, directory + "/" + name) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure(description: "cannot write \(directory)/\(name): \(reason)")
        }
        guard durable else { return }
        let d = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if d >= 0 {
            _ = fsync(d)
            close(d)
        }
    }
}
