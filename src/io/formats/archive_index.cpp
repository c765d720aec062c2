#include "io/formats/archive_index.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <future>
#include <optional>
#include <sstream>
#include <thread>

#include "core/error.hpp"
#include "core/setting_text.hpp"
#include "io/formats/readsb_archive.hpp"
#include "io/loader.hpp"
#include "io/text/input_reader.hpp"

namespace fr::io {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// Percent-encodes bytes that would break a tab-separated field: controls, space, '%', ','.
std::string enc(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (c <= 0x20 || c == '%' || c == ',' || c == 0x7f) {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::optional<std::string> dec(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        unsigned v = 0;
        auto r = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
        if (r.ec != std::errc{} || r.ptr != s.data() + i + 3) return std::nullopt;
        out += static_cast<char>(v);
        i += 2;
    }
    return out;
}

/// Longitude `lon` lies on the arc from `lo` eastwards to `hi` (degrees; hi - lo >= 360: all).
bool lon_on_arc(double lon, double lo, double hi) {
    if (hi - lo >= 360.0) return true;
    double d = std::fmod(lon - lo, 360.0);
    if (d < 0) d += 360.0;
    return d <= hi - lo;
}

bool aircraft_entry_matches(const std::string& entry, const IndexedMember& m) {
    const auto lw = lower(entry);
    const auto colon = lw.find(':');
    const std::string kind = colon == std::string::npos ? "" : lw.substr(0, colon);
    const std::string v = colon == std::string::npos ? lw : lw.substr(colon + 1);
    auto callsign = [&](const std::string& x) {
        return std::any_of(m.callsigns.begin(), m.callsigns.end(), [&](const std::string& c) { return lower(c) == x; });
    };
    if (kind == "icao") return v == m.icao;
    if (kind == "reg") return v == lower(m.registration);
    if (kind == "call") return callsign(v);
    if (kind == "type") return v == lower(m.type);
    return lw == m.icao || lw == lower(m.registration) || callsign(lw);
}

}  // namespace

bool member_matches_aircraft(const IndexedMember& m, const ArchiveQuery& q) {
    if (q.aircraft.empty()) return true;
    return std::any_of(q.aircraft.begin(), q.aircraft.end(), [&](const std::string& e) { return aircraft_entry_matches(e, m); });
}

bool member_may_match_place_time(const IndexedMember& m, const ArchiveQuery& q) {
    if (!q.within && !q.window) return true;
    if (m.points == 0) return false;
    if (q.window && (m.last < q.window->first || m.first > q.window->second)) return false;
    if (q.within) {
        const auto& b = *q.within;
        if (m.lat_max < b.lat_min || m.lat_min > b.lat_max) return false;
        // Two arcs on the circle meet when one holds the other's start.
        if (!lon_on_arc(m.lon_min, b.lon_min, b.lon_max) && !lon_on_arc(b.lon_min, m.lon_min, m.lon_max)) return false;
    }
    return true;
}

bool tracks_match_place_time(const std::vector<Track>& tracks, const ArchiveQuery& q) {
    if (!q.within && !q.window) return true;
    for (const auto& t : tracks)
        for (const auto& p : t.points) {
            if (q.window && (p.time() < q.window->first || p.time() > q.window->second)) continue;
            if (q.within) {
                const auto& b = *q.within;
                if (p.lat_deg() < b.lat_min || p.lat_deg() > b.lat_max || !lon_on_arc(p.lon_deg(), b.lon_min, b.lon_max)) continue;
            }
            return true;
        }
    return false;
}

void describe_member(IndexedMember& m, const std::vector<Track>& tracks) {
    m.points = 0;
    m.callsigns.clear();
    for (const auto& t : tracks) {
        if (m.registration.empty()) m.registration = t.aircraft.registration;
        if (m.type.empty()) m.type = t.aircraft.type;
        if (!t.aircraft.callsign.empty() && std::find(m.callsigns.begin(), m.callsigns.end(), t.aircraft.callsign) == m.callsigns.end())
            m.callsigns.push_back(t.aircraft.callsign);
        for (const auto& p : t.points) {
            if (m.points == 0) {
                m.first = m.last = p.time();
                m.lon_min = m.lon_max = p.lon_deg();
                m.lat_min = m.lat_max = p.lat_deg();
            } else {
                m.first = std::min(m.first, p.time());
                m.last = std::max(m.last, p.time());
                m.lon_min = std::min(m.lon_min, p.lon_deg());
                m.lon_max = std::max(m.lon_max, p.lon_deg());
                m.lat_min = std::min(m.lat_min, p.lat_deg());
                m.lat_max = std::max(m.lat_max, p.lat_deg());
            }
            ++m.points;
        }
    }
}

fs::path default_index_dir() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    if (xdg && *xdg && fs::path(xdg).is_absolute()) return fs::path(xdg) / "flightreplay" / "index";
    const char* home = std::getenv("HOME");
    if (home && *home && fs::path(home).is_absolute()) return fs::path(home) / ".cache" / "flightreplay" / "index";
    throw IoError("no cache directory for archive indexes: neither XDG_CACHE_HOME nor HOME is an absolute path (use " +
                  setting_text("index_dir") + ")");
}

std::string index_key(const PartSet& parts) {
    std::string s;
    for (const auto& p : parts.parts()) {
        std::error_code ec;
        auto abs = fs::absolute(p.path, ec);
        s += (ec ? p.path : abs.lexically_normal()).string();
        s += '\0' + std::to_string(p.size) + '\0' + std::to_string(p.mtime_ns) + '\n';
    }
    return sha256_hex(s).substr(0, 32);
}

std::string serialize_index(const ArchiveIndex& index) {
    std::ostringstream o;
    o.precision(17);
    o << "flightreplay-archive-index\t" << ArchiveIndex::version << "\n";
    o << "parts\t" << index.parts.size() << "\n";
    for (const auto& p : index.parts) o << "part\t" << p.size << "\t" << p.mtime_ns << "\t" << enc(p.path) << "\n";
    o << "members\t" << index.members.size() << "\n";
    for (const auto& m : index.members) {
        std::string calls;
        for (const auto& c : m.callsigns) calls += (calls.empty() ? "" : ",") + enc(c);
        o << "m\t" << static_cast<char>(m.kind) << "\t" << m.part << "\t" << m.part_offset << "\t" << m.data_offset << "\t"
          << m.header_offset << "\t" << m.size << "\t" << m.unpacked << "\t" << enc(m.icao) << "\t" << enc(m.registration) << "\t"
          << enc(m.type) << "\t" << calls << "\t" << m.points << "\t" << m.first.time_since_epoch().count() << "\t"
          << m.last.time_since_epoch().count() << "\t" << m.lon_min << "\t" << m.lat_min << "\t" << m.lon_max << "\t" << m.lat_max << "\t"
          << enc(m.name) << "\n";
    }
    std::string body = o.str();
    body += "sha256\t" + sha256_hex(body) + "\n";
    return body;
}

ArchiveIndex parse_index(const std::string& text, const fs::path& file) {
    std::size_t line_no = 0;
    auto fail = [&](const std::string& what) -> void { throw IoError(file.string() + ":" + std::to_string(line_no) + ": " + what); };
    // The checksum line covers every byte before it.
    const auto last_nl = text.size() >= 2 ? text.rfind('\n', text.size() - 2) : std::string::npos;
    {
        const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
        line_no = lines;
        if (text.empty() || text.back() != '\n' || last_nl == std::string::npos) fail("truncated index (no checksum line)");
        const std::string tail = text.substr(last_nl + 1, text.size() - last_nl - 2);
        if (tail.rfind("sha256\t", 0) != 0) fail("truncated index (no checksum line)");
        if (tail.substr(7) != sha256_hex(std::string_view(text).substr(0, last_nl + 1)))
            fail("checksum mismatch (the index was altered or only partly written)");
    }
    std::istringstream in(text.substr(0, last_nl + 1));
    std::string line;
    line_no = 0;
    auto fields = [&](std::size_t n) {
        std::vector<std::string> f;
        std::size_t start = 0;
        while (true) {
            const auto tab = line.find('\t', start);
            f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        if (f.size() != n) fail("expected " + std::to_string(n) + " tab-separated fields, found " + std::to_string(f.size()));
        return f;
    };
    auto next = [&] {
        if (!std::getline(in, line)) fail("index ends early");
        ++line_no;
    };
    auto num = [&](const std::string& s, const char* what) {
        long long v = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) fail(std::string("bad ") + what + " '" + s + "'");
        return v;
    };
    auto unum = [&](const std::string& s, const char* what) {
        const auto v = num(s, what);
        if (v < 0) fail(std::string("negative ") + what);
        return static_cast<std::uint64_t>(v);
    };
    auto real = [&](const std::string& s, const char* what) {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || *end != 0 || !std::isfinite(v)) fail(std::string("bad ") + what + " '" + s + "'");
        return v;
    };
    auto text_field = [&](const std::string& s, const char* what) {
        auto v = dec(s);
        if (!v) fail(std::string("bad ") + what + " encoding");
        return *v;
    };
    ArchiveIndex ix;
    next();
    auto f = fields(2);
    if (f[0] != "flightreplay-archive-index") fail("not a flightreplay archive index");
    if (num(f[1], "version") != ArchiveIndex::version)
        fail("index format version " + f[1] + ", this flightreplay reads version " + std::to_string(ArchiveIndex::version));
    next();
    f = fields(2);
    if (f[0] != "parts") fail("expected 'parts'");
    const auto nparts = unum(f[1], "part count");
    if (nparts == 0 || nparts > 100000) fail("bad part count");
    for (std::uint64_t i = 0; i < nparts; ++i) {
        next();
        f = fields(4);
        if (f[0] != "part") fail("expected 'part'");
        ix.parts.push_back({text_field(f[3], "part path"), unum(f[1], "part size"), num(f[2], "part mtime")});
    }
    next();
    f = fields(2);
    if (f[0] != "members") fail("expected 'members'");
    const auto nmembers = unum(f[1], "member count");
    for (std::uint64_t i = 0; i < nmembers; ++i) {
        next();
        f = fields(20);
        if (f[0] != "m") fail("expected a member line 'm'");
        IndexedMember m;
        if (f[1] != "T" && f[1] != "E" && f[1] != "O") fail("bad member kind '" + f[1] + "'");
        m.kind = static_cast<IndexedMember::Kind>(f[1][0]);
        m.part = static_cast<std::uint32_t>(unum(f[2], "part number"));
        if (m.part >= ix.parts.size()) fail("part number " + f[2] + " out of range");
        m.part_offset = unum(f[3], "part offset");
        m.data_offset = unum(f[4], "data offset");
        m.header_offset = unum(f[5], "header offset");
        m.size = unum(f[6], "size");
        m.unpacked = unum(f[7], "decompressed size");
        m.icao = text_field(f[8], "address");
        m.registration = text_field(f[9], "registration");
        m.type = text_field(f[10], "type");
        if (!f[11].empty()) {
            std::size_t s = 0;
            while (true) {
                const auto c = f[11].find(',', s);
                m.callsigns.push_back(text_field(f[11].substr(s, c == std::string::npos ? std::string::npos : c - s), "callsign"));
                if (c == std::string::npos) break;
                s = c + 1;
            }
        }
        m.points = unum(f[12], "point count");
        m.first = TimePoint(std::chrono::milliseconds(num(f[13], "first time")));
        m.last = TimePoint(std::chrono::milliseconds(num(f[14], "last time")));
        m.lon_min = real(f[15], "lon_min");
        m.lat_min = real(f[16], "lat_min");
        m.lon_max = real(f[17], "lon_max");
        m.lat_max = real(f[18], "lat_max");
        m.name = text_field(f[19], "member name");
        ix.members.push_back(std::move(m));
    }
    if (std::getline(in, line)) {
        ++line_no;
        fail("unexpected line after the members");
    }
    return ix;
}

IndexLookup find_index(const PartSet& parts, const fs::path& dir) {
    IndexLookup r;
    r.file = (dir.empty() ? default_index_dir() : dir) / index_key(parts);
    std::error_code ec;
    if (!fs::is_regular_file(r.file, ec)) return r;
    std::ifstream in(r.file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) {
        r.state = IndexLookup::State::corrupt;
        r.why = "cannot read it";
        return r;
    }
    try {
        r.index = parse_index(ss.str(), r.file);
    } catch (const IoError& e) {
        r.state = IndexLookup::State::corrupt;
        r.why = e.what();
        if (r.why.rfind("flightreplay: ", 0) == 0) r.why.erase(0, 14);
        return r;
    }
    const auto& ps = parts.parts();
    bool same = r.index.parts.size() == ps.size();
    for (std::size_t i = 0; same && i < ps.size(); ++i) {
        same = r.index.parts[i].size == ps[i].size && r.index.parts[i].mtime_ns == ps[i].mtime_ns;
        if (!same) r.why = ps[i].path.string() + " changed since the index was built (size or modification time differ)";
    }
    if (!same) {
        if (r.why.empty()) r.why = "the archive's parts changed since the index was built";
        r.state = IndexLookup::State::stale;
        return r;
    }
    r.state = IndexLookup::State::ok;
    return r;
}

ArchiveIndex build_index(const PartSet& parts, const std::string& shown, const MemberVisitor& visit, std::uint64_t max_bytes) {
    ArchiveIndex ix;
    for (const auto& p : parts.parts()) {
        std::error_code ec;
        auto abs = fs::absolute(p.path, ec);
        ix.parts.push_back({(ec ? p.path : abs.lexically_normal()).string(), p.size, p.mtime_ns});
    }
    const auto members = walk_tar(parts, shown);
    const std::string first = parts.parts().empty() ? shown : parts.parts().front().path.string();
    ix.members.resize(members.size());
    // Members are independent (pread, no shared state): one worker per core, taking the next
    // member in turn, so that a few large traces do not leave a core idle.
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < members.size();) {
            const auto& t = members[i];
            IndexedMember& m = ix.members[i];
            m.name = t.name;
            m.data_offset = t.data_offset;
            m.header_offset = t.header_offset;
            m.size = t.size;
            const auto [part, off] = parts.locate(t.data_offset);
            m.part = static_cast<std::uint32_t>(part);
            m.part_offset = off;
            const auto hex = trace_member_address(t.name);
            if (!hex) continue;
            m.icao = *hex;
            const std::string where = first + "(" + t.name + ")";
            std::optional<LoadResult> r;
            std::string error;
            bool read = false;
            try {
                if (t.size > max_bytes)  // as in the full read: reported (Kind::bad), never read
                    throw IoError(where + ": the member is " + std::to_string(t.size) + " bytes, " + over_input_cap(max_bytes));
                std::string raw(static_cast<std::size_t>(t.size), '\0');
                parts.read(t.data_offset, raw.size(), raw.data());
                read = true;
                const std::string text = detail::decompress_member(where, raw, max_bytes);
                m.unpacked = text.size();
                r = detail::load_readsb(where, text);
                describe_member(m, r->tracks);
                m.kind = IndexedMember::Kind::trace;
            } catch (const IoError& e) {
                m.kind = IndexedMember::Kind::bad;
                error = e.what();
                r.reset();
            }
            if (visit) {
                MemberPass pass{m, where, r ? nullptr : &error, r ? &*r : nullptr, read};
                visit(i, pass);
            }
        }
    };
    const unsigned workers = std::max(1u, std::min(std::thread::hardware_concurrency(), 16u));
    std::vector<std::future<void>> running;
    for (unsigned w = 1; w < workers; ++w) running.push_back(std::async(std::launch::async, work));
    work();
    for (auto& f : running) f.get();  // rethrows what a worker threw (out of memory...)
    return ix;
}

}  // namespace fr::io
