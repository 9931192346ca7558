import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import { checkBatch, type LinearOperator } from './linearOperator.js';

/**
 * Colorization: y = mean of the three channels (as the reference), y layout [N, H, W, 1].
 * A = (1/3)[1 1 1] per pixel, so A^T y = y/3 in every channel and A+ y = y in every channel.
 */
export function colorization(imageShape: ImageShape): LinearOperator {
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
    dispose: () => {},
  };
}
