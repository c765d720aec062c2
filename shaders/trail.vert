// Trails as GPU geometry: every segment of every trail is uploaded once, as a quad of two
// triangles (6 vertices) carrying both segment ends. The vertex shader places the quad in
// screen pixels (width and round caps included), the fragment shader cuts it at the current
// replay time and anti-aliases the edge. Units: world pixels (the first scene's pixel frame),
// seconds from the replay start, feet.
#version 120

attribute vec4 a_seg;     // segment ends a.xy, b.xy in world pixels
attribute vec4 a_info;    // t_a, t_b (s from replay start), along_a (world px from piece start), altitude at a (ft)
attribute vec4 a_corner;  // side (-1/+1), end (0 = a, 1 = b), flags, altitude at b (ft); flags = gap (0/1)
                          // + 2 x caps (1: round cap at a, 2: at b; else butt) + 8 x joined (a thinned segment, TrailLayer)
attribute vec4 a_colour;  // the flight's colour (straight alpha)

uniform vec3 u_view;      // world -> screen: k (scale), ox, oy (pixels)
uniform vec2 u_screen;    // framebuffer size in pixels
uniform float u_y_up;     // 0: the window (screen y 0 at the top); 1: an image whose row 0 is the top
uniform float u_time;     // current replay time, s from replay start
uniform float u_width;    // solid trail width, pixels
uniform float u_gap_width;  // coverage-gap trail width, pixels
uniform float u_mode;     // 0: revealed up to u_time; 1: only what was flown in (u_from, u_time] (a cache
                          // increment, trail.frag); 2: the same and the round cap at the moving tip, faded (what a
                          // frame draws over the cache)
uniform float u_from;     // modes 1, 2: the time the cache holds the trails up to, s from replay start

varying vec2 v_local;     // x: pixels along the segment from a, y: pixels across
varying float v_len;      // segment length in pixels
varying vec4 v_info;      // t_a, t_b, along_a in screen px, altitude
varying vec4 v_colour;
varying float v_gap;
varying float v_half;     // half width, pixels
varying float v_caps;     // 1: round cap at a, 2: at b, 3: both
varying float v_joined;   // 1: several densified segments joined (fades by the time at each pixel)
varying vec2 v_alt;       // altitude at a and at b (ft)

void main() {
    // Not flown yet, or (increments) already in the cache, or (tip caps) no longer in flight:
    // drop the whole quad before rasterising.
    if (a_info.x > u_time || (u_mode > 0.5 && a_info.y <= u_from)) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
        return;
    }
    vec2 a = a_seg.xy * u_view.x + u_view.yz;
    vec2 b = a_seg.zw * u_view.x + u_view.yz;
    vec2 d = b - a;
    float len = length(d);
    vec2 dir = len > 1e-4 ? d / len : vec2(1.0, 0.0);
    vec2 n = vec2(-dir.y, dir.x);
    float gap = mod(a_corner.z, 2.0);
    float caps = mod(floor(a_corner.z / 2.0), 4.0);
    float joined = floor(a_corner.z / 8.0);
    float half_w = 0.5 * (gap > 0.5 ? u_gap_width : u_width);
    // The anti-aliased edge: trail.frag's coverage, clamp(half_w + 0.5 - distance), is 0 for
    // every pixel centre farther than half a pixel beyond the line, so the quad stops there
    // (a whole pixel more shaded 50% more fragments for the 1 px trails of busy scenes).
    float grow = half_w + 0.5;
    // Only round-capped ends reach past the segment (trail.frag discards the rest there): a
    // piece's first and last vertex, and the moving tip. Interior joints end flush, which
    // halves the pixels shaded for a densified trail (~5 px segments at 1080p).
    bool cap_a = mod(caps, 2.0) > 0.5;
    bool cap_b = caps > 1.5 || u_time < a_info.y;
    float along = a_corner.y > 0.5 ? len + (cap_b ? grow : 0.0) : (cap_a ? -grow : 0.0);
    if (u_mode > 0.5) {
        // Only the part of the segment this draw owns (trail.frag decides per pixel; the quad
        // just has to hold those pixel centres, half a pixel to spare at each end): what was
        // flown since u_from, and in mode 2 the moving tip's cap.
        float span = max(a_info.y - a_info.x, 1e-6);
        float r_to = len * clamp((u_time - a_info.x) / span, 0.0, 1.0);
        float lo = u_from < a_info.x ? (cap_a ? -grow : 0.0) : len * clamp((u_from - a_info.x) / span, 0.0, 1.0) - 0.5;
        float hi = a_info.y <= u_time ? len + (caps > 1.5 ? grow : 0.0) : r_to + (u_mode > 1.5 ? grow : 0.5);
        along = a_corner.y > 0.5 ? hi : lo;
    }
    vec2 p = a + dir * along + n * a_corner.x * grow;
    v_local = vec2(along, a_corner.x * grow);
    v_len = len;
    v_info = vec4(a_info.x, a_info.y, a_info.z * u_view.x, a_info.w);
    v_colour = a_colour;
    v_gap = gap;
    v_half = half_w;
    v_caps = caps;
    v_joined = joined;
    v_alt = vec2(a_info.w, a_corner.w);
    float y = 1.0 - p.y / u_screen.y * 2.0;
    gl_Position = vec4(p.x / u_screen.x * 2.0 - 1.0, u_y_up > 0.5 ? -y : y, 0.0, 1.0);
}
