import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows 0..count-1 from `source`, the rest from `candidate`. On a lower-triangular map the loop uses
 * it to keep finished rows as they are (acceleration or damping never disturbs a finished row, so a
 * solve stays exact after `rows` iterations). Selects on a [rows, rest] view (WebGPU's Select
 * kernel stops at rank 4). Call inside tf.tidy.
 */
export function keepRows(source: tf.Tensor, candidate: tf.Tensor, count: number): tf.Tensor {
  const rows = source.shape[0] ?? 1;
  if (count <= 0) return candidate;
  if (count >= rows) return source;
  const mask = tf.tensor(
    Array.from({ length: rows }, (_, r) => (r < count ? 1 : 0)),
    [rows, 1],
    'bool',
  );
  const flat = (t: tf.Tensor) => tf.reshape(t, [rows, -1]);
  return tf.reshape(tf.where(tf.broadcastTo(mask, [rows, source.size / rows]), flat(source), flat(candidate)), source.shape);
}
