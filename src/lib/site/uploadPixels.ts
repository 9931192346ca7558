import { EMOJI_BACKGROUND } from '../data/emoji.js';
import { ParameterError } from '../errors.js';

/**
 * The pure half of an upload (no canvas, so Node tests it): a reader's image already drawn into an
 * H x W RGBA canvas (letterboxed onto `letterboxColour`) becomes the model's input in [-1, 1].
 *  - 1 channel (Fashion-MNIST): grey by luma; items are light on black, so an image whose border is
 *    light is inverted (and the notice says so).
 *  - 3 channels (emoji): RGB as drawn; transparent pixels and the letterbox are the training data's
 *    mid-grey background (EMOJI_BACKGROUND), never inverted.
 */
export interface DrawnRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The colour the canvas is filled with before the image is drawn (alpha composites onto it). */
export function letterboxColour(channels: number): readonly [number, number, number] {
  return channels === 3 ? EMOJI_BACKGROUND : [0, 0, 0];
}

/** Where an image of `width` x `height` lands, fitted whole and centred in `size` x `size` (cropping could cut the object off). */
export function letterbox(width: number, height: number, size: number): DrawnRect {
  const scale = Math.min(size / width, size / height);
  const w = width * scale;
  const h = height * scale;
  return { x: (size - w) / 2, y: (size - h) / 2, w, h };
}

export interface ModelPixels {
  pixels: Float32Array;
  inverted: boolean;
}

export function modelPixelsFromRgba(rgba: ArrayLike<number>, shape: readonly number[], drawn: DrawnRect): ModelPixels {
  const [H, W, C] = shape;
  if (H !== W || !(C === 1 || C === 3))
    throw new ParameterError(`upload: the model's image shape must be square with 1 or 3 channels, got [${shape.join(', ')}]`, 'shape');
  if (rgba.length !== 4 * H * W) throw new ParameterError(`upload: ${rgba.length} RGBA values is not a ${W}x${H} canvas`, 'rgba');
  if (C === 3) {
    const pixels = new Float32Array(H * W * 3);
    for (let i = 0; i < H * W; i++) for (let c = 0; c < 3; c++) pixels[3 * i + c] = (rgba[4 * i + c] / 255) * 2 - 1;
    return { pixels, inverted: false };
  }
  const grey = new Float32Array(H * W);
  for (let i = 0; i < H * W; i++) grey[i] = (0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]) / 255;
  const inverted = borderMean(grey, W, drawn.x, drawn.y) > 0.5;
  return { pixels: grey.map((v) => (inverted ? 1 - v : v) * 2 - 1), inverted };
}

/** The sentence the page shows under the picker: what was done to the reader's image. */
export function uploadNotice(width: number, height: number, shape: readonly number[], inverted: boolean): string {
  const [H, W, C] = shape;
  const fitted = width === height ? '' : ' (fitted whole, centred)';
  if (C === 3) {
    const [r, g, b] = EMOJI_BACKGROUND;
    return `Your ${width}×${height} image was scaled to ${W}×${H} RGB${fitted}, the colour model's size, with transparent parts and margins on the mid-grey background (${r}, ${g}, ${b}) the emoji were trained on.`;
  }
  return (
    `Your ${width}×${height} image was converted to ${W}×${H} grayscale${fitted}, the model's size and channels` +
    (inverted ? ', and inverted because its background is light (Fashion-MNIST items are light on black).' : '.')
  );
}

/** Mean grey of the outermost ring of the drawn image area (ignoring the letterbox). */
function borderMean(g: Float32Array, size: number, padX: number, padY: number): number {
  const x0 = Math.ceil(padX);
  const y0 = Math.ceil(padY);
  const x1 = size - 1 - x0;
  const y1 = size - 1 - y0;
  let s = 0;
  let n = 0;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      if (y === y0 || y === y1 || x === x0 || x === x1) {
        s += g[y * size + x];
        n++;
      }
  return n ? s / n : 0;
}
