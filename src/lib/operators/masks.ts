import { ParameterError, ShapeError } from '../errors.js';
import { uniformStream } from '../random/prng.js';

/** Inpainting masks as H*W row-major Float32Array, 1 = observed pixel, 0 = missing. */

/** A centred missing box covering `fraction` of each side. */
export function boxMask(H: number, W: number, fraction = 0.5): Float32Array {
  if (!(fraction > 0 && fraction < 1)) throw new ParameterError(`box fraction must lie in (0, 1), got ${fraction}`);
  const bh = Math.max(1, Math.round(H * fraction));
  const bw = Math.max(1, Math.round(W * fraction));
  const top = Math.floor((H - bh) / 2);
  const left = Math.floor((W - bw) / 2);
  const m = new Float32Array(H * W).fill(1);
  for (let i = top; i < top + bh; i++) for (let j = left; j < left + bw; j++) m[i * W + j] = 0;
  return m;
}

/** Each pixel missing with probability `p`, from a seed. */
export function randomMask(H: number, W: number, p = 0.5, seed = 0): Float32Array {
  if (!(p >= 0 && p <= 1)) throw new ParameterError(`missing-pixel probability p must lie in [0, 1], got ${p}`);
  const u = uniformStream(seed);
  return Float32Array.from({ length: H * W }, () => (u() < p ? 0 : 1));
}

/** Horizontal and vertical scratch lines of width 1, every `spacing` pixels (text-like damage). */
export function linesMask(H: number, W: number, spacing = 4, seed = 0): Float32Array {
  if (!Number.isInteger(spacing) || spacing < 2) throw new ParameterError(`line spacing must be an integer >= 2, got ${spacing}`);
  const u = uniformStream(seed);
  const offR = Math.floor(u() * spacing);
  const offC = Math.floor(u() * spacing);
  const m = new Float32Array(H * W).fill(1);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) if ((i - offR) % spacing === 0 || ((j - offC) % spacing === 0 && u() < 0.5)) m[i * W + j] = 0;
  }
  return m;
}

/**
 * A mask given as H*W values or as H rows of W values, flattened row-major; a matrix of another
 * shape (8x2 for a 4x4 image has the right count but the wrong rows) is refused, naming `who`.
 */
export function flatMask(mask: readonly number[] | readonly (readonly number[])[], H: number, W: number, who: string): number[] {
  if (mask.length > 0 && Array.isArray(mask[0])) {
    const rows = mask as readonly (readonly number[])[];
    if (rows.length !== H) throw new ShapeError(`${who}: the mask has ${rows.length} rows; the image needs ${H} rows of ${W} values`);
    const bad = rows.findIndex((r) => !Array.isArray(r) || r.length !== W);
    if (bad >= 0) throw new ShapeError(`${who}: mask row ${bad} has ${rows[bad]?.length} values; the image needs ${H} rows of ${W}`);
    return rows.flat();
  }
  return [...(mask as readonly number[])];
}
