import * as tf from '@tensorflow/tfjs-core';

/**
 * On a lower-triangular map, rows 0..exact-1 of F(X) are exact after `exact` calls: take those from
 * `fx` and the rest from the solver's `candidate` (mixed or damped), so acceleration never disturbs
 * a finished row and the solve stays exact after `rows` iterations. Selects on a [rows, rest] view
 * (WebGPU's Select kernel stops at rank 4). Call inside tf.tidy.
 */
export function keepExactRows(fx: tf.Tensor, candidate: tf.Tensor, exact: number): tf.Tensor {
  const rows = fx.shape[0] ?? 1;
  const mask = tf.tensor(
    Array.from({ length: rows }, (_, r) => (r < exact ? 1 : 0)),
    [rows, 1],
    'bool',
  );
  const flat = (t: tf.Tensor) => tf.reshape(t, [rows, -1]);
  return tf.reshape(tf.where(tf.broadcastTo(mask, [rows, fx.size / rows]), flat(fx), flat(candidate)), fx.shape);
}
