import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { TINY_TEST, type UNetConfig } from '../src/lib/models/unet/config.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { profileTrainStep } from '../src/lib/training/stepProfile.js';
import { measureThroughput } from '../src/lib/training/throughput.js';
import { createTrainState, disposeTrainState, trainStep } from '../src/lib/training/trainer.js';

const SMALL_28: UNetConfig = { ...TINY_TEST, imageShape: [28, 28, 1] };
const subset = loadBenchmarkSubset();
const data = { count: subset.count, pixels: subset.pixels };
const hyper = { batchSize: 4, lr: 3e-3, warmupSteps: 1, emaDecay: 0.99, gradClip: 1, seed: 7 };
const schedule = linearSchedule();

beforeAll(async () => {
  setThreadsCount(1);
  await useNodeBackend('wasm');
});

describe('the training benchmark (npm run bench:train)', () => {
  it("times the steps after the warm-up, and its steps are the trainer's own (same losses)", async () => {
    const s = createTrainState(SMALL_28, hyper);
    const run = await measureThroughput(() => trainStep(s, data, schedule), s.hyper.batchSize, { warmup: 1, steps: 2 });
    const ref = createTrainState(SMALL_28, hyper);
    const losses = [0, 1, 2].map(() => trainStep(ref, data, schedule));
    expect(run.losses).toEqual(losses);
    expect(run.stepMs).toHaveLength(2);
    expect(s.step).toBe(3);
    const total = run.stepMs.reduce((a, b) => a + b, 0);
    expect(run.imagesPerSec).toBeCloseTo((2 * 4 * 1000) / total, -1);
    disposeTrainState(s);
    disposeTrainState(ref);
  });

  it('the step profile sums kernel time by kernel, splitting convolutions into 3x3 and filter gradients', async () => {
    const s = createTrainState(SMALL_28, hyper);
    const p = await profileTrainStep(s, data, schedule);
    const names = p.kernels.map((k) => k.kernel);
    expect(names).toContain('Conv2D (filter gradient)');
    expect(names).toContain('Conv2D (3x3: forward, input gradient)');
    expect(names).not.toContain('forward');
    expect(p.kernels.reduce((a, k) => a + k.share, 0)).toBeCloseTo(1, 2);
    expect(s.step).toBe(1);
    disposeTrainState(s);
  });
});
