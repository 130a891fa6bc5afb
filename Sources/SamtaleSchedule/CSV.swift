/// A CSV file as spreadsheet programs write it: RFC 4180 quoting (line breaks and `""` inside
/// quoted cells), `;`, `,` or tab, CRLF or LF, UTF-8 with or without BOM, or Windows-1252.
public struct CSVTable: Sendable, Hashable {
    public enum Encoding: String, Sendable, Hashable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with BOM"
        case windows1252 = "Windows-1252"
    }

    public struct Record: Sendable, Hashable {
        /// The 1-based line of the file on which the record starts.
        public var line: Int
        public var fields: [String]
        /// Only empty cells (a blank row, or a row of delimiters).
        public var isBlank: Bool { fields.allSatisfy { $0.trimmingSpaces.isEmpty } }
    }

    public var encoding: Encoding
    public var delimiter: Character
    public var lineEnding: String
    public var records: [Record]
    /// A quote left open at the end of the file, with the line it opened on.
    public var unterminatedQuoteLine: Int?

    /// Decodes and splits `bytes`.
    public init(bytes: [UInt8]) {
        let (text, encoding) = Self.decode(bytes)
        self.encoding = encoding
        self.delimiter = Self.detectDelimiter(text)
        self.lineEnding = text.contains("\r\n") ? "\r\n" : "\n"
        (records, unterminatedQuoteLine) = Self.split(text, delimiter: delimiter)
    }

    static func decode(_ bytes: [UInt8]) -> (String, Encoding) {
        var body = bytes[...]
        var bom = false
        if body.starts(with: [0xEF, 0xBB, 0xBF]) {
            body = body.dropFirst(3)
            bom = true
        }
        if let s = String(validating: body, as: UTF8.self) { return (s, bom ? .utf8BOM : .utf8) }
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(windows1252(b)) }
        return (String(scalars), .windows1252)
    }

    /// Windows-1252: Latin-1 with printable characters in 0x80–0x9F.
    static func windows1252(_ b: UInt8) -> Unicode.Scalar {
        let high: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
            0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
            0x0153, 0x9D, 0x017E, 0x0178,
        ]
        if (0x80...0x9F).contains(b) { return Unicode.Scalar(high[Int(b - 0x80)])! }
        return Unicode.Scalar(b)
    }

    /// The delimiter is whichever of `;`, `,` and tab the header line (outside quotes) has most of.
    static func detectDelimiter(_ text: String) -> Character {
        var counts: [Character: Int] = [";": 0, ",": 0, "\t": 0]
        var quoted = false
        for ch in text {
            if ch == "\"" { quoted.toggle() }
            if quoted { continue }
            if ch == "\n" || ch == "\r\n" || ch == "\r" { break }
            if counts[ch] != nil { counts[ch]! += 1 }
        }
        let best = counts.max {
            ($0.value, $0.key == ";" ? 2 : $0.key == "," ? 1 : 0) < (
                $1.value, $1.key == ";" ? 2 : $1.key == "," ? 1 : 0
            )
        }!
        return best.value == 0 ? ";" : best.key
    }

    static func split(_ text: String, delimiter: Character) -> ([Record], Int?) {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var any = false
        func endField() {
            fields.append(field)
            field = ""
            afterQuote = false
        }
        func endRecord() {
            endField()
            records.append(Record(line: recordLine, fields: fields))
            fields = []
            any = false
        }
        for ch in text {
            // Swift treats "\r\n" as one Character.
            let isNewline = ch == "\n" || ch == "\r\n" || ch == "\r"
            if quoted {
                if ch == "\"" {
                    quoted = false
                    afterQuote = true
                } else {
                    field.append(ch)
                    if isNewline { line += 1 }
                }
                continue
            }
            if ch == "\"" {
                if afterQuote {
                    field.append("\"")  // "" inside quotes
                    quoted = true
                    afterQuote = false
                } else if field.trimmingSpaces.isEmpty {
                    field = ""
                    quoted = true
                    quoteLine = line
                } else {
                    field.append(ch)  // a stray quote inside an unquoted cell is kept as text
                }
                any = true
                continue
            }
            if ch == delimiter {
                endField()
                any = true
                continue
            }
            if isNewline {
                endRecord()
                line += 1
                recordLine = line
                continue
            }
            if !afterQuote { field.append(ch) }
            any = true
        }
        if quoted {
            endRecord()
            return (records, quoteLine)
        }
        if any || !field.isEmpty || !fields.isEmpty { endRecord() }
        return (records, nil)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (what spreadsheets leave in cells).
    public var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{A0}" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{A0}" { s.removeLast() }
        return String(s)
    }
}
