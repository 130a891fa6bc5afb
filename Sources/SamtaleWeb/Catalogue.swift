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
        "checkInButtonLabel": [
            .nb: "Sjekk inn – samme som knappen ved døren", .da: "Tjek ind – samme som knappen ved døren",
            .en: "Check in – the same as the button by the door",
        ],
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
        "legend.title": [.nb: "Lyset ved døren", .da: "Lyset ved døren", .en: "The light by the door"],
        "legend.free": [.nb: "grønt: ledig", .da: "grønt: ledigt", .en: "green: free"],
        "legend.waiting": [.nb: "gult: familie venter", .da: "gult: familie venter", .en: "yellow: family waiting"],
        "legend.in-session": [.nb: "rødt: samtale pågår", .da: "rødt: samtale i gang", .en: "red: in session"],
        "legend.ending-soon": [
            .nb: "rødt og gult: snart ferdig", .da: "rødt og gult: slutter snart", .en: "red and yellow: ending soon",
        ],
        "legend.overrun": [
            .nb: "blinker rødt: over tiden", .da: "blinker rødt: over tiden", .en: "flashing red: over time",
        ],
        "legend.closed": [.nb: "av: stengt", .da: "slukket: lukket", .en: "off: closed"],
        "light.stale": [.nb: "Ingen forbindelse", .da: "Ingen forbindelse", .en: "No connection"],
        "staleDetail": [
            .nb: "Viser informasjon fra kl. {t} ({a} siden) – den kan være gammel. Bank på døren.",
            .da: "Viser oplysninger fra kl. {t} ({a} siden) – de kan være forældede. Bank på døren.",
            .en: "Showing information from {t} ({a} ago) – it may be out of date. Please knock.",
        ],
        "scheduleOld": [
            .nb: "Timeplanen kan ikke leses – viser den fra kl. {t} ({a} siden)",
            .da: "Skemaet kan ikke læses – viser det fra kl. {t} ({a} siden)",
            .en: "The schedule cannot be read – showing the one from {t} ({a} ago)",
        ],
        "age.seconds": [.nb: "{n} s", .da: "{n} sek.", .en: "{n} s"],
        "age.minutes": [.nb: "{n} min", .da: "{n} min.", .en: "{n} min"],
        "age.hours": [.nb: "{n} t", .da: "{n} t.", .en: "{n} h"],
        "runningLate": [
            .nb: "Ca. {m} min forsinket", .da: "Ca. {m} min. forsinket", .en: "Running about {m} min late",
        ],
        "teacherWillCall": [
            .nb: "Læreren henter dere", .da: "Læreren henter jer", .en: "The teacher will call you in",
        ],
        "checkInOpensAt": [
            .nb: "Innsjekking åpner kl. {o}", .da: "Tjek ind åbner kl. {o}", .en: "Check-in opens at {o}",
        ],
        "knock": [.nb: "Bank på døren", .da: "Bank på døren", .en: "Please knock on the door"],
        "ack.aheadCount": [
            .nb: "{n} familie(r) før dere.", .da: "{n} familie(r) før jer.", .en: "{n} family(ies) ahead of you.",
        ],
        "nightNext": [
            .nb: "Neste samtale {d} kl. {t}", .da: "Næste samtale {d} kl. {t}", .en: "Next conference {d} at {t}",
        ],
        "clockUnknown": [.nb: "--:--", .da: "--:--", .en: "--:--"],
        "date": [.nb: "{w} {d}. {M}", .da: "{w} d. {d}. {M}", .en: "{w} {d} {M}"],
        "weekdays": [
            .nb: "søndag,mandag,tirsdag,onsdag,torsdag,fredag,lørdag",
            .da: "søndag,mandag,tirsdag,onsdag,torsdag,fredag,lørdag",
            .en: "Sunday,Monday,Tuesday,Wednesday,Thursday,Friday,Saturday",
        ],
        "months": [
            .nb: "januar,februar,mars,april,mai,juni,juli,august,september,oktober,november,desember",
            .da: "januar,februar,marts,april,maj,juni,juli,august,september,oktober,november,december",
            .en: "January,February,March,April,May,June,July,August,September,October,November,December",
        ],
        "checkInFailed": [
            .nb: "Kunne ikke sjekke inn. Bank på døren.", .da: "Kunne ikke tjekke ind. Bank på døren.",
            .en: "Could not check in. Please knock.",
        ],
        "demoBoard": [.nb: "Simulert kort", .da: "Simuleret kort", .en: "Simulated board"],
    ]

    /// The strings of one language, for the page.
    public static func strings(_ language: Language) -> [String: String] {
        entries.compactMapValues { $0[language] }
    }
}
