import * as tf from '@tensorflow/tfjs-core';
import { throwIfAborted } from '../errors.js';
import { checkFiniteX0 } from './nonFinite.js';
import type { PreparedRestoration } from './preparedRestoration.js';
import { serialStep } from './serialStep.js';

/** What the chain shows a visualisation at each step; tensors are valid only during the callback. */
export interface SerialStepRecord {
  k: number;
  t: number;
  s: number;
  x: tf.Tensor4D;
  eps: tf.Tensor4D;
  /** Model's prediction of x_0 from x_t, before the null-space correction. */
  x0Pred: tf.Tensor4D;
  next: tf.Tensor4D;
}

export interface SerialOptions {
  signal?: AbortSignal;
  onStep?: (rec: SerialStepRecord) => void | Promise<void>;
  /** Read back x_t and x0|t at every step (Float32Array per step) for plotting. */
  keepTrajectory?: boolean;
  /** Refuse a non-finite x0 with a NonFiniteError (default); false only for the replay that locates one. */
  checkFinite?: boolean;
}

export interface SerialResult {
  x0: tf.Tensor4D;
  /** Network evaluations per image. */
  nfe: number;
  sequentialDepth: number;
  wallMs: number;
  trajectory?: { t: number[]; x: Float32Array[]; x0Pred: Float32Array[] };
}

/**
 * The classic sampler: T network calls in a row, each a DDNM null-space step inside DDIM
 * (docs/design.md §2.1 "One serial step"):
 *   x0|t = (x_t - sqrt(1-abar_t) eps) / sqrt(abar_t)
 *   x0^  = A+ y + (I - A+A) x0|t
 *   x_s  = sqrt(abar_s) x0^ + c2 eps + c1 z
 * or, when the task has measurement noise, DDNM+'s noise-aware step (samplers/ddnmPlusStep.ts).
 */
export async function serialChain(task: PreparedRestoration, opts: SerialOptions = {}): Promise<SerialResult> {
  const { xT } = task.inputs;
  const c = task.coeffs;
  const start = performance.now();
  const trajectory = opts.keepTrajectory ? { t: [] as number[], x: [] as Float32Array[], x0Pred: [] as Float32Array[] } : undefined;
  let x = tf.clone(xT);
  try {
    for (let k = 0; k < c.T; k++) {
      throwIfAborted(opts.signal);
      const step = serialStep(task, k, x, task.yTerm);
      try {
        if (trajectory) {
          trajectory.t.push(c.t[k]);
          trajectory.x.push((await x.data()) as Float32Array);
          trajectory.x0Pred.push((await step.x0Pred.data()) as Float32Array);
        }
        if (opts.onStep) await opts.onStep({ k, t: c.t[k], s: c.s[k], x, ...step });
      } catch (e) {
        step.next.dispose();
        throw e;
      } finally {
        step.eps.dispose();
        step.x0Pred.dispose();
      }
      x.dispose();
      x = step.next;
    }
  } catch (e) {
    x.dispose();
    throw e;
  }
  // A NaN or Inf x0 is never returned: the error names the first non-finite quantity (samplers/nonFinite.ts).
  if (opts.checkFinite === false) await x.data();
  else
    await checkFiniteX0(task, x, 'the serial chain').catch((e: unknown) => {
      x.dispose();
      throw e;
    });
  return { x0: x, nfe: c.T, sequentialDepth: c.T, wallMs: performance.now() - start, trajectory };
}
