import * as tf from '@tensorflow/tfjs-core';
import { ParameterError, ShapeError } from '../errors.js';
import type { LinearOperator } from '../operators/linearOperator.js';

/**
 * Scalar losses of the restored image x0 (and of y, for consistency) that gradients are taken of.
 *  weighted-sum  sum w ⊙ x0, w of x0's shape [B, H, W, C] (flat) — a pixel is a one-hot w
 *  region        mean of x0 over the pixels where mask (H*W, 1 = in region) is 1, all channels
 *  consistency   ||A x0 - y||^2
 *  guide         ||x0 - g||^2 for a guide image g [B, H, W, C] (A+y, another restorer, a sketch)
 *  sum           weighted sum of terms
 */
export type LossSpec =
  | { kind: 'weighted-sum'; weights: ArrayLike<number> }
  | { kind: 'region'; mask: ArrayLike<number> }
  | { kind: 'consistency' }
  | { kind: 'guide'; guide: ArrayLike<number> }
  | { kind: 'sum'; terms: { weight: number; loss: LossSpec }[] };

export interface RestorationLoss {
  /** Scalar loss; differentiable in x0 and y. */
  value(x0: tf.Tensor4D, y: tf.Tensor): tf.Scalar;
  /** Whether the loss reads y itself (then dL/dy has a direct part besides the path through x0). */
  readonly readsY: boolean;
  dispose(): void;
}

export function restorationLoss(spec: LossSpec, op: LinearOperator, batch: number): RestorationLoss {
  const [H, W, C] = op.imageShape;
  const full = [batch, H, W, C] as const;
  const D = batch * H * W * C;
  const image = (a: ArrayLike<number>, what: string) => {
    if (a.length !== D) throw new ShapeError(`${what} has ${a.length} values, expected B*H*W*C = ${D}`);
    return tf.tensor4d(Float32Array.from(a), [...full]);
  };
  switch (spec.kind) {
    case 'weighted-sum': {
      const w = image(spec.weights, 'weighted-sum loss: weights');
      return { value: (x0) => tf.tidy(() => tf.sum(tf.mul(w, x0))), readsY: false, dispose: () => w.dispose() };
    }
    case 'region': {
      if (spec.mask.length !== H * W) throw new ShapeError(`region loss: mask has ${spec.mask.length} values, expected H*W = ${H * W}`);
      const bad = Array.from(spec.mask).findIndex((v) => v !== 0 && v !== 1);
      if (bad >= 0) throw new ParameterError(`region loss: mask values must be 0 or 1, found ${spec.mask[bad]} at index ${bad}`);
      const count = Array.from(spec.mask).reduce((a, b) => a + (b ? 1 : 0), 0);
      if (count === 0) throw new ParameterError('region loss: the region is empty');
      const m = tf.tensor4d(
        Float32Array.from(spec.mask, (v) => (v ? 1 / (count * C * batch) : 0)),
        [1, H, W, 1],
      );
      return { value: (x0) => tf.tidy(() => tf.sum(tf.mul(m, x0))), readsY: false, dispose: () => m.dispose() };
    }
    case 'consistency':
      return { value: (x0, y) => tf.tidy(() => tf.sum(tf.square(tf.sub(op.A(x0), y)))), readsY: true, dispose: () => {} };
    case 'guide': {
      const g = image(spec.guide, 'guide loss: guide');
      return { value: (x0) => tf.tidy(() => tf.sum(tf.square(tf.sub(x0, g)))), readsY: false, dispose: () => g.dispose() };
    }
    case 'sum': {
      const parts = spec.terms.map((t) => ({ weight: t.weight, loss: restorationLoss(t.loss, op, batch) }));
      return {
        value: (x0, y) =>
          tf.tidy(() => parts.reduce((acc, p) => tf.add(acc, tf.mul(p.loss.value(x0, y), p.weight)), tf.scalar(0)) as tf.Scalar),
        readsY: parts.some((p) => p.loss.readsY),
        dispose: () => parts.forEach((p) => p.loss.dispose()),
      };
    }
    default:
      throw new ParameterError(`unknown loss kind '${String((spec as { kind: unknown }).kind)}'`);
  }
}
