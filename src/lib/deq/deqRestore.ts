import type * as tf from '@tensorflow/tfjs-core';
import { checkFiniteX0, explainDivergence } from '../samplers/nonFinite.js';
import type { PreparedRestoration } from '../samplers/preparedRestoration.js';
import { deqSystem, type DeqSystemOptions } from './deqSystem.js';
import { type InitKind } from './deqDefaults.js';
import { noiseScales } from './noiseScales.js';
import { DEFAULT_RULE, defaultTol } from './solvers/solverDefaults.js';
import { solveFixedPoint } from './solvers/solveFixedPoint.js';
import type { IterationRecord, SolveResult, SolverSettings } from './solvers/solverTypes.js';

export interface DeqResult {
  x0: tf.Tensor4D;
  iterations: number;
  converged: boolean;
  stoppedBy: SolveResult['stoppedBy'];
  /** Network evaluations per image: the rows the network ran on, summed over iterations (finished rows are skipped). */
  nfe: number;
  /** Batched network calls in a row (what parallel hardware waits for): the iteration count. */
  sequentialDepth: number;
  history: (IterationRecord & { nfe: number })[];
  wallMs: number;
  /** F(X) after each iteration, all T states read back ([T, B, H, W, C] flat), when keepIterates is set. */
  iterates?: Float32Array[];
}

export interface DeqRunOptions extends DeqSystemOptions {
  /** Starting state [T, B, H, W, C], or a named one (default 'xT', the reference). A tensor is not disposed. */
  init?: tf.Tensor | InitKind;
  /** Keep the solved state [T, B, H, W, C] (all timesteps) in the result; the caller disposes it. */
  keepState?: boolean;
  /** Read back every iterate's states (for trajectory views); costs one transfer per iteration. */
  keepIterates?: boolean;
}

/**
 * The x0 rule's measure of row k: how far the x0 it implies moved in the last call, or its RMS
 * residual over its noise level σ_k when that is smaller (a very noisy state's x0 prediction moves
 * with every change of the network's input, while the state itself has settled).
 */
const x0Measure =
  (windowed: { x0Change(): Promise<number[]> }, sigma: readonly number[]) =>
  async (rec: IterationRecord): Promise<number[]> => {
    const change = await windowed.x0Change();
    return change.map((c, k) => (sigma[k] > 0 ? Math.min(c, rec.rowRmsResidual[k] / sigma[k]) : c));
  };

/** DeqIR: all T steps solved at once as one fixed point, with any solver. */
export async function deqRestore(
  task: PreparedRestoration,
  solver: SolverSettings,
  opts: DeqRunOptions = {},
): Promise<DeqResult & { state?: tf.Tensor }> {
  const start = performance.now();
  const system = deqSystem(task, opts);
  const init = typeof opts.init === 'object' ? opts.init : system.initialState(opts.init);
  const iterates: Float32Array[] | undefined = opts.keepIterates ? [] : undefined;
  const T = task.coeffs.T;
  // The system is lower-triangular over its T rows: plain Picard and triangular Anderson keep finished
  // rows finished, so the loop may freeze them (and is exact after T iterations).
  const lowerTriangular =
    (solver.kind === 'picard' && ((solver.beta ?? 1) === 1 || solver.triangular === true)) ||
    solver.kind === 'taa' ||
    (solver.kind === 'anderson' && solver.triangular === true);
  // Every solve runs the map through a window: rows whose network inputs are final are not evaluated again.
  const windowed = system.windowedMap();
  const nfeAt: number[] = [];
  const onIteration: SolverSettings['onIteration'] = async (rec, it) => {
    nfeAt.push(windowed.rowsEvaluated());
    if (iterates) iterates.push((await it.fx.data()) as Float32Array);
    return solver.onIteration?.(rec, it);
  };
  const rule = solver.rule ?? DEFAULT_RULE;
  try {
    const res = await solveFixedPoint(windowed.map, init, {
      ...solver,
      tol: solver.tol ?? defaultTol(rule, T),
      // x_0 (the last row) is no network input: judged through the rows before it (scale 0).
      rowScales: rule === 'x0' ? Array.from({ length: T }, (_, r) => (r + 1 < T ? 1 : 0)) : undefined,
      rowMeasure: rule === 'x0' ? x0Measure(windowed, noiseScales(task.coeffs)) : undefined,
      lowerTriangular,
      onIteration,
    }).catch((e: unknown) => explainDivergence(task, e));
    const x0 = system.x0Of(res.solution);
    try {
      await checkFiniteX0(task, x0, `the ${solver.kind} solve`);
    } catch (e) {
      x0.dispose();
      res.solution.dispose();
      throw e;
    }
    const state = opts.keepState ? res.solution : undefined;
    if (!state) res.solution.dispose();
    return {
      x0,
      state,
      iterations: res.iterations,
      converged: res.converged,
      stoppedBy: res.stoppedBy,
      nfe: windowed.rowsEvaluated(),
      sequentialDepth: res.iterations,
      history: res.history.map((h, i) => ({ ...h, nfe: nfeAt[i] })),
      wallMs: performance.now() - start,
      iterates,
    };
  } finally {
    if (init !== opts.init) init.dispose();
    windowed.dispose();
    system.dispose();
  }
}
