import * as tf from '@tensorflow/tfjs-core';
import type { EpsModel } from '../models/epsModel.js';
import { gaussianArray } from '../random/prng.js';

/**
 * How long unconditional DDIM sampling takes: `count` samples at T steps in batches of
 * `batchSize` cost ceil(count / batchSize) * T eps calls of one batch each (ddimSample's loop).
 */
export const samplingCalls = (count: number, T: number, batchSize: number): number => Math.ceil(count / batchSize) * T;

/**
 * Times `reps` eps calls at the sampling batch size (after one warm-up call) and extrapolates to
 * the whole run: the estimate printed before a long sampling run starts.
 */
export function estimateSamplingSeconds(
  model: EpsModel,
  o: { count: number; T: number; batchSize: number; reps?: number },
): { secondsPerCall: number; calls: number; seconds: number } {
  const b = Math.min(o.batchSize, o.count);
  const [H, W, C] = model.imageShape;
  const x = tf.tensor4d(gaussianArray(b * H * W * C, 11), [b, H, W, C]);
  const t = new Array<number>(b).fill(500);
  const reps = o.reps ?? 1;
  let seconds = 0;
  for (let i = 0; i <= reps; i++) {
    const s = performance.now();
    const y = model.eps(x, t);
    y.dataSync();
    y.dispose();
    if (i > 0) seconds += (performance.now() - s) / 1000;
  }
  x.dispose();
  const secondsPerCall = seconds / reps;
  // Scaled by images, not calls: a last partial batch costs less.
  return { secondsPerCall, calls: samplingCalls(o.count, o.T, o.batchSize), seconds: secondsPerCall * (o.count / b) * o.T };
}

/**
 * The model with every eps call reported: (calls done, calls in all, seconds since the first call).
 * Wrapping the model, not the sampler, keeps the samples exactly those of one ddimSample call.
 */
export function reportingEps(
  model: EpsModel,
  totalCalls: number,
  onCall: (done: number, total: number, seconds: number) => void,
): EpsModel {
  let done = 0;
  const t0 = performance.now();
  return {
    name: model.name,
    imageShape: model.imageShape,
    eps: (x, t) => {
      const y = model.eps(x, t);
      onCall(++done, totalCalls, (performance.now() - t0) / 1000);
      return y;
    },
  };
}
