import * as tf from '@tensorflow/tfjs-core';
import type { EpsModel } from '../models/epsModel.js';
import { gaussianArray } from '../random/prng.js';
import type { DiffusionSchedule } from '../schedule/linearSchedule.js';
import { stepCoefficients } from '../schedule/stepCoefficients.js';

/**
 * Unconditional deterministic DDIM (eta = 0) from seeded x_T, for model cards, sample grids and
 * the quality script. (Restoration goes through src/lib/samplers; this needs no operator.) The step
 * constants are the samplers' own (schedule/stepCoefficients.ts with etw = nw = 0):
 *   x0|t = (x_t - sqrt(1-abar_t) eps) / sqrt(abar_t),  x_s = sqrt(abar_s) x0|t + c2 eps,  c2 = sqrt(1-abar_s)
 * x0|t is clipped to [-1, 1] as in DDPM/DDIM sampling of images. Returns [count, H, W, C].
 *
 * `rows` samples only rows [start, end) of the `count` seeded noise images, [end - start, H, W, C]:
 * a share of the run for another thread (node/parallelSampling). Starting at a multiple of the
 * batch size, its batches are the whole run's, so the rows come out exactly as in the whole run.
 */
export function ddimSample(
  model: EpsModel,
  schedule: DiffusionSchedule,
  opts: { count: number; T: number; seed: number; batchSize?: number; rows?: { start: number; end: number } },
): tf.Tensor4D {
  const [h, w, c] = model.imageShape;
  const steps = stepCoefficients(schedule, { T: opts.T });
  const bs = opts.batchSize ?? 64;
  const { start: first, end } = opts.rows ?? { start: 0, end: opts.count };
  if (!(Number.isInteger(first) && Number.isInteger(end) && first >= 0 && first < end && end <= opts.count))
    throw new RangeError(`ddimSample: rows ${first}..${end} must be a non-empty range inside 0..${opts.count}`);
  const parts: tf.Tensor4D[] = [];
  const all = gaussianArray(opts.count * h * w * c, opts.seed);
  for (let start = first; start < end; start += bs) {
    const n = Math.min(bs, end - start);
    let x = tf.tensor4d(all.subarray(start * h * w * c, (start + n) * h * w * c), [n, h, w, c]);
    for (let k = 0; k < steps.T; k++) {
      const next = tf.tidy(() => {
        const eps = model.eps(x, new Array<number>(n).fill(steps.t[k]));
        const x0 = tf.clipByValue(tf.div(tf.sub(x, tf.mul(eps, steps.sqrtOneMinusAbarT[k])), steps.sqrtAbarT[k]), -1, 1);
        return tf.add(tf.mul(x0, steps.sqrtAbarS[k]), tf.mul(eps, steps.c2[k])) as tf.Tensor4D;
      });
      x.dispose();
      x = next;
    }
    parts.push(x);
  }
  const out = parts.length === 1 ? parts[0] : (tf.concat(parts, 0) as tf.Tensor4D);
  if (parts.length > 1) tf.dispose(parts);
  return out;
}
