/// The configuration file of a kiosk under test (`samtale run --config`): loopback HTTP on `port`,
/// no clock synchronisation required, the schedule polled every half second. `http` adds keys to
/// the `http` object (`, "requestBurst": 1000`), `extra` whole top-level entries (`"auth": {…}`).
public struct KioskConfig: Sendable {
    public var name = "rom204"
    public var room = "204"
    public var language = "en"
    public var roomName: String?
    public var schedule: String
    public var stateDirectory: String
    public var port: Int
    public var pollSeconds: Double? = 0.5
    public var timeZone = "UTC"
    public var http = ""
    public var extra = ""

    public init(schedule: String, stateDirectory: String, port: Int) {
        self.schedule = schedule
        self.stateDirectory = stateDirectory
        self.port = port
    }

    public var json: String {
        let named = roomName.map { #", "roomName": "\#($0)""# } ?? ""
        let poll = pollSeconds.map { #", "pollSeconds": \#($0)"# } ?? ""
        return """
            {"kiosk": {"name": "\(name)", "room": "\(room)", "language": "\(language)"\(named)},
             "schedule": {"path": "\(schedule)"\(poll)},
             "state": {"directory": "\(stateDirectory)"},
             "school": {"timeZone": "\(timeZone)"},
             "http": {"host": "127.0.0.1", "port": \(port)\(http)},
             "clock": {"requireSync": false}\(extra.isEmpty ? "" : ", " + extra)}
            """
    }
}
