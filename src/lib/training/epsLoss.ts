import * as tf from '@tensorflow/tfjs-core';
import type { DiffusionSchedule } from '../schedule/linearSchedule.js';

/**
 * x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps (DDPM forward process), per batch entry.
 * Coefficients are computed in float64 in JS and uploaded as [B,1,1,1].
 */
export function noisyImages(schedule: DiffusionSchedule, x0: tf.Tensor4D, t: readonly number[], eps: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const b = t.length;
    const a = tf.tensor4d(
      t.map((s) => Math.sqrt(schedule.abar(s))),
      [b, 1, 1, 1],
    );
    const s = tf.tensor4d(
      t.map((v) => Math.sqrt(1 - schedule.abar(v))),
      [b, 1, 1, 1],
    );
    return tf.add(tf.mul(x0, a), tf.mul(eps, s));
  });
}

/** The simple DDPM objective: mean over pixels and batch of (eps_theta(x_t, t) - eps)^2. */
export function epsMse(pred: tf.Tensor4D, eps: tf.Tensor4D): tf.Scalar {
  return tf.mean(tf.squaredDifference(pred, eps));
}
