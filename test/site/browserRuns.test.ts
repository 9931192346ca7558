import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/lib/site/jobs/demo.js';
import { DEFAULT_SETTINGS, SITE_TASKS } from '../../src/lib/site/jobSettings.js';
import { runGradients } from '../../src/lib/site/jobs/gradients.js';
import { rectRegion } from '../../src/lib/site/gradientSettings.js';
import { loadPrior } from '../../src/lib/site/worker/loadPrior.js';
import { readFileSync } from 'node:fs';
import { COLORIZE_SETTINGS, colorizeRow } from '../../src/lib/site/colorizeDemo.js';
import { decodeImage } from '../../src/lib/site/imageCodec.js';
import type { Progress } from '../../src/lib/site/progress.js';
import { runSteering } from '../../src/lib/site/jobs/steering.js';
import { runToy, TOY_DEFAULT } from '../../src/lib/site/jobs/toy.js';
import { runTrajectory } from '../../src/lib/site/jobs/trajectory.js';
import { speedStep } from '../../src/lib/site/jobs/speedStep.js';

/** The jobs the worker runs, here in Node on the test backend with the exact Gaussian prior. */
const D = 28 * 28;
const stats = { mean: new Float32Array(D).fill(-0.5), variance: new Float32Array(D).fill(0.2) };
const truth = Float32Array.from({ length: D }, (_, i) => Math.sin(i / 9) * 0.8);
// The strict rule, so the demo's x0 is the serial chain's to float precision.
const settings = { ...DEFAULT_SETTINGS, T: 4, maxIter: 4, rule: 'relative' as const, prior: 'gaussian' as const };

describe('the worker jobs', () => {
  it('the demo agrees with the serial chain, counts NFE and depth, and frees its tensors', async () => {
    const prior = await loadPrior('gaussian', { unetBytes: () => Promise.reject(new Error('unused')), gaussian: async () => stats });
    const before = tf.memory().numTensors;
    for (const task of SITE_TASKS) {
      const r = await runDemo(prior.model, { ...settings, task }, truth);
      expect(r.deq.maxAbsDiffToSerial).toBeLessThan(1e-3);
      // Every call evaluates the timesteps that are not final yet: all 4 at first, at least one after.
      expect(r.deq.nfe).toBe(r.deq.nfeAt.at(-1));
      expect(r.deq.nfe).toBeGreaterThanOrEqual(4 + (r.deq.iterations - 1));
      expect(r.deq.nfe).toBeLessThanOrEqual(4 * r.deq.iterations);
      expect(r.deq.psnrToSerial).toHaveLength(r.deq.iterations);
      expect(r.deq.sequentialDepth).toBe(r.deq.iterations);
      expect(r.serial).toMatchObject({ nfe: 4, sequentialDepth: 4 });
      expect(r.images.serial.data).toHaveLength(D);
    }
    expect(tf.memory().numTensors).toBe(before);
    prior.model.dispose?.();
  });

  it('falls back to the Gaussian prior, saying why, when the UNet cannot load', async () => {
    const prior = await loadPrior('auto', { unetBytes: () => Promise.resolve(new Uint8Array([1, 2, 3])), gaussian: async () => stats });
    expect(prior.kind).toBe('gaussian');
    expect(prior.note).toMatch(/did not load/);
    prior.model.dispose?.();
  });

  it('Picard makes one more state exact per iteration in the trajectory grid', async () => {
    const prior = await loadPrior('gaussian', { unetBytes: () => Promise.reject(new Error('unused')), gaussian: async () => stats });
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

  it('the gradients job: implicit and phantom(k = T, tau = 1) equal serial back-propagation, and the A+ part is the operator alone', async () => {
    const prior = await loadPrior('gaussian', { unetBytes: () => Promise.reject(new Error('unused')), gaussian: async () => stats });
    const before = tf.memory().numTensors;
    const region = rectRegion(28, 28, { x0: 10, y0: 12, x1: 14, y1: 16 });
    const seen: Progress[] = [];
    const r = await runGradients(
      prior.model,
      { ...settings, task: 'sr4' },
      truth,
      { region, methods: ['serial', 'implicit', 'phantom'], phantomSteps: 4, phantomTau: 1 },
      { onProgress: (p) => seen.push(p) },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(r.maps.map((m) => m.method)).toEqual(['serial', 'implicit', 'phantom']);
    for (const m of r.maps) {
      expect(m.agreement.reference).toBe('serial');
      expect(m.agreement.dy.relativeL2).toBeLessThan(1e-3);
      expect(m.agreement.dxT.relativeL2).toBeLessThan(1e-3);
      expect(m.dy).toHaveLength(7 * 7);
      expect(m.dxT).toHaveLength(D);
    }
    // A+ of 4x average pooling copies each y pixel into its 4x4 block, so the direct part of dL/dy is
    // the region's weight inside each block: rows 12..15 x cols 10..13 covers 8 pixels (weight 1/16
    // each) of blocks (3, 2) and (3, 3), and nothing else.
    const expected = Array.from({ length: 49 }, (_, i) => (i === 3 * 7 + 2 || i === 3 * 7 + 3 ? 0.5 : 0));
    r.directDy.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    expect(seen.filter((p) => p.phase === 'gradient')).toHaveLength(3);
    prior.model.dispose?.();
  });

  it('a region the loss refuses (empty) fails the gradients job with its reason and frees the problem', async () => {
    const prior = await loadPrior('gaussian', { unetBytes: () => Promise.reject(new Error('unused')), gaussian: async () => stats });
    const before = tf.memory().numTensors;
    const empty = new Uint8Array(D);
    await expect(
      runGradients(prior.model, { ...settings, task: 'sr4' }, truth, {
        region: empty,
        methods: ['implicit'],
        phantomSteps: 4,
        phantomTau: 1,
      }),
    ).rejects.toThrow(/region is empty/);
    expect(tf.memory().numTensors).toBe(before);
    prior.model.dispose?.();
  });

  it('a toy request the restoration refuses (T = 0, a non-finite x_T) fails with its reason and frees what it made', async () => {
    const before = tf.memory().numTensors;
    await expect(runToy({ ...TOY_DEFAULT, T: 0 })).rejects.toThrow(/T/);
    await expect(runToy({ ...TOY_DEFAULT, xT: [Number.NaN, 0] })).rejects.toThrow(/x_?T/i);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the steering job and the speed step free their tensors when the model fails', async () => {
    const prior = await loadPrior('gaussian', { unetBytes: () => Promise.reject(new Error('unused')), gaussian: async () => stats });
    let calls = 0;
    const failing = {
      name: 'fails',
      imageShape: prior.model.imageShape,
      eps: (x: tf.Tensor4D, t: readonly number[]) => {
        if (++calls === 3) throw new Error('eps call 3 failed');
        return prior.model.eps(x, t);
      },
    };
    const before = tf.memory().numTensors;
    await expect(
      runSteering(failing, { ...settings, task: 'inpaint-box' }, truth, { guide: 'oracle', lr: 0.05, steps: 2, method: 'implicit' }),
    ).rejects.toThrow('eps call 3 failed');
    expect(tf.memory().numTensors).toBe(before);
    calls = 0;
    await expect(speedStep(failing, 4, truth, { map: 3, step: 1 })).rejects.toThrow('eps call 3 failed');
    expect(tf.memory().numTensors).toBe(before);
    prior.model.dispose?.();
  });

  it('the steering job reports every step with its x0, stops at the step budget and frees its tensors', async () => {
    const prior = await loadPrior('gaussian', { unetBytes: () => Promise.reject(new Error('unused')), gaussian: async () => stats });
    const before = tf.memory().numTensors;
    const steps: number[] = [];
    const r = await runSteering(
      prior.model,
      { ...settings, task: 'inpaint-box' },
      truth,
      { guide: 'oracle', lr: 0.05, steps: 5, method: 'implicit' },
      {
        onProgress: (p) => p.phase === 'steer' && steps.push(p.step),
      },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(steps).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.frames).toHaveLength(6);
    expect(r.stoppedBy).toBe('steps');
    // Pulling x0 towards the truth lowers the loss and raises PSNR.
    expect(r.history.at(-1)!.loss).toBeLessThan(r.history[0].loss);
    expect(r.history.at(-1)!.psnr!).toBeGreaterThan(r.history[0].psnr!);
    prior.model.dispose?.();
  });

  it('the colour prior: the colorization demo job keeps the grey measurement, its compact row is small, its tensors freed', async () => {
    const D3 = 32 * 32 * 3;
    const colour = {
      mean: Float32Array.from({ length: D3 }, (_, i) => [0.6, -0.2, -0.5][i % 3]),
      variance: new Float32Array(D3).fill(0.1),
    };
    const prior = await loadPrior(
      'gaussian',
      { unetBytes: () => Promise.reject(new Error('unused')), gaussian: async () => colour },
      'emoji',
    );
    expect(prior.note).toMatch(/Emoji 32x32 RGB/);
    const truth3 = Float32Array.from({ length: D3 }, (_, i) => Math.cos(i / 7) * 0.7);
    const before = tf.memory().numTensors;
    const r = await runDemo(prior.model, { ...COLORIZE_SETTINGS, T: 4, maxIter: 4 }, truth3);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.images.y.shape).toEqual([32, 32, 1]);
    expect(r.images.deq.shape).toEqual([32, 32, 3]);
    // The result's channel mean is the measurement: colorization only adds colour.
    for (let p = 0; p < 32 * 32; p += 97) {
      const m = (r.images.deq.data[3 * p] + r.images.deq.data[3 * p + 1] + r.images.deq.data[3 * p + 2]) / 3;
      expect(m).toBeCloseTo(r.images.y.data[p], 2);
    }
    const row = colorizeRow(0, 'Smileys & Emotion', r);
    expect(decodeImage(row.deq)).toHaveLength(D3);
    expect(JSON.stringify(row).length).toBeLessThan(20_000);
    prior.model.dispose?.();
  });

  it('refuses a weight file of the other shape for a prior, naming the file, and falls back under auto', async () => {
    const grey = new Uint8Array(readFileSync('models/fashion-unet-small.safetensors'));
    const D3 = 32 * 32 * 3;
    const colour = { mean: new Float32Array(D3), variance: new Float32Array(D3).fill(0.1) };
    await expect(loadPrior('unet', { unetBytes: async () => grey, gaussian: async () => colour }, 'emoji')).rejects.toThrow(
      /models\/emoji-unet\.safetensors holds a UNet on \[28, 28, 1\]/,
    );
    const auto = await loadPrior('auto', { unetBytes: async () => grey, gaussian: async () => colour }, 'emoji');
    expect([auto.kind, auto.model.imageShape]).toEqual(['gaussian', [32, 32, 3]]);
    auto.model.dispose?.();
  });
});
