import * as tf from '@tensorflow/tfjs-core';
import { ParameterError, ShapeError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import { checkBatch, type LinearOperator } from './linearOperator.js';
import type { SpectralView } from './spectralView.js';

/**
 * Inpainting: y = m ⊙ x with a 0/1 mask m (H*W, 1 = observed) shared by all channels.
 * y layout: [N, H, W, C], missing pixels are 0. A is an orthogonal projector, so A = A^T = A+ = A+A.
 */
export function inpainting(imageShape: ImageShape, mask: ArrayLike<number>): LinearOperator & { spectral(): SpectralView } {
  const [H, W] = imageShape;
  if (mask.length !== H * W) throw new ShapeError(`inpainting: mask has ${mask.length} values, the image has H*W = ${H * W} pixels`);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 0 && mask[i] !== 1) throw new ParameterError(`inpainting: mask values must be 0 or 1, found ${mask[i]} at index ${i}`);
  }
  const observed = Array.from(mask).reduce((a, b) => a + b, 0);
  const m = tf.keep(tf.tensor4d(Float32Array.from(mask), [1, H, W, 1]));
  const apply = (x: tf.Tensor, what: string) => {
    checkBatch(x, imageShape, 'inpainting', what);
    return tf.mul(x, m) as tf.Tensor4D;
  };
  return {
    kind: 'inpainting',
    description: `inpainting (${Math.round((100 * observed) / (H * W))} % of pixels observed)`,
    imageShape,
    measurementShape: imageShape,
    A: (x) => apply(x, 'x'),
    AT: (y) => apply(y, 'y'),
    Apinv: (y) => apply(y, 'y'),
    project: (x) => apply(x, 'x'),
    // U = V = I and s = the mask: pixel space is already spectral.
    spectral: () => {
      const s = tf.clone(m);
      return {
        spectralShape: imageShape,
        singulars: s,
        Vt: (x) => tf.clone(x),
        V: (x) => tf.clone(x) as tf.Tensor4D,
        Ut: (y) => tf.mul(y, s),
        U: (y) => tf.mul(y, s),
        dispose: () => s.dispose(),
      };
    },
    dispose: () => m.dispose(),
  };
}
