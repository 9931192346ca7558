/**
 * Tiles images (values in [-1, 1], [n, h, w, channels] row-major, channels last; 1 = grey,
 * 3 = RGB) into one RGBA image, `cols` per row with a `pad`-pixel grey border, each pixel drawn
 * `scale` x `scale`: the sample grid of a model card.
 */
export function gridRgba(
  images: Float32Array,
  n: number,
  h: number,
  w: number,
  cols: number,
  pad = 2,
  scale = 1,
  channels = 1,
): { width: number; height: number; rgba: Uint8Array } {
  if (channels !== 1 && channels !== 3) throw new Error(`gridRgba: images must have 1 or 3 channels, got ${channels}`);
  if (scale > 1) return gridRgba(upscale(images, n, h, w, channels, scale), n, h * scale, w * scale, cols, pad, 1, channels);
  const rows = Math.ceil(n / cols);
  const width = cols * (w + pad) + pad;
  const height = rows * (h + pad) + pad;
  const rgba = new Uint8Array(width * height * 4).fill(128);
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
  for (let i = 0; i < n; i++) {
    const oy = pad + Math.floor(i / cols) * (h + pad);
    const ox = pad + (i % cols) * (w + pad);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const src = ((i * h + y) * w + x) * channels;
        const o = ((oy + y) * width + ox + x) * 4;
        // Grey repeats its one value in R, G and B.
        for (let c = 0; c < 3; c++) rgba[o + c] = byte(images[src + (channels === 3 ? c : 0)]);
        rgba[o + 3] = 255;
      }
  }
  return { width, height, rgba };
}

/** Nearest-neighbour integer upscaling, so 28x28 digits stay crisp in a PNG viewer. */
function upscale(images: Float32Array, n: number, h: number, w: number, ch: number, s: number): Float32Array {
  const out = new Float32Array(n * h * w * s * s * ch);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h * s; y++)
      for (let x = 0; x < w * s; x++) {
        const src = ((i * h + Math.floor(y / s)) * w + Math.floor(x / s)) * ch;
        const dst = ((i * h * s + y) * w * s + x) * ch;
        for (let c = 0; c < ch; c++) out[dst + c] = images[src + c];
      }
  return out;
}
