import ArgumentParser
import Foundation
import SamtaleCore
import SamtaleHardware
import SamtaleSchedule
import SamtaleWeb

/// Writes the configuration as the service expects it: checked first, in place atomically
/// (a temporary file beside it, flushed, renamed), mode 0640, group samtale when it exists.
enum ConfigWriter {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func writeChecked(path: String, text: String) async throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty && !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        let temp = try write(path: path, data: Data(text.utf8), rename: false)
        do {
            _ = try await KioskConfiguration.loadChecked(path: temp)
        } catch {
            unlink(temp)
            throw Failure(description: "the configuration setup would write is not usable (nothing written):\n\(error)")
        }
        guard rename(temp, path) == 0 else {
            let e = String(cString: strerror(errno))
            unlink(temp)
            throw Failure(description: "cannot put \(path) in place: \(e)")
        }
        let d = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY)
        if d >= 0 {
            fsync(d)
            close(d)
        }
    }

    /// Writes `data` to a temporary file beside `path` (returned), or in place when `rename`.
    @discardableResult
    static func write(path: String, data: Data, rename doRename: Bool = true) throws -> String {
        let dir = (path as NSString).deletingLastPathComponent
        var template = Array("\(dir.isEmpty ? "." : dir)/.\((path as NSString).lastPathComponent).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(description: "cannot write in \(dir): \(String(cString: strerror(errno)))") }
        let temp = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { close(fd) }
        fchmod(fd, 0o640)
        if let group = getgrnam("samtale") { _ = fchown(fd, uid_t.max, group.pointee.gr_gid) }
        let ok = data.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { return false }
                off += n
            }
            return true
        }
        guard ok, fsync(fd) == 0 else {
            unlink(temp)
            throw Failure(description: "cannot write \(temp): \(String(cString: strerror(errno)))")
        }
        if doRename {
            guard rename(temp, path) == 0 else {
                unlink(temp)
                throw Failure(description: "cannot put \(path) in place: \(String(cString: strerror(errno)))")
            }
        }
        return temp
    }

    /// "mode 0640, group samtale" as the file has them.
    static func ownership(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "?" }
        let group = getgrgid(st.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(st.st_gid)"
        return "mode 0\(String(st.st_mode & 0o777, radix: 8)), group \(group)"
    }
}
