/**
 * Tiles single-channel images (values in [-1, 1], [n, h, w] row-major) into one RGBA image,
 * `cols` per row with a `pad`-pixel grey border, each pixel drawn `scale` x `scale`: the
 * sample grid of a model card.
 */
export function gridRgba(
  images: Float32Array,
  n: number,
  h: number,
  w: number,
  cols: number,
  pad = 2,
  scale = 1,
): { width: number; height: number; rgba: Uint8Array } {
  if (scale > 1) return gridRgba(upscale(images, n, h, w, scale), n, h * scale, w * scale, cols, pad, 1);
  const rows = Math.ceil(n / cols);
  const width = cols * (w + pad) + pad;
  const height = rows * (h + pad) + pad;
  const rgba = new Uint8Array(width * height * 4).fill(128);
  for (let i = 0; i < n; i++) {
    const oy = pad + Math.floor(i / cols) * (h + pad);
    const ox = pad + (i % cols) * (w + pad);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = images[i * h * w + y * w + x];
        const g = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
        const o = ((oy + y) * width + ox + x) * 4;
        rgba[o] = rgba[o + 1] = rgba[o + 2] = g;
        rgba[o + 3] = 255;
      }
  }
  return { width, height, rgba };
}

/** Nearest-neighbour integer upscaling, so 28x28 digits stay crisp in a PNG viewer. */
function upscale(images: Float32Array, n: number, h: number, w: number, s: number): Float32Array {
  const out = new Float32Array(n * h * w * s * s);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h * s; y++)
      for (let x = 0; x < w * s; x++)
        out[i * h * w * s * s + y * w * s + x] = images[i * h * w + Math.floor(y / s) * w + Math.floor(x / s)];
  return out;
}
