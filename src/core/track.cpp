#include "core/track.hpp"
#include "core/setting_text.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <string_view>
#include <utility>

namespace fr {

const char* to_string(Provenance p) noexcept {
    switch (p) {
        case Provenance::recorded: return "recorded";
        case Provenance::reconstructed: return "reconstructed";
        case Provenance::synthetic: return "synthetic";
    }
    return "recorded";
}

bool AircraftId::is_named(std::string_view id) const {
    if (id.empty()) return false;
    const auto want = ascii_lower(id);
    return want == ascii_lower(callsign) || want == ascii_lower(registration) || want == ascii_lower(icao24);
}

std::string AircraftId::display_name() const {
    if (!callsign.empty()) return callsign;
    if (!registration.empty()) return registration;
    if (!icao24.empty()) return icao24;
    return "unknown";
}

const char* to_string(MergeMode m) noexcept {
    switch (m) {
        case MergeMode::automatic: return "auto";
        case MergeMode::icao: return "icao";
        case MergeMode::callsign: return "callsign";
        case MergeMode::never: return "never";
    }
    return "auto";
}

std::optional<MergeMode> parse_merge_mode(std::string_view text) noexcept {
    if (text == "auto") return MergeMode::automatic;
    if (text == "icao") return MergeMode::icao;
    if (text == "callsign") return MergeMode::callsign;
    if (text == "never") return MergeMode::never;
    return std::nullopt;
}

namespace {

// ---- Merge rules: each value with its reason ------------------------------------------------
/// Fastest plausible ground speed between two fixes of one aircraft: Mach 0.9 at cruise
/// (~265 m/s) plus a record jet-stream tailwind (~110 m/s). The analysis uses the same envelope
/// for coverage gaps. A join implying more is two aircraft (or a wrong address).
constexpr double kMaxSpeedMps = 380.0;
/// Position slack added to speed x time when judging a join: ADS-B positions are good to
/// ~10 m, but some FR24/MLAT positions and time stamps are off by a few seconds at 250 m/s, and
/// a parked aircraft's position may be reported from two ends of an apron. 3 km covers both.
constexpr double kPositionSlackM = 3000.0;
/// Two track ends on the ground at most this far apart are "the same place": a large airport
/// spans ~5 km from its reference point to its farthest stand (Denver); 10 km stays well under
/// the ~17 km between neighbouring airfields (Spokane and Felts Field) for the stands that
/// matter, and under any distance between two cities' main airports.
constexpr double kSamePlaceM = 10'000.0;
/// A fix is taken as on (or just over) the ground for a join when the source says so, when it
/// reports 0 ft (FR24's on-ground rows), or when its reported ground speed is under 50 kt
/// (25.7 m/s): taxi speeds are under 30 kt and no airliner flies below ~110 kt.
constexpr double kGroundSpeedMps = 25.7;
/// Longest airborne hole (both ends in the air) across which tracks without an ICAO address
/// are joined: the coverage holes of real exports over oceans and deserts last up to ~3 h; a
/// longer hole between two files with the same callsign is far more likely two flights.
constexpr std::int64_t kMaxAirborneJoinMs = 3LL * 3600 * 1000;
/// Share of overlapping fixes that must agree (within speed x time + slack) for two tracks that
/// overlap in time to be the same flight seen by two sources.
constexpr double kOverlapAgreement = 0.9;

double haversine_m(double lat1, double lon1, double lat2, double lon2) {
    constexpr double kR = 6'371'008.8;  // mean Earth radius; within 0.5% of the geodesic, enough for these limits
    constexpr double kRad = 3.14159265358979323846 / 180.0;
    const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
    const double a =
        std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * kR * std::asin(std::min(1.0, std::sqrt(a)));
}

double dist_m(const TrackPoint& a, const TrackPoint& b) { return haversine_m(a.lat_deg(), a.lon_deg(), b.lat_deg(), b.lon_deg()); }

bool on_ground_for_join(const TrackPoint& p) {
    if (p.on_ground() == OnGround::ground) return true;
    if (p.on_ground() == OnGround::airborne) return false;
    if (auto a = p.altitude(); a && std::abs(a->m()) < 0.3048) return true;
    if (auto v = p.ground_speed(); v && v->mps() < kGroundSpeedMps) return true;
    return false;
}

bool reachable(const TrackPoint& a, const TrackPoint& b) {
    const double dt = std::abs(std::chrono::duration<double>(b.time() - a.time()).count());
    return dist_m(a, b) <= kMaxSpeedMps * dt + kPositionSlackM;
}

std::string km_text(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, m < 10'000 ? "%.1f km" : "%.0f km", m / 1000.0);
    return buf;
}

std::string speed_text(double mps) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f km/h", mps * 3.6);
    return buf;
}

enum class Verdict { join, apart };
struct Judgement {
    Verdict verdict;
    std::string why;
};

// Whether `b` (starting no earlier than `a`) continues `a`. `strong`: the identity is an ICAO
// address (one airframe), so only a physically impossible join keeps them apart; otherwise
// (callsign or registration) the join itself must show it is the same flight.
Judgement judge(const std::vector<TrackPoint>& a, const std::vector<TrackPoint>& b, bool strong) {
    const TrackPoint& a_last = a.back();
    const TrackPoint& b_first = b.front();
    if (b_first.time() <= a_last.time()) {
        // Overlap in time: two sources of the same flight, or two aircraft. Compare up to 64
        // of b's fixes inside a's span with a's fix nearest in time.
        std::size_t lo = 0, hi = b.size();
        while (lo < hi && b[lo].time() < a.front().time()) ++lo;
        std::size_t end = lo;
        while (end < hi && b[end].time() <= a_last.time()) ++end;
        const std::size_t n = end - lo, step = std::max<std::size_t>(1, n / 64);
        std::size_t checked = 0, agree = 0;
        for (std::size_t i = lo; i < end; i += step) {
            auto it = std::lower_bound(a.begin(), a.end(), b[i].time(), [](const TrackPoint& p, TimePoint t) { return p.time() < t; });
            const TrackPoint* best = nullptr;
            if (it != a.end()) best = &*it;
            if (it != a.begin() && (!best || b[i].time() - std::prev(it)->time() < best->time() - b[i].time())) best = &*std::prev(it);
            if (!best) continue;
            ++checked;
            if (reachable(*best, b[i])) ++agree;
        }
        if (checked == 0 || static_cast<double>(agree) >= kOverlapAgreement * static_cast<double>(checked))
            return {Verdict::join, "overlapping in time along the same path (" + std::to_string(agree) + " of " + std::to_string(checked) +
                                       " compared fixes agree)"};
        return {Verdict::apart, "overlapping in time but at different places (" + std::to_string(checked - agree) + " of " +
                                    std::to_string(checked) + " compared fixes too far apart to be one aircraft)"};
    }
    const double d = dist_m(a_last, b_first);
    const Duration gap = b_first.time() - a_last.time();
    const double gap_s = std::chrono::duration<double>(gap).count();
    const std::string gap_text = format_duration(gap);
    if (!reachable(a_last, b_first))
        return {Verdict::apart,
                "the join would need " + speed_text(gap_s > 0 ? d / gap_s : 1e9) + " (" + km_text(d) + " in " + gap_text + ")"};
    if (strong) return {Verdict::join, km_text(d) + " and " + gap_text + " apart, a possible join"};
    const bool ga = on_ground_for_join(a_last), gb = on_ground_for_join(b_first);
    if (ga && gb) {
        if (d <= kSamePlaceM)
            return {Verdict::join, "the first ends and the second starts on the ground " + km_text(d) + " apart, " + gap_text + " later"};
        return {Verdict::apart, "the first ends on the ground " + km_text(d) + " from where the second starts on the ground"};
    }
    if (!ga && !gb) {
        if (gap.count() <= kMaxAirborneJoinMs)
            return {Verdict::join, "an airborne hole of " + gap_text + " over " + km_text(d) + ", a plausible speed"};
        return {Verdict::apart, "an airborne hole of " + gap_text + " is too long to join without an ICAO address"};
    }
    return {Verdict::apart, std::string("the first ends ") + (ga ? "on the ground" : "in the air") + " and the second starts " +
                                (gb ? "on the ground" : "in the air") + " " + km_text(d) + " away, " + gap_text +
                                " later: no observed link"};
}

bool same_aircraft(const AircraftId& a, const AircraftId& b) {
    if (!a.icao24.empty() && !b.icao24.empty()) return a.icao24 == b.icao24;
    if (!a.registration.empty() && !b.registration.empty()) return a.registration == b.registration;
    return !a.callsign.empty() && a.callsign == b.callsign;
}

void fill_missing(AircraftId& into, const AircraftId& from) {
    if (into.icao24.empty()) into.icao24 = from.icao24;
    if (into.registration.empty()) into.registration = from.registration;
    if (into.callsign.empty()) into.callsign = from.callsign;
    if (into.type.empty()) into.type = from.type;
}

std::string file_name(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool by_time(const TrackPoint& a, const TrackPoint& b) { return a.time() < b.time(); }

thread_local std::uint64_t t_merge_comparisons = 0;

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

/// The flights indexed under each value of one identity field (ICAO address, registration or
/// callsign), in the order they were indexed. A flight's field, once set, never changes
/// (fill_missing fills only empty ones), so a flight sits in at most one list, threaded through
/// `m_next`, and the key of a list is the field of its first flight: an open-addressing table of
/// list heads, with no node or key copy per aircraft (a day of global traffic has hundreds of
/// thousands).
class KeyLists {
public:
    explicit KeyLists(std::string AircraftId::*field) : m_field(field) {}

    /// Calls `f(flight index)` for each flight indexed under `key`, in the order indexed.
    template <class F>
    void for_each(const std::vector<Flight>& flights, const std::string& key, F&& f) const {
        if (key.empty() || m_slots.empty()) return;
        for (std::size_t fi = m_slots[find(flights, key, hash_of(key))].head; fi != kNone; fi = m_next[fi]) f(fi);
    }

    /// Indexes flight `fi` under its field (nothing when empty or already indexed).
    void add(const std::vector<Flight>& flights, std::size_t fi) {
        const std::string& key = flights[fi].aircraft.*m_field;
        if (key.empty()) return;
        if (fi >= m_next.size()) {
            m_next.resize(fi + 1, kNone);
            m_in.resize(fi + 1, false);
        }
        if (m_in[fi]) return;
        m_in[fi] = true;
        if ((m_used + 1) * 2 > m_slots.size()) grow(flights);
        const std::size_t h = hash_of(key);
        Slot& s = m_slots[find(flights, key, h)];
        if (s.head == kNone) {
            s.head = fi;
            s.hash = h;
            ++m_used;
        } else {
            m_next[s.tail] = fi;
        }
        s.tail = fi;
    }

private:
    struct Slot {
        std::size_t head = kNone, tail = kNone;
        std::size_t hash = 0;  // of the key, so that most probes need not read a flight
    };
    static std::size_t hash_of(const std::string& key) { return std::hash<std::string_view>{}(key); }
    /// The slot of `key`: its list's, or the empty one where it would go.
    std::size_t find(const std::vector<Flight>& flights, const std::string& key, std::size_t hash) const {
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
            const Slot& s = m_slots[i];
            if (s.head == kNone || (s.hash == hash && flights[s.head].aircraft.*m_field == key)) return i;
        }
    }
    void grow(const std::vector<Flight>& flights) {
        std::vector<Slot> old = std::exchange(m_slots, std::vector<Slot>(std::max<std::size_t>(64, m_slots.size() * 2)));
        for (const Slot& s : old)
            if (s.head != kNone) m_slots[find(flights, flights[s.head].aircraft.*m_field, s.hash)] = s;
    }

    std::string AircraftId::*m_field;
    std::vector<Slot> m_slots;  // a power of two in size, at most half full
    std::size_t m_used = 0;
    std::vector<std::size_t> m_next;  // per flight: the next flight of its list
    std::vector<bool> m_in;           // per flight: indexed in a list
};

}  // namespace

std::uint64_t merge_comparisons() noexcept { return t_merge_comparisons; }

std::vector<Flight> merge_tracks(std::vector<Track> tracks, MergeMode mode) {
    std::erase_if(tracks, [](const Track& t) { return t.points.empty(); });
    for (auto& t : tracks)
        if (!std::is_sorted(t.points.begin(), t.points.end(), by_time)) std::stable_sort(t.points.begin(), t.points.end(), by_time);
    // In order of first fix, so every join compares a flight's end with the next track's start
    // (an order of indices: a day of 200,000 aircraft is not moved about n log n times).
    std::vector<std::size_t> order(tracks.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    auto first_fix_before = [&](std::size_t a, std::size_t b) { return tracks[a].points.front().time() < tracks[b].points.front().time(); };
    if (!std::is_sorted(order.begin(), order.end(), first_fix_before))  // a time-ordered dump gives its tracks in order
        std::stable_sort(order.begin(), order.end(), first_fix_before);

    std::vector<Flight> flights;
    flights.reserve(tracks.size());  // at most one each, smaller than a Track: no copies as it grows
    KeyLists by_icao(&AircraftId::icao24), by_reg(&AircraftId::registration), by_call(&AircraftId::callsign);
    auto index = [&](std::size_t fi) {
        by_icao.add(flights, fi);
        by_reg.add(flights, fi);
        by_call.add(flights, fi);
    };

    std::vector<std::size_t> cand;
    std::vector<std::string> refusals;
    for (const std::size_t ti : order) {
        Track& t = tracks[ti];
        cand.clear();
        if (mode != MergeMode::never) {
            auto take = [&](const KeyLists& lists, const std::string& key) {
                lists.for_each(flights, key, [&](std::size_t fi) {
                    if (std::find(cand.begin(), cand.end(), fi) == cand.end()) cand.push_back(fi);
                });
            };
            take(by_icao, t.aircraft.icao24);
            if (mode != MergeMode::icao) {
                take(by_reg, t.aircraft.registration);
                take(by_call, t.aircraft.callsign);
            }
            std::erase_if(cand, [&](std::size_t fi) {
                const auto& f = flights[fi].aircraft;
                if (mode == MergeMode::icao) return t.aircraft.icao24.empty() || f.icao24 != t.aircraft.icao24;
                return !same_aircraft(f, t.aircraft);
            });
            // Most recent first: the flight this track would continue.
            std::sort(cand.begin(), cand.end(),
                      [&](std::size_t x, std::size_t y) { return flights[x].points.back().time() > flights[y].points.back().time(); });
        }
        std::optional<std::size_t> into;
        refusals.clear();
        for (std::size_t fi : cand) {
            ++t_merge_comparisons;
            const Flight& f = flights[fi];
            const bool strong = !t.aircraft.icao24.empty() && f.aircraft.icao24 == t.aircraft.icao24;
            // The wording of a note, built only when a note is written.
            auto what = [&] {
                return strong ? "same ICAO address " + t.aircraft.icao24
                       : (!t.aircraft.registration.empty() && t.aircraft.registration == f.aircraft.registration)
                           ? "same registration " + t.aircraft.registration
                           : "same callsign " + t.aircraft.callsign;
            };
            auto names = [&] { return file_name(f.sources.back()) + " and " + file_name(t.source); };
            if (mode == MergeMode::callsign) {
                into = fi;
                flights[fi].merge_notes.push_back(names() + " joined (" + setting_text("merge") + " callsign, " + what() +
                                                  ", not checked)");
                break;
            }
            const Judgement j = judge(f.points, t.points, strong);
            if (j.verdict == Verdict::join) {
                into = fi;
                // Parts of one file (a loader splits a trace at its own leg marks) join silently.
                if (t.source != f.sources.back()) flights[fi].merge_notes.push_back(names() + " joined: " + what() + ", " + j.why);
                break;
            }
            refusals.push_back(names() + " kept apart despite the " + what() + ": " + j.why);
        }
        if (!into) {
            flights.push_back(Flight{t.aircraft, {}, t.provenance, {}, {}});
            into = flights.size() - 1;
        }
        Flight& f = flights[*into];
        for (auto& r : refusals) f.merge_notes.push_back(std::move(r));
        fill_missing(f.aircraft, t.aircraft);
        // The weakest claim wins: one reconstructed file makes the whole flight reconstructed.
        f.provenance = std::max(f.provenance, t.provenance);
        f.sources.push_back(std::move(t.source));  // the flight's latest file (sources.back()); the track's not read again
        const std::size_t old = f.points.size();
        const bool after = old == 0 || t.points.front().time() >= f.points.back().time();
        if (old == 0) {
            f.points = std::move(t.points);  // a new flight takes the track's points (no copy)
        } else {
            f.points.insert(f.points.end(), t.points.begin(), t.points.end());
            std::vector<TrackPoint>().swap(t.points);  // not needed again: give the memory back now
        }
        if (!after) std::inplace_merge(f.points.begin(), f.points.begin() + static_cast<std::ptrdiff_t>(old), f.points.end(), by_time);
        index(*into);
    }
    for (auto& f : flights)
        f.points.erase(
            std::unique(f.points.begin(), f.points.end(), [](const TrackPoint& a, const TrackPoint& b) { return a.time() == b.time(); }),
            f.points.end());
    // Flights are made in order of first fix and a join never moves a flight's first fix
    // earlier (tracks come in order of first fix), so this order is usually already kept.
    auto starts_before = [](const Flight& a, const Flight& b) { return a.points.front().time() < b.points.front().time(); };
    if (std::is_sorted(flights.begin(), flights.end(), starts_before)) return flights;
    std::vector<std::size_t> by_start(flights.size());
    std::iota(by_start.begin(), by_start.end(), std::size_t{0});
    std::stable_sort(by_start.begin(), by_start.end(),
                     [&](std::size_t a, std::size_t b) { return flights[a].points.front().time() < flights[b].points.front().time(); });
    std::vector<Flight> sorted;
    sorted.reserve(flights.size());
    for (const std::size_t i : by_start) sorted.push_back(std::move(flights[i]));
    return sorted;
}

}  // namespace fr
