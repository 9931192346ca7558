import type * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import type { SpectralView } from './spectralView.js';

/**
 * A linear degradation y = A x on batches of NHWC images (deepinv's physics contract).
 *
 * Every method is pure: it never disposes its argument and returns a fresh tensor.
 *   A(x)        the measurement, shape [N, ...measurementShape]
 *   AT(y)       the adjoint (transpose)
 *   Apinv(y)    the Moore–Penrose pseudo-inverse A+
 *   project(x)  A+ A x, the orthogonal projector onto the row space (I - project is DDNM's null-space part)
 * Operators that hold constant tensors release them in dispose(). Separable operators, inpainting,
 * compressed sensing and denoising also expose their SVD (spectral()).
 */
export interface LinearOperator {
  readonly kind: string;
  /** One line a person can read: task and parameters. */
  readonly description: string;
  readonly imageShape: ImageShape;
  /** Shape of one measurement, without the batch axis. */
  readonly measurementShape: readonly number[];
  A(x: tf.Tensor): tf.Tensor;
  AT(y: tf.Tensor): tf.Tensor4D;
  Apinv(y: tf.Tensor): tf.Tensor4D;
  project(x: tf.Tensor): tf.Tensor4D;
  /** The SVD in coordinates (DDRM), where it is cheap and exact; the caller disposes the view. */
  spectral?(): SpectralView;
  dispose(): void;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Checks that `t` is a batch of tensors of shape `item`; names the operator and argument. */
export function checkBatch(t: tf.Tensor, item: readonly number[], who: string, what: string): void {
  if (t.rank !== item.length + 1 || !sameShape(t.shape.slice(1), item)) {
    throw new ShapeError(`${who}: ${what} must have shape [N, ${item.join(', ')}], got [${t.shape.join(', ')}]`);
  }
}
