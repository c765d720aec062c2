// Aircraft icons as GPU quads (the window, busy scenes): one quad per aircraft, placed and
// rotated here; shaders/icon.frag colours it from the icon's coverage mask.
// Units: screen pixels, radians clockwise from nose-up (as cairo_rotate on a y-down screen).
#version 120

attribute vec4 a_place;   // centre x, y (px), angle (rad), k (icon scale: 18 k px wing tip to wing tip)
attribute vec4 a_corner;  // corner (-1/+1, -1/+1), 0, 0
attribute vec4 a_fill;    // straight alpha
attribute vec4 a_outline; // straight alpha

uniform vec2 u_screen;    // framebuffer size in pixels
uniform float u_y_up;     // 1: an image whose row 0 is the top (GlImage), 0: the window
uniform float u_extent;   // the mask spans -u_extent..+u_extent icon units each way

varying vec2 v_uv;        // mask coordinates
varying vec4 v_fill;
varying vec4 v_outline;

void main() {
    float k = a_place.w;
    vec2 local = a_corner.xy * u_extent * k;  // pixels, unrotated
    float c = cos(a_place.z), s = sin(a_place.z);
    vec2 p = a_place.xy + vec2(local.x * c - local.y * s, local.x * s + local.y * c);
    v_uv = a_corner.xy * 0.5 + 0.5;
    v_fill = a_fill;
    v_outline = a_outline;
    float y = 1.0 - p.y / u_screen.y * 2.0;
    gl_Position = vec4(p.x / u_screen.x * 2.0 - 1.0, u_y_up > 0.5 ? -y : y, 0.0, 1.0);
}
