import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { ParameterError } from '../src/lib/errors.js';
import { TINY_TEST, type UNetConfig } from '../src/lib/models/unet/config.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { paramLayout, readFlat, writeFlat } from '../src/lib/node/parallelTraining/paramLayout.js';
import { startParallelTrainer } from '../src/lib/node/parallelTraining/parallelTrainer.js';
import { splitBatch } from '../src/lib/node/parallelTraining/shards.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { createTrainState, disposeTrainState, trainStep, type TrainState } from '../src/lib/training/trainer.js';

// Dropout on, so the test also covers the shards' masks being the unsharded step's masks.
const SMALL_28: UNetConfig = { ...TINY_TEST, imageShape: [28, 28, 1], dropout: 0.2 };
const subset = loadBenchmarkSubset();
const data = { count: subset.count, pixels: subset.pixels };
const hyper = { batchSize: 5, lr: 3e-3, warmupSteps: 1, emaDecay: 0.9, gradClip: 1, seed: 11 };
const schedule = linearSchedule();

beforeAll(async () => {
  setThreadsCount(1);
  await useNodeBackend('wasm');
});

function maxAbsDiff(a: TrainState, b: TrainState, key: 'params' | 'ema'): number {
  let worst = 0;
  for (const k of Object.keys(a[key])) {
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a[key][k], b[key][k]))).dataSync()[0]);
    worst = Math.max(worst, d);
  }
  return worst;
}

describe('data-parallel training (npm run train -- --workers N)', () => {
  it('splits a batch into contiguous shards that cover it, sizes differing by at most one', () => {
    expect(splitBatch(5, 1)).toEqual([{ start: 0, end: 5 }]);
    expect(splitBatch(5, 2)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 5 },
    ]);
    expect(splitBatch(32, 3).map((s) => s.end - s.start)).toEqual([11, 11, 10]);
    expect(() => splitBatch(4, 5)).toThrow(ParameterError);
    expect(() => splitBatch(4, 0)).toThrow(/workers must be an integer >= 1/);
  });

  it('flattens parameters into one array and back without changing a value', () => {
    const s = createTrainState(SMALL_28, hyper);
    const layout = paramLayout(s.params);
    const flat = new Float32Array(layout.size);
    writeFlat(
      layout,
      layout.names.map((n) => s.params[n]),
      flat,
    );
    const back = readFlat(layout, flat);
    back.forEach((t, i) => {
      expect(t.shape).toEqual(s.params[layout.names[i]].shape);
      expect(Array.from(t.dataSync())).toEqual(Array.from(s.params[layout.names[i]].dataSync()));
    });
    back.forEach((t) => t.dispose());
    disposeTrainState(s);
  });

  it('a step on three shards in three threads equals the single-thread step (losses, weights, EMA), and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const single = createTrainState(SMALL_28, hyper);
    const sharded = createTrainState(SMALL_28, hyper);
    const trainer = await startParallelTrainer(sharded, data, schedule, 3);
    try {
      for (let i = 0; i < 3; i++) {
        const a = trainStep(single, data, schedule);
        const b = await trainer.step();
        expect(Math.abs(a - b)).toBeLessThan(1e-5 * Math.abs(a));
      }
    } finally {
      await trainer.close();
    }
    expect(sharded.step).toBe(3);
    expect(sharded.adam.t).toBe(3);
    expect(maxAbsDiff(single, sharded, 'params')).toBeLessThan(1e-5);
    expect(maxAbsDiff(single, sharded, 'ema')).toBeLessThan(1e-5);
    expect(sharded.lossCurve).toHaveLength(single.lossCurve.length);
    disposeTrainState(single);
    disposeTrainState(sharded);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a worker that is gone fails the step with an error instead of hanging, and leaves no tensors', async () => {
    const before = tf.memory().numTensors;
    const s = createTrainState(SMALL_28, hyper);
    const trainer = await startParallelTrainer(s, data, schedule, 2);
    await trainer.close();
    await expect(trainer.step()).rejects.toThrow(/shard worker 3\.\.5 exited/);
    expect(s.step).toBe(0);
    disposeTrainState(s);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses more workers than images in a batch before starting any thread', async () => {
    const s = createTrainState(SMALL_28, hyper);
    await expect(startParallelTrainer(s, data, schedule, 6)).rejects.toThrow(ParameterError);
    disposeTrainState(s);
  });
});
