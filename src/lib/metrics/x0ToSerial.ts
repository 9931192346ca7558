import * as tf from '@tensorflow/tfjs-core';
import { psnrOfMse } from './psnr.js';

/**
 * How far a DeqIR iterate's x0 is from the serial chain's x0, image by image: the one place the
 * depth benchmark (src/lib/bench/depthBenchmark.ts), the GPU wall clock (scripts/gpuWallClock.ts)
 * and the Speed page's worker job (src/lib/site/jobs/speedStep.ts) measure it, so "reaches
 * 40 dB" means the same thing in all three.
 *
 * Unclipped: this is the distance between two solutions of one system, not an image's quality
 * (psnr.ts clips an estimate to [-1, 1] first; early iterates leave that range, which is why their
 * PSNR to the serial x0 can be negative).
 */

/** The criterion the default solver is timed against: PSNR(x0, serial x0) >= this, for every image. */
export const X0_PSNR_CRITERION_DB = 40;

export interface X0Distance {
  /** PSNR (dB, peak-to-peak 2) of each image's x0 against the serial x0. */
  psnr: number[];
  /** max |x0 - serial x0| of each image. */
  maxAbs: number[];
}

/** Per image of a batch held flat ([B, ...] both): PSNR and max abs difference to the serial x0. */
export function x0DistancePerImage(x0: ArrayLike<number>, serialX0: ArrayLike<number>, batch: number): X0Distance {
  if (x0.length !== serialX0.length || x0.length % batch)
    throw new RangeError(`x0ToSerial: ${x0.length} values against ${serialX0.length} for a batch of ${batch}`);
  const per = x0.length / batch;
  const psnr: number[] = [];
  const maxAbs: number[] = [];
  for (let b = 0; b < batch; b++) {
    let m = 0;
    let se = 0;
    for (let i = b * per; i < (b + 1) * per; i++) {
      const e = x0[i] - serialX0[i];
      m = Math.max(m, Math.abs(e));
      se += e * e;
    }
    psnr.push(psnrOfMse(se / per));
    maxAbs.push(m);
  }
  return { psnr, maxAbs };
}

/**
 * The same for a solver iterate: `fx` is F(X) ([T, B, ...]), whose last row is x0 (the state the
 * solver's x0 is read from); reads back only that row.
 */
export async function iterateX0ToSerial(fx: tf.Tensor, T: number, serialX0: ArrayLike<number>, batch: number): Promise<X0Distance> {
  const x0 = tf.tidy(() => tf.slice(tf.reshape(fx, [T, -1]), [T - 1, 0], [1, -1]));
  try {
    return x0DistancePerImage((await x0.data()) as Float32Array, serialX0, batch);
  } finally {
    x0.dispose();
  }
}

/** Whether every image of the batch meets the 40 dB criterion. */
export const meetsX0Criterion = (d: X0Distance): boolean => d.psnr.every((p) => p >= X0_PSNR_CRITERION_DB);
