// The committed depth benchmark (data/benchmarks/depth.json) for the Benchmarks and Solving pages:
// read, trimmed, never recomputed (builds stay fast and offline). Summarised from the raw units with
// the benchmark's own summarizeDepth, as the generated table of docs/results.md is. Regenerate or resume the
// run with `npm run bench -- depth`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeDepth, type DepthUnit } from '../../lib/bench/depthBenchmark.js';
import { summarizeStopping, summarizeTiming } from '../../lib/bench/stoppingBenchmark.js';
import { STOPPING_TARGETS, type StoppingResultsFile } from '../../lib/bench/stoppingReport.js';
import { TASKS, type TaskName } from '../../lib/operators/taskRegistry.js';
import { DEFAULT_SOLVER, mixingDefaults } from '../../lib/deq/solvers/solverDefaults.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const depth = JSON.parse(readFileSync(join(root, 'data/benchmarks/depth.json'), 'utf8'));
const p = depth.provenance;
const units: DepthUnit[] = depth.units;
// Curves to 0.01 dB: enough for a figure, a quarter of the file.
const dB = (v: number) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : null);
type Variant = { name: string; solver: { kind: string; m?: number; lambda?: number; beta?: number }; init: string; onlyT?: number[] };
const variants: Variant[] = p.settings.variants;
// The variant run with the kit's default solver and its default settings (the pages call it the default).
const d = mixingDefaults(DEFAULT_SOLVER);
const defaultVariant = variants.find((v) => v.solver.kind === DEFAULT_SOLVER && (v.solver.m ?? d.m) === d.m && (v.solver.lambda ?? d.lambda) === d.lambda && (v.solver.beta ?? d.beta) === d.beta)?.name ?? null;

// What the default run delivers at its own stop (npm run bench -- stopping-calibration / stopping), when measured.
const stoppingOf = (path: string) => {
  const full = join(root, path);
  if (!existsSync(full)) return null;
  const f = JSON.parse(readFileSync(full, 'utf8')) as StoppingResultsFile;
  const q = f.provenance;
  return {
    path,
    provenance: { gitCommit: q.gitCommit, gitDirty: q.gitDirty, date: q.date, backend: q.backend, machine: q.machine, resumedFrom: q.resumedFrom },
    complete: f.complete,
    rule: q.settings?.rule ?? null,
    summary: summarizeStopping(f.units),
    timing: summarizeTiming(f.timing ?? []),
  };
};

process.stdout.write(
  JSON.stringify({
    provenance: { gitCommit: p.gitCommit, gitDirty: p.gitDirty, date: p.date, command: p.command, backend: p.backend, machine: p.machine, node: p.node, files: p.files, resumedFrom: p.resumedFrom },
    complete: depth.complete,
    criteria: depth.criteria,
    defaultVariant,
    settings: { Ts: p.settings.Ts, tasks: p.settings.tasks, images: p.settings.images.length, variants: p.settings.variants, prior: p.settings.prior },
    taskLabels: Object.fromEntries((p.settings.tasks as TaskName[]).map((t) => [t, TASKS[t].label])),
    // The units the run has finished of those it plans (the page says which are still missing).
    plannedUnits: (p.settings.Ts as number[]).reduce(
      (a, T) => a + p.settings.tasks.length * variants.filter((v) => !v.onlyT || v.onlyT.includes(T)).length,
      0,
    ),
    summary: summarizeDepth(units),
    stopping: {
      calibration: stoppingOf('data/benchmarks/stopping-calibration.json'),
      evaluation: stoppingOf('data/benchmarks/stopping.json'),
      targets: STOPPING_TARGETS,
    },
    units: units.map((u) => ({
      T: u.T, task: u.task, solver: u.solver, iterations: u.iterations, wallMs: u.wallMs, serialWallMs: u.serialWallMs,
      images: u.images.map((im) => ({ image: im.image, psnr: im.psnr.map(dB), depth: im.depth })),
    })),
  }),
);
