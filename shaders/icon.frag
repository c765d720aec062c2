// Aircraft icons: the coverage of CairoRenderer's icon fill (blue channel) and outline (green)
// pre-rendered by Cairo into a mask at twice the on-screen size (IconLayer), composed like cairo_fill_preserve +
// cairo_stroke: outline over fill. One point sprite per icon (icon.vert): the pixel's offset
// from the centre, turned back by the icon's angle, picks the mask. Writes premultiplied colour.
#version 120

uniform sampler2D u_mask;
uniform float u_y_up;     // as icon.vert (point coordinates run with GL's y: GL_LOWER_LEFT)
uniform float u_extent;   // the mask spans -u_extent..+u_extent icon units each way

varying vec4 v_turn;
varying vec4 v_fill;
varying vec4 v_outline;

void main() {
    // Offset from the centre in icon units, y down on the picture.
    vec2 d = vec2(gl_PointCoord.x - 0.5, u_y_up > 0.5 ? gl_PointCoord.y - 0.5 : 0.5 - gl_PointCoord.y) * v_turn.z;
    // icon.vert's placement turned the icon by the angle (x' = x c - y s, y' = x s + y c): undo it.
    vec2 local = vec2(d.x * v_turn.x + d.y * v_turn.y, -d.x * v_turn.y + d.y * v_turn.x);
    vec4 m = texture2D(u_mask, local / (2.0 * u_extent) + 0.5);  // drawn at twice the icon's screen size, sampled bilinearly
    float fill = m.b * v_fill.a;
    float line = m.g * v_outline.a;
    if (fill <= 0.0 && line <= 0.0) discard;
    gl_FragColor = vec4(v_outline.rgb * line + v_fill.rgb * fill * (1.0 - line), line + fill * (1.0 - line));
}
