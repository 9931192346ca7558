import * as tf from '@tensorflow/tfjs-core';
import { ParameterError, ShapeError } from '../errors.js';
import { fitPixelGaussian, PRIOR_VARIANCE_FLOOR } from './pixelGaussian.js';
import { linearSchedule, type DiffusionSchedule } from '../schedule/linearSchedule.js';
import type { ImageShape } from '../image/imageShape.js';
import type { EpsModel } from './epsModel.js';

/**
 * Exact eps for data x_0 ~ N(mu, diag(var)): since x_t = sqrt(a) x_0 + sqrt(1-a) eps is Gaussian,
 *   E[eps | x_t] = sqrt(1-a) (x_t - sqrt(a) mu) / (a var + 1 - a).
 * No training, exact, cheap: every fixed-point test runs on it. mean/variance are per pixel (NHWC
 * order, H*W*C values) or one number for all pixels.
 */
export function gaussianPrior(
  schedule: DiffusionSchedule,
  imageShape: ImageShape,
  mean: ArrayLike<number> | number,
  variance: ArrayLike<number> | number,
): EpsModel {
  const D = imageShape[0] * imageShape[1] * imageShape[2];
  const mu = tf.keep(perPixel(mean, D, imageShape, 'mean'));
  const v = tf.keep(perPixel(variance, D, imageShape, 'variance'));
  if (tf.tidy(() => tf.any(tf.lessEqual(v, 0)).dataSync()[0])) {
    mu.dispose();
    v.dispose();
    throw new ParameterError('gaussian prior: every variance must be > 0');
  }
  return {
    name: 'gaussian',
    imageShape,
    eps: (x, t) =>
      tf.tidy(() => {
        checkModelInput(x, t, imageShape, 'gaussian prior');
        const a = batchScalars(t.map((ti) => schedule.abar(ti)));
        const diff = tf.sub(x, tf.mul(tf.sqrt(a), mu));
        return tf.div(tf.mul(tf.sqrt(tf.sub(1, a)), diff), tf.add(tf.mul(a, v), tf.sub(1, a))) as tf.Tensor4D;
      }),
    dispose: () => {
      mu.dispose();
      v.dispose();
    },
  };
}

/** A [1, H, W, C] tensor from a per-pixel array or a scalar. */
function perPixel(value: ArrayLike<number> | number, D: number, shape: ImageShape, what: string): tf.Tensor4D {
  if (typeof value === 'number') return tf.fill([1, ...shape], value) as tf.Tensor4D;
  if (value.length !== D) throw new ShapeError(`${what} has ${value.length} values, expected H*W*C = ${D}`);
  return tf.tensor4d(Float32Array.from(value), [1, ...shape]);
}

/** [B, 1, 1, 1] tensor of one float per batch entry. */
function batchScalars(values: readonly number[]): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1]);
}

export function checkModelInput(x: tf.Tensor, t: readonly number[], shape: ImageShape, who: string): void {
  if (x.rank !== 4 || x.shape[1] !== shape[0] || x.shape[2] !== shape[1] || x.shape[3] !== shape[2]) {
    throw new ShapeError(`${who}: x must have shape [B, ${shape.join(', ')}], got [${x.shape.join(', ')}]`);
  }
  if (t.length !== x.shape[0]) throw new ShapeError(`${who}: got ${t.length} timesteps for a batch of ${x.shape[0]}`);
}

/** The diagonal Gaussian prior fitted per pixel to `count` images in [-1, 1] (models/pixelGaussian.ts). */
export function fittedGaussianPrior(images: ArrayLike<number>, count: number, imageShape: ImageShape): EpsModel {
  const fit = fitPixelGaussian(images, count, PRIOR_VARIANCE_FLOOR);
  return gaussianPrior(linearSchedule(), imageShape, fit.mean, fit.variance);
}
