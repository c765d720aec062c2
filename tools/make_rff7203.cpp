// fr_make_rff7203: writes the RECONSTRUCTED RFF7203 sample, two FR24-format CSV files.
//
//   fr_make_rff7203 OUT_DIR        (normally: build/<dir>/tools/fr_make_rff7203 assets/samples)
//
// The files are NOT recorded positions. They reconstruct, from public reporting, a flight of
// which no recorded track is available to us, so the project has a realistic long-haul sample
// with a multi-day stop that it may bundle. Assumptions (repeated in each file's '#' lines):
//  * Aircraft: Ilyushin Il-62M of the Russian Air Force (223rd Flight Unit), registration
//    RA-86559 (as reported by NK News); callsign RFF7203 on both legs.
//  * Outbound: Moscow Chkalovsky (UUMU, 55.8783 N 38.061699 E) on 2023-07-31 in the (Moscow)
//    evening, to Pyongyang Sunan (ZKPY, 39.224098 N 125.669998 E), landing 2023-08-01; return
//    ZKPY -> UUMU on 2023-08-02, landing before midnight UTC. Both airports' positions are the
//    OurAirports reference points.
//  * Route over Russian territory only: Kazan, Yekaterinburg, Omsk, Novosibirsk, Krasnoyarsk,
//    Irkutsk, Chita, Skovorodino, Khabarovsk, Dalnerechensk, near Vladivostok, then
//    west-south-west across North Korea. About 8,000 km each way (the great circle, 6,360 km,
//    crosses Mongolia and China). Because of that length the outbound taxi starts at 15:00Z
//    (18:00 Moscow time), not later: with ~450 kt and a 36 h stop a later start would land the
//    return after midnight UTC.
//  * Runways assumed 12/30 (120/300 degrees true) at UUMU and 01/19 (010/190) at ZKPY, 3.5 km
//    long, centred on the reference point. Out: UUMU 12, ZKPY 19. Back: ZKPY 01, UUMU 30.
//  * Positions move along WGS84 geodesics between route points (fr::geo, PROJ geodesic.h).
//  * Profile: taxi ~14 kt; take-off at 150 kt; climb 2,500 ft/min below 10,000 ft, 1,800 below
//    FL250, 1,000 above; cruise FL330 -> FL350 -> FL370 out (odd levels, eastbound) and
//    FL340 -> FL360 -> FL380 back (even, westbound), stepping at 35 % and 70 % of the route;
//    cruise ground speed 450 kt +- 15 kt per route segment (a deterministic stand-in for wind),
//    changing at most 1.5 kt/s; descent on a 3-degree path (318 ft per NM) with speed falling
//    from cruise to 250 kt at 10,000 ft and 150 kt at the runway; roll-out decelerating 3 kt/s.
//  * Fixes every 30-60 s (uniform integer seconds), as FR24 thins its exports.
//  * Coverage: no rows for 25 minutes over North Korea: from 28 to 3 minutes before touchdown
//    at ZKPY, and from 3 to 28 minutes after take-off from ZKPY (FR24 has no receivers there).
//  * The stop: the return's first row is exactly 36 h 04 min after the outbound's last row;
//    no rows in between, as FR24 stops reporting a parked aircraft.
//  * Altitude rounded to 25 ft (FR24's resolution), speed and direction to integers.
// Determinism: std::mt19937 (its output sequence is fixed by the standard) with seed 7203 and
// our own integer arithmetic instead of std::uniform_int_distribution (whose algorithm is
// implementation-defined); the geodesic maths is IEEE double and printed to 6 decimals.
#include <cstdio>
#include <exception>

#include "rff7203_sample.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fr_make_rff7203 OUT_DIR\n");
        return 2;
    }
    try {
        for (const auto& p : fr::tools::write_rff7203_files(argv[1])) std::printf("%s\n", p.string().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fr_make_rff7203: %s\n", e.what());
        return 1;
    }
    return 0;
}
