#pragma once
// A small XML tree built with expat, for the track formats that are XML (FR24 KML, KML
// gx:Track, GPX). Every element keeps the 1-based line and column where its start tag
// begins, so loaders can point diagnostics at the record. Track files are at most tens of
// megabytes, so a whole-document tree is affordable and keeps the loaders simple.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fr::io::detail {

/// Deepest element nesting parse_xml accepts. Track formats nest fewer than 20 levels (GPX
/// gpx/trk/trkseg/trkpt/extensions/...; KML folders a few more); 256 leaves room and bounds the
/// parse stack and the tree (a 1.2 MB file of 400,000 nested elements is refused at line 1).
inline constexpr std::size_t max_xml_depth = 256;

struct XmlElement {
    XmlElement() = default;
    XmlElement(XmlElement&&) noexcept = default;
    XmlElement& operator=(XmlElement&&) noexcept = default;
    XmlElement(const XmlElement&) = default;
    XmlElement& operator=(const XmlElement&) = default;
    /// Tears the subtree down with a work list, not recursion: depth never costs stack.
    ~XmlElement();

    std::string name;  ///< qualified name as written, e.g. "gx:coord"
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string text;  ///< character data directly inside this element (CDATA included), concatenated
    std::uint64_t line = 0;
    std::uint64_t column = 0;  ///< 1-based
    std::vector<XmlElement> children;
    bool complete = false;  ///< its end tag was seen (false for elements cut off by a truncated file)

    /// The name without its namespace prefix ("coord" for "gx:coord").
    std::string_view local_name() const noexcept;
    /// First direct child with this local name, or nullptr.
    const XmlElement* child(std::string_view local) const noexcept;
    /// Text of the first direct child with this local name, trimmed; empty when absent.
    std::string_view child_text(std::string_view local) const noexcept;
    /// Attribute value by name, or nullptr.
    const std::string* attribute(std::string_view name) const noexcept;
};

struct XmlDocument {
    XmlElement root;  ///< the document element (partial when `error` is set)
    bool has_root = false;
    std::string error;  ///< expat's message when the document is not well-formed
    std::uint64_t error_line = 0;
    std::uint64_t error_column = 0;
};

/// Parses a whole document. Never throws for malformed input: the tree built up to the error
/// is kept and `error`/`error_line`/`error_column` say what expat found, or that elements
/// nest deeper than max_xml_depth (the parse stops there). Encodings: UTF-8
/// (with or without BOM), UTF-16 with BOM, ISO-8859-1 and US-ASCII as declared.
XmlDocument parse_xml(std::string_view text);

/// Calls `fn(element)` for every element in document order (depth first), root included.
template <class Fn>
void for_each_element(const XmlElement& e, Fn&& fn) {
    fn(e);
    for (const auto& c : e.children) for_each_element(c, fn);
}

/// ASCII whitespace trim (space, tab, CR, LF).
std::string_view xml_trim(std::string_view s) noexcept;

/// HTML in KML descriptions -> plain text: tags become spaces, `&deg;`, `&nbsp;` and the
/// five XML entities are decoded, runs of whitespace collapse to one space.
std::string html_to_text(std::string_view html);

}  // namespace fr::io::detail
