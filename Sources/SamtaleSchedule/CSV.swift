import Foundation

/// A CSV file as spreadsheet programs write it: RFC 4180 quoting (line breaks and `""` inside
/// quoted cells), `;`, `,` or tab, CRLF or LF, UTF-8 with or without BOM, or Windows-1252.
///
/// Parsed at the byte level (every delimiter, quote and line break is ASCII in both encodings),
/// keeping each record's and each cell's byte range, so that a writer can change a few cells
/// and leave every other byte of the file as it was. Cells are kept as byte ranges into the one
/// buffer of the file's bytes and decoded to strings only when asked for (`field(_:of:)`): a
/// 20,000-row table is the file's bytes and about 60 bytes a row besides (issue 12).
public struct CSVTable: Sendable, Hashable {
    public enum Encoding: String, Sendable, Hashable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with BOM"
        case windows1252 = "Windows-1252"
    }

    /// One record: where it is in the file and where its cells are, not what they say (ask the
    /// table: `field(_:of:)`, `fields(of:)`, `fieldRanges(of:)`).
    public struct Record: Sendable, Hashable {
        let start: UInt32
        let end: UInt32
        let lineNumber: UInt32
        /// Its cells' ends are `cellEnds[firstCell ..< firstCell + cellCount]`.
        let firstCell: UInt32
        let cellCount: UInt32

        /// The 1-based line of the file on which the record starts.
        public var line: Int { Int(lineNumber) }
        /// The record's bytes in the file, without its line break.
        public var range: Range<Int> { Int(start)..<Int(end) }
        /// How many cells it has.
        public var count: Int { Int(cellCount) }
    }

    public let bytes: [UInt8]
    public var encoding: Encoding
    public var delimiter: UInt8
    public var lineEnding: [UInt8]
    public private(set) var records: [Record]
    /// Where each cell of each record ends (exclusive, quotes included): a cell starts one byte
    /// (its delimiter) after the one before it ends, a record's first cell where the record starts.
    private var cellEnds: [UInt32]
    /// A quote left open at the end of the file, with the line it opened on.
    public var unterminatedQuoteLine: Int?
    /// The first cell larger than `maxCellBytes`, with its line.
    public var oversizedCellLine: Int?

    /// No cell of a schedule is anywhere near this big; a file with one is refused.
    public static let maxCellBytes = 64 * 1024
    /// The largest file a table holds (its offsets are 32 bits); the reader refuses far smaller.
    public static let maxBytes = Int(UInt32.max)

    public var delimiterCharacter: Character { Character(Unicode.Scalar(delimiter)) }

    public init(bytes: [UInt8]) {
        precondition(
            bytes.count < Self.maxBytes, "a CSV table holds at most \(Self.maxBytes) bytes, not \(bytes.count)")
        self.bytes = bytes
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let body = bom ? 3 : 0
        let utf8 = Self.isValidUTF8(bytes, from: body)
        encoding = utf8 ? (bom ? .utf8BOM : .utf8) : .windows1252
        delimiter = Self.detectDelimiter(bytes, from: body)
        lineEnding = Self.detectLineEnding(bytes, from: body)
        let split = Self.split(bytes, from: body, delimiter: delimiter)
        records = split.records
        cellEnds = split.cellEnds
        unterminatedQuoteLine = split.unterminatedQuoteLine
        oversizedCellLine = split.oversizedCellLine
    }

    // MARK: Cells, decoded when asked for

    /// The `k`th cell's bytes in the file, quotes included (an empty range at the record's end
    /// when it has fewer cells).
    public func fieldRange(_ k: Int, of record: Record) -> Range<Int> {
        guard k >= 0, k < record.count else { return record.range.upperBound..<record.range.upperBound }
        let g = Int(record.firstCell) + k
        let start = k == 0 ? Int(record.start) : Int(cellEnds[g - 1]) + 1
        return start..<Int(cellEnds[g])
    }

    /// Each cell's bytes in the file, quotes included.
    public func fieldRanges(of record: Record) -> [Range<Int>] {
        (0..<record.count).map { fieldRange($0, of: record) }
    }

    /// The `k`th cell's value in the file's encoding, without its quotes (`""` read as `"`), handed
    /// to `body` where it lies in the file when it can be (nearly always); empty when the record
    /// has no such cell, or the cell is larger than `maxCellBytes`.
    @inline(__always)
    public func withValue<R>(_ k: Int, of record: Record, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows
        -> R
    {
        let range = fieldRange(k, of: record)
        return try bytes.withUnsafeBufferPointer { p in
            var lower = range.lowerBound
            var upper = range.upperBound
            if lower < upper && p[lower] == 0x22 {
                // The closing quote: the first quote after the opening one that is not doubled.
                var q = lower + 1
                while q < upper && p[q] != 0x22 { q += 1 }
                if q + 1 < upper {
                    // A `""` inside, or text after the closing quote: the value is put together.
                    let whole = Self.unquoted(p, range)
                    if whole.count > Self.maxCellBytes { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
                    return try whole.withUnsafeBufferPointer { try body($0) }
                }
                lower += 1
                upper = q
            }
            if upper - lower > Self.maxCellBytes { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            return try body(UnsafeBufferPointer(rebasing: p[lower..<upper]))
        }
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
        slice.withUnsafeBufferPointer { decode($0) }
    }

    /// Decodes a cell's bytes in the file's encoding.
    public func decode(_ buffer: UnsafeBufferPointer<UInt8>) -> String { Self.decode(buffer, encoding) }

    /// Decodes bytes in `encoding`.
    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, _ encoding: Encoding) -> String {
        switch encoding {
        case .utf8, .utf8BOM: return String(decoding: buffer, as: UTF8.self)
        case .windows1252: return decodeWindows1252(buffer)
        }
    }

    static func decodeWindows1252(_ slice: ArraySlice<UInt8>) -> String {
        slice.withUnsafeBufferPointer { decodeWindows1252($0) }
    }

    /// Windows-1252 to a string in one pass, without a character at a time (most cells are ASCII).
    static func decodeWindows1252(_ slice: UnsafeBufferPointer<UInt8>) -> String {
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

    /// A quoted cell's value put together: what is between its quotes with `""` read as `"`, and
    /// whatever follows the closing quote (kept as text, as spreadsheets do).
    static func unquoted(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var j = range.lowerBound + 1
        while j < range.upperBound {
            let b = p[j]
            if b == 0x22 {
                if j + 1 < range.upperBound && p[j + 1] == 0x22 {
                    out.append(0x22)
                    j += 2
                    continue
                }
                j += 1
                break
            }
            out.append(b)
            j += 1
        }
        if j < range.upperBound { out += UnsafeBufferPointer(rebasing: p[j..<range.upperBound]) }
        return out
    }

    /// The `k`th cell's text ("" when the record has no such cell).
    public func field(_ k: Int, of record: Record) -> String {
        withValue(k, of: record) { decode($0) }
    }

    /// Every cell's text.
    public func fields(of record: Record) -> [String] {
        (0..<record.count).map { field($0, of: record) }
    }

    /// The `k`th cell's text without leading and trailing spaces (`trimmingSpaces`), or nil when
    /// that leaves nothing (or the record has no such cell). Nothing is decoded for an empty cell.
    public func trimmedField(_ k: Int, of record: Record) -> String? {
        withValue(k, of: record) { v -> String? in
            guard let first = v.first, let last = v.last else { return nil }
            // Only a cell that begins or ends with a space, a tab or a no-break space is trimmed.
            let plain = Self.isPlainEnd(first) && Self.isPlainEnd(last)
            let text = decode(v)
            let trimmed = plain ? text : text.trimmingSpaces
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    /// Not a space, a tab, or a byte of a no-break space (0xA0 in Windows-1252, 0xC2 0xA0 in UTF-8).
    @inline(__always) static func isPlainEnd(_ b: UInt8) -> Bool {
        b != 0x20 && b != 0x09 && b != 0xA0 && b != 0xC2
    }

    /// Only empty cells (a blank row, or a row of delimiters): every cell's text trims to nothing.
    public func isBlank(_ record: Record) -> Bool {
        for k in 0..<record.count {
            let blank = withValue(k, of: record) { v -> Bool in
                var spaces = true
                for b in v where b != 0x20 && b != 0x09 {
                    spaces = false
                    break
                }
                if spaces { return true }
                // Anything but a space of some kind: not blank, without decoding it.
                if v.contains(where: { Self.isPlainEnd($0) }) { return false }
                return decode(v).trimmingSpaces.isEmpty
            }
            if !blank { return false }
        }
        return true
    }

    /// Splits the file into records and cells, keeping where each is (nothing is decoded).
    static func split(_ bytes: [UInt8], from start: Int, delimiter: UInt8) -> (
        records: [Record], cellEnds: [UInt32], unterminatedQuoteLine: Int?, oversizedCellLine: Int?
    ) {
        bytes.withUnsafeBufferPointer { split($0, from: start, delimiter: delimiter) }
    }

    /// `split` over the bytes themselves (its state in local variables, no closure's captures).
    static func split(_ p: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> (
        records: [Record], cellEnds: [UInt32], unterminatedQuoteLine: Int?, oversizedCellLine: Int?
    ) {
        var records: [Record] = []
        var ends: [UInt32] = []
        var unterminated: Int?
        var oversized: Int?
        let n = p.count
        var i = start
        var line = 1
        while i < n {
            // One record.
            let recordStart = i
            let recordLine = line
            let firstCell = ends.count
            var endOfRecord = false
            while !endOfRecord {
                let valueCount: Int
                if i < n && p[i] == 0x22 {
                    // Quoted: up to the closing quote; "" is a quote.
                    let quoteLine = line
                    var j = i + 1
                    var doubled = 0
                    var closed = false
                    while j < n {
                        let b = p[j]
                        if b == 0x22 {
                            if j + 1 < n && p[j + 1] == 0x22 {
                                doubled += 1
                                j += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        if b == 0x0A { line += 1 }
                        j += 1
                    }
                    if !closed {
                        unterminated = quoteLine
                        records.append(
                            Record(
                                start: UInt32(recordStart), end: UInt32(n),
                                lineNumber: UInt32(truncatingIfNeeded: recordLine), firstCell: UInt32(firstCell),
                                cellCount: UInt32(ends.count - firstCell)))
                        return (records, ends, unterminated, oversized)
                    }
                    let quoted = j - (i + 1) - doubled
                    j += 1
                    // Anything between the closing quote and the delimiter is kept as text.
                    let restStart = j
                    while j < n && p[j] != delimiter && p[j] != 0x0A && p[j] != 0x0D { j += 1 }
                    valueCount = quoted + (j - restStart)
                    i = j
                } else {
                    var j = i
                    while j < n {
                        let b = p[j]
                        if b == delimiter || b == 0x0A || b == 0x0D { break }
                        j += 1
                    }
                    valueCount = j - i
                    i = j
                }
                if valueCount > Self.maxCellBytes && oversized == nil { oversized = recordLine }
                ends.append(UInt32(i))
                if i < n && p[i] == delimiter {
                    i += 1
                    if i == n {  // a trailing delimiter at the very end: one more empty cell
                        ends.append(UInt32(i))
                        endOfRecord = true
                    }
                } else {
                    endOfRecord = true
                }
            }
            let recordEnd = i
            // The line break: CRLF, LF or a lone CR.
            if i < n && p[i] == 0x0D { i += 1 }
            if i < n && p[i] == 0x0A { i += 1 }
            line += 1
            records.append(
                Record(
                    start: UInt32(recordStart), end: UInt32(recordEnd),
                    lineNumber: UInt32(truncatingIfNeeded: recordLine), firstCell: UInt32(firstCell),
                    cellCount: UInt32(ends.count - firstCell)))
        }
        return (records, ends, unterminated, oversized)
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
