import Foundation
import SamtaleCore
import Testing

@testable import SamtaleWeb

@Suite("The string catalogues and the page templates")
struct CatalogueTests {
    @Test("every catalogue file is one JSON object of strings, and none is empty", arguments: Language.allCases)
    func decodes(language: Language) throws {
        let table = try Catalogue.decode(Catalogue.resource(language))
        #expect(table.count > 50, "\(language).json has \(table.count) strings")
        #expect(Catalogue.strings(language) == table)
    }

    @Test("every key exists in every language, with text")
    func everyKeyEverywhere() {
        let keys = Set(Language.allCases.flatMap { Catalogue.strings($0).keys })
        for key in keys.sorted() {
            for language in Language.allCases {
                let value = Catalogue.strings(language)[key]
                #expect(value?.isEmpty == false, "\(key) is missing or empty in \(language).json")
            }
        }
    }

    @Test("each string names the same placeholders in every language")
    func placeholdersMatch() {
        for key in Catalogue.strings(.en).keys.sorted() {
            let english = Set(Catalogue.placeholders(Catalogue.strings(.en)[key] ?? ""))
            for language in Language.allCases {
                let other = Set(Catalogue.placeholders(Catalogue.strings(language)[key] ?? ""))
                #expect(
                    other == english, "\(key) in \(language).json names \(other.sorted()), en.json \(english.sorted())")
            }
        }
    }

    @Test("one placeholder syntax: no printf-style %d or %@ left in any string")
    func onePlaceholderSyntax() {
        for language in Language.allCases {
            for (key, value) in Catalogue.strings(language) {
                #expect(value.range(of: "%[0-9]*[d@s]", options: .regularExpression) == nil, "\(key) in \(language)")
            }
        }
    }

    @Test("filling placeholders: by name, a missing value is empty, a missing key reads as the key")
    func filling() {
        #expect(Catalogue.fill("{m} min of {n}", ["m": "5", "n": "7"]) == "5 min of 7")
        #expect(Catalogue.fill("{m} min", [:]) == " min")
        #expect(Catalogue.fill("a { b {xy} {", ["x": "1"]) == "a { b {xy} {")
        #expect(Catalogue.fill("{", [:]) == "{")
        #expect(Catalogue.text("no.such.key", .nb) == "no.such.key")
        #expect(Catalogue.text("staff.locked", .en, ["s": "42"]) == "Too many tries. Try again in 42 seconds.")
        #expect(Catalogue.placeholders("{t} ({a}) {t}") == ["t", "a"])
    }

    @Test("every template names only keys the catalogue has")
    func templatesNameKnownKeys() {
        for template in Template.all {
            for case .string(let key) in template.slots {
                for language in Language.allCases {
                    #expect(
                        Catalogue.strings(language)[key] != nil,
                        "\(template.name) names \(key), not in \(language).json")
                }
            }
            #expect(!template.slots.isEmpty, "\(template.name) has no slots")
        }
    }

    @Test("every page fills every slot of its template", arguments: Language.allCases)
    func pagesFillEverySlot(language: Language) async throws {
        let backend = FakeBackend()
        let pages = [
            Assets.doorPage(language: language, demo: false, view: await backend.door(), encoder: time.jsonEncoder()),
            StaffAssets.signIn(language: language, role: .teacher, message: nil),
            StaffAssets.signIn(language: language, role: .caretaker, message: .locked(seconds: 30)),
            StaffAssets.teacherPage(language: language, csrf: "tok\"en", amberSeconds: 300, redSeconds: 60),
            StaffAssets.caretakerPage(language: language, csrf: "token"),
        ]
        for page in pages {
            #expect(!page.contains("{{"), "a slot left unfilled: \(page.prefix(200))")
            #expect(page.contains("<html lang=\"\(language.rawValue)\">"))
            #expect(!page.contains("<script>"), "no inline script")
        }
        #expect(pages[2].contains(Catalogue.text("staff.locked", language, ["s": "30"])))
        #expect(pages[3].contains("content=\"tok&quot;en\""))
        #expect(pages[3].contains(">+5 min<"))
    }

    @Test(
        "the door's first response already shows the view: state, clock, countdown, slots", arguments: Language.allCases
    )
    func doorFirstPaint(language: Language) async throws {
        let backend = FakeBackend()
        let view = await backend.door()
        let page = Assets.doorPage(language: language, demo: false, view: view, encoder: time.jsonEncoder())
        #expect(page.contains("<main id=\"door\" class=\"light-\(view.light.rawValue)\">"))
        #expect(
            page.contains(
                "<span id=\"state\">\(HTMLText.escape(Catalogue.text("light.\(view.light.rawValue)", language)))</span>"))
        #expect(page.contains("<time id=\"clock\">14:05</time>"))
        #expect(!page.contains("<time id=\"clock\">--:--"), "the clock's skeleton instead of the time")
        #expect(page.contains("<b id=\"current-slot\">14:00–14:20 (K0)</b>"))
        #expect(page.contains("<b id=\"next-slot\">14:20–14:40 (K1)</b>"))
        #expect(page.contains(">\(Assets.symbols[view.light.rawValue] ?? "?")</span>"))
        for s in secrets { #expect(!page.contains(s), "\(s) on the door page") }
        // The data the script reads: the same view as /api/door, the strings and the symbols.
        let open = try #require(page.range(of: "<script id=\"samtale-data\" type=\"application/json\">"))
        let close = try #require(page.range(of: "</script>", range: open.upperBound..<page.endIndex))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(page[open.upperBound..<close.lowerBound].utf8))
                as? [String: Any])
        #expect((json["view"] as? [String: Any])?["light"] as? String == view.light.rawValue)
        #expect((json["strings"] as? [String: String]) == Catalogue.strings(language))
        #expect((json["symbols"] as? [String: String]) == Assets.symbols)
    }

    @Test("a JSON block in a page cannot end its script element")
    func jsonBlockEscapes() {
        let block = HTML.jsonBlock(["x": "</script><!-- <b>"])
        #expect(!block.contains("<"))
        #expect(block.contains("\\u003c/script>") || block.contains("\\u003c\\/script>"))
    }

    @Test("one meaning per state symbol: no two states share one")
    func symbolsDistinct() {
        #expect(Set(Assets.symbols.values).count == Assets.symbols.count)
        for state in ["free", "waiting", "in-session", "ending-soon", "overrun", "closed", "fault", "stale"] {
            #expect(Assets.symbols[state] != nil, "\(state) has no symbol")
        }
    }
}
