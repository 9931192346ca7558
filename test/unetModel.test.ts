import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DeqirError } from '../src/lib/errors.js';
import { FASHION_SMALL, TINY_TEST, validateUNetConfig, type UNetConfig } from '../src/lib/models/unet/config.js';
import { unetComplexity } from '../src/lib/models/unet/complexity.js';
import { countParams, initParams, unetParamSpecs } from '../src/lib/models/unet/params.js';
import { timestepEmbedding } from '../src/lib/models/unet/timestepEmbedding.js';
import { UNetEpsModel } from '../src/lib/models/unet/unetModel.js';
import { unetForward } from '../src/lib/models/unet/unetForward.js';
import { gaussianArray } from '../src/lib/random/prng.js';

const input = (b: number, cfg: UNetConfig, seed: number) =>
  tf.tensor4d(gaussianArray(b * cfg.imageShape.reduce((x, y) => x * y, 1), seed), [b, ...cfg.imageShape]);

/** Same config with non-zero residual outputs, so the output depends on every layer. */
function randomisedParams(cfg: UNetConfig, seed: number) {
  const p = initParams(cfg, seed);
  for (const s of unetParamSpecs(cfg)) {
    if (s.init.kind === 'zeros' && s.name.endsWith('.w')) {
      p[s.name].dispose();
      const n = s.shape.reduce((a, b) => a * b, 1);
      p[s.name] = tf.mul(tf.tensor(gaussianArray(n, seed + n), s.shape as number[]), 0.1);
    }
  }
  return p;
}

describe('UNet eps-model', () => {
  it('maps [B,H,W,C] to finite values of the same shape and leaks no tensors', () => {
    const model = new UNetEpsModel(TINY_TEST, randomisedParams(TINY_TEST, 3));
    const x = input(3, TINY_TEST, 1);
    const before = tf.memory().numTensors;
    const y = model.eps(x, [0, 500, 999]);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.shape).toEqual([3, 8, 8, 1]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expect(tf.moments(y).variance.dataSync()[0]).toBeGreaterThan(1e-6);
    y.dispose();
    x.dispose();
    model.dispose();
  });

  it('is deterministic for a seed and differs across seeds and timesteps', () => {
    const run = (seed: number, t: number[]) => {
      const m = new UNetEpsModel(TINY_TEST, randomisedParams(TINY_TEST, seed));
      const x = input(2, TINY_TEST, 7);
      const y = m.eps(x, t);
      const out = y.dataSync().slice();
      tf.dispose([x, y]);
      m.dispose();
      return out;
    };
    const a = run(5, [10, 20]);
    expect(run(5, [10, 20])).toEqual(a);
    expect(run(6, [10, 20])).not.toEqual(a);
    expect(run(5, [900, 20])).not.toEqual(a);
  });

  it('treats each batch entry independently (batching does not mix images)', () => {
    const m = new UNetEpsModel(TINY_TEST, randomisedParams(TINY_TEST, 2));
    const x = input(3, TINY_TEST, 9);
    const all = m.eps(x, [1, 400, 800]);
    const one = tf.slice(x, [1, 0, 0, 0], [1, 8, 8, 1]);
    const single = m.eps(one, [400]);
    const diff = tf.max(tf.abs(tf.sub(tf.slice(all, [1, 0, 0, 0], [1, 8, 8, 1]), single))).dataSync()[0];
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([x, all, one, single]);
    m.dispose();
  });

  it('refuses images of the wrong shape and mismatched timesteps', () => {
    const m = new UNetEpsModel(TINY_TEST, initParams(TINY_TEST, 1));
    const bad = tf.zeros([1, 6, 8, 1]) as tf.Tensor4D;
    expect(() => m.eps(bad, [0])).toThrow(/expects images \[B,8,8,1\]/);
    const ok = tf.zeros([2, 8, 8, 1]) as tf.Tensor4D;
    expect(() => m.eps(ok, [0])).toThrow(/1 timesteps for a batch of 2/);
    tf.dispose([bad, ok]);
    m.dispose();
  });

  it('rejects inconsistent configs with a message naming the problem', () => {
    expect(() => validateUNetConfig({ ...TINY_TEST, channels: [8, 10] })).toThrow(/10 must be a positive multiple of groups=4/);
    expect(() => validateUNetConfig({ ...TINY_TEST, imageShape: [7, 8, 1] })).toThrow(/cannot be halved/);
    expect(() => validateUNetConfig({ ...TINY_TEST, attentionLevels: [3] })).toThrow(DeqirError);
  });

  it('counts parameters from the specs and FLOPs from a forward pass', () => {
    const p = initParams(FASHION_SMALL, 1);
    const c = unetComplexity(FASHION_SMALL, p);
    const total = Object.values(p).reduce((a, t) => a + t.size, 0);
    expect(c.params).toBe(total);
    expect(countParams(FASHION_SMALL)).toBe(total);
    // conv_in alone: 28*28 pixels x 9 taps x 1 x 32 channels.
    expect(c.macsPerImage).toBeGreaterThan(28 * 28 * 9 * 32);
    expect(c.flopsPerImage).toBe(2 * c.macsPerImage);
    Object.values(p).forEach((t) => t.dispose());
  });

  it('timestep embedding is sin/cos of t times geometric frequencies', () => {
    const e = timestepEmbedding([0, 3], 8);
    expect(Array.from(e.slice(0, 8))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(e[8]).toBeCloseTo(Math.sin(3), 6);
    expect(e[8 + 3]).toBeCloseTo(Math.sin(3 * 1e-4), 6);
    expect(e[8 + 4]).toBeCloseTo(Math.cos(3), 6);
  });

  it('gives every parameter a gradient (specs and forward walk agree)', () => {
    const p = randomisedParams(TINY_TEST, 4);
    const names = Object.keys(p);
    tf.tidy(() => {
      const x = input(2, TINY_TEST, 3);
      const grads = tf.grads((...ts: tf.Tensor[]) => {
        const q: Record<string, tf.Tensor> = {};
        names.forEach((n, i) => (q[n] = ts[i]));
        return tf.mean(tf.square(unetForward(TINY_TEST, q, x, [5, 600])));
      })(names.map((n) => p[n]));
      const zero = names.filter((n, i) => tf.max(tf.abs(grads[i])).dataSync()[0] === 0);
      expect(zero).toEqual([]);
    });
    Object.values(p).forEach((t) => t.dispose());
  });
});
