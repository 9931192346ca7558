import type * as tf from '@tensorflow/tfjs-core';
import type { RestorationTask } from '../restoration/restorationTask.js';
import { deqSystem, type DeqSystemOptions, type InitKind } from './deqSystem.js';
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
  /** Starting state [T, B, H, W, C], or a named one (default 'xT', the reference). A tensor is not disposed. */
  init?: tf.Tensor | InitKind;
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
  const init = typeof opts.init === 'object' ? opts.init : system.initialState(opts.init);
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
    if (init !== opts.init) init.dispose();
    system.dispose();
  }
}
