import * as tf from '@tensorflow/tfjs-core';
import type { UNetConfig } from './config.js';
import type { MacCounter } from './fastGrads.js';
import { countParams, type Params } from './params.js';
import { unetForward } from './unetForward.js';

export interface UNetComplexity {
  params: number;
  /** Multiply-accumulates of convs, dense layers and attention matmuls for ONE image. */
  macsPerImage: number;
  /** 2 x MACs: the usual FLOP convention; norms and activations are not counted. */
  flopsPerImage: number;
}

/** Counts by running one forward pass at batch 1 with a MAC counter (no duplicated bookkeeping). */
export function unetComplexity(cfg: UNetConfig, params: Params): UNetComplexity {
  const counter: MacCounter = { macs: 0 };
  tf.tidy(() => {
    unetForward(cfg, params, tf.zeros([1, ...cfg.imageShape]) as tf.Tensor4D, [0], { counter });
  });
  return { params: countParams(cfg), macsPerImage: counter.macs, flopsPerImage: 2 * counter.macs };
}
