import * as tf from '@tensorflow/tfjs-core';
import type { UNetConfig } from '../models/unet/config.js';
import { validateUNetConfig } from '../models/unet/config.js';
import { initParams, disposeParams, type Params } from '../models/unet/params.js';
import { unetForward } from '../models/unet/unetForward.js';
import { childSeed, uniformStream } from '../random/prng.js';
import type { DiffusionSchedule } from '../schedule/linearSchedule.js';
import { adamUpdate, createAdamState, type AdamState } from './adam.js';
import { drawBatch } from './batches.js';
import { cloneParams, emaDecayAt, emaUpdate } from './ema.js';
import { epsMse, noisyImages } from './epsLoss.js';

/** Hyper-parameters of a run (stored in checkpoints and model cards). */
export interface TrainHyper {
  batchSize: number;
  lr: number;
  /** Linear learning-rate warm-up over this many steps. */
  warmupSteps: number;
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

export function learningRateAt(h: TrainHyper, step: number): number {
  return h.lr * Math.min(1, (step + 1) / Math.max(1, h.warmupSteps));
}

/** Builds one batch's tensors [B,H,W,C] from (seed, step): clean images and their noise. */
function batchTensors(s: TrainState, data: TrainingImages, N: number) {
  const [h, w, c] = s.config.imageShape;
  const px = h * w * c;
  const draw = drawBatch(s.hyper.seed, s.step, s.hyper.batchSize, data.count, N, px);
  const x0 = new Float32Array(draw.indices.length * px);
  draw.indices.forEach((idx, b) => {
    const src = data.pixels.subarray(idx * px, (idx + 1) * px);
    for (let i = 0; i < px; i++) x0[b * px + i] = src[i] / 127.5 - 1;
  });
  const shape: [number, number, number, number] = [draw.indices.length, h, w, c];
  return { x0: tf.tensor4d(x0, shape), eps: tf.tensor4d(draw.noise, shape), t: draw.t };
}

/** Seeded inverted-dropout masks, drawn in JS so every backend sees the same ones. */
function dropoutFor(s: TrainState) {
  const rate = s.config.dropout;
  if (rate <= 0) return undefined;
  const rnd = uniformStream(childSeed(s.hyper.seed ^ 0x5bd1e995, s.step));
  return {
    rate,
    mask: (shape: number[]) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const m = new Float32Array(n);
      for (let i = 0; i < n; i++) m[i] = rnd() < rate ? 0 : 1;
      return tf.tensor(m, shape);
    },
  };
}

/**
 * One optimisation step: eps-MSE on a seeded batch, global-norm clipping, Adam with warm-up,
 * EMA. Returns the batch loss (before the update). Leaves no tensors behind.
 */
export function trainStep(s: TrainState, data: TrainingImages, schedule: DiffusionSchedule): number {
  const names = Object.keys(s.params);
  const { x0, eps, t } = batchTensors(s, data, schedule.N);
  const dropout = dropoutFor(s);
  const { value, grads } = tf.tidy(() => {
    const xt = noisyImages(schedule, x0, t, eps);
    const f = (...ts: tf.Tensor[]) => {
      const p: Params = {};
      names.forEach((n, i) => (p[n] = ts[i]));
      return epsMse(unetForward(s.config, p, xt, t, { dropout }), eps);
    };
    const r = tf.valueAndGrads(f)(names.map((n) => s.params[n]));
    const sq = tf.addN(r.grads.map((g) => tf.sum(tf.square(g))));
    const norm = Math.sqrt(sq.dataSync()[0]);
    const scale = norm > s.hyper.gradClip ? s.hyper.gradClip / norm : 1;
    return { value: r.value, grads: scale < 1 ? r.grads.map((g) => tf.mul(g, scale)) : r.grads };
  });
  x0.dispose();
  eps.dispose();
  const loss = value.dataSync()[0];
  value.dispose();
  const g: Params = {};
  names.forEach((n, i) => (g[n] = grads[i]));
  adamUpdate(s.params, g, s.adam, { lr: learningRateAt(s.hyper, s.step) });
  grads.forEach((x) => x.dispose());
  emaUpdate(s.ema, s.params, emaDecayAt(s.step, s.hyper.emaDecay));
  s.step += 1;
  s.window.sum += loss;
  s.window.n += 1;
  if (s.window.n >= s.lossWindow) {
    s.lossCurve.push({ step: s.step, loss: s.window.sum / s.window.n });
    s.window = { sum: 0, n: 0 };
  }
  return loss;
}
