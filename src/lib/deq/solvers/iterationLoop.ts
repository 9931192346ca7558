import * as tf from '@tensorflow/tfjs-core';
import { ParameterError, SolverDivergedError, throwIfAborted } from '../../errors.js';
import { keepRows } from './keepRows.js';
import type { FixedPointMap, IterationRecord, SolveOptions, SolveResult } from './solverTypes.js';
import { RELATIVE_TOL } from './solverDefaults.js';
import { finishedRows, meetsRowRule, type RowRule } from './stoppingRule.js';

/**
 * The loop every solver shares: evaluate F, measure residuals (one read-back per iteration),
 * report, stop on the rule / maxIter / callback, fail loudly on NaN, Inf or divergence, honour aborts.
 * A solver supplies only `next(x, fx)`: the next iterate from the current one and its image.
 * The loop owns every tensor it sees except the caller's x0.
 *
 * On a lower-triangular map (opts.lowerTriangular) the loop also keeps a window: the leading rows
 * that are final (exact, or within the row rule's tolerance together with every row before them)
 * are frozen, copied from F(X) into every later iterate, and F is told so it can skip them.
 */
export async function iterate(
  F: FixedPointMap,
  x0: tf.Tensor,
  opts: SolveOptions,
  next: (x: tf.Tensor, fx: tf.Tensor, iteration: number) => tf.Tensor | Promise<tf.Tensor>,
): Promise<SolveResult> {
  const tol = opts.tol ?? RELATIVE_TOL;
  const maxIter = opts.maxIter ?? 50;
  const divergenceFactor = opts.divergenceFactor ?? 1e6;
  const rows = x0.shape[0] ?? 1;
  const rule: RowRule | null = opts.rowScales ? { tol, scales: checkedScales(opts.rowScales, rows) } : null;
  const triangular = opts.lowerTriangular === true;
  const start = performance.now();
  const history: IterationRecord[] = [];
  let x = tf.clone(x0);
  let fx: tf.Tensor | null = null;
  // Leading rows of x that are final: never evaluated again, never changed again.
  let frozen = 0;
  try {
    for (let i = 1; ; i++) {
      throwIfAborted(opts.signal);
      const raw = await F(x, frozen);
      const cur = x;
      const image = frozen > 0 ? tf.tidy(() => keepRows(cur, raw, frozen)) : raw;
      if (image !== raw) raw.dispose();
      fx = image;
      const rec = await residuals(x, image, i, start, frozen);
      if (opts.rowMeasure) {
        const m = await opts.rowMeasure(rec);
        if (m.length !== rows) throw new ParameterError(`rowMeasure: expected one value per row (${rows}), got ${m.length}`, 'rowMeasure');
        rec.ruleMeasure = [...m];
      }
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
      // Rows of fx that are final: exact by induction (one more per call) or past the rule.
      const finished = triangular ? finishedRows(rec, frozen, rule) : 0;
      rec.finishedRows = finished;
      const verdict = opts.onIteration ? await opts.onIteration(rec, { x, fx: image }) : undefined;
      const stoppedBy =
        verdict === 'stop' ? 'callback'
        : triangular && finished >= rows ?
          i >= rows ?
            'exact'
          : 'tol'
        : rule ?
          !triangular && meetsRowRule(rec, rule) ?
            'tol'
          : null
        : rec.relResidual < tol ? 'tol'
        : null;
      const stop = stoppedBy ?? (i >= maxIter ? 'maxIter' : null);
      if (stop) {
        x.dispose();
        return { solution: image, iterations: i, converged: stop === 'tol' || stop === 'exact', stoppedBy: stop, history };
      }
      const candidate = await next(x, image, i);
      const nx = triangular ? tf.tidy(() => keepRows(image, candidate, finished)) : candidate;
      if (nx !== candidate && candidate !== image && candidate !== x) candidate.dispose();
      if (nx !== x) x.dispose();
      if (nx !== image) image.dispose();
      x = nx;
      fx = null;
      frozen = finished;
    }
  } catch (e) {
    x.dispose();
    fx?.dispose();
    throw e;
  }
}

function checkedScales(scales: readonly number[], rows: number): readonly number[] {
  if (scales.length !== rows)
    throw new ParameterError(`rowScales: expected one scale per row (${rows}), got ${scales.length}`, 'rowScales');
  const bad = scales.findIndex((s) => !(Number.isFinite(s) && s >= 0));
  if (bad >= 0) throw new ParameterError(`rowScales: scale of row ${bad} must be a finite number >= 0, got ${scales[bad]}`, 'rowScales');
  return scales;
}

/**
 * Overall and per-row residual norms, and each row's largest per-member RMS residual (members: axis
 * 1, e.g. the images of a batch), read back in one transfer. Each norm is scaled by its largest
 * magnitude before squaring, so states with values beyond ~1e19 (whose squares overflow float32)
 * still give finite norms; only a NaN or Inf in the state itself makes a norm non-finite.
 */
async function residuals(x: tf.Tensor, fx: tf.Tensor, iteration: number, start: number, frozen: number): Promise<IterationRecord> {
  const rows = x.shape[0] ?? 1;
  const members = x.rank > 1 ? (x.shape[1] ?? 1) : 1;
  const perMember = x.size / (rows * members);
  const parts = tf.tidy(() => {
    const d = tf.sub(fx, x);
    const scaledSquares = (v: tf.Tensor, groups: number) => {
      const flat = tf.reshape(v, [groups, -1]);
      const m = tf.max(tf.abs(flat), 1, true);
      return [tf.sum(tf.square(tf.div(flat, tf.maximum(m, 1e-30))), 1), tf.reshape(m, [groups])];
    };
    return tf.concat([...scaledSquares(d, rows), ...scaledSquares(fx, rows), ...scaledSquares(d, rows * members)]);
  });
  const v = await parts.data();
  parts.dispose();
  // v = [d sums (rows), d maxima (rows), f sums (rows), f maxima (rows), d sums (rows*members), d maxima (rows*members)]
  const norm = (sum: number, max: number) => (max === 0 ? 0 : max * Math.sqrt(sum));
  const rowAbs: number[] = [];
  const rowRel: number[] = [];
  const rowRms: number[] = [];
  let dAll = 0;
  let fAll = 0;
  const g = 4 * rows;
  const gm = rows * members;
  for (let r = 0; r < rows; r++) {
    const dn = norm(v[r], v[rows + r]);
    const fn = norm(v[2 * rows + r], v[3 * rows + r]);
    dAll += dn * dn;
    fAll += fn * fn;
    rowAbs.push(dn);
    rowRel.push(dn / Math.max(fn, 1e-12));
    let worst = 0;
    for (let k = r * members; k < (r + 1) * members; k++) worst = Math.max(worst, norm(v[g + k], v[g + gm + k]));
    rowRms.push(worst / Math.sqrt(perMember));
  }
  const absResidual = Math.sqrt(dAll);
  return {
    iteration,
    absResidual,
    relResidual: absResidual / Math.max(Math.sqrt(fAll), 1e-12),
    rowAbsResidual: rowAbs,
    rowRelResidual: rowRel,
    rowRmsResidual: rowRms,
    ruleMeasure: rowRms,
    frozenRows: frozen,
    finishedRows: frozen,
    wallMs: performance.now() - start,
  };
}
