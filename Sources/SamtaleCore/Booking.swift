import Foundation

/// One booked conference, as the office planned it in the schedule file.
///
/// Times are absolute instants; the schedule adapter resolves the school's local date and time
/// (time zone and DST included) into them. Two bookings for one pupil are two conferences.
public struct Booking: Sendable, Hashable, Codable {
    /// A stable identity: the file's id column, or a digest of date, room, start and pupil.
    public var id: String
    public var room: String
    public var start: Date
    public var end: Date
    public var teachers: [String]
    public var pupil: String
    public var guardians: [String]
    /// e.g. utviklingssamtale, skole-hjem-samtale, behovssamtale.
    public var kind: String?
    /// The interpreter's language; nil when none is needed.
    public var interpreter: String?
    /// Private to the teacher.
    public var notes: String?
    /// A booking code that may be shown in public (when the school configures it).
    public var code: String?
    public var cancelled: Bool
    /// ConferenceProgress a kiosk has already written back into the schedule file (restored on start).
    public var recorded: ConferenceProgress?

    public init(
        id: String, room: String, start: Date, end: Date, teachers: [String] = [], pupil: String = "",
        guardians: [String] = [], kind: String? = nil, interpreter: String? = nil, notes: String? = nil,
        code: String? = nil, cancelled: Bool = false, recorded: ConferenceProgress? = nil
    ) {
        self.id = id
        self.room = room
        self.start = start
        self.end = end
        self.teachers = teachers
        self.pupil = pupil
        self.guardians = guardians
        self.kind = kind
        self.interpreter = interpreter
        self.notes = notes
        self.code = code
        self.cancelled = cancelled
        self.recorded = recorded
    }

    /// The planned length in seconds (absolute time, so correct across a DST change).
    public var duration: TimeInterval { end.timeIntervalSince(start) }

    /// Initials of the pupil ("Ola Nordmann" → "O.N."), for schools that choose to show them.
    public var pupilInitials: String {
        let parts = pupil.split(whereSeparator: { $0 == " " || $0 == "-" }).compactMap(\.first)
        return parts.map { "\($0.uppercased())." }.joined()
    }
}

/// Where a conference is in its lifecycle.
///
/// `scheduled → waiting → in session → done`, or `no-show`; `cancelled` comes from the office.
/// The raw values are the words the kiosks write in the schedule file's `status` column.
public enum ConferenceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case scheduled
    case waiting
    case inSession = "in session"
    case done
    case noShow = "no-show"
    case cancelled

    /// How far along the lifecycle a status is; used to merge progress from several writers
    /// without losing any of it.
    public var rank: Int {
        switch self {
        case .scheduled, .cancelled: 0
        case .waiting: 1
        case .inSession: 2
        case .done, .noShow: 3
        }
    }

    public var isFinal: Bool { rank == 3 || self == .cancelled }
}

/// What happened to a conference: the part of its state that events change.
public struct ConferenceProgress: Sendable, Hashable, Codable {
    public var phase: ConferenceStatus
    public var checkedIn: Date?
    public var started: Date?
    public var ended: Date?
    /// True when nobody ended the session and the engine assumed its end.
    public var endAssumed: Bool
    public var extendedMinutes: Int

    public init(
        phase: ConferenceStatus = .scheduled, checkedIn: Date? = nil, started: Date? = nil,
        ended: Date? = nil, endAssumed: Bool = false, extendedMinutes: Int = 0
    ) {
        self.phase = phase
        self.checkedIn = checkedIn
        self.started = started
        self.ended = ended
        self.endAssumed = endAssumed
        self.extendedMinutes = extendedMinutes
    }

    public static let fresh = ConferenceProgress()
}

/// A booking together with what has happened to it.
public struct Conference: Sendable, Hashable, Identifiable {
    public var booking: Booking
    public var progress: ConferenceProgress

    public init(booking: Booking, progress: ConferenceProgress = .fresh) {
        self.booking = booking
        self.progress = progress
    }

    public var id: String { booking.id }
    public var start: Date { booking.start }
    /// The scheduled end, moved by any extension.
    public var plannedEnd: Date { booking.end.addingTimeInterval(TimeInterval(progress.extendedMinutes * 60)) }
    public var duration: TimeInterval { plannedEnd.timeIntervalSince(booking.start) }

    /// The one status this conference is in. A cancellation by the office wins unless the
    /// conference has already begun.
    public var status: ConferenceStatus {
        if booking.cancelled && progress.phase.rank < ConferenceStatus.inSession.rank { return .cancelled }
        return progress.phase
    }

    /// Not yet begun and not finished: still ahead in the room's queue.
    public var isPending: Bool { status == .scheduled || status == .waiting }
}
