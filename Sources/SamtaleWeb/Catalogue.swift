/// The languages the door speaks.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    /// Norwegian bokmål.
    case nb
    /// Danish.
    case da
    /// English.
    case en
}

/// Every string the door shows, in every language, in one place. `{t}`, `{s}`, `{e}`, `{o}`,
/// `{m}`, `{n}` are filled in by the page.
public enum Catalogue {
    public static let entries: [String: [Language: String]] = [
        "title": [.nb: "Samtale", .da: "Samtale", .en: "Conference"],
        "room": [.nb: "Rom", .da: "Lokale", .en: "Room"],
        "light.free": [.nb: "Ledig", .da: "Ledigt", .en: "Free"],
        "light.waiting": [.nb: "Familie venter", .da: "Familie venter", .en: "Family waiting"],
        "light.in-session": [.nb: "Samtale pågår", .da: "Samtale i gang", .en: "In session"],
        "light.ending-soon": [.nb: "Avsluttes snart", .da: "Slutter snart", .en: "Ending soon"],
        "light.overrun": [.nb: "Over tiden", .da: "Over tiden", .en: "Running over"],
        "light.closed": [.nb: "Stengt", .da: "Lukket", .en: "Closed"],
        "light.fault": [.nb: "Feil – bank på", .da: "Fejl – bank på", .en: "Fault – please knock"],
        "pleaseWait": [.nb: "Vennligst vent", .da: "Vent venligst", .en: "Please wait"],
        "now": [.nb: "Nå", .da: "Nu", .en: "Now"],
        "next": [.nb: "Neste", .da: "Næste", .en: "Next"],
        "later": [.nb: "Senere", .da: "Senere", .en: "Later"],
        "noConference": [.nb: "Ingen samtale nå", .da: "Ingen samtale nu", .en: "No conference now"],
        "remaining": [.nb: "{m} min igjen", .da: "{m} min tilbage", .en: "{m} min left"],
        "overBy": [.nb: "{m} min over tiden", .da: "{m} min over tiden", .en: "{m} min over time"],
        "expected": [.nb: "forventet {t}", .da: "forventet {t}", .en: "expected {t}"],
        "late": [.nb: "ca. {m} min forsinket", .da: "ca. {m} min forsinket", .en: "about {m} min late"],
        "onTime": [.nb: "i rute", .da: "til tiden", .en: "on time"],
        "familyWaiting": [.nb: "venter", .da: "venter", .en: "waiting"],
        "waitingCount": [.nb: "{n} venter", .da: "{n} venter", .en: "{n} waiting"],
        "pressOnArrival": [
            .nb: "Trykk på knappen når dere kommer", .da: "Tryk på knappen, når I kommer",
            .en: "Press the button when you arrive",
        ],
        "checkInButton": [.nb: "Sjekk inn", .da: "Tjek ind", .en: "Check in"],
        "ack.checked-in": [
            .nb: "Takk! Dere er sjekket inn for {s}.", .da: "Tak! I er tjekket ind til {s}.",
            .en: "Thank you! You are checked in for {s}.",
        ],
        "ack.already-checked-in": [
            .nb: "Dere er allerede sjekket inn for {s}.", .da: "I er allerede tjekket ind til {s}.",
            .en: "You are already checked in for {s}.",
        ],
        "ack.ahead": [
            .nb: "Forventet start {t}. Læreren henter dere.", .da: "Forventet start {t}. Læreren henter jer.",
            .en: "Expected start {t}. The teacher will call you in.",
        ],
        "ack.not-yet": [
            .nb: "Neste samtale er kl. {s}. Innsjekking åpner kl. {o}.",
            .da: "Næste samtale er kl. {s}. Tjek ind åbner kl. {o}.",
            .en: "The next conference is at {s}. Check-in opens at {o}.",
        ],
        "ack.no-more-conferences": [
            .nb: "Ingen flere samtaler i dette rommet i dag.", .da: "Ikke flere samtaler i dette lokale i dag.",
            .en: "No more conferences in this room today.",
        ],
        "ack.unavailable": [
            .nb: "Innsjekking er ikke mulig nå. Bank på døren.", .da: "Tjek ind er ikke muligt nu. Bank på døren.",
            .en: "Check-in is not available now. Please knock.",
        ],
        "dayOver": [
            .nb: "Ingen flere samtaler i dag", .da: "Ikke flere samtaler i dag", .en: "No more conferences today",
        ],
        "clockNotSet": [
            .nb: "Klokken er ikke stilt – innsjekking er stengt", .da: "Uret er ikke stillet – tjek ind er lukket",
            .en: "Clock not set – check-in is closed",
        ],
        "fault.schedule": [
            .nb: "Timeplanen kan ikke leses – viser siste kjente",
            .da: "Skemaet kan ikke læses – viser det sidst kendte",
            .en: "The schedule cannot be read – showing the last known one",
        ],
        "fault.hardware": [
            .nb: "Knappen eller lyset virker ikke", .da: "Knappen eller lyset virker ikke",
            .en: "The button or the light is not working",
        ],
        "stale": [
            .nb: "Ingen forbindelse siden {t} – informasjonen kan være gammel",
            .da: "Ingen forbindelse siden {t} – oplysningerne kan være forældede",
            .en: "No connection since {t} – this information may be out of date",
        ],
        "legend": [
            .nb: "Lyset: grønt = ledig · gult = familie venter · rødt = samtale pågår · blinkende rødt = over tiden",
            .da: "Lyset: grønt = ledigt · gult = familie venter · rødt = samtale i gang · blinkende rødt = over tiden",
            .en: "Light: green = free · yellow = family waiting · red = in session · flashing red = running over",
        ],
        "demoBoard": [.nb: "Simulert kort", .da: "Simuleret kort", .en: "Simulated board"],
    ]

    /// The strings of one language, for the page.
    public static func strings(_ language: Language) -> [String: String] {
        entries.compactMapValues { $0[language] }
    }
}
