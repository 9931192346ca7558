import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../../models/unet/params.js';

/** Where each named parameter lives in one flat Float32Array (the shape shared memory has). */
export interface ParamLayout {
  names: string[];
  shapes: number[][];
  offsets: number[];
  size: number;
}

export function paramLayout(p: Params): ParamLayout {
  const names = Object.keys(p);
  const shapes = names.map((n) => p[n].shape.slice());
  const offsets: number[] = [];
  let size = 0;
  for (const n of names) {
    offsets.push(size);
    size += p[n].size;
  }
  return { names, shapes, offsets, size };
}

/** Copies tensors (ordered as layout.names) into `flat`. */
export function writeFlat(layout: ParamLayout, tensors: readonly tf.Tensor[], flat: Float32Array): void {
  tensors.forEach((t, i) => flat.set(t.dataSync() as Float32Array, layout.offsets[i]));
}

/** New tensors (owned by the caller) holding a copy of `flat`, ordered as layout.names. */
export function readFlat(layout: ParamLayout, flat: Float32Array): tf.Tensor[] {
  return layout.names.map((_, i) => {
    const n = layout.shapes[i].reduce((a, b) => a * b, 1);
    return tf.tensor(flat.slice(layout.offsets[i], layout.offsets[i] + n), layout.shapes[i]);
  });
}

/** Params record from tensors ordered as layout.names. */
export function asParams(layout: ParamLayout, tensors: readonly tf.Tensor[]): Params {
  const p: Params = {};
  layout.names.forEach((n, i) => (p[n] = tensors[i]));
  return p;
}
