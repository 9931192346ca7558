import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/lib/browser/demoRun.js';
import { DEFAULT_SETTINGS } from '../../src/lib/browser/demoSettings.js';
import { loadPrior } from '../../src/lib/browser/loadPrior.js';
import { runToy, TOY_DEFAULT } from '../../src/lib/browser/toy2d.js';
import { runTrajectory } from '../../src/lib/browser/trajectoryRun.js';

/** The jobs the worker runs, here in Node on the test backend with the exact Gaussian prior. */
const D = 28 * 28;
const stats = { mean: new Float32Array(D).fill(-0.5), variance: new Float32Array(D).fill(0.2) };
const truth = Float32Array.from({ length: D }, (_, i) => Math.sin(i / 9) * 0.8);
const settings = { ...DEFAULT_SETTINGS, T: 4, maxIter: 4, prior: 'gaussian' as const };

describe('the worker jobs', () => {
  it('the demo agrees with the serial chain, counts NFE and depth, and frees its tensors', async () => {
    const prior = await loadPrior('gaussian', { unetBytes: () => Promise.reject(new Error('unused')), gaussian: stats });
    const before = tf.memory().numTensors;
    for (const task of ['sr', 'deblur', 'inpainting', 'cs', 'denoising'] as const) {
      const r = await runDemo(prior.model, { ...settings, task }, truth);
      expect(r.deq.maxAbsDiffToSerial).toBeLessThan(1e-3);
      expect(r.deq.nfe).toBe(4 * r.deq.iterations);
      expect(r.deq.sequentialDepth).toBe(r.deq.iterations);
      expect(r.serial).toMatchObject({ nfe: 4, sequentialDepth: 4 });
      expect(r.images.serial.data).toHaveLength(D);
    }
    expect(tf.memory().numTensors).toBe(before);
    prior.model.dispose?.();
  });

  it('falls back to the Gaussian prior, saying why, when the UNet cannot load', async () => {
    const prior = await loadPrior('auto', { unetBytes: () => Promise.resolve(new Uint8Array([1, 2, 3])), gaussian: stats });
    expect(prior.kind).toBe('gaussian');
    expect(prior.note).toMatch(/did not load/);
    prior.model.dispose?.();
  });

  it('Picard makes one more state exact per iteration in the trajectory grid', async () => {
    const prior = await loadPrior('gaussian', { unetBytes: () => Promise.reject(new Error('unused')), gaussian: stats });
    const grid = await runTrajectory(prior.model, { ...settings, init: 'xT', tol: 1e-9 }, truth, ['picard']);
    const err = grid.solvers.picard.errToSerial;
    expect(err).toHaveLength(4);
    err.forEach((row, i) => row.slice(0, i + 1).forEach((e) => expect(e).toBeLessThan(1e-3)));
    prior.model.dispose?.();
  });

  it('the 2-D toy ends every Picard run on the serial path', async () => {
    const r = await runToy({ ...TOY_DEFAULT, solvers: ['picard'] });
    expect(r.serial).toHaveLength(TOY_DEFAULT.T + 1);
    const last = r.iterations.picard.paths.at(-1)!;
    last.forEach((p, k) => p.forEach((v, d) => expect(v).toBeCloseTo(r.serial[k][d], 3)));
    expect(r.serial.at(-1)![0]).toBeCloseTo(TOY_DEFAULT.observed, 4); // the measured coordinate is kept
  });
});
