// The fading trails' cache brought to the frame (TrailFadeCache, trail_fade.frag): one quad
// over the whole framebuffer, given in normalised device coordinates.
#version 120

void main() { gl_Position = gl_Vertex; }
