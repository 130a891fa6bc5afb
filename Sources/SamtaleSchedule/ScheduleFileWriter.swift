import CSamtaleLinux
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why the schedule file could not be written now (the state waits in the journal).
public struct WriteFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The file or its folder is not there (the share is unmounted or unreachable).
        case unreachable
        /// No permission to write the folder or the file (a read-only share, say).
        case readOnly = "read-only"
        /// A spreadsheet has the file open.
        case openInSpreadsheet = "open-in-spreadsheet"
        /// Another kiosk holds the lock for too long.
        case busy
        /// The file is not a usable schedule now; nothing is written over it.
        case unusable
        /// It kept changing under us.
        case contended
        case failed
    }
    public var kind: Kind
    public var description: String

    public init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }
}

/// Writes kiosks' state cells into the shared schedule file, safely with other writers:
/// read, merge and write under a lock (a lock file beside it), to a temporary file in the same
/// folder that is fsynced and then renamed over the original (and the folder fsynced). When the
/// file changed since it was read (the office saved, another kiosk wrote), it merges again, so
/// nobody's edit is overwritten. Where the filesystem can (ext4, tmpfs, btrfs, xfs) the rename
/// is an atomic exchange, so that even an office save in the last microsecond is caught and
/// merged.
public struct ScheduleFileWriter: Sendable {
    public let path: String
    public let reader: ScheduleReader
    /// How long to wait for another kiosk's lock.
    public var lockTimeout: TimeInterval = 10
    /// A file modified this recently may be half-written by a spreadsheet: wait and read again.
    public var settleTime: TimeInterval = 0.05

    public init(path: String, reader: ScheduleReader) {
        self.path = path
        self.reader = reader
    }

    var folder: String {
        (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
    }
    var name: String { (path as NSString).lastPathComponent }
    var lockPath: String { folder + "/." + name + ".samtale-lock" }

    /// Spreadsheets' own lock files: LibreOffice's `.~lock.NAME#` and Excel's `~$NAME`.
    public var spreadsheetLock: String? {
        for candidate in [folder + "/.~lock." + name + "#", folder + "/~$" + name]
        where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        return nil
    }

    /// Nothing is written while a spreadsheet has the file open: its next save would write its own
    /// copy over ours (and LibreOffice refuses to save a file changed since it opened it).
    func refuseIfOpen() throws(WriteFailure) {
        if let lock = spreadsheetLock {
            throw WriteFailure(
                kind: .openInSpreadsheet,
                description:
                    "\(name) is open in a spreadsheet (\(lock) exists); the state waits on the share until it is closed"
            )
        }
    }

    public enum Outcome: Sendable, Equatable {
        case written
        case unchanged
    }

    /// Writes `updates` into the file. Throws a `WriteFailure` that says what and where.
    /// `parsed`: the file as the caller already read it with this writer's reader; when the file
    /// under the lock is still those bytes, it is not parsed again (a write-back parses once).
    @discardableResult
    public func write(_ updates: [String: StateCells], parsed: Schedule? = nil) throws(WriteFailure) -> Outcome {
        if updates.isEmpty { return .unchanged }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw WriteFailure(
                kind: .unreachable, description: "the folder \(folder) is not there (is the share mounted?)")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw WriteFailure(kind: .unusable, description: "\(path) is a folder, not the schedule file")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw WriteFailure(kind: .unreachable, description: "the schedule file \(path) is not there")
        }
        try refuseIfOpen()
        let lockFD = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard lockFD >= 0 else { throw Self.failure("open the lock file", lockPath, errno) }
        defer { close(lockFD) }
        // A duration, by the monotonic clock (a wall clock stepped meanwhile neither cuts nor stretches it).
        let deadline = ContinuousClock.now + .milliseconds(Int64(lockTimeout * 1000))
        while flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw Self.failure("lock", lockPath, errno) }
            if ContinuousClock.now > deadline {
                throw WriteFailure(
                    kind: .busy, description: "another kiosk has held \(lockPath) for over \(Int(lockTimeout)) s")
            }
            usleep(2000)
        }
        defer { flock(lockFD, LOCK_UN) }
        // A spreadsheet may have opened the file while we waited for another kiosk.
        try refuseIfOpen()
        for _ in 0..<20 {
            if let outcome = try attempt(updates, lockFD: lockFD, parsed: parsed) { return outcome }
        }
        throw WriteFailure(
            kind: .contended, description: "\(path) kept changing while it was being written; trying again later")
    }

    struct Snapshot: Equatable {
        var inode: UInt64
        var size: Int64
        var mtime: timespec

        static func == (a: Snapshot, b: Snapshot) -> Bool {
            a.inode == b.inode && a.size == b.size && a.mtime.tv_sec == b.mtime.tv_sec
                && a.mtime.tv_nsec == b.mtime.tv_nsec
        }
    }

    static func snapshot(fd: Int32) -> Snapshot? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return Snapshot(inode: UInt64(st.st_ino), size: Int64(st.st_size), mtime: st.st_mtim)
    }

    static func snapshot(path: String) -> Snapshot? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Snapshot(inode: UInt64(st.st_ino), size: Int64(st.st_size), mtime: st.st_mtim)
    }

    /// The whole file from its start, read straight into one array of its size (no 64 KiB pieces
    /// appended one by one).
    static func readAll(fd: Int32) -> [UInt8]? {
        guard lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        return ScheduleReader.readAll(fd: fd)
    }

    static func failure(_ what: String, _ where_: String, _ code: Int32) -> WriteFailure {
        let reason = String(cString: strerror(code))
        switch code {
        case EACCES, EPERM, EROFS:
            return WriteFailure(
                kind: .readOnly,
                description: "cannot \(what) \(where_): \(reason) (a read-only share, or no permission)")
        case ENOENT, ENOTDIR, ESTALE, EIO, EHOSTDOWN, ENOTCONN, ETIMEDOUT:
            return WriteFailure(
                kind: .unreachable, description: "cannot \(what) \(where_): \(reason) (is the share reachable?)")
        default:
            return WriteFailure(kind: .failed, description: "cannot \(what) \(where_): \(reason)")
        }
    }

    /// The version a kiosk wrote last, as recorded in the lock file: a file that is still that
    /// version was written whole (by rename) and needs no settling time.
    static func lastWritten(_ lockFD: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { pread(lockFD, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil
    }

    static func describe(_ s: Snapshot) -> String { "\(s.inode) \(s.size) \(s.mtime.tv_sec).\(s.mtime.tv_nsec)" }

    static func recordWritten(_ lockFD: Int32, path: String) {
        guard let s = snapshot(path: path) else { return }
        let text = Array(describe(s).utf8)
        _ = ftruncate(lockFD, 0)
        _ = text.withUnsafeBytes { pwrite(lockFD, $0.baseAddress, $0.count, 0) }
    }

    /// One read–merge–write. Nil: the file changed under us; merge again.
    private func attempt(_ updates: [String: StateCells], lockFD: Int32, parsed: Schedule?) throws(WriteFailure)
        -> Outcome?
    {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure("open", path, errno) }
        defer { close(fd) }
        guard let before = Self.snapshot(fd: fd), let bytes = Self.readAll(fd: fd), let after = Self.snapshot(fd: fd)
        else {
            throw Self.failure("read", path, errno)
        }
        guard before == after, Int64(bytes.count) == after.size else { return nil }
        // A file written a moment ago may still be being written by a spreadsheet.
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let age = Double(now.tv_sec - after.mtime.tv_sec) + Double(now.tv_nsec - after.mtime.tv_nsec) / 1e9
        if age >= 0 && age < settleTime && Self.lastWritten(lockFD) != Self.describe(after) {
            usleep(UInt32(settleTime * 1_000_000))
            return nil
        }
        let merged: [UInt8]
        // The file as the caller read it when it is still those bytes; else its rows, read once.
        let schedule = parsed.flatMap { $0.table?.bytes == bytes ? $0 : nil } ?? reader.parseRows(bytes: bytes)
        switch StateMerge.apply(updates, to: schedule) {
        case .unchanged: return .unchanged
        case .unusable(let why): throw WriteFailure(kind: .unusable, description: "\(path) is not written over: \(why)")
        case .changed(let b, _): merged = b
        }
        let tmp = folder + "/." + name + ".samtale-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        try writeDurably(merged, to: tmp, mode: Self.mode(fd: fd))
        // Changed since we read it? Then merge again. Opened in a spreadsheet meanwhile? Then not now.
        guard Self.snapshot(path: path) == after else {
            unlink(tmp)
            return nil
        }
        do { try refuseIfOpen() } catch {
            unlink(tmp)
            throw error
        }
        if csamtale_rename_exchange(tmp, path) == 0 {
            // `tmp` now holds what was at `path` at the instant of the exchange.
            let displaced = open(tmp, O_RDONLY | O_CLOEXEC)
            let theirs = displaced >= 0 ? Self.readAll(fd: displaced) : nil
            if displaced >= 0 { close(displaced) }
            unlink(tmp)
            syncFolder()
            if let theirs, theirs != bytes {
                // Someone saved in the last instant: put their version back with our cells merged.
                try putBack(theirs, updates)
                return nil
            }
            Self.recordWritten(lockFD, path: path)
            return .written
        }
        let exchangeError = errno
        guard exchangeError == EINVAL || exchangeError == ENOSYS || exchangeError == EOPNOTSUPP else {
            unlink(tmp)
            throw Self.failure("replace", path, exchangeError)
        }
        // A share that cannot exchange (NFS, SMB): a plain atomic rename.
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw Self.failure("replace", path, e)
        }
        syncFolder()
        // An office save in place onto the old file during the rename: merge it back in.
        if let old = Self.readAll(fd: fd), old != bytes {
            try putBack(old, updates)
            return nil
        }
        Self.recordWritten(lockFD, path: path)
        return .written
    }

    /// Writes `theirs` with our cells merged over whatever is at `path` now.
    private func putBack(_ theirs: [UInt8], _ updates: [String: StateCells]) throws(WriteFailure) {
        var merged = theirs
        if case .changed(let b, _) = StateMerge.apply(updates, to: theirs, reader: reader) { merged = b }
        let tmp = folder + "/." + name + ".samtale-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        try writeDurably(merged, to: tmp, mode: 0o664)
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw Self.failure("replace", path, e)
        }
        syncFolder()
    }

    static func mode(fd: Int32) -> mode_t {
        var st = stat()
        return fstat(fd, &st) == 0 ? st.st_mode & 0o7777 : 0o664
    }

    private func writeDurably(_ bytes: [UInt8], to tmp: String, mode: mode_t) throws(WriteFailure) {
        let out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard out >= 0 else { throw Self.failure("create a temporary file in", folder, errno) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(out, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(out)
                unlink(tmp)
                throw Self.failure("write", tmp, e)
            }
            offset += n
        }
        _ = fchmod(out, mode)
        guard fsync(out) == 0 else {
            let e = errno
            close(out)
            unlink(tmp)
            throw Self.failure("fsync", tmp, e)
        }
        close(out)
    }

    private func syncFolder() {
        let d = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if d >= 0 {
            _ = fsync(d)
            close(d)
        }
    }
}
