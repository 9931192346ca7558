/** PSNR in dB for images in [-1, 1] (peak-to-peak 2), after clipping the estimate to that range. */
export function psnr(estimate: ArrayLike<number>, truth: ArrayLike<number>): number {
  let se = 0;
  for (let i = 0; i < truth.length; i++) {
    const e = Math.min(1, Math.max(-1, estimate[i])) - truth[i];
    se += e * e;
  }
  const mse = se / truth.length;
  return mse === 0 ? Infinity : 10 * Math.log10(4 / mse);
}

export { maxAbsDiff } from '../bench/vectorStats.js';
