#include "io/text/xml_util.hpp"

#include <expat.h>

#include <algorithm>
#include <memory>
#include <string>

namespace fr::io::detail {

XmlElement::~XmlElement() {
    if (children.empty()) return;
    std::vector<XmlElement> work = std::move(children);
    while (!work.empty()) {
        XmlElement e = std::move(work.back());
        work.pop_back();
        for (auto& c : e.children) work.push_back(std::move(c));
        e.children.clear();  // moved-from children are childless: no recursion
    }
}

std::string_view XmlElement::local_name() const noexcept {
    const std::string_view n = name;
    const auto colon = n.find(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XmlElement* XmlElement::child(std::string_view local) const noexcept {
    for (const auto& c : children)
        if (c.local_name() == local) return &c;
    return nullptr;
}

std::string_view XmlElement::child_text(std::string_view local) const noexcept {
    const auto* c = child(local);
    return c ? xml_trim(c->text) : std::string_view{};
}

const std::string* XmlElement::attribute(std::string_view n) const noexcept {
    for (const auto& [k, v] : attributes)
        if (k == n) return &v;
    return nullptr;
}

std::string_view xml_trim(std::string_view s) noexcept {
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && ws(s.front())) s.remove_prefix(1);
    while (!s.empty() && ws(s.back())) s.remove_suffix(1);
    return s;
}

namespace {

struct ParseState {
    XML_Parser parser = nullptr;
    XmlDocument* doc = nullptr;
    // Ancestors of the current position. Only the top element's `children` grows while it is
    // open, so pointers to the elements below it stay valid.
    std::vector<XmlElement*> stack;
    bool too_deep = false;
};

void on_start(void* user, const XML_Char* name, const XML_Char** atts) {
    auto* st = static_cast<ParseState*>(user);
    if (st->stack.size() >= max_xml_depth) {
        if (!st->too_deep) {
            st->too_deep = true;
            st->doc->error = "elements nested deeper than " + std::to_string(max_xml_depth) + " levels (refused)";
            st->doc->error_line = XML_GetCurrentLineNumber(st->parser);
            st->doc->error_column = XML_GetCurrentColumnNumber(st->parser) + 1;
            XML_StopParser(st->parser, XML_FALSE);
        }
        return;
    }
    XmlElement e;
    e.name = name;
    for (std::size_t i = 0; atts[i] != nullptr; i += 2) e.attributes.emplace_back(atts[i], atts[i + 1]);
    e.line = XML_GetCurrentLineNumber(st->parser);
    e.column = XML_GetCurrentColumnNumber(st->parser) + 1;
    if (st->stack.empty()) {
        st->doc->root = std::move(e);
        st->doc->has_root = true;
        st->stack.push_back(&st->doc->root);
    } else {
        auto& kids = st->stack.back()->children;
        kids.push_back(std::move(e));
        st->stack.push_back(&kids.back());
    }
}

void on_end(void* user, const XML_Char*) {
    auto* st = static_cast<ParseState*>(user);
    if (!st->stack.empty()) {
        st->stack.back()->complete = true;
        st->stack.pop_back();
    }
}

void on_text(void* user, const XML_Char* s, int len) {
    auto* st = static_cast<ParseState*>(user);
    if (!st->stack.empty()) st->stack.back()->text.append(s, static_cast<std::size_t>(len));
}

struct ParserDeleter {
    void operator()(XML_ParserStruct* p) const noexcept { XML_ParserFree(p); }
};

}  // namespace

XmlDocument parse_xml(std::string_view text) {
    XmlDocument doc;
    std::unique_ptr<XML_ParserStruct, ParserDeleter> parser(XML_ParserCreate(nullptr));
    if (!parser) {
        doc.error = "cannot create an XML parser (out of memory)";
        return doc;
    }
    ParseState st;
    st.parser = parser.get();
    st.doc = &doc;
    XML_SetUserData(parser.get(), &st);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetCharacterDataHandler(parser.get(), on_text);
    // XML_Parse takes an int length: feed in 16 MiB pieces.
    constexpr std::size_t chunk = std::size_t{1} << 24;
    std::size_t pos = 0;
    do {
        const std::size_t n = std::min(chunk, text.size() - pos);
        const bool last = pos + n == text.size();
        if (XML_Parse(parser.get(), text.data() + pos, static_cast<int>(n), last ? 1 : 0) == XML_STATUS_ERROR) {
            if (st.too_deep) break;  // our message, set in on_start
            doc.error = XML_ErrorString(XML_GetErrorCode(parser.get()));
            doc.error_line = XML_GetCurrentLineNumber(parser.get());
            doc.error_column = XML_GetCurrentColumnNumber(parser.get()) + 1;
            break;
        }
        pos += n;
    } while (pos < text.size());
    return doc;
}

std::string html_to_text(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    bool in_tag = false;
    for (std::size_t i = 0; i < html.size(); ++i) {
        const char c = html[i];
        if (in_tag) {
            if (c == '>') {
                in_tag = false;
                out += ' ';
            }
            continue;
        }
        if (c == '<') {
            in_tag = true;
            continue;
        }
        if (c == '&') {
            static constexpr std::pair<std::string_view, std::string_view> entities[] = {
                {"&deg;", "\xC2\xB0"}, {"&nbsp;", " "},  {"&amp;", "&"},  {"&lt;", "<"},
                {"&gt;", ">"},         {"&quot;", "\""}, {"&apos;", "'"}, {"&copy;", "(c)"}};
            bool done = false;
            for (const auto& [k, v] : entities) {
                if (html.substr(i, k.size()) == k) {
                    out += v;
                    i += k.size() - 1;
                    done = true;
                    break;
                }
            }
            if (done) continue;
        }
        out += c;
    }
    std::string collapsed;
    collapsed.reserve(out.size());
    for (char c : out) {
        const bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
        if (ws) {
            if (!collapsed.empty() && collapsed.back() != ' ') collapsed += ' ';
        } else {
            collapsed += c;
        }
    }
    while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    return collapsed;
}

}  // namespace fr::io::detail
