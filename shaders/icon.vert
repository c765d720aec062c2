// Aircraft icons as GPU point sprites (the window, busy scenes): one point per aircraft,
// sized to the circle the icon turns in; shaders/icon.frag rotates the icon's coverage mask
// into it. Units: screen pixels, radians clockwise from nose-up (as cairo_rotate on a y-down
// screen).
#version 120

attribute vec4 a_place;   // centre x, y (px), angle (rad), k (icon scale: 18 k px wing tip to wing tip)
attribute vec4 a_fill;    // straight alpha
attribute vec4 a_outline; // straight alpha

uniform vec2 u_screen;    // framebuffer size in pixels
uniform float u_y_up;     // 1: an image whose row 0 is the top (GlImage), 0: the window
uniform float u_radius;   // icon units from the centre that the outline and its anti-aliasing reach

varying vec4 v_turn;      // cos, sin of the angle; icon units per point coordinate (0..1); unused
varying vec4 v_fill;
varying vec4 v_outline;

void main() {
    float k = a_place.w;
    v_turn = vec4(cos(a_place.z), sin(a_place.z), 2.0 * u_radius, 0.0);
    v_fill = a_fill;
    v_outline = a_outline;
    gl_PointSize = 2.0 * u_radius * k;
    float y = 1.0 - a_place.y / u_screen.y * 2.0;
    gl_Position = vec4(a_place.x / u_screen.x * 2.0 - 1.0, u_y_up > 0.5 ? -y : y, 0.0, 1.0);
}
