import * as tf from '@tensorflow/tfjs-core';
import { throwIfAborted } from '../errors.js';
import { checkFiniteX0 } from '../restoration/nonFinite.js';
import type { RestorationTask } from '../restoration/restorationTask.js';

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
 * One DDNM (or, with measurement noise, DDNM+) step k from state x (pure; tensors returned are new).
 * yTerm = task.yTerm or, for gradients with respect to y, the same made from y: A+ y for DDNM,
 * task.noiseAware.measurementTerm(y) for DDNM+.
 */
export function serialStep(task: RestorationTask, k: number, x: tf.Tensor4D, yTerm: tf.Tensor): { eps: tf.Tensor4D; x0Pred: tf.Tensor4D; next: tf.Tensor4D } {
  const { model, operator: op } = task.inputs;
  const c = task.coeffs;
  return tf.tidy(() => {
    const eps = model.eps(x, new Array<number>(task.batch).fill(c.t[k]));
    const x0Pred = tf.div(tf.sub(x, tf.mul(eps, c.sqrtOneMinusAbarT[k])), c.sqrtAbarT[k]) as tf.Tensor4D;
    if (task.noiseAware) {
      const z = task.noiseAt(k);
      const one = (v: tf.Tensor) => tf.expandDims(v, 0);
      const next = task.noiseAware.next(k, 1, one(x0Pred), one(eps), z && one(tf.broadcastTo(z, x.shape)), yTerm);
      return { eps, x0Pred, next: tf.reshape(next, x.shape) as tf.Tensor4D };
    }
    const Apy = yTerm;
    const x0Hat = tf.sub(tf.add(Apy, x0Pred), op.project(x0Pred));
    let next = tf.add(tf.mul(x0Hat, c.sqrtAbarS[k]), tf.mul(eps, c.c2[k]));
    const z = task.noiseAt(k);
    if (z) next = tf.add(next, tf.mul(z, c.c1[k]));
    return { eps, x0Pred, next: next as tf.Tensor4D };
  });
}

/** The whole chain as one synchronous tensor function of (xT, y): what back-propagation differentiates. */
export function serialX0With(task: RestorationTask, xT: tf.Tensor4D, y: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const yTerm = task.noiseAware ? task.noiseAware.measurementTerm(y) : task.inputs.operator.Apinv(y);
    let x = xT;
    for (let k = 0; k < task.coeffs.T; k++) x = serialStep(task, k, x, yTerm).next;
    return x;
  });
}

/**
 * The classic sampler: T network calls in a row, each a DDNM null-space step inside DDIM
 * (docs/design.md §2.1 "One serial step"):
 *   x0|t = (x_t - sqrt(1-abar_t) eps) / sqrt(abar_t)
 *   x0^  = A+ y + (I - A+A) x0|t
 *   x_s  = sqrt(abar_s) x0^ + c2 eps + c1 z
 * or, when the task has measurement noise, DDNM+'s noise-aware step (samplers/noiseAwareStep.ts).
 */
export async function serialChain(task: RestorationTask, opts: SerialOptions = {}): Promise<SerialResult> {
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
  // A NaN or Inf x0 is never returned: the error names the first non-finite quantity (restoration/nonFinite.ts).
  if (opts.checkFinite === false) await x.data();
  else
    await checkFiniteX0(task, x, 'the serial chain').catch((e: unknown) => {
      x.dispose();
      throw e;
    });
  return { x0: x, nfe: c.T, sequentialDepth: c.T, wallMs: performance.now() - start, trajectory };
}
