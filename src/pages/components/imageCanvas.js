import {decodeImage} from "../_deqir/deqir-client.js";

/**
 * One grey image as a pixelated canvas. `data` is numbers in [-1, 1] (clipped) or a base64 string of
 * 8-bit grey levels; `shape` is [H, W, C]; C > 1 (e.g. compressed-sensing coefficients) is laid out
 * as C tiles side by side.
 */
export function imageCanvas(data, shape, {scale = 4, title} = {}) {
  const [H, W, C = 1] = shape;
  const bytes = typeof data === "string" ? decodeImage(data) : Uint8Array.from(data, (v) => Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5));
  const canvas = document.createElement("canvas");
  canvas.width = W * C;
  canvas.height = H;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(W * C, H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) {
        const v = bytes[(y * W + x) * C + c];
        const o = 4 * (y * W * C + c * W + x);
        img.data.set([v, v, v, 255], o);
      }
  ctx.putImageData(img, 0, 0);
  // Scale low-resolution measurements (7x7 for SR x4) to the same height as the images.
  const px = Math.max(1, Math.round((28 * scale) / H));
  canvas.style.width = `${W * C * px}px`;
  canvas.style.height = `${H * px}px`;
  canvas.style.imageRendering = "pixelated";
  if (title) canvas.title = title;
  return canvas;
}
