import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { EMOJI_SUBSET, FASHION_SUBSET } from '../src/lib/data/shippedSubset.js';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { psnrPerImageOfArrays } from '../src/lib/metrics/psnr.js';
import { EMOJI_UNET, FASHION_SMALL, TINY_TEST, type UNetConfig } from '../src/lib/models/unet/config.js';
import { countParams, disposeParams, initParams } from '../src/lib/models/unet/params.js';
import { UNetEpsModel } from '../src/lib/models/unet/unetModel.js';
import { encodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { firstImages } from '../src/lib/node/trainingImages.js';
import { restorationSanity } from '../src/lib/quality/restorationSanity.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { decodeCheckpoint, encodeCheckpoint } from '../src/lib/training/checkpoint.js';
import { gridRgba } from '../src/lib/training/imageGrid.js';
import { recipeForShape, trainingRecipe } from '../src/lib/training/recipes.js';
import { createTrainState, disposeTrainState, trainStep } from '../src/lib/training/trainer.js';
import { failingOn } from './support/failingModel.js';

/** The emoji topology at test size: [32, 32, 3] images, tiny widths, and the emoji run's dropout. */
const TINY_RGB: UNetConfig = { ...TINY_TEST, imageShape: [32, 32, 3], dropout: 0.1 };
const schedule = linearSchedule();
const emoji = loadBenchmarkSubset('data', EMOJI_SUBSET);
const data = firstImages(emoji, 8);
const hyper = { batchSize: 4, lr: 3e-3, warmupSteps: 1, emaDecay: 0.99, gradClip: 1, seed: 5 };

beforeAll(async () => {
  setThreadsCount(1);
  await useNodeBackend('wasm');
});

describe('the colour prior: emoji config and training', () => {
  it('--data emoji picks the [32, 32, 3] config, its own file names and the emoji subset; fashion stays as shipped', () => {
    const r = trainingRecipe('emoji');
    expect(r.config).toBe(EMOJI_UNET);
    expect(r.modelName).toBe('emoji-unet');
    expect(r.subset).toBe(EMOJI_SUBSET);
    expect(trainingRecipe('fashion')).toMatchObject({ config: FASHION_SMALL, modelName: 'fashion-unet-small', subset: FASHION_SUBSET });
    expect(recipeForShape([32, 32, 3]).key).toBe('emoji');
    expect(recipeForShape([28, 28, 1]).key).toBe('fashion');
    expect(() => trainingRecipe('cifar')).toThrow(/unknown data set 'cifar'.*fashion, emoji/);
    expect(firstImages(emoji, 8).pixels.length).toBe(8 * 32 * 32 * 3);
  });

  it('the emoji UNet has 3,156,867 parameters and its weight file stays within 20 MB', async () => {
    expect(EMOJI_UNET.imageShape).toEqual([32, 32, 3]);
    expect(countParams(EMOJI_UNET)).toBe(3_156_867);
    const p = initParams(EMOJI_UNET, 1);
    const bytes = await encodeUNet(EMOJI_UNET, p, { name: 'emoji-unet' });
    disposeParams(p);
    expect(bytes.length).toBeLessThanOrEqual(20e6);
    expect(bytes.length).toBeGreaterThan(4 * 3_156_867);
  });

  it('two training steps on emoji images run, leave no tensors behind, and a resumed run equals the uninterrupted one bit for bit', async () => {
    const before = tf.memory().numTensors;
    const straight = createTrainState(TINY_RGB, hyper, 2);
    const lossesStraight = [0, 1, 2, 3].map(() => trainStep(straight, data, schedule));
    expect(lossesStraight.every(Number.isFinite)).toBe(true);

    const first = createTrainState(TINY_RGB, hyper, 2);
    const lossesFirst = [0, 1].map(() => trainStep(first, data, schedule));
    const bytes = await encodeCheckpoint(first);
    disposeTrainState(first);
    const resumed = await decodeCheckpoint(bytes);
    expect(resumed.config).toEqual(TINY_RGB);
    expect(resumed.step).toBe(2);
    const lossesResumed = [0, 1].map(() => trainStep(resumed, data, schedule));
    expect([...lossesFirst, ...lossesResumed]).toEqual(lossesStraight);
    for (const k of Object.keys(straight.params)) {
      expect(resumed.params[k].dataSync()).toEqual(straight.params[k].dataSync());
      expect(resumed.ema[k].dataSync()).toEqual(straight.ema[k].dataSync());
      expect(resumed.adam.v[k].dataSync()).toEqual(straight.adam.v[k].dataSync());
    }
    expect(resumed.lossCurve).toEqual(straight.lossCurve);
    disposeTrainState(straight);
    disposeTrainState(resumed);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the restoration sanity check runs the colour tasks on [32, 32, 3] images', async () => {
    const model = new UNetEpsModel(TINY_RGB, initParams(TINY_RGB, 2), 'tiny-rgb');
    const before = tf.memory().numTensors;
    const solver = { kind: 'anderson' as const, m: 3, beta: 1, tol: 1e-3, maxIter: 3 };
    for (const task of trainingRecipe('emoji').sanityTasks) {
      const r = await restorationSanity(model, emoji, { count: 2, deqCount: 1, T: 3, seed: 1, solver, task });
      expect(r.taskName).toBe(task);
      expect([r.psnrApy, r.psnrSerial, r.deq.psnr].every(Number.isFinite)).toBe(true);
      expect(r.kept).toBeUndefined();
    }
    // keepImages hands back what was measured: the originals, the chain's x0 and A+y, image by image.
    const r = await restorationSanity(model, emoji, {
      count: 3,
      deqCount: 0,
      T: 2,
      seed: 1,
      solver,
      task: 'colorize',
      keepImages: true,
      chunk: 2,
    });
    const originals = toSignedUnit(emoji, [0, 1, 2]);
    expect(r.kept!.originals).toEqual(originals);
    for (let p = 0; p < originals.length; p += 3) {
      const grey = (originals[p] + originals[p + 1] + originals[p + 2]) / 3;
      for (let c = 0; c < 3; c++) expect(r.kept!.apy[p + c]).toBeCloseTo(grey, 5);
    }
    expect(r.kept!.restored).toHaveLength(originals.length);
    expect(psnrPerImageOfArrays(r.kept!.restored, originals, 3).reduce((a, b) => a + b, 0) / 3).toBeCloseTo(r.psnrSerial, 6);
    expect(tf.memory().numTensors).toBe(before);
    await expect(restorationSanity(model, loadBenchmarkSubset(), { count: 1, deqCount: 0, T: 3, seed: 1, solver })).rejects.toThrow(
      /do not fit/,
    );
    model.dispose();
  });

  it('the restoration sanity check leaves no tensors behind when the model fails mid-chain, in the serial chain or in DeqIR', async () => {
    const unet = new UNetEpsModel(TINY_RGB, initParams(TINY_RGB, 2), 'tiny-rgb');
    const solver = { kind: 'anderson' as const, m: 3, beta: 1, tol: 1e-3, maxIter: 3 };
    // Fails on the n-th eps call: at T = 2 the serial chain makes calls 1-2, DeqIR the rest (call 4: its second iteration).
    const before = tf.memory().numTensors;
    for (const n of [2, 4]) {
      await expect(
        restorationSanity(failingOn(unet, n), emoji, { count: 2, deqCount: 1, T: 2, seed: 1, solver, task: 'colorize', keepImages: true }),
      ).rejects.toThrow(`eps call ${n} failed`);
      expect(tf.memory().numTensors).toBe(before);
    }
    unet.dispose();
  });

  it('sample grids draw RGB images in colour and grey images as before', () => {
    // Two 1x1 RGB images: pure red, then pure blue.
    const g = gridRgba(Float32Array.from([1, -1, -1, -1, -1, 1]), 2, 1, 1, 2, 1, 2, 3);
    const px = (x: number, y: number) => Array.from(g.rgba.subarray((y * g.width + x) * 4, (y * g.width + x) * 4 + 4));
    expect([g.width, g.height]).toEqual([2 * (2 + 1) + 1, 2 + 1 + 1]);
    expect(px(1, 1)).toEqual([255, 0, 0, 255]);
    expect(px(2, 2)).toEqual([255, 0, 0, 255]); // scaled 2x
    expect(px(4, 1)).toEqual([0, 0, 255, 255]);
    expect(px(0, 0)).toEqual([128, 128, 128, 128]); // border
    const grey = gridRgba(Float32Array.from([0]), 1, 1, 1, 1, 0, 1);
    expect(Array.from(grey.rgba)).toEqual([128, 128, 128, 255]);
  });
});
