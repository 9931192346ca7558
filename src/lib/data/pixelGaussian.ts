/**
 * Per-pixel mean and variance of images in [-1, 1], for the diagonal Gaussian prior that stands in
 * when the UNet is unavailable. A variance floor keeps always-black corner pixels valid (> 0).
 */
export interface GaussianStats {
  mean: Float32Array;
  variance: Float32Array;
}

export function gaussianStats(images: Float32Array, count: number, floor = 1e-2): GaussianStats {
  const D = images.length / count;
  const mean = new Float32Array(D);
  const variance = new Float32Array(D);
  for (let j = 0; j < D; j++) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < count; i++) {
      const v = images[i * D + j];
      s1 += v;
      s2 += v * v;
    }
    mean[j] = s1 / count;
    variance[j] = Math.max(floor, s2 / count - mean[j] ** 2);
  }
  return { mean, variance };
}
