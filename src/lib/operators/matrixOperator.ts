import * as tf from '@tensorflow/tfjs-core';
import { Matrix } from 'ml-matrix';
import { ShapeError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import { checkBatch, type LinearOperator } from './linearOperator.js';
import { truncatedSvd } from './truncatedSvd.js';

/**
 * An explicit dense A [M, D] for small images, D = H*W*C with the image flattened in NHWC order
 * (problem files in NCHW order are permuted on load). y layout: [N, M].
 * Singular values below `svdThreshold` (default 1e-6 * largest) are truncated in A itself.
 */
export function matrixOperator(imageShape: ImageShape, A: number[][], svdThreshold?: number): LinearOperator {
  const D = imageShape[0] * imageShape[1] * imageShape[2];
  const M = new Matrix(A);
  if (M.columns !== D) throw new ShapeError(`matrix: A has ${M.columns} columns, the image has ${D} values (H*W*C)`);
  const sv = truncatedSvd(M, 0);
  const threshold = svdThreshold ?? 1e-6 * Math.max(...sv.singularValues);
  const m = truncatedSvd(M, threshold);
  const k = tf.tidy(() => ({
    AT: tf.tensor2d(m.effective.transpose().to2DArray()),
    A: tf.tensor2d(m.effective.to2DArray()),
    pinvT: tf.tensor2d(m.pinv.transpose().to2DArray()),
    // A+A is symmetric, so it is its own transpose.
    P: tf.tensor2d(m.pinv.mmul(m.effective).to2DArray()),
  }));
  Object.values(k).forEach((v) => tf.keep(v));
  const toImage = (v: tf.Tensor2D) => tf.reshape(v, [v.shape[0], ...imageShape]) as tf.Tensor4D;
  return {
    kind: 'matrix',
    description: `dense matrix ${M.rows}x${D} (rank ${m.rank})`,
    imageShape,
    measurementShape: [M.rows],
    A: (x) => {
      checkBatch(x, imageShape, 'matrix', 'x');
      return tf.tidy(() => tf.matMul(tf.reshape(x, [x.shape[0], D]), k.AT));
    },
    AT: (y) => {
      checkBatch(y, [M.rows], 'matrix', 'y');
      return tf.tidy(() => toImage(tf.matMul(y as tf.Tensor2D, k.A)));
    },
    Apinv: (y) => {
      checkBatch(y, [M.rows], 'matrix', 'y');
      return tf.tidy(() => toImage(tf.matMul(y as tf.Tensor2D, k.pinvT)));
    },
    project: (x) => {
      checkBatch(x, imageShape, 'matrix', 'x');
      return tf.tidy(() => toImage(tf.matMul(tf.reshape(x, [x.shape[0], D]), k.P)));
    },
    dispose: () => Object.values(k).forEach((v) => v.dispose()),
  };
}
