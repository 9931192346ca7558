import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../models/unet/params.js';

/** A copy of the parameters to average into (owned by the caller). */
export function cloneParams(p: Params): Params {
  const out: Params = {};
  for (const [k, t] of Object.entries(p)) out[k] = tf.clone(t);
  return out;
}

/**
 * Decay with warm-up, min(decay, (1 + step) / (10 + step)): early on the average follows the
 * weights closely instead of remembering the random initialisation for thousands of steps.
 */
export function emaDecayAt(step: number, decay: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

/** ema <- d * ema + (1 - d) * params, in place (old tensors disposed). */
export function emaUpdate(ema: Params, params: Params, d: number): void {
  for (const k of Object.keys(ema)) {
    const next = tf.tidy(() => tf.add(tf.mul(ema[k], d), tf.mul(params[k], 1 - d)));
    ema[k].dispose();
    ema[k] = next;
  }
}
