#pragma once
// Tracks: time-ordered fixes of one aircraft, as loaded from one or more files.
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/lat_lon.hpp"
#include "core/time.hpp"
#include "core/units.hpp"

namespace fr {

enum class OnGround : std::uint8_t { unknown, airborne, ground };

/// Where the positions came from. Reconstructed and synthetic tracks are never presented as
/// recorded: the flag travels from the loader to every output.
enum class Provenance : std::uint8_t { recorded, reconstructed, synthetic };
const char* to_string(Provenance p) noexcept;

/// One fix. 40 bytes: optional quantities are stored as NaN floats (float keeps altitude to
/// ~1 mm at 40 km and speeds to ~1e-5 m/s, finer than any source) and exposed as optionals.
class TrackPoint {
public:
    TrackPoint(TimePoint time, LatLon pos) noexcept : m_time(time), m_lat(pos.lat_deg()), m_lon(pos.lon_deg()) {}

    TimePoint time() const noexcept { return m_time; }
    LatLon position() const noexcept { return *LatLon::checked(m_lat, m_lon); }
    double lat_deg() const noexcept { return m_lat; }
    double lon_deg() const noexcept { return m_lon; }

    /// Barometric (pressure) altitude when known, else geometric.
    std::optional<Length> altitude() const noexcept { return std::isnan(m_alt_m) ? std::nullopt : std::optional{Length::metres(m_alt_m)}; }
    std::optional<Speed> ground_speed() const noexcept {
        return std::isnan(m_gs_mps) ? std::nullopt : std::optional{Speed::metres_per_second(m_gs_mps)};
    }
    /// Track over ground (or true heading on the ground), degrees clockwise from north.
    std::optional<Angle> track() const noexcept {
        return std::isnan(m_track_deg) ? std::nullopt : std::optional{Angle::degrees(m_track_deg)};
    }
    OnGround on_ground() const noexcept { return static_cast<OnGround>(m_flags & 3u); }
    /// The source says a new leg starts at this fix (readsb flag bit 2).
    bool new_leg() const noexcept { return (m_flags & 4u) != 0; }

    TrackPoint& set_time(TimePoint t) noexcept {
        m_time = t;
        return *this;
    }
    TrackPoint& set_altitude(Length a) noexcept {
        m_alt_m = static_cast<float>(a.m());
        return *this;
    }
    TrackPoint& set_ground_speed(Speed v) noexcept {
        m_gs_mps = static_cast<float>(v.mps());
        return *this;
    }
    TrackPoint& set_track(Angle a) noexcept {
        m_track_deg = static_cast<float>(a.deg());
        return *this;
    }
    TrackPoint& set_on_ground(OnGround g) noexcept {
        m_flags = static_cast<std::uint8_t>((m_flags & ~3u) | static_cast<unsigned>(g));
        return *this;
    }
    TrackPoint& set_new_leg(bool b) noexcept {
        m_flags = static_cast<std::uint8_t>(b ? (m_flags | 4u) : (m_flags & ~4u));
        return *this;
    }

private:
    TimePoint m_time;
    double m_lat;
    double m_lon;
    float m_alt_m = NAN;
    float m_gs_mps = NAN;
    float m_track_deg = NAN;
    std::uint8_t m_flags = 0;
};

/// Who the aircraft is, as far as the source says. Empty strings mean unknown.
struct AircraftId {
    std::string icao24;        ///< lower-case hex, e.g. "3c66b0"
    std::string registration;  ///< e.g. "RA-86559"
    std::string callsign;      ///< trimmed, e.g. "RFF7203"
    std::string type;          ///< ICAO type designator, e.g. "IL62"

    /// The best key for display: callsign, else registration, else ICAO address.
    std::string display_name() const;
    /// `id` is its callsign, registration or ICAO address (ASCII case ignored; empty never matches).
    bool is_named(std::string_view id) const;
};

/// What a flight-summary service (the Flightradar24 API's flight-summary) says about one leg,
/// joined onto its track by `fr24_id`. Every field is optional: empty strings and nullopt mean
/// the source did not say. Times are UTC.
struct LegSummary {
    std::string fr24_id;                  ///< Flightradar24's id of one leg, e.g. "3930f673"
    AircraftId aircraft;                  ///< registration, type and callsign as the summary gives them
    std::string flight;                   ///< flight number, e.g. "CX830"
    std::string origin_icao;              ///< planned departure airport
    std::string destination_icao;         ///< planned arrival airport
    std::string destination_icao_actual;  ///< where it landed when diverted (else empty or the planned one)
    std::optional<TimePoint> takeoff;
    std::optional<TimePoint> landed;
    std::optional<TimePoint> gate_departure;      ///< off-block (flight-events only)
    std::optional<TimePoint> gate_arrival;        ///< on-block (flight-events only)
    std::optional<Duration> flight_time;          ///< airborne time the service computed
    std::optional<Length> actual_distance;        ///< distance flown
    std::optional<Length> great_circle_distance;  ///< origin to destination
};

/// An optional value kept on the heap, for a rarely present member of a type held by the
/// hundreds of thousands: the subset of std::optional's interface that tracks use.
template <class T>
class HeapOptional {
public:
    HeapOptional() = default;
    HeapOptional(std::nullopt_t) noexcept {}
    HeapOptional(const HeapOptional& o) : m_p(o.m_p ? std::make_unique<T>(*o.m_p) : nullptr) {}
    HeapOptional& operator=(const HeapOptional& o) {
        if (this != &o) m_p = o.m_p ? std::make_unique<T>(*o.m_p) : nullptr;
        return *this;
    }
    HeapOptional(HeapOptional&&) noexcept = default;
    HeapOptional& operator=(HeapOptional&&) noexcept = default;
    HeapOptional& operator=(T v) {
        m_p = std::make_unique<T>(std::move(v));
        return *this;
    }
    HeapOptional& operator=(std::nullopt_t) noexcept {
        m_p.reset();
        return *this;
    }
    ~HeapOptional() = default;

    bool has_value() const noexcept { return m_p != nullptr; }
    explicit operator bool() const noexcept { return has_value(); }
    const T& operator*() const noexcept { return *m_p; }
    T& operator*() noexcept { return *m_p; }
    const T* operator->() const noexcept { return m_p.get(); }
    T* operator->() noexcept { return m_p.get(); }
    /// The value; throws std::bad_optional_access when there is none.
    const T& value() const {
        if (!m_p) throw std::bad_optional_access();
        return *m_p;
    }
    void reset() noexcept { m_p.reset(); }

private:
    std::unique_ptr<T> m_p;
};

/// The points of one aircraft from one source file, sorted by time.
struct Track {
    AircraftId aircraft;
    std::vector<TrackPoint> points;
    Provenance provenance = Provenance::recorded;
    std::string source;   ///< file path it was read from
    std::string fr24_id;  ///< Flightradar24 leg id when the source has one (FR24 API files), else empty
    /// Set when a flight summary for this leg was loaded with it (on the heap: 400 bytes that
    /// nearly every track would carry unused, 80 MB in a day of 200,000 aircraft).
    HeapOptional<LegSummary> summary;
};

/// One aircraft's whole history: tracks from any number of files merged by identity,
/// time-ordered, duplicates removed.
struct Flight {
    AircraftId aircraft;
    std::vector<TrackPoint> points;
    Provenance provenance = Provenance::recorded;
    std::vector<std::string> sources;
    /// Why tracks were joined into this flight, or kept apart from another one with the same
    /// identity (one line each, e.g. "b.csv joined a.csv: same callsign, both ends on the
    /// ground 0.4 km apart"). Empty for a flight read from one track.
    std::vector<std::string> merge_notes;
};

/// How tracks from different files (or different parts of one file) become flights.
enum class MergeMode : std::uint8_t {
    /// Same ICAO address merges unless the join is physically impossible; without an address,
    /// same registration or callsign merges only across a consistent join (both ends on the
    /// ground at the same place, an overlap of the same path, or a short airborne hole flown at
    /// a plausible speed). The default.
    automatic,
    /// Only equal ICAO addresses merge; impossible joins still split.
    icao,
    /// Version one's rule: ICAO, else registration, else callsign, without any check.
    callsign,
    /// Every track is a flight of its own.
    never,
};
const char* to_string(MergeMode m) noexcept;
/// "auto", "icao", "callsign", "never"; nullopt for anything else.
std::optional<MergeMode> parse_merge_mode(std::string_view text) noexcept;

/// Merges tracks into flights by `mode` (see MergeMode); points sorted by time and exact
/// duplicate times dropped (the first one kept). Each flight's merge_notes say why tracks
/// were joined or kept apart. Flights are returned in order of first fix. Runs in
/// O(n log n) in the number of points and tracks.
std::vector<Flight> merge_tracks(std::vector<Track> tracks, MergeMode mode = MergeMode::automatic);

/// (track, candidate flight) pairs merge_tracks has judged on this thread since it started:
/// the operation count the complexity tests read. One per track that continues the latest
/// flight of its identity; tracks of distinct aircraft cost none.
std::uint64_t merge_comparisons() noexcept;

}  // namespace fr
