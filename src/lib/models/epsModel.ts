import type * as tf from '@tensorflow/tfjs-core';
import type { ImageShape } from '../image/imageShape.js';

/**
 * The one model contract of the kit: a noise predictor eps_theta(x_t, t).
 *
 * x is a batch [B, H, W, C] of noisy images (NHWC, pixel values of x_0 in [-1, 1]); t holds one
 * integer timestep in 0..N-1 per batch entry. The result has x's shape. Implementations must not
 * dispose x, must return a fresh tensor, and must be deterministic (no dropout at inference).
 * The UNet, the analytic Gaussian priors and test doubles all implement it.
 */
export interface EpsModel {
  readonly name: string;
  readonly imageShape: ImageShape;
  eps(x: tf.Tensor4D, t: readonly number[]): tf.Tensor4D;
  /** Releases weights or constants held by the model (optional for stateless models). */
  dispose?(): void;
}
