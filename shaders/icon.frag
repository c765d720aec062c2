// Aircraft icons: the coverage of CairoRenderer's icon fill (blue channel) and outline (green)
// pre-rendered by Cairo into a mipmapped mask (IconLayer), composed like cairo_fill_preserve +
// cairo_stroke: outline over fill. Writes premultiplied colour.
#version 120

uniform sampler2D u_mask;

varying vec2 v_uv;
varying vec4 v_fill;
varying vec4 v_outline;

void main() {
    vec4 m = texture2D(u_mask, v_uv, -0.7);  // bias: sharper than plain trilinear at ~8x minification
    float fill = m.b * v_fill.a;
    float line = m.g * v_outline.a;
    if (fill <= 0.0 && line <= 0.0) discard;
    gl_FragColor = vec4(v_outline.rgb * line + v_fill.rgb * fill * (1.0 - line), line + fill * (1.0 - line));
}
