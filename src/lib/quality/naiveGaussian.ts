import { gaussianArray } from '../random/prng.js';

/**
 * The naive prior of the quality bar: independent Gaussians per pixel fitted to training images
 * (values in [-1, 1]); samples are clipped to [-1, 1] like model samples.
 */
export interface DiagonalGaussian {
  mean: Float32Array;
  std: Float32Array;
}

export function fitDiagonalGaussian(pixels: Uint8Array, count: number, size: number): DiagonalGaussian {
  const s1 = new Float64Array(size);
  const s2 = new Float64Array(size);
  for (let i = 0; i < count; i++)
    for (let j = 0; j < size; j++) {
      const v = pixels[i * size + j] / 127.5 - 1;
      s1[j] += v;
      s2[j] += v * v;
    }
  const mean = new Float32Array(size);
  const std = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    mean[j] = s1[j] / count;
    std[j] = Math.sqrt(Math.max(s2[j] / count - mean[j] ** 2, 0));
  }
  return { mean, std };
}

export function sampleDiagonalGaussian(g: DiagonalGaussian, count: number, seed: number): Float32Array {
  const size = g.mean.length;
  const z = gaussianArray(count * size, seed);
  for (let i = 0; i < count; i++)
    for (let j = 0; j < size; j++) z[i * size + j] = Math.max(-1, Math.min(1, g.mean[j] + g.std[j] * z[i * size + j]));
  return z;
}
