import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../errors.js';
import { gaussianArray } from '../random/prng.js';
import type { LinearOperator } from './linearOperator.js';

/** y = A x + sigmaY n with n ~ N(0, I) drawn from `seed` (same numbers on every backend). */
export function measure(op: LinearOperator, x: tf.Tensor4D, sigmaY = 0, seed = 0): tf.Tensor {
  if (!(sigmaY >= 0) || !Number.isFinite(sigmaY)) throw new ParameterError(`sigmaY must be a finite number >= 0, got ${sigmaY}`);
  return tf.tidy(() => {
    const y = op.A(x);
    if (sigmaY === 0) return y;
    const noise = tf.tensor(gaussianArray(y.size, seed), y.shape);
    return tf.add(y, tf.mul(noise, sigmaY));
  });
}
