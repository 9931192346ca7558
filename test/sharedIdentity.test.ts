import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { sharedIdentityOn, useSharedIdentity } from '../src/lib/backend/sharedIdentity.js';
import { TINY_TEST, type UNetConfig } from '../src/lib/models/unet/config.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { createTrainState, disposeTrainState, trainStep, type TrainState } from '../src/lib/training/trainer.js';

const SMALL_28: UNetConfig = { ...TINY_TEST, imageShape: [28, 28, 1] };
const subset = loadBenchmarkSubset();
const data = { count: subset.count, pixels: subset.pixels };
const hyper = { batchSize: 4, lr: 3e-3, warmupSteps: 1, emaDecay: 0.99, gradClip: 1, seed: 3 };

function train(steps: number): { s: TrainState; losses: number[] } {
  const s = createTrainState(SMALL_28, hyper);
  const losses = Array.from({ length: steps }, () => trainStep(s, data, linearSchedule()));
  return { s, losses };
}

beforeAll(async () => {
  setThreadsCount(1);
  await useNodeBackend('wasm');
});
afterAll(() => useSharedIdentity(false));

describe('shared Identity on wasm (training speed-up: saved tensors are not copied)', () => {
  it('a clone shares its buffer, keeps its values when the original is disposed, and frees it with the last reference', () => {
    useSharedIdentity(true);
    expect(sharedIdentityOn()).toBe(true);
    const bytes = tf.memory().numBytes;
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.memory().numBytes).toBe(bytes);
    useSharedIdentity(false);
    expect(sharedIdentityOn()).toBe(false);
    useSharedIdentity(false); // idempotent
  });

  it('training with it gives bit-identical losses, weights, EMA and Adam moments, and leaks nothing', () => {
    useSharedIdentity(false);
    const copy = train(3);
    useSharedIdentity(true);
    const tensors = tf.memory().numTensors;
    const shared = train(3);
    expect(shared.losses).toEqual(copy.losses);
    for (const k of Object.keys(copy.s.params)) {
      expect(shared.s.params[k].dataSync()).toEqual(copy.s.params[k].dataSync());
      expect(shared.s.ema[k].dataSync()).toEqual(copy.s.ema[k].dataSync());
      expect(shared.s.adam.m[k].dataSync()).toEqual(copy.s.adam.m[k].dataSync());
    }
    disposeTrainState(shared.s);
    expect(tf.memory().numTensors).toBe(tensors);
    useSharedIdentity(false);
    disposeTrainState(copy.s);
  });
});
