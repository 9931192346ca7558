import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { EMOJI_SUBSET } from '../src/lib/data/shippedSubset.js';
import { ParameterError } from '../src/lib/errors.js';
import { TINY_TEST, type UNetConfig } from '../src/lib/models/unet/config.js';
import { initParams } from '../src/lib/models/unet/params.js';
import { UNetEpsModel } from '../src/lib/models/unet/unetModel.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { loadClassifierFile } from '../src/lib/node/loadModelFile.js';
import { fileSha256 } from '../src/lib/node/provenance.js';
import { cardQuality, mergedQuality } from '../src/lib/quality/cardQuality.js';
import { classCoverage } from '../src/lib/quality/classCoverage.js';
import {
  classifierSpecs,
  classify,
  disposeClassifier,
  FASHION_CLASSIFIER_SHAPE,
  featuresOf,
  initClassifier,
  trainClassifier,
  type ClassifierShape,
} from '../src/lib/quality/classifier.js';
import { decodeClassifier, encodeClassifier } from '../src/lib/quality/classifierFile.js';
import { fdClsBar } from '../src/lib/quality/fdClsBar.js';
import { checkFdSamples, fdRecordable } from '../src/lib/quality/fdSamples.js';
import { qualityRecipe } from '../src/lib/quality/qualityRecipes.js';
import { samplingCalls } from '../src/lib/quality/samplingProgress.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { trainingRecipe } from '../src/lib/training/recipes.js';
import { expectNoLeak } from './support/tfSetup.js';

const EMOJI_SHAPE: ClassifierShape = { imageShape: [32, 32, 3], classes: 9 };

describe('the quality-bar classifier, for any image shape and class count', () => {
  it("derives every tensor from [H, W, C] and the class count; the Fashion shapes are the shipped file's", () => {
    const shapes = (s: ClassifierShape) => Object.fromEntries(classifierSpecs(s).map((p) => [p.name, p.shape]));
    // The list the grey classifier was defined by before it was generic.
    expect(shapes(FASHION_CLASSIFIER_SHAPE)).toEqual({
      'conv1.w': [3, 3, 1, 32],
      'conv1.b': [32],
      'conv2.w': [3, 3, 32, 64],
      'conv2.b': [64],
      'fc1.w': [3136, 128],
      'fc1.b': [128],
      'fc2.w': [128, 10],
      'fc2.b': [10],
    });
    expect(shapes(EMOJI_SHAPE)).toMatchObject({ 'conv1.w': [3, 3, 3, 32], 'fc1.w': [8 * 8 * 64, 128], 'fc2.w': [128, 9], 'fc2.b': [9] });
    expect(qualityRecipe(trainingRecipe('emoji'))).toMatchObject({
      classifierFile: 'models/emoji-classifier.safetensors',
      classifierShape: EMOJI_SHAPE,
    });
    expect(qualityRecipe(trainingRecipe('fashion'))).toMatchObject({
      classifierFile: 'models/fashion-classifier.safetensors',
      classifierShape: FASHION_CLASSIFIER_SHAPE,
    });
    const fieldOf = (s: ClassifierShape) => {
      try {
        classifierSpecs(s);
      } catch (e) {
        return e instanceof ParameterError ? e.field : 'not a ParameterError';
      }
      return 'accepted';
    };
    expect(fieldOf({ imageShape: [30, 32, 3], classes: 9 })).toBe('imageShape');
    expect(fieldOf({ imageShape: [32, 32, 3], classes: 1 })).toBe('classes');
  });

  it('maps [B, H, W, C] to (classes) logits and 128 non-negative features for colour and odd shapes, leaking nothing', async () => {
    for (const shape of [EMOJI_SHAPE, { imageShape: [8, 12, 2], classes: 3 }] as ClassifierShape[]) {
      const [H, W, C] = shape.imageShape;
      const c = initClassifier(shape, 1);
      tf.tidy(() => {
        const r = classify(c, tf.tensor4d(gaussianArray(2 * H * W * C, 2), [2, H, W, C]));
        expect(r.logits.shape).toEqual([2, shape.classes]);
        expect(r.features.shape).toEqual([2, 128]);
        expect(tf.min(r.features).dataSync()[0]).toBeGreaterThanOrEqual(0);
      });
      const f = await expectNoLeak(() =>
        featuresOf(
          c,
          gaussianArray(5 * H * W * C, 3).map((v) => Math.tanh(v)),
          5,
          2,
        ),
      );
      expect(f.features.length).toBe(5 * 128);
      expect(Math.max(...f.predicted)).toBeLessThan(shape.classes);
      await expect(featuresOf(c, new Float32Array(7), 1)).rejects.toThrow(/not 1 images/);
      disposeClassifier(c);
    }
  });

  it('loads models/fashion-classifier.safetensors unchanged and gives the features it gave before it was generic', async () => {
    expect(fileSha256('models/fashion-classifier.safetensors')).toBe('cd1bdcb10c68fd6ac57e9577f1c2341b7317032bc323b1eebb1e5922ffd35a25');
    const c = await loadClassifierFile('models/fashion-classifier.safetensors');
    const set = loadBenchmarkSubset();
    const idx = [0, 1, 2, 3, 4, 5, 6, 7];
    const r = await featuresOf(c, toSignedUnit(set, idx), idx.length);
    // Measured with the 28x28x1-only classifier of commit 5b50752 (cpu backend): per image the
    // predicted class, the feature sum and the feature norm.
    expect(Array.from(r.predicted)).toEqual([0, 8, 3, 4, 1, 8, 5, 5]);
    const before = [
      [66.9402, 15.13261],
      [99.35127, 20.8932],
      [53.16887, 12.27557],
      [83.87674, 16.77203],
      [75.01164, 17.0626],
      [75.98277, 16.11548],
      [102.44667, 18.94693],
      [119.33786, 24.25719],
    ];
    before.forEach(([sum, norm], b) => {
      const f = Array.from(r.features.subarray(b * 128, (b + 1) * 128));
      expect(f.reduce((s, v) => s + v, 0)).toBeCloseTo(sum, 2);
      expect(Math.hypot(...f)).toBeCloseTo(norm, 3);
    });
    // The file is for [28, 28, 1] and 10 classes; asked for another shape, it is refused by name.
    await expect(loadClassifierFile('models/fashion-classifier.safetensors', EMOJI_SHAPE)).rejects.toThrow(
      /fashion-classifier.safetensors.*conv1\.w/,
    );
    disposeClassifier(c);
  });

  it('a colour classifier file records its shape and round-trips; another shape is refused', async () => {
    const c = initClassifier(EMOJI_SHAPE, 4);
    const bytes = await encodeClassifier(c, { kind: 'test' });
    expect(bytes.length).toBeLessThan(5e6);
    const back = await decodeClassifier(bytes, EMOJI_SHAPE, 'x.safetensors');
    expect(Array.from(back.params['fc2.w'].dataSync())).toEqual(Array.from(c.params['fc2.w'].dataSync()));
    await expect(decodeClassifier(bytes, { imageShape: [32, 32, 3], classes: 8 }, 'x.safetensors')).rejects.toThrow(
      /x.safetensors: classifier of 9 classes, the data set has 8/,
    );
    await expect(decodeClassifier(bytes, { imageShape: [32, 32, 1], classes: 9 }, 'x.safetensors')).rejects.toThrow(
      /classifier for images \[32,32,3\]/,
    );
    disposeClassifier(c);
    disposeClassifier(back);
  });

  it('trains on colour images with flips and lowers its loss', async () => {
    const emoji = loadBenchmarkSubset('data', EMOJI_SUBSET);
    const few = { ...emoji, count: 16 };
    const losses: number[] = [];
    const c = trainClassifier(few, EMOJI_SHAPE, {
      epochs: 3,
      batchSize: 8,
      lr: 3e-3,
      seed: 1,
      hflip: true,
      onEpoch: (_, l) => losses.push(l),
    });
    expect(losses[2]).toBeLessThan(losses[0]);
    disposeClassifier(c);
    expect(() => trainClassifier(few, FASHION_CLASSIFIER_SHAPE, { epochs: 1, batchSize: 16, lr: 1e-3, seed: 1 })).toThrow(ParameterError);
  });

  it('training leaves behind only the classifier, and nothing when it stops with an error', () => {
    const emoji = loadBenchmarkSubset('data', EMOJI_SUBSET);
    const few = { ...emoji, count: 16 };
    const before = tf.memory().numTensors;
    const c = trainClassifier(few, EMOJI_SHAPE, { epochs: 2, batchSize: 8, lr: 3e-3, seed: 1 });
    expect(tf.memory().numTensors).toBe(before + Object.keys(c.params).length);
    disposeClassifier(c);
    expect(tf.memory().numTensors).toBe(before);
    const stop = () => {
      throw new Error('stopped after epoch 0');
    };
    expect(() => trainClassifier(few, EMOJI_SHAPE, { epochs: 2, batchSize: 8, lr: 3e-3, seed: 1, onEpoch: stop })).toThrow(
      /stopped after epoch 0/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the coverage rule and the sample counts of FD-cls', () => {
  const names = ['a', 'b', 'c', 'rare'];
  // Training labels: a 40 %, b 30 %, c 27 %, rare 3 % (below the 4 % that makes a class judged).
  const train = [...new Array(40).fill(0), ...new Array(30).fill(1), ...new Array(27).fill(2), ...new Array(3).fill(3)];

  it('judges every class holding >= 4 % of the training images at >= 3 % of the samples, and only those', () => {
    const samples = (counts: number[]) => counts.flatMap((n, c) => new Array(n).fill(c));
    const ok = classCoverage(samples([50, 30, 20, 0]), names, train);
    expect(ok).toMatchObject({ judged: ['a', 'b', 'c'], notJudged: ['rare'], minShare: 0.2, minShareClasses: ['c'], passes: true });
    expect(ok.shares.rare).toBe(0);
    expect(ok.trainShares.rare).toBe(0.03);
    expect(ok.referenceShares).toBeUndefined();
    expect(classCoverage(samples([1, 1, 1, 1]), names, train, { referencePredicted: [0, 0, 1, 3] }).referenceShares).toEqual({
      a: 0.5,
      b: 0.25,
      c: 0,
      rare: 0.25,
    });
    const bad = classCoverage(samples([60, 38, 2, 0]), names, train);
    expect(bad).toMatchObject({ minShare: 0.02, minShareClasses: ['c'], passes: false });
    expect(bad.rule).toMatch(/>= 4 % of the training images has >= 3 % of the samples/);
  });

  it('refuses FD-cls from fewer than 500 samples unless asked, and records it only from 2,000', () => {
    expect(() => checkFdSamples(499)).toThrow(ParameterError);
    try {
      checkFdSamples(100);
    } catch (e) {
      expect((e as ParameterError).field).toBe('samples');
      expect((e as Error).message).toMatch(/--smoke/);
    }
    expect(() => checkFdSamples(500)).not.toThrow();
    expect(() => checkFdSamples(8, true)).not.toThrow();
    expect(fdRecordable(1999)).toBe(false);
    expect(fdRecordable(2000)).toBe(true);
  });

  it('a card keeps a record only for its weights, never an FD-cls of fewer than 2,000 samples, with the verdicts', () => {
    const rec = (samples: number, sha = 'abc') => ({
      weightsSha256: sha,
      samples,
      fdCls: { passes: true },
      classCoverage: { passes: false },
      restorationSanity: { passes: true, weightsSha256: sha },
    });
    expect(cardQuality(rec(2000, 'other'), 'abc')).toBeNull();
    expect(cardQuality(rec(2000), 'abc')!.verdicts).toEqual({
      fdCls: 'passes',
      classCoverage: 'fails',
      restorationSanity: 'passes',
      all: 'fails',
      weightsSha256: 'abc',
    });
    const few = cardQuality(rec(64), 'abc')!;
    expect(few.fdCls).toBeUndefined();
    expect(few.samples).toBeUndefined();
    expect(few.verdicts).toMatchObject({
      fdCls: 'not measured',
      classCoverage: 'not measured',
      restorationSanity: 'passes',
      all: 'not measured',
    });
  });

  it('the card keeps FD-cls written before restoration sanity, adds sanity after, and drops parts of other weights', () => {
    const fd = { weightsSha256: 'abc', samples: 2000, fdCls: { passes: false }, classCoverage: { passes: true } };
    const afterFd = mergedQuality('not measured', { quality: fd }, 'abc')!;
    expect(afterFd.verdicts).toMatchObject({ fdCls: 'fails', classCoverage: 'passes', restorationSanity: 'not measured', all: 'fails' });
    const sanity = { passes: true, weightsSha256: 'abc' };
    const afterSanity = mergedQuality(afterFd, { restorationSanity: sanity }, 'abc')!;
    expect(afterSanity.fdCls).toEqual({ passes: false });
    expect(afterSanity.restorationSanity).toEqual(sanity);
    expect(afterSanity.verdicts).toMatchObject({ fdCls: 'fails', classCoverage: 'passes', restorationSanity: 'passes', all: 'fails' });
    // A later FD run on the same weights keeps the sanity measured before it.
    const again = mergedQuality(afterSanity, { quality: { ...fd, fdCls: { passes: true } } }, 'abc')!;
    expect(again.verdicts).toMatchObject({ fdCls: 'passes', restorationSanity: 'passes', all: 'passes' });
    // New weights: nothing of the old record survives.
    const fresh = mergedQuality(afterSanity, { quality: { ...fd, weightsSha256: 'new' } }, 'new')!;
    expect(fresh.verdicts).toMatchObject({ fdCls: 'fails', restorationSanity: 'not measured', weightsSha256: 'new' });
  });

  it('runs FD-cls and coverage on a colour model with a handful of samples, reporting every eps call, leaking nothing', async () => {
    const emoji = loadBenchmarkSubset('data', EMOJI_SUBSET);
    const cfg: UNetConfig = { ...TINY_TEST, imageShape: [32, 32, 3] };
    const model = new UNetEpsModel(cfg, initParams(cfg, 2), 'tiny-rgb');
    const clf = initClassifier(EMOJI_SHAPE, 3);
    const part = (from: number, count: number) => ({
      ...emoji,
      count,
      pixels: emoji.pixels.subarray(from * 3072, (from + count) * 3072),
      labels: emoji.labels.subarray(from, from + count),
    });
    const [train, test] = [part(0, 24), part(128, 12)];
    const opts = { samples: 6, seed: 1, T: 4, batchSize: 4 };
    await expect(fdClsBar(model, clf, EMOJI_SUBSET.classNames, train, test, opts)).rejects.toThrow(/samples 6/);
    const calls: number[] = [];
    const r = await expectNoLeak(() =>
      fdClsBar(model, clf, EMOJI_SUBSET.classNames, train, test, {
        ...opts,
        allowFewSamples: true,
        onSampling: (done, total) => calls.push(done, total),
      }),
    );
    expect(calls.slice(-2)).toEqual([samplingCalls(6, 4, 4), 8]);
    expect(r).toMatchObject({ samples: 6, referenceImages: 6, floorImages: 6, sampler: 'DDIM eta = 0, T = 4 uniform' });
    for (const v of [r.fdCls.model, r.fdCls.trainFloor, r.fdCls.naiveGaussian]) expect(Number.isFinite(v) && v >= -1e-6).toBe(true);
    expect(r.fdCls.passes).toBe(r.fdCls.model <= 0.2 * r.fdCls.naiveGaussian);
    expect(Object.keys(r.classCoverage.shares)).toEqual([...EMOJI_SUBSET.classNames]);
    expect(Object.keys(r.classCoverage.referenceShares!)).toEqual([...EMOJI_SUBSET.classNames]);
    // A sampler passed in (the worker threads') is the one used, and it must return N whole images.
    const asked: unknown[] = [];
    const short = async (settings: unknown) => (asked.push(settings), new Float32Array(5 * 3072));
    await expect(
      fdClsBar(model, clf, EMOJI_SUBSET.classNames, train, test, { ...opts, allowFewSamples: true, drawSamples: short }),
    ).rejects.toThrow(/returned 15360 values, not 6 images/);
    expect(asked).toEqual([{ count: 6, T: 4, seed: 4, batchSize: 4 }]);
    const fashion = initClassifier(FASHION_CLASSIFIER_SHAPE, 1);
    await expect(fdClsBar(model, fashion, EMOJI_SUBSET.classNames, train, test, { ...opts, allowFewSamples: true })).rejects.toThrow(
      /classifier are \[28, 28, 1\]/,
    );
    disposeClassifier(fashion);
    disposeClassifier(clf);
    model.dispose();
  });
});
