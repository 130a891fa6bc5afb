import Foundation

/// A CSV file as spreadsheet programs write it: RFC 4180 quoting (line breaks and `""` inside
/// quoted cells), `;`, `,` or tab, CRLF or LF, UTF-8 with or without BOM, or Windows-1252.
///
/// Parsed at the byte level (every delimiter, quote and line break is ASCII in both encodings),
/// keeping each record's and each cell's byte range, so that a writer can change a few cells
/// and leave every other byte of the file as it was.
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
        /// Each cell's bytes in the file, quotes included.
        public var fieldRanges: [Range<Int>]
        /// The record's bytes in the file, without its line break.
        public var range: Range<Int>
        /// Only empty cells (a blank row, or a row of delimiters).
        public var isBlank: Bool { fields.allSatisfy { $0.trimmingSpaces.isEmpty } }
    }

    public let bytes: [UInt8]
    public var encoding: Encoding
    public var delimiter: UInt8
    public var lineEnding: [UInt8]
    public var records: [Record]
    /// A quote left open at the end of the file, with the line it opened on.
    public var unterminatedQuoteLine: Int?
    /// The first cell larger than `maxCellBytes`, with its line.
    public var oversizedCellLine: Int?

    /// No cell of a schedule is anywhere near this big; a file with one is refused.
    public static let maxCellBytes = 64 * 1024

    public var delimiterCharacter: Character { Character(Unicode.Scalar(delimiter)) }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let body = bom ? 3 : 0
        let utf8 = Self.isValidUTF8(bytes, from: body)
        encoding = utf8 ? (bom ? .utf8BOM : .utf8) : .windows1252
        delimiter = Self.detectDelimiter(bytes, from: body)
        lineEnding = Self.detectLineEnding(bytes, from: body)
        records = []
        split(from: body)
    }

    /// Whether `bytes[start...]` is well-formed UTF-8 (as `String(validating:)` decides, without
    /// building the string): eight ASCII bytes at a time, the rest by the Unicode standard's table 3-7.
    static func isValidUTF8(_ bytes: [UInt8], from start: Int) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            let n = p.count
            var i = start
            while i < n {
                if i + 8 <= n {
                    let word = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 == 0 {
                        i += 8
                        continue
                    }
                }
                let b = p[i]
                if b < 0x80 {
                    i += 1
                    continue
                }
                func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
                    i + k < n && p[i + k] >= low && p[i + k] <= high
                }
                switch b {
                case 0xC2...0xDF:
                    guard continuation(1) else { return false }
                    i += 2
                case 0xE0:
                    guard continuation(1, 0xA0), continuation(2) else { return false }
                    i += 3
                case 0xE1...0xEC, 0xEE...0xEF:
                    guard continuation(1), continuation(2) else { return false }
                    i += 3
                case 0xED:
                    guard continuation(1, 0x80, 0x9F), continuation(2) else { return false }
                    i += 3
                case 0xF0:
                    guard continuation(1, 0x90), continuation(2), continuation(3) else { return false }
                    i += 4
                case 0xF1...0xF3:
                    guard continuation(1), continuation(2), continuation(3) else { return false }
                    i += 4
                case 0xF4:
                    guard continuation(1, 0x80, 0x8F), continuation(2), continuation(3) else { return false }
                    i += 4
                default:
                    return false
                }
            }
            return true
        }
    }

    /// Decodes a cell's bytes in the file's encoding.
    public func decode(_ slice: ArraySlice<UInt8>) -> String {
        switch encoding {
        case .utf8, .utf8BOM: return String(decoding: slice, as: UTF8.self)
        case .windows1252: return Self.decodeWindows1252(slice)
        }
    }

    /// Windows-1252 to a string in one pass, without a character at a time (most cells are ASCII).
    static func decodeWindows1252(_ slice: ArraySlice<UInt8>) -> String {
        var high = 0
        for b in slice where b >= 0x80 { high += 1 }
        if high == 0 { return String(decoding: slice, as: UTF8.self) }
        // Latin-1 takes two bytes in UTF-8, the 0x80–0x9F punctuation (€, ‘, ’, –, …) three.
        return String(unsafeUninitializedCapacity: slice.count + 2 * high) { out in
            var n = 0
            for b in slice {
                if b < 0x80 {
                    out[n] = b
                    n += 1
                    continue
                }
                let v = windows1252Table[Int(b - 0x80)]
                if v < 0x800 {
                    out[n] = UInt8(0xC0 | (v >> 6))
                    out[n + 1] = UInt8(0x80 | (v & 0x3F))
                    n += 2
                } else {
                    out[n] = UInt8(0xE0 | (v >> 12))
                    out[n + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    out[n + 2] = UInt8(0x80 | (v & 0x3F))
                    n += 3
                }
            }
            return n
        }
    }

    /// The code points of Windows-1252's bytes 0x80–0xFF (0xA0–0xFF are Latin-1's own).
    static let windows1252Table: [UInt32] =
        [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
            0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
            0x0153, 0x9D, 0x017E, 0x0178,
        ] + (0xA0...0xFF).map { UInt32($0) }

    /// Encodes text in the file's encoding (characters Windows-1252 lacks become `?`).
    public func encode(_ text: String) -> [UInt8] {
        switch encoding {
        case .utf8, .utf8BOM: return Array(text.utf8)
        case .windows1252:
            return text.unicodeScalars.map { s in
                if s.value < 0x80 || (0xA0...0xFF).contains(s.value) { return UInt8(s.value) }
                for b in UInt8(0x80)...UInt8(0x9F) where Self.windows1252(b) == s { return b }
                return UInt8(ascii: "?")
            }
        }
    }

    /// A cell as a spreadsheet would write it: quoted when it must be.
    public func encodeCell(_ text: String) -> [UInt8] {
        let needsQuotes =
            text.utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return encode(text) }
        return [0x22] + encode(text.replacingOccurrences(of: "\"", with: "\"\"")) + [0x22]
    }

    /// Windows-1252: Latin-1 with printable characters in 0x80–0x9F.
    static func windows1252(_ b: UInt8) -> Unicode.Scalar {
        b < 0x80 ? Unicode.Scalar(b) : Unicode.Scalar(windows1252Table[Int(b - 0x80)])!
    }

    /// The delimiter is whichever of `;`, `,` and tab the header line (outside quotes) has most of
    /// (`;` wins a tie: it is what Norwegian and Danish Excel writes).
    static func detectDelimiter(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var semicolons = 0
        var commas = 0
        var tabs = 0
        var quoted = false
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == 0x22 { quoted.toggle() }
            if quoted { continue }
            if b == 0x0A || b == 0x0D { break }
            if b == 0x3B { semicolons += 1 } else if b == 0x2C { commas += 1 } else if b == 0x09 { tabs += 1 }
        }
        if tabs > semicolons && tabs > commas { return 0x09 }
        if commas > semicolons { return 0x2C }
        return 0x3B
    }

    static func detectLineEnding(_ bytes: [UInt8], from start: Int) -> [UInt8] {
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x0A { return i > start && bytes[i - 1] == 0x0D ? [0x0D, 0x0A] : [0x0A] }
            i += 1
        }
        return [0x0D, 0x0A]
    }

    private mutating func split(from start: Int) {
        let n = bytes.count
        var i = start
        var line = 1
        var width = 8
        while i < n {
            // One record.
            let recordStart = i
            let recordLine = line
            var fields: [String] = []
            var ranges: [Range<Int>] = []
            fields.reserveCapacity(width)
            ranges.reserveCapacity(width)
            var endOfRecord = false
            while !endOfRecord {
                let fieldStart = i
                var value: ArraySlice<UInt8>
                if i < n && bytes[i] == 0x22 {
                    // Quoted: up to the closing quote; "" is a quote. Most quoted cells have no ""
                    // and nothing after the closing quote: their bytes are used where they are.
                    let quoteLine = line
                    var j = i + 1
                    var unquoted: [UInt8]?
                    var segment = j
                    var closed = false
                    while j < n {
                        let b = bytes[j]
                        if b == 0x22 {
                            if j + 1 < n && bytes[j + 1] == 0x22 {
                                if unquoted == nil { unquoted = [] }
                                unquoted! += bytes[segment...j]
                                j += 2
                                segment = j
                                continue
                            }
                            closed = true
                            break
                        }
                        if b == 0x0A { line += 1 }
                        j += 1
                    }
                    if !closed {
                        unterminatedQuoteLine = quoteLine
                        records.append(
                            Record(line: recordLine, fields: fields, fieldRanges: ranges, range: recordStart..<n))
                        return
                    }
                    let lastSegment = segment..<j
                    j += 1
                    // Anything between the closing quote and the delimiter is kept as text.
                    let restStart = j
                    while j < n && bytes[j] != delimiter && bytes[j] != 0x0A && bytes[j] != 0x0D { j += 1 }
                    if unquoted == nil && restStart == j {
                        value = bytes[lastSegment]
                    } else {
                        var whole = unquoted ?? []
                        whole += bytes[lastSegment]
                        whole += bytes[restStart..<j]
                        value = ArraySlice(whole)
                    }
                    i = j
                } else {
                    var j = i
                    while j < n && bytes[j] != delimiter && bytes[j] != 0x0A && bytes[j] != 0x0D { j += 1 }
                    value = bytes[i..<j]
                    i = j
                }
                if value.count > Self.maxCellBytes && oversizedCellLine == nil { oversizedCellLine = recordLine }
                fields.append(value.count > Self.maxCellBytes ? "" : decode(value))
                ranges.append(fieldStart..<i)
                if i < n && bytes[i] == delimiter {
                    i += 1
                    if i == n {  // a trailing delimiter at the very end: one more empty cell
                        fields.append("")
                        ranges.append(i..<i)
                        endOfRecord = true
                    }
                } else {
                    endOfRecord = true
                }
            }
            let recordEnd = i
            // The line break: CRLF, LF or a lone CR.
            if i < n && bytes[i] == 0x0D { i += 1 }
            if i < n && bytes[i] == 0x0A { i += 1 }
            line += 1
            width = max(width, fields.count)
            records.append(
                Record(line: recordLine, fields: fields, fieldRanges: ranges, range: recordStart..<recordEnd))
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (what spreadsheets leave in cells). For a
    /// `String` (every cell): its first and last bytes looked at in place, the string itself
    /// returned when neither is a space (nearly always).
    public var trimmingSpaces: String {
        let untouched = utf8.withContiguousStorageIfAvailable { p -> Bool in
            guard let f = p.first, let l = p.last else { return true }
            return f != 0x20 && f != 0x09 && f != 0xC2 && l != 0x20 && l != 0x09 && l != 0xA0
        }
        if untouched == true { return self }
        return Substring(self).trimmingSpaces
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (what spreadsheets leave in cells).
    public var trimmingSpaces: String {
        let whole = String(self)
        guard let f = whole.utf8.first, let l = whole.utf8.last else { return "" }
        if f != 0x20 && f != 0x09 && f != 0xC2 && l != 0x20 && l != 0x09 && l != 0xA0 { return whole }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{A0}" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{A0}" { s.removeLast() }
        return String(s)
    }
}
