import { ParameterError } from '../errors.js';
import { uniformStream } from '../random/prng.js';
import { CLASSIFIER_FEATURES, featuresOf, type Classifier } from './classifier.js';
import { frechetDistance, gaussianStats } from './frechet.js';

export interface PairedFdSanity {
  /** FD-cls of the restorations against the originals. */
  fdRestored: number;
  /** FD-cls of the baseline (A+y) against the same originals. */
  fdBaseline: number;
  /** fdRestored - fdBaseline: negative when the restorations are closer to the originals' distribution. */
  difference: number;
  /** 95 % percentile interval of the difference over paired bootstrap resamples of the images. */
  ci95: [number, number];
  images: number;
  resamples: number;
  /** The whole interval lies below zero. */
  passes: boolean;
}

/** FD on 128 features needs at least twice as many images as features for a covariance of full rank with room to spare. */
export const PAIRED_FD_MIN_IMAGES = 2 * CLASSIFIER_FEATURES;
const PAIRED_FD_MIN_RESAMPLES = 20;

/**
 * Restoration sanity judged by distribution (sanityMeasure.ts): does a restorer's output sit closer
 * to the originals, in FD-cls, than a baseline's? Image i of `restored`, `baseline` and `originals`
 * is the same picture, so the bootstrap resamples image indices once for all three sets (a paired
 * difference, which cancels most of the resampling noise the two FDs share). Images are flat
 * [n, H, W, C] in [-1, 1]. Refuses fewer than PAIRED_FD_MIN_IMAGES images and fewer than
 * PAIRED_FD_MIN_RESAMPLES resamples, naming the field.
 */
export async function pairedFdSanity(
  clf: Classifier,
  sets: { originals: Float32Array; restored: Float32Array; baseline: Float32Array },
  n: number,
  o: { resamples?: number; seed?: number } = {},
): Promise<PairedFdSanity> {
  const resamples = o.resamples ?? 200;
  if (!Number.isInteger(n) || n < PAIRED_FD_MIN_IMAGES)
    throw new ParameterError(
      `paired FD-cls: ${n} images; FD on ${CLASSIFIER_FEATURES} features needs at least ${PAIRED_FD_MIN_IMAGES}`,
      'images',
    );
  if (!Number.isInteger(resamples) || resamples < PAIRED_FD_MIN_RESAMPLES)
    throw new ParameterError(
      `paired FD-cls: ${resamples} bootstrap resamples; a 95 % interval needs at least ${PAIRED_FD_MIN_RESAMPLES}`,
      'resamples',
    );
  // One after another: featuresOf reads each chunk back before the next, so the engine holds one at a time.
  const orig = (await featuresOf(clf, sets.originals, n)).features;
  const rest = (await featuresOf(clf, sets.restored, n)).features;
  const base = (await featuresOf(clf, sets.baseline, n)).features;
  const d = CLASSIFIER_FEATURES;
  const rows = (f: Float32Array, idx: number[]) => {
    const out = new Float32Array(idx.length * d);
    idx.forEach((i, k) => out.set(f.subarray(i * d, (i + 1) * d), k * d));
    return out;
  };
  const pairOn = (idx: number[]) => {
    const ref = gaussianStats(rows(orig, idx), idx.length, d);
    const fdR = frechetDistance(gaussianStats(rows(rest, idx), idx.length, d), ref);
    const fdB = frechetDistance(gaussianStats(rows(base, idx), idx.length, d), ref);
    return { fdR, fdB };
  };
  const all = Array.from({ length: n }, (_, i) => i);
  const whole = pairOn(all);
  const rnd = uniformStream(o.seed ?? 1);
  const diffs: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const { fdR, fdB } = pairOn(all.map(() => Math.floor(rnd() * n)));
    diffs.push(fdR - fdB);
  }
  diffs.sort((a, b) => a - b);
  const q = (p: number) => diffs[Math.min(resamples - 1, Math.max(0, Math.round(p * (resamples - 1))))];
  const ci95: [number, number] = [q(0.025), q(0.975)];
  return {
    fdRestored: whole.fdR,
    fdBaseline: whole.fdB,
    difference: whole.fdR - whole.fdB,
    ci95,
    images: n,
    resamples,
    passes: ci95[1] < 0,
  };
}
