import * as tf from '@tensorflow/tfjs-core';

/**
 * The kit's one PSNR. Images live in [-1, 1], so the peak-to-peak range is 2. The clipping rule
 * (shared with SSIM): the ESTIMATE is clipped to [-1, 1] first, as any saved or displayed image
 * would be; the reference is taken as is. Sums run in float64 on the CPU, so the CLI, the worker,
 * the loaders and the benchmarks give the same dB for the same pixels on every backend. A perfect
 * estimate gives 126.0 dB (MSE floored at 1e-12: finite, so results stay valid JSON).
 */
const PSNR_PEAK_TO_PEAK = 2;

export const clipToImageRange = (v: number) =>
  v < -1 ? -1
  : v > 1 ? 1
  : v;

/** PSNR in dB of `estimate` against `truth` (same length: one image, or any set of values). */
export function psnrOfArrays(estimate: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (estimate.length !== truth.length) throw new RangeError(`psnr: ${estimate.length} values against ${truth.length}`);
  let se = 0;
  for (let i = 0; i < truth.length; i++) {
    const e = clipToImageRange(estimate[i]) - truth[i];
    se += e * e;
  }
  return psnrOfMse(se / truth.length);
}

/** One PSNR per image of two batches [B, ...] held as flat arrays. */
export function psnrPerImageOfArrays(estimate: ArrayLike<number>, truth: ArrayLike<number>, batch: number): number[] {
  const D = truth.length / batch;
  const slice = (a: ArrayLike<number>, b: number) => Array.prototype.slice.call(a, b * D, (b + 1) * D) as number[];
  return Array.from({ length: batch }, (_, b) => psnrOfArrays(slice(estimate, b), slice(truth, b)));
}

/** PSNR over all values of two tensors (estimate first). Reads back synchronously. */
export function psnr(estimate: tf.Tensor, truth: tf.Tensor): number {
  return psnrOfArrays(estimate.dataSync(), truth.dataSync());
}

/** The same without a synchronous read-back (safe on WebGPU in a worker). */
export async function psnrAsync(estimate: tf.Tensor, truth: tf.Tensor): Promise<number> {
  return psnrOfArrays(await estimate.data(), await truth.data());
}

/** One PSNR per image of a batch [B, H, W, C]. */
export function psnrPerImage(estimate: tf.Tensor4D, truth: tf.Tensor4D): number[] {
  return psnrPerImageOfArrays(estimate.dataSync(), truth.dataSync(), truth.shape[0]);
}

export function psnrOfMse(mse: number): number {
  return 10 * Math.log10(PSNR_PEAK_TO_PEAK ** 2 / Math.max(mse, 1e-12));
}
