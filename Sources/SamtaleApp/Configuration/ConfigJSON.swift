/// A JSON document read with the position of every value (line and column), for configuration
/// errors a person can act on: `samtale.json:4:3: expected ',' …`. Pure: bytes in, a tree or an
/// error with its position out. Strict RFC 8259, plus a leading UTF-8 byte-order mark (Windows
/// editors write one), which is skipped.
public struct ConfigJSON: Sendable, Hashable {
    /// Line and column, both from 1; the column counts characters, not bytes.
    public struct Position: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var description: String { "\(line):\(column)" }
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    public indirect enum Value: Sendable, Hashable {
        case object([Member])
        case array([Node])
        case string(String)
        /// The number as written, and its value.
        case number(String, Double)
        case bool(Bool)
        case null

        /// What a person would call it: "a number", "the text \"30\"".
        public var kind: String {
            switch self {
            case .object: "an object"
            case .array: "a list"
            case .string: "text"
            case .number: "a number"
            case .bool: "true or false"
            case .null: "null"
            }
        }

        /// The value as written in JSON (short values; objects and lists by their kind).
        public var shown: String {
            switch self {
            case .string(let s): ConfigJSON.quote(s)
            case .number(let text, _): text
            case .bool(let b): b ? "true" : "false"
            case .null: "null"
            case .object: "an object"
            case .array: "a list"
            }
        }
    }

    public struct Node: Sendable, Hashable {
        public var value: Value
        public var position: Position
        public init(_ value: Value, at position: Position = Position(line: 0, column: 0)) {
            self.value = value
            self.position = position
        }
    }

    public struct Member: Sendable, Hashable {
        public var key: String
        public var keyPosition: Position
        public var node: Node
    }

    public struct SyntaxError: Error, Sendable, Hashable {
        public var position: Position
        public var message: String
    }

    public var root: Node

    /// Parses a whole file.
    public init(parsing bytes: [UInt8]) throws(SyntaxError) {
        var p = Parser(bytes: bytes)
        root = try p.document()
    }

    /// The node at a dotted key path (`gpio.button.line`), or nil.
    public func node(at path: [String]) -> Node? {
        var node = root
        for key in path {
            guard case .object(let members) = node.value, let m = members.last(where: { $0.key == key }) else {
                return nil
            }
            node = m.node
        }
        return node
    }

    /// The position of a key (where its name is written), or of its value when it has no name.
    public func position(of path: [String]) -> Position? {
        guard let last = path.last else { return root.position }
        guard case .object(let members)? = node(at: Array(path.dropLast()))?.value,
            let m = members.last(where: { $0.key == last })
        else { return nil }
        return m.keyPosition
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += "\\u" + String(u.value, radix: 16).leftPadded(to: 4)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// The document as JSON text, two spaces per level, keys in their order; short objects of
    /// plain values on one line, as the board profiles write them.
    public func rendered() -> String { Self.render(root.value, indent: 0) + "\n" }

    static func render(_ value: Value, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent + 2)
        switch value {
        case .object(let members):
            if members.isEmpty { return "{}" }
            let flat = members.allSatisfy {
                if case .object = $0.node.value { return false }
                if case .array(let items) = $0.node.value { return items.count <= 4 }
                return true
            }
            let parts = members.map { "\(quote($0.key)): \(render($0.node.value, indent: indent + 2))" }
            let oneLine = "{ " + parts.joined(separator: ", ") + " }"
            if flat && oneLine.count + indent <= 100 { return oneLine }
            return "{\n" + parts.map { pad + $0 }.joined(separator: ",\n") + "\n"
                + String(repeating: " ", count: indent)
                + "}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[" + items.map { render($0.value, indent: indent + 2) }.joined(separator: ", ") + "]"
        default:
            return value.shown
        }
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                i = 3
                lineStart = 3
            }
        }

        /// The position of byte `at`: its line, and its column in characters.
        func position(_ at: Int) -> Position {
            var column = 1
            var j = lineStart
            while j < at && j < bytes.count {
                if bytes[j] & 0xC0 != 0x80 { column += 1 }
                j += 1
            }
            if at > bytes.count { column += 1 }
            return Position(line: line, column: column)
        }

        func fail(_ message: String, at: Int? = nil) -> SyntaxError {
            SyntaxError(position: position(at ?? i), message: message)
        }

        mutating func document() throws(SyntaxError) -> Node {
            try checkUTF8()
            skipSpace()
            guard i < bytes.count else {
                throw fail(
                    "the file is empty: a configuration is a JSON object, like {\"kiosk\": {\"room\": \"204\"}, \"schedule\": {\"path\": \"/mnt/skole/samtaler.csv\"}}"
                )
            }
            guard bytes[i] == UInt8(ascii: "{") else {
                throw fail("a configuration is a JSON object in { … }; the file starts with \(found())")
            }
            let root = try value(context: "")
            skipSpace()
            if i < bytes.count {
                throw fail(
                    "\(found()) after the end of the configuration (the { … } that starts at line 1 ends before it: an extra '}'?)"
                )
            }
            return root
        }

        /// Every byte sequence must be UTF-8: a Latin-1 or Windows-1252 save is named, with where.
        mutating func checkUTF8() throws(SyntaxError) {
            var j = i
            var ln = 1
            var ls = lineStart
            while j < bytes.count {
                let b = bytes[j]
                let n: Int
                if b < 0x80 {
                    n = 1
                } else if b & 0xE0 == 0xC0 && b >= 0xC2 {
                    n = 2
                } else if b & 0xF0 == 0xE0 {
                    n = 3
                } else if b & 0xF8 == 0xF0 && b <= 0xF4 {
                    n = 4
                } else {
                    n = 0
                }
                var ok = n > 0 && j + n <= bytes.count
                if ok { for k in 1..<n where bytes[j + k] & 0xC0 != 0x80 { ok = false } }
                if ok && n > 1 {
                    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 either.
                    var v = UInt32(b) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
                    for k in 1..<n { v = v << 6 | UInt32(bytes[j + k] & 0x3F) }
                    if (n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF))
                        || (0xD800...0xDFFF).contains(v)
                    {
                        ok = false
                    }
                }
                if !ok {
                    line = ln
                    lineStart = ls
                    let hex = String(b, radix: 16, uppercase: true).leftPadded(to: 2)
                    throw fail(
                        "byte 0x\(hex) is not UTF-8: save the file as UTF-8 (it looks like Latin-1 or Windows-1252, as some editors write æ, ø and å)",
                        at: j)
                }
                if b == UInt8(ascii: "\n") {
                    ln += 1
                    ls = j + 1
                }
                j += n
            }
        }

        func found() -> String {
            guard i < bytes.count else { return "the end of the file" }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { return "a string" }
            if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { return "the end of the line" }
            var j = i
            var scalarBytes: [UInt8] = [b]
            j += 1
            while j < bytes.count && bytes[j] & 0xC0 == 0x80 {
                scalarBytes.append(bytes[j])
                j += 1
            }
            return "'\(String(decoding: scalarBytes, as: UTF8.self))'"
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    i += 1
                case UInt8(ascii: "\n"):
                    i += 1
                    line += 1
                    lineStart = i
                case UInt8(ascii: "/")
                where i + 1 < bytes.count && (bytes[i + 1] == UInt8(ascii: "/") || bytes[i + 1] == UInt8(ascii: "*")):
                    return
                default:
                    return
                }
            }
        }

        /// `context`: what the value belongs to, for messages ("the value of \"room\"").
        mutating func value(context: String) throws(SyntaxError) -> Node {
            skipSpace()
            let at = position(i)
            guard i < bytes.count else {
                throw fail("the file ends where \(context.isEmpty ? "a value" : context) should be")
            }
            switch bytes[i] {
            case UInt8(ascii: "{"): return Node(try object(), at: at)
            case UInt8(ascii: "["): return Node(try array(), at: at)
            case UInt8(ascii: "\""): return Node(.string(try string()), at: at)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return Node(try number(), at: at)
            case UInt8(ascii: "t"): return Node(try word("true", .bool(true)), at: at)
            case UInt8(ascii: "f"): return Node(try word("false", .bool(false)), at: at)
            case UInt8(ascii: "n"): return Node(try word("null", .null), at: at)
            case UInt8(ascii: "/"):
                throw fail("JSON has no comments: remove it, or put the note in a key such as \"_comment\"")
            case UInt8(ascii: "'"):
                throw fail("text is written in double quotes (\"…\") in JSON, not single quotes")
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                throw fail("\(found()) where \(context.isEmpty ? "a value" : context) should be")
            default:
                throw fail(
                    "\(found()) cannot start a value\(context.isEmpty ? "" : " (\(context))"): text is written in double quotes, like \"204\""
                )
            }
        }

        mutating func word(_ w: String, _ v: Value) throws(SyntaxError) -> Value {
            let u = Array(w.utf8)
            guard i + u.count <= bytes.count, Array(bytes[i..<i + u.count]) == u else {
                throw fail("\(found()) cannot start a value: text is written in double quotes, like \"204\"")
            }
            i += u.count
            return v
        }

        mutating func object() throws(SyntaxError) -> Value {
            let open = i
            let openPos = position(i)
            i += 1
            var members: [Member] = []
            var seen: [String: Position] = [:]
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object([])
            }
            while true {
                skipSpace()
                guard i < bytes.count else {
                    throw unclosed("{", openPos, open)
                }
                if bytes[i] == UInt8(ascii: "}"), let last = members.last {
                    throw fail(
                        "a comma after the value of \(quote(last.key)) with nothing after it: JSON allows no comma before '}'",
                        at: lastComma)
                }
                guard bytes[i] == UInt8(ascii: "\"") else {
                    if bytes[i] == UInt8(ascii: "'") {
                        throw fail("a key is written in double quotes (\"…\") in JSON, not single quotes")
                    }
                    if bytes[i] == UInt8(ascii: "/") {
                        throw fail("JSON has no comments: remove it, or put the note in a key such as \"_comment\"")
                    }
                    throw fail("\(found()) where a key in double quotes should be, like \"room\"")
                }
                let keyPos = position(i)
                let key = try string()
                if let first = seen[key] {
                    throw SyntaxError(
                        position: keyPos,
                        message:
                            "\(quote(key)) appears twice in the same object (first at line \(first.line)): keep one")
                }
                seen[key] = keyPos
                skipSpace()
                guard i < bytes.count else { throw unclosed("{", openPos, open) }
                guard bytes[i] == UInt8(ascii: ":") else {
                    throw fail("expected ':' after the key \(quote(key)), found \(found())")
                }
                i += 1
                let v = try value(context: "the value of \(quote(key))")
                members.append(Member(key: key, keyPosition: keyPos, node: v))
                skipSpace()
                guard i < bytes.count else { throw unclosed("{", openPos, open) }
                switch bytes[i] {
                case UInt8(ascii: ","):
                    lastComma = i
                    i += 1
                case UInt8(ascii: "}"):
                    i += 1
                    return .object(members)
                case UInt8(ascii: "\""):
                    throw fail("a missing comma: expected ',' between the value of \(quote(key)) and the next key")
                default:
                    throw fail("expected ',' or '}' after the value of \(quote(key)), found \(found())")
                }
            }
        }

        var lastComma = 0

        func unclosed(_ what: String, _ pos: Position, _ at: Int) -> SyntaxError {
            fail(
                "the file ends inside the \(what == "{" ? "{ … }" : "[ … ]") that opens at line \(pos.line), column \(pos.column): a missing '\(what == "{" ? "}" : "]")'?"
            )
        }

        mutating func array() throws(SyntaxError) -> Value {
            let open = i
            let openPos = position(i)
            i += 1
            var items: [Node] = []
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .array([])
            }
            while true {
                skipSpace()
                guard i < bytes.count else { throw unclosed("[", openPos, open) }
                if bytes[i] == UInt8(ascii: "]") && !items.isEmpty {
                    throw fail("a comma with nothing after it: JSON allows no comma before ']'", at: lastComma)
                }
                items.append(try value(context: "an item of the list"))
                skipSpace()
                guard i < bytes.count else { throw unclosed("[", openPos, open) }
                switch bytes[i] {
                case UInt8(ascii: ","):
                    lastComma = i
                    i += 1
                case UInt8(ascii: "]"):
                    i += 1
                    return .array(items)
                default:
                    throw fail("expected ',' or ']' in the list, found \(found())")
                }
            }
        }

        mutating func string() throws(SyntaxError) -> String {
            let start = i
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else {
                    throw fail("the text that starts here has no closing '\"'", at: start)
                }
                let b = bytes[i]
                switch b {
                case UInt8(ascii: "\""):
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    throw fail("the text that starts here has no closing '\"' on its line", at: start)
                case 0..<0x20:
                    throw fail("a control character (a tab?) inside text: write it as \\t or remove it")
                case UInt8(ascii: "\\"):
                    i += 1
                    guard i < bytes.count else {
                        throw fail("the text that starts here has no closing '\"'", at: start)
                    }
                    let e = bytes[i]
                    let simple: [UInt8: UInt8] = [
                        UInt8(ascii: "\""): UInt8(ascii: "\""), UInt8(ascii: "\\"): UInt8(ascii: "\\"),
                        UInt8(ascii: "/"): UInt8(ascii: "/"), UInt8(ascii: "b"): 8, UInt8(ascii: "f"): 12,
                        UInt8(ascii: "n"): 10, UInt8(ascii: "r"): 13, UInt8(ascii: "t"): 9,
                    ]
                    if let s = simple[e] {
                        out.append(s)
                        i += 1
                    } else if e == UInt8(ascii: "u") {
                        var v = try hex4(at: i + 1)
                        i += 5
                        if (0xD800...0xDBFF).contains(v), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                            bytes[i + 1] == UInt8(ascii: "u")
                        {
                            let low = try hex4(at: i + 2)
                            if (0xDC00...0xDFFF).contains(low) {
                                v = 0x10000 + (v - 0xD800) << 10 + (low - 0xDC00)
                                i += 6
                            }
                        }
                        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    } else {
                        throw fail(
                            "\\\(String(found().filter { $0 != "'" })) is not an escape in JSON: a backslash is written \\\\ (a Windows path? use / instead)",
                            at: i - 1)
                    }
                default:
                    out.append(b)
                    i += 1
                }
            }
        }

        func hex4(at j: Int) throws(SyntaxError) -> UInt32 {
            guard j + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[j..<j + 4], as: UTF8.self), radix: 16)
            else {
                throw fail("\\u must be followed by four hexadecimal digits", at: j - 2)
            }
            return v
        }

        mutating func number() throws(SyntaxError) -> Value {
            let start = i
            func digits() -> Int {
                let s = i
                while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
                return i - s
            }
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            let intStart = i
            let n = digits()
            var ok = n > 0 && !(n > 1 && bytes[intStart] == UInt8(ascii: "0"))
            if ok, i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                ok = digits() > 0
            }
            if ok, i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                ok = digits() > 0
            }
            // A number runs into letters or more digits: 08, 1.5.2, 30ms, 1,5.
            var end = i
            while end < bytes.count, !" \t\r\n,}]".utf8.contains(bytes[end]) { end += 1 }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            guard ok, end == i, let d = Double(text) else {
                throw fail(
                    "\(text) is not a number in JSON (numbers are like 30, 0.5 or -2; text is in double quotes)",
                    at: start)
            }
            return .number(text, d)
        }

        func quote(_ s: String) -> String { ConfigJSON.quote(s) }
    }
}

extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
