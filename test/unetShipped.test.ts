import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { deqRestore } from '../src/lib/deq/deqRestore.js';
import { FASHION_SMALL } from '../src/lib/models/unet/config.js';
import type { UNetEpsModel } from '../src/lib/models/unet/unetModel.js';
import { decodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { fileSha256 } from '../src/lib/node/provenance.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { prepareRestoration } from '../src/lib/samplers/preparedRestoration.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';

// The shipped prior, end to end: file -> model -> one small DeqIR restoration (SR x4).
// Runs on wasm with one thread: the full-size UNet is too slow for the pure-JS cpu backend.
let model: UNetEpsModel;
let metadata: Record<string, string>;
beforeAll(async () => {
  setThreadsCount(1);
  await useNodeBackend('wasm');
  ({ model, metadata } = await decodeUNet(new Uint8Array(readFileSync('models/fashion-unet-small.safetensors'))));
});
afterAll(() => model?.dispose());

describe('shipped Fashion-MNIST UNet', () => {
  it('loads with the shipped config and its training metadata', () => {
    expect(model.config).toEqual(FASHION_SMALL);
    expect(Number(metadata.steps)).toBeGreaterThan(0);
    const card = JSON.parse(readFileSync('models/fashion-unet-small.card.json', 'utf8'));
    expect(card.params).toBe(Object.values(model.params).reduce((a, t) => a + t.size, 0));
  });

  it('has a model card that describes these weights: steps, sha256 and every quality record', () => {
    const card = JSON.parse(readFileSync('models/fashion-unet-small.card.json', 'utf8'));
    const sha = fileSha256('models/fashion-unet-small.safetensors');
    expect(card.weightsSha256).toBe(sha);
    expect(card.training.steps).toBe(Number(metadata.steps));
    // Quality figures measured on other weights must never sit on this card.
    if (card.quality?.fdCls) expect(card.quality.weightsSha256).toBe(sha);
    if (typeof card.quality?.restorationSanity === 'object') expect(card.quality.restorationSanity.weightsSha256).toBe(sha);
  });

  it('predicts noise: on x_t of a test image its eps error beats predicting zero', () => {
    const sub = loadBenchmarkSubset();
    const t = 500;
    const abar = linearSchedule().abar(t);
    const [err, base] = tf.tidy(() => {
      const x0 = tf.tensor4d(toSignedUnit(sub, [0, 1, 2, 3]), [4, 28, 28, 1]);
      const eps = tf.tensor4d(gaussianArray(4 * 784, 5), [4, 28, 28, 1]);
      const xt = tf.add(tf.mul(x0, Math.sqrt(abar)), tf.mul(eps, Math.sqrt(1 - abar))) as tf.Tensor4D;
      const pred = model.eps(xt, [t, t, t, t]);
      return [tf.mean(tf.squaredDifference(pred, eps)).dataSync()[0], tf.mean(tf.square(eps)).dataSync()[0]];
    });
    expect(err).toBeLessThan(0.5 * base);
  });

  it('runs DeqIR (Picard, T = 5) on SR x4 and reproduces the serial chain', async () => {
    const sub = loadBenchmarkSubset();
    const operator = createOperator({ kind: 'sr-avgpool', factor: 4 }, [28, 28, 1]);
    const x = tf.tensor4d(toSignedUnit(sub, [7]), [1, 28, 28, 1]);
    const y = operator.A(x);
    const xT = tf.tensor4d(gaussianArray(784, 9), [1, 28, 28, 1]);
    const task = prepareRestoration({ model, operator, y, xT, sampling: { T: 5 } });
    const serial = await serialChain(task);
    const deq = await deqRestore(task, { kind: 'picard', tol: 0, maxIter: 5 });
    const [diff, finite] = tf.tidy(() => [
      tf.max(tf.abs(tf.sub(serial.x0, deq.x0))).dataSync()[0],
      tf.all(tf.isFinite(deq.x0)).dataSync()[0],
    ]);
    expect(finite).toBe(1);
    expect(diff).toBeLessThan(1e-3);
    tf.dispose([x, y, xT, serial.x0, deq.x0]);
    task.dispose();
    operator.dispose();
  });
});
