import * as tf from '@tensorflow/tfjs-core';
import { releasingTapeOnFailure } from '../tensors/releasingTapeOnFailure.js';
import type { UNetConfig } from '../models/unet/config.js';
import { validateUNetConfig } from '../models/unet/config.js';
import { initParams, disposeParams, type Params } from '../models/unet/params.js';
import { unetForward } from '../models/unet/unetForward.js';
import { childSeed, uniformStream } from '../random/prng.js';
import type { DiffusionSchedule } from '../schedule/linearSchedule.js';
import { adamUpdate, createAdamState, type AdamState } from '../optim/adam.js';
import { drawBatch } from './batches.js';
import { cloneParams, emaDecayAt, emaUpdate } from './ema.js';
import { epsMse, noisyImages } from './epsLoss.js';
import { learningRateAt, type LearningRateSchedule } from './learningRate.js';

/** Hyper-parameters of a run (stored in checkpoints and model cards). */
export interface TrainHyper extends LearningRateSchedule {
  batchSize: number;
  emaDecay: number;
  /** Global gradient-norm clip (DDPM uses 1.0). */
  gradClip: number;
  seed: number;
}

export const DEFAULT_HYPER: TrainHyper = {
  batchSize: 32,
  lr: 5e-4,
  warmupSteps: 200,
  emaDecay: 0.999,
  gradClip: 1,
  seed: 1,
};

/** Training images: raw bytes [count, H*W*C] mapped to [-1, 1] per batch. */
export interface TrainingImages {
  readonly count: number;
  readonly pixels: Uint8Array;
}

export interface LossPoint {
  step: number;
  loss: number;
}

export interface TrainState {
  config: UNetConfig;
  hyper: TrainHyper;
  /** Steps completed. */
  step: number;
  params: Params;
  ema: Params;
  adam: AdamState;
  /** Mean loss over each window of `lossWindow` steps. */
  lossCurve: LossPoint[];
  lossWindow: number;
  window: { sum: number; n: number };
  /** Seconds spent in trainStep over all sessions of this run. */
  trainSeconds: number;
}

export function createTrainState(config: UNetConfig, hyper: TrainHyper, lossWindow = 50): TrainState {
  validateUNetConfig(config);
  const params = initParams(config, hyper.seed);
  return {
    config,
    hyper,
    step: 0,
    params,
    ema: cloneParams(params),
    adam: createAdamState(params),
    lossCurve: [],
    lossWindow,
    window: { sum: 0, n: 0 },
    trainSeconds: 0,
  };
}

export function disposeTrainState(s: TrainState): void {
  disposeParams(s.params);
  disposeParams(s.ema);
  disposeParams(s.adam.m);
  disposeParams(s.adam.v);
}

/** A contiguous slice [start, end) of one step's batch: the unit of data-parallel work. */
export interface BatchShard {
  start: number;
  end: number;
}

/** Builds one batch's tensors [b,H,W,C] for rows [start, end) of the batch drawn from (seed, step). */
function batchTensors(config: UNetConfig, hyper: TrainHyper, step: number, data: TrainingImages, N: number, shard: BatchShard) {
  const [h, w, c] = config.imageShape;
  const px = h * w * c;
  const draw = drawBatch(hyper.seed, step, hyper.batchSize, data.count, N, px);
  const rows = draw.indices.slice(shard.start, shard.end);
  const x0 = new Float32Array(rows.length * px);
  rows.forEach((idx, b) => {
    const src = data.pixels.subarray(idx * px, (idx + 1) * px);
    for (let i = 0; i < px; i++) x0[b * px + i] = src[i] / 127.5 - 1;
  });
  const shape: [number, number, number, number] = [rows.length, h, w, c];
  return {
    x0: tf.tensor4d(x0, shape),
    eps: tf.tensor4d(draw.noise.subarray(shard.start * px, shard.end * px), shape),
    t: draw.t.slice(shard.start, shard.end),
  };
}

/**
 * Seeded inverted-dropout masks, drawn in JS so every backend sees the same ones. A shard draws
 * the whole batch's mask and keeps its rows, so shards together see exactly the masks of the
 * unsharded step.
 */
function dropoutFor(config: UNetConfig, hyper: TrainHyper, step: number, shard: BatchShard) {
  const rate = config.dropout;
  if (rate <= 0) return undefined;
  const rnd = uniformStream(childSeed(hyper.seed ^ 0x5bd1e995, step));
  return {
    rate,
    mask: (shape: number[]) => {
      const row = shape.slice(1).reduce((a, b) => a * b, 1);
      const n = hyper.batchSize * row;
      const m = new Float32Array(n);
      for (let i = 0; i < n; i++) m[i] = rnd() < rate ? 0 : 1;
      return tf.tensor(m.subarray(shard.start * row, shard.end * row), shape);
    },
  };
}

/** What one shard contributes to a step: its loss and gradients, weighted by its share of the batch. */
export interface ShardGradients {
  /** (rows in shard / batch size) x the shard's mean loss. */
  loss: number;
  /** Same weighting; ordered as Object.keys(params). */
  grads: tf.Tensor[];
}

/**
 * Loss and gradients of the eps-MSE over rows [start, end) of step `step`'s batch, scaled by the
 * shard's share of the batch so that shards sum to the whole batch's mean loss and gradient.
 * Pure in the parameters: data-parallel workers call it on their copy.
 */
export function shardGradients(
  config: UNetConfig,
  hyper: TrainHyper,
  step: number,
  params: Params,
  data: TrainingImages,
  schedule: DiffusionSchedule,
  shard: BatchShard,
): ShardGradients {
  const names = Object.keys(params);
  const weight = (shard.end - shard.start) / hyper.batchSize;
  const { x0, eps, t } = batchTensors(config, hyper, step, data, schedule.N, shard);
  const dropout = dropoutFor(config, hyper, step, shard);
  let result: { value: tf.Scalar; grads: tf.Tensor[] };
  try {
    result = tf.tidy(() => {
      const xt = noisyImages(schedule, x0, t, eps);
      const f = (...ts: tf.Tensor[]) => {
        const p: Params = {};
        names.forEach((n, i) => (p[n] = ts[i]));
        return tf.mul(epsMse(unetForward(config, p, xt, t, { dropout }), eps), weight) as tf.Scalar;
      };
      return releasingTapeOnFailure(() => tf.valueAndGrads(f)(names.map((n) => params[n])));
    });
  } finally {
    x0.dispose();
    eps.dispose();
  }
  const { value, grads } = result;
  const loss = value.dataSync()[0];
  value.dispose();
  return { loss, grads };
}

/**
 * The update half of a step, given the whole batch's loss and gradients (ordered as
 * Object.keys(s.params); consumed): global-norm clipping, Adam at the scheduled learning rate (learningRate.ts), EMA, loss curve.
 */
export function applyGradients(s: TrainState, loss: number, grads: tf.Tensor[]): void {
  const names = Object.keys(s.params);
  const sq = tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
  const norm = Math.sqrt(sq.dataSync()[0]);
  sq.dispose();
  const scale = norm > s.hyper.gradClip ? s.hyper.gradClip / norm : 1;
  const clipped = scale < 1 ? grads.map((x) => tf.tidy(() => tf.mul(x, scale))) : grads;
  if (clipped !== grads) grads.forEach((x) => x.dispose());
  const g: Params = {};
  names.forEach((n, i) => (g[n] = clipped[i]));
  adamUpdate(s.params, g, s.adam, { lr: learningRateAt(s.hyper, s.step) });
  clipped.forEach((x) => x.dispose());
  emaUpdate(s.ema, s.params, emaDecayAt(s.step, s.hyper.emaDecay));
  s.step += 1;
  s.window.sum += loss;
  s.window.n += 1;
  if (s.window.n >= s.lossWindow) {
    s.lossCurve.push({ step: s.step, loss: s.window.sum / s.window.n });
    s.window = { sum: 0, n: 0 };
  }
}

/**
 * One optimisation step: eps-MSE on a seeded batch, global-norm clipping, Adam with warm-up,
 * EMA. Returns the batch loss (before the update). Leaves no tensors behind.
 */
export function trainStep(s: TrainState, data: TrainingImages, schedule: DiffusionSchedule): number {
  const { loss, grads } = shardGradients(s.config, s.hyper, s.step, s.params, data, schedule, { start: 0, end: s.hyper.batchSize });
  applyGradients(s, loss, grads);
  return loss;
}
