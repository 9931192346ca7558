import type * as tf from '@tensorflow/tfjs-core';
import type { RestorationTask } from '../restoration/restorationTask.js';
import { deqSystem, type DeqSystemOptions } from './deqSystem.js';
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
  history: IterationRecord[];
  wallMs: number;
}

export interface DeqRunOptions extends DeqSystemOptions {
  /** Starting state [T, B, H, W, C]; default every row at x_T (the reference). Not disposed. */
  init?: tf.Tensor;
  /** Keep the solved state [T, B, H, W, C] (all timesteps) in the result; the caller disposes it. */
  keepState?: boolean;
}

/** DeqIR: all T steps solved at once as one fixed point, with any solver. */
export async function deqRestore(
  task: RestorationTask,
  solver: SolverSettings,
  opts: DeqRunOptions = {},
): Promise<DeqResult & { state?: tf.Tensor }> {
  const start = performance.now();
  const system = deqSystem(task, opts);
  const init = opts.init ?? system.initialState();
  try {
    const res = await solveFixedPoint(system.map, init, solver);
    const x0 = system.x0Of(res.solution);
    await x0.data();
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
      history: res.history,
      wallMs: performance.now() - start,
    };
  } finally {
    if (!opts.init) init.dispose();
    system.dispose();
  }
}
