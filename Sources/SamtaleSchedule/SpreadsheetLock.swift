import Foundation

/// A spreadsheet's own lock beside the schedule file: who has the file open, on which machine,
/// since when. LibreOffice writes `.~lock.NAME#` (one line: full name, login, host,
/// `dd.mm.yyyy hh:mm`, profile URL, `;`); Excel writes an owner file `~$NAME` that starts with
/// the user's name (a length byte, then the name).
public struct SpreadsheetLock: Sendable, Hashable, CustomStringConvertible {
    public enum Program: String, Sendable, Hashable {
        case libreOffice = "LibreOffice"
        case excel = "Excel"
    }
    public var path: String
    public var program: Program
    /// The user (full name, else login), when the lock says.
    public var user: String?
    public var host: String?
    /// Since when: the lock file's modification time (LibreOffice rewrites it at every save, so a
    /// lock that grows old is one nobody has saved through: perhaps left over from a crash), else
    /// the time written in it.
    public var since: Date?

    /// A lock older than this may be left over from a crashed spreadsheet.
    public static let staleAfter: TimeInterval = 30 * 60

    public var description: String {
        var who = user ?? "someone"
        if let host { who += " on \(host)" }
        return "open in \(program.rawValue) by \(who)"
    }

    /// The description with its age ("since 14:02, 35 min ago").
    public func describe(at now: Date, time: (Date) -> String) -> String {
        guard let since else { return description + " (\(path))" }
        let minutes = max(0, Int(now.timeIntervalSince(since) / 60))
        return description + " since \(time(since)) (\(minutes) min ago; \(path))"
    }

    public func isStale(at now: Date) -> Bool {
        guard let since else { return false }
        return now.timeIntervalSince(since) > Self.staleAfter
    }

    /// The lock beside `schedulePath`, if a spreadsheet has it open.
    public static func find(for schedulePath: String, timeZone: TimeZone) -> SpreadsheetLock? {
        let (lo, excel) = paths(for: schedulePath)
        if let data = FileManager.default.contents(atPath: lo) {
            return parseLibreOffice(Array(data), path: lo, modified: modified(lo), timeZone: timeZone)
        }
        if let data = FileManager.default.contents(atPath: excel) {
            return parseExcel(Array(data), path: excel, modified: modified(excel))
        }
        return nil
    }

    /// Where LibreOffice's lock and Excel's owner file for `schedulePath` would be.
    public static func paths(for schedulePath: String) -> (libreOffice: String, excel: String) {
        let folder = (schedulePath as NSString).deletingLastPathComponent
        let dir = folder.isEmpty ? "." : folder
        let name = (schedulePath as NSString).lastPathComponent
        return (dir + "/.~lock." + name + "#", dir + "/~$" + name)
    }

    /// The file's modification time, by `stat` (FileManager's attributes also look up the owner's
    /// name, reading /etc/passwd and /etc/group: every second while a spreadsheet has the file open).
    static func modified(_ path: String) -> Date? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    /// `,ola,office-pc,29.11.2026 14:02,file:///home/ola/.config/libreoffice/4;`
    public static func parseLibreOffice(_ bytes: [UInt8], path: String, modified: Date?, timeZone: TimeZone)
        -> SpreadsheetLock
    {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let f = line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        func field(_ i: Int) -> String? { i < f.count && !f[i].isEmpty ? f[i] : nil }
        // The lock file's modification time (the file server's clock) first: LibreOffice writes its
        // own local time, which may be another zone's, and rewrites the lock at every save.
        var since = modified
        if since == nil, let stamp = field(3) {
            let parts = stamp.split(separator: " ")
            let d = parts.first?.split(separator: ".").compactMap { Int($0) } ?? []
            let t = parts.count > 1 ? parts[1].split(separator: ":").compactMap { Int($0) } : []
            if d.count == 3, t.count >= 2 {
                var c = Calendar(identifier: .gregorian)
                c.timeZone = timeZone
                since =
                    c.date(from: DateComponents(year: d[2], month: d[1], day: d[0], hour: t[0], minute: t[1])) ?? since
            }
        }
        return SpreadsheetLock(
            path: path, program: .libreOffice, user: field(0) ?? field(1), host: field(2), since: since)
    }

    /// Excel's owner file: a length byte, the user's name (Windows-1252), padding.
    public static func parseExcel(_ bytes: [UInt8], path: String, modified: Date?) -> SpreadsheetLock {
        var user: String?
        if let n = bytes.first, n > 0, Int(n) < bytes.count, n <= 54 {
            let name = String(decoding: bytes[1...Int(n)].map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { user = name }
        }
        return SpreadsheetLock(path: path, program: .excel, user: user, host: nil, since: modified)
    }
}
