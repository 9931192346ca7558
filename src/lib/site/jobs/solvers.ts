import { deqRestore } from '../../deq/deqRestore.js';
import type { EpsModel } from '../../models/epsModel.js';
import { maxIterOf, type JobSettings, type Solver } from '../jobSettings.js';
import { maxAbsDiff } from '../../metrics/vectorStats.js';
import type { RunOptions } from './demo.js';
import { yieldToEvents } from '../progress.js';
import { jobProblem } from './jobProblem.js';
import { serialWithProgress, jobSolverSettings } from './serialWithProgress.js';

export interface SolverRun {
  solver: Solver;
  iterations: number;
  converged: boolean;
  wallMs: number;
  /** Per iteration: relative residual of the whole state and per timestep row, and time since start. */
  history: { iteration: number; relResidual: number; rowRelResidual: number[]; wallMs: number }[];
  maxAbsDiffToSerial: number;
}

export interface SolversComparison {
  T: number;
  model: string;
  serialWallMs: number;
  runs: SolverRun[];
}

/** The serial chain once, then every solver on the same problem, with residual histories for the plots. */
export async function runSolvers(
  model: EpsModel,
  s: JobSettings,
  truth: Float32Array,
  solvers: Solver[],
  opts: RunOptions = {},
): Promise<SolversComparison> {
  const p = await jobProblem(model, s, truth);
  try {
    const serial = await serialWithProgress(p.task, s.T, opts);
    const sx0 = await serial.x0.data();
    serial.x0.dispose();
    const runs: SolverRun[] = [];
    for (const kind of solvers) {
      const res = await deqRestore(
        p.task,
        jobSolverSettings(s, kind, kind === 'anderson', opts.signal, async (r) => {
          opts.onProgress?.({ phase: 'deq', iteration: r.iteration, maxIter: maxIterOf(s), relResidual: r.relResidual, solver: kind });
          await yieldToEvents();
        }),
        { init: s.init },
      );
      const x0 = await res.x0.data();
      res.x0.dispose();
      runs.push({
        solver: kind,
        iterations: res.iterations,
        converged: res.converged,
        wallMs: res.wallMs,
        history: res.history.map((h) => ({
          iteration: h.iteration,
          relResidual: h.relResidual,
          rowRelResidual: h.rowRelResidual,
          wallMs: h.wallMs,
        })),
        maxAbsDiffToSerial: maxAbsDiff(x0, sx0),
      });
    }
    return { T: s.T, model: model.name, serialWallMs: serial.wallMs, runs };
  } finally {
    p.dispose();
  }
}
