import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { TINY_TEST, type UNetConfig } from '../src/lib/models/unet/config.js';
import { unetForward } from '../src/lib/models/unet/unetForward.js';
import { childSeed, gaussianArray } from '../src/lib/random/prng.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { adamUpdate, createAdamState } from '../src/lib/optim/adam.js';
import { drawBatch } from '../src/lib/training/batches.js';
import { decodeCheckpoint, encodeCheckpoint } from '../src/lib/training/checkpoint.js';
import { emaDecayAt, emaUpdate } from '../src/lib/training/ema.js';
import { epsMse, noisyImages } from '../src/lib/training/epsLoss.js';
import { formatDuration, formatProgress } from '../src/lib/training/progress.js';
import { createTrainState, disposeTrainState, shardGradients, trainStep, type TrainState } from '../src/lib/training/trainer.js';

/** Narrow UNet on the real 28x28 images: fast enough for the cpu backend. */
const SMALL_28: UNetConfig = { ...TINY_TEST, imageShape: [28, 28, 1] };
const schedule = linearSchedule();
const subset = loadBenchmarkSubset();
const data = { count: subset.count, pixels: subset.pixels };
const hyper = { batchSize: 8, lr: 3e-3, warmupSteps: 1, emaDecay: 0.99, gradClip: 1, seed: 11 };

/** Loss of the current parameters on one fixed batch (same images, t and noise every call). */
function fixedBatchLoss(s: TrainState): number {
  return tf.tidy(() => {
    const d = drawBatch(999, 0, 16, data.count, 1000, 784);
    const x0 = tf.tensor4d(
      Float32Array.from(d.indices.flatMap((i) => Array.from(data.pixels.subarray(i * 784, (i + 1) * 784), (v) => v / 127.5 - 1))),
      [16, 28, 28, 1],
    );
    const eps = tf.tensor4d(d.noise, [16, 28, 28, 1]);
    const xt = noisyImages(schedule, x0, d.t, eps);
    return epsMse(unetForward(SMALL_28, s.params, xt, d.t), eps).dataSync()[0];
  });
}

// Training runs on wasm (one thread), the backend `npm run train` uses: the pure-JS cpu backend
// needs ~4 s per step even for this narrow UNet. Gradient correctness is checked on cpu in
// unetGradients.test.ts.
beforeAll(async () => {
  setThreadsCount(1);
  await useNodeBackend('wasm');
});

describe('training', () => {
  it('20 steps on the benchmark subset lower the loss on a fixed batch and leak nothing', () => {
    const s = createTrainState(SMALL_28, hyper);
    const before = fixedBatchLoss(s);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) trainStep(s, data, schedule);
    expect(tf.memory().numTensors).toBe(tensors);
    const after = fixedBatchLoss(s);
    expect(before).toBeGreaterThan(0.9); // zero-initialised output: eps_theta = 0, loss = E[eps^2]
    expect(after).toBeLessThan(0.75 * before);
    expect(s.lossCurve).toEqual([]); // window of 50 not reached
    expect(s.step).toBe(20);
    disposeTrainState(s);
  });

  it('resuming from a checkpoint reproduces the uninterrupted run bit for bit', async () => {
    const straight = createTrainState(SMALL_28, hyper, 2);
    for (let i = 0; i < 4; i++) trainStep(straight, data, schedule);
    const first = createTrainState(SMALL_28, hyper, 2);
    for (let i = 0; i < 2; i++) trainStep(first, data, schedule);
    const resumed = await decodeCheckpoint(await encodeCheckpoint(first));
    disposeTrainState(first);
    expect(resumed.step).toBe(2);
    for (let i = 0; i < 2; i++) trainStep(resumed, data, schedule);
    for (const k of Object.keys(straight.params)) {
      expect(resumed.params[k].dataSync()).toEqual(straight.params[k].dataSync());
      expect(resumed.ema[k].dataSync()).toEqual(straight.ema[k].dataSync());
    }
    expect(resumed.lossCurve).toEqual(straight.lossCurve);
    expect(resumed.adam.t).toBe(4);
    disposeTrainState(straight);
    disposeTrainState(resumed);
  });

  it('a cool-down is kept in the checkpoint, and once it reaches 0 a step moves no parameter', async () => {
    const cooled = createTrainState(SMALL_28, { ...hyper, cooldown: { from: 1, to: 2 } }, 2);
    for (let i = 0; i < 2; i++) trainStep(cooled, data, schedule);
    const resumed = await decodeCheckpoint(await encodeCheckpoint(cooled));
    disposeTrainState(cooled);
    expect(resumed.hyper.cooldown).toEqual({ from: 1, to: 2 });
    const before = Object.fromEntries(Object.entries(resumed.params).map(([k, t]) => [k, t.dataSync().slice()]));
    trainStep(resumed, data, schedule);
    for (const k of Object.keys(before)) expect(resumed.params[k].dataSync()).toEqual(before[k]);
    disposeTrainState(resumed);
  });

  it('a step that fails inside the network frees its batch and what its tape saved', () => {
    const s = createTrainState(SMALL_28, hyper);
    const names = Object.keys(s.params);
    // The output convolution gets a weight of the wrong shape: the forward pass fails at its end.
    const last = names.filter((n) => n.startsWith('out.conv')).find((n) => s.params[n].rank === 4)!;
    const broken = { ...s.params, [last]: tf.zeros([1]) };
    const before = tf.memory().numTensors;
    expect(() => shardGradients(SMALL_28, hyper, 0, broken, data, schedule, { start: 0, end: hyper.batchSize })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    broken[last].dispose();
    disposeTrainState(s);
  });

  it('checkpoints refuse to load as another kind of file', async () => {
    const s = createTrainState(SMALL_28, hyper);
    const bytes = await encodeCheckpoint(s);
    disposeTrainState(s);
    const { decodeUNet } = await import('../src/lib/models/weights/unetWeights.js');
    await expect(decodeUNet(bytes)).rejects.toThrow(/kind is 'unet-train-checkpoint', expected 'unet-eps'/);
  });

  it('Adam takes a bias-corrected first step of size lr in the gradient sign', () => {
    const p = { w: tf.tensor1d([1, -2]) };
    const g = { w: tf.tensor1d([0.3, -5]) };
    const st = createAdamState(p);
    adamUpdate(p, g, st, { lr: 0.1 });
    const got = Array.from(p.w.dataSync());
    expect(got[0]).toBeCloseTo(0.9, 5);
    expect(got[1]).toBeCloseTo(-1.9, 5);
    tf.dispose([p.w, g.w, st.m.w, st.v.w]);
  });

  it('EMA warms up and then decays at the configured rate', () => {
    expect(emaDecayAt(0, 0.999)).toBeCloseTo(0.1, 10);
    expect(emaDecayAt(100000, 0.999)).toBe(0.999);
    const ema = { w: tf.tensor1d([0]) };
    const p = { w: tf.tensor1d([1]) };
    emaUpdate(ema, p, 0.75);
    expect(ema.w.dataSync()[0]).toBeCloseTo(0.25, 6);
    tf.dispose([ema.w, p.w]);
  });

  it('batches are a pure function of (seed, step)', () => {
    const a = drawBatch(3, 17, 4, 100, 1000, 10);
    expect(drawBatch(3, 17, 4, 100, 1000, 10)).toEqual(a);
    expect(drawBatch(3, 18, 4, 100, 1000, 10).indices).not.toEqual(a.indices);
    expect(a.t.every((t) => Number.isInteger(t) && t >= 0 && t < 1000)).toBe(true);
    expect(a.noise).toEqual(gaussianArray(40, childSeed(3, 2 * 17 + 1)));
  });

  it('progress lines show loss, throughput and ETA', () => {
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3700)).toBe('1h01m');
    const line = formatProgress({ step: 50, totalSteps: 100, loss: 0.12345, imagesPerSec: 16, batchSize: 32 });
    expect(line).toBe('[##########..........] step 50/100 loss 0.1235 16.0 img/s ETA 1m40s');
  });
});
