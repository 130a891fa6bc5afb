import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@Suite("the one HTML escaper")
struct HTMLTextTests {
    @Test(
        "& < > \" ' become entities; everything else stays",
        arguments: [
            ("Ås & <Berg>", "Ås &amp; &lt;Berg&gt;"),
            ("O'Neil \"Lærerteam\"", "O&#39;Neil &quot;Lærerteam&quot;"),
            ("&amp;", "&amp;amp;"),
            ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
            ("plain æøå 14:00–15:00", "plain æøå 14:00–15:00"),
            ("", ""),
        ])
    func escapes(input: String, output: String) {
        #expect(HTMLText.escape(input) == output)
    }

    @Test("a < with a combining mark (one Swift character, ≮) is escaped too")
    func combiningMark() {
        let sneaky = "<\u{338}script>"
        let escaped = HTMLText.escape(sneaky)
        #expect(!escaped.unicodeScalars.contains("<"))
        #expect(!escaped.unicodeScalars.contains(">"))
        #expect(escaped.unicodeScalars.elementsEqual("&lt;\u{338}script&gt;".unicodeScalars))
    }

    @Test("no markup character survives, whatever the input")
    func nothingSurvives() {
        let inputs = ["a&b", "\"'\"'", "<<>>", "x\u{301}<y\u{301}>", "&#39;"]
        for s in inputs {
            let e = HTMLText.escape(s)
            for c in ["<", ">", "\"", "'"] { #expect(!e.contains(c), "\(s)") }
            // Every & starts an entity the escaper wrote.
            let ampersands = e.components(separatedBy: "&").dropFirst()
            for rest in ampersands {
                #expect(["amp;", "lt;", "gt;", "quot;", "#39;"].contains { rest.hasPrefix($0) }, "\(s)")
            }
        }
    }
}
