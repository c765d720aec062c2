// Aircraft icons: the coverage of CairoRenderer's icon fill (blue channel) and outline (green)
// pre-rendered by Cairo into a mask at twice the on-screen size (IconLayer), composed like cairo_fill_preserve +
// cairo_stroke: outline over fill. Writes premultiplied colour.
#version 120

uniform sampler2D u_mask;

varying vec2 v_uv;
varying vec4 v_fill;
varying vec4 v_outline;

void main() {
    vec4 m = texture2D(u_mask, v_uv);  // drawn at twice the icon's screen size, sampled bilinearly
    float fill = m.b * v_fill.a;
    float line = m.g * v_outline.a;
    if (fill <= 0.0 && line <= 0.0) discard;
    gl_FragColor = vec4(v_outline.rgb * line + v_fill.rgb * fill * (1.0 - line), line + fill * (1.0 - line));
}
