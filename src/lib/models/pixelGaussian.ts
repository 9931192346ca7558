/**
 * The kit's one per-pixel Gaussian fit: mean and variance of each pixel over a set of images in
 * [-1, 1], accumulated in float64. It serves the diagonal Gaussian prior (the site's fallback, the
 * solver and gradient benchmarks) and the naive baseline of the quality bar. Browser-safe (no TF.js).
 */
export interface PixelGaussian {
  mean: Float32Array;
  variance: Float32Array;
}

/**
 * Variance floor of the Gaussian PRIOR: Fashion-MNIST's corner pixels are always -1 (variance 0),
 * and the prior's eps divides by (abar var + 1 - abar), which at small t needs var > 0 to stay tame.
 * The naive baseline samples with the fitted variance as is (floor 0).
 */
export const PRIOR_VARIANCE_FLOOR = 1e-2;

/** Fits `count` images held back to back in `images` (each of images.length / count values). */
export function fitPixelGaussian(images: ArrayLike<number>, count: number, varianceFloor = 0): PixelGaussian {
  const D = images.length / count;
  const s1 = new Float64Array(D);
  const s2 = new Float64Array(D);
  for (let i = 0; i < count; i++)
    for (let j = 0; j < D; j++) {
      const v = images[i * D + j];
      s1[j] += v;
      s2[j] += v * v;
    }
  const mean = new Float32Array(D);
  const variance = new Float32Array(D);
  for (let j = 0; j < D; j++) {
    const m = s1[j] / count;
    mean[j] = m;
    variance[j] = Math.max(varianceFloor, s2[j] / count - m * m);
  }
  return { mean, variance };
}
