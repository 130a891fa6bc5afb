import Foundation
import SamtaleApp
import SamtaleTestSupport
import Testing

private func parse(_ text: String) -> Result<ConfigJSON, ConfigJSON.SyntaxError> {
    parse(Array(text.utf8))
}

private func parse(_ bytes: [UInt8]) -> Result<ConfigJSON, ConfigJSON.SyntaxError> {
    do { return .success(try ConfigJSON(parsing: bytes)) } catch { return .failure(error) }
}

private func error(_ text: String) -> ConfigJSON.SyntaxError? {
    if case .failure(let e) = parse(text) { return e }
    return nil
}

@Suite("configuration files: JSON errors with line and column, wrong values with the key's path")
struct ConfigJSONTests {
    @Test("a missing comma, a trailing comma, an unclosed brace: each where it is, in plain words")
    func syntax() throws {
        let missing = try #require(
            error("{\n  \"kiosk\": {\"room\": \"204\"}\n  \"schedule\": {\"path\": \"/x\"}\n}\n"))
        #expect(missing.position == .init(line: 3, column: 3))
        #expect(missing.message.contains("missing comma") && missing.message.contains("\"kiosk\""))

        let trailing = try #require(error("{\n  \"kiosk\": {\"room\": \"204\",},\n  \"schedule\": {}\n}"))
        #expect(trailing.position == .init(line: 2, column: 26))
        #expect(trailing.message.contains("no comma before '}'"))

        let unclosed = try #require(error("{\n  \"kiosk\": {\"room\": \"204\"\n"))
        #expect(unclosed.position.line == 3)
        #expect(unclosed.message.contains("opens at line 2, column 12"))

        let list = try #require(error("{\"school\": {\"rooms\": [\"101\", \"102\",]}}"))
        #expect(list.message.contains("no comma before ']'"))
        #expect(list.position == .init(line: 1, column: 35))

        let quote = try #require(error("{\"kiosk\": {'room': \"204\"}}"))
        #expect(quote.message.contains("double quotes"))
        let comment = try #require(error("{\n  // the room\n  \"kiosk\": {}\n}"))
        #expect(comment.position == .init(line: 2, column: 3) && comment.message.contains("no comments"))
        let windows = try #require(error("{\"schedule\": {\"path\": \"S:\\skole\\samtaler.csv\"}}"))
        #expect(windows.message.contains("backslash") && windows.position == .init(line: 1, column: 26))
        let twice = try #require(error("{\"kiosk\": {\"room\": \"204\",\n \"room\": \"205\"}}"))
        #expect(twice.message.contains("appears twice") && twice.position.line == 2)
        let number = try #require(error("{\"http\": {\"port\": 08080}}"))
        #expect(number.message.contains("08080 is not a number"))
        let extra = try #require(error("{\"kiosk\": {}}}"))
        #expect(extra.message.contains("an extra '}'") && extra.position == .init(line: 1, column: 14))
    }

    @Test("an empty file, a byte that is not UTF-8, a byte-order mark")
    func bytes() throws {
        #expect(error("")?.message.contains("the file is empty") == true)
        #expect(error(" \n\n")?.message.contains("the file is empty") == true)
        // "Rød" saved as Latin-1: ø is the byte 0xF8, the 20th character of line 2.
        let latin1 = Array("{\n  \"kiosk\": {\"roomName\": \"R".utf8) + [0xF8] + Array("d\"}}".utf8)
        guard case .failure(let e) = parse(latin1) else {
            Issue.record("Latin-1 accepted")
            return
        }
        #expect(e.position == .init(line: 2, column: 27))
        #expect(e.message.contains("0xF8 is not UTF-8"))
        // The column counts characters: æøå are one each, though two bytes.
        let wide = try #require(error("{\"kiosk\": {\"roomName\": \"æøå\" \"room\": \"1\"}}"))
        #expect(wide.position == .init(line: 1, column: 30))
        // A byte-order mark (Notepad) is read past, and columns do not count it.
        let bom = [0xEF, 0xBB, 0xBF] + Array("{\"kiosk\": {\"room\": \"204\"}}".utf8)
        let doc = try parse(bom).get()
        #expect(doc.node(at: ["kiosk", "room"])?.value == .string("204"))
        guard case .failure(let b) = parse([0xEF, 0xBB, 0xBF] + Array("{x}".utf8)) else { return }
        #expect(b.position == .init(line: 1, column: 2))
    }

    @Test("wrong kinds and values are named by their key path; unknown keys are warnings with a near miss")
    func schema() throws {
        let doc = try parse(
            """
            {"kiosk": {"room": "204", "language": "se"},
             "scheduel": {"path": "/x.csv"},
             "gpio": {"chip": "c", "button": {"line": "B", "bounceMs": "30"}, "realtimePriority": 120,
                      "light": {"kind": "single", "line": 17}},
             "http": {"port": 70000},
             "school": {"rooms": ["101", 102]},
             "_comment": "notes are fine"}
            """
        ).get()
        let problems = ConfigSchema.problems(in: doc)
        func find(_ key: String) -> ConfigSchema.Problem? { problems.first { $0.key == key } }
        #expect(find("kiosk.language")?.message == "\"se\" is not one of nb, da, en")
        #expect(find("kiosk.language")?.position == .init(line: 1, column: 39))
        #expect(find("gpio.button.bounceMs")?.message.hasPrefix("expected a whole number, found \"30\"") == true)
        #expect(find("gpio.light.line")?.message.contains("found the number 17 (write \"17\")") == true)
        #expect(find("http.port")?.message == "70000 is outside 1…65535")
        #expect(find("gpio.realtimePriority")?.message == "120 is outside 0…99")
        #expect(find("school.rooms[1]")?.severity == .error)
        let typo = try #require(find("scheduel"))
        #expect(typo.severity == .warning && typo.message.contains("did you mean \"schedule\"?"))
        #expect(find("schedule.path")?.message.contains("the file has \"scheduel\": a typo?") == true)
        #expect(find("_comment") == nil)
        #expect(problems.filter { $0.severity == .error }.count == 7)
    }

    @Test("the board profiles and the example are valid and complete (but their placeholders)")
    func profiles() throws {
        for name in ["raspberry-pi-4", "raspberry-pi-5", "generic"] {
            let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Board/profiles/\(name).json"))
            let doc = try ConfigJSON(parsing: Array(data))
            #expect(ConfigSchema.problems(in: doc).isEmpty, "\(name)")
            // Rendered and read back, the document is the same.
            let again = try ConfigJSON(parsing: Array(doc.rendered().utf8))
            #expect(again.rendered() == doc.rendered())
        }
    }

    /// A real peer: Python's json module reads the same broken files. Every file one of the two
    /// accepts, the other accepts too (duplicate keys and NaN are refused on both sides).
    @Test("Python's json agrees on which of 800 mutated configurations are JSON")
    func pythonAgrees() async throws {
        let seed = TestSeed("ConfigJSON mutations")
        var rng = seed.generator()
        let dir = try TempDir()
        var bases: [[UInt8]] = []
        for name in ["raspberry-pi-4", "raspberry-pi-5", "generic"] {
            bases.append(
                Array(try Data(contentsOf: repositoryRoot.appendingPathComponent("Board/profiles/\(name).json"))))
        }
        bases.append(
            Array(
                #"{"kiosk": {"room": "2\u00f804", "roomName": "R\"om"}, "school": {"rooms": [1.5e3, -0, true, null]}}"#
                    .utf8))
        let alphabet = Array("{}[],:\"\\ \n0-1e.aтø/'".utf8) + [0xF8, 0xEF, 0xBB, 0xBF, 0x09, 0x00]
        var files: [(String, [UInt8])] = []
        for n in 0..<800 {
            var b = bases[Int(rng.next() % UInt64(bases.count))]
            for _ in 0...(rng.next() % 3) {
                let at = Int(rng.next() % UInt64(b.count + 1))
                switch rng.next() % 4 {
                case 0 where at < b.count: b.remove(at: at)
                case 1: b.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                case 2 where at < b.count: b[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                default: if at < b.count { b.insert(b[at], at: at) }
                }
            }
            if n % 50 == 0 { b = [0xEF, 0xBB, 0xBF] + b }
            let path = dir.url.appendingPathComponent("c\(n).json").path
            try Data(b).write(to: URL(fileURLWithPath: path))
            files.append((path, b))
        }
        let script = """
            import json, sys
            def pairs(ps):
                keys = [k for k, _ in ps]
                if len(keys) != len(set(keys)): raise ValueError("duplicate")
                return dict(ps)
            def const(c): raise ValueError(c)
            for path in sys.argv[1:]:
                try:
                    v = json.loads(open(path, "rb").read(), object_pairs_hook=pairs, parse_constant=const)
                    print("ok" if isinstance(v, dict) else "not-object")
                except Exception as e:
                    print("error")
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + files.map(\.0)
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = await offPool { out.fileHandleForReading.readDataToEndOfFile() }
        p.waitUntilExit()
        let verdicts = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(verdicts.count == files.count)
        var accepted = 0
        for ((path, bytes), verdict) in zip(files, verdicts) {
            let ours = parse(bytes)
            switch ours {
            case .success:
                accepted += 1
                #expect(verdict == "ok", "\(path) (\(seed)): we accept, Python says \(verdict)")
            case .failure(let e):
                #expect(verdict != "ok", "\(path) (\(seed)): Python accepts, we say \(e.position): \(e.message)")
                let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
                #expect(e.position.line >= 1 && e.position.line <= lines && e.position.column >= 1)
            }
        }
        // Both kinds are in the corpus: the comparison means something.
        #expect(accepted > 20 && accepted < files.count - 100, "accepted \(accepted)")
    }
}
