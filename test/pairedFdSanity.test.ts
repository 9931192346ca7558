import { describe, expect, it } from 'vitest';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { EMOJI_SUBSET } from '../src/lib/data/shippedSubset.js';
import { ParameterError } from '../src/lib/errors.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { loadClassifierFile } from '../src/lib/node/loadModelFile.js';
import { disposeClassifier } from '../src/lib/quality/classifier.js';
import { judgeSanity } from '../src/lib/quality/judgeSanity.js';
import { pairedFdSanity, PAIRED_FD_MIN_IMAGES } from '../src/lib/quality/pairedFdSanity.js';
import { formatNumber, qualityBarRows, type CardQualityRecord } from '../src/lib/quality/qualityBarRows.js';
import type { RestorationSanity } from '../src/lib/quality/restorationSanity.js';
import { sanityMeasure } from '../src/lib/quality/sanityMeasure.js';
import { TASK_NAMES } from '../src/lib/operators/taskRegistry.js';
import { expectNoLeak } from './support/tfSetup.js';

const emoji = loadBenchmarkSubset('data', EMOJI_SUBSET);
const n = emoji.count;
const originals = toSignedUnit(
  emoji,
  Array.from({ length: n }, (_, i) => i),
);
/** Colorization's A+y written out independently of the operator: each pixel's channel mean in all three channels. */
const greyCopies = (() => {
  const g = new Float32Array(originals.length);
  for (let p = 0; p < originals.length; p += 3) g.fill((originals[p] + originals[p + 1] + originals[p + 2]) / 3, p, p + 3);
  return g;
})();
const classifier = () => loadClassifierFile('models/emoji-classifier.safetensors', { imageShape: [32, 32, 3], classes: 9 });

describe('colorization sanity is judged by paired FD-cls against the originals', () => {
  it('colorization is judged by distribution, every other task by PSNR', () => {
    expect(TASK_NAMES.filter((t) => sanityMeasure(t) !== 'psnr')).toEqual(['colorize']);
  });

  it('the originals beat their grey copies: the whole interval of the difference lies below zero; nothing leaks', async () => {
    const clf = await classifier();
    try {
      const r = await expectNoLeak(() =>
        pairedFdSanity(clf, { originals, restored: originals, baseline: greyCopies }, n, { resamples: 40, seed: 3 }),
      );
      expect(r.fdRestored).toBeLessThan(1e-3);
      expect(r.fdBaseline).toBeGreaterThan(10);
      expect(r.difference).toBeCloseTo(r.fdRestored - r.fdBaseline, 9);
      expect(r.ci95[0]).toBeLessThanOrEqual(r.ci95[1]);
      expect(r.ci95[1]).toBeLessThan(0);
      expect(r).toMatchObject({ images: n, resamples: 40, passes: true });
    } finally {
      disposeClassifier(clf);
    }
  });

  it('a "restoration" that is the grey copy itself gains nothing: difference 0, interval [0, 0], fails', async () => {
    const clf = await classifier();
    try {
      const r = await pairedFdSanity(clf, { originals, restored: greyCopies, baseline: greyCopies }, n, { resamples: 20 });
      expect(r.difference).toBe(0);
      expect(r.ci95).toEqual([0, 0]);
      expect(r.passes).toBe(false);
    } finally {
      disposeClassifier(clf);
    }
  });

  it('refuses fewer images than twice the features and a bootstrap under 20 resamples, naming the field, before any work', async () => {
    const clf = await classifier();
    const fieldOf = (e: unknown) => (e instanceof ParameterError ? e.field : `not a ParameterError: ${e}`);
    try {
      const few = PAIRED_FD_MIN_IMAGES - 1;
      const cut = (a: Float32Array) => a.subarray(0, few * 32 * 32 * 3);
      await expect(
        pairedFdSanity(clf, { originals: cut(originals), restored: cut(originals), baseline: cut(greyCopies) }, few).catch(fieldOf),
      ).resolves.toBe('images');
      await expect(
        pairedFdSanity(clf, { originals, restored: originals, baseline: greyCopies }, n, { resamples: 19 }).catch(fieldOf),
      ).resolves.toBe('resamples');
    } finally {
      disposeClassifier(clf);
    }
  });

  it('judgeSanity: PSNR tasks by PSNR; colorization needs its kept images and the classifier, and then keeps no images in the record', async () => {
    const base: RestorationSanity = {
      task: 't',
      taskName: 'sr4',
      T: 20,
      images: n,
      psnrApy: 15,
      psnrSerial: 16,
      deq: {
        images: 1,
        solver: { kind: 'picard', tol: 1e-3, maxIter: 5 },
        psnr: 16,
        psnrApySameImages: 15,
        meanIterations: 3,
        converged: 1,
      },
    };
    expect(await judgeSanity(base, null)).toMatchObject({ measure: 'psnr', passes: true });
    expect(await judgeSanity({ ...base, psnrSerial: 14 }, null)).toMatchObject({ measure: 'psnr', passes: false });
    const colour = { ...base, taskName: 'colorize', psnrSerial: 12 };
    const fieldOf = (e: unknown) => (e instanceof ParameterError ? e.field : `not a ParameterError: ${e}`);
    await expect(judgeSanity(colour, null).catch(fieldOf)).resolves.toBe('keepImages');
    const kept = { originals, restored: originals, apy: greyCopies };
    await expect(judgeSanity({ ...colour, kept }, null).catch(fieldOf)).resolves.toBe('classifier');
    const clf = await classifier();
    try {
      const j = await judgeSanity({ ...colour, kept }, clf, { resamples: 20 });
      // A lower PSNR than the grey copy's does not decide it: the distribution does.
      expect(j).toMatchObject({ measure: 'paired-fd-cls', passes: true });
      expect('kept' in j).toBe(false);
    } finally {
      disposeClassifier(clf);
    }
  });

  it("the card's colorization row shows the FD pair, the difference and its interval; its PSNR is reported, not judged", () => {
    const pairedFdCls = {
      fdRestored: 62.5,
      fdBaseline: 254.1,
      difference: -191.6,
      ci95: [-218.8, -143.4] as [number, number],
      resamples: 200,
      passes: true,
    };
    const q: CardQualityRecord = {
      fdCls: { model: 30, trainFloor: 2, naiveGaussian: 200, ratioModelToNaive: 0.15, bar: 'FD(model) <= 0.2 FD(naive)', passes: true },
      samples: 2000,
      sampler: 'DDIM',
      classCoverage: { shares: { a: 1 }, minShare: 1, passes: true },
      restorationSanity: {
        tasks: [
          {
            task: 'colorization',
            T: 20,
            images: 256,
            psnrApy: 18.7,
            psnrSerial: 13.9,
            passes: true,
            pairedFdCls,
            deq: {
              images: 16,
              solver: { kind: 'anderson', m: 5 },
              psnr: 13.2,
              psnrApySameImages: 21.6,
              meanIterations: 18.7,
              converged: 16,
            },
          },
        ],
        passes: true,
      },
    };
    const rows = qualityBarRows(q)!.rows;
    const fdRow = rows.find((r) => r[0].startsWith('colorization, 256 images, T = 20') && r[0].includes('FD-cls'))!;
    expect(fdRow.slice(1)).toEqual([
      `62.5 vs 254.1; difference ${formatNumber(-191.6, 1)}, 95 % CI ${formatNumber(-218.8, 1)} to ${formatNumber(-143.4, 1)} (paired bootstrap, 200 resamples)`,
      'CI below 0',
      'passes',
    ]);
    expect(rows.find((r) => r[0].includes('PSNR of the same restorations'))!.slice(1)).toEqual(['13.9 vs 18.7 dB', '', 'reported']);
    expect(rows.at(-1)![3]).toBe('passes');
  });
});
