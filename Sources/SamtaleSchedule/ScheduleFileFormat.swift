/// What the school's schedule file means, in one place: its columns and the names schools give
/// them, which row is the header, and the words the office writes to cancel a booking. The reader,
/// the writer (`StateMerge`) and the live state all ask here.
public enum ScheduleFileFormat {
    /// The words the office writes in the `status` column to cancel a booking (compared trimmed
    /// and case-insensitively). A kiosk never writes over them.
    public static let cancelWords: Set<String> = ["cancelled", "canceled", "avlyst", "aflyst"]

    /// Whether a `status` cell cancels its booking: one of `cancelWords`, in any case, with spaces
    /// around it or not.
    public static func isCancellation(_ status: String?) -> Bool {
        guard let status else { return false }
        return cancelWords.contains(status.trimmingSpaces.lowercased())
    }

    /// The header of a CSV schedule: the first record that is not blank (files may start with
    /// empty rows or rows of only delimiters). Each column is known by its name (`Column.names`:
    /// trimmed, case-insensitive); when a name appears twice, the first column is the one used.
    public struct Header: Sendable, Hashable {
        /// The header's index in `table.records`.
        public var record: Int
        /// Its 1-based line in the file.
        public var line: Int
        /// Each known column's index among the record's fields.
        public var columns: [Column: Int]
        /// Each known column's name as the file writes it (trimmed), for messages.
        public var names: [Column: String]
        /// The names of known columns that appear again (as written, trimmed): left unused.
        public var repeated: [String]
    }

    /// The header of `table`, or nil when the file has none (it is empty or blank).
    public static func header(of table: CSVTable) -> Header? {
        guard let index = table.records.firstIndex(where: { !table.isBlank($0) }) else { return nil }
        let record = table.records[index]
        var header = Header(record: index, line: record.line, columns: [:], names: [:], repeated: [])
        for (i, raw) in table.fields(of: record).enumerated() {
            guard let column = Column.identify(raw) else { continue }
            if header.columns[column] != nil {
                header.repeated.append(raw.trimmingSpaces)
                continue
            }
            header.columns[column] = i
            header.names[column] = raw.trimmingSpaces
        }
        return header
    }

    /// The columns a schedule cannot do without, as the message names them when the header lacks
    /// them (`end` or `duration`: one of the two).
    public static func missingColumns(_ columns: [Column: Int]) -> [String] {
        var missing: [String] = []
        if columns[.date] == nil { missing.append("date (dato)") }
        if columns[.start] == nil { missing.append("start (fra)") }
        if columns[.room] == nil { missing.append("room (rom/lokale)") }
        if columns[.end] == nil && columns[.duration] == nil {
            missing.append("end (til/slutt) or duration (varighet)")
        }
        return missing
    }
}

/// The columns a schedule file has, by meaning.
public enum Column: String, Sendable, CaseIterable {
    case date, start, end, duration, room, teacher, pupil, guardians, kind, interpreter, notes, id, code
    case status
    case checkedIn = "checked_in"
    case started, ended, kiosk

    /// English, Norwegian and Danish names seen in schools' files (compared case-insensitively).
    public var names: [String] {
        switch self {
        case .date: ["date", "dato"]
        case .start: ["start", "fra", "kl", "kl.", "tid", "starttid", "start time"]
        case .end: ["end", "til", "slutt", "slut", "sluttid", "end time"]
        case .duration: ["duration", "varighet", "varighed", "minutter", "minutes", "min"]
        case .room: ["room", "rom", "lokale", "klasserom", "klasseværelse", "klasserum"]
        case .teacher: ["teacher", "teachers", "lærer", "kontaktlærer", "lærere", "lærerteam"]
        case .pupil: ["pupil", "student", "elev", "elevens navn", "navn"]
        case .guardians: ["guardians", "guardian", "foresatte", "foreldre", "forældre", "parents"]
        case .kind: ["kind", "type", "samtaletype"]
        case .interpreter: ["interpreter", "tolk"]
        case .notes: ["notes", "note", "merknad", "bemerkning", "bemærkning", "notat"]
        case .id: ["id", "booking", "bookingnr", "booking id"]
        case .code: ["code", "kode", "bookingkode"]
        case .status: ["status"]
        case .checkedIn: ["checked_in", "checked in"]
        case .started: ["started"]
        case .ended: ["ended"]
        case .kiosk: ["kiosk"]
        }
    }

    /// The column's place in `allCases`.
    var ordinal: Int {
        switch self {
        case .date: 0
        case .start: 1
        case .end: 2
        case .duration: 3
        case .room: 4
        case .teacher: 5
        case .pupil: 6
        case .guardians: 7
        case .kind: 8
        case .interpreter: 9
        case .notes: 10
        case .id: 11
        case .code: 12
        case .status: 13
        case .checkedIn: 14
        case .started: 15
        case .ended: 16
        case .kiosk: 17
        }
    }

    /// The column a header cell names (trimmed, case-insensitive), or nil for one the office added.
    public static func identify(_ header: String) -> Column? {
        let h = header.trimmingSpaces.lowercased()
        return allCases.first { $0.names.contains(h) }
    }
}
