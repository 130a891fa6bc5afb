import Foundation
import SamtaleCore

/// The state cells a kiosk writes for one booking: the only cells it ever writes.
public struct StateCells: Sendable, Hashable, Codable {
    public var status: String
    public var checkedIn: String
    public var started: String
    public var ended: String
    public var kiosk: String

    public init(status: String, checkedIn: String = "", started: String = "", ended: String = "", kiosk: String) {
        self.status = status
        self.checkedIn = checkedIn
        self.started = started
        self.ended = ended
        self.kiosk = kiosk
    }

    /// The cells for a conference's progress, times as the school's local `HH:mm`.
    public init(_ p: ConferenceProgress, kiosk: String, time: SchoolTime) {
        self.init(
            status: p.phase.rawValue, checkedIn: p.checkedIn.map(time.timeString) ?? "",
            started: p.started.map(time.timeString) ?? "", ended: p.ended.map(time.timeString) ?? "", kiosk: kiosk)
    }

    var values: [Column: String] {
        [.status: status, .checkedIn: checkedIn, .started: started, .ended: ended, .kiosk: kiosk]
    }
}

/// Writes kiosks' state into a schedule file's bytes, leaving every other byte as it was:
/// encoding, BOM, delimiter, quoting, line ends, column order, unknown columns, other rows.
public enum StateMerge {
    /// The state columns, in the order they are added at the end of a header that lacks them.
    public static let columns: [Column] = [.status, .checkedIn, .started, .ended, .kiosk]

    public enum Result: Sendable, Equatable {
        /// Every update is already in the file.
        case unchanged
        /// The new bytes, and the updates whose booking is no longer in the file.
        case changed([UInt8], missing: Set<String>)
        /// The file cannot be used (it is refused whole, and nothing is written).
        case unusable(String)
    }

    /// Merges `updates` (by booking id) into `bytes`, read as `reader` reads them (their rows
    /// only: `ScheduleReader.parseRows`).
    public static func apply(_ updates: [String: StateCells], to bytes: [UInt8], reader: ScheduleReader) -> Result {
        apply(updates, to: reader.parseRows(bytes: bytes))
    }

    /// Merges `updates` into the file `schedule` was read from (its `table.bytes`), without reading
    /// it again.
    public static func apply(_ updates: [String: StateCells], to schedule: Schedule) -> Result {
        guard schedule.isUsable, let table = schedule.table else {
            return .unusable(
                schedule.problems.first { $0.severity == .fatal }?.description ?? "the file cannot be read")
        }
        guard let found = ScheduleFileFormat.header(of: table) else {
            return .unusable("the file is empty")
        }
        let header = table.records[found.record]
        var index = found.columns
        var addedHeader: [Column] = []
        var width = header.count
        for c in columns where index[c] == nil {
            index[c] = width
            width += 1
            addedHeader.append(c)
        }
        var replacements: [(Range<Int>, [UInt8])] = []
        if !addedHeader.isEmpty {
            var h = Array(table.bytes[header.range])
            for c in addedHeader { h += [table.delimiter] + table.encodeCell(c.rawValue) }
            replacements.append((header.range, h))
        }
        var missing = Set<String>()
        for (id, cells) in updates.sorted(by: { $0.key < $1.key }) {
            guard let row = schedule.rows[id] else {
                missing.insert(id)
                continue
            }
            let record = table.records[row]
            var fields = table.fields(of: record)
            var changed = Set<Int>()
            let needed = (columns.compactMap { index[$0] }.max() ?? 0) + 1
            while fields.count < needed { fields.append("") }
            let cancelledByOffice = ScheduleFileFormat.isCancellation(fields[index[.status]!])
            // Already there, perhaps as a spreadsheet reformatted it (18:26 saved as 18:26:00).
            var current: [Column: String] = [:]
            for c in columns { current[c] = fields[index[c]!] }
            if cells.sameState(as: current) && fields.count == record.count { continue }
            for (column, value) in cells.values {
                // The office's cancellation stays: the kiosk never writes over it.
                if column == .status && cancelledByOffice { continue }
                let i = index[column]!
                if fields[i].trimmingSpaces != value {
                    fields[i] = value
                    changed.insert(i)
                }
            }
            guard !changed.isEmpty || fields.count != record.count else { continue }
            var out: [UInt8] = []
            for i in 0..<fields.count {
                if i > 0 { out.append(table.delimiter) }
                if i < record.count && !changed.contains(i) {
                    out += table.bytes[table.fieldRange(i, of: record)]
                } else {
                    out += table.encodeCell(fields[i])
                }
            }
            replacements.append((record.range, out))
        }
        guard !replacements.isEmpty else { return .unchanged }
        let bytes = table.bytes
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + replacements.count * 48)
        var cursor = 0
        for (range, new) in replacements.sorted(by: { $0.0.lowerBound < $1.0.lowerBound }) {
            result += bytes[cursor..<range.lowerBound]
            result += new
            cursor = range.upperBound
        }
        result += bytes[cursor...]
        return .changed(result, missing: missing)
    }

    /// The state cells the file has now for a booking (to tell whether a kiosk's state is there).
    public static func cells(of id: String, in schedule: Schedule) -> [Column: String]? {
        guard let table = schedule.table, let row = schedule.rows[id],
            let header = ScheduleFileFormat.header(of: table)
        else { return nil }
        var out: [Column: String] = [:]
        let record = table.records[row]
        for c in columns {
            guard let i = header.columns[c] else { continue }
            out[c] = table.trimmedField(i, of: record) ?? ""
        }
        return out
    }
}
