import type { PixelGaussian } from '../models/pixelGaussian.js';
import { gaussianArray } from '../random/prng.js';

/**
 * Samples of the quality bar's naive prior: independent Gaussians per pixel (fitted with
 * models/pixelGaussian.ts, no variance floor), clipped to [-1, 1] like model samples.
 */
export function sampleDiagonalGaussian(g: PixelGaussian, count: number, seed: number): Float32Array {
  const size = g.mean.length;
  const z = gaussianArray(count * size, seed);
  for (let i = 0; i < count; i++)
    for (let j = 0; j < size; j++) z[i * size + j] = Math.max(-1, Math.min(1, g.mean[j] + Math.sqrt(g.variance[j]) * z[i * size + j]));
  return z;
}
