import type * as tf from '@tensorflow/tfjs-core';
import { checkFiniteX0, explainDivergence } from '../samplers/nonFinite.js';
import type { PreparedRestoration } from '../samplers/preparedRestoration.js';
import { deqSystem, type DeqSystemOptions } from './deqSystem.js';
import { type InitKind } from './deqDefaults.js';
import { solveFixedPoint } from './solvers/solveFixedPoint.js';
import type { IterationRecord, SolveResult, SolverSettings } from './solvers/solverTypes.js';

export interface DeqResult {
  x0: tf.Tensor4D;
  iterations: number;
  converged: boolean;
  stoppedBy: SolveResult['stoppedBy'];
  /** Network evaluations per image: iterations * T. */
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
  const onIteration: SolverSettings['onIteration'] =
    iterates ?
      async (rec, it) => {
        iterates.push((await it.fx.data()) as Float32Array);
        return solver.onIteration?.(rec, it);
      }
    : solver.onIteration;
  try {
    // The system is lower-triangular over its T rows: plain Picard and triangular Anderson are exact after T iterations.
    const exact =
      (solver.kind === 'picard' && ((solver.beta ?? 1) === 1 || solver.triangular === true)) ||
      solver.kind === 'taa' ||
      (solver.kind === 'anderson' && solver.triangular === true);
    const res = await solveFixedPoint(system.map, init, { ...solver, onIteration, exactAfter: exact ? task.coeffs.T : undefined }).catch(
      (e: unknown) => explainDivergence(task, e),
    );
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
      nfe: res.iterations * task.coeffs.T,
      sequentialDepth: res.iterations,
      history: res.history.map((h) => ({ ...h, nfe: h.iteration * task.coeffs.T })),
      wallMs: performance.now() - start,
      iterates,
    };
  } finally {
    if (init !== opts.init) init.dispose();
    system.dispose();
  }
}
