// Solver suite: iterations to reach the serial chain's x0, per solver, T and operator.
import { mkdir, writeFile } from 'node:fs/promises';
import { solverBenchmark, type SolverRun, type SolverVariant } from '../../src/lib/bench/solverBenchmark.js';
import { groupBy, meanCi } from '../../src/lib/metrics/statistics.js';
import { loadBenchmarkSubset } from '../../src/lib/node/benchmarkSubset.js';
import { provenance } from '../../src/lib/node/provenance.js';
import type { TaskName } from '../../src/lib/operators/taskRegistry.js';
import { ANDERSON_DEFAULTS } from '../../src/lib/deq/solvers/solverDefaults.js';
import { progressPrinter } from './progress.js';

export async function solverSuite(backend: string, quick: boolean, outPath?: string): Promise<void> {
  const settings = {
    Ts: quick ? [20] : [20, 50, 100],
    images: quick ? [0] : [0, 1, 2, 3],
    target: 1e-3,
    maxIterRule: '2T + 5',
    prior: 'diagonal Gaussian fitted per pixel to images 0..127 of the benchmark subset; restored images from 128..',
    seed: 0,
    tasks: ['sr4', 'deblur', 'inpaint-random', 'cs25'] as TaskName[],
    variants: [
      { name: 'Picard', settings: { kind: 'picard' } },
      { name: 'Picard, DDIM-pinv init', settings: { kind: 'picard' }, init: 'ddim-pinv' },
      { name: 'Anderson (stacked, m=5)', settings: { kind: 'anderson', ...ANDERSON_DEFAULTS } },
      { name: 'Anderson per row (reference, m=5)', settings: { kind: 'anderson-per-row', ...ANDERSON_DEFAULTS } },
      { name: 'Anderson triangular (m=3), DDIM-pinv init', settings: { kind: 'anderson', m: 3, triangular: true }, init: 'ddim-pinv' },
    ] as SolverVariant[],
  };

  const started = performance.now();
  const set = loadBenchmarkSubset();
  const runs = await solverBenchmark(set, {
    ...settings,
    maxIter: (T) => 2 * T + 5,
    onProgress: progressPrinter(started),
  });

  // The reference's own budget: per-row Anderson stopped after 15 iterations. Read off the same runs.
  const referenceAt15 = runs
    .filter((r) => r.solver.startsWith('Anderson per row'))
    .map((r) => ({ T: r.T, operator: r.operator, image: r.image, x0ErrorAfter15: r.x0Error[Math.min(14, r.x0Error.length - 1)] }));

  const summary = [...groupBy(runs, (r) => `${r.T}|${r.operator}|${r.solver}`).values()].map((rs: SolverRun[]) => {
    const reached = rs.filter((r) => r.iterationsToTarget !== null);
    return {
      T: rs[0].T,
      operator: rs[0].operator,
      solver: rs[0].solver,
      reached: `${reached.length}/${rs.length}`,
      iterations: meanCi(reached.map((r) => r.iterationsToTarget!)),
      speedup: meanCi(reached.map((r) => r.T / r.iterationsToTarget!)),
      msPerIteration: meanCi(rs.map((r) => r.msPerIteration)),
      deqWallMs: meanCi(rs.map((r) => r.wallMs)),
      serialWallMs: meanCi(rs.map((r) => r.serialWallMs)),
    };
  });

  console.log(
    `\nIterations until max|x0 - x0_serial| <= ${settings.target} (mean over images; '-' = not reached in 2T+5), wasm backend:\n`,
  );
  const solvers = settings.variants.map((v) => v.name);
  console.log(['T', 'operator', ...solvers, 'serial ms', 'DeqIR ms (Picard)'].join(' | '));
  for (const [, rows] of groupBy(summary, (s) => `${s.T}|${s.operator}`)) {
    const cell = (name: string) => {
      const s = rows.find((r) => r.solver === name)!;
      return s.iterations.n === 0 ? '-' : `${s.iterations.mean.toFixed(1)} (${s.reached})`;
    };
    const picard = rows.find((r) => r.solver === 'Picard')!;
    console.log(
      [rows[0].T, rows[0].operator, ...solvers.map(cell), picard.serialWallMs.mean.toFixed(0), picard.deqWallMs.mean.toFixed(0)].join(
        ' | ',
      ),
    );
  }
  const ref20 = referenceAt15.filter((r) => r.T === 20).map((r) => r.x0ErrorAfter15);
  if (ref20.length)
    console.log(
      `\nReference setting (per-row Anderson, 15 iterations) at T = 20: max|x0 - serial| from ${Math.min(...ref20).toExponential(2)} to ${Math.max(...ref20).toExponential(2)}`,
    );

  const out = outPath ?? (quick ? 'data/benchmarks/solvers-quick.json' : 'data/benchmarks/solvers.json');
  await mkdir('data/benchmarks', { recursive: true });
  await writeFile(out, JSON.stringify({ provenance: provenance(settings, backend), summary, referenceAt15, runs }, null, 1));
  console.log(`\nwrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
