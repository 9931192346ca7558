import type { IterationCallback, SolverKind, SolverSettings } from '../../deq/solvers/solverTypes.js';
import type { PreparedRestoration } from '../../samplers/preparedRestoration.js';
import { solverSettingsFor } from '../../deq/solvers/solverDefaults.js';
import { serialChain } from '../../samplers/serialChain.js';
import type { JobSettings } from '../jobSettings.js';
import { yieldToEvents, type ProgressFn } from '../progress.js';

/** The serial chain with one progress message per step, each sent after the step has really run. */
export function serialWithProgress(task: PreparedRestoration, T: number, opts: { signal?: AbortSignal; onProgress?: ProgressFn }) {
  return serialChain(task, {
    signal: opts.signal,
    onStep: async ({ k, next }) => {
      // Wait for the step itself: progress then tells the truth on asynchronous backends (webgpu).
      await next.data();
      opts.onProgress?.({ phase: 'serial', step: k + 1, of: T });
      await yieldToEvents();
    },
  });
}

/** Solver settings of a job's settings, for one solver kind (defaults from deq/solvers/solverDefaults.ts). */
export function jobSolverSettings(
  st: JobSettings,
  kind: SolverKind,
  triangular: boolean,
  signal: AbortSignal | undefined,
  onIteration: IterationCallback,
): SolverSettings {
  return {
    ...solverSettingsFor(st.T, {
      kind,
      rule: st.rule,
      tol: st.tol ?? undefined,
      maxIter: st.maxIter,
      m: st.m,
      lambda: st.lambda,
      beta: st.beta,
      triangular,
    }),
    signal,
    onIteration,
  };
}
