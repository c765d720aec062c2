// Reveals a trail segment up to the current replay time (the tip gets a round cap, like
// Cairo's stroke in the exports), anti-aliases it over one pixel, dashes coverage gaps, and
// optionally colours by altitude (a window-only view) or fades old track as the exports do.
#version 120

uniform float u_time;        // s from replay start
uniform float u_dash_on;     // gap dashes: pixels on, then off (Cairo: 4 s, 7 s at scale s)
uniform float u_dash_off;
uniform int u_colour_mode;   // 0: the flight's colour (as exports); 1: altitude ramp
uniform float u_fade_s;      // > 0: trail older than this many seconds fades out
uniform vec4 u_gap_colour;
uniform float u_mode;        // as trail.vert: 0 revealed up to u_time, 1 a cache increment, 2 what a frame adds to the cache
uniform float u_from;        // modes 1, 2: the cache holds the trails flown up to this time

varying vec2 v_local;
varying float v_len;
varying vec4 v_info;
varying vec4 v_colour;
varying float v_gap;
varying float v_half;
varying float v_caps;
varying float v_joined;
varying vec2 v_alt;

// 0 ft dark green -> 10,000 ft yellow -> 25,000 ft orange -> 40,000 ft magenta (a common
// flight-tracker ramp; the value is clamped to 0..45,000 ft).
vec3 altitude_ramp(float ft) {
    float x = clamp(ft / 45000.0, 0.0, 1.0);
    vec3 c0 = vec3(0.10, 0.55, 0.20), c1 = vec3(0.95, 0.85, 0.10), c2 = vec3(0.95, 0.45, 0.05), c3 = vec3(0.80, 0.10, 0.70);
    if (x < 0.222) return mix(c0, c1, x / 0.222);
    if (x < 0.556) return mix(c1, c2, (x - 0.222) / 0.334);
    return mix(c2, c3, (x - 0.556) / 0.444);
}

void main() {
    float span = max(v_info.y - v_info.x, 1e-6);
    // How far along this segment the aircraft has got, in pixels.
    float reveal = v_len * clamp((u_time - v_info.x) / span, 0.0, 1.0);
    // Each pixel belongs to one segment, so anti-aliased edges are not blended twice where
    // consecutive segments meet: interior joints are butt ends (the trail is densified, so
    // the angle between segments is small); a piece's ends and the moving tip are round, as
    // Cairo's round caps.
    bool cap_a = mod(v_caps, 2.0) > 0.5;
    bool cap_b = v_caps > 1.5 || reveal < v_len;
    if (!cap_a && v_local.x < 0.0) discard;
    if (!cap_b && v_local.x >= reveal) discard;
    if (u_mode > 0.5) {
        // A cache increment owns the pixels flown in (u_from, u_time], split where the pixel
        // centre lies along the segment, so consecutive increments share no pixel: the start
        // cap with the segment's start, the end cap with its end. The moving tip's cap is
        // never cached: mode 2 (the frame over the cache) draws it with the same pixels.
        bool owns;
        if (v_local.x <= 0.0) owns = u_from < v_info.x;
        else if (v_local.x > reveal) owns = reveal < v_len ? u_mode > 1.5 : v_caps > 1.5 && u_from < v_info.y;
        else owns = v_local.x > v_len * clamp((u_from - v_info.x) / span, 0.0, 1.0);
        if (!owns) discard;
    }
    // Distance to the capsule from the segment start to the revealed end.
    float x = clamp(v_local.x, 0.0, reveal);
    float dist = length(vec2(v_local.x - x, v_local.y));
    float cover = clamp(v_half + 0.5 - dist, 0.0, 1.0);
    if (v_gap > 0.5) {
        // Dashes along the whole piece, each with round caps.
        float period = u_dash_on + u_dash_off;
        float d = v_info.z + clamp(v_local.x, 0.0, reveal);
        float ph = mod(d, period);
        float out_of_dash = max(ph - u_dash_on, 0.0);
        out_of_dash = min(out_of_dash, period - ph);
        float dd = length(vec2(out_of_dash, v_local.y));
        cover = min(cover, clamp(v_half + 0.5 - dd, 0.0, 1.0));
    }
    if (cover <= 0.0) discard;
    // How far along the segment this pixel is, 0..1 (joined segments interpolate altitude and
    // time; a densified segment has one altitude, and fades by its start and end times).
    float along = clamp(v_local.x / max(v_len, 1e-6), 0.0, 1.0);
    vec4 c = v_gap > 0.5 ? u_gap_colour : v_colour;
    if (u_colour_mode == 1 && v_gap < 0.5 && v_alt.x > -1.0) c.rgb = altitude_ramp(mix(v_alt.x, v_alt.y, along));
    float a = c.a * cover;
    // The times the fade goes by (Painter::draw_trails_fading): the segment's start (opacity)
    // and end (gone); a joined segment's: the time at this pixel, which the export's densified
    // segment around it starts before and ends after.
    float t_start = v_joined > 0.5 ? v_info.x + span * along : v_info.x;
    float t_end = v_joined > 0.5 ? t_start : v_info.y;
    if (u_mode > 0.5 && u_mode < 1.5) {
        // A cache increment (TrailFadeCache): full opacity, and the two times weighted by the
        // coverage as the colour is (trail_fade.frag divides them by the weight and fades).
        gl_FragData[0] = vec4(c.rgb * a, a);
        gl_FragData[1] = vec4(t_start * a, t_end * a, 0.0, a);
        return;
    }
    if (u_fade_s > 0.0) {
        // As the exports fade: a segment that ended more than u_fade_s ago is gone; the rest
        // in 5 steps of opacity by the age of its start, 1.0 newest .. 0.2 oldest.
        if (u_time - t_end > u_fade_s) discard;
        float age = (u_time - t_start) / u_fade_s;
        a *= (clamp(floor((1.0 - age) * 5.0), 0.0, 4.0) + 1.0) / 5.0;
    }
    gl_FragData[0] = vec4(c.rgb * a, a);  // premultiplied
}
