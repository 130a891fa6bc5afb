import Foundation
import SamtaleCore
import SamtaleTestSupport
import Testing

@testable import SamtaleReport

@Suite("the report's page template")
struct ReportTemplateTests {
    @Test("the embedded report.html has exactly the slots the page fills")
    func slots() {
        let template = ReportTemplate.page
        #expect(Set(template.slots) == Report.htmlSlots)
        #expect(template.slots.filter { $0 == "period" }.count == 2)  // the title and the heading
        #expect(
            template.render(Dictionary(uniqueKeysWithValues: Report.htmlSlots.map { ($0, "") })).hasPrefix(
                "<!DOCTYPE html>"))
    }

    @Test("the embedded bytes are the file in the repository")
    func embedded() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/SamtaleReport/Resources/report.html")
        #expect(PackageResources.report_html == Array(try Data(contentsOf: file)))
    }

    @Test(
        "slots are {{letters}}; other braces stay text",
        arguments: [
            ("a{{x}}b{{y}}c", ["x", "y"], "a1b2c"),
            ("{{x}}{{x}}", ["x", "x"], "11"),
            ("css { a: b } {{ x }} {{}} {{x", [], "css { a: b } {{ x }} {{}} {{x"),
            ("{{{x}}}", [], "{{{x}}}"),
        ])
    func parse(source: String, slots: [String], rendered: String) {
        let t = ReportTemplate(source)
        #expect(t.slots == slots)
        #expect(t.render(["x": "1", "y": "2"]) == rendered)
    }
}
