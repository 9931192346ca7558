import { ShapeError } from '../errors.js';

export type Layout = 'NHWC' | 'NCHW';

/** [N, H, W, C] from a shape given in `layout`. */
export function toNhwcShape(shape: readonly number[], layout: Layout): [number, number, number, number] {
  const [a, b, c, d] = shape;
  return layout === 'NHWC' ? [a, b, c, d] : [a, c, d, b];
}

/** Reorders a flat batch from `layout` to NHWC (shape given in NHWC terms). */
export function flatToNhwc(data: ArrayLike<number>, nhwc: readonly number[], layout: Layout): Float32Array {
  checkSize(data, nhwc);
  if (layout === 'NHWC') return Float32Array.from(data);
  const [N, H, W, C] = nhwc;
  const out = new Float32Array(N * H * W * C);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) out[((n * H + h) * W + w) * C + c] = data[((n * C + c) * H + h) * W + w];
  return out;
}

/** Reorders a flat NHWC batch to `layout`. */
export function nhwcToFlat(data: ArrayLike<number>, nhwc: readonly number[], layout: Layout): number[] {
  checkSize(data, nhwc);
  if (layout === 'NHWC') return Array.from(data);
  const [N, H, W, C] = nhwc;
  const out = new Array<number>(N * H * W * C);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) out[((n * C + c) * H + h) * W + w] = data[((n * H + h) * W + w) * C + c];
  return out;
}

function checkSize(data: ArrayLike<number>, shape: readonly number[]): void {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new ShapeError(`array has ${data.length} values, expected ${size} for shape [${shape.join(', ')}]`);
}
