import * as tf from '@tensorflow/tfjs-core';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { classify, disposeClassifier, FASHION_CLASSIFIER_SHAPE, initClassifier } from '../src/lib/quality/classifier.js';
import { frechetDistance, gaussianStats } from '../src/lib/quality/frechet.js';
import { fitPixelGaussian } from '../src/lib/models/pixelGaussian.js';
import { sampleDiagonalGaussian } from '../src/lib/quality/naiveGaussian.js';
import { gaussianArray } from '../src/lib/random/prng.js';

describe('quality-bar tools', () => {
  it('Fréchet distance matches the closed form for diagonal Gaussians', () => {
    const a = { mean: Float64Array.from([0, 1, 2]), cov: Matrix.diag([1, 4, 9]), n: 10 };
    const b = { mean: Float64Array.from([1, 1, 0]), cov: Matrix.diag([4, 4, 1]), n: 10 };
    // |mu1 - mu2|^2 + sum (sigma1 - sigma2)^2 = (1 + 0 + 4) + (1 + 0 + 4)
    expect(frechetDistance(a, b)).toBeCloseTo(10, 8);
    expect(frechetDistance(a, a)).toBeCloseTo(0, 8);
  });

  it('Fréchet distance of a rotated full covariance equals that of its diagonal form', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const r = new Matrix([
      [c, -s],
      [s, c],
    ]);
    const rot = (d: number[]) => r.mmul(Matrix.diag(d)).mmul(r.transpose());
    const a = { mean: Float64Array.from([0, 0]), cov: rot([1, 9]), n: 2 };
    const b = { mean: Float64Array.from([0, 0]), cov: rot([4, 1]), n: 2 };
    expect(frechetDistance(a, b)).toBeCloseTo(1 + 4, 8);
  });

  it('sample statistics recover a known mean and covariance', () => {
    const n = 4000;
    const z = gaussianArray(2 * n, 3);
    for (let i = 0; i < n; i++) {
      z[2 * i] = 1 + 2 * z[2 * i];
      z[2 * i + 1] = -1 + 0.5 * z[2 * i + 1];
    }
    const st = gaussianStats(z, n, 2);
    expect(st.mean[0]).toBeCloseTo(1, 1);
    expect(st.cov.get(0, 0)).toBeCloseTo(4, 0);
    expect(Math.abs(st.cov.get(0, 1))).toBeLessThan(0.1);
  });

  it('the diagonal Gaussian prior fits per-pixel moments and samples inside [-1, 1]', () => {
    const pixels = Float32Array.from([-1, 1, 1, 1]); // 2 images x 2 pixels
    const g = fitPixelGaussian(pixels, 2);
    expect(Array.from(g.mean)).toEqual([0, 1]);
    expect(Array.from(g.variance)).toEqual([1, 0]);
    expect(Array.from(fitPixelGaussian(pixels, 2, 0.01).variance)).toEqual([1, Math.fround(0.01)]);
    const s = sampleDiagonalGaussian(g, 50, 1);
    expect(Math.min(...s)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...s)).toBeLessThanOrEqual(1);
  });

  it('the classifier maps [B,28,28,1] to 10 logits and 128 non-negative features', () => {
    const p = initClassifier(FASHION_CLASSIFIER_SHAPE, 1);
    tf.tidy(() => {
      const r = classify(p, tf.tensor4d(gaussianArray(2 * 784, 2), [2, 28, 28, 1]));
      expect(r.logits.shape).toEqual([2, 10]);
      expect(r.features.shape).toEqual([2, 128]);
      expect(tf.min(r.features).dataSync()[0]).toBeGreaterThanOrEqual(0);
    });
    disposeClassifier(p);
  });
});
