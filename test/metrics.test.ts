import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gaussianKernel } from '../src/lib/operators/matrices1d.js';
import { psnr } from '../src/lib/metrics/psnr.js';
import { ssim } from '../src/lib/metrics/ssim.js';
import { randomImages } from './support/fixtures.js';
import { expectNoLeak } from './support/tfSetup.js';

/** Wang et al.'s ssim.m written out with loops in float64, for one single-channel image. */
function ssimReference(a: Float32Array, b: Float32Array, H: number, W: number): number {
  const k = gaussianKernel(1.5, 11);
  const x = Array.from(a, (v) => (v + 1) / 2);
  const y = Array.from(b, (v) => (v + 1) / 2);
  let total = 0;
  for (let i = 0; i + 11 <= H; i++) {
    for (let j = 0; j + 11 <= W; j++) {
      let mx = 0,
        my = 0,
        xx = 0,
        yy = 0,
        xy = 0;
      for (let u = 0; u < 11; u++) {
        for (let v = 0; v < 11; v++) {
          const w = k[u] * k[v];
          const p = x[(i + u) * W + j + v];
          const q = y[(i + u) * W + j + v];
          mx += w * p;
          my += w * q;
          xx += w * p * p;
          yy += w * q * q;
          xy += w * p * q;
        }
      }
      const [C1, C2] = [1e-4, 9e-4];
      total += ((2 * mx * my + C1) * (2 * (xy - mx * my) + C2)) / ((mx * mx + my * my + C1) * (xx - mx * mx + yy - my * my + C2));
    }
  }
  return total / ((H - 10) * (W - 10));
}

describe('image quality metrics', () => {
  it('SSIM matches a direct float64 implementation of Wang et al. 2004 and is 1 for identical images', async () => {
    const a = tf.tidy(() => tf.tanh(randomImages(2, [14, 17, 1], 1))) as tf.Tensor4D;
    const b = tf.tidy(() => tf.clipByValue(tf.add(a, randomImages(2, [14, 17, 1], 2, 0.2)), -1, 1)) as tf.Tensor4D;
    const got = await expectNoLeak(() => ssim(a, b));
    const ad = a.dataSync() as Float32Array;
    const bd = b.dataSync() as Float32Array;
    const n = 14 * 17;
    for (let i = 0; i < 2; i++) {
      expect(got[i]).toBeCloseTo(ssimReference(ad.subarray(i * n, (i + 1) * n), bd.subarray(i * n, (i + 1) * n), 14, 17), 4);
    }
    ssim(a, a).forEach((v) => expect(v).toBeCloseTo(1, 5));
    expect(ssim(a, b)[0]).toBeLessThan(0.99);
    [a, b].forEach((t) => t.dispose());
  });
  it('SSIM refuses images smaller than its window or of different shapes', () => {
    const small = tf.zeros([1, 8, 8, 1]) as tf.Tensor4D;
    expect(() => ssim(small, small)).toThrow(/at least 11x11/);
    const other = tf.zeros([1, 12, 12, 1]) as tf.Tensor4D;
    const big = tf.zeros([1, 12, 13, 1]) as tf.Tensor4D;
    expect(() => ssim(other, big)).toThrow(/differ/);
    [small, other, big].forEach((t) => t.dispose());
  });
  it('PSNR uses the [-1, 1] range: an error of 0.2 everywhere is 20 dB', () => {
    const a = tf.zeros([1, 4, 4, 1]);
    const b = tf.fill([1, 4, 4, 1], 0.2);
    expect(psnr(a, b)).toBeCloseTo(20, 5);
    [a, b].forEach((t) => t.dispose());
  });
});
