import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { EMOJI_SUBSET } from '../src/lib/data/shippedSubset.js';
import { EMOJI_UNET } from '../src/lib/models/unet/config.js';
import type { UNetEpsModel } from '../src/lib/models/unet/unetModel.js';
import { decodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { fileSha256 } from '../src/lib/node/provenance.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';

// The shipped colour prior: the file, its card and its training record agree,
// and the weights have learnt something (they predict noise better than zero does).
const STEM = 'models/emoji-unet';
let model: UNetEpsModel;
let metadata: Record<string, string>;
beforeAll(async () => {
  setThreadsCount(1);
  await useNodeBackend('wasm');
  ({ model, metadata } = await decodeUNet(new Uint8Array(readFileSync(`${STEM}.safetensors`))));
});
afterAll(() => model?.dispose());

describe('shipped colour emoji UNet', () => {
  it('has the emoji config, and a card and training record describing these weights', () => {
    expect(model.config).toEqual(EMOJI_UNET);
    const card = JSON.parse(readFileSync(`${STEM}.card.json`, 'utf8'));
    const record = JSON.parse(readFileSync(`${STEM}.train.json`, 'utf8'));
    const sha = fileSha256(`${STEM}.safetensors`);
    expect(card.weightsSha256).toBe(sha);
    expect(card.training.steps).toBe(Number(metadata.steps));
    expect(record.steps).toBe(Number(metadata.steps));
    expect(card.params).toBe(Object.values(model.params).reduce((a, t) => a + t.size, 0));
    // A verdict on this card must have been measured on these weights.
    if (card.quality?.verdicts) expect(card.quality.verdicts.weightsSha256).toBe(sha);
  });

  it('predicts noise: on x_t of emoji test images its eps error beats predicting zero', () => {
    const sub = loadBenchmarkSubset('data', EMOJI_SUBSET);
    const t = 500;
    const abar = linearSchedule().abar(t);
    const shape: [number, number, number, number] = [4, 32, 32, 3];
    const [err, base] = tf.tidy(() => {
      const x0 = tf.tensor4d(toSignedUnit(sub, [0, 64, 128, 192]), shape);
      const eps = tf.tensor4d(gaussianArray(4 * 32 * 32 * 3, 5), shape);
      const xt = tf.add(tf.mul(x0, Math.sqrt(abar)), tf.mul(eps, Math.sqrt(1 - abar))) as tf.Tensor4D;
      const pred = model.eps(xt, [t, t, t, t]);
      return [tf.mean(tf.squaredDifference(pred, eps)).dataSync()[0], tf.mean(tf.square(eps)).dataSync()[0]];
    });
    expect(err).toBeLessThan(0.5 * base);
  });
});
