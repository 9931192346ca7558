import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../errors.js';
import type { DiffusionSchedule } from '../schedule/linearSchedule.js';
import type { ImageShape } from '../image/imageShape.js';
import type { EpsModel } from './epsModel.js';
import { checkModelInput } from './gaussianPrior.js';

export interface MixtureComponent {
  weight: number;
  /** H*W*C values (NHWC order). */
  mean: ArrayLike<number>;
  /** H*W*C values > 0, or one number for all pixels. */
  variance: ArrayLike<number> | number;
}

/**
 * Exact eps for a mixture of diagonal Gaussians: each component k gives the Gaussian eps_k, and
 * E[eps | x_t] = sum_k r_k(x_t) eps_k(x_t) with responsibilities r_k ∝ w_k N(x_t; sqrt(a) mu_k, a var_k + 1 - a).
 * Nonlinear in x_t (the responsibilities), so it exercises the solvers beyond a linear map.
 */
export function gaussianMixturePrior(schedule: DiffusionSchedule, imageShape: ImageShape, components: MixtureComponent[]): EpsModel {
  const D = imageShape[0] * imageShape[1] * imageShape[2];
  if (components.length === 0) throw new ParameterError('gaussian mixture: needs at least one component');
  const total = components.reduce((s, c) => s + c.weight, 0);
  components.forEach((c, k) => {
    if (!(c.weight > 0)) throw new ParameterError(`gaussian mixture: weight of component ${k} must be > 0`);
    if (c.mean.length !== D) throw new ParameterError(`gaussian mixture: mean of component ${k} has ${c.mean.length} values, expected ${D}`);
  });
  const K = components.length;
  const { mu, v, logW } = tf.tidy(() => ({
    mu: tf.tensor3d(Float32Array.from(components.flatMap((c) => Array.from(c.mean))), [1, K, D]),
    v: tf.tensor3d(
      Float32Array.from(components.flatMap((c) => (typeof c.variance === 'number' ? new Array<number>(D).fill(c.variance) : Array.from(c.variance)))),
      [1, K, D],
    ),
    logW: tf.tensor2d(components.map((c) => Math.log(c.weight / total)), [1, K]),
  }));
  [mu, v, logW].forEach((t) => tf.keep(t));
  return {
    name: 'gaussian-mixture',
    imageShape,
    eps: (x, t) =>
      tf.tidy(() => {
        checkModelInput(x, t, imageShape, 'gaussian mixture prior');
        const B = x.shape[0];
        const a = tf.tensor3d(Float32Array.from(t.map((ti) => schedule.abar(ti))), [B, 1, 1]);
        const xf = tf.reshape(x, [B, 1, D]);
        const diff = tf.sub(xf, tf.mul(tf.sqrt(a), mu)); // [B, K, D]
        const varT = tf.add(tf.mul(a, v), tf.sub(1, a)); // [B, K, D]
        const logp = tf.add(logW, tf.mul(-0.5, tf.sum(tf.add(tf.div(tf.square(diff), varT), tf.log(varT)), 2)));
        const r = tf.softmax(logp, 1); // [B, K]
        const epsK = tf.div(diff, varT);
        const eps = tf.mul(tf.sqrt(tf.sub(1, a)), tf.sum(tf.mul(tf.expandDims(r, 2), epsK), 1, true));
        return tf.reshape(eps, x.shape) as tf.Tensor4D;
      }),
    dispose: () => [mu, v, logW].forEach((t) => t.dispose()),
  };
}
