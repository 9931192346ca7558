import * as tf from '@tensorflow/tfjs-core';
import type { LinearOperator } from '../operators/linearOperator.js';
import type { SpectralView } from '../operators/spectralView.js';
import type { StepCoefficients } from '../schedule/stepCoefficients.js';

/**
 * DDNM+'s noise-aware step (Wang et al., ICLR 2023, Eqs. 17-19, in the DDIM form of the DDNM code),
 * for R consecutive steps of a batch at once: the serial chain calls it with one row, the joint
 * map with all T rows. With measurement noise y = A x + sigma_y n, plain DDNM copies A+ n into the
 * range space; DDNM+ corrects only as much as the step's own noise allows. Per step t -> s, with
 * a = sqrt(abar_s) (the weight of x0^ in x_s) and sigma_t = sqrt(1 - abar_s) (the noise x_s should
 * carry), and per singular direction i of A (singular value s_i, measurement noise sigma_y / s_i
 * in x0 coordinates):
 *   lambda_i = min(1, sigma_t s_i / (a sigma_y))            (0 in the null space, s_i = 0)
 *   g_i      = sqrt(1 - (a lambda_i sigma_y / (s_i sigma_t))^2)  (1 in the null space)
 *   x0^      = x0|t + lambda (ybar - x0|t)                   ybar = S+ U^T y
 *   x_s      = a V x0^ + V g (c2 eps + c1 z)                  (in spectral coordinates V^T)
 * so x_s carries noise of total level sigma_t: g_i sigma_t of fresh noise plus a lambda_i sigma_y / s_i
 * from y. When sigma_t >= a sigma_y / s_i this is DDNM with the step noise shrunk to make room for
 * y's (lambda = 1, g^2 = 1 - (a sigma_y / (s_i sigma_t))^2); otherwise y is trusted only in part and
 * no fresh noise is added. With sigma_y = 0 it is exactly DDNM. At the last step (sigma_t = 0)
 * lambda = 0: x0|t is returned, since the model is then more certain than the noisy y.
 *
 * Operators without an SVD view (colorization, dense matrices) use one scalar lambda and g per step
 * with s_i = 1 on the range of A+A (the DDNM code's simplified DDNM+):
 *   x0^ = x0|t - lambda A+(A x0|t - y),   x_s = a x0^ + (I - (1 - g) A+A)(c2 eps + c1 z).
 */
export interface DdnmPlusStep {
  /** What the step needs of y: ybar = S+ U^T y (spectral) or A+ y. Differentiable in y. */
  measurementTerm(y: tf.Tensor): tf.Tensor;
  /**
   * x_s for steps start..start+R-1, from x0|t, eps and the step noise z (null when nw = 0), each
   * [R, B, H, W, C]; m = measurementTerm(y). Returns [R, B, H, W, C]. Pure: call inside tf.tidy.
   */
  next(start: number, R: number, x0: tf.Tensor, eps: tf.Tensor, z: tf.Tensor | null, m: tf.Tensor): tf.Tensor;
  dispose(): void;
}

export function ddnmPlusStep(op: LinearOperator, c: StepCoefficients, sigmaY: number): DdnmPlusStep {
  const rows = stepRows(c);
  let view: SpectralView | undefined;
  try {
    if (!op.spectral) return scalarStep(op, c, sigmaY, rows);
    view = op.spectral();
    return spectralStep(view, c, sigmaY, rows);
  } catch (e) {
    view?.dispose();
    rows.dispose();
    throw e;
  }
}

/** Per-step constants as [T, 1, 1, 1, 1] columns, and the rows start..start+R-1 of such a column. */
interface StepRows {
  /** sqrt(abar_s): the weight of x0^ in x_s. */
  a: tf.Tensor;
  /** sigma_t = sqrt(1 - abar_s) per step, the noise level x_s should carry. */
  sigmaT: number[];
  col(v: ArrayLike<number>): tf.Tensor;
  rows(t: tf.Tensor, start: number, R: number): tf.Tensor;
  /** c2 eps + c1 z of the rows (c1 z left out when z is null). */
  noise(start: number, R: number, eps: tf.Tensor, z: tf.Tensor | null): tf.Tensor;
  dispose(): void;
}

function stepRows(c: StepCoefficients): StepRows {
  const col = (v: ArrayLike<number>) => tf.tensor(Float32Array.from(v), [c.T, 1, 1, 1, 1]);
  const rows = (t: tf.Tensor, start: number, R: number) => (start === 0 && R === t.shape[0] ? t : tf.slice(t, [start], [R]));
  // One tidy: if a later constant fails, the earlier ones are freed with it.
  const [a, c1, c2] = tf.tidy(() => [col(c.sqrtAbarS), col(c.c1), col(c.c2)]);
  return {
    a,
    sigmaT: Array.from(c.sqrtAbarS, (v) => Math.sqrt(Math.max(0, 1 - v * v))),
    col,
    rows,
    noise: (start, R, eps, z) => {
      const e = tf.mul(rows(c2, start, R), eps);
      return z ? tf.add(e, tf.mul(rows(c1, start, R), z)) : e;
    },
    dispose: () => [a, c1, c2].forEach((t) => t.dispose()),
  };
}

/** Operators without an SVD view: lambda_k and g_k per step, the range of A+A one direction with s = 1. */
function scalarStep(op: LinearOperator, c: StepCoefficients, sigmaY: number, r: StepRows): DdnmPlusStep {
  const lambda = r.sigmaT.map((st, k) => (st === 0 ? 0 : Math.min(1, st / (c.sqrtAbarS[k] * sigmaY))));
  const gain = r.sigmaT.map((st, k) => (st === 0 ? 0 : Math.sqrt(Math.max(0, 1 - ((c.sqrtAbarS[k] * lambda[k] * sigmaY) / st) ** 2))));
  // One tidy: if the second constant fails, the first is freed with it.
  const [lam, keepRange] = tf.tidy(() => [r.col(lambda), r.col(gain.map((g) => 1 - g))]);
  const [H, W, C] = op.imageShape;
  const project = (v: tf.Tensor) => tf.reshape(op.project(tf.reshape<tf.Rank.R4>(v, [-1, H, W, C])), v.shape);
  return {
    measurementTerm: (y) => op.Apinv(y),
    next: (start, R, x0, eps, z, Apy) => {
      const x0Hat = tf.sub(x0, tf.mul(r.rows(lam, start, R), tf.sub(project(x0), tf.expandDims(Apy, 0))));
      const noise = r.noise(start, R, eps, z);
      const shaped = tf.sub(noise, tf.mul(r.rows(keepRange, start, R), project(noise)));
      return tf.add(tf.mul(r.rows(r.a, start, R), x0Hat), shaped);
    },
    dispose: () => {
      r.dispose();
      [lam, keepRange].forEach((t) => t.dispose());
    },
  };
}

/** Per singular direction, through the operator's SVD view (spectral coordinates V^T). */
function spectralStep(view: SpectralView, c: StepCoefficients, sigmaY: number, r: StepRows): DdnmPlusStep {
  const spec = [...view.spectralShape];
  const { lambda, gain, sInv } = tf.tidy(() => {
    const s = tf.broadcastTo(view.singulars, [1, ...spec]);
    const observed = tf.cast(tf.greater(s, 0), 'float32');
    const sInv = tf.div(observed, tf.add(s, tf.sub(1, observed)));
    const lambdaRows: tf.Tensor[] = [];
    const gainRows: tf.Tensor[] = [];
    for (let k = 0; k < c.T; k++) {
      const a = c.sqrtAbarS[k];
      const st = r.sigmaT[k];
      if (st === 0) {
        // The last step: nothing of the noisy y is trusted, and no noise is added (c1 = c2 = 0).
        lambdaRows.push(tf.zerosLike(s));
        gainRows.push(tf.sub(1, observed));
        continue;
      }
      const lam = tf.mul(observed, tf.minimum(1, tf.mul(s, st / (a * sigmaY))));
      const ratio = tf.mul(tf.mul(lam, sInv), (a * sigmaY) / st);
      gainRows.push(tf.add(tf.mul(observed, tf.sqrt(tf.relu(tf.sub(1, tf.square(ratio))))), tf.sub(1, observed)));
      lambdaRows.push(lam);
    }
    return { lambda: tf.stack(lambdaRows), gain: tf.stack(gainRows), sInv };
  });
  // [R, B, H, W, C] <-> [R, B, ...spectral] through the view, which works on batches of images.
  const toSpec = (v: tf.Tensor) => tf.reshape(view.Vt(tf.reshape(v, [-1, ...v.shape.slice(2)])), [...v.shape.slice(0, 2), ...spec]);
  const fromSpec = (v: tf.Tensor, shape: number[]) => tf.reshape(view.V(tf.reshape(v, [-1, ...spec])), shape);
  return {
    measurementTerm: (y) => tf.tidy(() => tf.mul(view.Ut(y), sInv)),
    next: (start, R, x0, eps, z, ybar) => {
      const x0b = toSpec(x0);
      const x0Hat = tf.add(x0b, tf.mul(r.rows(lambda, start, R), tf.sub(tf.expandDims(ybar, 0), x0b)));
      const noise = tf.mul(r.rows(gain, start, R), toSpec(r.noise(start, R, eps, z)));
      const a = tf.reshape(r.rows(r.a, start, R), [R, 1, ...spec.map(() => 1)]);
      return fromSpec(tf.add(tf.mul(a, x0Hat), noise), x0.shape);
    },
    dispose: () => {
      r.dispose();
      [lambda, gain, sInv].forEach((t) => t.dispose());
      view.dispose();
    },
  };
}
