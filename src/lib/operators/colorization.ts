import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import { checkBatch, type LinearOperator } from './linearOperator.js';
import type { SpectralView } from './spectralView.js';

/**
 * An orthonormal basis of one pixel's colour: the grey direction (1, 1, 1)/sqrt(3), which A
 * measures, and two chroma directions it cannot see.
 */
const COLOUR_BASIS = [
  [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)],
  [1 / Math.sqrt(2), -1 / Math.sqrt(2), 0],
  [1 / Math.sqrt(6), 1 / Math.sqrt(6), -2 / Math.sqrt(6)],
];

/**
 * Colorization: y = mean of the three channels (as the reference), y layout [N, H, W, 1].
 * A = (1/3)[1 1 1] per pixel, so A^T y = y/3 in every channel and A+ y = y in every channel; its
 * SVD (for DDRM and DDNM+'s noise-aware step) is per pixel too.
 */
export function colorization(imageShape: ImageShape): LinearOperator & { spectral(): SpectralView } {
  const [H, W, C] = imageShape;
  if (C !== 3) throw new ShapeError(`colorization needs colour images with 3 channels, got ${C}`);
  const yShape = [H, W, 1] as const;
  const mean = (x: tf.Tensor) => tf.mean(x, 3, true);
  const spread = (y: tf.Tensor, scale: number) => tf.tidy(() => tf.tile(tf.mul(y, scale), [1, 1, 1, 3]) as tf.Tensor4D);
  return {
    kind: 'colorization',
    description: 'colorization (y = channel mean)',
    imageShape,
    measurementShape: yShape,
    A: (x) => (checkBatch(x, imageShape, 'colorization', 'x'), mean(x)),
    AT: (y) => (checkBatch(y, yShape, 'colorization', 'y'), spread(y, 1 / 3)),
    Apinv: (y) => (checkBatch(y, yShape, 'colorization', 'y'), spread(y, 1)),
    project: (x) => (checkBatch(x, imageShape, 'colorization', 'x'), tf.tidy(() => spread(mean(x), 1))),
    // Per pixel A = (1/sqrt(3)) q0^T with q0 the grey direction: V = the colour basis (spectral layout
    // [H, W, 3], grey coordinate first), U = I on the measured grey, s = (1/sqrt(3), 0, 0).
    spectral: () => {
      const v = tf.tidy(() => ({
        Q: tf.tensor2d(COLOUR_BASIS),
        QT: tf.transpose(tf.tensor2d(COLOUR_BASIS)) as tf.Tensor2D,
        s: tf.tensor4d([1 / Math.sqrt(3), 0, 0], [1, 1, 1, 3]),
      }));
      Object.values(v).forEach((x) => tf.keep(x));
      const perPixel = (x: tf.Tensor, m: tf.Tensor2D) =>
        tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(x, [-1, 3]), m), [x.shape[0], H, W, 3]) as tf.Tensor4D);
      return {
        spectralShape: imageShape,
        singulars: v.s,
        Vt: (x) => perPixel(x, v.QT),
        V: (xb) => perPixel(xb, v.Q),
        Ut: (y) =>
          tf.tidy(() =>
            tf.pad(y, [
              [0, 0],
              [0, 0],
              [0, 0],
              [0, 2],
            ]),
          ),
        U: (yb) => tf.tidy(() => tf.slice(yb, [0, 0, 0, 0], [-1, -1, -1, 1])),
        dispose: () => Object.values(v).forEach((x) => x.dispose()),
      };
    },
    dispose: () => {},
  };
}
