import { concatFloat32 } from '../image/concatFloat32.js';
import * as tf from '@tensorflow/tfjs-core';
import { OwnedTensors } from '../tensors/ownedTensors.js';
import { ShapeError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import type { EpsModel } from '../models/epsModel.js';
import { createOperator } from '../operators/createOperator.js';
import type { LinearOperator } from '../operators/linearOperator.js';
import { measure } from '../operators/measure.js';
import { checkTaskChannels, taskDefinition, taskOperatorSpec, type TaskName } from '../operators/taskRegistry.js';
import { prepareRestoration, type RangeCorrection, type PreparedRestoration } from '../samplers/preparedRestoration.js';
import { checkT } from '../bounds.js';
import type { SkipType } from '../schedule/timesteps.js';
import { checkSeed, initialNoise, measurementSeed, stepNoise } from './seedRule.js';

/**
 * The kit's one seeded problem builder: (task, images, seed, T, noise settings) -> { y, x_T, z }.
 * The CLI, the worker jobs (and so the page loaders) and the benchmarks build problems here, so
 * one (task, image, seed, T) is one problem everywhere (the noise follows problem/seedRule.ts).
 */

/** One clean image in [-1, 1] (H*W*C values, NHWC) and its key for the seed rule. */
export interface ProblemImage {
  /** Index in the shipped subset, or position in the batch for images from elsewhere. */
  key: number;
  pixels: Float32Array;
}

export interface ProblemSettings {
  task: TaskName;
  /** Inpainting tasks only: the reader's mask (H*W, 1 = observed) in place of the task's pattern. */
  mask?: ArrayLike<number> | null;
  /** Measurement noise; the task's own when omitted. Above 0 the chain takes DDNM+'s noise-aware step. */
  sigmaY?: number;
  /** 'ddnm' copies A+y whatever the noise (plain DDNM, for comparison); default 'ddnm+'. */
  rangeCorrection?: RangeCorrection;
  seed: number;
  T: number;
  skip?: SkipType;
  /** DDIM/DDNM weights; deterministic DDIM (etw = nw = 0) when omitted. */
  etw?: number;
  nw?: number;
  /** Step noise for nw > 0: one image reused at every step (the reference) or one per step. */
  noise?: 'fixed' | 'per-step';
}

/** Clean images, their measurements y = A x + sigma_y n and their x_T, all [B, ...]. */
export interface MeasuredBatch {
  truth: tf.Tensor4D;
  y: tf.Tensor;
  xT: tf.Tensor4D;
}

/** Measures each image with its own noise stream: image b's y and x_T do not depend on the batch. */
export function measuredBatch(operator: LinearOperator, images: readonly ProblemImage[], seed: number, sigmaY: number): MeasuredBatch {
  checkSeed(seed);
  const shape = operator.imageShape;
  const D = size(shape);
  images.forEach((im, b) => {
    if (im.pixels.length !== D)
      throw new ShapeError(`image ${b} (key ${im.key}) has ${im.pixels.length} values; the operator expects [${shape.join(', ')}] = ${D}`);
  });
  const B = images.length;
  const truth = tf.tensor4d(concatFloat32(images.map((im) => im.pixels)), [B, ...shape]);
  let y: tf.Tensor | undefined;
  try {
    y = tf.tidy(() =>
      tf.concat(
        images.map((im, b) => measure(operator, tf.slice(truth, [b], [1]), sigmaY, measurementSeed(seed, im.key))),
        0,
      ),
    );
    const xT = tf.tensor4d(concatFloat32(images.map((im) => initialNoise(seed, im.key, D))), [B, ...shape]);
    return { truth, y, xT };
  } catch (e) {
    [truth, y].forEach((t) => t?.dispose());
    throw e;
  }
}

/** Step noise of a batch: [B, H, W, C] ('fixed') or [T, B, H, W, C] ('per-step'). */
export function stepNoiseBatch(keys: readonly number[], seed: number, shape: ImageShape, mode: 'fixed' | 'per-step', T: number): tf.Tensor {
  const D = size(shape);
  if (mode === 'fixed') return tf.tensor4d(concatFloat32(keys.map((k) => stepNoise(seed, k, D, 'fixed', T))), [keys.length, ...shape]);
  return tf.tidy(() =>
    tf.stack(
      keys.map((k) => tf.tensor(stepNoise(seed, k, D, 'per-step', T), [T, ...shape])),
      1,
    ),
  );
}

/** A restoration problem ready for the serial chain or DeqIR; dispose() frees every tensor it made. */
export interface RestorationProblem extends MeasuredBatch {
  operator: LinearOperator;
  z?: tf.Tensor;
  task: PreparedRestoration;
  dispose(): void;
}

export function buildRestorationProblem(model: EpsModel, s: ProblemSettings, images: readonly ProblemImage[]): RestorationProblem {
  checkT(s.T);
  checkTaskChannels(s.task, model.imageShape);
  const sigmaY = s.sigmaY ?? taskDefinition(s.task).sigmaY;
  const operator = createOperator(taskOperatorSpec(s.task, s.mask), model.imageShape);
  const owned = new OwnedTensors();
  owned.keep(operator);
  try {
    const batch = measuredBatch(operator, images, s.seed, sigmaY);
    owned.keepAll([batch.truth, batch.y, batch.xT]);
    const nw = s.nw ?? 0;
    const z =
      nw > 0 ?
        stepNoiseBatch(
          images.map((im) => im.key),
          s.seed,
          model.imageShape,
          s.noise ?? 'fixed',
          s.T,
        )
      : undefined;
    if (z) owned.keep(z);
    const task = prepareRestoration({
      model,
      operator,
      y: batch.y,
      xT: batch.xT,
      z,
      sampling: { T: s.T, skip: s.skip, etw: s.etw, nw },
      sigmaY,
      rangeCorrection: s.rangeCorrection,
    });
    owned.keep(task);
    return { ...batch, operator, z, task, dispose: () => owned.dispose() };
  } catch (e) {
    owned.dispose();
    throw e;
  }
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
