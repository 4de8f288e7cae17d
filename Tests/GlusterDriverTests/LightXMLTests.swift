//===----------------------------------------------------------------------===//
// gshare — GlusterDriver tests
//===----------------------------------------------------------------------===//

import Foundation
import GShareTestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import GlusterDriver

/// The driver's XML scanner against Foundation's full XML parser, on every recorded gluster
/// output, and on hostile documents.
@Suite("LightXMLElement: gluster's XML, read like a real XML parser would")
struct LightXMLTests {
    static let fixtures = repositoryRoot.appendingPathComponent("fixtures/gluster")

    static var xmlFixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).filter { $0.hasSuffix(".xml") }.sorted()
    }

    /// The same tree, as (depth, name, text of leaves) in document order.
    static func shape(_ element: LightXMLElement, depth: Int = 0) -> [String] {
        let leaf = element.children.isEmpty ? "=\(element.stringValue)" : ""
        return ["\(depth) \(element.name)\(leaf)"] + element.children.flatMap { shape($0, depth: depth + 1) }
    }

    static func shape(_ element: XMLElement, depth: Int = 0) -> [String] {
        let children = (element.children ?? []).compactMap { $0 as? XMLElement }
        let leaf = children.isEmpty ? "=\(element.stringValue ?? "")" : ""
        return ["\(depth) \(element.name ?? "")\(leaf)"] + children.flatMap { shape($0, depth: depth + 1) }
    }

    @Test("every recorded gluster XML output gives the same tree and texts as Foundation's XMLDocument", arguments: xmlFixtures)
    func agreesWithFoundation(file: String) throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(file))
        let reference = try #require(try XMLDocument(data: data, options: []).rootElement())
        let light = try #require(LightXMLElement.parse(data), "\(file) refused")
        #expect(Self.shape(light) == Self.shape(reference))
    }

    @Test("references and CDATA decode as XML says")
    func references() throws {
        let document = "<?xml version=\"1.0\"?>\n<a><b>x &lt;&gt;&amp;&quot;&apos; &#65;&#x42; é</b><c><![CDATA[<raw>&amp;]]></c><d/><e attr='1 > 0'>t</e></a>"
        let root = try #require(LightXMLElement.parse(Array(document.utf8)))
        #expect(root.text(of: "b") == "x <>&\"' AB é")
        #expect(root.text(of: "c") == "<raw>&amp;")
        #expect(root.text(of: "d") == "")
        #expect(root.text(of: "e") == "t")
    }

    @Test(
        "documents that are not plain well-formed XML are refused, never guessed at",
        arguments: [
            "", "   ", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "text<a/>", "<a/>text", "<a>&unknown;</a>", "<a>&#0;</a>",
            "<a>&#x110000;</a>", "<a>&amp</a>", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "<a><!-- unterminated </a>",
            "<a><![CDATA[ unterminated</a>", "<>", "</a>", "<a b=\"unterminated></a>", "<a<b>", "<?xml version=\"1.0\"",
            String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100),
        ])
    func refused(document: String) {
        #expect(LightXMLElement.parse(Array(document.utf8)) == nil)
    }

    @Test("random damage to a real document never crashes the scanner")
    func damagedDocuments() throws {
        let original = try Array(Data(contentsOf: Self.fixtures.appendingPathComponent("volume-info-all.xml")))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: index)
                default: bytes = Array(bytes[..<index])
                }
                if bytes.isEmpty { break }
            }
            _ = LightXMLElement.parse(bytes)  // any answer but a crash
        }
    }
}
