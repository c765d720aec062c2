// Fades the cached trails (TrailFadeCache) for the current replay time, as the exports fade
// (Painter::draw_trails_fading): a pixel whose trail ended more than u_fade_s ago is gone, the
// rest in 5 steps of opacity by the age of its start, 1.0 newest .. 0.2 oldest. The cache holds
// each pixel's colour at full opacity (premultiplied, trails blended over one another) and its
// start and end times weighted by the same coverage. Writes premultiplied colour.
#version 120

uniform sampler2D u_colour;  // premultiplied colour at full opacity
uniform sampler2D u_times;   // t_start * a, t_end * a, 0, a (float)
uniform vec2 u_size;         // framebuffer size, pixels (the cache's)
uniform float u_time;        // current replay time, s from replay start
uniform float u_fade_s;

void main() {
    vec2 uv = gl_FragCoord.xy / u_size;
    vec4 w = texture2D(u_times, uv);
    if (w.a <= 0.0) discard;
    float t_start = w.r / w.a, t_end = w.g / w.a;
    if (u_time - t_end > u_fade_s) discard;
    float age = (u_time - t_start) / u_fade_s;
    gl_FragColor = texture2D(u_colour, uv) * ((clamp(floor((1.0 - age) * 5.0), 0.0, 4.0) + 1.0) / 5.0);
}
