import Foundation
import SamtaleCore

/// Escaping for the pages.
enum HTML {
    /// A value as the content of a `<script type="application/json">` block: JSON with every `<`
    /// written as `\u003c`, so that no `</script>` or `<!--` can end or confuse the block.
    static func jsonBlock<T: Encodable>(_ value: T, encoder: JSONEncoder = JSONEncoder()) -> String {
        encoder.outputFormatting.insert(.sortedKeys)
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }
}
