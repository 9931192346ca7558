import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { TINY_TEST } from '../src/lib/models/unet/config.js';
import { conv2dSame } from '../src/lib/models/unet/fastGrads.js';
import { initParams, unetParamSpecs, type Params } from '../src/lib/models/unet/params.js';
import { unetForward } from '../src/lib/models/unet/unetForward.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { TEST_BACKEND } from './support/tfSetup.js';

// Training runs on wasm, gradients are checked on cpu: this pins wasm to the cpu numbers for the
// UNet forward and for the fast conv gradients (same JS-drawn inputs on both backends).

const arr = (shape: number[], seed: number) =>
  gaussianArray(
    shape.reduce((a, b) => a * b, 1),
    seed,
  );

function runOn(backend: 'cpu' | 'wasm', fn: () => Float32Array[]): Promise<Float32Array[]> {
  return (async () => {
    if (backend === 'wasm') setThreadsCount(1);
    await useNodeBackend(backend);
    return tf.tidy(fn);
  })();
}

function forward(): Float32Array[] {
  const p: Params = {};
  const init = initParams(TINY_TEST, 3);
  unetParamSpecs(TINY_TEST).forEach((s, i) => {
    p[s.name] = tf.tensor(arr(s.shape as number[], 100 + i), s.shape as number[]);
    init[s.name].dispose();
  });
  const x = tf.tensor4d(arr([2, 8, 8, 1], 1), [2, 8, 8, 1]);
  return [unetForward(TINY_TEST, p, x, [3, 800]).dataSync() as Float32Array];
}

function convGrads(): Float32Array[] {
  const x = tf.tensor4d(arr([2, 6, 5, 3], 4), [2, 6, 5, 3]);
  const w = tf.tensor4d(arr([3, 3, 3, 4], 5), [3, 3, 3, 4]);
  const b = tf.tensor1d(arr([4], 6));
  const dy = tf.tensor4d(arr([2, 6, 5, 4], 7), [2, 6, 5, 4]);
  return tf
    .grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => conv2dSame(xx as tf.Tensor4D, ww as tf.Tensor4D, bb as tf.Tensor1D))(
      [x, w, b],
      dy,
    )
    .map((g) => g.dataSync() as Float32Array);
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

afterAll(async () => {
  await useNodeBackend(TEST_BACKEND);
});

describe('UNet on wasm agrees with cpu', () => {
  it('forward outputs agree within 1e-4', async () => {
    const [c] = await runOn('cpu', forward);
    const [w] = await runOn('wasm', forward);
    expect(c.length).toBe(128);
    expect(maxAbs(c, w)).toBeLessThan(1e-4);
  });

  it('fast conv gradients agree within 1e-4', async () => {
    const c = await runOn('cpu', convGrads);
    const w = await runOn('wasm', convGrads);
    c.forEach((g, i) => expect(maxAbs(g, w[i])).toBeLessThan(1e-4));
  });
});
