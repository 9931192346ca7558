import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape } from '../image/imageShape.js';
import { checkBatch, type LinearOperator } from './linearOperator.js';
import type { SpectralView } from './spectralView.js';

/** Denoising: A = I (the measurement noise sigma_y is the whole degradation). y layout [N, H, W, C]. */
export function denoising(imageShape: ImageShape): LinearOperator & { spectral(): SpectralView } {
  const id = (x: tf.Tensor, what: string) => (checkBatch(x, imageShape, 'denoising', what), tf.clone(x) as tf.Tensor4D);
  return {
    kind: 'denoising',
    description: 'denoising (A = I)',
    imageShape,
    measurementShape: imageShape,
    A: (x) => id(x, 'x'),
    AT: (y) => id(y, 'y'),
    Apinv: (y) => id(y, 'y'),
    project: (x) => id(x, 'x'),
    spectral: () => {
      const s = tf.ones([1, ...imageShape]);
      const same = (x: tf.Tensor) => tf.clone(x) as tf.Tensor4D;
      return { spectralShape: imageShape, singulars: s, Vt: same, V: same, Ut: same, U: same, dispose: () => s.dispose() };
    },
    dispose: () => {},
  };
}
