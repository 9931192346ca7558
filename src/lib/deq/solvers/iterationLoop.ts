import * as tf from '@tensorflow/tfjs-core';
import { SolverDivergedError, throwIfAborted } from '../../errors.js';
import type { FixedPointMap, IterationRecord, SolveOptions, SolveResult } from './solverTypes.js';
import { DEFAULT_TOL } from './solverDefaults.js';

/**
 * The loop every solver shares: evaluate F, measure residuals (one read-back per iteration),
 * report, stop on tol / maxIter / callback, fail loudly on NaN, Inf or divergence, honour aborts.
 * A solver supplies only `next(x, fx)`: the next iterate from the current one and its image.
 * The loop owns every tensor it sees except the caller's x0.
 */
export async function iterate(
  F: FixedPointMap,
  x0: tf.Tensor,
  opts: SolveOptions,
  next: (x: tf.Tensor, fx: tf.Tensor, iteration: number) => tf.Tensor | Promise<tf.Tensor>,
): Promise<SolveResult> {
  const tol = opts.tol ?? DEFAULT_TOL;
  const maxIter = opts.maxIter ?? 50;
  const divergenceFactor = opts.divergenceFactor ?? 1e6;
  const start = performance.now();
  const history: IterationRecord[] = [];
  let x = tf.clone(x0);
  let fx: tf.Tensor | null = null;
  try {
    for (let i = 1; ; i++) {
      throwIfAborted(opts.signal);
      fx = await F(x);
      const rec = await residuals(x, fx, i, start);
      history.push(rec);
      if (!Number.isFinite(rec.absResidual) || !Number.isFinite(rec.relResidual)) {
        throw new SolverDivergedError(`fixed-point residual became ${rec.absResidual} at iteration ${i} (NaN or Inf in the state)`, i);
      }
      if (rec.absResidual > divergenceFactor * Math.max(history[0].absResidual, 1e-30)) {
        throw new SolverDivergedError(
          `solver diverged: residual ${rec.absResidual.toExponential(2)} at iteration ${i} is over ${divergenceFactor} times the first (${history[0].absResidual.toExponential(2)})`,
          i,
        );
      }
      const verdict = opts.onIteration ? await opts.onIteration(rec, { x, fx }) : undefined;
      const stoppedBy =
        verdict === 'stop' ? 'callback'
        : rec.relResidual < tol ? 'tol'
        : opts.exactAfter !== undefined && i >= opts.exactAfter ? 'exact'
        : i >= maxIter ? 'maxIter'
        : null;
      if (stoppedBy) {
        x.dispose();
        return { solution: fx, iterations: i, converged: stoppedBy === 'tol' || stoppedBy === 'exact', stoppedBy, history };
      }
      const nx = await next(x, fx, i);
      if (nx !== x) x.dispose();
      if (nx !== fx) fx.dispose();
      x = nx;
      fx = null;
    }
  } catch (e) {
    x.dispose();
    fx?.dispose();
    throw e;
  }
}

/**
 * Overall and per-row residual norms, read back in one transfer. Each row is scaled by its largest
 * magnitude before squaring, so states with values beyond ~1e19 (whose squares overflow float32)
 * still give finite norms; only a NaN or Inf in the state itself makes a norm non-finite.
 */
async function residuals(x: tf.Tensor, fx: tf.Tensor, iteration: number, start: number): Promise<IterationRecord> {
  const rows = x.shape[0];
  const parts = tf.tidy(() => {
    const d = tf.reshape(tf.sub(fx, x), [rows, -1]);
    const f = tf.reshape(fx, [rows, -1]);
    const scaledSquares = (v: tf.Tensor) => {
      const m = tf.max(tf.abs(v), 1, true);
      return [tf.sum(tf.square(tf.div(v, tf.maximum(m, 1e-30))), 1), tf.reshape(m, [rows])];
    };
    return tf.concat([...scaledSquares(d), ...scaledSquares(f)]);
  });
  const v = await parts.data();
  parts.dispose();
  // v = [d sums (rows), d maxima (rows), f sums (rows), f maxima (rows)]
  const norm = (sum: number, max: number) => (max === 0 ? 0 : max * Math.sqrt(sum));
  const rowAbs: number[] = [];
  const rowRel: number[] = [];
  let dAll = 0;
  let fAll = 0;
  for (let r = 0; r < rows; r++) {
    const dn = norm(v[r], v[rows + r]);
    const fn = norm(v[2 * rows + r], v[3 * rows + r]);
    dAll += dn * dn;
    fAll += fn * fn;
    rowAbs.push(dn);
    rowRel.push(dn / Math.max(fn, 1e-12));
  }
  const absResidual = Math.sqrt(dAll);
  return {
    iteration,
    absResidual,
    relResidual: absResidual / Math.max(Math.sqrt(fAll), 1e-12),
    rowAbsResidual: rowAbs,
    rowRelResidual: rowRel,
    wallMs: performance.now() - start,
  };
}
